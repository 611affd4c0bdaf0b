#!/usr/bin/env node
// Runs forge with its exit code intact. The npm `forge` launcher (node_modules/.bin/forge) exits 0 even when tests
// fail or compilation breaks, which would let `npm test` and CI pass over red contract tests, so we start the
// platform binary that @foundry-rs/forge installed directly.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const os = { linux: "linux", darwin: "darwin", win32: "win32" }[process.platform];
const arch = { x64: "amd64", arm64: "arm64" }[process.arch];
const binary = path.join(
  root,
  "node_modules/@foundry-rs",
  `forge-${os}-${arch}`,
  "bin",
  process.platform === "win32" ? "forge.exe" : "forge",
);
if (!os || !arch || !existsSync(binary)) {
  console.error(`forge is not installed for ${process.platform}/${process.arch} (looked for ${binary}). Run \`npm install\`.`);
  process.exit(1);
}
const result = spawnSync(binary, process.argv.slice(2), { stdio: "inherit", cwd: process.cwd() });
if (result.error) {
  console.error(`could not start forge: ${result.error.message}`);
  process.exit(1);
}
process.exit(result.status ?? 1);
