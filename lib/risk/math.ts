/**
 * Bigint mirror of `RiskMath.sol` and `InterestRateLib.sol`. Every helper rounds the way the contract does, so a
 * value computed here equals the contract's to the wei.
 */
import type { RateModel, RiskParams } from "./types";
import { Zone } from "./types";

export const WAD = 10n ** 18n;
export const MAX_UINT256 = 2n ** 256n - 1n;
export const SECONDS_PER_YEAR = 365n * 24n * 3600n;

const POW10: bigint[] = Array.from({ length: 78 }, (_, i) => 10n ** BigInt(i));

/** 10 ** decimals, cached. */
export function pow10(decimals: number): bigint {
  const p = POW10[decimals];
  if (p === undefined) throw new RangeError(`unsupported decimals ${decimals}`);
  return p;
}

export function mulDivDown(x: bigint, y: bigint, d: bigint): bigint {
  return (x * y) / d;
}

export function mulDivUp(x: bigint, y: bigint, d: bigint): bigint {
  const p = x * y;
  const q = p / d;
  return q * d === p ? q : q + 1n;
}

export function min(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

export function max(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}

/** USD value (WAD) of `amount` base units at `price` per whole token. Rounds down. */
export function collateralValue(amount: bigint, price: bigint, decimals: number): bigint {
  return (amount * price) / pow10(decimals);
}

/** USD value (WAD) of `amount` of debt. Rounds up. */
export function debtValue(amount: bigint, price: bigint, decimals: number): bigint {
  return mulDivUp(amount, price, pow10(decimals));
}

/** Debt in loan units from scaled debt and the borrow index. Rounds up. */
export function debtFromScaled(scaledDebt: bigint, borrowIndex: bigint): bigint {
  return mulDivUp(scaledDebt, borrowIndex, WAD);
}

/** HF = power / debtValue as a WAD, rounded down; MAX_UINT256 without debt. */
export function healthFactorOf(collateralPower: bigint, debtValue_: bigint): bigint {
  if (debtValue_ === 0n) return MAX_UINT256;
  return (collateralPower * WAD) / debtValue_;
}

export function zoneOf(hf: bigint, hardHealth: bigint): Zone {
  if (hf >= WAD) return Zone.HEALTHY;
  if (hf >= hardHealth) return Zone.SOFT;
  return Zone.HARD;
}

/** Margin kept below the break-even bonus in HARD (`RiskMath.HEALTH_MARGIN`). */
export const HEALTH_MARGIN = 10n ** 15n;

/** Depth in the soft zone: (1 − hf) / (1 − hardHealth), 0 at HF ≥ 1, WAD at or below hardHealth. Rounds down. */
export function depth(hf: bigint, hardHealth: bigint): bigint {
  if (hf >= WAD) return 0n;
  if (hf <= hardHealth) return WAD;
  return ((WAD - hf) * WAD) / (WAD - hardHealth);
}

/** Spacing between soft slices at depth `d`: sliceInterval · (1 − d), rounded down. */
export function intervalAtDepth(d: bigint, sliceInterval: number): bigint {
  return (BigInt(sliceInterval) * (WAD - d)) / WAD;
}

/** Share of the debt a soft slice may repay at depth `d`: sliceCap + (1 − sliceCap) · d, rounded down. */
export function shareAtDepth(d: bigint, sliceCap: bigint): bigint {
  return sliceCap + ((WAD - sliceCap) * d) / WAD;
}

/**
 * The soft bonus: an auction that opens at softBonusMin + (max − min) · d and climbs to softBonusMax over
 * `bonusRamp` seconds after the slice became allowed. Rounds down.
 */
export function softBonus(d: bigint, elapsed: bigint, p: RiskParams): bigint {
  const ramp = BigInt(p.bonusRamp);
  const tau = elapsed >= ramp ? WAD : (elapsed * WAD) / ramp;
  const weight = d + tau > WAD ? WAD : d + tau;
  return p.softBonusMin + ((p.softBonusMax - p.softBonusMin) * weight) / WAD;
}

/**
 * The hard bonus through a collateral with threshold `lt`: the largest b ≤ hardBonus with
 * (1 + b) · lt ≤ hf · (1 − HEALTH_MARGIN), so the liquidation still raises health. `ok` false when even b = 0 cannot.
 */
export function hardBonusFor(hf: bigint, lt: bigint, hardBonus: bigint): { bonus: bigint; ok: boolean } {
  const onePlusMax = (((hf * (WAD - HEALTH_MARGIN)) / WAD) * WAD) / lt;
  if (onePlusMax < WAD) return { bonus: 0n, ok: false };
  return { bonus: min(onePlusMax - WAD, hardBonus), ok: true };
}

/** Repay value that brings HF to the target through a collateral with threshold `lt`. Rounds down. */
export function repayToTargetValue(
  power: bigint,
  debtValue_: bigint,
  targetHealth: bigint,
  onePlusBonus: bigint,
  lt: bigint,
): bigint {
  const targetPower = (targetHealth * debtValue_) / WAD;
  if (targetPower <= power) return 0n;
  const denominator = targetHealth - (onePlusBonus * lt) / WAD;
  return ((targetPower - power) * WAD) / denominator;
}

/** USD value (WAD) → units of a token at `price`. Rounds down. */
export function valueToAmount(value: bigint, price: bigint, decimals: number): bigint {
  return (value * pow10(decimals)) / price;
}

/** Collateral seized for repaying `repay`: value(repay) · (1 + b) / price_c, each step rounded down. */
export function seizedFor(
  repay: bigint,
  loanPrice: bigint,
  loanDecimals: number,
  onePlusBonus: bigint,
  collateralPrice: bigint,
  collateralDecimals: number,
): bigint {
  const repayValue = (repay * loanPrice) / pow10(loanDecimals);
  const seizedValue = (repayValue * onePlusBonus) / WAD;
  return (seizedValue * pow10(collateralDecimals)) / collateralPrice;
}

// ───────────── interest (InterestRateLib) ─────────────

export function utilization(totalDebt: bigint, supplied: bigint): bigint {
  if (supplied === 0n || totalDebt === 0n) return 0n;
  if (totalDebt >= supplied) return WAD;
  return (totalDebt * WAD) / supplied;
}

export function borrowRatePerYear(m: RateModel, u: bigint): bigint {
  if (u <= m.kink) return m.baseRate + (m.slope1 * u) / m.kink;
  return m.baseRate + m.slope1 + (m.slope2 * (u - m.kink)) / (WAD - m.kink);
}

export function borrowRatePerSecond(m: RateModel, u: bigint): bigint {
  return borrowRatePerYear(m, u) / SECONDS_PER_YEAR;
}

/** Growth at which compounding saturates, and the market's borrow-index ceiling (`MAX_BORROW_INDEX`). */
export const MAX_GROWTH = 10n ** 36n;
export const MAX_BORROW_INDEX = 10n ** 36n;

/** min((1 + ratePerSecond) ** elapsed, MAX_GROWTH) as a WAD, by squaring, each product rounded down (as the contract). */
export function compound(ratePerSecond: bigint, elapsed: bigint): bigint {
  let x = WAD + ratePerSecond;
  let z = elapsed % 2n !== 0n ? x : WAD;
  for (elapsed /= 2n; elapsed !== 0n; elapsed /= 2n) {
    x = (x * x) / WAD;
    if (x > MAX_GROWTH) return MAX_GROWTH;
    if (elapsed % 2n !== 0n) z = (z * x) / WAD;
    if (z > MAX_GROWTH) return MAX_GROWTH;
  }
  return z;
}

/** Smallest x in [lo, hi] with pred(x) true, given pred monotone (false…false true…true); undefined if none. */
export function searchFirstTrue(lo: bigint, hi: bigint, pred: (x: bigint) => boolean): bigint | undefined {
  if (lo > hi || !pred(hi)) return undefined;
  while (lo < hi) {
    const mid = (lo + hi) / 2n;
    if (pred(mid)) hi = mid;
    else lo = mid + 1n;
  }
  return lo;
}

/** Largest x in [lo, hi] with pred(x) true, given pred monotone (true…true false…false); undefined if none. */
export function searchLastTrue(lo: bigint, hi: bigint, pred: (x: bigint) => boolean): bigint | undefined {
  if (lo > hi || !pred(lo)) return undefined;
  while (lo < hi) {
    const mid = (lo + hi + 1n) / 2n;
    if (pred(mid)) lo = mid;
    else hi = mid - 1n;
  }
  return lo;
}

export function ceilDiv(a: bigint, b: bigint): bigint {
  return a <= 0n ? 0n : (a + b - 1n) / b;
}
