/**
 * The keeper's steppable core (`step()`) on a real anvil that the test mines by hand, block by block, as the crash
 * replay does: one step reads, decides and sends; the next one reports the receipts. Slices land in the first block
 * where they are allowed (after the grace period above the grace floor, after interval(HF) between slices); a
 * transaction that reverts on-chain, or that the chain refuses at estimation, is reported and skipped while the
 * keeper carries on. Devnet rules: docs/liquidation.md.
 */
import { rmSync } from "node:fs";
import path from "node:path";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeFunctionData, parseUnits, type Address, type Hex } from "viem";
import { mockAggregatorAbi, mockErc20Abi, softLandingMarketAbi } from "../lib/chain/abis";
import type { Deployment } from "../lib/chain/deployment";
import { ANVIL_ACCOUNTS } from "../lib/chain/devnet";
import { ROOT, deployMarket, startAnvil, type AnvilHandle } from "../lib/devnet/anvil";
import { connect, liquidationState, marketEvents, mintAndDeposit, parseFeedPrice, sendAndWait, tokenAddress, type ChainClients } from "../lib/devnet/chain-ops";
import { createKeeper, type Keeper, type StepReport } from "./index";

const KEEPER = ANVIL_ACCOUNTS[2]!;
const ESTIMATING_KEEPER = ANVIL_ACCOUNTS[3]!;
const SOFT_BORROWER = ANVIL_ACCOUNTS[4]!;
const HARD_BORROWER = ANVIL_ACCOUNTS[5]!;
const TOPPING_UP_BORROWER = ANVIL_ACCOUNTS[6]!;
const DEEP_BORROWER = ANVIL_ACCOUNTS[7]!;
const POLICY_BORROWER = ANVIL_ACCOUNTS[8]!;
const DRIVER = ANVIL_ACCOUNTS[0]!;
const GRACE = 600n;
const INTERVAL = 300n;
const BLOCK = 12n;

let anvil: AnvilHandle;
let clients: ChainClients;
let deployment: Deployment;
let keeper: Keeper;
const deploymentFile = `deployments/.local/keeper-step-test-${process.pid}.json`;
const usdc = (n: string) => parseUnits(n, 6);
const rpc = (method: string, params: unknown[] = []) => clients.publicClient.request({ method: method as never, params: params as never });
const latest = async () => (await clients.publicClient.getBlock()).timestamp;

async function openPosition(index: number, collateral: Record<string, bigint>, borrow: bigint) {
  const wallet = clients.wallet(ANVIL_ACCOUNTS[index]!.privateKey);
  const me = wallet.account.address;
  for (const [asset, amount] of Object.entries(collateral)) await mintAndDeposit(clients, wallet, deployment, asset, amount);
  await sendAndWait(clients, wallet, { address: deployment.market, abi: softLandingMarketAbi, functionName: "borrow", args: [borrow, me, me] });
}

/** Queues a transaction without mining it (automine is off once the positions are open). */
async function queue(from: (typeof ANVIL_ACCOUNTS)[number], to: Address, data: Hex): Promise<Hex> {
  return (await rpc("eth_sendTransaction", [{ from: from.address, to, data, gas: "0x200000" }])) as Hex;
}

/** Mines the queued transactions into one block at `timestamp`. */
async function mine(timestamp: bigint) {
  await rpc("evm_mine", [Number(timestamp)]);
}

/** Publishes prices (and refreshes every other feed) in one block at `timestamp`. */
async function setPricesAt(timestamp: bigint, prices: Record<string, string>) {
  for (const [symbol, feed] of Object.entries(deployment.feeds)) {
    const data =
      prices[symbol] !== undefined
        ? encodeFunctionData({ abi: mockAggregatorAbi, functionName: "setAnswer", args: [parseFeedPrice(prices[symbol]!)] })
        : encodeFunctionData({ abi: mockAggregatorAbi, functionName: "refresh", args: [] });
    await queue(DRIVER, feed, data);
  }
  await mine(timestamp);
}

async function liquidations(account: Address) {
  const events = await marketEvents(clients, deployment, "Liquidated", { account });
  return Promise.all(
    events.map(async (e) => ({ ...e.args, timestamp: (await clients.publicClient.getBlock({ blockNumber: e.blockNumber })).timestamp })),
  );
}

