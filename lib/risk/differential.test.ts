/**
 * Differential test: lib/risk against the deployed contracts on a real anvil, to the wei.
 *
 * Each round (from a clean evm_snapshot) opens a batch of random positions (random subsets of WETH/wstETH (18
 * decimals) and WBTC (8), debt in 6-decimal USDC, random loan price), shocks prices, warps time (interest accrues,
 * feeds refreshed), flags, and runs two liquidation passes. At every step the engine's health, zone, max borrow, max
 * withdraw, previewLiquidation and liquidate outcome (return values, revert reason, post-state), and the preview
 * of a random borrower action (verdict, revert reason, resulting position) must equal the contracts'. Most borrowers
 * also set a deleverage policy (some change it again, some send invalid ones): validation, and every execution's
 * result, revert reason and post-state, must match too (docs/liquidation.md R9). Blocks are mined with explicit timestamps (automine off) so a Lens read and the transactions that follow
 * it share one timestamp, hence one borrow index.
 */
import { rmSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  decodeErrorResult,
  decodeFunctionResult,
  encodeFunctionData,
  maxUint256,
  type Abi,
  type Address,
  type Hex,
} from "viem";
import { errorsLibAbi, mockAggregatorAbi, mockErc20Abi, softLandingLensAbi, softLandingMarketAbi } from "@/lib/chain/abis";
import type { Deployment } from "@/lib/chain/deployment";
import { ANVIL_ACCOUNTS } from "@/lib/chain/devnet";
import { ROOT, deployMarket, freePort, startAnvil, type AnvilHandle } from "@/lib/devnet/anvil";
import {
  DELEVERAGE_ERROR_NAMES,
  POLICY_ERROR_NAMES,
  applyDeleverage,
  applyFlag,
  applyLiquidation,
  choosePolicyCollateral,
  validatePolicy,
  type DeleveragePolicy,
  chooseLiquidationCollateral,
  health,
  maxBorrow,
  maxWithdraw,
  previewActions,
  previewLiquidation,
  projectBorrowIndex,
  borrowRatePerYear,
  repayForHealth,
  topUpForHealth,
  type Action,
  type ActionError,
  type LiquidateError,
  type PositionSnapshot,
} from "./index";
import { createRng, type Rng } from "./random";

const SEED = 0x5eed_2026;
const ROUNDS = 9;
const PER_ROUND = 60; // 540 positions
const SYMBOLS = ["WETH", "wstETH", "WBTC"] as const;
const DECIMALS = [18, 18, 8] as const;
const BASE_PRICE = [3000, 3500, 60_000] as const; // USD, as the devnet deploy sets them
const GAS = 3_000_000n;

const deployer = ANVIL_ACCOUNTS[0]!.address;
const lender = ANVIL_ACCOUNTS[1]!.address;
const liquidator = ANVIL_ACCOUNTS[2]!.address;
const borrowerAddress = (n: number) => `0xb0b0${n.toString(16).padStart(36, "0")}` as Address;

interface RpcResponse {
  result?: unknown;
  error?: { code: number; message: string; data?: unknown };
}

/** Minimal JSON-RPC client that sends many calls in one HTTP batch. */
class Rpc {
  private id = 0;
  constructor(private readonly url: string) {}

  async batch(calls: { method: string; params: unknown[] }[]): Promise<RpcResponse[]> {
    const out: RpcResponse[] = [];
    for (let i = 0; i < calls.length; i += 400) {
      const chunk = calls.slice(i, i + 400).map((c) => ({ jsonrpc: "2.0", id: ++this.id, method: c.method, params: c.params }));
      const res = await fetch(this.url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(chunk) });
      const json = (await res.json()) as (RpcResponse & { id: number })[];
      const byId = new Map(json.map((r) => [r.id, r]));
      for (const c of chunk) out.push(byId.get(c.id)!);
    }
    return out;
  }

  async call<T = unknown>(method: string, params: unknown[] = []): Promise<T> {
    const [r] = await this.batch([{ method, params }]);
    if (r!.error) throw new Error(`${method}: ${r!.error.message}`);
    return r!.result as T;
  }
}

interface Tx {
  from: Address;
  to: Address;
  data: Hex;
}

let anvil: AnvilHandle;
let rpc: Rpc;
let dep: Deployment;
let collateralAddrs: Address[];
let baseSnapshot: Hex;
let deploymentFile = "";
const nonces = new Map<Address, number>();
const stats = { policiesSet: 0, policyValidations: 0, policyRefusedSets: 0, policyCalls: 0, policyExecutions: 0, policyRefusals: 0, stalePolicyCalls: 0, stalePricePolicyRefusals: 0, stalePasses: 0, interestChecks: 0, actions: 0, actionReverts: 0, positions: 0, previews: 0, liquidateCalls: 0, liquidations: 0, softSlices: 0, hardLiquidations: 0, badDebts: 0, maxBorrowChecks: 0, maxWithdrawChecks: 0, flags: 0 };

