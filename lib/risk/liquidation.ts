/**
 * Liquidation quotes, `previewLiquidation`, the liquidation clock and the effect of `flag` and `liquidate`,
 * mirroring `SoftLandingMarket._quote`, `_softTiming`, `previewLiquidation`, `flag` and `liquidate` wei for wei.
 * The rules and their reasoning: docs/liquidation.md (R1–R8 below refer to it).
 */
import type { Address } from "viem";
import {
  MAX_UINT256,
  WAD,
  collateralValue,
  debtFromScaled,
  depth,
  hardBonusFor,
  intervalAtDepth,
  max,
  min,
  repayToTargetValue,
  seizedFor,
  shareAtDepth,
  softBonus,
  valueToAmount,
  zoneOf,
} from "./math";
import { collateralIndex, liquidationHealth, withChanges, type LiquidationHealth } from "./position";
import type { PositionSnapshot, Result, RiskParams } from "./types";
import { Zone } from "./types";

/** The market's internal `Quote`: zone, timing, bonus and repay caps for liquidating through one collateral. */
export interface Quote {
  readonly zone: Zone;
  readonly healthFactor: bigint;
  readonly bonus: bigint;
  readonly debt: bigint;
  readonly repayCap: bigint;
  /** A soft slice must repay at least this (half of what the largest collateral could repay). */
  readonly minRepay: bigint;
  /** Repay that would take the whole balance of this collateral. */
  readonly collateralCap: bigint;
  readonly balance: bigint;
  /** SOFT: when the slice is (or was) allowed; 0 when the account needs a (new) flag first. */
  readonly allowedAt: bigint;
  /** SOFT: when the account's flag lapsed (0 if it has none or it is live). */
  readonly lapsedAt: bigint;
  /** SOFT: the slice waits for the grace period (not the spacing). */
  readonly inGrace: boolean;
  readonly flagLive: boolean;
  /** false when even a zero bonus through this collateral would lower health (HARD). */
  readonly canRaise: boolean;
  /** Collateral worth no more than the debt: nothing can save it (R3, R6). */
  readonly insolvent: boolean;
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

export function unknownCollateral(): { ok: false; reason: "UNKNOWN_COLLATERAL"; message: string } {
  return { ok: false, reason: "UNKNOWN_COLLATERAL", message: "This asset is not a collateral of the market." };
}

export function priceUnavailable(): { ok: false; reason: "PRICE_UNAVAILABLE"; message: string } {
  return { ok: false, reason: "PRICE_UNAVAILABLE", message: "A price feed is stale or invalid; the market would revert." };
}

/**
 * The least a slice or a policy execution may repay (R2, R9): half, rounded up, of what the account's largest
 * collateral could repay within `accountCap`. Set by the account, not the chosen collateral, so dust deposited on its
 * behalf can never be sliced, and nobody can spam it with dust executions.
 */
export function leastRepay(s: PositionSnapshot, h: LiquidationHealth, accountCap: bigint, onePlusBonus: bigint): bigint {
  const largestCap = valueToAmount((h.maxCollateralValue * WAD) / onePlusBonus, s.market.loanPrice, s.market.loanDecimals);
  const minBase = min(accountCap, largestCap);
  return minBase - minBase / 2n;
}

/** When a flag stops giving the right to slice (R1): a grace period and a slice interval after its last chance. */
export function flagLapsesAt(flaggedAt: bigint, lastSliceAt: bigint, p: RiskParams): bigint {
  const graceEnd = flaggedAt + BigInt(p.gracePeriod);
  const last = lastSliceAt > graceEnd ? lastSliceAt : graceEnd;
  return last + BigInt(p.gracePeriod) + BigInt(p.sliceInterval);
}

export function flagLive(s: PositionSnapshot, now: bigint): boolean {
  return s.flaggedAt !== 0n && now < flagLapsesAt(s.flaggedAt, s.lastSliceAt, s.market.risk);
}

interface SoftTiming {
  readonly flagLive: boolean;
  readonly allowedAt: bigint;
  readonly lapsedAt: bigint;
  readonly inGrace: boolean;
}

/** `_softTiming`: a flag's first slice after the grace unless below graceFloor; later ones interval(depth) apart. */
function softTiming(s: PositionSnapshot, hf: bigint, d: bigint, now: bigint): SoftTiming {
  const p = s.market.risk;
  const live = flagLive(s, now);
  const deep = hf < p.graceFloor;
  if (!live) {
    const lapsedAt = s.flaggedAt !== 0n ? flagLapsesAt(s.flaggedAt, s.lastSliceAt, p) : 0n;
    return { flagLive: false, allowedAt: deep ? now : 0n, lapsedAt, inGrace: false };
  }
  // The grace protects the first slice of a flag only; after it, only the spacing applies.
  if (s.lastSliceAt >= s.flaggedAt) {
    return { flagLive: true, allowedAt: s.lastSliceAt + intervalAtDepth(d, p.sliceInterval), lapsedAt: 0n, inGrace: false };
  }
  return { flagLive: true, allowedAt: deep ? s.flaggedAt : s.flaggedAt + BigInt(p.gracePeriod), lapsedAt: 0n, inGrace: !deep };
}

/** `_quote` at time `now` (prices and debt as in the snapshot): zone, timing, bonus and caps through `asset`. */
export function quote(
  s: PositionSnapshot,
  asset: Address | number,
  now: bigint = s.timestamp,
  precomputed?: LiquidationHealth,
): Result<Quote, QuoteError> {
  const i = collateralIndex(s, asset);
  const c = s.market.collaterals[i];
  if (!c) return unknownCollateral();
  const h = precomputed ?? liquidationHealth(s, i);
  if (!h.ok) return priceUnavailable();
  const m = s.market;
  const p = m.risk;
  const z = zoneOf(h.healthFactor, p.hardHealth);
  const base = { healthFactor: h.healthFactor, debt: h.debt, balance: c.balance, minRepay: 0n, allowedAt: 0n, lapsedAt: 0n };
  if (z === Zone.HEALTHY) {
    return { ok: true, ...base, zone: z, bonus: 0n, repayCap: 0n, collateralCap: 0n, inGrace: false, flagLive: false, canRaise: true, insolvent: false };
  }
  const insolvent = h.collateralValue <= h.debtValue;
  const d = depth(h.healthFactor, p.hardHealth);
  let timing: SoftTiming = { flagLive: false, allowedAt: 0n, lapsedAt: 0n, inGrace: false };
  let bonus: bigint;
  let canRaise = true;
  if (z === Zone.SOFT) {
    timing = softTiming(s, h.healthFactor, d, now);
    const elapsed = timing.allowedAt !== 0n && now > timing.allowedAt ? now - timing.allowedAt : 0n;
    bonus = softBonus(d, elapsed, p);
  } else if (insolvent) {
    bonus = p.softBonusMax;
  } else {
    const hard = hardBonusFor(h.healthFactor, c.lt, p.hardBonus);
    bonus = hard.bonus;
    canRaise = hard.ok;
  }
  const onePlusBonus = WAD + bonus;
  const value = collateralValue(c.balance, c.price, c.decimals);
  const collateralCap = valueToAmount((value * WAD) / onePlusBonus, m.loanPrice, m.loanDecimals);
  let accountCap = h.debt;
  let minRepay = 0n;
  if (!insolvent) {
    accountCap = valueToAmount(
      repayToTargetValue(h.collateralPower, h.debtValue, p.targetHealth, onePlusBonus, c.lt),
      m.loanPrice,
      m.loanDecimals,
    );
    if (z === Zone.SOFT) {
      accountCap = min(accountCap, (h.debt * shareAtDepth(d, p.sliceCap)) / WAD);
      minRepay = leastRepay(s, h, accountCap, onePlusBonus);
    } else if (p.hardCloseFactor !== 0n) {
      accountCap = max(accountCap, (h.debt * p.hardCloseFactor) / WAD);
    }
  }
  return {
    ok: true,
    ...base,
    zone: z,
    bonus,
    repayCap: min(accountCap, collateralCap),
    minRepay,
    collateralCap,
    allowedAt: timing.allowedAt,
    lapsedAt: timing.lapsedAt,
    inGrace: timing.inGrace,
    flagLive: timing.flagLive,
    canRaise,
    insolvent,
  };
}

/** Collateral received for repaying `repay` through collateral `i` at the quote's bonus (a slice's, a hard
 * liquidation's or a policy execution's): the whole balance when the collateral is the binding cap, as `_seized`. */
export function seizedForRepay(
  s: PositionSnapshot,
  i: number,
  q: Pick<Quote, "collateralCap" | "balance" | "bonus">,
  repay: bigint,
): bigint {
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
  const q = quote(s, i < 0 ? asset : i, now);
  if (!q.ok) return q;
  const empty = { ok: true as const, repayCap: 0n, seized: 0n, bonus: 0n, zone: q.zone, allowed: false, allowedAt: 0n, healthFactor: q.healthFactor };
  if (q.zone === Zone.HEALTHY) return empty;
  const seized = q.repayCap !== 0n ? seizedForRepay(s, i, q, q.repayCap) : 0n;
  const sizeOk = q.canRaise && q.repayCap !== 0n && q.repayCap >= q.minRepay;
  if (q.zone === Zone.HARD) return { ...empty, bonus: q.bonus, repayCap: q.repayCap, seized, allowed: sizeOk };
  return {
    ...empty,
    bonus: q.bonus,
    repayCap: q.repayCap,
    seized,
    allowedAt: q.allowedAt,
    allowed: q.allowedAt !== 0n && now >= q.allowedAt && sizeOk,
  };
}

/** The liquidation clock as a borrower sees it. */
export interface LiquidationTimers {
  /** The account has a live flag. */
  readonly flagged: boolean;
  /** flaggedAt + gracePeriod (0 when not flagged). */
  readonly graceEndsAt: bigint;
  /** Health is below the grace floor: slices need no grace (R1). */
  readonly graceSkipped: boolean;
  /** lastSliceAt + interval(depth) for this flag's slices (0 before the first). */
  readonly nextSliceAt: bigint;
  /** When a soft slice becomes possible (0 when not flagged and above the grace floor). */
  readonly sliceAllowedAt: bigint;
  /** When the flag lapses if nothing is sliced (0 when not flagged). */
  readonly flagLapsesAt: bigint;
  readonly graceRemaining: bigint;
  readonly intervalRemaining: bigint;
  /** Seconds until a soft slice is allowed (0 when allowed now or not flagged). */
  readonly secondsUntilSlice: bigint;
}

/** The clock at `now` for the snapshot's health (interest and prices as in the snapshot). */
export function liquidationTimers(s: PositionSnapshot, now: bigint = s.timestamp): LiquidationTimers {
  const p = s.market.risk;
  const h = liquidationHealth(s);
  const hf = h.ok ? h.healthFactor : MAX_UINT256;
  const flagged = flagLive(s, now);
  const graceEndsAt = flagged ? s.flaggedAt + BigInt(p.gracePeriod) : 0n;
  const graceSkipped = hf < p.graceFloor;
  const d = depth(hf, p.hardHealth);
  const nextSliceAt = flagged && s.lastSliceAt >= s.flaggedAt ? s.lastSliceAt + intervalAtDepth(d, p.sliceInterval) : 0n;
  const timing = hf < WAD && hf >= p.hardHealth ? softTiming(s, hf, d, now) : undefined;
  const sliceAllowedAt = timing?.allowedAt ?? 0n;
  const left = (t: bigint) => (t > now ? t - now : 0n);
  return {
    flagged,
    graceEndsAt,
    graceSkipped,
    nextSliceAt,
    sliceAllowedAt,
    flagLapsesAt: flagged ? flagLapsesAt(s.flaggedAt, s.lastSliceAt, p) : 0n,
    graceRemaining: graceSkipped ? 0n : left(graceEndsAt),
    intervalRemaining: left(nextSliceAt),
    secondsUntilSlice: sliceAllowedAt !== 0n ? left(sliceAllowedAt) : 0n,
  };
}

export type LiquidateError =
  | QuoteError
  | "ZERO_AMOUNT"
  | "HEALTHY_ACCOUNT"
  | "NOT_FLAGGED"
  | "FLAG_LAPSED"
  | "GRACE_PERIOD_ACTIVE"
  | "SLICE_INTERVAL_ACTIVE"
  | "CANNOT_RAISE_HEALTH"
  | "NOTHING_TO_LIQUIDATE"
  | "SLICE_TOO_SMALL"
  | "LIQUIDATION_LOWERS_HEALTH"
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
  /** The call flagged the account itself (a soft slice below the grace floor on an unflagged account). */
  readonly flagged: boolean;
}