/** When the market next allows a soft slice of `account` (0 when it needs a flag first). */
async function sliceAllowedAt(account: Address, asset: string) {
  const preview = await clients.publicClient.readContract({
    address: deployment.market,
    abi: softLandingMarketAbi,
    functionName: "previewLiquidation",
    args: [account, tokenAddress(deployment, asset)],
  });
  return preview.allowedAt;
}

const flaggedAt = async (account: Address) => (await liquidationState(clients, deployment, account)).flaggedAt;

/** Below 1.20, back to at most 1.30, a 0.3% bonus, a quarter of the debt per execution. */
const POLICY = { triggerHealth: parseUnits("1.2", 18), targetHealth: parseUnits("1.3", 18), maxBonus: parseUnits("0.003", 18), maxShare: parseUnits("0.25", 18) };

async function deleveraged(account: Address) {
  return (await marketEvents(clients, deployment, "Deleveraged", { account })).map((e) => e.args);
}

const kinds = (r: StepReport) => r.sent.map((s) => `${s.kind}:${s.account}`).sort();

beforeAll(async () => {
  anvil = await startAnvil({ args: ["--order", "fifo"] });
  deployment = await deployMarket({ rpcUrl: anvil.rpcUrl, deploymentFile });
  clients = await connect(anvil.rpcUrl, { pollingInterval: 50 });

  const lender = clients.wallet(ANVIL_ACCOUNTS[1]!.privateKey);
  const loan = tokenAddress(deployment, "USDC");
  await sendAndWait(clients, lender, { address: loan, abi: mockErc20Abi, functionName: "mint", args: [lender.account.address, usdc("1000000")] });
  await sendAndWait(clients, lender, { address: loan, abi: mockErc20Abi, functionName: "approve", args: [deployment.market, usdc("1000000")] });
  await sendAndWait(clients, lender, { address: deployment.market, abi: softLandingMarketAbi, functionName: "deposit", args: [usdc("1000000"), lender.account.address] });
  const driver = clients.wallet(DRIVER.privateKey);
  for (const k of [KEEPER, ESTIMATING_KEEPER]) {
    await sendAndWait(clients, driver, { address: loan, abi: mockErc20Abi, functionName: "mint", args: [k.address, usdc("1000000")] });
  }
  // The estimating keeper is approved up front: a live keeper waits for its approval to be mined, which a chain
  // mined by hand never does while it waits.
  await sendAndWait(clients, clients.wallet(ESTIMATING_KEEPER.privateKey), {
    address: loan,
    abi: mockErc20Abi,
    functionName: "approve",
    args: [deployment.market, 2n ** 256n - 1n],
  });

  await openPosition(4, { WETH: parseUnits("10", 18) }, usdc("22200")); // HF 1.149 at 3000
  await openPosition(5, { WBTC: parseUnits("0.5", 8) }, usdc("21000")); // HF 1.114 at 60000
  await openPosition(6, { wstETH: parseUnits("10", 18) }, usdc("26000")); // HF 1.077 at 3500
  await openPosition(7, { WETH: parseUnits("4", 18), WBTC: parseUnits("0.2", 8) }, usdc("17720")); // HF 1.104
  await openPosition(8, { wstETH: parseUnits("10", 18) }, usdc("20000")); // HF 1.4 at 3500
  await sendAndWait(clients, clients.wallet(POLICY_BORROWER.privateKey), {
    address: deployment.market,
    abi: softLandingMarketAbi,
    functionName: "setDeleveragePolicy",
    args: [POLICY_BORROWER.address, POLICY],
  });

  keeper = createKeeper({
    rpcUrl: anvil.rpcUrl,
    chainId: 31337,
    deployment,
    privateKey: KEEPER.privateKey,
    gasLimit: 1_500_000n,
    logger: pino({ level: "silent" }),
  });
  await rpc("evm_setAutomine", [false]);
});

afterAll(async () => {
  await anvil?.stop();
  rmSync(path.join(ROOT, deploymentFile), { force: true });
});

