/**
 * Lighthouse for `bench:web`, installed on first use into node_modules/.cache instead of the project's dependencies:
 * Lighthouse 13 and its puppeteer-core declare Node >= 22, and nothing but this benchmark needs them, so the default
 * install stays within the Node version the README states. The version is pinned here; the install needs only the
 * npm registry and is reused by later runs.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";

const LIGHTHOUSE_VERSION = "13.5.0";

/** The slice of Lighthouse's result the benchmark reads. */
export interface LighthouseResult {
  lhr: {
    lighthouseVersion: string;
    categories: Record<string, { score: number | null } | undefined>;
    audits: Record<string, { numericValue?: number } | undefined>;
  };
}
export type RunLighthouse = (url: string, flags: Record<string, unknown>, config: Record<string, unknown>) => Promise<LighthouseResult | undefined>;
export interface ChromeLauncher {
  launch(opts: { chromePath: string; chromeFlags: string[] }): Promise<{ port: number; kill(): void }>;
}

export async function loadLighthouse(root: string): Promise<{ lighthouse: RunLighthouse; chromeLauncher: ChromeLauncher }> {
  const dir = path.join(root, "node_modules/.cache/soft-landing-bench-tools", `lighthouse-${LIGHTHOUSE_VERSION}`);
  if (!existsSync(path.join(dir, "node_modules/lighthouse/package.json"))) {
    console.log(`installing lighthouse@${LIGHTHOUSE_VERSION} for this benchmark into ${path.relative(root, dir)}…`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, "package.json"), JSON.stringify({ private: true, name: "bench-tools" }));
    execFileSync("npm", ["install", "--no-audit", "--no-fund", "--no-save", "--engine-strict=false", `lighthouse@${LIGHTHOUSE_VERSION}`], {
      cwd: dir,
      stdio: "inherit",
    });
  }
  const require = createRequire(path.join(dir, "package.json"));
  const lighthouse = (await import(pathToFileURL(require.resolve("lighthouse")).href)) as { default: RunLighthouse };
  const chromeLauncher = (await import(pathToFileURL(require.resolve("chrome-launcher")).href)) as ChromeLauncher;
  return { lighthouse: lighthouse.default, chromeLauncher };
}
