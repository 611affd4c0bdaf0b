/**
 * The forms' actions mapped onto lib/risk: previews (`previewActions`), limits (`maxBorrow`, `maxWithdraw`), the
 * amounts that leave the soft zone (`topUpForHealth`, `repayForHealth`) and band exposure. Pure and synchronous:
 * the forms call it on every keystroke without touching the network.
 */
import {
  MAX_UINT256,
  WAD,
  bandExposure,
  health,
  liquidationPrices,
  maxBorrow,
  maxWithdraw,
  mulDivUp,
  previewActions,
  repayForHealth,
  topUpForHealth,
  withChanges,
  type Action as EngineAction,
  type ActionPreview,
  type LiquidationPrice,
  type PositionSnapshot,
  type Result,
  type ActionError,
  type Zone,
} from "@/lib/risk";

export type Action =
  | { kind: "topUp"; asset: number; amount: bigint }
  | { kind: "withdraw"; asset: number; amount: bigint }
  | { kind: "borrow"; amount: bigint }
  | { kind: "repay"; amount: bigint }
  | { kind: "repayAll" }
  | { kind: "open"; deposits: readonly bigint[]; borrow: bigint };

function toEngine(action: Action): EngineAction[] {
  switch (action.kind) {
    case "repayAll":
      // The engine, like the market, treats any amount at or above the debt as "repay everything".
      return [{ kind: "repay", amount: MAX_UINT256 }];
    case "open": {
      const steps: EngineAction[] = [];
      action.deposits.forEach((amount, asset) => amount > 0n && steps.push({ kind: "topUp", asset, amount }));
      if (action.borrow > 0n) steps.push({ kind: "borrow", amount: action.borrow });
      return steps;
    }
    default:
      return [action];
  }
}

/** lib/risk's preview of `action`, checked as the market would check it (and against wallet balances if given). */
export function preview(
  s: PositionSnapshot,
  action: Action,
  walletBalances?: Readonly<Record<string, bigint>>,
): Result<ActionPreview, ActionError> {
  return previewActions(s, toEngine(action), walletBalances ? { walletBalances } : {});
}

/**
 * The position an action the market would refuse would leave behind, so the form can show how far below health 1
 * a too-large borrow or withdrawal would go. Only balances and scaled debt change; the engine recomputes the rest.
 */
export function unchecked(s: PositionSnapshot, action: Action): PositionSnapshot {
  const balances = s.market.collaterals.map((c) => c.balance);
  switch (action.kind) {
    case "withdraw": {
      const current = balances[action.asset] ?? 0n;
      balances[action.asset] = current > action.amount ? current - action.amount : 0n;
      return withChanges(s, { balances });
    }
    case "borrow":
      // Debt recorded as `borrow` records it: scaled, rounded up.
      return withChanges(s, { scaledDebt: s.scaledDebt + mulDivUp(action.amount, WAD, s.market.borrowIndex) });
    case "open": {
      const deposited = withChanges(s, { balances: balances.map((b, i) => b + (action.deposits[i] ?? 0n)) });
      return unchecked(deposited, { kind: "borrow", amount: action.borrow });
    }
    default: {
      const r = preview(s, action);
      return r.ok ? r.snapshot : s;
    }
  }
}

/** Band exposure summary under a steady decline of every volatile collateral (what the chart would show). */
export interface BandSummary {
  speedPctPerHour: number;
  softSlices: number;
  hardLiquidations: number;
  /** USD (WAD) of collateral sold, and the penalty paid (bonus), over the whole walk. */
  soldValue: bigint;
  penalty: bigint;
  badDebt: bigint;
  /** Price multiplier (WAD, 1 = today) where soft and hard liquidation would start; null: never within the walk. */
  softStartAt: bigint | null;
  hardStartAt: bigint | null;
}

const BAND_SPEED_PCT_PER_HOUR = 10;

export function bandSummary(s: PositionSnapshot): BandSummary | undefined {
  if (s.debt === 0n) return undefined;
  // Coarse steps keep this well under a millisecond per keystroke; the position page draws the fine-grained chart.
  const r = bandExposure(s, { speedPctPerHour: BAND_SPEED_PCT_PER_HOUR, stepPct: 1, depthPct: 90, bandCount: 10 });
  if (!r.ok) return undefined;
  const e = r.exposure;
  return {
    speedPctPerHour: BAND_SPEED_PCT_PER_HOUR,
    softSlices: e.totals.softSlices,
    hardLiquidations: e.totals.hardLiquidations,
    soldValue: e.totals.soldValue,
    penalty: e.totals.penalty,
    badDebt: e.totals.badDebt,
    softStartAt: e.softStart?.multiplier ?? null,
    hardStartAt: e.hardStart?.multiplier ?? null,
  };
}

export interface RiskSummary {
  /** false when a price the position needs is stale or invalid. */
  ok: boolean;
  hasDebt: boolean;
  healthFactor: bigint;
  zone: Zone;
  borrowPower: bigint;
  debtValue: bigint;
  collateralValue: bigint;
  prices: LiquidationPrice[];
}

export function summarize(s: PositionSnapshot): RiskSummary {
  const h = health(s);
  return {
    ok: h.ok,
    hasDebt: s.debt > 0n,
    healthFactor: h.healthFactor,
    zone: h.zone,
    borrowPower: h.borrowPower,
    debtValue: h.debtValue,
    collateralValue: h.collateralValue,
    prices: liquidationPrices(s),
  };
}

/**
 * Least top-up of collateral `asset` that brings HF back to `target` (default 1: the flag then clears in the same
 * transaction).
 */
export function topUpToLeaveSoft(s: PositionSnapshot, asset: number, target: bigint = WAD): bigint | undefined {
  const r = topUpForHealth(s, asset, target);
  return r.ok ? r.amount : undefined;
}

/** Least partial repay that brings HF back to `target` (default 1). */
export function repayToLeaveSoft(s: PositionSnapshot, target: bigint = WAD): bigint | undefined {
  const r = repayForHealth(s, target);
  return r.ok ? r.amount : undefined;
}

/** Largest borrow the market accepts now (borrow power covers the debt, liquidity allows), or why not. */
export function safeBorrow(s: PositionSnapshot) {
  return maxBorrow(s);
}

export function safeWithdraw(s: PositionSnapshot, asset: number) {
  return maxWithdraw(s, asset);
}
