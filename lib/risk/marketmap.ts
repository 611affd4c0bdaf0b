/**
 * The market-wide liquidation map: for a fall in one collateral's price (the others held) or in every volatile
 * collateral together, how much debt would sit in SOFT and in HARD, and how much collateral the unwinding would sell
 * to bring those positions back to the target health, over every known position. "Where is the liquidation wall?"
 *
 * Each position is judged as if the price jumped to the level: the sale is what restores `targetHealth` through the
 * position's largest collateral at the zone's bonus (the soft auction's opening bonus, or the hard bonus), capped by
 * that collateral. It is the size of the wall, not a path: slices spread it over time and a recovering price shrinks it.
 */
import { WAD, collateralValue, repayToTargetValue } from "./math";
import { health } from "./position";
import { movingAssets } from "./bands";
import type { PositionSnapshot } from "./types";

export interface MapStep {
  /** Fall in % of the moving prices (0 = today). */
  readonly fallPct: number;
  /** USD (WAD) of debt of positions that would be in SOFT / in HARD at that level. */
  readonly softDebt: bigint;
  readonly hardDebt: bigint;
  readonly softPositions: number;
  readonly hardPositions: number;
  /** USD (WAD) of collateral sold to restore the target health, at the fallen prices. */
  readonly soldValue: bigint;
  /** The moving collateral's units sold (single-asset scenarios; 0 for the market-wide one). */
  readonly soldAmount: bigint;
}

export interface MapScenario {
  /** A collateral's symbol, or "market" for every volatile collateral together. */
  readonly key: string;
  readonly label: string;
  readonly decimals: number | null;
  readonly steps: readonly MapStep[];
}

export interface MapOptions {
  readonly stepPct?: number;
  readonly toPct?: number;
}

export function liquidationMap(positions: readonly PositionSnapshot[], options: MapOptions = {}): MapScenario[] {
  const stepPct = options.stepPct ?? 5;
  const toPct = options.toPct ?? 60;
  if (!(stepPct > 0) || !(toPct > 0) || toPct > 95 || !Number.isInteger(stepPct) || !Number.isInteger(toPct)) {
    throw new RangeError("stepPct and toPct must be whole percentages, 0 < toPct <= 95");
  }
  const live = positions.filter((s) => s.debt > 0n && health(s).ok);
  const first = positions[0];
  if (!first) return [];
  const volatile = movingAssets(first);
  const scenarios: { key: string; label: string; decimals: number | null; moving: number[] }[] = [
    { key: "market", label: "Every volatile collateral together", decimals: null, moving: volatile },
    ...volatile.map((i) => {
      const c = first.market.collaterals[i]!;
      return { key: c.symbol, label: `${c.symbol} alone`, decimals: c.decimals, moving: [i] };
    }),
  ];
  const falls: number[] = [];
  for (let f = 0; f <= toPct; f += stepPct) falls.push(f);

  return scenarios.map((sc) => ({
    key: sc.key,
    label: sc.label,
    decimals: sc.decimals,
    steps: falls.map((fallPct) => {
      const multiplier = (WAD * BigInt(100 - fallPct)) / 100n;
      let softDebt = 0n;
      let hardDebt = 0n;
      let softPositions = 0;
      let hardPositions = 0;
      let soldValue = 0n;
      let soldAmount = 0n;
      for (const s of live) {
        const r = s.market.risk;
        const h = health(s);
        // Values at the fallen prices, each collateral rounded down as the market does.
        let power = 0n;
        let best = -1;
        let bestValue = 0n;
        const values = s.market.collaterals.map((c, i) => {
          if (c.balance === 0n) return 0n;
          const price = sc.moving.includes(i) ? (c.price * multiplier) / WAD : c.price;
          const value = collateralValue(c.balance, price, c.decimals);
          power += (value * c.lt) / WAD;
          if (value > bestValue) {
            bestValue = value;
            best = i;
          }
          return value;
        });
        const hf = h.debtValue === 0n ? 2n ** 255n : (power * WAD) / h.debtValue;
        if (hf >= WAD) continue;
        const hard = hf < r.hardHealth;
        if (hard) {
          hardDebt += h.debtValue;
          hardPositions += 1;
        } else {
          softDebt += h.debtValue;
          softPositions += 1;
        }
        if (best < 0) continue;
        const c = s.market.collaterals[best]!;
        const bonus = hard ? r.hardBonus : r.softBonusMin;
        const onePlus = WAD + bonus;
        // A sale through a collateral whose threshold times the bonus exceeds the target cannot restore it: all of it goes.
        const reachable = r.targetHealth > (onePlus * c.lt) / WAD;
        const repay = reachable ? repayToTargetValue(power, h.debtValue, r.targetHealth, onePlus, c.lt) : h.debtValue;
        const capped = repay > h.debtValue ? h.debtValue : repay;
        let sold = (capped * onePlus) / WAD;
        if (sold > values[best]!) sold = values[best]!;
        soldValue += sold;
        if (sc.moving.length === 1 && best === sc.moving[0]) {
          const price = (c.price * multiplier) / WAD;
          soldAmount += price === 0n ? c.balance : (sold * 10n ** BigInt(c.decimals)) / price;
        }
      }
      return { fallPct, softDebt, hardDebt, softPositions, hardPositions, soldValue, soldAmount };
    }),
  }));
}

