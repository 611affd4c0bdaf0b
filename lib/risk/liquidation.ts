/**
 * Liquidation quotes, `previewLiquidation`, grace/slice timers and the effect of a `liquidate` transaction,
 * mirroring `SoftLandingMarket._quote`, `previewLiquidation` and `liquidate` wei for wei.
 */
import type { Address } from "viem";
import { MAX_UINT256, WAD, collateralValue, debtFromScaled, min, repayToTargetValue, seizedFor, softBonus, valueToAmount, zoneOf } from "./math";
import { collateralIndex, health, withChanges } from "./position";
import type { Health, PositionSnapshot, Result } from "./types";
import { Zone } from "./types";

/** The market's internal `Quote`: zone, bonus and repay caps for liquidating through one collateral. */
export interface Quote {
  readonly zone: Zone;
  readonly healthFactor: bigint;
  readonly bonus: bigint;
  readonly debt: bigint;
  readonly repayCap: bigint;
  /** Repay that would take the whole balance of this collateral. */
  readonly collateralCap: bigint;
  readonly balance: bigint;
}

/** Same fields as the contract's `LiquidationPreview`. */
export interface LiquidationPreview {
  readonly repayCap: bigint;
  readonly seized: bigint;
  readonly bonus: bigint;
  readonly zone: Zone;
  readonly allowed: boolean;
  readonly allowedAt: bigint;
  readonly healthFactor: bigint;
}

export type QuoteError = "UNKNOWN_COLLATERAL" | "PRICE_UNAVAILABLE";

function unknownCollateral(): { ok: false; reason: "UNKNOWN_COLLATERAL"; message: string } {
  return { ok: false, reason: "UNKNOWN_COLLATERAL", message: "This asset is not a collateral of the market." };
}

function priceUnavailable(): { ok: false; reason: "PRICE_UNAVAILABLE"; message: string } {
  return { ok: false, reason: "PRICE_UNAVAILABLE", message: "A price feed is stale or invalid; the market would revert." };
}

/** `_quote`: zone, bonus and repay cap for liquidating through collateral `asset`. */
export function quote(s: PositionSnapshot, asset: Address | number, precomputed?: Health): Result<Quote, QuoteError> {
  const i = collateralIndex(s, asset);
  const c = s.market.collaterals[i];
  if (!c) return unknownCollateral();
  const h = precomputed ?? health(s);
  if (!h.ok) return priceUnavailable();
  const p = s.market.risk;
  const z = zoneOf(h.healthFactor, p.hardHealth);
  if (z === Zone.HEALTHY) {
    return { ok: true, zone: z, healthFactor: h.healthFactor, debt: h.debt, bonus: 0n, repayCap: 0n, collateralCap: 0n, balance: 0n };
  }
  if (!c.priceOk) return priceUnavailable();
  const m = s.market;
  const bonus = z === Zone.SOFT ? softBonus(h.healthFactor, p) : p.hardBonus;
  const onePlusBonus = WAD + bonus;
  const value = collateralValue(c.balance, c.price, c.decimals);
  const collateralCap = valueToAmount((value * WAD) / onePlusBonus, m.loanPrice, m.loanDecimals);
  let repayCap: bigint;
  if (z === Zone.SOFT) {
    const sliceCap = (h.debt * p.sliceCap) / WAD;
    const targetCap = valueToAmount(
      repayToTargetValue(h.collateralPower, h.debtValue, p.targetHealth, onePlusBonus, c.lt),
      m.loanPrice,
      m.loanDecimals,
    );
    repayCap = min(min(sliceCap, targetCap), collateralCap);
  } else {
    repayCap = min((h.debt * p.hardCloseFactor) / WAD, collateralCap);
  }
  return { ok: true, zone: z, healthFactor: h.healthFactor, debt: h.debt, bonus, repayCap, collateralCap, balance: c.balance };
}

/** Collateral received for repaying `repay` through collateral `i` at the quote's bonus. */
function seizedForRepay(s: PositionSnapshot, i: number, q: Quote, repay: bigint): bigint {
  const c = s.market.collaterals[i]!;
  if (repay === q.collateralCap) return q.balance;
  const seized = seizedFor(repay, s.market.loanPrice, s.market.loanDecimals, WAD + q.bonus, c.price, c.decimals);
  return seized > q.balance ? q.balance : seized;
}

/** `previewLiquidation(account, collateral)` at the snapshot's timestamp (or at `now`, prices and debt unchanged). */
export function previewLiquidation(
  s: PositionSnapshot,
  asset: Address | number,
  now: bigint = s.timestamp,
): Result<LiquidationPreview, QuoteError> {
  const i = collateralIndex(s, asset);
  const q = quote(s, i < 0 ? asset : i);
  if (!q.ok) return q;
  const empty = { ok: true as const, repayCap: 0n, seized: 0n, bonus: 0n, zone: q.zone, allowed: false, allowedAt: 0n, healthFactor: q.healthFactor };
  if (q.zone === Zone.HEALTHY) return empty;
  const seized = q.repayCap !== 0n ? seizedForRepay(s, i, q, q.repayCap) : 0n;
  let allowed = false;
  let allowedAt = 0n;
  if (q.zone === Zone.HARD) {
    allowed = q.repayCap !== 0n;
  } else if (s.flaggedAt !== 0n) {
    allowedAt = softAllowedAt(s);
    allowed = now >= allowedAt && q.repayCap !== 0n;
  }
  return { ...empty, bonus: q.bonus, repayCap: q.repayCap, seized, allowed, allowedAt };
}

