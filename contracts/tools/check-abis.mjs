#!/usr/bin/env node
// Fails when the typed ABIs generated from the current forge artifacts differ from the committed lib/chain/abis.ts,
// so a contract change cannot land with stale ABIs in the app, keeper or watcher. Generates into a scratch file and
// never touches the committed one: `npm run generate` is the command that rewrites it.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const committed = path.join(root, "lib/chain/abis.ts");
const scratchDir = path.join(root, "node_modules/.cache/soft-landing-abis");
const scratch = path.join(scratchDir, "abis.ts");
mkdirSync(scratchDir, { recursive: true });
rmSync(scratch, { force: true });

const wagmi = spawnSync(path.join(root, "node_modules/.bin/wagmi"), ["generate"], {
  cwd: root,
  // The foundry plugin looks for `forge` on PATH, as it finds it under `npm run`.
  env: { ...process.env, PATH: `${path.join(root, "node_modules/.bin")}${path.delimiter}${process.env.PATH}`, ABIS_OUT: path.relative(root, scratch) },
  stdio: ["ignore", "pipe", "inherit"],
});
if (wagmi.status !== 0) {
  console.error(`wagmi generate failed (exit ${wagmi.status ?? wagmi.error?.message}); run \`npm run build:contracts\` first.`);
  process.exit(1);
}

const want = readFileSync(scratch, "utf8").split("\n");
const have = readFileSync(committed, "utf8").split("\n");
if (want.join("\n") === have.join("\n")) {
  console.log("lib/chain/abis.ts matches the contracts.");
  process.exit(0);
}
const first = want.findIndex((line, i) => line !== have[i]);
console.error(
  [
    "lib/chain/abis.ts is stale: the contracts' ABIs changed and the committed file was not regenerated.",
    `first difference at line ${first + 1}:`,
    `  committed: ${have[first] ?? "(end of file)"}`,
    `  generated: ${want[first] ?? "(end of file)"}`,
    `(${have.length} committed lines, ${want.length} generated.) Run \`npm run generate\` and commit lib/chain/abis.ts.`,
  ].join("\n"),
);
process.exit(1);
