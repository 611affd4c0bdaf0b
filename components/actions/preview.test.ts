import { describe, expect, it } from "vitest";
import { STANDARD_DECLINE, WAD, compareExposure, marketShock, zoneThresholds } from "@/lib/risk";
import { makeSnapshot, units } from "@/lib/risk/fixtures";
import { bandSummary } from "./preview";

const ETH = (n: number) => units(n, 18);
const USDC = (n: number) => units(n, 6);

describe("one risk story: the preview quotes what the charts draw", () => {
  const positions = {
    healthy: makeSnapshot({ balances: { WETH: ETH(10), WBTC: units(1, 8) }, debt: USDC(60_000), timestamp: 1_800_000_000n }),
    soft: makeSnapshot({ balances: { WETH: ETH(10) }, prices: { WETH: units(2300, 18) }, debt: USDC(20_000), timestamp: 1_800_000_000n }),
  };

  for (const [name, s] of Object.entries(positions)) {
    it(`${name}: slices, hard liquidations, volume and penalty equal the band chart's at 10%/h`, () => {
      const b = bandSummary(s)!;
      const chart = compareExposure(s, { ...STANDARD_DECLINE });
      if (!chart.ok) throw new Error(chart.message);
      const t = chart.comparison.soft.totals;
      expect([b.softSlices, b.hardLiquidations, b.soldValue, b.penalty, b.badDebt]).toEqual([
        t.softSlices,
        t.hardLiquidations,
        t.soldValue,
        t.penalty,
        t.badDebt,
      ]);
      expect(b.hardStartAt).toBe(chart.comparison.soft.hardStart?.multiplier ?? null);
    });

    it(`${name}: the fall to SOFT equals the net-risk chart's threshold`, () => {
      const curve = marketShock(s);
      if (!curve.ok) throw new Error(curve.message);
      const m = curve.curve.softAtMultiplier!;
      expect(bandSummary(s)!.softAtFall).toBe(m >= WAD ? 0n : WAD - m);
    });
  }

  it("a position already in SOFT is told so, not 'soft after a 1% fall'", () => {
    expect(zoneThresholds(positions.soft).softAtFall).toBe(0n);
    expect(zoneThresholds(positions.healthy).softAtFall).toBeGreaterThan(0n);
  });
});