function errorName(data: unknown): string {
  if (typeof data !== "string" || data.length < 10) return "UnknownRevert";
  try {
    return decodeErrorResult({ abi: errorsLibAbi, data: data as Hex }).errorName;
  } catch {
    return "UnknownRevert";
  }
}

async function latestTimestamp(): Promise<bigint> {
  const block = await rpc.call<{ timestamp: Hex }>("eth_getBlockByNumber", ["latest", false]);
  return BigInt(block.timestamp);
}

/** Sends `txs` into the pool and mines them in one block at `timestamp`; returns each receipt's success. */
async function mine(txs: Tx[], timestamp: bigint): Promise<boolean[]> {
  const sends = txs.map((tx) => {
    const nonce = nonces.get(tx.from) ?? 0;
    nonces.set(tx.from, nonce + 1);
    return { method: "eth_sendTransaction", params: [{ ...tx, gas: `0x${GAS.toString(16)}`, nonce: `0x${nonce.toString(16)}` }] };
  });
  const sent = await rpc.batch(sends);
  sent.forEach((r, i) => {
    if (r.error) throw new Error(`send ${i} failed: ${r.error.message}`);
  });
  await rpc.call("evm_setNextBlockTimestamp", [Number(timestamp)]);
  await rpc.call("evm_mine", []);
  const receipts = await rpc.batch(sent.map((r) => ({ method: "eth_getTransactionReceipt", params: [r.result] })));
  return receipts.map((r) => {
    const receipt = r.result as { status: Hex } | null;
    if (!receipt) throw new Error("transaction was not mined");
    return receipt.status === "0x1";
  });
}

async function syncNonces(addresses: Address[]) {
  const res = await rpc.batch(addresses.map((a) => ({ method: "eth_getTransactionCount", params: [a, "latest"] })));
  addresses.forEach((a, i) => nonces.set(a, Number(res[i]!.result as Hex)));
}

function ethCall(from: Address, to: Address, data: Hex) {
  return { method: "eth_call", params: [{ from, to, data, gas: `0x${(30_000_000).toString(16)}` }, "latest"] };
}

function decoded<T>(abi: Abi, functionName: string, r: RpcResponse): T {
  if (r.error) throw new Error(`${functionName} reverted: ${errorName(r.error.data)} ${r.error.message}`);
  return decodeFunctionResult({ abi, functionName, data: r.result as Hex }) as T;
}

async function readPositions(accounts: Address[]): Promise<PositionSnapshot[]> {
  const res = await rpc.batch(
    accounts.map((a) =>
      ethCall(deployer, dep.lens, encodeFunctionData({ abi: softLandingLensAbi, functionName: "getPosition", args: [dep.market, a] })),
    ),
  );
  return res.map((r) => decoded<PositionSnapshot>(softLandingLensAbi, "getPosition", r));
}

const marketCall = (functionName: string, args: readonly unknown[]) =>
  encodeFunctionData({ abi: softLandingMarketAbi, functionName, args } as Parameters<typeof encodeFunctionData>[0]);

function priceAnswer(usd: number, rng: Rng): bigint {
  // an 8-decimal feed answer with random low digits, so values do not come out round
  return BigInt(Math.round(usd * 1e4)) * 10_000n + BigInt(rng.int(0, 9999));
}

async function setPrices(answers: bigint[], loanAnswer: bigint, extra: Tx[], timestamp: bigint) {
  const feeds = [...SYMBOLS.map((s) => dep.feeds[s]!), dep.feeds.USDC!];
  const txs: Tx[] = [...answers, loanAnswer].map((answer, i) => ({
    from: deployer,
    to: feeds[i]!,
    data: encodeFunctionData({ abi: mockAggregatorAbi, functionName: "setAnswer", args: [answer] }),
  }));
  const ok = await mine([...txs, ...extra], timestamp);
  expect(ok.every(Boolean)).toBe(true);
}

/** Re-publishes every feed (but the collateral at index `stale`, if given) in one block at `timestamp`. */
async function refreshFeeds(timestamp: bigint, stale?: number) {
  const refresh: Tx[] = [...SYMBOLS.map((s) => dep.feeds[s]!), dep.feeds.USDC!]
    .filter((_, i) => i !== stale)
    .map((feed) => ({
      from: deployer,
      to: feed,
      data: encodeFunctionData({ abi: mockAggregatorAbi, functionName: "refresh", args: [] }),
    }));
  expect((await mine(refresh, timestamp)).every(Boolean)).toBe(true);
}

