/**
 * Borrower actions on the devnet, tried as a new user would: connect the built-in devnet wallet, open a
 * two-collateral position, get flagged by the real keeper after a price drop, top up inside the grace period (flag
 * cleared, no slice), let another position's grace run out (the keeper slices; the history shows it), repay all and
 * close, and every invalid input refused with its message and nothing sent.
 *
 * The whole file runs against one chain state that is snapshotted first and reverted at the end, so the other specs
 * sharing the devnet see the seeded state they expect.
 */
import { expect, test, type Page } from "@playwright/test";
import { getAddress, parseUnits } from "viem";
import type { Keeper } from "../keeper";
import { ANVIL_ACCOUNTS } from "../lib/chain/devnet";
import { e2eState, setPrice } from "../lib/devnet/app-devnet";
import { DESKTOP, chainOf, connectDevnetWallet, expectAxeClean, revealCharts, snap, startKeeper } from "./actions-helpers";

test.describe.configure({ mode: "serial" });
test.use({ viewport: DESKTOP });

const FIRST = 9; // anvil account of the first new user (the devnet wallet's default)
const SECOND = 8;

let keeper: Keeper | undefined;
let snapshotId: `0x${string}` | undefined;

test.beforeAll(async () => {
  const state = e2eState();
  const chain = chainOf(state);
  snapshotId = await chain.snapshot();
  await chain.fundKeeper();
  keeper = await startKeeper(state);
});

test.afterAll(async () => {
  await keeper?.stop();
  if (snapshotId) await chainOf(e2eState()).revert(snapshotId);
});

/** Absolute URL on the e2e web app (the fixture picks its port at run time). */
function appUrl(path: string): string {
  return new URL(path, e2eState().baseURL).toString();
}

async function devnetTask(page: Page, click: () => Promise<void>) {
  await click();
  const status = page.getByTestId("devnet-status");
  const error = page.getByTestId("devnet-error");
  // Waits for the task to finish; if the panel reports an error instead, the assertion shows it.
  await expect
    .poll(async () => ((await error.isVisible()) ? `error: ${await error.textContent()}` : await status.textContent()), {
      timeout: 60_000,
    })
    .toMatch(/done\.$/);
}

async function setPriceWithPanel(page: Page, symbol: string, usd: string) {
  await page.getByTestId("devnet-price-asset").selectOption(symbol);
  await page.getByTestId("devnet-price-input").fill(usd);
  await devnetTask(page, () => page.getByTestId("devnet-price-set").click());
}

/**
 * On /borrow with the devnet wallet connected: faucet, 2 WETH + 2 wstETH, borrow 8,000 USDC; lands on the new
 * position's page.
 */
async function openTwoCollateralPosition(page: Page, testInfo: Parameters<typeof snap>[1], index: number, shots: boolean) {
  const address = ANVIL_ACCOUNTS[index]!.address;

  await devnetTask(page, () => page.getByTestId("devnet-faucet").click());
  await page.getByTestId("deposit-WETH").fill("2");
  await page.getByTestId("deposit-wstETH").fill("2");
  // Borrowing 9,300 would be allowed (max 9,525) but start at HF 1.090: a 7-day chance of SOFT far above the 5% limit.
  await page.getByTestId("borrow-amount").fill("9300");
  await expect(page.getByTestId("near-soft-warning")).toContainText(/chance of entering the soft zone within 7\s+days, above your 5% limit/);
  await page.getByTestId("borrow-amount").fill("8000");
  await expect(page.getByTestId("near-soft-warning")).toBeHidden();
  if (shots) await expectAxeClean(page, "/borrow with a position typed");
  // 2 WETH × $3,000 × 0.85 + 2 wstETH × $3,150 × 0.80 = $10,140 of power against $8,000 → HF 1.2675.
  await expect(page.getByTestId("preview-health-after")).toHaveText("1.267");
  await expect(page.getByTestId("preview-zone-after")).toHaveText("Healthy");
  await expect(page.getByTestId("liq-price-WETH")).toBeVisible();
  // One risk story: the preview line and the sentence under it quote the same fall to SOFT (1 − 8,000 / 10,140).
  await expect(page.getByTestId("band-summary-after")).toContainText("soft after a 21.1% fall");
  await expect(page.getByTestId("band-summary-after")).toContainText(/slices( and \d+ hard liquidations?)? sell \$[\d,.]+ for a \$[\d,.]+ penalty/);
  await expect(page.getByTestId("soft-distance")).toContainText("fall 21.1% together");
  await expect(page.getByTestId("open-submit")).toBeEnabled();
  if (shots) await snap(page, testInfo, "02-borrow-preview");

  await page.getByTestId("open-submit").click();
  await page.waitForURL(new RegExp(`/position/${address}`, "i"), { timeout: 90_000 });
  await expect(page.getByTestId("actions-panel")).toBeVisible();
  return address;
}

