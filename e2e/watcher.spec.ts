/**
 * What the watcher brings to the app, in Chromium against the e2e devnet and its watcher: the market's liquidation
 * map on the home page, a position's history read from the watcher, and subscribing to alerts (bad input refused by
 * the form, an email waiting for its confirmation, a webhook answered and its secret shown once), axe clean.
 */
import { startWebhookSink } from "../watcher/index";
import { PHONE, expectAxeClean } from "./actions-helpers";
import { expect, test } from "./fixtures/test";

test("the home page shows where the liquidation wall is", async ({ page }) => {
  await page.goto("/");
  const map = page.getByTestId("liquidation-map");
  await expect(map.getByTestId("map-wall")).toHaveText(/First debt enters SOFT at a \d+% fall|No position enters SOFT/);
  await expect(map.getByTestId("map-table").locator("tbody tr")).toHaveCount(7);
  await expect(map.getByTestId("map-table").locator("tbody tr").first()).toContainText("now");
  await map.getByTestId("map-scenario-WETH").click();
  await expect(map.getByTestId("map-scenario-WETH")).toHaveAttribute("aria-pressed", "true");
  await expect(map.getByRole("table")).toHaveAccessibleName(/WETH alone/);
  await expectAxeClean(page, "home with the liquidation map");
  await page.setViewportSize(PHONE);
  await expect(map.getByTestId("map-table")).toBeVisible();
});

test("a position's history comes from the watcher, and anyone can subscribe to its alerts", async ({ page, devnet }) => {
  const history = page.waitForResponse((r) => r.url().startsWith(devnet.watcherUrl!) && r.url().includes("/history") && r.status() === 200);
  await page.goto(`/position/${devnet.accounts.softFlagged}`);
  await history;
  await expect(page.getByTestId("history-flagged")).toHaveCount(1);
  await expect(page.getByTestId("history-notice")).toHaveCount(0);

  const alerts = page.getByTestId("alerts");
  await alerts.scrollIntoViewIfNeeded();
  // The form refuses what the watcher would, before anything is sent.
  await alerts.getByTestId("alerts-threshold").fill("0,95");
  await alerts.getByTestId("alerts-target").fill("reader@example.com");
  await alerts.getByTestId("alerts-submit").click();
  await expect(alerts.getByTestId("alerts-error")).toHaveText(/must be above 1/);
  await alerts.getByTestId("alerts-threshold").fill("1,2");
  await alerts.getByTestId("alerts-submit").click();
  await expect(alerts.getByTestId("alerts-pending")).toHaveText(/Check reader@example\.com: nothing is sent there until the confirmation link/);
  // The same address again: the watcher's own refusal, shown as it said it.
  await alerts.getByTestId("alerts-submit").click();
  await expect(alerts.getByTestId("alerts-refused")).toHaveText(/already has a subscription .* waiting for confirmation/);

  const hook = await startWebhookSink();
  try {
    await alerts.getByTestId("alerts-channel-webhook").check();
    await alerts.getByTestId("alerts-target").fill(hook.url);
    await alerts.getByTestId("alerts-submit").click();
    await expect(alerts.getByTestId("alerts-secret")).toHaveText(/^[0-9a-f]{64}$/);
    expect(hook.calls.map((c) => c.json.kind)).toEqual(["ping"]);
  } finally {
    await hook.close();
  }
  await expectAxeClean(page, "position page with the alerts panel");
});