describe("keeper.step() on a chain mined by hand", () => {
  let flagBlockTime = 0n;
  let nextSliceAt = 0n;

  it("flags SOFT above the grace floor, slices SOFT below it without a flag, and hard-liquidates HARD in one step, then reports the receipts in the next", async () => {
    const t0 = (await latest()) + 60n;
    // WETH 2580, WBTC 46000: SOFT HF 0.988 (above the grace floor 0.97), SOFT HF 0.900 (below it), HARD HF 0.854.
    await setPricesAt(t0, { WETH: "2580", WBTC: "46000" });

    const first = await keeper.step({ landingTimestamp: t0 + BLOCK });
    expect(first.accounts).toBe(5); // the policy borrower (HF 1.4, wstETH untouched) has nothing to do yet
    expect(first.decidedAt).toBe(t0 + BLOCK);
    expect(kinds(first)).toEqual(
      [`flag:${SOFT_BORROWER.address}`, `softSlice:${DEEP_BORROWER.address}`, `hardLiquidation:${HARD_BORROWER.address}`].sort(),
    );
    expect(first.decisions).toMatchObject({ flag: 1, hardLiquidation: 1, softSlice: 1, unflag: 0 });
    const hard = first.sent.find((s) => s.kind === "hardLiquidation")!;
    expect(hard.collateral).toBe(tokenAddress(deployment, "WBTC"));
    expect(hard.bonus).toBe(parseUnits("0.08", 18));
    // the largest collateral first
    expect(first.sent.find((s) => s.kind === "softSlice")!.collateral).toBe(tokenAddress(deployment, "WETH"));
    expect(first.skipped).toEqual([]);
    expect(first.failed).toEqual([]);
    flagBlockTime = t0 + BLOCK;
    await mine(flagBlockTime);

    const [deepSlice] = await liquidations(DEEP_BORROWER.address);
    expect(deepSlice!.zone).toBe(1);
    // It took all the WETH and left the account in SOFT, flagged by the slice itself: the next one waits interval(HF).
    expect(deepSlice!.healthAfter).toBeLessThan(parseUnits("1", 18));
    expect(await flaggedAt(DEEP_BORROWER.address)).toBe(flagBlockTime);
    nextSliceAt = await sliceAllowedAt(DEEP_BORROWER.address, "WBTC");
    expect(nextSliceAt).toBeGreaterThan(flagBlockTime);
    expect(nextSliceAt).toBeLessThan(flagBlockTime + INTERVAL); // the spacing shrinks with depth

    const second = await keeper.step({ landingTimestamp: flagBlockTime + BLOCK });
    expect(second.settled.map((s) => `${s.kind}:${s.status}`).sort()).toEqual(["flag:success", "hardLiquidation:success", "softSlice:success"]);
    expect(second.settled.every((s) => s.gasUsed > 0n)).toBe(true);
    expect(second.sent).toEqual([]);
    expect(second.waiting).toBe(2); // the grace period of one, the slice interval of the other
    expect(second.nextWakeAt).toBe(nextSliceAt);
    expect(await flaggedAt(SOFT_BORROWER.address)).toBe(flagBlockTime);
    expect((await liquidations(HARD_BORROWER.address))[0]!.zone).toBe(2);
  });

  it("sends the next slice for the first block where interval(HF) allows it, not one earlier", async () => {
    const early = await keeper.step({ landingTimestamp: nextSliceAt - 1n });
    expect(early.sent).toEqual([]);
    expect(early.nextWakeAt).toBe(nextSliceAt);

    const onTime = await keeper.step({ landingTimestamp: nextSliceAt });
    expect(kinds(onTime)).toEqual([`softSlice:${DEEP_BORROWER.address}`]);
    await mine(nextSliceAt);
    const slices = await liquidations(DEEP_BORROWER.address);
    expect(slices).toHaveLength(2);
    expect(slices[1]!.timestamp).toBe(nextSliceAt);
    expect(slices[1]!.collateral).toBe(tokenAddress(deployment, "WBTC"));
    expect(slices[1]!.healthAfter).toBeGreaterThan(parseUnits("1", 18)); // back above 1: the slice cleared the flag
    expect(await flaggedAt(DEEP_BORROWER.address)).toBe(0n);

    const after = await keeper.step({ landingTimestamp: nextSliceAt + BLOCK });
    expect(after.settled.map((s) => `${s.kind}:${s.status}`)).toEqual(["softSlice:success"]);
    // the other account still waits for its grace period
    expect(after.waiting).toBe(1);
    expect(after.nextWakeAt).toBe(flagBlockTime + GRACE);
    expect(keeper.status().actions).toMatchObject({ flag: 1, hardLiquidation: 1, softSlice: 2 });
  });

  it("without a fixed gas limit, a decision the chain refuses at estimation is skipped and reported, nothing sent", async () => {
    const estimating = createKeeper({
      rpcUrl: anvil.rpcUrl,
      chainId: 31337,
      deployment,
      privateKey: ESTIMATING_KEEPER.privateKey,
      logger: pino({ level: "silent" }),
    });
    // Told its transaction lands when the grace period is over, it decides to slice; the estimate runs against the
    // latest block, still inside the grace period, and the market refuses.
    const report = await estimating.step({ landingTimestamp: flagBlockTime + GRACE });
    expect(report.decisions.softSlice).toBe(1);
    expect(report.sent).toEqual([]);
    expect(report.skipped).toHaveLength(1);
    expect(report.skipped[0]).toMatchObject({ account: SOFT_BORROWER.address, kind: "softSlice" });
    expect(report.skipped[0]!.reason).toMatch(/GracePeriodActive|reverted/);
    expect(estimating.status().skippedActions.softSlice).toBe(1);
    expect(await clients.publicClient.getTransactionCount({ address: ESTIMATING_KEEPER.address, blockTag: "pending" })).toBe(1); // its approval only
  });

  it("a transaction that reverts on-chain is reported in the next step, and the keeper carries on", async () => {
    const t = (await latest()) + 30n;
    await setPricesAt(t, { wstETH: "3200" }); // HF 0.985: SOFT, above the grace floor
    // The borrower repays in the same block, ahead of the keeper's flag (--order fifo): the flag then reverts.
    const loan = tokenAddress(deployment, "USDC");
    await queue(TOPPING_UP_BORROWER, loan, encodeFunctionData({ abi: mockErc20Abi, functionName: "approve", args: [deployment.market, usdc("5000")] }));
    await queue(
      TOPPING_UP_BORROWER,
      deployment.market,
      encodeFunctionData({ abi: softLandingMarketAbi, functionName: "repay", args: [usdc("5000"), TOPPING_UP_BORROWER.address] }),
    );
    const report = await keeper.step({ landingTimestamp: t + BLOCK });
    expect(kinds(report)).toContain(`flag:${TOPPING_UP_BORROWER.address}`);
    await mine(t + BLOCK);

    const next = await keeper.step({ landingTimestamp: t + 2n * BLOCK });
    const flag = next.settled.find((s) => s.account === TOPPING_UP_BORROWER.address)!;
    expect(flag).toMatchObject({ kind: "flag", status: "reverted" });
    expect(await flaggedAt(TOPPING_UP_BORROWER.address)).toBe(0n);
    expect(keeper.status().failedActions.flag).toBe(1);
    expect(keeper.status().errors.last).toMatch(/reverted/);
    // healthy again: nothing more to do for that account, and the keeper still keeps the others' clocks
    expect(next.sent.filter((s) => s.account === TOPPING_UP_BORROWER.address)).toEqual([]);
    expect(next.waiting).toBe(1);
    expect(next.nextWakeAt).toBe(flagBlockTime + GRACE);
  });

  it("sends the first slice for the first block where the grace period allows it, not one earlier", async () => {
    const graceEnd = flagBlockTime + GRACE;
    const early = await keeper.step({ landingTimestamp: graceEnd - 1n });
    expect(early.sent).toEqual([]);
    expect(early.nextWakeAt).toBe(graceEnd);

    const onTime = await keeper.step({ landingTimestamp: graceEnd });
    expect(kinds(onTime)).toEqual([`softSlice:${SOFT_BORROWER.address}`]);
    await mine(graceEnd);
    const [slice] = await liquidations(SOFT_BORROWER.address);
    expect(slice!.zone).toBe(1);
    expect(slice!.timestamp).toBe(graceEnd);
    expect(slice!.healthAfter).toBeGreaterThan(slice!.healthBefore!);

    const after = await keeper.step({ landingTimestamp: graceEnd + BLOCK });
    expect(after.settled.map((s) => `${s.kind}:${s.status}`)).toEqual(["softSlice:success"]);
    // one slice of a single-collateral account above the grace floor restores HF >= 1 and clears the flag
    expect(await flaggedAt(SOFT_BORROWER.address)).toBe(0n);
    expect(after.waiting).toBe(0);
    expect(after.nextWakeAt).toBeNull();
    expect(keeper.status().actions).toMatchObject({ flag: 1, hardLiquidation: 1, softSlice: 3 });
  });

  it("executes a borrower's deleverage policy below its trigger, and a policy changed while the execution was in flight makes it revert", async () => {
    const t = (await latest()) + 30n;
    await setPricesAt(t, { wstETH: "2900" }); // policy borrower: 23 200 / 20 000 = HF 1.16 < 1.20, healthy
    const report = await keeper.step({ landingTimestamp: t + BLOCK });
    expect(kinds(report)).toEqual([`deleverage:${POLICY_BORROWER.address}`]);
    const sent = report.sent[0]!;
    const sentRepay = sent.repay!;
    expect(sent.collateral).toBe(tokenAddress(deployment, "wstETH"));
    // a quarter of the debt (20 000 USDC and the interest of a few minutes)
    expect(sentRepay >= usdc("5000") && sentRepay < usdc("5000.01")).toBe(true);
    expect(sent.bonus).toBe(parseUnits("0.003", 18));
    await mine(t + BLOCK);
    const [first] = await deleveraged(POLICY_BORROWER.address);
    // the cap grows with the interest of the 12 s until the block: within the keeper's headroom
    expect(first!.repaid! >= sentRepay && first!.repaid! <= sent.maxRepay!).toBe(true);
    expect(first!.version).toBe(1n);
    expect(first!.healthAfter).toBeGreaterThan(first!.healthBefore!);
    expect(first!.healthAfter).toBeLessThanOrEqual(POLICY.targetHealth);
    expect(await flaggedAt(POLICY_BORROWER.address)).toBe(0n);

    // Lower again; the borrower changes the policy in a transaction that lands first in the keeper's block.
    const t2 = t + 120n;
    await setPricesAt(t2, { wstETH: "2600" });
    await queue(
      POLICY_BORROWER,
      deployment.market,
      encodeFunctionData({
        abi: softLandingMarketAbi,
        functionName: "setDeleveragePolicy",
        args: [POLICY_BORROWER.address, { ...POLICY, maxShare: parseUnits("0.1", 18) }],
      }),
    );
    const inFlight = await keeper.step({ landingTimestamp: t2 + BLOCK });
    // (the wstETH borrower of the earlier test is flagged in the same step)
    const ofPolicyBorrower = (r: StepReport) => kinds(r).filter((k) => k.endsWith(POLICY_BORROWER.address));
    expect(ofPolicyBorrower(inFlight)).toEqual([`deleverage:${POLICY_BORROWER.address}`]);
    await mine(t2 + BLOCK);
    const next = await keeper.step({ landingTimestamp: t2 + 2n * BLOCK });
    expect(next.settled.find((x) => x.account === POLICY_BORROWER.address)).toMatchObject({ kind: "deleverage", status: "reverted" });
    expect(await deleveraged(POLICY_BORROWER.address)).toHaveLength(1);
    // …and the keeper reads the new version and executes the new policy (10% of the debt) instead.
    expect(ofPolicyBorrower(next)).toEqual([`deleverage:${POLICY_BORROWER.address}`]);
    const repay = next.sent.find((x) => x.account === POLICY_BORROWER.address)!.repay!;
    expect(repay >= usdc("1500") && repay < usdc("1500.01")).toBe(true);
    await mine(t2 + 2n * BLOCK);
    const executions = await deleveraged(POLICY_BORROWER.address);
    expect(executions).toHaveLength(2);
    expect(executions[1]!.version).toBe(2n);
    await keeper.step({ landingTimestamp: t2 + 3n * BLOCK }); // settles the receipt
    expect(keeper.status().actions.deleverage).toBe(2);
    expect(keeper.status().failedActions.deleverage).toBe(1);
  });
});