/** Compares every figure the engine derives from a snapshot with the contracts' own views. */
async function compareViews(borrowers: Address[], snaps: PositionSnapshot[]) {
  const calls: ReturnType<typeof ethCall>[] = [];
  const checks: ((r: RpcResponse) => void)[] = [];
  const market = snaps[0]!.market;
  expect(borrowRatePerYear(market.rateModel, market.utilization)).toBe(market.borrowRatePerYear);
  snaps.forEach((s, k) => {
    const b = borrowers[k]!;
    const h = health(s);
    // the lens fields, recomputed from raw balances and prices
    expect(h.healthFactor).toBe(s.healthFactor);
    expect(h.zone).toBe(s.zone);
    expect(h.collateralPower).toBe(s.collateralPower);
    expect(h.borrowPower).toBe(s.borrowPower);
    expect(h.debtValue).toBe(s.debtValue);
    calls.push(ethCall(deployer, dep.market, marketCall("healthFactor", [b])));
    checks.push((r) => expect(decoded<bigint>(softLandingMarketAbi, "healthFactor", r)).toBe(h.healthFactor));
    for (let c = 0; c < 3; c++) {
      const p = previewLiquidation(s, c);
      if (!p.ok) throw new Error(p.message);
      stats.previews++;
      calls.push(ethCall(deployer, dep.market, marketCall("previewLiquidation", [b, collateralAddrs[c]])));
      checks.push((r) => {
        const onChain = decoded<Record<string, unknown>>(softLandingMarketAbi, "previewLiquidation", r);
        expect({ ...p, ok: undefined }).toEqual({ ...onChain, ok: undefined });
      });
    }
    const mb = maxBorrow(s);
    if (!mb.ok) throw new Error(mb.message);
    stats.maxBorrowChecks++;
    if (mb.amount > 0n) {
      calls.push(ethCall(b, dep.market, marketCall("borrow", [mb.amount, b, b])));
      checks.push((r) => expect(r.error?.message).toBeUndefined());
    }
    calls.push(ethCall(b, dep.market, marketCall("borrow", [mb.amount + 1n, b, b])));
    const overLiquidity = mb.amount + 1n > s.market.availableLiquidity;
    checks.push((r) => expect(errorName(r.error?.data)).toBe(overLiquidity ? "InsufficientLiquidity" : "InsufficientCollateral"));
    s.market.collaterals.forEach((col, c) => {
      if (col.balance === 0n) return;
      const mw = maxWithdraw(s, c);
      if (!mw.ok) throw new Error(mw.message);
      stats.maxWithdrawChecks++;
      if (mw.amount > 0n) {
        calls.push(ethCall(b, dep.market, marketCall("withdrawCollateral", [col.asset, mw.amount, b, b])));
        checks.push((r) => expect(r.error?.message).toBeUndefined());
      }
      if (mw.amount < col.balance) {
        calls.push(ethCall(b, dep.market, marketCall("withdrawCollateral", [col.asset, mw.amount + 1n, b, b])));
        checks.push((r) => expect(errorName(r.error?.data)).toBe("InsufficientCollateral"));
      }
    });
  });
  const res = await rpc.batch(calls);
  res.forEach((r, i) => checks[i]!(r));
}

const REASON_TO_ERROR: Record<LiquidateError, string> = {
  UNKNOWN_COLLATERAL: "CollateralNotListed",
  PRICE_UNAVAILABLE: "StalePrice",
  ZERO_AMOUNT: "ZeroAmount",
  HEALTHY_ACCOUNT: "HealthyAccount",
  NOT_FLAGGED: "NotFlagged",
  FLAG_LAPSED: "FlagLapsed",
  GRACE_PERIOD_ACTIVE: "GracePeriodActive",
  SLICE_INTERVAL_ACTIVE: "SliceIntervalActive",
  CANNOT_RAISE_HEALTH: "CannotRaiseHealth",
  NOTHING_TO_LIQUIDATE: "NothingToLiquidate",
  SLICE_TOO_SMALL: "SliceTooSmall",
  LIQUIDATION_LOWERS_HEALTH: "LiquidationLowersHealth",
  SEIZED_BELOW_MINIMUM: "SeizedBelowMinimum",
};

/**
 * One liquidation pass at `timestamp`: eth_call every attempt, compare, then execute the allowed ones and compare
 * the post-state. With `stale`, that collateral's feed is not re-published: flag and liquidate must judge it at its
 * last price (docs/liquidation.md R7) exactly as the engine does, and refuse to seize it.
 */
