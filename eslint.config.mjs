import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

/**
 * The parts' dependency rule (DESIGN §1, README "Architecture"), checked on resolved paths so that relative and `@/`
 * imports are judged alike. Each part may import only the folders listed here, its own included, plus npm packages.
 */
const TESTS = ["**/*.test.ts", "**/*.test.tsx"];
const PARTS = [
  // Everything in lib (shared helpers, the Node-only devnet toolkit, tests on a real chain) stays inside lib...
  { part: "lib", dirs: ["lib"], allowed: ["lib"] },
  // ...and, later entries overriding earlier ones, lib/risk is pure math: nothing of the project but itself;
  { part: "lib/risk", dirs: ["lib/risk"], ignores: TESTS, allowed: ["lib/risk"] },
  // lib/chain talks to the chain with lib/risk's types and math, and words its errors with the one number formatter.
  { part: "lib/chain", dirs: ["lib/chain"], ignores: TESTS, allowed: ["lib/chain", "lib/risk", "lib/format"] },
  // The web app reads through lib and never reaches into the services, scripts, benchmarks or tests; lib/devnet
  // spawns processes and is for Node tools only.
  {
    part: "app and components",
    dirs: ["app", "components"],
    allowed: ["app", "components", "lib/risk", "lib/chain", "lib/format", "lib/format.ts"],
  },
  { part: "keeper", dirs: ["keeper"], allowed: ["keeper", "lib"] },
  { part: "watcher", dirs: ["watcher"], allowed: ["watcher", "lib"] },
  { part: "scripts", dirs: ["scripts"], allowed: ["scripts", "lib"] },
  // The benchmarks and browser tests drive the keeper and the watcher through their public cores only.
  { part: "bench", dirs: ["bench"], allowed: ["bench", "lib", "keeper/index.ts", "watcher/index.ts"] },
  { part: "e2e", dirs: ["e2e"], allowed: ["e2e", "lib", "keeper/index.ts", "watcher/index.ts"] },
];

const partRules = PARTS.map(({ part, dirs, ignores, allowed }) => ({
  files: dirs.map((dir) => `${dir}/**/*.{ts,tsx,js,mjs}`),
  ...(ignores ? { ignores } : {}),
  rules: {
    "import/no-restricted-paths": [
      "error",
      {
        zones: dirs.map((dir) => ({
          target: `./${dir}`,
          from: "./",
          except: [...allowed, "node_modules"],
          message: `${part} may import only ${allowed.join(", ")} and npm packages (DESIGN §1); shared code lives in lib.`,
        })),
      },
    ],
  },
}));

const config = [
  ...nextVitals,
  ...nextTs,
  {
    ignores: [
      "node_modules/**",
      ".next/**",
      "contracts/out/**",
      "contracts/cache/**",
      "lib/chain/abis.ts",
      "next-env.d.ts",
      "test-results/**",
      "playwright-report/**",
      "bench/results/**",
    ],
  },
  {
    // CommonJS on purpose: forge runs this shim as a native solc.
    files: ["**/*.cjs"],
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  ...partRules,
];

export default config;
