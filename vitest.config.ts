import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": fileURLToPath(new URL("./", import.meta.url)) } },
  test: {
    include: ["lib/**/*.test.ts", "keeper/**/*.test.ts", "scripts/**/*.test.ts", "components/**/*.test.ts", "app/**/*.test.ts", "bench/**/*.test.ts", "watcher/**/*.test.ts"],
    exclude: ["e2e/**", "node_modules/**"],
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
