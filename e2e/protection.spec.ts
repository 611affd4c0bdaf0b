/**
 * Automatic protection (a deleverage policy, docs/liquidation.md R9) from the position page, as its owner on the e2e
 * devnet with the built-in devnet wallet: figures the market would refuse are refused by the form with their message
 * and nothing is sent; the policy is turned on in one transaction, read back from the market and shown on the page
 * (the owner's panel, the health summary, the band chart, and the share page a visitor opens); then turned off.
 *
 * The chain is snapshotted first and reverted at the end, so the other specs sharing the devnet see the seeded state.
 */
import { setPrice } from "../lib/devnet/app-devnet";
import { softLandingMarketAbi } from "../lib/chain/abis";
import { chainOf, connectDevnetWallet, expectAxeClean, revealCharts, snap } from "./actions-helpers";
import { expect, test } from "./fixtures/test";

const OWNER_INDEX = 4; // anvil account 4: the seeded healthy position (5 WETH + 0.25 WBTC against 12,000 USDC)
const ppm = (n: number) => BigInt(n) * 10n ** 12n;

test("the owner turns automatic protection on from the position page, everyone sees it, and the owner turns it off", async ({ page, browser, devnet, baseURL }, testInfo) => {
  test.setTimeout(240_000);
  const chain = chainOf(devnet);
  const owner = devnet.accounts.healthy;
  const policyOnChain = () =>
    chain.publicClient.readContract({ address: devnet.deployment.market, abi: softLandingMarketAbi, functionName: "deleveragePolicy", args: [owner] });
  const snapshot = await chain.snapshot();
  try {
    // Today's seeded prices (another spec may have moved them): health ≈ 2.04.
    await setPrice(devnet.rpcUrl, devnet.deployment, "WETH", "3000");
    await setPrice(devnet.rpcUrl, devnet.deployment, "WBTC", "60000");
    const [, versionBefore] = await policyOnChain();

    await page.goto(`/position/${owner}`);
    await expect(page.getByTestId("position")).toHaveAttribute("data-live", "true");
    await expect(page.getByTestId("protection-status")).toHaveText("Automatic protection: off");
    await connectDevnetWallet(page, OWNER_INDEX);
    const panel = page.getByTestId("protection-panel");
    await expect(panel.getByTestId("protection-current")).toContainText("Off.");
    // The defaults: trigger 1.10, target 1.25, the market's lowest soft bonus (0.3%), 25% per execution.
    await expect(panel.getByTestId("protection-trigger")).toHaveValue("1.10");
    await expect(panel.getByTestId("protection-target")).toHaveValue("1.25");
    await expect(panel.getByTestId("protection-bonus")).toHaveValue("0.3");
    await expect(panel.getByTestId("protection-share")).toHaveValue("25");
    await expect(panel.getByTestId("protection-rule")).toHaveText(
      "If health falls below 1.10, anyone may repay up to 25% of your debt at a time for your collateral at a 0.3% bonus, until health is back at 1.25. It never runs in the hard zone and never lowers your health.",
    );

    // What the market would refuse is refused here, each with its message, and nothing is sent.
    const nonce = await chain.nonce(owner);
    const error = panel.getByTestId("protection-error");
    const submit = panel.getByTestId("protection-submit");
    await panel.getByTestId("protection-target").fill("1,05");
    await expect(error).toHaveText("The target health (1.05) must be above the trigger (1.10): each execution brings health back up towards it.");
    await expect(panel.getByTestId("protection-target")).toHaveAttribute("aria-invalid", "true");
    await expect(submit).toBeDisabled();
    await panel.getByTestId("protection-target").fill("1.25");
    await panel.getByTestId("protection-trigger").fill("1");
    await expect(error).toContainText("The trigger health must be above 1");
    await panel.getByTestId("protection-trigger").fill("1.1000001");
    await expect(error).toHaveText("The trigger health takes at most 6 decimals: the market stores whole millionths.");
    await panel.getByTestId("protection-trigger").fill("1.10");
    await panel.getByTestId("protection-bonus").fill("0,5");
    await expect(error).toHaveText("The bonus may be at most 0.3%, the lowest bonus a soft slice pays on this market.");
    await panel.getByTestId("protection-share").fill("0");
    await expect(error).toHaveText("The bonus may be at most 0.3%, the lowest bonus a soft slice pays on this market.");
    await panel.getByTestId("protection-bonus").fill("0.3");
    await expect(error).toHaveText("The share of the debt per execution must be above 0% and at most 100%.");
    await snap(page, testInfo, "protection-refused");
    expect(await chain.nonce(owner)).toBe(nonce);

    // Trigger 1.5 → target 1.75, typed with decimal commas; the preview says what one execution would do at the trigger.
    await panel.getByTestId("protection-trigger").fill("1,5");
    await panel.getByTestId("protection-target").fill("1,75");
    await panel.getByTestId("protection-share").fill("25");
    await expect(error).toBeHidden();
    await expect(panel.getByTestId("protection-rule")).toHaveText(/^If health falls below 1\.50, anyone may repay up to 25% of your debt .* until health is back at 1\.75\./);
    await expect(panel.getByTestId("protection-at-trigger")).toHaveText(
      /^If WETH and WBTC together fell [\d.]+%, health would reach the trigger; one execution would repay [\d,.]+ USDC for [\d.]+ (WETH|WBTC) \(\$[\d,.]+\): a \$[\d,.]+ bonus, and health 1\.4\d\d → 1\.[5-7]\d\d\.$/,
    );
    await expect(panel.getByTestId("protection-decline")).toHaveText(/without protection, .* with it, \d+ executions? .*would sell \$[\d,]+ for \$[\d,]+ paid above the debt repaid\.$/);
    await expect(submit).toHaveText("Turn on protection");
    await snap(page, testInfo, "protection-preview");
    await submit.click();

    // On the chain: exactly the policy typed, under a new version.
    const on = { triggerHealth: ppm(1_500_000), targetHealth: ppm(1_750_000), maxBonus: ppm(3_000), maxShare: ppm(250_000) };
    await expect.poll(async () => (await policyOnChain())[1], { timeout: 60_000 }).toBe(versionBefore + 1n);
    expect((await policyOnChain())[0]).toEqual(on);

    // On the page: the summary, the panel (which starts again from what is in force) and the band chart's series.
    const summaryLine = "Automatic protection: on — below 1.50 → back to 1.75, 0.3% bonus, at most 25% of the debt per execution.";
    await expect(page.getByTestId("protection-status")).toHaveText(summaryLine, { timeout: 30_000 });
    await expect(panel.getByTestId("protection-current")).toHaveText("On: below 1.50 → back to 1.75, 0.3% bonus, at most 25% of the debt per execution.");
    await expect(panel.getByTestId("protection-trigger")).toHaveValue("1.5");
    await expect(panel.getByTestId("protection-unchanged")).toBeVisible();
    await expect(submit).toBeDisabled();
    // The history, read from the watcher, shows the policy being turned on.
    await expect(page.getByTestId("history").locator('[data-testid^="history-protection-"]').first()).toContainText("turned on", { timeout: 30_000 });
    await revealCharts(page);
    await expect(page.getByTestId("band-chart")).toHaveAttribute("data-protected-sold", /^[1-9]\d*$/);
    await expect(page.getByTestId("protected-totals")).toContainText(/sells \$[\d,]+ in \d+ executions/);
    await expectAxeClean(page, "owner's position page with automatic protection on");
    await snap(page, testInfo, "protection-on");

    // The share page, for a visitor without a wallet, says so too.
    const visitor = await browser.newContext({ baseURL });
    try {
      const shared = await visitor.newPage();
      await shared.goto(`/position/${owner}`);
      await expect(shared.getByTestId("protection-status")).toHaveText(summaryLine);
      await expect(shared.getByTestId("protection-status")).toHaveAttribute("data-on", "true");
    } finally {
      await visitor.close();
    }

    // Turned off: all zeros, a new version; the page says off again and the form is back to the defaults.
    await panel.getByTestId("protection-revoke").click();
    await expect.poll(async () => (await policyOnChain())[1], { timeout: 60_000 }).toBe(versionBefore + 2n);
    expect((await policyOnChain())[0]).toEqual({ triggerHealth: 0n, targetHealth: 0n, maxBonus: 0n, maxShare: 0n });
    await expect(page.getByTestId("protection-status")).toHaveText("Automatic protection: off", { timeout: 30_000 });
    await expect(panel.getByTestId("protection-current")).toContainText("Off.");
    await expect(panel.getByTestId("protection-trigger")).toHaveValue("1.10");
    await expect(panel.getByTestId("protection-revoke")).toHaveCount(0);
    await expect(page.getByTestId("band-chart")).toHaveAttribute("data-protected-sold", "");
    await snap(page, testInfo, "protection-off");
  } finally {
    await chain.revert(snapshot);
  }
});
