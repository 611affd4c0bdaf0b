import { describe, expect, it } from "vitest";
import { DEVNET_COLLATERALS, type FixtureOptions, makeSnapshot as makeDevnetSnapshot, units, WORKED_EXAMPLE_RISK } from "./fixtures";
import { MAX_UINT256, WAD } from "./math";
import {
  applyFlag,
  applyLiquidation,
  chooseLiquidationCollateral,
  flagLapsesAt,
  liquidationTimers,
  previewLiquidation,
  quote,
} from "./liquidation";
import { health, liquidationHealth } from "./position";
import { Zone } from "./types";

/** Every example below is worked out by hand with the worked-example parameters (an auction of 0.5% → 2% over 600 s). */
const makeSnapshot = (o: FixtureOptions = {}) => makeDevnetSnapshot({ risk: WORKED_EXAMPLE_RISK, ...o });

const ETH = (n: number | bigint) => units(n, 18);
const BTC = (n: number | bigint) => units(n, 8);
const USDC = (n: number | bigint) => units(n, 6);
const T0 = 1_800_000_000n;

// Devnet rules (docs/liquidation.md): b0 0.5%, b1 2%, bH 8%, hH 0.88, hG 0.97, T 1.02, s0 10%, grace 600 s,
// I0 300 s, ramp 600 s. Depth d = (1 − HF) / 0.12; share = 10% + 90% · d; interval = 300 s · (1 − d);
// soft bonus = 0.5% + 1.5% · min(1, d + τ); R_T = (1.02 · D − P) / (1.02 − (1 + b) · LT).

// 10 WETH at $2300 against 20,000 USDC: power 19,550, HF 0.9775 (SOFT, above the grace floor), d = 0.0225 / 0.12 = 0.1875
const soft = (o: { flaggedAt?: bigint; lastSliceAt?: bigint; timestamp?: bigint } = {}) =>
  makeSnapshot({ balances: { WETH: ETH(10) }, prices: { WETH: 2300n * WAD }, debt: USDC(20_000), ...o });

// 10 WETH against 17,000 USDC at a chosen WETH price: power 8.5 · price
const weth17k = (price: bigint, o: { flaggedAt?: bigint; lastSliceAt?: bigint; timestamp?: bigint } = {}) =>
  makeSnapshot({ balances: { WETH: ETH(10) }, prices: { WETH: price * WAD }, debt: USDC(17_000), timestamp: T0, ...o });

// 1 WBTC at $22,500 against 20,000 USDC: power 17,550, HF 0.8775 (HARD), value 22,500 > debt (solvent)
const hardBtc = () => makeSnapshot({ balances: { WBTC: BTC(1) }, prices: { WBTC: 22_500n * WAD }, debt: USDC(20_000), timestamp: T0 });

