import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { formatHealth } from "../lib/format/number";
import { onChainHealthFactor, setPrice } from "../lib/devnet/app-devnet";
import { rpcProxyControl } from "../lib/devnet/rpc-proxy";
import { connectDevnetWallet, revealCharts } from "./actions-helpers";
import { expect, test } from "./fixtures/test";

/** A price as lib/format's formatPrice writes it: cents from $1 up ("$964.70"), 4 decimals below. */
const PRICE = /^\$[\d,]+\.(\d{2}|\d{4})$/;

async function openLive(page: Page, url: string, charts = true) {
  await page.goto(url);
  await expect(page.getByTestId("position")).toHaveAttribute("data-live", "true");
  if (charts) await revealCharts(page);
}

test.describe("shareable position page", () => {
  test("a SOFT position's link shows the on-chain health factor, with no wallet", async ({ page, devnet }) => {
    const account = devnet.accounts.softFlagged;
    await openLive(page, `/position/${account}`);
    expect(await page.evaluate(() => "ethereum" in window)).toBe(false);

    const onChain = await onChainHealthFactor(devnet.rpcUrl, devnet.deployment, account);
    await expect(page.getByTestId("hf-value")).toHaveText(formatHealth(onChain));
    await expect(page.getByTestId("zone-label")).toHaveText("Soft: flagged, in grace");
    await expect(page.getByTestId("grace-countdown")).toContainText("left");
    await expect(page.getByTestId("soft-start-wstETH")).toHaveText(PRICE);
    // hardHealth 0.88: HARD only below ~$965 of WETH, a price written in cents
    await expect(page.getByTestId("hard-start-WETH")).toHaveText(PRICE);
    await expect(page.getByTestId("history-flagged")).toHaveCount(1);
    await expect(page).toHaveTitle(new RegExp(`Health ${formatHealth(onChain).replace(".", "\\.")} \\(soft\\)`));
  });

  test("the server-rendered summary works with JavaScript disabled", async ({ browser, devnet, baseURL }) => {
    const context = await browser.newContext({ javaScriptEnabled: false, baseURL });
    const page = await context.newPage();
    const account = devnet.accounts.softFlagged;
    await page.goto(`/position/${account}`);
    const onChain = await onChainHealthFactor(devnet.rpcUrl, devnet.deployment, account);
    await expect(page.getByTestId("hf-value")).toHaveText(formatHealth(onChain));
    await expect(page.getByTestId("zone-label")).toHaveText("Soft: flagged, in grace");
    await expect(page.getByTestId("debt-value")).toHaveText("30,500 USDC");
    await expect(page.getByTestId("collateral-value")).toHaveText(/^\$[\d,]+\.\d{2}$/);
    await expect(page.getByTestId("soft-start-wstETH")).toHaveText(PRICE);
    await expect(page.getByTestId("position")).toHaveAttribute("data-live", "false");
    await context.close();
  });

  test("the page refreshes by itself when a new block changes the position", async ({ page, devnet }) => {
    const account = devnet.accounts.healthy;
    await openLive(page, `/position/${account}`);
    const before = await page.getByTestId("hf-value").textContent();
    await setPrice(devnet.rpcUrl, devnet.deployment, "WBTC", "50000");
    try {
      const onChain = await onChainHealthFactor(devnet.rpcUrl, devnet.deployment, account);
      expect(formatHealth(onChain)).not.toBe(before);
      await expect(page.getByTestId("hf-value")).toHaveText(formatHealth(onChain));
    } finally {
      await setPrice(devnet.rpcUrl, devnet.deployment, "WBTC", "60000");
    }
  });

  test("a what-if slider changes the chart and the URL, and the URL restores it", async ({ page, context, devnet }) => {
    const account = devnet.accounts.softFlagged;
    await openLive(page, `/position/${account}`);
    const chart = page.getByTestId("band-chart");
    await expect(chart.locator(".recharts-bar-rectangle").first()).toBeVisible();
    const soldBefore = await chart.getAttribute("data-soft-sold");
    const hfBefore = await page.getByTestId("hf-value").textContent();

    const slider = page.getByTestId("whatif-slider-wstETH");
    await slider.focus();
    for (let i = 0; i < 20; i++) await slider.press("ArrowLeft");

    await expect(page).toHaveURL(/[?&]wstETH=\d+(\.\d+)?/);
    await expect(page.getByTestId("whatif-banner")).toBeVisible();
    await expect(page.getByTestId("hf-value")).not.toHaveText(hfBefore ?? "");
    await expect(chart).not.toHaveAttribute("data-soft-sold", soldBefore ?? "");
    const hfWhatIf = await page.getByTestId("hf-value").textContent();
    const soldWhatIf = await chart.getAttribute("data-soft-sold");
    const priceText = await page.getByTestId("whatif-value-wstETH").textContent();

    const shared = await context.newPage();
    await openLive(shared, page.url());
    await expect(shared.getByTestId("hf-value")).toHaveText(hfWhatIf ?? "");
    await expect(shared.getByTestId("whatif-value-wstETH")).toHaveText(priceText ?? "");
    await expect(shared.getByTestId("band-chart")).toHaveAttribute("data-soft-sold", soldWhatIf ?? "");
    await expect(shared.getByTestId("whatif-banner")).toBeVisible();
    // The what-if state sits beside the health number, in the first screen, naming the price and the live one.
    const banner = shared.getByTestId("whatif-health-banner");
    await expect(banner).toBeInViewport();
    await expect(banner).toContainText(/What-if, not live: wstETH at \$[\d,]+\.\d{2} \(live \$[\d,]+\.\d{2}\)/);
    await expect(page.getByTestId("whatif-health-banner")).toBeVisible();
    // Its link preview says what-if too, and its image carries the what-if price.
    await expect(shared).toHaveTitle(/^What-if health \d\.\d{3} \(\w+\) · live \d\.\d{3} · /);
    await expect(shared.locator('meta[property="og:image"]')).toHaveAttribute("content", /\/og\?v=[^&]+&wstETH=\d+(\.\d+)?$/);
  });

  test("the share image's URL changes with the position's state, and the image is served", async ({ request, devnet }) => {
    const account = devnet.accounts.healthy;
    const ogImage = async () => {
      const html = await (await request.get(`/position/${account}`)).text();
      return /<meta property="og:image" content="([^"]+)"/.exec(html)?.[1]?.replaceAll("&amp;", "&");
    };
    const before = await ogImage();
    expect(before).toMatch(new RegExp(`/position/${account}/og\\?v=0-\\d+-0-\\d+$`));
    const url = new URL(before!, "http://relative.invalid"); // absolute with metadataBase, relative without
    const image = await request.get(url.pathname + url.search);
    expect(image.status()).toBe(200);
    expect(image.headers()["content-type"]).toBe("image/png");
    await setPrice(devnet.rpcUrl, devnet.deployment, "WBTC", "50000");
    try {
      expect(await ogImage()).not.toBe(before);
    } finally {
      await setPrice(devnet.rpcUrl, devnet.deployment, "WBTC", "60000");
    }
  });

  test("the home page shows a connected borrower's health, zone and running grace countdown", async ({ page, devnet }) => {
    await page.goto("/");
    await connectDevnetWallet(page, 3); // anvil account 3: the seeded flagged position
    const onChain = await onChainHealthFactor(devnet.rpcUrl, devnet.deployment, devnet.accounts.softFlagged);
    const summary = page.getByTestId("your-position-summary");
    await expect(summary).toHaveAttribute("data-status", "soft-grace");
    await expect(page.getByTestId("your-health")).toHaveText(formatHealth(onChain));
    await expect(summary).toContainText("Soft: flagged, in grace");
    await expect(page.getByTestId("your-position-clock")).toContainText(/grace period: .+ left to top up or repay/);
    await expect(page.getByTestId("your-position")).toHaveAttribute("href", `/position/${devnet.accounts.softFlagged}`);
  });

  test("no page logs a console error or a failed request", async ({ page, devnet }) => {
    const problems: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") problems.push(`console: ${m.text()}`);
    });
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    page.on("requestfailed", (r) => {
      // Leaving a page cancels its in-flight prefetches (net::ERR_ABORTED): a navigation, not a failure.
      if (r.failure()?.errorText !== "net::ERR_ABORTED") problems.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ""}`);
    });
    page.on("response", (r) => {
      if (r.status() >= 400 && !r.url().includes("/position/0x1234")) problems.push(`HTTP ${r.status()}: ${r.url()}`);
    });
    const pages = ["/", "/borrow", `/position/${devnet.accounts.softFlagged}`, `/position/${devnet.accounts.healthy}`, `/position/${devnet.accounts.empty}`];
    for (const path of pages) {
      await page.goto(path);
      await page.waitForLoadState("networkidle");
    }
    expect(problems).toEqual([]);
  });

  test("bad addresses and empty accounts get a clear page", async ({ page, devnet }) => {
    const short = await page.goto("/position/0x1234");
    expect(short?.status(), "not an address: HTTP 404").toBe(404);
    await expect(page.getByTestId("invalid-address")).toContainText("That is not an address");
    await expect(page.getByTestId("invalid-address")).toContainText("“0x1234”");
    const word = await page.goto("/position/not-an-address");
    expect(word?.status()).toBe(404);
    await expect(page.getByTestId("invalid-address")).toBeVisible();
    const elsewhere = await page.goto("/no-such-page");
    expect(elsewhere?.status()).toBe(404);
    await expect(page.getByTestId("not-found")).toContainText("Page not found");
    await page.goto(`/position/${devnet.accounts.empty}`);
    await expect(page.getByTestId("no-position")).toContainText("No position here");
    await expect(page.getByRole("link", { name: "Open a position" })).toBeVisible();
  });

  test("an unreachable RPC gets a clear message, and the page recovers when it is back", async ({ page, devnet }) => {
    try {
      await rpcProxyControl.setDown(devnet.appRpcUrl, true);
      await page.goto(`/position/${devnet.accounts.softFlagged}`);
      await expect(page.getByTestId("read-error-rpc-down")).toContainText("The chain is not reachable");
      await page.goto("/");
      await expect(page.getByTestId("read-error-rpc-down")).toBeVisible();
    } finally {
      await rpcProxyControl.setDown(devnet.appRpcUrl, false);
    }
    await openLive(page, `/position/${devnet.accounts.softFlagged}`);
  });

  test("no serious accessibility violations (axe), in light and dark themes", async ({ page, devnet }) => {
    for (const scheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme: scheme, reducedMotion: "reduce" });
      await openLive(page, `/position/${devnet.accounts.softFlagged}`);
      await expect(page.getByTestId("band-chart").locator(".recharts-bar-rectangle").first()).toBeVisible();
      const results = await new AxeBuilder({ page }).analyze();
      const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
      expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`), scheme).toEqual([]);
    }
    await page.goto("/");
    const markets = await new AxeBuilder({ page }).analyze();
    expect(markets.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id)).toEqual([]);
  });

  test("screenshots at desktop and 390 px", async ({ page, devnet }, testInfo) => {
    for (const [name, width] of [["desktop", 1280], ["phone-390", 390]] as const) {
      await page.setViewportSize({ width, height: 900 });
      await openLive(page, `/position/${devnet.accounts.softFlagged}`);
      await expect(page.getByTestId("band-chart").locator(".recharts-bar-rectangle").first()).toBeVisible();
      await expect(page.getByTestId("history-flagged")).toBeVisible();
      const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(scrollWidth, "no horizontal page scroll").toBeLessThanOrEqual(width);
      // The account address stays on one line (it used to break mid-string at 390 px).
      const account = page.getByTestId("account");
      const lineHeight = await account.evaluate((el) => parseFloat(getComputedStyle(el).lineHeight));
      expect((await account.boundingBox())!.height, "the address on one line").toBeLessThan(lineHeight * 1.5);
      const file = testInfo.outputPath(`position-${name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      await testInfo.attach(`position-${name}`, { path: file, contentType: "image/png" });
    }
  });
});
