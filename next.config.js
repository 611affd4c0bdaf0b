/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  // Test and benchmark builds bake their own NEXT_PUBLIC_* values, so they build into their own folder and never
  // clobber the developer's .next.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  poweredByHeader: false,
  // Tests and the devnet open the app as http://127.0.0.1:<port>; let `next dev` serve its client chunks there.
  allowedDevOrigins: ["127.0.0.1", "localhost"],
  // A production `npm run build` type-checks and fails on any type error. The test and benchmark builds set
  // SKIP_BUILD_TYPECHECK=1 because `npm test` type-checks the whole repo (`npm run typecheck`) before any build, and
  // a second pass would only slow CI.
  // Test builds point tsconfigPath at a scratch tsconfig extending the real one, so the include entries Next adds
  // for their dist folders land there instead of piling up in the shared tsconfig.json.
  typescript: { ignoreBuildErrors: process.env.SKIP_BUILD_TYPECHECK === "1", tsconfigPath: process.env.NEXT_TSCONFIG_PATH || "tsconfig.json" },
  // Deployment files are read at request time from DEPLOYMENTS_DIR / deployments/, never bundled.
  outputFileTracingExcludes: { "*": ["deployments/.local/**"] },
};

export default nextConfig;