describe("quote and previewLiquidation", () => {
  it("SOFT at HF 0.9775: bonus 0.78125%, share 26.875% (5,375) but the 1.02 target (5,203.25) binds, seized 2.2799… WETH", () => {
    const q = quote(soft(), 0);
    if (!q.ok) throw new Error(q.message);
    expect(q.healthFactor).toBe(977_500_000_000_000_000n);
    expect(q.zone).toBe(Zone.SOFT);
    // not flagged: no auction clock yet, so τ = 0: b = 0.5% + 1.5% · 0.1875 = 0.78125%
    expect(q.bonus).toBe(7_812_500_000_000_000n);
    // share = 10% + 90% · 0.1875 = 26.875% → 5,375 USDC;
    // R_T = (20,400 − 19,550) / (1.02 − 1.0078125 · 0.85) = 850 / 0.163359375 = 5,203.252032… < 5,375
    expect(q.repayCap).toBe(5_203_252_032n);
    // whole balance: 23,000 / 1.0078125 = 22,821.705426… USDC
    expect(q.collateralCap).toBe(22_821_705_426n);
    // the minimum is half (rounded up) of min(cap, largest collateral's cap): 5,203.252032 / 2 → 2,601.626016
    expect(q.minRepay).toBe(2_601_626_016n);
    const p = previewLiquidation(soft(), 0);
    if (!p.ok) throw new Error(p.message);
    // 5,203.252032 · 1.0078125 = 5,243.9024385 USD → / 2300 = 2.279957581956521739… WETH, rounded down
    expect(p.seized).toBe(2_279_957_581_956_521_739n);
    expect(p.allowed).toBe(false); // not flagged, and above the grace floor
    expect(p.allowedAt).toBe(0n);
  });

  it("the share grows with depth: 10 WETH against 17,000 USDC may repay 14.5% at HF 0.994 and 19% at HF 0.988", () => {
    // $1988: power 16,898, HF 0.994, d = 0.006 / 0.12 = 0.05 → share 10% + 90% · 0.05 = 14.5% → 2,465 USDC;
    // b = 0.5% + 1.5% · 0.05 = 0.575%; R_T = (17,340 − 16,898) / (1.02 − 1.00575 · 0.85) = 442 / 0.1651125 = 2,676.96… > 2,465
    const shallow = quote(weth17k(1988n), 0);
    if (!shallow.ok) throw new Error(shallow.message);
    expect(shallow.healthFactor).toBe(994n * 10n ** 15n);
    expect(shallow.bonus).toBe(5_750_000_000_000_000n);
    expect(shallow.repayCap).toBe(USDC(2465));
    // $1976: power 16,796, HF 0.988, d = 0.1 → share 19% → 3,230 USDC;
    // b = 0.65%; R_T = (17,340 − 16,796) / (1.02 − 1.0065 · 0.85) = 544 / 0.164475 = 3,307.49… > 3,230
    const deeper = quote(weth17k(1976n), 0);
    if (!deeper.ok) throw new Error(deeper.message);
    expect(deeper.healthFactor).toBe(988n * 10n ** 15n);
    expect(deeper.bonus).toBe(6_500_000_000_000_000n);
    expect(deeper.repayCap).toBe(USDC(3230));
  });

  it("target cap binds just below HF 1: 1 WBTC at $25,600 against 20,000 USDC (HF 0.9984)", () => {
    const s = makeSnapshot({ balances: { WBTC: BTC(1) }, prices: { WBTC: 25_600n * WAD }, debt: USDC(20_000), flaggedAt: T0 - 600n, timestamp: T0 });
    const q = quote(s, 2);
    if (!q.ok) throw new Error(q.message);
    expect(q.healthFactor).toBe(998_400_000_000_000_000n);
    // d = 0.0016 / 0.12 = 0.01333… (rounded down to …333); the grace ended right now, so τ = 0:
    // b = 0.5% + 1.5% · 0.01333… = 0.52%, one wei less because d rounds down
    expect(q.bonus).toBe(5_200_000_000_000_000n - 1n);
    // share = 10% + 90% · 0.01333… = 11.2% → 2,240 USDC (less a micro-USDC of rounding);
    // R_T = (20,400 − 19,968) / (1.02 − 1.0052 · 0.78) = 432 / 0.235944 = 1,830.942935… < 2,240
    expect(q.repayCap).toBe(1_830_942_935n);
    // seized = 1,830.942935 · 1.0052 / 25,600 BTC = 0.07189311… BTC
    expect(previewLiquidation(s, 2)).toMatchObject({ seized: 7_189_311n, allowed: true, allowedAt: T0 });
    const r = applyLiquidation(s, 2);
    if (!r.ok) throw new Error(r.message);
    // lands on the 1.02 target to within rounding (the seized amount rounds down) and clears the flag
    expect(r.healthAfter).toBeGreaterThan(1_019_999_990_000_000_000n);
    expect(r.healthAfter).toBeLessThan(1_020_000_010_000_000_000n);
    expect(r.snapshot.flaggedAt).toBe(0n);
  });

  it("target cap binds with a small-threshold asset: 1 WBTC at $25,000 against 20,000 USDC", () => {
    const s = makeSnapshot({ balances: { WBTC: BTC(1) }, prices: { WBTC: 25_000n * WAD }, debt: USDC(20_000) });
    const q = quote(s, 2);
    if (!q.ok) throw new Error(q.message);
    // power 19,500, HF 0.975 → d = 0.025 / 0.12 = 0.2083… → b = 0.5% + 1.5% · 0.2083… = 0.8125% (less a wei: d rounds down)
    expect(q.bonus).toBe(8_125_000_000_000_000n - 1n);
    // R_T = (20,400 − 19,500) / (1.02 − 1.008125 · 0.78) = 900 / 0.2336625 = 3,851.709195… < share 28.75% = 5,750
    expect(q.repayCap).toBe(3_851_709_195n);
    const p = previewLiquidation(s, 2);
    // 3,851.709195 · 1.008125 / 25,000 BTC = 0.15532017… BTC
    expect(p.ok && p.seized).toBe(15_532_017n);
  });

  it("HARD through a low-threshold collateral: bonus capped at 8%, repays just enough for 1.02, not the whole debt", () => {
    const s = hardBtc();
    const p = previewLiquidation(s, 2);
    if (!p.ok) throw new Error(p.message);
    expect(p.zone).toBe(Zone.HARD);
    expect(p.healthFactor).toBe(877_500_000_000_000_000n);
    // HF · (1 − 0.1%) / LT − 1 = 0.8766225 / 0.78 − 1 = 12.39% > 8%, so bH = 8% applies
    expect(p.bonus).toBe(8n * 10n ** 16n);
    // R_T = (20,400 − 17,550) / (1.02 − 1.08 · 0.78) = 2,850 / 0.1776 = 16,047.297297… (collateral cap 22,500 / 1.08 = 20,833.33)
    expect(p.repayCap).toBe(16_047_297_297n);
    // 16,047.297297 · 1.08 / 22,500 BTC = 0.77027027 BTC
    expect(p.seized).toBe(77_027_027n);
    expect(p.allowed).toBe(true);
    const r = applyLiquidation(s, 2);
    if (!r.ok) throw new Error(r.message);
    expect(r.snapshot.debt).toBe(USDC(20_000) - 16_047_297_297n);
    expect(r.snapshot.market.collaterals[2]!.balance).toBe(BTC(1) - 77_027_027n);
    // 0.22972973 BTC · 22,500 · 0.78 / 3,952.702703 = 1.02 (a hair above: the seized amount rounds down)
    expect(r.healthAfter).toBeGreaterThanOrEqual(102n * 10n ** 16n);
    expect(r.healthAfter).toBeLessThan(1_020_000_010_000_000_000n);
  });

  it("HARD through WETH: the bonus slides down with health, so the liquidation still raises it (2.897% at HF 0.8755)", () => {
    // 10 WETH at $2060 against 20,000 USDC: power 17,510, HF 0.8755, value 20,600 (solvent).
    // The old fixed 8% would lower health here: (1.08) · 0.85 = 0.918 > 0.8755.
    const s = makeSnapshot({ balances: { WETH: ETH(10) }, prices: { WETH: 2060n * WAD }, debt: USDC(20_000), timestamp: T0 });
    const p = previewLiquidation(s, 0);
    if (!p.ok) throw new Error(p.message);
    expect(p.zone).toBe(Zone.HARD);
    // b = 0.8755 · 0.999 / 0.85 − 1 = 0.8746245 / 0.85 − 1 = 2.897% (exact)
    expect(p.bonus).toBe(28_970_000_000_000_000n);
    // R_T = (20,400 − 17,510) / (1.02 − 1.02897 · 0.85) = 2,890 / 0.1453755 = 19,879.553294… (collateral cap 20,020.02)
    expect(p.repayCap).toBe(19_879_553_294n);
    const r = applyLiquidation(s, 0);
    if (!r.ok) throw new Error(r.message);
    expect(r.healthAfter).toBeGreaterThan(r.healthBefore);
    expect(r.healthAfter).toBeGreaterThan(1_019_999_990_000_000_000n);
    expect(r.healthAfter).toBeLessThan(1_020_000_010_000_000_000n);
  });

  it("HEALTHY: everything zero", () => {
    const p = previewLiquidation(makeSnapshot({ balances: { WETH: ETH(10) }, debt: USDC(1000) }), 0);
    expect(p).toMatchObject({ ok: true, repayCap: 0n, seized: 0n, bonus: 0n, zone: Zone.HEALTHY, allowed: false });
  });

  it("allowedAt is the later of grace end and next slice; allowed only from then", () => {
    const flagged = soft({ flaggedAt: T0 - 100n, timestamp: T0 });
    const p = previewLiquidation(flagged, 0);
    expect(p.ok && p.allowedAt).toBe(T0 + 500n);
    expect(p.ok && p.allowed).toBe(false);
    expect(previewLiquidation(flagged, 0, T0 + 500n)).toMatchObject({ allowed: true });
    // grace ended at T0 − 400; the last slice was at T0 − 10 and interval(0.9775) = 300 · (1 − 0.1875) = 243.75 → 243 s
    const sliced = soft({ flaggedAt: T0 - 1000n, lastSliceAt: T0 - 10n, timestamp: T0 });
    expect(previewLiquidation(sliced, 0)).toMatchObject({ allowedAt: T0 + 233n, allowed: false });
    expect(previewLiquidation(sliced, 0, T0 + 233n)).toMatchObject({ allowedAt: T0 + 233n, allowed: true });
  });

  it("the spacing shrinks with depth: 300 · (1 − d) after the last slice, 0 at hardHealth", () => {
    // 10 WETH against 17,000 USDC, flagged at T0 − 1000 (grace over at T0 − 400), last slice at T0 − 10
    const at = (price: bigint) => previewLiquidation(weth17k(price, { flaggedAt: T0 - 1000n, lastSliceAt: T0 - 10n }), 0);
    // $1988: HF 0.994, d 0.05 → 285 s
    expect(at(1988n)).toMatchObject({ zone: Zone.SOFT, allowedAt: T0 + 275n, allowed: false });
    // $1940: HF 0.97 (= grace floor), d 0.25 → 225 s
    expect(at(1940n)).toMatchObject({ healthFactor: 97n * 10n ** 16n, allowedAt: T0 + 215n, allowed: false });
    // $1880: HF 0.94, d 0.5 → 150 s
    expect(at(1880n)).toMatchObject({ healthFactor: 94n * 10n ** 16n, allowedAt: T0 + 140n, allowed: false });
    // $1760: HF 0.88 = hardHealth (still SOFT), d 1 → 0 s: the next slice may follow at once
    expect(at(1760n)).toMatchObject({ zone: Zone.SOFT, healthFactor: 88n * 10n ** 16n, allowedAt: T0 - 10n, allowed: true });
    expect(liquidationTimers(weth17k(1880n, { flaggedAt: T0 - 1000n, lastSliceAt: T0 - 10n }))).toMatchObject({ nextSliceAt: T0 + 140n, intervalRemaining: 140n });
  });

  it("the bonus rises with time: 0.78125% at allowedAt, 1.53125% 300 s later, 2% from 488 s on", () => {
    // soft() flagged at T0 − 600: the slice became allowed at T0 (grace end); d = 0.1875
    const s = soft({ flaggedAt: T0 - 600n, timestamp: T0 });
    expect(previewLiquidation(s, 0)).toMatchObject({ allowedAt: T0, bonus: 7_812_500_000_000_000n, allowed: true });
    // +300 s: τ = 300 / 600 = 0.5 → b = 0.5% + 1.5% · (0.1875 + 0.5) = 1.53125%.
    // R_T = 850 / (1.02 − 1.0153125 · 0.85) = 850 / 0.156984375 = 5,414.55… > share 5,375, so the share binds now;
    // seized = 5,375 · 1.0153125 / 2300 = 5,457.3046875 / 2300 = 2.372741168478260869… WETH
    const later = previewLiquidation(s, 0, T0 + 300n);
    expect(later).toMatchObject({ allowedAt: T0, bonus: 15_312_500_000_000_000n, repayCap: USDC(5375), seized: 2_372_741_168_478_260_869n, allowed: true });
    // b reaches 2% when d + τ ≥ 1, i.e. τ ≥ 0.8125, 487.5 s: at +487 τ = 0.81166… → b = 0.5% + 1.5% · 0.99916… = 1.99875% (less a wei)
    expect(previewLiquidation(s, 0, T0 + 487n)).toMatchObject({ bonus: 19_987_500_000_000_000n - 1n });
    expect(previewLiquidation(s, 0, T0 + 488n)).toMatchObject({ bonus: 2n * 10n ** 16n });
    // and never more: 5,375 · 1.02 / 2300 = 2.383695652173913043… WETH
    expect(previewLiquidation(s, 0, T0 + 600n)).toMatchObject({ bonus: 2n * 10n ** 16n, seized: 2_383_695_652_173_913_043n });
    // applyLiquidation at the later time uses the same bonus
    const r = applyLiquidation(s, 0, { at: T0 + 300n });
    expect(r).toMatchObject({ ok: true, bonus: 15_312_500_000_000_000n, repaid: USDC(5375), seized: 2_372_741_168_478_260_869n });
  });

  it("timers count down from the snapshot time", () => {
    // in the grace period: flagged at T0 − 100, grace ends T0 + 500, lapses at T0 + 500 + 600 + 300
    const t = liquidationTimers(soft({ flaggedAt: T0 - 100n, timestamp: T0 }));
    expect(t).toMatchObject({ flagged: true, graceEndsAt: T0 + 500n, graceSkipped: false, nextSliceAt: 0n, sliceAllowedAt: T0 + 500n, flagLapsesAt: T0 + 1400n, graceRemaining: 500n, intervalRemaining: 0n, secondsUntilSlice: 500n });
    // between slices: grace ended T0 − 100, sliced at T0 − 100, interval 243 s → next at T0 + 143; lapses T0 − 100 + 900
    const u = liquidationTimers(soft({ flaggedAt: T0 - 700n, lastSliceAt: T0 - 100n, timestamp: T0 }));
    expect(u).toMatchObject({ flagged: true, graceEndsAt: T0 - 100n, nextSliceAt: T0 + 143n, sliceAllowedAt: T0 + 143n, flagLapsesAt: T0 + 800n, graceRemaining: 0n, intervalRemaining: 143n, secondsUntilSlice: 143n });
    // a slice from before this flag (an earlier dip) does not count: the new flag waits its full grace
    const v = liquidationTimers(soft({ flaggedAt: T0 - 100n, lastSliceAt: T0 - 250n, timestamp: T0 }));
    expect(v).toMatchObject({ nextSliceAt: 0n, sliceAllowedAt: T0 + 500n, secondsUntilSlice: 500n });
    expect(liquidationTimers(soft())).toMatchObject({ flagged: false, graceSkipped: false, sliceAllowedAt: 0n, secondsUntilSlice: 0n, graceEndsAt: 0n, flagLapsesAt: 0n });
  });
});

