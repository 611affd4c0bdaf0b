import { describe, expect, it } from "vitest";
import { bandExposure, compareExposure, conventionalRisk, isStablecoin, movingAssets } from "./bands";
import { DEVNET_CONVENTIONAL_RISK, DEVNET_SOFT_RISK, type FixtureOptions, makeSnapshot as makeDevnetSnapshot, units, WORKED_EXAMPLE_RISK } from "./fixtures";
import { WAD } from "./math";
import { Zone } from "./types";

const ETH = (n: number | bigint) => units(n, 18);
const BTC = (n: number | bigint) => units(n, 8);
const USDC = (n: number | bigint) => units(n, 6);
const T0 = 1_800_000_000n;
/** The examples are worked out by hand with the worked-example parameters (an auction of 0.5% → 2% over 600 s). */
const makeSnapshot = (o: FixtureOptions = {}) => makeDevnetSnapshot({ risk: WORKED_EXAMPLE_RISK, ...o });
// 10 WETH at $3000 against 20,000 USDC: HF 1.275, soft start at $2352.94
const s = makeSnapshot({ balances: { WETH: ETH(10) }, debt: USDC(20_000), timestamp: T0 });

function walk(speed: number, risk = WORKED_EXAMPLE_RISK) {
  const r = bandExposure(s, { speedPctPerHour: speed, stepPct: 0.1, depthPct: 60, bandCount: 12, risk });
  if (!r.ok) throw new Error(r.message);
  return r.exposure;
}