test("a new user opens a two-collateral position, is flagged after a price drop and tops up in the grace period", async ({ page }, testInfo) => {
  test.setTimeout(300_000);
  const state = e2eState();
  const chain = chainOf(state);

  await page.goto(appUrl("/borrow"));
  await connectDevnetWallet(page, FIRST);
  await snap(page, testInfo, "01-connected");
  const address = await openTwoCollateralPosition(page, testInfo, FIRST, true);
  const opened = await chain.account(address);
  expect(opened.debt).toBeGreaterThanOrEqual(parseUnits("8000", 6));
  expect(await chain.collateralOf(address, "WETH")).toBe(parseUnits("2", 18));
  expect(await chain.collateralOf(address, "wstETH")).toBe(parseUnits("2", 18));
  await expect(page.getByTestId("hf-value")).toContainText("1.26");
  await snap(page, testInfo, "03-position-opened");

  await revealCharts(page);
  // One risk story: the fall to SOFT the form previewed (21.1%) is the one the net-risk summary and the band chart's
  // key print, and both say the same about where hard liquidation starts once slices run.
  await expect(page.getByTestId("shock-summary")).toContainText("Soft liquidation starts after a 21.1% fall", { timeout: 30_000 });
  await expect(page.getByTestId("milestone-soft")).toHaveText(/soft starts after a 21\.1% fall/, { timeout: 30_000 });
  const hardKey = await page.getByTestId("milestone-hard").innerText();
  const shockText = await page.getByTestId("shock-summary").innerText();
  const hardFall = /hard starts after a ([\d.]+)% fall/.exec(hardKey)?.[1];
  if (hardFall) expect(shockText).toContain(`the hard zone comes only after a ${hardFall}% fall`);
  else expect(shockText).toContain("the slices keep it out of the hard zone altogether");

  // WETH $3,000 → $1,650: power $7,845 against $8,000 → HF 0.981, inside the soft zone and above the grace floor
  // (0.97, below which the keeper would slice at once): the keeper flags it.
  await setPriceWithPanel(page, "WETH", "1650");
  await expect(page.getByTestId("flagged-callout")).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId("grace-left")).toContainText(/Grace period: \d+ min \d+ s left/);
  await expect(page.getByTestId("leave-soft-needed")).toContainText("WETH");
  // Top up and repay come first while flagged.
  await expect(page.getByRole("tab").first()).toHaveText("Top up");
  await expect(page.getByRole("tab").nth(1)).toHaveText("Repay");
  expect((await chain.account(address)).flaggedAt).toBeGreaterThan(0n);
  await snap(page, testInfo, "04-flagged-grace-countdown");

  // The forecast's advice: each remedy that brings the 7-day chance of SOFT under 5% is one click that fills the form.
  await revealCharts(page);
  await expect(page.getByTestId("forecast-soft-7d-headline")).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId("advice")).toContainText("above your 5% limit");
  await expect(page.getByTestId("stay-out-options")).toBeVisible();
  // The owner's flagged page, advice and forms open, is as accessible as the share page (axe, light and dark).
  await expectAxeClean(page, "flagged position with the owner's actions");
  await page.getByTestId("advice-repay").click();
  await expect(page.getByTestId("tab-repay")).toHaveAttribute("aria-selected", "true");
  await expect(page.getByTestId("amount-input")).toHaveValue(/^\d+(\.\d{1,2})?$/);
  await expect(page.getByTestId("preview-zone-after")).toHaveText("Healthy");

  // The callout pre-fills a top-up that takes health back above 1; the preview says so before sending.
  await page.getByTestId("leave-soft-topup-WETH").click();
  await expect(page.getByTestId("preview-zone-after")).toHaveText("Healthy");
  await expect(page.getByTestId("submit-action")).toBeEnabled();
  await snap(page, testInfo, "05-top-up-preview");
  await page.getByTestId("submit-action").click();

  await expect(page.getByTestId("flagged-callout")).toBeHidden({ timeout: 60_000 });
  const afterTopUp = await chain.account(address);
  expect(afterTopUp.flaggedAt).toBe(0n);
  expect(afterTopUp.lastSliceAt).toBe(0n);
  await expect(page.getByTestId("history-unflagged")).toBeVisible({ timeout: 30_000 });

  // The grace period would now be over, with the keeper watching: nothing is sliced from a healthy position.
  await devnetTask(page, () => page.getByTestId("devnet-time-600").click());
  const head = await chain.publicClient.getBlockNumber();
  await expect.poll(() => BigInt(keeper!.status().lastBlock ?? "0"), { timeout: 30_000 }).toBeGreaterThanOrEqual(head);
  const later = await chain.account(address);
  expect(later.flaggedAt).toBe(0n);
  expect(later.lastSliceAt).toBe(0n);
  expect(await chain.collateralOf(address, "WETH")).toBeGreaterThan(parseUnits("2", 18));
  await expect(page.getByTestId("history-slice")).toHaveCount(0);
  await snap(page, testInfo, "06-flag-cleared-no-slice");
});

