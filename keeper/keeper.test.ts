/**
 * The keeper against real contracts on a real anvil, under the devnet rules (docs/liquidation.md): flag → grace →
 * recovery → a new flag and a full new grace → a slice; below the grace floor a slice at once; slices of a position
 * that stays in SOFT spaced by interval(HF); a "just enough" hard liquidation; and an anvil restart underneath it.
 */
import { rmSync } from "node:fs";
import path from "node:path";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseUnits, type Address } from "viem";
import { mockErc20Abi, softLandingMarketAbi } from "../lib/chain/abis";
import { WAD, depth, intervalAtDepth, shareAtDepth } from "../lib/risk";
import type { Deployment } from "../lib/chain/deployment";
import { ANVIL_ACCOUNTS } from "../lib/chain/devnet";
import { ROOT, deployMarket, startAnvil, type AnvilHandle } from "../lib/devnet/anvil";
import {
  advanceTime,
  connect,
  liquidationState as liquidationClock,
  marketEvents,
  mintAndDeposit,
  parseFeedPrice,
  sendAndWait,
  setFeedPrice,
  tokenAddress,
  waitFor,
  type ChainClients,
} from "../lib/devnet/chain-ops";
import { createKeeper, type Keeper } from "./keeper";

const KEEPER = ANVIL_ACCOUNTS[2]!;
const SOFT_BORROWER = ANVIL_ACCOUNTS[4]!;
const HARD_BORROWER = ANVIL_ACCOUNTS[5]!;
const LATE_BORROWER = ANVIL_ACCOUNTS[6]!;
const DEEP_BORROWER = ANVIL_ACCOUNTS[7]!;
const FALLING_BORROWER = ANVIL_ACCOUNTS[8]!;
// DevnetConfig.softRiskParams()
const GRACE = 600n;
const INTERVAL = 300n;
const HARD_HEALTH = parseUnits("0.88", 18);
const SLICE_CAP = parseUnits("0.1", 18);
const TARGET = parseUnits("1.02", 18);
const TARGET_ROUNDING = parseUnits("0.0001", 18);

let anvil: AnvilHandle;
let clients: ChainClients;
let deployment: Deployment;
let keeper: Keeper;
let port: number;
const stateFile = path.join(ROOT, `deployments/.local/keeper-test-state-${process.pid}.json`);
const checkpointFile = path.join(ROOT, `deployments/.local/keeper-test-checkpoint-${process.pid}.json`);

const usdc = (n: string) => parseUnits(n, 6);

async function openPosition(index: number, collateral: Record<string, bigint>, borrow: bigint) {
  const wallet = clients.wallet(ANVIL_ACCOUNTS[index]!.privateKey);
  for (const [asset, amount] of Object.entries(collateral)) await mintAndDeposit(clients, wallet, deployment, asset, amount);
  await sendAndWait(clients, wallet, {
    address: deployment.market,
    abi: softLandingMarketAbi,
    functionName: "borrow",
    args: [borrow, wallet.account.address, wallet.account.address],
  });
}

const driver = () => clients.wallet(ANVIL_ACCOUNTS[0]!.privateKey);
const setPrice = (asset: string, usd: string) => setFeedPrice(clients, driver(), deployment, asset, parseFeedPrice(usd));

async function liquidations(account: Address) {
  const events = await marketEvents(clients, deployment, "Liquidated", { account });
  return Promise.all(
    events.map(async (e) => ({
      ...e.args,
      blockNumber: e.blockNumber,
      transactionHash: e.transactionHash,
      timestamp: (await clients.publicClient.getBlock({ blockNumber: e.blockNumber })).timestamp,
    })),
  );
}

async function flagEvents(eventName: "Flagged" | "Unflagged", account: Address) {
  const events = await marketEvents(clients, deployment, eventName, { account });
  return events.map((e) => ({ ...e.args, transactionHash: e.transactionHash }));
}