/** Earliest time a soft slice is allowed for a flagged account: max(flaggedAt + grace, lastSliceAt + interval). */
export function softAllowedAt(s: PositionSnapshot): bigint {
  const p = s.market.risk;
  const graceEnd = s.flaggedAt + BigInt(p.gracePeriod);
  const nextSlice = s.lastSliceAt + BigInt(p.sliceInterval);
  return graceEnd > nextSlice ? graceEnd : nextSlice;
}

/** The liquidation clock as a borrower sees it. */
export interface LiquidationTimers {
  readonly flagged: boolean;
  /** flaggedAt + gracePeriod (0 when not flagged). */
  readonly graceEndsAt: bigint;
  /** lastSliceAt + sliceInterval (0 before the first slice). */
  readonly nextSliceAt: bigint;
  /** When a soft slice becomes possible (0 when not flagged). */
  readonly sliceAllowedAt: bigint;
  readonly graceRemaining: bigint;
  readonly intervalRemaining: bigint;
  /** Seconds until a soft slice is allowed (0 when allowed now or not flagged). */
  readonly secondsUntilSlice: bigint;
}

export function liquidationTimers(s: PositionSnapshot, now: bigint = s.timestamp): LiquidationTimers {
  const p = s.market.risk;
  const flagged = s.flaggedAt !== 0n;
  const graceEndsAt = flagged ? s.flaggedAt + BigInt(p.gracePeriod) : 0n;
  const nextSliceAt = s.lastSliceAt !== 0n ? s.lastSliceAt + BigInt(p.sliceInterval) : 0n;
  const sliceAllowedAt = flagged ? softAllowedAt(s) : 0n;
  const left = (t: bigint) => (t > now ? t - now : 0n);
  return {
    flagged,
    graceEndsAt,
    nextSliceAt,
    sliceAllowedAt,
    graceRemaining: left(graceEndsAt),
    intervalRemaining: left(nextSliceAt),
    secondsUntilSlice: flagged ? left(sliceAllowedAt) : 0n,
  };
}

export type LiquidateError =
  | QuoteError
  | "ZERO_AMOUNT"
  | "HEALTHY_ACCOUNT"
  | "NOT_FLAGGED"
  | "GRACE_PERIOD_ACTIVE"
  | "SLICE_INTERVAL_ACTIVE"
  | "NOTHING_TO_LIQUIDATE"
  | "SLICE_TOO_SMALL"
  | "SLICE_LOWERS_HEALTH"
  | "SEIZED_BELOW_MINIMUM";

export interface LiquidationOutcome {
  /** The position after the transaction. */
  readonly snapshot: PositionSnapshot;
  readonly zone: Zone;
  readonly repaid: bigint;
  readonly seized: bigint;
  readonly bonus: bigint;
  readonly healthBefore: bigint;
  /** MAX_UINT256 when the account was closed by a bad-debt write-off. */
  readonly healthAfter: bigint;
  /** Debt written off (insurance fund first, lenders for the rest); 0 normally. */
  readonly badDebt: bigint;
}

/**
 * Applies `liquidate(account, collateral, maxRepay, minSeized)` to the snapshot as the market would in a block at
 * `options.at` (default: the snapshot's timestamp). Interest is not accrued between the snapshot and `at`.
 */