test("every invalid input shows its message and sends nothing", async ({ page }, testInfo) => {
  test.setTimeout(240_000);
  const state = e2eState();
  const chain = chainOf(state);
  const address = ANVIL_ACCOUNTS[FIRST]!.address;
  // WETH back at $3,000 (the first test left it at $1,650): the position has borrowing power to spare again.
  await setPrice(state.rpcUrl, state.deployment, "WETH", "3000");
  const nonceBefore = await chain.nonce(address);

  await page.goto(appUrl(`/position/${address}`));
  await connectDevnetWallet(page, FIRST);
  const panel = page.getByTestId("actions-panel");
  await expect(panel).toBeVisible();
  const input = panel.getByTestId("amount-input");
  const error = panel.getByTestId("action-error");
  const submit = panel.getByTestId("submit-action");

  async function refused(text: string, message: RegExp | string, shot?: string) {
    await input.fill(text);
    await expect(error).toContainText(message);
    await expect(submit).toBeDisabled();
    if (shot) await snap(page, testInfo, shot);
  }

  await panel.getByTestId("tab-topUp").click();
  await panel.getByTestId("asset-select").selectOption("0"); // WETH
  await input.fill("1");
  await refused("", "Enter an amount.", "10-invalid-empty");
  await refused("0", "Enter an amount greater than zero.");
  await refused("-1", "The amount cannot be negative.", "11-invalid-negative");
  await refused("abc", "Enter a number, like 1.5.");
  await refused("1000000", /Your wallet holds only .* WETH/, "12-invalid-over-balance");
  await panel.getByTestId("asset-select").selectOption("2"); // WBTC
  await refused("0.000000001", "WBTC has 8 decimals: use at most 8 digits after the point.", "13-invalid-decimals");

  await panel.getByTestId("tab-borrow").click();
  await refused("1.0000001", "USDC has 6 decimals");
  await refused("100000", /below 0\.880: the position would be in the hard zone and could be liquidated at once, up to \d+% of the debt/, "14-invalid-below-hf-1");

  await panel.getByTestId("tab-withdraw").click();
  await panel.getByTestId("asset-select").selectOption("1"); // wstETH
  await refused("1000", /The position holds only/);

  await panel.getByTestId("tab-repay").click();
  await refused("99999999", /more than the debt/);

  // A paused market: the guardian stops borrowing; the form says so (the page refreshes on the next block).
  await chain.setMarketPause(true, false);
  await panel.getByTestId("tab-borrow").click();
  await refused("1", /Borrowing is paused/, "15-invalid-paused");
  await chain.setMarketPause(false, false);
  await input.fill("2");
  await expect(error).toBeHidden();

  // A stale WETH price (lens priceOk false): borrowing and withdrawing wait for the feed.
  await chain.makeStale("WETH");
  await refused("1", /price of WETH is stale/, "16-invalid-stale-price");
  await chain.refreshFeed("WETH");
  await input.fill("2");
  await expect(error).toBeHidden();

  // /borrow refuses too, per field.
  await page.goto(appUrl("/borrow"));
  await page.getByTestId("deposit-WBTC").fill("0.000000001");
  await page.getByTestId("borrow-amount").fill("1");
  await expect(page.getByTestId("open-error")).toContainText("WBTC has 8 decimals");
  await expect(page.getByTestId("open-submit")).toBeDisabled();
  await page.getByTestId("deposit-WBTC").fill("");
  await page.getByTestId("borrow-amount").fill("");
  await page.getByTestId("deposit-WETH").fill("1");
  // Collateral typed, no borrow yet: the next step as a hint (not an error), and the collateral previewed alone.
  await expect(page.getByTestId("open-hint")).toContainText("Now enter how much USDC to borrow");
  await expect(page.getByTestId("open-error")).toBeHidden();
  await page.getByTestId("borrow-amount").fill("50000");
  await expect(page.getByTestId("open-error")).toContainText("below 0.880: the position would be in the hard zone");
  await expect(page.getByTestId("open-submit")).toBeDisabled();
  await snap(page, testInfo, "17-invalid-open");

  // Nothing was sent from the borrower's account, and no transaction toast appeared.
  expect(await chain.nonce(address)).toBe(nonceBefore);
  await expect(page.getByTestId("tx-toast")).toHaveCount(0);
});