describe("applyLiquidation", () => {
  it("a full soft slice at HF 0.9775 restores the 1.02 target and clears the flag", () => {
    const s = soft({ flaggedAt: T0 - 600n, timestamp: T0 });
    const r = applyLiquidation(s, 0);
    if (!r.ok) throw new Error(r.message);
    expect(r.zone).toBe(Zone.SOFT);
    expect(r.bonus).toBe(7_812_500_000_000_000n);
    expect(r.flagged).toBe(false); // the flag was there already
    expect(r.repaid).toBe(5_203_252_032n);
    expect(r.seized).toBe(2_279_957_581_956_521_739n);
    expect(r.snapshot.debt).toBe(USDC(20_000) - 5_203_252_032n);
    expect(r.snapshot.market.collaterals[0]!.balance).toBe(ETH(10) - 2_279_957_581_956_521_739n);
    // R_T rounds down (a hair less repaid), the seized amount too (a hair more kept): 1.02 within 1e-11
    expect(r.healthAfter).toBeGreaterThan(1_019_999_999_990_000_000n);
    expect(r.healthAfter).toBeLessThan(1_020_000_000_010_000_000n);
    expect(r.snapshot.flaggedAt).toBe(0n);
    expect(r.snapshot.lastSliceAt).toBe(T0);
  });

  it("a partial soft slice: debt −3,000, WETH −1.3145…, HF 0.9775 → 0.998828125, still flagged", () => {
    const s = soft({ flaggedAt: T0 - 600n, timestamp: T0 });
    const r = applyLiquidation(s, 0, { maxRepay: USDC(3000) });
    if (!r.ok) throw new Error(r.message);
    expect(r.repaid).toBe(USDC(3000));
    // 3,000 · 1.0078125 = 3,023.4375 USD → / 2300 = 1.314538043478260869… WETH
    expect(r.seized).toBe(1_314_538_043_478_260_869n);
    expect(r.snapshot.debt).toBe(USDC(17_000));
    expect(r.snapshot.market.collaterals[0]!.balance).toBe(8_685_461_956_521_739_131n);
    // value 19,976.5625…0013 → power 16,980.078125…001105 (rounded down) → HF ÷ 17,000 = 0.998828125
    expect(r.snapshot.healthFactor).toBe(998_828_125_000_000_000n);
    expect(r.healthAfter).toBe(r.snapshot.healthFactor);
    expect(r.snapshot.flaggedAt).toBe(T0 - 600n);
    expect(r.snapshot.lastSliceAt).toBe(T0);
  });

  it("rejects a soft slice before grace, between slices, unflagged or with a lapsed flag, with typed reasons", () => {
    expect(applyLiquidation(soft(), 0)).toMatchObject({ ok: false, reason: "NOT_FLAGGED" });
    expect(applyLiquidation(soft({ flaggedAt: T0 - 599n, timestamp: T0 }), 0)).toMatchObject({ ok: false, reason: "GRACE_PERIOD_ACTIVE" });
    // interval(0.9775) = 243 s: 242 s after the last slice is too early, 243 s is fine
    expect(applyLiquidation(soft({ flaggedAt: T0 - 900n, lastSliceAt: T0 - 242n, timestamp: T0 }), 0)).toMatchObject({ ok: false, reason: "SLICE_INTERVAL_ACTIVE" });
    expect(applyLiquidation(soft({ flaggedAt: T0 - 900n, lastSliceAt: T0 - 243n, timestamp: T0 }), 0)).toMatchObject({ ok: true });
    // flagged at T0 − 1500: grace end T0 − 900, lapse T0 − 900 + 600 + 300 = T0
    expect(applyLiquidation(soft({ flaggedAt: T0 - 1500n, timestamp: T0 }), 0)).toMatchObject({ ok: false, reason: "FLAG_LAPSED" });
    expect(applyLiquidation(soft({ flaggedAt: T0 - 900n, timestamp: T0 }), 1)).toMatchObject({ ok: false, reason: "NOTHING_TO_LIQUIDATE" });
    expect(applyLiquidation(makeSnapshot({ balances: { WETH: ETH(1) }, debt: USDC(1) }), 0)).toMatchObject({ ok: false, reason: "HEALTHY_ACCOUNT" });
    expect(applyLiquidation(soft({ flaggedAt: T0 - 900n, timestamp: T0 }), 0, { maxRepay: 0n })).toMatchObject({ ok: false, reason: "ZERO_AMOUNT" });
    // grace over for 300 s, so b = 1.53125% and the share binds: the slice seizes 2.3727… WETH (see "the bonus rises
    // with time"): asking for 2.38 is too much, 2.37 is fine
    expect(applyLiquidation(soft({ flaggedAt: T0 - 900n, timestamp: T0 }), 0, { minSeized: 2_380_000_000_000_000_000n })).toMatchObject({ ok: false, reason: "SEIZED_BELOW_MINIMUM" });
    expect(applyLiquidation(soft({ flaggedAt: T0 - 900n, timestamp: T0 }), 0, { minSeized: 2_370_000_000_000_000_000n })).toMatchObject({ ok: true });
  });

  it("a flag lapses a grace period and a slice interval after its last chance to slice; it may then be renewed", () => {
    const p = soft().market.risk;
    // no slice: max(grace end, lastSliceAt) + 600 + 300
    expect(flagLapsesAt(T0 - 1500n, 0n, p)).toBe(T0);
    // a slice after the grace end moves it: T0 − 900 + 900
    expect(flagLapsesAt(T0 - 2000n, T0 - 900n, p)).toBe(T0);
    const lapsed = soft({ flaggedAt: T0 - 1500n, timestamp: T0 });
    expect(quote(lapsed, 0)).toMatchObject({ ok: true, flagLive: false, lapsedAt: T0, allowedAt: 0n });
    expect(applyLiquidation(lapsed, 0)).toMatchObject({ ok: false, reason: "FLAG_LAPSED" });
    // one second earlier the flag is still live and the slice goes through
    expect(applyLiquidation(soft({ flaggedAt: T0 - 1499n, timestamp: T0 }), 0)).toMatchObject({ ok: true });
    // after slices: the last one at T0 − 900 lapses at T0; at T0 − 899 it is still live (and 899 s > the 243 s interval)
    expect(applyLiquidation(soft({ flaggedAt: T0 - 2000n, lastSliceAt: T0 - 900n, timestamp: T0 }), 0)).toMatchObject({ ok: false, reason: "FLAG_LAPSED" });
    expect(applyLiquidation(soft({ flaggedAt: T0 - 2000n, lastSliceAt: T0 - 899n, timestamp: T0 }), 0)).toMatchObject({ ok: true });
    // flag may be called again and starts a new, full grace period
    const renewed = applyFlag(lapsed, T0);
    if (!renewed.ok) throw new Error(renewed.message);
    expect(renewed.snapshot.flaggedAt).toBe(T0);
    expect(applyLiquidation(renewed.snapshot, 0)).toMatchObject({ ok: false, reason: "GRACE_PERIOD_ACTIVE" });
    expect(previewLiquidation(renewed.snapshot, 0)).toMatchObject({ allowedAt: T0 + 600n, allowed: false });
    expect(applyLiquidation(renewed.snapshot, 0, { at: T0 + 600n })).toMatchObject({ ok: true });
  });

  it("below the grace floor a slice needs no grace: an unflagged account at HF 0.94 is flagged and sliced in one call", () => {
    // 10 WETH at $1880 against 17,000 USDC: power 15,980, HF 0.94 < 0.97, d = 0.06 / 0.12 = 0.5
    const s = weth17k(1880n);
    expect(liquidationTimers(s)).toMatchObject({ flagged: false, graceSkipped: true, sliceAllowedAt: T0, secondsUntilSlice: 0n, graceRemaining: 0n });
    // b = 0.5% + 1.5% · 0.5 = 1.25%; share 55% = 9,350; R_T = (17,340 − 15,980) / (1.02 − 1.0125 · 0.85) = 1,360 / 0.159375 = 8,533.333333
    const p = previewLiquidation(s, 0);
    expect(p).toMatchObject({ ok: true, zone: Zone.SOFT, bonus: 125n * 10n ** 14n, repayCap: 8_533_333_333n, allowed: true, allowedAt: T0 });
    // the whole cap: 8,533.333333 · 1.0125 / 1880 = 4.5957446806… WETH; HF back at 1.02, so the new flag is cleared again
    const full = applyLiquidation(s, 0);
    if (!full.ok) throw new Error(full.message);
    expect(full).toMatchObject({ flagged: true, repaid: 8_533_333_333n, seized: 4_595_744_680_671_542_553n });
    expect(full.healthAfter).toBeGreaterThan(1_019_999_999_990_000_000n);
    expect(full.snapshot.flaggedAt).toBe(0n);
    // a partial slice (≥ the minimum 4,266.666667) keeps the flag it set: 5,000 · 1.0125 / 1880 = 2.692819… WETH,
    // 7.307180851… WETH · 1880 · 0.85 = 11,676.875 of power against 12,000 → HF 0.97307291…
    expect(applyLiquidation(s, 0, { maxRepay: 4_266_666_666n })).toMatchObject({ ok: false, reason: "SLICE_TOO_SMALL" });
    const part = applyLiquidation(s, 0, { maxRepay: USDC(5000) });
    if (!part.ok) throw new Error(part.message);
    expect(part).toMatchObject({ flagged: true, repaid: USDC(5000), seized: 2_692_819_148_936_170_212n, healthAfter: 973_072_916_666_666_666n });
    expect(part.snapshot.flaggedAt).toBe(T0);
    expect(part.snapshot.lastSliceAt).toBe(T0);
    // a flag still in its grace period does not hold back a deep slice; its auction clock runs from the flag:
    // τ = 100 / 600 → b = 0.5% + 1.5% · (0.5 + 0.1666…) = 1.5% (less a wei)
    const inGrace = weth17k(1880n, { flaggedAt: T0 - 100n });
    expect(applyLiquidation(inGrace, 0)).toMatchObject({ ok: true, flagged: false, bonus: 15n * 10n ** 15n - 1n });
    // a lapsed flag below the floor: flagged again in the same call
    expect(applyLiquidation(weth17k(1880n, { flaggedAt: T0 - 1500n }), 0, { maxRepay: USDC(5000) })).toMatchObject({ ok: true, flagged: true });
    // exactly at the floor (HF 0.97, $1940) the grace period still applies
    const atFloor = weth17k(1940n);
    expect(liquidationTimers(atFloor).graceSkipped).toBe(false);
    expect(applyLiquidation(atFloor, 0)).toMatchObject({ ok: false, reason: "NOT_FLAGGED" });
    expect(applyLiquidation(weth17k(1940n, { flaggedAt: T0 - 100n }), 0)).toMatchObject({ ok: false, reason: "GRACE_PERIOD_ACTIVE" });
  });

  it("refuses a soft slice below half its cap (dust slices would restart the interval), but not a hard one", () => {
    const s = soft({ flaggedAt: T0 - 900n, timestamp: T0 });
    const p = previewLiquidation(s, 0);
    if (!p.ok) throw new Error(p.message);
    // grace over for 300 s: b 1.53125%, cap = share 5,375 (R_T 5,414.55); half of it is 2,687.50
    expect(p.repayCap).toBe(USDC(5375));
    const minimum = p.repayCap - p.repayCap / 2n;
    expect(minimum).toBe(2_687_500_000n);
    expect(applyLiquidation(s, 0, { maxRepay: 1n })).toMatchObject({ ok: false, reason: "SLICE_TOO_SMALL" });
    expect(applyLiquidation(s, 0, { maxRepay: minimum - 1n })).toMatchObject({ ok: false, reason: "SLICE_TOO_SMALL" });
    expect(applyLiquidation(s, 0, { maxRepay: minimum })).toMatchObject({ ok: true, repaid: minimum });
    const hard = hardBtc();
    expect(health(hard).zone).toBe(Zone.HARD);
    expect(applyLiquidation(hard, 2, { maxRepay: 1n })).toMatchObject({ ok: true, repaid: 1n });
  });

  it("the minimum slice is the account's: dust of a second collateral cannot be sliced, the largest one can", () => {
    // 10 WETH at $2300 + 0.0001 WBTC at $39,100 ($3.91, power 3.0498) against 20,003.12 USDC:
    // power 19,553.0498, HF 0.9775 exactly, d 0.1875, b 0.78125% (flagged, grace just over)
    const s = makeSnapshot({
      balances: { WETH: ETH(10), WBTC: 10_000n },
      prices: { WETH: 2300n * WAD, WBTC: 39_100n * WAD },
      debt: 20_003_120_000n,
      flaggedAt: T0 - 600n,
      timestamp: T0,
    });
    const dust = quote(s, 2);
    if (!dust.ok) throw new Error(dust.message);
    expect(dust.healthFactor).toBe(977_500_000_000_000_000n);
    expect(dust.bonus).toBe(7_812_500_000_000_000n);
    // through WBTC the cap is the whole dust: 3.91 / 1.0078125 = 3.879689 USDC
    expect(dust.repayCap).toBe(3_879_689n);
    // the minimum: half of min(R_T(WBTC), share, largest collateral 23,000 / 1.0078125 = 22,821.71);
    // R_T(WBTC) = (20,403.1824 − 19,553.0498) / (1.02 − 1.0078125 · 0.78) = 850.1326 / 0.23390625 = 3,634.501429 → 1,817.250715
    expect(dust.minRepay).toBe(1_817_250_715n);
    expect(applyLiquidation(s, 2)).toMatchObject({ ok: false, reason: "SLICE_TOO_SMALL" });
    expect(previewLiquidation(s, 2)).toMatchObject({ ok: true, allowed: false });
    // through WETH: R_T = 850.1326 / 0.163359375 = 5,204.063739 < share 26.875% · 20,003.12 = 5,375.8385
    const weth = applyLiquidation(s, 0);
    expect(weth).toMatchObject({ ok: true, repaid: 5_204_063_739n });
    expect(chooseLiquidationCollateral(s)).toBe(0);
  });

  it("a slice that restores HF >= 1 clears the flag", () => {
    // 10 WETH at $2350: HF 0.99875, d 0.0104…, share 10.9375% = 2,187.50 (a micro-USDC less: d rounds down)
    // binds (R_T 2,566.16); HF → 1.0165
    const s = makeSnapshot({ balances: { WETH: ETH(10) }, prices: { WETH: 2350n * WAD }, debt: USDC(20_000), flaggedAt: T0 - 600n, timestamp: T0 });
    expect(health(s).zone).toBe(Zone.SOFT);
    const r = applyLiquidation(s, 0);
    if (!r.ok) throw new Error(r.message);
    expect(r.repaid).toBe(2_187_499_999n);
    expect(r.healthAfter).toBeGreaterThanOrEqual(WAD);
    expect(r.snapshot.flaggedAt).toBe(0n);
  });

  it("CANNOT_RAISE_HEALTH in HARD through a high-threshold collateral; the low-threshold one works", () => {
    // 6 WETH at $2000 ($12,000, power 10,200) + 0.38 WBTC at $20,000 ($7,600, power 5,928) against 19,200 USDC:
    // power 16,128, HF 0.84 (HARD), value 19,600 > 19,200 (solvent)
    const s = makeSnapshot({ balances: { WETH: ETH(6), WBTC: 38_000_000n }, prices: { WETH: 2000n * WAD, WBTC: 20_000n * WAD }, debt: USDC(19_200), timestamp: T0 });
    expect(health(s)).toMatchObject({ zone: Zone.HARD, healthFactor: 84n * 10n ** 16n });
    // WETH: HF · 0.999 = 0.83916 ≤ LT 0.85: even a zero bonus would lower health
    expect(quote(s, 0)).toMatchObject({ ok: true, canRaise: false });
    expect(applyLiquidation(s, 0)).toMatchObject({ ok: false, reason: "CANNOT_RAISE_HEALTH" });
    expect(previewLiquidation(s, 0)).toMatchObject({ ok: true, allowed: false });
    // WBTC: b = 0.83916 / 0.78 − 1 = 7.5846153846153846% (< 8%); R_T = 3,456 / 0.18084 = 19,110.8 > the
    // collateral cap 7,600 / 1.0758461538… = 7,064.207064, so all the WBTC goes
    const r = applyLiquidation(s, 2);
    if (!r.ok) throw new Error(r.message);
    expect(r.bonus).toBe(75_846_153_846_153_846n);
    expect(r.repaid).toBe(7_064_207_064n);
    expect(r.seized).toBe(38_000_000n);
    // 10,200 / (19,200 − 7,064.207064) = 10,200 / 12,135.792936 = 0.840488… > 0.84
    expect(r.healthAfter).toBe(840_488_961_355_165_956n);
    // the keeper skips the larger WETH and takes WBTC
    expect(chooseLiquidationCollateral(s)).toBe(2);
  });

  it("an insolvent account (value 20,000 ≤ debt 20,000) is closed at softBonusMax 2% and the rest written off", () => {
    // 10 WETH at $2000 against 20,000 USDC: HF 0.85 (HARD); HF · 0.999 / 0.85 < 1, nothing can raise its health
    const s = makeSnapshot({ balances: { WETH: ETH(10) }, prices: { WETH: 2000n * WAD }, debt: USDC(20_000) });
    expect(quote(s, 0)).toMatchObject({ ok: true, insolvent: true, canRaise: true, bonus: 2n * 10n ** 16n });
    const r = applyLiquidation(s, 0);
    if (!r.ok) throw new Error(r.message);
    // repay = 20,000 / 1.02 = 19,607.843137 (all the collateral); 392.156863 written off (8% would have left 1,481.48)
    expect(r.repaid).toBe(19_607_843_137n);
    expect(r.seized).toBe(ETH(10));
    expect(r.badDebt).toBe(USDC(20_000) - 19_607_843_137n);
    expect(r.badDebt).toBe(392_156_863n);
    expect(r.snapshot.debt).toBe(0n);
    expect(r.healthAfter).toBe(MAX_UINT256);
    expect(r.snapshot.market.totalSocialisedBadDebt).toBe(r.badDebt);
  });

  it("partial maxRepay repays exactly that and seizes proportionally (8-decimal collateral)", () => {
    const r = applyLiquidation(hardBtc(), 2, { maxRepay: USDC(1000) });
    if (!r.ok) throw new Error(r.message);
    // HARD at 8%: 1,000 · 1.08 / 22,500 BTC = 0.048 BTC
    expect(r.bonus).toBe(8n * 10n ** 16n);
    expect(r.seized).toBe(4_800_000n);
    expect(r.snapshot.debt).toBe(USDC(19_000));
  });

  it("a stale collateral counts at its last price, but cannot itself be seized", () => {
    // 10 WETH at $2000 (fresh) + 1 wstETH whose feed is stale (last price $2250) against 20,000 USDC
    const collaterals = DEVNET_COLLATERALS.map((c) => (c.symbol === "wstETH" ? { ...c, priceOk: false } : c));
    const s = makeSnapshot({ collaterals, balances: { WETH: ETH(10), wstETH: ETH(1) }, prices: { WETH: 2000n * WAD, wstETH: 2250n * WAD }, debt: USDC(20_000), timestamp: T0 });
    // borrow/withdraw health needs every price
    expect(health(s).ok).toBe(false);
    // flag/liquidate health: 17,000 + 2,250 · 0.8 = 18,800 → HF 0.94 (SOFT, not the HARD 0.85 of "stale = 0")
    expect(liquidationHealth(s)).toMatchObject({ ok: true, collateralValue: 22_250n * WAD, collateralPower: 18_800n * WAD, healthFactor: 94n * 10n ** 16n, zone: Zone.SOFT });
    // seizing the stale collateral needs its fresh price
    expect(liquidationHealth(s, 1).ok).toBe(false);
    expect(quote(s, 1)).toMatchObject({ ok: false, reason: "PRICE_UNAVAILABLE" });
    expect(applyLiquidation(s, 1)).toMatchObject({ ok: false, reason: "PRICE_UNAVAILABLE" });
    expect(chooseLiquidationCollateral(s)).toBe(0);
    // through WETH: d 0.5, b 1.25%, R_T = (20,400 − 18,800) / 0.159375 = 10,039.215686 < share 55% = 11,000;
    // below the grace floor, so at once: 10,039.215686 · 1.0125 / 2000 = 5.0823529410375 WETH
    expect(applyLiquidation(s, 0)).toMatchObject({ ok: true, zone: Zone.SOFT, flagged: true, bonus: 125n * 10n ** 14n, repaid: 10_039_215_686n, seized: 5_082_352_941_037_500_000n });
    // a feed with no price at all (0) counts as nothing: 17,000 / 20,000 = 0.85
    const none = makeSnapshot({ collaterals, balances: { WETH: ETH(10), wstETH: ETH(1) }, prices: { WETH: 2000n * WAD, wstETH: 0n }, debt: USDC(20_000), timestamp: T0 });
    expect(liquidationHealth(none)).toMatchObject({ ok: true, healthFactor: 85n * 10n ** 16n, zone: Zone.HARD });
  });
});

describe("flag and keeper choice", () => {
  it("flags only an unhealthy account without a live flag", () => {
    expect(applyFlag(soft(), T0)).toMatchObject({ ok: true });
    expect(applyFlag(soft({ flaggedAt: T0 - 100n }), T0)).toMatchObject({ ok: false, reason: "ALREADY_FLAGGED" });
    // a flag from long ago has lapsed: it may be flagged again
    expect(applyFlag(soft({ flaggedAt: 1n }), T0)).toMatchObject({ ok: true });
    expect(applyFlag(makeSnapshot({ balances: { WETH: ETH(1) }, debt: USDC(1) }))).toMatchObject({ ok: false, reason: "HEALTHY_ACCOUNT" });
  });

  it("the keeper takes the largest-value collateral with something to liquidate", () => {
    const s = makeSnapshot({ balances: { WETH: ETH(1), wstETH: ETH(1), WBTC: BTC(1) }, prices: { WBTC: 20_000n * WAD }, debt: USDC(25_000) });
    expect(chooseLiquidationCollateral(s)).toBe(2);
    expect(chooseLiquidationCollateral(makeSnapshot({ balances: { WETH: ETH(1) }, debt: USDC(1) }))).toBe(-1);
  });
});