async function liquidationPass(rng: Rng, borrowers: Address[], timestamp: bigint, stale?: number) {
  await refreshFeeds(timestamp, stale);
  const snaps = await readPositions(borrowers);
  expect(snaps.every((s) => s.timestamp === timestamp)).toBe(true);
  if (stale === undefined) await compareViews(borrowers, snaps);
  else {
    stats.stalePasses++;
    // flag judges a stale collateral at its last price: whatever the engine says is flaggable, the chain flags
    const flags = snaps.map((s) => applyFlag(s, timestamp));
    const res = await rpc.batch(snaps.map((_, k) => ethCall(liquidator, dep.market, marketCall("flag", [borrowers[k]]))));
    res.forEach((r, k) => {
      const f = flags[k]!;
      if (f.ok) expect(r.error?.message).toBeUndefined();
      else expect(errorName(r.error?.data)).toBe({ ALREADY_FLAGGED: "AlreadyFlagged", HEALTHY_ACCOUNT: "HealthyAccount", PRICE_UNAVAILABLE: "StalePrice" }[f.reason]);
    });
  }

  const attempts = snaps.map((s) => {
    const chosen = chooseLiquidationCollateral(s);
    const collateral = chosen >= 0 && rng.next() < 0.75 ? chosen : rng.int(0, 2);
    const cap = previewLiquidation(s, collateral);
    const capAmount = cap.ok ? cap.repayCap : 0n;
    const maxRepay = rng.next() < 0.7 || capAmount === 0n ? maxUint256 : rng.bigint(1n, (capAmount * 6n) / 5n + 1n);
    return { collateral, maxRepay, outcome: applyLiquidation(s, collateral, { maxRepay }) };
  });
  const res = await rpc.batch(
    attempts.map((a, k) =>
      ethCall(liquidator, dep.market, marketCall("liquidate", [borrowers[k], collateralAddrs[a.collateral], a.maxRepay, 0n])),
    ),
  );
  res.forEach((r, k) => {
    const o = attempts[k]!.outcome;
    stats.liquidateCalls++;
    if (o.ok) {
      const [repaid, seized] = decoded<[bigint, bigint]>(softLandingMarketAbi, "liquidate", r);
      expect([repaid, seized]).toEqual([o.repaid, o.seized]);
    } else {
      expect(errorName(r.error?.data)).toBe(REASON_TO_ERROR[o.reason]);
    }
  });

  const execute = attempts.map((a, k) => ({ ...a, k })).filter((a) => a.outcome.ok);
  const ok = await mine(
    execute.map((a) => ({
      from: liquidator,
      to: dep.market,
      data: marketCall("liquidate", [borrowers[a.k], collateralAddrs[a.collateral], a.maxRepay, 0n]),
    })),
    timestamp,
  );
  expect(ok.every(Boolean)).toBe(true);
  const after = await readPositions(execute.map((a) => borrowers[a.k]!));
  execute.forEach((a, i) => {
    if (!a.outcome.ok) return;
    const expected = a.outcome.snapshot;
    const actual = after[i]!;
    stats.liquidations++;
    if (a.outcome.zone === 1) stats.softSlices++;
    else stats.hardLiquidations++;
    if (a.outcome.badDebt > 0n) stats.badDebts++;
    expect(pick(actual)).toEqual(pick(expected));
  });
}

const WAD = 10n ** 18n;
const PPM = 10n ** 12n;

/** A random policy in millionths: valid (trigger 1.01–1.6, target up to 0.6 above, any allowed bonus and share). */
function randomPolicy(rng: Rng, softBonusMin: bigint): DeleveragePolicy {
  const trigger = WAD + BigInt(rng.int(10_000, 600_000)) * PPM;
  return {
    triggerHealth: trigger,
    targetHealth: trigger + BigInt(rng.int(1, 600_000)) * PPM,
    maxBonus: (BigInt(rng.int(0, 1000)) * (softBonusMin / PPM)) / 1000n * PPM,
    maxShare: BigInt(rng.int(1, 1_000_000)) * PPM,
  };
}

/** A policy that breaks one rule (or is not in whole millionths), to compare refusals. */
function brokenPolicy(rng: Rng, softBonusMin: bigint): DeleveragePolicy {
  const p = randomPolicy(rng, softBonusMin);
  switch (rng.int(0, 5)) {
    case 0:
      return { ...p, triggerHealth: WAD - BigInt(rng.int(0, 2)) * PPM };
    case 1:
      return { ...p, targetHealth: p.triggerHealth - BigInt(rng.int(0, 2)) * PPM };
    case 2:
      return { ...p, maxBonus: softBonusMin + PPM };
    case 3:
      return { ...p, maxShare: 0n };
    case 4:
      return { ...p, maxShare: WAD + PPM };
    default:
      return { ...p, targetHealth: p.targetHealth + 1n };
  }
}

