/**
 * The keeper against real contracts on a real anvil: flag → grace → slices at the allowed rate → recovery, a hard
 * liquidation, and an anvil restart underneath it.
 */
import { rmSync } from "node:fs";
import path from "node:path";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseUnits, type Address } from "viem";
import { mockErc20Abi, softLandingMarketAbi } from "../lib/chain/abis";
import type { Deployment } from "../lib/chain/deployment";
import { ANVIL_ACCOUNTS } from "../lib/chain/devnet";
import { ROOT, deployMarket, startAnvil, type AnvilHandle } from "../lib/devnet/anvil";
import { advanceTime, connect, parseFeedPrice, sendAndWait, setFeedPrice, tokenAddress, type ChainClients } from "../lib/devnet/chain-ops";
import { waitFor } from "../lib/devnet/chain-ops";
import { createKeeper, type Keeper } from "./keeper";

const KEEPER = ANVIL_ACCOUNTS[2]!;
const SOFT_BORROWER = ANVIL_ACCOUNTS[4]!;
const HARD_BORROWER = ANVIL_ACCOUNTS[5]!;
const LATE_BORROWER = ANVIL_ACCOUNTS[6]!;
const GRACE = 600n;
const INTERVAL = 300n;

let anvil: AnvilHandle;
let clients: ChainClients;
let deployment: Deployment;
let keeper: Keeper;
let port: number;
const stateFile = path.join(ROOT, `deployments/.local/keeper-test-state-${process.pid}.json`);
const checkpointFile = path.join(ROOT, `deployments/.local/keeper-test-checkpoint-${process.pid}.json`);

const usdc = (n: string) => parseUnits(n, 6);

async function openPosition(index: number, asset: string, amount: bigint, borrow: bigint) {
  const wallet = clients.wallet(ANVIL_ACCOUNTS[index]!.privateKey);
  const token = tokenAddress(deployment, asset);
  await sendAndWait(clients, wallet, { address: token, abi: mockErc20Abi, functionName: "mint", args: [wallet.account.address, amount] });
  await sendAndWait(clients, wallet, { address: token, abi: mockErc20Abi, functionName: "approve", args: [deployment.market, amount] });
  await sendAndWait(clients, wallet, {
    address: deployment.market,
    abi: softLandingMarketAbi,
    functionName: "depositCollateral",
    args: [token, amount, wallet.account.address],
  });
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
  const events = await clients.publicClient.getContractEvents({
    address: deployment.market,
    abi: softLandingMarketAbi,
    eventName: "Liquidated",
    args: { account },
    fromBlock: 0n,
  });
  return Promise.all(
    events.map(async (e) => ({
      ...e.args,
      blockNumber: e.blockNumber,
      timestamp: (await clients.publicClient.getBlock({ blockNumber: e.blockNumber })).timestamp,
    })),
  );
}