describe("bandExposure", () => {
  it("10%/h in 0.1% steps (36 s each): flags at $2352, first slice after the 600 s grace at $2304, restoring 1.02", () => {
    const e = walk(10);
    expect(e.stepSeconds).toBeCloseTo(36, 9);
    // HF < 1 first at multiplier 0.784 (price 2352, HF 0.9996); at 0.785 HF is 1.000875
    expect(e.softStart).toMatchObject({ step: 216, multiplier: 784n * 10n ** 15n, time: T0 + 216n * 36n });
    const first = e.events[0]!;
    // flagged at T0 + 7776, grace ends T0 + 8376, which falls in step 232 (T0 + 8352 … 8388), price 2304, HF 0.9792;
    // HF stays above the 0.97 grace floor until multiplier 0.7607 (step 240), so the grace is waited out
    expect(first).toMatchObject({ step: 232, time: T0 + 8376n, zone: Zone.SOFT, collateral: 0, healthBefore: 979_200_000_000_000_000n });
    // d = 0.0208 / 0.12 = 0.17333…, τ = 0 at the grace end: b = 0.5% + 1.5% · 0.17333… = 0.76% (less a wei: d rounds down)
    expect(first.bonus).toBe(7_600_000_000_000_000n - 1n);
    // share 10% + 90% · 0.17333… = 25.6% (5,120) > R_T = (20,400 − 19,584) / (1.02 − 1.0076 · 0.85) = 816 / 0.16354 = 4,989.604989…
    expect(first.repaid).toBe(4_989_604_989n);
    // 4,989.604989 · 1.0076 / 2304 WETH
    expect(first.seized).toBe(2_182_085_931_821_354_164n);
    expect(first.penalty).toBe(first.soldValue - first.repaidValue);
    // lands on 1.02 (within rounding), which clears the flag
    expect(first.healthAfter).toBeGreaterThan(1_019_999_999_990_000_000n);
    expect(first.healthAfter).toBeLessThan(102n * 10n ** 16n);
    // HF ∝ price until the next action: 1.02 · m / 0.768 < 1 first at m = 0.752 (step 248, T0 + 8928, HF 0.99875);
    // a new flag there waits a new 600 s grace: T0 + 9528, in step 264 (price 2208, HF 1.02 · 0.736 / 0.768 = 0.9775)
    const second = e.events[1]!;
    expect(second).toMatchObject({ step: 264, time: T0 + 9528n, zone: Zone.SOFT });
    expect(second.healthBefore).toBeGreaterThan(977_499_999_990_000_000n);
    expect(second.healthBefore).toBeLessThan(977_500_000_000_000_000n);
    // a slow decline never gets near HARD (0.88)
    expect(e.hardStart).toBeNull();
    expect(e.totals.hardLiquidations).toBe(0);
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

  it("FIXED: a decline that outruns the grace period now sells LESS in soft mode than in conventional mode, and stays out of HARD", () => {
    // v1 finding: at 30%/h prices fell 5% during the 600 s grace, HF went from 1 below the old hardHealth 0.95 before the
    // first slice, and the hard liquidation repaid all 20,000 at 8% (21,600 sold, more than conventional's 21,557.81).
    // v2: below the 0.97 grace floor the slice no longer waits for the grace period (R1).
    const soft = walk(30);
    const conventional = walk(30, DEVNET_CONVENTIONAL_RISK);
    // 0.1% steps take 12 s; HF < 1 first at step 216 (T0 + 2592): flagged, grace would end at T0 + 3192 (step 266)
    expect(soft.softStart).toMatchObject({ step: 216, time: T0 + 2592n });
    // HF = 1.275 · m < 0.97 first at m = 0.760 (step 240, T0 + 2880, price 2280, HF 0.969): sliced at once, 312 s
    // before the grace end, where HF would have been 1.275 · 0.734 = 0.936
    const first = soft.events[0]!;
    expect(first).toMatchObject({ step: 240, time: T0 + 2880n, zone: Zone.SOFT, healthBefore: 969n * 10n ** 15n });
    // the auction clock runs from the flag (allowedAt = flaggedAt below the floor): τ = 288 / 600 = 0.48,
    // d = 0.031 / 0.12 = 0.25833… → b = 0.5% + 1.5% · 0.73833… = 1.6075% (less a wei);
    // R_T = (20,400 − 19,380) / (1.02 − 1.016075 · 0.85) = 1,020 / 0.15633625 = 6,524.398532 < share 33.25% (6,650)
    expect(first.bonus).toBe(16_075_000_000_000_000n - 1n);
    expect(first.repaid).toBe(6_524_398_532n);
    expect(first.healthAfter).toBeGreaterThan(1_019_999_999_990_000_000n);
    // never HARD: every later dip is sliced back to 1.02 once HF is below the floor
    expect(soft.hardStart).toBeNull();
    expect(soft.totals.hardLiquidations).toBe(0);
    expect(soft.totals.softSlices).toBeGreaterThan(1);
    expect(soft.totals.badDebt).toBe(0n);
    for (const ev of soft.events) expect(ev.healthBefore).toBeGreaterThan(96n * 10n ** 16n);
    // conventional: nine 50% liquidations at 8% repay 20,000 · (1 − 2^−9) = 19,960.9375, selling 1.08 times that,
    // 21,557.8125, less the rounding-down of the seized WETH
    expect(conventional.totals.repaid).toBe(19_960_937_500n);
    expect(conventional.totals.soldValue).toBeGreaterThan(21_557_812_499_999n * 10n ** 6n);
    expect(conventional.totals.soldValue).toBeLessThanOrEqual(21_557_812_500n * 10n ** 12n);
    // soft: every bonus ≤ 2%, so sold ≤ 1.02 · repaid ≤ 1.02 · 20,000 = 20,400 < 21,557.81
    expect(soft.totals.repaid).toBeLessThanOrEqual(USDC(20_000));
    expect(soft.totals.soldValue * 100n).toBeLessThanOrEqual(soft.totals.repaidValue * 102n);
    expect(soft.totals.soldValue).toBeLessThan(conventional.totals.soldValue);
    // and the penalty: ≤ 2% · 20,000 = 400 against conventional's 8% · 19,960.9375 ≈ 1,596.87
    expect(soft.totals.penalty).toBeLessThanOrEqual(400n * WAD);
    expect(conventional.totals.penalty).toBeGreaterThan(1_596n * WAD);
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
    // step 1, $48,000: HF = 37,440 / 45,000 = 0.832 (HARD), value 48,000 > 45,000 (solvent).
    // b = 0.832 · 0.999 / 0.78 − 1 = 0.831168 / 0.78 − 1 = 6.56%;
    // R_T = (45,900 − 37,440) / (1.02 − 1.0656 · 0.78) = 8,460 / 0.188832 = 44,801.728520 (just enough, not the whole debt);
    // seized 44,801.72852 · 1.0656 / 48,000 = 0.99459837 BTC; no bad debt yet
    expect(e.events[0]).toMatchObject({ step: 1, zone: Zone.HARD, bonus: 656n * 10n ** 14n, repaid: 44_801_728_520n, seized: 99_459_837n, badDebt: 0n });
    // step 2, $36,000 (a 25% gap): 0.00540163 BTC = 194.45868 USD against 198.27148 of debt: insolvent, closed at 2%:
    // 194.45868 / 1.02 = 190.645764 repaid, 198.27148 − 190.645764 = 7.625716 written off
    expect(e.badDebtStart).toMatchObject({ step: 2, multiplier: 6n * 10n ** 17n });
    expect(e.events).toHaveLength(2);
    expect(e.events[1]).toMatchObject({ step: 2, zone: Zone.HARD, bonus: 2n * 10n ** 16n, repaid: 190_645_764n, seized: 540_163n, badDebt: 7_625_716n });
    expect(e.final.debt).toBe(0n);
    // a single gap straight to insolvency: 25% steps reach $45,000 = the debt, closed at 2%:
    // 45,000 / 1.02 = 44,117.647058 repaid, 882.352942 written off
    const gap = bandExposure(btc, { speedPctPerHour: 200, stepPct: 25, depthPct: 75 });
    expect(gap.ok && gap.exposure.events).toMatchObject([{ step: 1, bonus: 2n * 10n ** 16n, repaid: 44_117_647_058n, seized: BTC(1), badDebt: 882_352_942n }]);
    // in 1% steps the same position is sliced in SOFT before it ever becomes insolvent: no bad debt
    const smooth = bandExposure(btc, { speedPctPerHour: 200, stepPct: 1, depthPct: 80 });
    expect(smooth.ok && smooth.exposure.totals.badDebt).toBe(0n);
    expect(smooth.ok && smooth.exposure.totals.hardLiquidations).toBe(0);
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
    // The same decline of the same snapshot is walked once; another risk set or another snapshot is walked anew.
    const options = { speedPctPerHour: 10, stepPct: 1 };
    expect(bandExposure(s, { ...options })).toBe(bandExposure(s, { ...options }));
    expect(bandExposure(s, { ...options, risk: DEVNET_SOFT_RISK })).not.toBe(bandExposure(s, options));
    expect(bandExposure({ ...s }, options)).not.toBe(bandExposure(s, options));
    expect(bandExposure(s, { speedPctPerHour: Number.NaN })).toMatchObject({ ok: false, reason: "INVALID_SPEED" });
    expect(bandExposure(s, { speedPctPerHour: 10, stepPct: 0 })).toMatchObject({ ok: false, reason: "INVALID_STEP" });
    expect(bandExposure(s, { speedPctPerHour: 10, stepPct: 150 })).toMatchObject({ ok: false, reason: "INVALID_STEP" });
  });

  it("conventionalRisk is DESIGN §2.4.7", () => {
    expect(conventionalRisk(DEVNET_SOFT_RISK)).toEqual(DEVNET_CONVENTIONAL_RISK);
  });
});

describe("bandExposure with a deleverage policy (R9)", () => {
  const ppm = (n: number) => BigInt(n) * 10n ** 12n;
  // trigger 1.10, target 1.25, 0.3% bonus, 25% of the debt per execution
  const policy = { triggerHealth: ppm(1_100_000), targetHealth: ppm(1_250_000), maxBonus: ppm(3_000), maxShare: ppm(250_000) };

  it("executes the policy first, again at once while health is under the trigger; the rules act only where it cannot (HARD)", () => {
    // 20% price steps from HF 1.275: 1.02 (under the trigger), then 0.8627 (HARD, where a policy never runs)
    const r = bandExposure(s, { speedPctPerHour: 200, stepPct: 20, depthPct: 80, policy });
    if (!r.ok) throw new Error(r.message);
    const e = r.exposure;
    expect(e.events.map((x) => `${x.kind} ${x.step}`)).toEqual(["policy 1", "policy 1", "hard 2", "policy 2", "policy 2", "hard 3"]);
    // 25% of 20,000, then 25% of the 15,000 left: 1.02 → 1.0758 → 1.1502, above the trigger, so it stops
    expect(e.events[0]).toMatchObject({ zone: Zone.HEALTHY, repaid: USDC(5_000), bonus: policy.maxBonus, healthBefore: 102n * 10n ** 16n });
    expect(e.events[1]).toMatchObject({ repaid: USDC(3_750) });
    expect(e.events[1]!.healthAfter).toBeGreaterThan(policy.triggerHealth);
    expect(e.totals).toMatchObject({ policyExecutions: 4, softSlices: 0, hardLiquidations: 2 });
    expect(e.bands.reduce((n, b) => n + b.policyExecutions, 0)).toBe(4);
  });

  it("is opt-in: an account's own policy is not walked unless given, and a policy the market would refuse is refused", () => {
    const withPolicy = { ...s, policy, policyVersion: 1n };
    const plain = bandExposure(s, { speedPctPerHour: 10, stepPct: 1 });
    const carried = bandExposure(withPolicy, { speedPctPerHour: 10, stepPct: 1 });
    if (!plain.ok || !carried.ok) throw new Error("walk failed");
    expect(carried.exposure.totals).toEqual(plain.exposure.totals);
    expect(carried.exposure.totals.policyExecutions).toBe(0);
    expect(bandExposure(s, { speedPctPerHour: 10, policy: { ...policy, targetHealth: policy.triggerHealth } })).toMatchObject({
      ok: false,
      reason: "INVALID_POLICY",
    });
  });
});