function policyTx(borrower: Address, p: DeleveragePolicy): Tx {
  return { from: borrower, to: dep.market, data: marketCall("setDeleveragePolicy", [borrower, p]) };
}

/** Sets policies on most borrowers (a quarter of them twice, so an older version exists), checking refusals first. */
async function setPolicies(rng: Rng, borrowers: Address[], snaps: PositionSnapshot[], timestamp: bigint): Promise<Tx[]> {
  const softBonusMin = snaps[0]!.market.risk.softBonusMin;
  const broken = borrowers.map(() => brokenPolicy(rng, softBonusMin));
  const res = await rpc.batch(broken.map((p, k) => ethCall(borrowers[k]!, dep.market, marketCall("setDeleveragePolicy", [borrowers[k], p]))));
  res.forEach((r, k) => {
    const v = validatePolicy(broken[k]!, snaps[k]!.market.risk);
    stats.policyValidations++;
    if (v.ok) expect(r.error?.message).toBeUndefined();
    else {
      stats.policyRefusedSets++;
      expect(errorName(r.error?.data)).toBe(POLICY_ERROR_NAMES[v.reason]);
    }
  });
  const txs: Tx[] = [];
  borrowers.forEach((b) => {
    if (rng.next() < 0.2) return;
    const first = randomPolicy(rng, softBonusMin);
    expect(validatePolicy(first, snaps[0]!.market.risk).ok).toBe(true);
    txs.push(policyTx(b, first));
    stats.policiesSet++;
    if (rng.next() < 0.25) txs.push(policyTx(b, rng.next() < 0.2 ? { triggerHealth: 0n, targetHealth: 0n, maxBonus: 0n, maxShare: 0n } : randomPolicy(rng, softBonusMin)));
  });
  void timestamp;
  return txs;
}

/**
 * One pass of policy executions at `timestamp`: every borrower with a policy version is tried (through the keeper's
 * choice or a random collateral, for a random amount, sometimes against the previous version); each eth_call must
 * match `applyDeleverage`, then the accepted ones are mined and their post-state compared. With `stale`, that
 * collateral's feed is not re-published: an execution on an account holding it must be refused (R9: every price fresh).
 */
async function policyPass(rng: Rng, borrowers: Address[], timestamp: bigint, stale?: number) {
  await refreshFeeds(timestamp, stale);
  const snaps = await readPositions(borrowers);
  const attempts = snaps
    .map((s, k) => ({ s, k }))
    .filter(({ s }) => s.policyVersion !== 0n)
    .map(({ s, k }) => {
      const chosen = choosePolicyCollateral(s);
      const collateral = chosen >= 0 && rng.next() < 0.75 ? chosen : rng.int(0, 2);
      const stale = rng.next() < 0.1;
      if (stale) stats.stalePolicyCalls++;
      const version = stale ? s.policyVersion - 1n : s.policyVersion;
      const maxRepay = rng.next() < 0.6 ? maxUint256 : rng.bigint(1n, s.debt + 1n);
      return { k, collateral, version, maxRepay, outcome: applyDeleverage(s, collateral, { maxRepay, version }) };
    });
  const call = (a: (typeof attempts)[number]) =>
    marketCall("deleverage", [borrowers[a.k], collateralAddrs[a.collateral], a.maxRepay, 0n, a.version]);
  const res = await rpc.batch(attempts.map((a) => ethCall(liquidator, dep.market, call(a))));
  res.forEach((r, i) => {
    const o = attempts[i]!.outcome;
    stats.policyCalls++;
    if (o.ok) {
      const [repaid, seized] = decoded<[bigint, bigint]>(softLandingMarketAbi, "deleverage", r);
      expect([repaid, seized]).toEqual([o.repaid, o.seized]);
    } else {
      stats.policyRefusals++;
      if (stale !== undefined && o.reason === "PRICE_UNAVAILABLE") stats.stalePricePolicyRefusals++;
      expect(errorName(r.error?.data)).toBe(DELEVERAGE_ERROR_NAMES[o.reason]);
    }
  });
  const execute = attempts.filter((a) => a.outcome.ok);
  const ok = await mine(execute.map((a) => ({ from: liquidator, to: dep.market, data: call(a) })), timestamp);
  expect(ok.every(Boolean)).toBe(true);
  const after = await readPositions(execute.map((a) => borrowers[a.k]!));
  execute.forEach((a, i) => {
    if (!a.outcome.ok) return;
    stats.policyExecutions++;
    expect(pick(after[i]!)).toEqual(pick(a.outcome.snapshot));
    expect(after[i]!.policyVersion).toBe(a.outcome.snapshot.policyVersion);
  });
}