async function liquidationState(account: Address) {
  const [flaggedAt, lastSliceAt] = await clients.publicClient.readContract({
    address: deployment.market,
    abi: softLandingMarketAbi,
    functionName: "liquidationState",
    args: [account],
  });
  return { flaggedAt, lastSliceAt };
}

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

  // WETH at 3000: HF 1.149. WBTC at 60000: HF 1.114.
  await openPosition(4, "WETH", parseUnits("10", 18), usdc("22200"));
  await openPosition(5, "WBTC", parseUnits("0.5", 8), usdc("21000"));

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
  it("flags a SOFT account, waits out the grace period, slices once per interval, and unflags it on recovery", async () => {
    await setPrice("WETH", "2500"); // HF 0.957: SOFT (hardHealth 0.95)
    const { flaggedAt } = await waitFor("the flag", async () => {
      const s = await liquidationState(SOFT_BORROWER.address);
      return s.flaggedAt !== 0n ? s : undefined;
    });

    // Half-way through the grace period, and a few more blocks: no slice.
    await advanceTo(flaggedAt + GRACE / 2n);
    await advanceTime(clients, driver(), deployment, 1);
    await keeperCaughtUp();
    await advanceTo(flaggedAt + GRACE - 5n);
    await keeperCaughtUp();
    expect(await liquidations(SOFT_BORROWER.address)).toHaveLength(0);

    // Grace over: exactly one soft slice, capped at 10% of the debt.
    await advanceTo(flaggedAt + GRACE);
    const [first] = await waitFor("the first slice", async () => {
      const l = await liquidations(SOFT_BORROWER.address);
      return l.length > 0 ? l : undefined;
    });
    expect(first!.zone).toBe(1);
    expect(first!.timestamp).toBeGreaterThanOrEqual(flaggedAt + GRACE);
    const debtBefore = await clients.publicClient.readContract({
      address: deployment.market,
      abi: softLandingMarketAbi,
      functionName: "debtOf",
      args: [SOFT_BORROWER.address],
      blockNumber: first!.blockNumber - 1n,
    });
    // sliceCap is 10% of the debt (plus the interest of the seconds between the two blocks).
    expect(first!.repaid).toBeLessThanOrEqual(debtBefore / 10n + debtBefore / 100_000n);
    expect(first!.healthAfter).toBeGreaterThan(first!.healthBefore!);

    // Inside the slice interval: still one slice, however many blocks pass.
    await advanceTo(first!.timestamp + INTERVAL / 2n);
    await advanceTime(clients, driver(), deployment, 1);
    await advanceTo(first!.timestamp + INTERVAL - 5n);
    await keeperCaughtUp();
    expect(await liquidations(SOFT_BORROWER.address)).toHaveLength(1);

    // Interval over: the second slice, no earlier than lastSliceAt + sliceInterval.
    await advanceTo(first!.timestamp + INTERVAL);
    const slices = await waitFor("the second slice", async () => {
      const l = await liquidations(SOFT_BORROWER.address);
      return l.length > 1 ? l : undefined;
    });
    expect(slices).toHaveLength(2);
    expect(slices[1]!.timestamp - slices[0]!.timestamp).toBeGreaterThanOrEqual(INTERVAL);
    expect((await liquidationState(SOFT_BORROWER.address)).flaggedAt).toBe(flaggedAt);

    // The price recovers: the keeper clears the flag.
    await setPrice("WETH", "3000");
    await waitFor("the unflag", async () => ((await liquidationState(SOFT_BORROWER.address)).flaggedAt === 0n ? true : undefined));
    const unflags = await clients.publicClient.getContractEvents({
      address: deployment.market,
      abi: softLandingMarketAbi,
      eventName: "Unflagged",
      args: { account: SOFT_BORROWER.address },
      fromBlock: 0n,
    });
    expect(unflags.map((e) => e.args.caller)).toEqual([KEEPER.address]);
    await keeperCaughtUp();
    expect(await liquidations(SOFT_BORROWER.address)).toHaveLength(2);
    expect(keeper.status().actions).toMatchObject({ flag: 1, softSlice: 2, unflag: 1 });
  });

  it("hard-liquidates an account that falls below hardHealth, without a flag or grace period", async () => {
    await setPrice("WBTC", "50000"); // HF 0.929 < 0.95: HARD
    const [hard] = await waitFor("the hard liquidation", async () => {
      const l = await liquidations(HARD_BORROWER.address);
      return l.length > 0 ? l : undefined;
    });
    expect(hard!.zone).toBe(2);
    expect(hard!.bonus).toBe(parseUnits("0.08", 18));
    expect(hard!.liquidator).toBe(KEEPER.address);
    // Close factor 100% and enough collateral: the whole debt is repaid.
    const debt = await clients.publicClient.readContract({
      address: deployment.market,
      abi: softLandingMarketAbi,
      functionName: "debtOf",
      args: [HARD_BORROWER.address],
    });
    expect(debt).toBe(0n);
    await keeperCaughtUp();
    expect(keeper.status().actions.hardLiquidation).toBe(1);
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

    // A borrower who appears after the restart is discovered and flagged when it falls into SOFT.
    await openPosition(6, "wstETH", parseUnits("10", 18), usdc("26000")); // HF 1.077 at 3500
    await setPrice("wstETH", "3150"); // HF 0.969
    await waitFor("the flag after the restart", async () => ((await liquidationState(LATE_BORROWER.address)).flaggedAt !== 0n ? true : undefined));
    await keeperCaughtUp();
    expect(keeper.accounts).toContain(LATE_BORROWER.address);
    expect(keeper.status().actions.flag).toBe(2);
  });

  it("serves its status as JSON over HTTP", async () => {
    const res = await fetch(keeper.statusUrl!);
    expect(res.status).toBe(200);
    const body = (await res.json()) as ReturnType<Keeper["status"]>;
    expect(body.accountsWatched).toBe(3);
    expect(body.actions).toMatchObject({ flag: 2, softSlice: 2, unflag: 1, hardLiquidation: 1 });
    expect(Number(body.lastBlock)).toBeGreaterThan(0);
    expect(Array.isArray(body.inFlight)).toBe(true);
    expect((await fetch(keeper.statusUrl!.replace("/status", "/nope"))).status).toBe(404);
  });
});
