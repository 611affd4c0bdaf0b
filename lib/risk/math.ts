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

/** Soft bonus: softBonusMin at HF 1 rising linearly to softBonusMax at hardHealth. Rounds down. */
export function softBonus(hf: bigint, p: RiskParams): bigint {
  return p.softBonusMin + ((p.softBonusMax - p.softBonusMin) * (WAD - hf)) / (WAD - p.hardHealth);
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

/** (1 + ratePerSecond) ** elapsed as a WAD, by squaring, each product rounded down (as the contract). */
export function compound(ratePerSecond: bigint, elapsed: bigint): bigint {
  let x = WAD + ratePerSecond;
  let z = elapsed % 2n !== 0n ? x : WAD;
  for (elapsed /= 2n; elapsed !== 0n; elapsed /= 2n) {
    x = (x * x) / WAD;
    if (elapsed % 2n !== 0n) z = (z * x) / WAD;
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