const ACTION_ERROR: Partial<Record<ActionError, string>> = {
  ZERO_AMOUNT: "ZeroAmount",
  NO_DEBT: "NoDebt",
  BORROW_PAUSED: "BorrowPaused",
  WITHDRAW_PAUSED: "WithdrawPaused",
  INSUFFICIENT_LIQUIDITY: "InsufficientLiquidity",
  INSUFFICIENT_COLLATERAL: "InsufficientCollateral",
  INSUFFICIENT_BALANCE: "InsufficientBalance",
  UNKNOWN_COLLATERAL: "CollateralNotListed",
  PRICE_UNAVAILABLE: "StalePrice",
};

/** A random borrower action, often at the engine's own limits (max borrow/withdraw, repay or top-up to HF 1). */
function randomAction(rng: Rng, s: PositionSnapshot): Action {
  const kind = rng.pick(["topUp", "repay", "borrow", "withdraw"] as const);
  const asset = rng.int(0, 2);
  const jitter = (x: bigint) => {
    const y = (x * BigInt(rng.int(0, 1200))) / 1000n + BigInt(rng.int(0, 2)) - 1n;
    return y < 0n ? 0n : y;
  };
  switch (kind) {
    case "topUp": {
      const toHealthy = topUpForHealth(s, asset);
      const amount = toHealthy.ok && toHealthy.amount > 0n && rng.next() < 0.6 ? toHealthy.amount : rng.bigint(1n, 10n ** BigInt(DECIMALS[asset]!));
      return { kind, asset, amount };
    }
    case "repay": {
      const toHealthy = repayForHealth(s);
      if (toHealthy.ok && toHealthy.amount > 0n && rng.next() < 0.6) return { kind, amount: toHealthy.amount - BigInt(rng.int(0, 1)) };
      return { kind, amount: rng.next() < 0.2 ? maxUint256 : jitter(s.debt) };
    }
    case "borrow": {
      const mb = maxBorrow(s);
      return { kind, amount: mb.ok ? jitter(mb.amount) : 1n };
    }
    case "withdraw": {
      const mw = maxWithdraw(s, asset);
      return { kind, asset, amount: mw.ok ? jitter(mw.amount) : 1n };
    }
  }
}

function actionTx(a: Action, borrower: Address): Tx {
  switch (a.kind) {
    case "topUp":
      return { from: deployer, to: dep.market, data: marketCall("depositCollateral", [collateralAddrs[a.asset as number], a.amount, borrower]) };
    case "repay":
      return { from: deployer, to: dep.market, data: marketCall("repay", [a.amount, borrower]) };
    case "borrow":
      return { from: borrower, to: dep.market, data: marketCall("borrow", [a.amount, borrower, borrower]) };
    case "withdraw":
      return { from: borrower, to: dep.market, data: marketCall("withdrawCollateral", [collateralAddrs[a.asset as number], a.amount, borrower, borrower]) };
  }
}

/** Random borrower actions at `timestamp`: each preview's verdict and resulting position must match the chain's. */
async function actionPass(rng: Rng, borrowers: Address[], timestamp: bigint) {
  await refreshFeeds(timestamp);
  const snaps = await readPositions(borrowers);
  const planned = snaps.map((s) => {
    const action = randomAction(rng, s);
    return { action, preview: previewActions(s, action) };
  });
  const calls = planned.map((p, k) => {
    const tx = actionTx(p.action, borrowers[k]!);
    return ethCall(tx.from, tx.to, tx.data);
  });
  const res = await rpc.batch(calls);
  res.forEach((r, k) => {
    const p = planned[k]!.preview;
    stats.actions++;
    if (p.ok) expect(r.error?.message).toBeUndefined();
    else {
      stats.actionReverts++;
      expect(errorName(r.error?.data)).toBe(ACTION_ERROR[p.reason]);
    }
  });
  const execute = planned.map((p, k) => ({ ...p, k })).filter((p) => p.preview.ok);
  const ok = await mine(execute.map((p) => actionTx(p.action, borrowers[p.k]!)), timestamp);
  expect(ok.every(Boolean)).toBe(true);
  const after = await readPositions(execute.map((p) => borrowers[p.k]!));
  execute.forEach((p, i) => {
    if (!p.preview.ok) return;
    expect(pick(after[i]!)).toEqual(pick(p.preview.snapshot));
  });
}

/** The position fields a liquidation changes. */
function pick(s: PositionSnapshot) {
  return {
    debt: s.debt,
    scaledDebt: s.scaledDebt,
    balances: s.market.collaterals.map((c) => c.balance),
    flaggedAt: s.flaggedAt,
    lastSliceAt: s.lastSliceAt,
    healthFactor: s.healthFactor,
    zone: s.zone,
    collateralPower: s.collateralPower,
    debtValue: s.debtValue,
  };
}

