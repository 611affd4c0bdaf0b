/**
 * Net risk: the health factor under a market-wide shock (volatile collaterals move together, stablecoins stay) or
 * under a move of one asset, computed exactly (bigint, the market's rounding) at each point.
 */
import type { Address } from "viem";
import { movingAssets } from "./bands";
import { WAD, collateralValue, healthFactorOf, zoneOf } from "./math";
import { collateralIndex, health } from "./position";
import type { PositionSnapshot, Result } from "./types";
import { Zone } from "./types";

export interface ShockPoint {
  /** Price move in % (−30 = every moving price 30% lower). */
  readonly shockPct: number;
  /** The same as a WAD multiplier of the moving prices. */
  readonly multiplier: bigint;
  readonly healthFactor: bigint;
  readonly zone: Zone;
}

export interface ShockOptions {
  /** Range and step of the move in % (default −80 … +50 in 5% steps). */
  readonly fromPct?: number;
  readonly toPct?: number;
  readonly stepPct?: number;
  /** Collaterals that move (default: every non-stablecoin collateral). */
  readonly assets?: readonly (Address | number)[];
}

export interface ShockCurve {
  readonly moving: readonly number[];
  readonly points: readonly ShockPoint[];
  /** Smallest move (%) keeping HF >= 1 / >= hardHealth: below it the account is SOFT / HARD. null: no move can. */
  readonly softAtPct: number | null;
  readonly hardAtPct: number | null;
  readonly softAtMultiplier: bigint | null;
  readonly hardAtMultiplier: bigint | null;
}

export type ShockError = "PRICE_UNAVAILABLE" | "INVALID_RANGE" | "UNKNOWN_COLLATERAL";

/** HF with the prices of `moving` collaterals multiplied by `multiplier` (WAD). */
export function healthAtMultiplier(s: PositionSnapshot, moving: readonly number[], multiplier: bigint): bigint {
  const h = health(s);
  if (h.debtValue === 0n) return h.healthFactor;
  let power = 0n;
  s.market.collaterals.forEach((c, i) => {
    if (c.balance === 0n) return;
    const price = moving.includes(i) ? (c.price * multiplier) / WAD : c.price;
    power += (collateralValue(c.balance, price, c.decimals) * c.lt) / WAD;
  });
  return healthFactorOf(power, h.debtValue);
}

/** Lowest multiplier (WAD) of the moving prices with HF >= threshold (HF is monotone in it). */
function thresholdMultiplier(s: PositionSnapshot, moving: readonly number[], threshold: bigint): bigint | null {
  if (healthAtMultiplier(s, moving, 0n) >= threshold) return null;
  let hi = WAD;
  while (healthAtMultiplier(s, moving, hi) < threshold) {
    hi *= 2n;
    if (hi > WAD * 10n ** 12n) return null;
  }
  let lo = 0n;
  while (lo < hi) {
    const mid = (lo + hi) / 2n;
    if (healthAtMultiplier(s, moving, mid) >= threshold) hi = mid;
    else lo = mid + 1n;
  }
  return lo;
}

/** Where a market-wide fall (every volatile collateral together, stablecoins fixed) crosses the zones, exactly. */
export interface ZoneThresholds {
  /**
   * The fall of the moving prices (a WAD fraction, 0.124e18 = 12.4%) at which health first drops below 1 / below
   * hardHealth, with nothing sold. 0 when the position is already there; null when no fall can take it there (or it
   * has no debt).
   */
  readonly softAtFall: bigint | null;
  readonly hardAtFall: bigint | null;
}

/** The exact thresholds every page quotes ("soft after a 12.4% fall"); `marketShock` draws the curve around them. */
export function zoneThresholds(s: PositionSnapshot, assets?: readonly (Address | number)[]): ZoneThresholds {
  const moving = movingAssets(s, assets);
  const fallTo = (threshold: bigint): bigint | null => {
    if (s.debt === 0n) return null;
    const m = thresholdMultiplier(s, moving, threshold);
    if (m === null) return null;
    // HF at m is >= threshold and just below m it is not: the first fall that crosses is 1 − m (0 when m >= 1).
    return m >= WAD ? 0n : WAD - m;
  };
  return { softAtFall: fallTo(WAD), hardAtFall: fallTo(s.market.risk.hardHealth) };
}

const multiplierToPct = (m: bigint) => (Number(m) / 1e18 - 1) * 100;

function shockCurve(s: PositionSnapshot, moving: number[], options: ShockOptions): Result<{ curve: ShockCurve }, ShockError> {
  const from = options.fromPct ?? -80;
  const to = options.toPct ?? 50;
  const step = options.stepPct ?? 5;
  if (!(from >= -100) || !(to > from) || !(step > 0) || (to - from) / step > 10_000) {
    return { ok: false, reason: "INVALID_RANGE", message: "The shock range must run from at least −100% upwards in positive steps." };
  }
  const h = health(s);
  if (!h.ok) return { ok: false, reason: "PRICE_UNAVAILABLE", message: "A price feed is stale or invalid." };
  const points: ShockPoint[] = [];
  const count = Math.floor((to - from) / step + 1e-9);
  for (let n = 0; n <= count; n++) {
    const pct = from + n * step;
    const multiplier = BigInt(Math.round((1 + pct / 100) * 1e9)) * 10n ** 9n;
    const hf = healthAtMultiplier(s, moving, multiplier < 0n ? 0n : multiplier);
    points.push({ shockPct: pct, multiplier, healthFactor: hf, zone: zoneOf(hf, s.market.risk.hardHealth) });
  }
  const softAt = thresholdMultiplier(s, moving, WAD);
  const hardAt = thresholdMultiplier(s, moving, s.market.risk.hardHealth);
  return {
    ok: true,
    curve: {
      moving,
      points,
      softAtMultiplier: softAt,
      hardAtMultiplier: hardAt,
      softAtPct: softAt === null ? null : multiplierToPct(softAt),
      hardAtPct: hardAt === null ? null : multiplierToPct(hardAt),
    },
  };
}

/** HF across a market-wide move of every volatile collateral together (stablecoins fixed unless listed). */
export function marketShock(s: PositionSnapshot, options: ShockOptions = {}): Result<{ curve: ShockCurve }, ShockError> {
  return shockCurve(s, movingAssets(s, options.assets), options);
}

/** HF across a move of one collateral, the others fixed. */
export function assetShock(
  s: PositionSnapshot,
  asset: Address | number,
  options: Omit<ShockOptions, "assets"> = {},
): Result<{ curve: ShockCurve }, ShockError> {
  const i = collateralIndex(s, asset);
  if (i < 0) return { ok: false, reason: "UNKNOWN_COLLATERAL", message: "This asset is not a collateral of the market." };
  return shockCurve(s, [i], options);
}
