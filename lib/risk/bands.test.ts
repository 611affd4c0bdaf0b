import { describe, expect, it } from "vitest";
import { bandExposure, compareExposure, conventionalRisk, isStablecoin, movingAssets } from "./bands";
import { DEVNET_CONVENTIONAL_RISK, DEVNET_SOFT_RISK, makeSnapshot, units } from "./fixtures";
import { WAD } from "./math";
import { Zone } from "./types";

const ETH = (n: number | bigint) => units(n, 18);
const BTC = (n: number | bigint) => units(n, 8);
const USDC = (n: number | bigint) => units(n, 6);
const T0 = 1_800_000_000n;
// 10 WETH at $3000 against 20,000 USDC: HF 1.275, soft start at $2352.94
const s = makeSnapshot({ balances: { WETH: ETH(10) }, debt: USDC(20_000), timestamp: T0 });

function walk(speed: number, risk = DEVNET_SOFT_RISK) {
  const r = bandExposure(s, { speedPctPerHour: speed, stepPct: 0.1, depthPct: 60, bandCount: 12, risk });
  if (!r.ok) throw new Error(r.message);
  return r.exposure;
}

describe("bandExposure", () => {
  it("10%/h in 0.1% steps (36 s each): flags at $2352, first slice after the 600 s grace at $2304", () => {
    const e = walk(10);
    expect(e.stepSeconds).toBeCloseTo(36, 9);
    // HF < 1 first at multiplier 0.784 (price 2352, HF 0.9996); at 0.785 HF is 1.000875
    expect(e.softStart).toMatchObject({ step: 216, multiplier: 784n * 10n ** 15n, time: T0 + 216n * 36n });
    const first = e.events[0]!;
    // flagged at T0 + 7776, grace ends T0 + 8376, which falls in step 232 (T0 + 8352 … 8388), price 2304, HF 0.9792
    expect(first).toMatchObject({ step: 232, time: T0 + 8376n, zone: Zone.SOFT, collateral: 0 });
    // bonus 0.5% + 2.5% · 0.0208 / 0.05 = 1.54%; slice cap 2,000 binds (target cap 5,200)
    expect(first.bonus).toBe(15_400_000_000_000_000n);
    expect(first.repaid).toBe(USDC(2000));
    // 2,000 · 1.0154 / 2304 WETH
    expect(first.seized).toBe(881_423_611_111_111_111n);
    expect(first.penalty).toBe(first.soldValue - first.repaidValue);
    // the next slice waits the 300 s interval
    expect(e.events[1]!.time - first.time).toBeGreaterThanOrEqual(300n);
  });

  it("conventional mode: at the first HF < 1 it repays 50% of the debt at an 8% bonus", () => {
    const e = walk(10, DEVNET_CONVENTIONAL_RISK);
    const first = e.events[0]!;
    expect(first).toMatchObject({ step: 216, zone: Zone.HARD, repaid: USDC(10_000), bonus: 8n * 10n ** 16n });
    // 10,800 / 2352 WETH; what is left (5.408… WETH) carries 10,000 of debt at HF 1.0812
    expect(first.seized).toBe(4_591_836_734_693_877_551n);
    expect(first.healthAfter).toBe(1_081_200_000_000_000_000n);
    expect(e.hardStart).toMatchObject({ step: 216 });
  });

  it("slow declines: the soft path sells less and pays a fraction of the conventional penalty", () => {
    const r = compareExposure(s, { speedPctPerHour: 2, stepPct: 0.1, depthPct: 60 });
    if (!r.ok) throw new Error(r.message);
    const { soft, conventional, penaltyRatio } = r.comparison;
    expect(soft.hardStart).toBeNull();
    expect(soft.totals.hardLiquidations).toBe(0);
    expect(conventional.totals.soldValue).toBeGreaterThan(soft.totals.soldValue);
    expect(penaltyRatio).toBeGreaterThan(5);
  });

  it("FINDING: a decline that outruns the grace period sells MORE in soft mode than in conventional mode", () => {
    // At 30%/h prices fall 5% during the 600 s grace: HF goes from 1 to below hardHealth 0.95 before the first
    // slice, and the hard liquidation (100% close factor, 8% bonus) repays all the debt at once: 21,600 sold.
    // The conventional market repays 50% slices at HF < 1 and sells 21,557.81 over the same path.
    const soft = walk(30);
    const conventional = walk(30, DEVNET_CONVENTIONAL_RISK);
    expect(soft.totals.softSlices).toBe(0);
    expect(soft.totals.hardLiquidations).toBe(1);
    expect(soft.totals.repaid).toBe(USDC(20_000));
    // 20,000 · 1.08, less the rounding-down of the seized WETH
    expect(soft.totals.soldValue).toBeGreaterThan(21_599_999n * 10n ** 15n);
    expect(soft.totals.soldValue).toBeLessThanOrEqual(21_600n * WAD);
    expect(conventional.totals.soldValue).toBeLessThan(soft.totals.soldValue);
  });

  it("bands partition the walk: contiguous multipliers, sold units per asset, HF per band", () => {
    const e = walk(5);
    expect(e.bands.length).toBe(12);
    expect(e.bands[0]!.fromMultiplier).toBe(WAD);
    for (let b = 1; b < e.bands.length; b++) expect(e.bands[b]!.fromMultiplier).toBe(e.bands[b - 1]!.toMultiplier);
    expect(e.bands.at(-1)!.toMultiplier).toBe(4n * 10n ** 17n);
    const selling = e.bands.filter((b) => b.soldUnits[0]! > 0n);
    expect(selling.length).toBeGreaterThan(1);
    // prices at band edges follow the multiplier
    expect(e.bands[1]!.fromPrices[0]).toBe((3000n * WAD * e.bands[1]!.fromMultiplier) / WAD);
  });

  it("bad debt needs a price gap: 1 WBTC (8 decimals) against 45,000 USDC in 20% steps", () => {
    const btc = makeSnapshot({ balances: { WBTC: BTC(1) }, debt: USDC(45_000), timestamp: T0 });
    const r = bandExposure(btc, { speedPctPerHour: 200, stepPct: 20, depthPct: 80 });
    if (!r.ok) throw new Error(r.message);
    const e = r.exposure;
    // at $48,000 HF is 0.832 (HARD); the collateral covers only 48,000 / 1.08 = 44,444.444444 USDC of repay,
    // so the whole WBTC is seized and the remaining 555.555556 USDC is written off
    expect(e.badDebtStart).toMatchObject({ step: 1, multiplier: 8n * 10n ** 17n });
    expect(e.events).toHaveLength(1);
    expect(e.events[0]).toMatchObject({ repaid: 44_444_444_444n, seized: BTC(1), badDebt: 555_555_556n });
    expect(e.final.debt).toBe(0n);
    // in 1% steps the same position is hard-liquidated in full before the collateral runs short: no bad debt
    const smooth = bandExposure(btc, { speedPctPerHour: 200, stepPct: 1, depthPct: 80 });
    expect(smooth.ok && smooth.exposure.totals.badDebt).toBe(0n);
  });

  it("only the chosen assets move; stablecoin collaterals stay fixed by default", () => {
    expect(isStablecoin("USDC")).toBe(true);
    expect(isStablecoin("WETH")).toBe(false);
    const mixed = makeSnapshot({ balances: { WETH: ETH(10), WBTC: BTC(1) }, debt: USDC(60_000) });
    expect(movingAssets(mixed)).toEqual([0, 1, 2]);
    const r = bandExposure(mixed, { speedPctPerHour: 10, assets: [0], depthPct: 50, bandCount: 5 });
    if (!r.ok) throw new Error(r.message);
    expect(r.exposure.bands.at(-1)!.toPrices[2]).toBe(60_000n * WAD);
    expect(r.exposure.bands.at(-1)!.toPrices[0]).toBe(1500n * WAD);
  });

  it("rejects nonsense options with a reason", () => {
    expect(bandExposure(s, { speedPctPerHour: 0 })).toMatchObject({ ok: false, reason: "INVALID_SPEED" });
    expect(bandExposure(s, { speedPctPerHour: Number.NaN })).toMatchObject({ ok: false, reason: "INVALID_SPEED" });
    expect(bandExposure(s, { speedPctPerHour: 10, stepPct: 0 })).toMatchObject({ ok: false, reason: "INVALID_STEP" });
    expect(bandExposure(s, { speedPctPerHour: 10, stepPct: 150 })).toMatchObject({ ok: false, reason: "INVALID_STEP" });
  });

  it("conventionalRisk is DESIGN §2.4.7", () => {
    expect(conventionalRisk(DEVNET_SOFT_RISK)).toEqual(DEVNET_CONVENTIONAL_RISK);
  });
});
