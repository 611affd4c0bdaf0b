// Runs before `npm run dev` / `npm run devnet` with plain Node (no dependencies), so a missing install gives one
// clear line instead of "tsx: not found".
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const major = Number(process.versions.node.split(".")[0]);
if (major < 20) {
  console.error(`Soft Landing needs Node 20 or newer (this is ${process.version}).`);
  process.exit(1);
}
if (!existsSync(path.join(root, "node_modules"))) {
  console.error("Dependencies are not installed: run `npm install` first (it also installs forge and anvil).");
  process.exit(1);
}
const missing = ["tsx", "anvil", "forge"].filter((tool) => !existsSync(path.join(root, "node_modules/.bin", tool)));
if (missing.length > 0) {
  console.error(`Missing ${missing.join(", ")} in node_modules/.bin: run \`npm install\` again.`);
  process.exit(1);
}