/** The keeper's actions as the chain records them: its flags and unflags outside liquidations, its slices by zone. */
async function actionsOnChain(keeperAddress: Address) {
  const [flagged, unflagged, liquidated, deleveraged] = await Promise.all([
    marketEvents(clients, deployment, "Flagged", { caller: keeperAddress }),
    marketEvents(clients, deployment, "Unflagged", { caller: keeperAddress }),
    marketEvents(clients, deployment, "Liquidated", { liquidator: keeperAddress }),
    marketEvents(clients, deployment, "Deleveraged", { executor: keeperAddress }),
  ]);
  // A liquidation flags (below the grace floor) or unflags (back to health 1) by itself: that is one action, not two.
  const liquidationTxs = new Set(liquidated.map((e) => e.transactionHash));
  return {
    flag: flagged.filter((e) => !liquidationTxs.has(e.transactionHash)).length,
    unflag: unflagged.filter((e) => !liquidationTxs.has(e.transactionHash)).length,
    softSlice: liquidated.filter((e) => e.args.zone === 1).length,
    hardLiquidation: liquidated.filter((e) => e.args.zone === 2).length,
    deleverage: deleveraged.length,
  };
}

async function debtAt(account: Address, blockNumber: bigint) {
  return clients.publicClient.readContract({
    address: deployment.market,
    abi: softLandingMarketAbi,
    functionName: "debtOf",
    args: [account],
    blockNumber,
  });
}

/** What a soft slice may repay at most at health `hf` (docs/liquidation.md R2: share(HF) of the debt). */
const shareOf = (hf: bigint) => shareAtDepth(depth(hf, HARD_HEALTH), SLICE_CAP);

const liquidationState = (account: Address) => liquidationClock(clients, deployment, account);

/** Waits until the keeper has read the current head and has nothing in flight: it has had its chance to act. */
async function keeperCaughtUp() {
  const head = await clients.publicClient.getBlockNumber();
  await waitFor(`the keeper to read block ${head}`, async () => {
    const s = keeper.status();
    return s.lastBlock !== null && BigInt(s.lastBlock) >= head && s.inFlight.length === 0 ? true : undefined;
  });
}

async function advanceTo(timestamp: bigint) {
  const now = (await clients.publicClient.getBlock()).timestamp;
  await advanceTime(clients, driver(), deployment, Number(timestamp > now ? timestamp - now : 0n));
}

beforeAll(async () => {
  rmSync(stateFile, { force: true });
  rmSync(checkpointFile, { force: true });
  anvil = await startAnvil({ args: ["--state", stateFile] });
  port = anvil.port;
  deployment = await deployMarket({ rpcUrl: anvil.rpcUrl, deploymentFile: `deployments/.local/keeper-test-${process.pid}.json` });
  clients = await connect(anvil.rpcUrl, { pollingInterval: 50 });

  const lender = clients.wallet(ANVIL_ACCOUNTS[1]!.privateKey);
  const loan = tokenAddress(deployment, "USDC");
  await sendAndWait(clients, lender, { address: loan, abi: mockErc20Abi, functionName: "mint", args: [lender.account.address, usdc("1000000")] });
  await sendAndWait(clients, lender, { address: loan, abi: mockErc20Abi, functionName: "approve", args: [deployment.market, usdc("1000000")] });
  await sendAndWait(clients, lender, {
    address: deployment.market,
    abi: softLandingMarketAbi,
    functionName: "deposit",
    args: [usdc("1000000"), lender.account.address],
  });
  await sendAndWait(clients, driver(), { address: loan, abi: mockErc20Abi, functionName: "mint", args: [KEEPER.address, usdc("1000000")] });

  // WETH at 3000: HF 1.149. WBTC at 60000: HF 1.114. wstETH at 3500: HF 1.077.
  await openPosition(4, { WETH: parseUnits("10", 18) }, usdc("22200"));
  await openPosition(5, { WBTC: parseUnits("0.5", 8) }, usdc("21000"));
  await openPosition(7, { wstETH: parseUnits("10", 18) }, usdc("26000"));

  keeper = createKeeper({
    rpcUrl: anvil.rpcUrl,
    chainId: 31337,
    deployment,
    privateKey: KEEPER.privateKey,
    pollIntervalMs: 100,
    maxBackoffMs: 500,
    statusPort: 0,
    checkpointFile,
    logger: pino({ level: "silent" }),
  });
  await keeper.start();
});

afterAll(async () => {
  await keeper?.stop();
  await anvil?.stop();
  rmSync(stateFile, { force: true });
  rmSync(checkpointFile, { force: true });
  rmSync(path.join(ROOT, `deployments/.local/keeper-test-${process.pid}.json`), { force: true });
});