describe.sequential("lib/risk equals the contracts on anvil", () => {
  beforeAll(async () => {
    const port = await freePort();
    anvil = await startAnvil({ port, args: ["--disable-block-gas-limit"] });
    rpc = new Rpc(anvil.rpcUrl);
    deploymentFile = path.join(ROOT, `deployments/.local/risk-differential-${port}.json`);
    dep = await deployMarket({ rpcUrl: anvil.rpcUrl, mode: "soft", deploymentFile });
    collateralAddrs = SYMBOLS.map((s) => dep.tokens[s]!);
    await rpc.call("anvil_autoImpersonateAccount", [true]);
    await rpc.call("evm_setAutomine", [false]);
    await syncNonces([deployer, lender, liquidator]);
    const usdc = dep.tokens.USDC!;
    const erc20 = (functionName: string, args: readonly unknown[]) =>
      encodeFunctionData({ abi: mockErc20Abi, functionName, args } as Parameters<typeof encodeFunctionData>[0]);
    const setup: Tx[] = [
      { from: deployer, to: usdc, data: erc20("mint", [lender, 20_000_000n * 10n ** 6n]) },
      { from: deployer, to: usdc, data: erc20("mint", [liquidator, 10n ** 30n]) },
      { from: deployer, to: usdc, data: erc20("mint", [deployer, 10n ** 30n]) },
      { from: deployer, to: usdc, data: erc20("approve", [dep.market, maxUint256]) },
      { from: lender, to: usdc, data: erc20("approve", [dep.market, maxUint256]) },
      { from: liquidator, to: usdc, data: erc20("approve", [dep.market, maxUint256]) },
      { from: lender, to: dep.market, data: marketCall("deposit", [20_000_000n * 10n ** 6n, lender]) },
      ...collateralAddrs.flatMap((token) => [
        { from: deployer, to: token, data: erc20("mint", [deployer, 10n ** 40n]) },
        { from: deployer, to: token, data: erc20("approve", [dep.market, maxUint256]) },
      ]),
    ];
    const ok = await mine(setup, (await latestTimestamp()) + 1n);
    expect(ok.every(Boolean)).toBe(true);
    const all = Array.from({ length: ROUNDS * PER_ROUND }, (_, i) => borrowerAddress(i));
    await rpc.batch(all.map((a) => ({ method: "anvil_setBalance", params: [a, "0x56bc75e2d63100000"] })));
    baseSnapshot = await rpc.call<Hex>("evm_snapshot");
  });

  afterAll(async () => {
    await anvil?.stop();
    if (deploymentFile) rmSync(deploymentFile, { force: true });
    console.info("differential stats", stats);
  });

  for (let round = 0; round < ROUNDS; round++) {
    it(`round ${round + 1}/${ROUNDS}: ${PER_ROUND} random positions`, async () => {
      const rng = createRng(SEED + round);
      if (round > 0) {
        await rpc.call("evm_revert", [baseSnapshot]);
        baseSnapshot = await rpc.call<Hex>("evm_snapshot");
        await syncNonces([deployer, lender, liquidator]);
      }
      const borrowers = Array.from({ length: PER_ROUND }, (_, k) => borrowerAddress(round * PER_ROUND + k));
      borrowers.forEach((b) => nonces.set(b, 0));
      const t0 = (await latestTimestamp()) + 1n;

      // 1. prices and collateral
      const startUsd = BASE_PRICE.map((p) => p * (0.5 + rng.next()));
      const deposits: Tx[] = [];
      for (const b of borrowers) {
        const held = SYMBOLS.map(() => rng.next() < 0.55);
        if (!held.some(Boolean)) held[rng.int(0, 2)] = true;
        held.forEach((h, c) => {
          if (!h) return;
          // $50 to $200k of collateral, with random low digits down to the last wei / satoshi
          const usd = 50 * Math.pow(4000, rng.next());
          const whole = usd / startUsd[c]!;
          const amount = BigInt(Math.floor(whole * 1e8)) * 10n ** BigInt(DECIMALS[c]! - 8) + (DECIMALS[c] === 18 ? rng.bigint(0n, 10n ** 10n - 1n) : 0n) + 1n;
          deposits.push({ from: deployer, to: dep.market, data: marketCall("depositCollateral", [collateralAddrs[c], amount, b]) });
        });
      }
      await setPrices(startUsd.map((u) => priceAnswer(u, rng)), priceAnswer(0.995 + rng.next() * 0.01, rng), deposits, t0);

      // 2. borrow: half at exactly the engine's max borrow (a wei more must revert), half at a random fraction
      const fresh = await readPositions(borrowers);
      await compareViews(borrowers, fresh);
      const borrows: Tx[] = [];
      fresh.forEach((s, k) => {
        const mb = maxBorrow(s);
        if (!mb.ok) throw new Error(mb.message);
        const amount = rng.next() < 0.5 ? mb.amount : (mb.amount * BigInt(rng.int(300, 1000))) / 1000n;
        if (amount > 0n) borrows.push({ from: borrowers[k]!, to: dep.market, data: marketCall("borrow", [amount, borrowers[k], borrowers[k]]) });
      });
      borrows.push(...(await setPolicies(rng, borrowers, fresh, t0)));
      const borrowed = await mine(borrows, t0);
      expect(borrowed.every(Boolean)).toBe(true);
      // the borrows accrued the market at t0, so the index after the warp is projectable to the wei
      const [afterBorrows] = await readPositions([borrowers[0]!]);

      // 3. shock prices and warp time (interest accrues; every feed is re-published at the new time)
      const warp = BigInt(rng.pick([0, 1, 3600, 86_400, 3 * 86_400, rng.int(1, 7 * 86_400)]));
      const t1 = t0 + warp + 1n;
      // mostly moderate moves (SOFT is a narrow band), every third round a crash deep enough for bad debt
      const [floor, span] = round % 3 === 2 ? [0.45, 0.5] : [0.8, 0.22];
      const shockedUsd = startUsd.map((u) => u * (floor + rng.next() * span));
      await setPrices(shockedUsd.map((u) => priceAnswer(u, rng)), priceAnswer(0.99 + rng.next() * 0.02, rng), [], t1);
      const shocked = await readPositions(borrowers);
      expect(shocked.every((s) => s.timestamp === t1)).toBe(true);
      expect(projectBorrowIndex(afterBorrows!.market, t1)).toBe(shocked[0]!.market.borrowIndex);
      if (warp > 0n) stats.interestChecks++;
      await compareViews(borrowers, shocked);

      // 4. flag whatever the engine says is flaggable; the chain must agree
      const flags = shocked.map((s) => applyFlag(s, t1));
      const flagTxs = flags
        .map((f, k) => ({ f, k }))
        .filter(({ f }) => f.ok)
        .map(({ k }) => ({ from: liquidator, to: dep.market, data: marketCall("flag", [borrowers[k]]) }));
      const flagged = await mine(flagTxs, t1);
      expect(flagged.every(Boolean)).toBe(true);
      stats.flags += flagTxs.length;

      // 5. policy executions (some during the grace period, some on flagged accounts), then two liquidation passes
      // at random times around the grace period and slice interval
      await policyPass(rng, borrowers, t1 + BigInt(rng.pick([0, 1, 300])));
      const t2 = t1 + 300n + BigInt(rng.pick([0, 299, 300, 301, 600, 1500]));
      await liquidationPass(rng, borrowers, t2);
      // every third round the WBTC feed stops publishing for over an hour before the second pass
      const staleRound = round % 3 === 1;
      const t3 = t2 + BigInt(staleRound ? 3601 + rng.int(0, 600) : rng.pick([0, 1, 299, 300, 301, 900, 2400]));
      await liquidationPass(rng, borrowers, t3, staleRound ? 2 : undefined);
      // and no policy runs while it is stale, whatever the other prices say
      if (staleRound) await policyPass(rng, borrowers, t3 + 1n, 2);

      // 6. policies again, after the slices (repeated executions walk towards each target), then borrower actions
      // previewed, sent, and compared
      const t4 = t3 + BigInt(rng.pick([2, 60]));
      await policyPass(rng, borrowers, t4);
      await actionPass(rng, borrowers, t4);
      stats.positions += PER_ROUND;
    });
  }

  it("covered at least 500 positions, with soft slices, hard liquidations and bad debt among them", () => {
    expect(stats.positions).toBeGreaterThanOrEqual(500);
    expect(stats.softSlices).toBeGreaterThan(50);
    expect(stats.hardLiquidations).toBeGreaterThan(20);
    expect(stats.badDebts).toBeGreaterThan(0);
    expect(stats.actions - stats.actionReverts).toBeGreaterThan(300);
    expect(stats.interestChecks).toBeGreaterThan(4);
    expect(stats.actionReverts).toBeGreaterThan(20);
    expect(stats.stalePasses).toBeGreaterThanOrEqual(3);
    expect(stats.policyExecutions).toBeGreaterThanOrEqual(200);
    expect(stats.policyRefusals).toBeGreaterThan(20);
    expect(stats.stalePolicyCalls).toBeGreaterThan(10);
    expect(stats.stalePricePolicyRefusals).toBeGreaterThan(0);
    expect(stats.policyRefusedSets).toBeGreaterThan(100);
  });
});
