/**
 * Helpers for the borrower-actions specs: the devnet wallet as a person connects it, screenshots at desktop and
 * phone width, direct chain reads to check what the page claims, and the real keeper run in-process.
 */
import AxeBuilder from "@axe-core/playwright";
import { expect, type Page, type TestInfo } from "@playwright/test";
import pino from "pino";
import { parseUnits, type Address } from "viem";
import { createKeeper, type Keeper } from "../keeper";
import { mockAggregatorAbi, mockErc20Abi, softLandingMarketAbi } from "../lib/chain/abis";
import type { Deployment } from "../lib/chain/deployment";
import { ANVIL_ACCOUNTS } from "../lib/chain/devnet";
import { devnetClients, type E2EState } from "../lib/devnet/app-devnet";
import { sendAndWait } from "../lib/devnet/chain-ops";

export const DESKTOP = { width: 1280, height: 900 };
export const PHONE = { width: 390, height: 844 };

/** Opens the header's wallet menu and connects the built-in devnet wallet with anvil account `index`. */
export async function connectDevnetWallet(page: Page, index: number) {
  await page.getByTestId("connect-button").click();
  await page.getByTestId("devnet-account-select").selectOption(String(index));
  await page.getByTestId("connect-devnet").click();
  await expect(page.getByTestId("connected-address")).toHaveAttribute("data-address", ANVIL_ACCOUNTS[index]!.address);
}

/** Full-page screenshots of the current step at desktop and 390 px width, kept with the test's artifacts. */
export async function snap(page: Page, testInfo: TestInfo, name: string) {
  for (const [label, size] of [
    ["desktop", DESKTOP],
    ["390px", PHONE],
  ] as const) {
    await page.setViewportSize(size);
    // Let the layout settle at the new width before the picture.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const path = testInfo.outputPath(`${name}-${label}.png`);
    await page.screenshot({ path, fullPage: true });
    await testInfo.attach(`${name}-${label}`, { path, contentType: "image/png" });
  }
  await page.setViewportSize(DESKTOP);
}

/** Reads and test-side transactions against the e2e devnet (the guardian and feeds are anvil account 0's). */
export function chainOf(state: E2EState) {
  const clients = devnetClients(state.rpcUrl);
  const { publicClient } = clients;
  const d: Deployment = state.deployment;
  const operator = clients.wallet(ANVIL_ACCOUNTS[0]!.privateKey);

  return {
    publicClient,
    async account(address: Address) {
      const [scaledDebt, flaggedAt, lastSliceAt] = await publicClient.readContract({
        address: d.market,
        abi: softLandingMarketAbi,
        functionName: "accounts",
        args: [address],
      });
      const debt = await publicClient.readContract({ address: d.market, abi: softLandingMarketAbi, functionName: "debtOf", args: [address] });
      return { scaledDebt, debt, flaggedAt: BigInt(flaggedAt), lastSliceAt: BigInt(lastSliceAt) };
    },
    collateralOf(address: Address, symbol: string) {
      return publicClient.readContract({
        address: d.market,
        abi: softLandingMarketAbi,
        functionName: "collateralOf",
        args: [address, d.tokens[symbol]!],
      });
    },
    nonce(address: Address) {
      return publicClient.getTransactionCount({ address });
    },
    setMarketPause(borrowPaused: boolean, withdrawPaused: boolean) {
      return sendAndWait(clients, operator, { address: d.market, abi: softLandingMarketAbi, functionName: "setMarketPause", args: [borrowPaused, withdrawPaused] });
    },
    /** Re-publishes a feed's answer as of two hours ago: older than the 1 h heartbeat, so the oracle calls it stale. */
    async makeStale(symbol: string) {
      const feed = d.feeds[symbol]!;
      const answer = await publicClient.readContract({ address: feed, abi: mockAggregatorAbi, functionName: "latestAnswer" });
      const block = await publicClient.getBlock();
      await sendAndWait(clients, operator, { address: feed, abi: mockAggregatorAbi, functionName: "setAnswerAt", args: [answer, block.timestamp - 7200n] });
    },
    refreshFeed(symbol: string) {
      return sendAndWait(clients, operator, { address: d.feeds[symbol]!, abi: mockAggregatorAbi, functionName: "refresh", args: [] });
    },
    snapshot(): Promise<`0x${string}`> {
      return publicClient.request({ method: "evm_snapshot" as never, params: [] as never });
    },
    async revert(id: `0x${string}`) {
      await publicClient.request({ method: "evm_revert" as never, params: [id] as never });
    },
    /** Gives the keeper account loan asset to repay slices with (the keeper approves the market itself). */
    async fundKeeper() {
      const keeper = ANVIL_ACCOUNTS[2]!;
      await sendAndWait(clients, operator, {
        address: d.tokens.USDC!,
        abi: mockErc20Abi,
        functionName: "mint",
        args: [keeper.address, parseUnits("1000000", 6)],
      });
    },
  };
}

/** The real keeper (keeper/keeper.ts), in this process, watching the e2e devnet with anvil account 2. */
export async function startKeeper(state: E2EState): Promise<Keeper> {
  const keeper = createKeeper({
    rpcUrl: state.rpcUrl,
    chainId: 31337,
    deployment: state.deployment,
    privateKey: ANVIL_ACCOUNTS[2]!.privateKey,
    pollIntervalMs: 250,
    logger: pino({ level: "warn" }),
  });
  await keeper.start();
  return keeper;
}

/**
 * The position page draws its charts as they come near the screen (components/position/WhenVisible): scroll past
 * each section in turn, as a reader would, then back to the top.
 */
export async function revealCharts(page: Page) {
  for (const [heading, section] of [
    ["bands-heading", "band-exposure"],
    ["shock-heading", "shock"],
    ["forecast-heading", "forecast"],
  ] as const) {
    // by id in the page: the placeholder's heading is swapped for the section's as it comes into view
    await page.evaluate((id) => document.getElementById(id)?.scrollIntoView({ block: "center" }), heading);
    await expect(page.getByTestId(section)).toBeAttached();
  }
  await page.evaluate(() => window.scrollTo(0, 0));
}

/** No serious or critical accessibility violation (axe) on the page as it stands, in light and dark themes. */
export async function expectAxeClean(page: Page, where: string) {
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    const results = await new AxeBuilder({ page }).analyze();
    const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`), `${where}, ${scheme}`).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: null });
}
