import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": fileURLToPath(new URL("./", import.meta.url)) } },
  test: {
    include: ["lib/**/*.test.ts", "keeper/**/*.test.ts", "scripts/**/*.test.ts", "components/**/*.test.ts", "app/**/*.test.ts", "bench/**/*.test.ts", "watcher/**/*.test.ts"],
    // The database-outage test needs a PostgreSQL server it can take away (CI always has one, see .ci/run).
    exclude: ["e2e/**", "node_modules/**", ...(process.env.WATCHER_TEST_DATABASE_URL ? [] : ["watcher/outage.test.ts"])],
    // The summary repeats each failure in a few lines after the full report, so a log cut to its tail still shows them.
    reporters: ["default", "./scripts/lib/failure-summary-reporter.ts"],
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