export function applyLiquidation(
  s: PositionSnapshot,
  asset: Address | number,
  options: { maxRepay?: bigint; minSeized?: bigint; at?: bigint; health?: Health } = {},
): Result<LiquidationOutcome, LiquidateError> {
  const maxRepay = options.maxRepay ?? MAX_UINT256;
  const now = options.at ?? s.timestamp;
  const i = collateralIndex(s, asset);
  if (i < 0) return unknownCollateral();
  if (maxRepay <= 0n) return { ok: false, reason: "ZERO_AMOUNT", message: "maxRepay must be positive." };
  const q = quote(s, i, options.health);
  if (!q.ok) return q;
  if (q.zone === Zone.HEALTHY) return { ok: false, reason: "HEALTHY_ACCOUNT", message: "The account is healthy." };
  const p = s.market.risk;
  if (q.zone === Zone.SOFT) {
    if (s.flaggedAt === 0n) return { ok: false, reason: "NOT_FLAGGED", message: "The account must be flagged first." };
    const graceEnd = s.flaggedAt + BigInt(p.gracePeriod);
    if (now < graceEnd) return { ok: false, reason: "GRACE_PERIOD_ACTIVE", message: `The grace period runs until ${graceEnd}.` };
    const nextSlice = s.lastSliceAt + BigInt(p.sliceInterval);
    if (now < nextSlice) return { ok: false, reason: "SLICE_INTERVAL_ACTIVE", message: `The next slice is allowed at ${nextSlice}.` };
  }
  const repaid = min(maxRepay, q.repayCap);
  if (repaid === 0n) return { ok: false, reason: "NOTHING_TO_LIQUIDATE", message: "Nothing can be liquidated through this collateral." };
  const minimumSlice = q.repayCap - q.repayCap / 2n;
  if (q.zone === Zone.SOFT && repaid < minimumSlice) {
    return { ok: false, reason: "SLICE_TOO_SMALL", message: `A soft slice must repay at least ${minimumSlice} (half its cap).` };
  }
  const seized = seizedForRepay(s, i, q, repaid);
  if (options.minSeized !== undefined && seized < options.minSeized) {
    return { ok: false, reason: "SEIZED_BELOW_MINIMUM", message: `Would seize ${seized}, below ${options.minSeized}.` };
  }
  const idx = s.market.borrowIndex;
  const scaledRepaid = repaid === q.debt ? s.scaledDebt : min(s.scaledDebt, (repaid * WAD) / idx);
  const balances = s.market.collaterals.map((c, k) => (k === i ? q.balance - seized : c.balance));
  let scaledDebt = s.scaledDebt - scaledRepaid;
  let flaggedAt = s.flaggedAt;
  let badDebt = 0n;
  let hfAfter: bigint;
  const noCollateralLeft = balances.every((b) => b === 0n);
  let next: PositionSnapshot;
  if (noCollateralLeft && scaledDebt !== 0n) {
    badDebt = debtFromScaled(scaledDebt, idx);
    scaledDebt = 0n;
    flaggedAt = 0n;
    hfAfter = MAX_UINT256;
    next = withChanges(s, { balances, scaledDebt, flaggedAt, lastSliceAt: now, timestamp: now, cashDelta: repaid });
    const covered = min(s.market.insuranceFund, badDebt);
    next = {
      ...next,
      market: {
        ...next.market,
        insuranceFund: next.market.insuranceFund - covered,
        totalSocialisedBadDebt: next.market.totalSocialisedBadDebt + badDebt - covered,
      },
    };
  } else {
    next = withChanges(s, { balances, scaledDebt, lastSliceAt: now, timestamp: now, cashDelta: repaid });
    // withChanges recomputed HF with the market's formula
    hfAfter = next.healthFactor;
    if (q.zone === Zone.SOFT && hfAfter < q.healthFactor) {
      return { ok: false, reason: "SLICE_LOWERS_HEALTH", message: "This slice would lower health (dust amounts); the market refuses it." };
    }
    // `next` was just derived by withChanges; clearing the flag moves none of its figures
    if (hfAfter >= WAD && flaggedAt !== 0n) next = { ...next, flaggedAt: 0n };
  }
  return { ok: true, snapshot: next, zone: q.zone, repaid, seized, bonus: q.bonus, healthBefore: q.healthFactor, healthAfter: hfAfter, badDebt };
}

/** The effect of `flag(account)`: records `flaggedAt = at` when HF < 1 and the account is not flagged yet. */
export function applyFlag(
  s: PositionSnapshot,
  at: bigint = s.timestamp,
): Result<{ snapshot: PositionSnapshot }, "ALREADY_FLAGGED" | "HEALTHY_ACCOUNT" | "PRICE_UNAVAILABLE"> {
  if (s.flaggedAt !== 0n) return { ok: false, reason: "ALREADY_FLAGGED", message: `Flagged at ${s.flaggedAt}.` };
  const h = health(s);
  if (!h.ok) return priceUnavailable();
  if (h.healthFactor >= WAD) return { ok: false, reason: "HEALTHY_ACCOUNT", message: "HF >= 1: nothing to flag." };
  return { ok: true, snapshot: withChanges(s, { flaggedAt: at, timestamp: at }) };
}

/**
 * Which collateral a prompt keeper liquidates: the held collateral with the largest USD value among those with a
 * non-zero repay cap (ties: lowest index). The keeper imports this, so the band walk predicts what it will do.
 */
export function chooseLiquidationCollateral(s: PositionSnapshot, precomputed?: Health): number {
  const h = precomputed ?? health(s);
  if (!h.ok || h.zone === Zone.HEALTHY) return -1;
  const candidates: { i: number; value: bigint }[] = [];
  s.market.collaterals.forEach((c, i) => {
    if (c.balance !== 0n && c.priceOk) candidates.push({ i, value: collateralValue(c.balance, c.price, c.decimals) });
  });
  // largest value first; Array.prototype.sort is stable, so ties keep the lowest index first
  candidates.sort((a, b) => (a.value === b.value ? 0 : a.value > b.value ? -1 : 1));
  for (const { i } of candidates) {
    const q = quote(s, i, h);
    if (q.ok && q.repayCap !== 0n) return i;
  }
  return -1;
}
