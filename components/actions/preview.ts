/**
 * What the forms show around an action, from lib/risk: the before → after summary, limits (`maxBorrow`,
 * `maxWithdraw`), the amounts that leave the soft zone (`topUpForHealth`, `repayForHealth`) and band exposure.
 * Pure and synchronous: the forms call it on every keystroke without touching the network. (The verdicts are
 * lib/risk's `judgeIntent`, worded by ./validate.)
 */
import {
  STANDARD_DECLINE,
  WAD,
  bandExposure,
  health,
  liquidationPrices,
  maxBorrow,
  maxWithdraw,
  repayForHealth,
  topUpForHealth,
  zoneThresholds,
  type LiquidationPrice,
  type PositionSnapshot,
  type Zone,
} from "@/lib/risk";

/** Band exposure summary under a steady decline of every volatile collateral (what the chart would show). */
export interface BandSummary {
  speedPctPerHour: number;
  softSlices: number;
  hardLiquidations: number;
  /** USD (WAD) of collateral sold, and the penalty paid (bonus), over the whole walk. */
  soldValue: bigint;
  penalty: bigint;
  badDebt: bigint;
  /** The fall (WAD fraction) that takes the position into SOFT with nothing sold: 0 when it is there already. */
  softAtFall: bigint | null;
  /** Price multiplier (WAD, 1 = today) where the walk, slices included, first reaches HARD; null: never within it. */
  hardStartAt: bigint | null;
}

/**
 * The preview's one line about a decline: the same walk the band chart draws at its default speed
 * (`STANDARD_DECLINE`), and the exact fall that reaches SOFT (`zoneThresholds`), so every place prints the same
 * figures. Deferred by the caller: typing never waits for it.
 */
export function bandSummary(s: PositionSnapshot): BandSummary | undefined {
  if (s.debt === 0n) return undefined;
  const r = bandExposure(s, STANDARD_DECLINE);
  if (!r.ok) return undefined;
  const e = r.exposure;
  const { softAtFall } = zoneThresholds(s);
  return {
    speedPctPerHour: STANDARD_DECLINE.speedPctPerHour,
    softSlices: e.totals.softSlices,
    hardLiquidations: e.totals.hardLiquidations,
    soldValue: e.totals.soldValue,
    penalty: e.totals.penalty,
    badDebt: e.totals.badDebt,
    softAtFall,
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
