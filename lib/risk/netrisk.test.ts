import { describe, expect, it } from "vitest";
import { makeSnapshot, units } from "./fixtures";
import { WAD } from "./math";
import { assetShock, healthAtMultiplier, marketShock, zoneThresholds } from "./netrisk";
import { Zone } from "./types";

// 10 WETH ($30,000, LT 0.85) + 1 WBTC ($60,000, LT 0.78, 8 decimals) against 50,000 USDC: power 72,300, HF 1.446
const s = makeSnapshot({ balances: { WETH: units(10, 18), WBTC: units(1, 8) }, debt: units(50_000, 6) });

describe("net risk", () => {
  it("market-wide shock: HF scales with the move, SOFT from −30.84%, HARD from −39.14%", () => {
    const r = marketShock(s, { fromPct: -40, toPct: 20, stepPct: 10 });
    if (!r.ok) throw new Error(r.message);
    const { points, softAtPct, hardAtPct, softAtMultiplier } = r.curve;
    expect(points.map((p) => p.shockPct)).toEqual([-40, -30, -20, -10, 0, 10, 20]);
    // −20%: 0.8 · 72,300 / 50,000
    expect(points[2]!.healthFactor).toBe(1_156_800_000_000_000_000n);
    expect(points[4]!.healthFactor).toBe(1_446_000_000_000_000_000n);
    expect(points[0]!.zone).toBe(Zone.HARD); // 0.6 · 1.446 = 0.8676 < 0.88
    expect(points[1]!.zone).toBe(Zone.HEALTHY); // 0.7 · 1.446 = 1.0122
    // 1 / 1.446 = 0.691563 → −30.84%; 0.88 / 1.446 = 0.608575 → −39.14%
    expect(softAtPct).toBeCloseTo(-30.8437, 3);
    expect(hardAtPct).toBeCloseTo(-39.1425, 3);
    // exact edge: at the multiplier HF >= 1, one wei lower HF < 1
    expect(healthAtMultiplier(s, [0, 1, 2], softAtMultiplier!)).toBeGreaterThanOrEqual(WAD);
    expect(healthAtMultiplier(s, [0, 1, 2], softAtMultiplier! - 1n)).toBeLessThan(WAD);
  });

  it("single asset: WBTC alone must fall 47.65% (to $31,410.26) for SOFT", () => {
    const r = assetShock(s, 2, { fromPct: -60, toPct: 0, stepPct: 20 });
    if (!r.ok) throw new Error(r.message);
    expect(r.curve.moving).toEqual([2]);
    expect(r.curve.softAtPct).toBeCloseTo(-47.6496, 3);
    // −60%: WBTC $24,000 · 0.78 = 18,720 + 25,500 = 44,220 → HF 0.8844
    expect(r.curve.points[0]!.healthFactor).toBe(884_400_000_000_000_000n);
  });

  it("no move can liquidate when the fixed collateral covers the debt; bad ranges are refused", () => {
    const safe = makeSnapshot({ balances: { WETH: units(10, 18), WBTC: units(1, 8) }, debt: units(20_000, 6) });
    const r = assetShock(safe, 0);
    expect(r.ok && r.curve.softAtPct).toBeNull();
    expect(marketShock(s, { fromPct: 10, toPct: 0 })).toMatchObject({ ok: false, reason: "INVALID_RANGE" });
    expect(marketShock(s, { fromPct: -150 })).toMatchObject({ ok: false, reason: "INVALID_RANGE" });
    expect(assetShock(s, 9)).toMatchObject({ ok: false, reason: "UNKNOWN_COLLATERAL" });
  });
});

describe("zoneThresholds", () => {
  it("is the exact fall that first crosses 1 and hardHealth, 0 when already there, null without debt", () => {
    // 10 WETH at $3,000 (LT 0.85) against 20,000: power 25,500 → HF 1 at m = 20,000 / 25,500 = 0.784313…
    const one = makeSnapshot({ balances: { WETH: units(10, 18) }, debt: units(20_000, 6) });
    const t = zoneThresholds(one);
    const m = WAD - t.softAtFall!;
    expect(healthAtMultiplier(one, [0, 1, 2], m)).toBeGreaterThanOrEqual(WAD);
    expect(healthAtMultiplier(one, [0, 1, 2], m - 1n)).toBeLessThan(WAD);
    expect(Number(t.softAtFall!) / 1e18).toBeCloseTo(1 - 20_000 / 25_500, 12);
    // hardHealth 0.88: HF 0.88 at m = 0.88 · 20,000 / 25,500
    expect(Number(t.hardAtFall!) / 1e18).toBeCloseTo(1 - (0.88 * 20_000) / 25_500, 12);
    const soft = makeSnapshot({ balances: { WETH: units(10, 18) }, prices: { WETH: 2300n * WAD }, debt: units(20_000, 6) });
    expect(zoneThresholds(soft)).toMatchObject({ softAtFall: 0n });
    expect(zoneThresholds(makeSnapshot({ balances: { WETH: units(1, 18) } }))).toEqual({ softAtFall: null, hardAtFall: null });
  });
});
