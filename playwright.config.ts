import { defineConfig } from "@playwright/test";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "./lib/devnet/chromium";


export default defineConfig({
  testDir: "e2e",
  testMatch: "**/*.spec.ts",
  // One shared chain and one app: specs run one at a time, in file order.
  workers: 1,
  fullyParallel: false,
  forbidOnly: true,
  retries: 0,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  globalSetup: "./e2e/fixtures/global-setup.ts",
  globalTimeout: 20 * 60_000,
  outputDir: "test-results",
  reporter: [["list"], ["html", { open: "never", outputFolder: "playwright-report" }]],
  use: {
    browserName: "chromium",
    launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS },
    // Charts and transitions render without animation (recharts reads prefers-reduced-motion).
    reducedMotion: "reduce",
    viewport: { width: 1280, height: 900 },
    screenshot: "only-on-failure",
    trace: "retain-on-failure",
  },
});