/**
 * Applies `liquidate(account, collateral, maxRepay, minSeized)` to the snapshot as the market would in a block at
 * `options.at` (default: the snapshot's timestamp). Interest is not accrued between the snapshot and `at`.
 */
export function applyLiquidation(
  s: PositionSnapshot,
  asset: Address | number,
  options: { maxRepay?: bigint; minSeized?: bigint; at?: bigint } = {},
): Result<LiquidationOutcome, LiquidateError> {
  const maxRepay = options.maxRepay ?? MAX_UINT256;
  const now = options.at ?? s.timestamp;
  const i = collateralIndex(s, asset);
  if (i < 0) return unknownCollateral();
  if (maxRepay <= 0n) return { ok: false, reason: "ZERO_AMOUNT", message: "maxRepay must be positive." };
  const q = quote(s, i, now);
  if (!q.ok) return q;
  if (q.zone === Zone.HEALTHY) return { ok: false, reason: "HEALTHY_ACCOUNT", message: "The account is healthy." };
  if (q.zone === Zone.SOFT) {
    if (q.allowedAt === 0n) {
      if (q.lapsedAt !== 0n) return { ok: false, reason: "FLAG_LAPSED", message: `The flag lapsed at ${q.lapsedAt}; flag the account again.` };
      return { ok: false, reason: "NOT_FLAGGED", message: "The account must be flagged first." };
    }
    if (now < q.allowedAt) {
      if (q.inGrace) return { ok: false, reason: "GRACE_PERIOD_ACTIVE", message: `The grace period runs until ${q.allowedAt}.` };
      return { ok: false, reason: "SLICE_INTERVAL_ACTIVE", message: `The next slice is allowed at ${q.allowedAt}.` };
    }
  }
  if (!q.canRaise) {
    return { ok: false, reason: "CANNOT_RAISE_HEALTH", message: "A liquidation through this collateral would lower health; take another." };
  }
  const repaid = min(maxRepay, q.repayCap);
  if (repaid === 0n) return { ok: false, reason: "NOTHING_TO_LIQUIDATE", message: "Nothing can be liquidated through this collateral." };
  if (repaid < q.minRepay) {
    return { ok: false, reason: "SLICE_TOO_SMALL", message: `A soft slice must repay at least ${q.minRepay}.` };
  }
  const seized = seizedForRepay(s, i, q, repaid);
  if (options.minSeized !== undefined && seized < options.minSeized) {
    return { ok: false, reason: "SEIZED_BELOW_MINIMUM", message: `Would seize ${seized}, below ${options.minSeized}.` };
  }
  const flagged = q.zone === Zone.SOFT && !q.flagLive;
  const idx = s.market.borrowIndex;
  const scaledRepaid = repaid === q.debt ? s.scaledDebt : min(s.scaledDebt, (repaid * WAD) / idx);
  const balances = s.market.collaterals.map((c, k) => (k === i ? q.balance - seized : c.balance));
  let scaledDebt = s.scaledDebt - scaledRepaid;
  let flaggedAt = flagged ? now : s.flaggedAt;
  let badDebt = 0n;
  let hfAfter: bigint;
  const noCollateralLeft = balances.every((b) => b === 0n);
  let next: PositionSnapshot;
  if (noCollateralLeft && scaledDebt !== 0n) {
    badDebt = debtFromScaled(scaledDebt, idx);
    scaledDebt = 0n;
    flaggedAt = 0n;
    hfAfter = MAX_UINT256;
    next = writeOffBadDebt(withChanges(s, { balances, scaledDebt, flaggedAt, lastSliceAt: now, timestamp: now, cashDelta: repaid }), badDebt);
  } else {
    next = withChanges(s, { balances, scaledDebt, flaggedAt, lastSliceAt: now, timestamp: now, cashDelta: repaid });
    hfAfter = liquidationHealth(next, i).healthFactor;
    if (!q.insolvent && hfAfter < q.healthFactor) {
      return { ok: false, reason: "LIQUIDATION_LOWERS_HEALTH", message: "This liquidation would lower health (rounding on dust); the market refuses it." };
    }
    // `next` was just derived by withChanges; clearing the flag moves none of its figures
    if (hfAfter >= WAD && flaggedAt !== 0n) next = { ...next, flaggedAt: 0n };
  }
  return { ok: true, snapshot: next, zone: q.zone, repaid, seized, bonus: q.bonus, healthBefore: q.healthFactor, healthAfter: hfAfter, badDebt, flagged };
}