test("nobody acts: the keeper slices after the grace period, the history shows it; then repay all closes the position", async ({ page }, testInfo) => {
  test.setTimeout(300_000);
  const state = e2eState();
  const chain = chainOf(state);

  await page.goto(appUrl("/borrow"));
  await connectDevnetWallet(page, SECOND);
  await setPriceWithPanel(page, "WETH", "3000");
  const address = await openTwoCollateralPosition(page, testInfo, SECOND, false);
  expect(getAddress(address)).toBe(ANVIL_ACCOUNTS[SECOND]!.address);

  // HF 0.981: above the grace floor, so the keeper flags it and the grace period holds the slices back.
  await setPriceWithPanel(page, "WETH", "1650");
  await expect(page.getByTestId("flagged-callout")).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId("grace-left")).toContainText("Grace period");
  await snap(page, testInfo, "20-second-user-flagged");

  // Nobody tops up: ten minutes later the grace period is over and the keeper takes a slice. Sized for the target
  // health, that one slice brings the position back above 1, which clears the flag in the same transaction.
  await devnetTask(page, () => page.getByTestId("devnet-time-600").click());
  await expect.poll(async () => (await chain.account(address)).lastSliceAt, { timeout: 60_000 }).toBeGreaterThan(0n);
  expect((await chain.account(address)).flaggedAt).toBe(0n);
  await expect(page.getByTestId("history-slice").first()).toBeVisible({ timeout: 30_000 });
  expect(await chain.collateralOf(address, "WETH") < parseUnits("2", 18) || (await chain.collateralOf(address, "wstETH")) < parseUnits("2", 18)).toBe(true);
  await snap(page, testInfo, "21-keeper-slice-in-history");

  // Repay everything, interest included: the debt ends at exactly zero.
  await page.getByTestId("tab-repay").click();
  await page.getByTestId("repay-all").check();
  await expect(page.getByTestId("preview-zone-after")).toHaveText("No debt");
  await snap(page, testInfo, "22-repay-all-preview");
  await page.getByTestId("submit-action").click();
  await expect.poll(async () => (await chain.account(address)).scaledDebt, { timeout: 60_000 }).toBe(0n);

  // Then take every collateral back in one action ("Withdraw all collateral": two calls, one after the other with
  // the devnet wallet, which has no EIP-5792 batches): the position is closed.
  await page.getByTestId("tab-withdraw").click();
  await expect(page.getByTestId("close-all")).toContainText(/Returns [\d.]+ WETH, [\d.]+ wstETH to your wallet: 2 calls/);
  await page.getByTestId("close-all-button").click();
  for (const symbol of ["WETH", "wstETH"] as const) {
    await expect.poll(() => chain.collateralOf(address, symbol), { timeout: 60_000 }).toBe(0n);
  }
  expect((await chain.account(address)).debt).toBe(0n);
  // The live page turns into the closed position's story by itself, its slices included.
  await expect(page.getByTestId("position-closed")).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId("history-slice").first()).toBeVisible();
  await snap(page, testInfo, "23-position-closed");

  // Reloaded, the closed position still tells its story: the keeper's slices are in its history.
  await page.reload();
  await expect(page.getByTestId("no-position")).toBeVisible();
  await expect(page.getByTestId("history")).toBeVisible();
  await expect(page.getByTestId("history-empty")).toHaveCount(0);
  await expect(page.getByTestId("history-slice").first()).toBeVisible();
});