describe("keeper on anvil", () => {
  it("flags a SOFT account above the grace floor, unflags it on recovery, and slices it only after a new flag's full grace period", async () => {
    await setPrice("WETH", "2580"); // HF 0.988: SOFT, above the grace floor (0.97)
    const { flaggedAt: firstFlag } = await waitFor("the flag", async () => {
      const s = await liquidationState(SOFT_BORROWER.address);
      return s.flaggedAt !== 0n ? s : undefined;
    });

    // Half-way through the grace period, and a few more blocks: no slice.
    await advanceTo(firstFlag + GRACE / 2n);
    await advanceTime(clients, driver(), deployment, 1);
    await keeperCaughtUp();
    expect(await liquidations(SOFT_BORROWER.address)).toHaveLength(0);

    // The price recovers: the keeper clears the flag.
    await setPrice("WETH", "3000");
    await waitFor("the unflag", async () => ((await liquidationState(SOFT_BORROWER.address)).flaggedAt === 0n ? true : undefined));
    expect((await flagEvents("Unflagged", SOFT_BORROWER.address)).map((e) => e.caller)).toEqual([KEEPER.address]);

    // It dips again: a new flag, and a full new grace period (the first one would have ended by now).
    await setPrice("WETH", "2580");
    const { flaggedAt } = await waitFor("the second flag", async () => {
      const s = await liquidationState(SOFT_BORROWER.address);
      return s.flaggedAt !== 0n ? s : undefined;
    });
    expect(flaggedAt).toBeGreaterThan(firstFlag + 5n);
    await advanceTo(firstFlag + GRACE);
    await advanceTo(flaggedAt + GRACE - 5n);
    await keeperCaughtUp();
    expect(await liquidations(SOFT_BORROWER.address)).toHaveLength(0);

    // Grace over: exactly one soft slice, capped at share(HF) of the debt.
    await advanceTo(flaggedAt + GRACE);
    const [slice] = await waitFor("the slice", async () => {
      const l = await liquidations(SOFT_BORROWER.address);
      return l.length > 0 ? l : undefined;
    });
    expect(slice!.zone).toBe(1);
    expect(slice!.timestamp).toBeGreaterThanOrEqual(flaggedAt + GRACE);
    const debtBefore = await debtAt(SOFT_BORROWER.address, slice!.blockNumber - 1n);
    // share(HF) of the debt (plus the interest of the seconds between the two blocks): 10% at HF 1, more deeper.
    const share = shareOf(slice!.healthBefore!);
    expect(share).toBeGreaterThan(SLICE_CAP);
    expect(slice!.repaid).toBeLessThanOrEqual((debtBefore * share) / WAD + debtBefore / 100_000n);
    // One slice of a single-collateral account restores HF >= 1 (at most the target), which clears the flag itself.
    expect(slice!.healthAfter).toBeGreaterThan(WAD);
    expect(slice!.healthAfter).toBeLessThan(TARGET + TARGET_ROUNDING);
    expect((await liquidationState(SOFT_BORROWER.address)).flaggedAt).toBe(0n);

    await setPrice("WETH", "3000");
    await keeperCaughtUp();
    expect(await liquidations(SOFT_BORROWER.address)).toHaveLength(1);
    expect(keeper.status().actions).toMatchObject({ flag: 2, softSlice: 1, unflag: 1 });
  });

  it("slices an unflagged account below the grace floor at once: one liquidate that flags it, no separate flag", async () => {
    const flagsBefore = keeper.status().actions.flag;
    await setPrice("wstETH", "3000"); // HF 0.923: SOFT, below the grace floor (0.97)
    const [slice] = await waitFor("the slice", async () => {
      const l = await liquidations(DEEP_BORROWER.address);
      return l.length > 0 ? l : undefined;
    });
    expect(slice!.zone).toBe(1);
    expect(slice!.liquidator).toBe(KEEPER.address);
    expect(slice!.healthBefore).toBeLessThan(parseUnits("0.97", 18));
    // The flag was set by that same transaction (then cleared by it, since the slice restored HF >= 1).
    const flags = await flagEvents("Flagged", DEEP_BORROWER.address);
    expect(flags).toHaveLength(1);
    expect(flags[0]!.transactionHash).toBe(slice!.transactionHash);
    expect(flags[0]!.caller).toBe(KEEPER.address);
    expect(slice!.healthAfter).toBeGreaterThan(WAD);
    expect((await liquidationState(DEEP_BORROWER.address)).flaggedAt).toBe(0n);
    await keeperCaughtUp();
    expect(keeper.status().actions.flag).toBe(flagsBefore);
    expect(keeper.status().actions.softSlice).toBe(2);

    await setPrice("wstETH", "3500");
  });

  it("hard-liquidates an account that falls below hardHealth, without a flag or grace period, by just enough", async () => {
    await setPrice("WBTC", "46000"); // HF 0.854 < 0.88: HARD
    const [hard] = await waitFor("the hard liquidation", async () => {
      const l = await liquidations(HARD_BORROWER.address);
      return l.length > 0 ? l : undefined;
    });
    expect(hard!.zone).toBe(2);
    // The largest bonus that still raises health through WBTC (LT 0.78) is above 8%: capped at hardBonus.
    expect(hard!.bonus).toBe(parseUnits("0.08", 18));
    expect(hard!.liquidator).toBe(KEEPER.address);
    expect(hard!.healthBefore).toBeLessThan(HARD_HEALTH);
    // Just enough: the repay restores the target health (to the rounding of 6-decimal amounts), not a fixed share of
    // the debt.
    expect(hard!.healthAfter).toBeGreaterThan(TARGET - TARGET_ROUNDING);
    expect(hard!.healthAfter).toBeLessThan(TARGET + TARGET_ROUNDING);
    const debt = await clients.publicClient.readContract({
      address: deployment.market,
      abi: softLandingMarketAbi,
      functionName: "debtOf",
      args: [HARD_BORROWER.address],
    });
    expect(debt).toBeGreaterThan(0n);
    expect(hard!.repaid).toBeLessThan(usdc("21000"));
    expect((await flagEvents("Flagged", HARD_BORROWER.address))).toHaveLength(0);
    await keeperCaughtUp();
    expect(keeper.status().actions.hardLiquidation).toBe(1);

    await setPrice("WBTC", "60000");
  });

  it("slices an account that stays in SOFT once per interval(HF), shorter than the interval at HF 1, until it recovers", async () => {
    // 4 WETH + 0.2 WBTC, 18100 borrowed: HF 1.081 at 3000 / 60000. At 2600 / 48000 (both in one step), HF 0.902:
    // the first slice takes all the WETH (the largest collateral, and the binding cap) and leaves HF ~0.95, still
    // SOFT and flagged; the next one waits interval(HF) and restores the target through WBTC.
    const softSlicesBefore = keeper.status().actions.softSlice;
    // This scenario's starting prices, whatever an earlier scenario left behind.
    await advanceTime(clients, driver(), deployment, 0, { WETH: parseFeedPrice("3000"), WBTC: parseFeedPrice("60000") });
    await openPosition(8, { WETH: parseUnits("4", 18), WBTC: parseUnits("0.2", 8) }, usdc("18100"));
    await advanceTime(clients, driver(), deployment, 0, { WETH: parseFeedPrice("2600"), WBTC: parseFeedPrice("48000") });
    const [first] = await waitFor("the first slice", async () => {
      const l = await liquidations(FALLING_BORROWER.address);
      return l.length > 0 ? l : undefined;
    });
    expect(first!.zone).toBe(1);
    expect(first!.collateral).toBe(tokenAddress(deployment, "WETH"));
    expect(first!.healthAfter).toBeLessThan(WAD);
    expect(first!.healthAfter).toBeGreaterThan(first!.healthBefore!);
    const state = await liquidationState(FALLING_BORROWER.address);
    expect(state.flaggedAt).toBe(first!.timestamp); // flagged by the slice itself (below the grace floor)
    expect(state.lastSliceAt).toBe(first!.timestamp);

    // The spacing shrinks with depth: interval(HF after the slice) < 300 s.
    const preview = await clients.publicClient.readContract({
      address: deployment.market,
      abi: softLandingMarketAbi,
      functionName: "previewLiquidation",
      args: [FALLING_BORROWER.address, tokenAddress(deployment, "WBTC")],
    });
    const interval = preview.allowedAt - first!.timestamp;
    expect(interval).toBeLessThan(INTERVAL);
    expect(interval).toBeGreaterThan(0n);
    // (read a few seconds later: interest may have deepened it by a rounding step)
    const expected = intervalAtDepth(depth(first!.healthAfter!, HARD_HEALTH), Number(INTERVAL));
    expect(expected - interval).toBeGreaterThanOrEqual(0n);
    expect(expected - interval).toBeLessThanOrEqual(1n);

    // Inside the interval: still one slice, however many blocks pass.
    await advanceTo(first!.timestamp + interval / 2n);
    await advanceTime(clients, driver(), deployment, 1);
    await advanceTo(first!.timestamp + interval - 5n);
    await keeperCaughtUp();
    expect(await liquidations(FALLING_BORROWER.address)).toHaveLength(1);

    // Interval over: the second slice, no earlier than lastSliceAt + interval(HF), and it restores HF >= 1.
    await advanceTo(first!.timestamp + interval);
    const slices = await waitFor("the second slice", async () => {
      const l = await liquidations(FALLING_BORROWER.address);
      return l.length > 1 ? l : undefined;
    });
    expect(slices).toHaveLength(2);
    expect(slices[1]!.timestamp - slices[0]!.timestamp).toBeGreaterThanOrEqual(interval);
    expect(slices[1]!.collateral).toBe(tokenAddress(deployment, "WBTC"));
    expect(slices[1]!.healthAfter).toBeGreaterThan(WAD);
    expect((await liquidationState(FALLING_BORROWER.address)).flaggedAt).toBe(0n);
    await keeperCaughtUp();
    expect(keeper.status().actions.softSlice - softSlicesBefore).toBe(2);

    await advanceTime(clients, driver(), deployment, 0, { WETH: parseFeedPrice("3000"), WBTC: parseFeedPrice("60000") });
  });

  it("survives anvil being killed and restarted on the same port, then keeps acting", async () => {
    await keeperCaughtUp();
    const before = (await clients.publicClient.getBlock()).timestamp;
    await anvil.stop(); // anvil writes --state on shutdown

    await waitFor("the keeper to notice the outage", async () => (keeper.status().rpc.consecutiveFailures >= 2 ? true : undefined));
    expect(keeper.status().running).toBe(true);

    anvil = await startAnvil({ port, args: ["--state", stateFile] });
    // anvil restarts its clock from the wall clock; put it back after the last block so feeds are not "from the future".
    await clients.publicClient.request({ method: "evm_setNextBlockTimestamp" as never, params: [Number(before + 1n)] as never });
    await advanceTime(clients, driver(), deployment, 0);

    await waitFor("the keeper to reconnect", async () => (keeper.status().rpc.connected && keeper.status().rpc.reconnects >= 1 ? true : undefined));
    expect(keeper.status().errors.count).toBeGreaterThan(0);
    expect(keeper.status().chainResets).toBe(0); // same history: it resumed rather than starting over

    // A borrower who appears after the restart is discovered and flagged when it falls into SOFT above the floor.
    await setPrice("wstETH", "3500"); // this scenario's starting price, whatever the chain last published
    await openPosition(6, { wstETH: parseUnits("10", 18) }, usdc("26000")); // HF 1.077 at 3500
    await setPrice("wstETH", "3200"); // HF 0.985
    await waitFor("the flag after the restart", async () => ((await liquidationState(LATE_BORROWER.address)).flaggedAt !== 0n ? true : undefined));
    await keeperCaughtUp();
    expect(keeper.accounts).toContain(LATE_BORROWER.address);
    expect((await flagEvents("Flagged", LATE_BORROWER.address)).map((e) => e.caller)).toEqual([KEEPER.address]);
  });

  it("serves its status as JSON over HTTP", async () => {
    const res = await fetch(keeper.statusUrl!);
    expect(res.status).toBe(200);
    const body = (await res.json()) as ReturnType<Keeper["status"]>;
    expect(body.accountsWatched).toBe(keeper.accounts.length);
    // What it says it did is what the chain says it did.
    expect(body.actions).toMatchObject(await actionsOnChain(KEEPER.address));
    expect(body.actions.flag + body.actions.softSlice + body.actions.hardLiquidation).toBeGreaterThan(0);
    expect(Number(body.lastBlock)).toBeGreaterThan(0);
    expect(Array.isArray(body.inFlight)).toBe(true);
    expect((await fetch(keeper.statusUrl!.replace("/status", "/nope"))).status).toBe(404);
  });
});