/** `_writeOffBadDebt`'s effect on the market: the insurance fund covers what it can, lenders absorb the rest. */
export function writeOffBadDebt(next: PositionSnapshot, badDebt: bigint): PositionSnapshot {
  const covered = min(next.market.insuranceFund, badDebt);
  return {
    ...next,
    market: {
      ...next.market,
      insuranceFund: next.market.insuranceFund - covered,
      totalSocialisedBadDebt: next.market.totalSocialisedBadDebt + badDebt - covered,
    },
  };
}

/** The effect of `flag(account)` at `at`: needs HF < 1 (collateral at its last valid price) and no live flag. */
export function applyFlag(
  s: PositionSnapshot,
  at: bigint = s.timestamp,
): Result<{ snapshot: PositionSnapshot }, "ALREADY_FLAGGED" | "HEALTHY_ACCOUNT" | "PRICE_UNAVAILABLE"> {
  if (flagLive(s, at)) return { ok: false, reason: "ALREADY_FLAGGED", message: `Flagged at ${s.flaggedAt}.` };
  const h = liquidationHealth(s);
  if (!h.ok) return priceUnavailable();
  if (h.healthFactor >= WAD) return { ok: false, reason: "HEALTHY_ACCOUNT", message: "HF >= 1: nothing to flag." };
  return { ok: true, snapshot: withChanges(s, { flaggedAt: at, timestamp: at }) };
}

/**
 * Which collateral a prompt keeper liquidates at `now`: the held collateral with the largest USD value among those
 * the market would accept (fresh price, health can rise, cap at least the minimum); ties: lowest index. The keeper
 * imports this, so the band walk predicts what it will do.
 */
export function chooseLiquidationCollateral(s: PositionSnapshot, now: bigint = s.timestamp): number {
  const candidates: { i: number; value: bigint }[] = [];
  s.market.collaterals.forEach((c, i) => {
    if (c.balance !== 0n && c.priceOk) candidates.push({ i, value: collateralValue(c.balance, c.price, c.decimals) });
  });
  // largest value first; Array.prototype.sort is stable, so ties keep the lowest index first
  candidates.sort((a, b) => (a.value === b.value ? 0 : a.value > b.value ? -1 : 1));
  for (const { i } of candidates) {
    const q = quote(s, i, now);
    if (q.ok && q.zone !== Zone.HEALTHY && q.canRaise && q.repayCap !== 0n && q.repayCap >= q.minRepay) return i;
  }
  return -1;
}
