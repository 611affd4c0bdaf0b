import { describe, expect, it } from "vitest";
import { makeSnapshot, units } from "./fixtures";
import { MAX_UINT256, WAD } from "./math";
import { applyFlag, applyLiquidation, chooseLiquidationCollateral, liquidationTimers, previewLiquidation, quote } from "./liquidation";
import { health } from "./position";
import { Zone } from "./types";

const ETH = (n: number | bigint) => units(n, 18);
const BTC = (n: number | bigint) => units(n, 8);
const USDC = (n: number | bigint) => units(n, 6);
const T0 = 1_800_000_000n;

// 10 WETH at $2300 against 20,000 USDC: power 19,550, HF 0.9775 (SOFT)
const soft = (o: { flaggedAt?: bigint; lastSliceAt?: bigint; timestamp?: bigint } = {}) =>
  makeSnapshot({ balances: { WETH: ETH(10) }, prices: { WETH: 2300n * WAD }, debt: USDC(20_000), ...o });

describe("quote and previewLiquidation", () => {
  it("SOFT: bonus 1.625%, slice cap 10% of debt binds, seized 0.8836… WETH", () => {
    const q = quote(soft(), 0);
    if (!q.ok) throw new Error(q.message);
    expect(q.healthFactor).toBe(977_500_000_000_000_000n);
    expect(q.zone).toBe(Zone.SOFT);
    // 0.5% + 2.5% · (1 − 0.9775) / 0.05
    expect(q.bonus).toBe(16_250_000_000_000_000n);
    expect(q.repayCap).toBe(USDC(2000));
    // whole balance: 23,000 / 1.01625 = 22,632.226322… USDC
    expect(q.collateralCap).toBe(22_632_226_322n);
    const p = previewLiquidation(soft(), 0);
    if (!p.ok) throw new Error(p.message);
    // 2,000 · 1.01625 / 2300 ETH, rounded down
    expect(p.seized).toBe(883_695_652_173_913_043n);
    expect(p.allowed).toBe(false); // not flagged
    expect(p.allowedAt).toBe(0n);
  });

  it("target cap binds just below HF 1: 1 WBTC at $25,600 against 20,000 USDC (HF 0.9984)", () => {
    const s = makeSnapshot({ balances: { WBTC: BTC(1) }, prices: { WBTC: 25_600n * WAD }, debt: USDC(20_000), flaggedAt: T0 - 600n, timestamp: T0 });
    const q = quote(s, 2);
    if (!q.ok) throw new Error(q.message);
    expect(q.healthFactor).toBe(998_400_000_000_000_000n);
    // b = 0.5% + 2.5% · 0.0016 / 0.05 = 0.58%
    expect(q.bonus).toBe(5_800_000_000_000_000n);
    // R = (20,400 − 19,968) / (1.02 − 1.0058 · 0.78) = 432 / 0.235476 = 1834.581868… < slice cap 2,000
    expect(q.repayCap).toBe(1_834_581_868n);
    // seized = 1834.581868 · 1.0058 / 25,600 BTC = 0.072079 BTC
    expect(previewLiquidation(s, 2)).toMatchObject({ seized: 7_207_900n, allowed: true, allowedAt: T0 });
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
    // power 19,500, HF 0.975 → b = 0.5% + 2.5%·0.025/0.05 = 1.75%
    expect(q.bonus).toBe(17_500_000_000_000_000n);
    // R = (20,400 − 19,500) / (1.02 − 1.0175·0.78) = 900 / 0.22635 = 3976.1431… > slice cap 2,000
    expect(q.repayCap).toBe(USDC(2000));
    const p = previewLiquidation(s, 2);
    // 2,000 · 1.0175 / 25,000 BTC = 0.0814 BTC
    expect(p.ok && p.seized).toBe(8_140_000n);
  });

  it("HARD: 8% bonus, 100% close factor capped by collateral, whole balance seized", () => {
    const s = makeSnapshot({ balances: { WETH: ETH(10) }, prices: { WETH: 2000n * WAD }, debt: USDC(20_000) });
    const p = previewLiquidation(s, 0);
    if (!p.ok) throw new Error(p.message);
    expect(p.zone).toBe(Zone.HARD);
    expect(p.bonus).toBe(8n * 10n ** 16n);
    // collateral cap 20,000 / 1.08 = 18,518.518518 USDC < debt
    expect(p.repayCap).toBe(18_518_518_518n);
    expect(p.seized).toBe(ETH(10));
    expect(p.allowed).toBe(true);
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
    const sliced = soft({ flaggedAt: T0 - 1000n, lastSliceAt: T0 - 10n, timestamp: T0 });
    expect(previewLiquidation(sliced, 0)).toMatchObject({ allowedAt: T0 + 290n, allowed: false });
  });

  it("timers count down from the snapshot time", () => {
    const t = liquidationTimers(soft({ flaggedAt: T0 - 100n, lastSliceAt: T0 - 250n, timestamp: T0 }));
    expect(t).toMatchObject({ flagged: true, graceEndsAt: T0 + 500n, nextSliceAt: T0 + 50n, sliceAllowedAt: T0 + 500n, graceRemaining: 500n, intervalRemaining: 50n, secondsUntilSlice: 500n });
    expect(liquidationTimers(soft())).toMatchObject({ flagged: false, secondsUntilSlice: 0n, graceEndsAt: 0n });
  });
});

describe("applyLiquidation", () => {
  it("a soft slice: debt −2,000, WETH −0.8836…, HF 0.9775 → 0.99013…, still flagged", () => {
    const s = soft({ flaggedAt: T0 - 600n, timestamp: T0 });
    const r = applyLiquidation(s, 0);
    if (!r.ok) throw new Error(r.message);
    expect(r.repaid).toBe(USDC(2000));
    expect(r.seized).toBe(883_695_652_173_913_043n);
    expect(r.snapshot.debt).toBe(USDC(18_000));
    expect(r.snapshot.market.collaterals[0]!.balance).toBe(9_116_304_347_826_086_957n);
    // value 20,967.5000…0011 → power 17,822.375…0009 (rounded down) → HF ÷ 18,000
    expect(r.snapshot.healthFactor).toBe(990_131_944_444_444_444n);
    expect(r.healthAfter).toBe(r.snapshot.healthFactor);
    expect(r.snapshot.flaggedAt).toBe(T0 - 600n);
    expect(r.snapshot.lastSliceAt).toBe(T0);
  });

  it("rejects a soft slice before grace, between slices, or unflagged, with typed reasons", () => {
    expect(applyLiquidation(soft(), 0)).toMatchObject({ ok: false, reason: "NOT_FLAGGED" });
    expect(applyLiquidation(soft({ flaggedAt: T0 - 599n, timestamp: T0 }), 0)).toMatchObject({ ok: false, reason: "GRACE_PERIOD_ACTIVE" });
    expect(applyLiquidation(soft({ flaggedAt: T0 - 900n, lastSliceAt: T0 - 299n, timestamp: T0 }), 0)).toMatchObject({ ok: false, reason: "SLICE_INTERVAL_ACTIVE" });
    expect(applyLiquidation(soft({ flaggedAt: T0 - 900n, timestamp: T0 }), 1)).toMatchObject({ ok: false, reason: "NOTHING_TO_LIQUIDATE" });
    expect(applyLiquidation(makeSnapshot({ balances: { WETH: ETH(1) }, debt: USDC(1) }), 0)).toMatchObject({ ok: false, reason: "HEALTHY_ACCOUNT" });
    expect(applyLiquidation(soft({ flaggedAt: T0 - 900n, timestamp: T0 }), 0, { maxRepay: 0n })).toMatchObject({ ok: false, reason: "ZERO_AMOUNT" });
    expect(applyLiquidation(soft({ flaggedAt: T0 - 900n, timestamp: T0 }), 0, { minSeized: ETH(1) })).toMatchObject({ ok: false, reason: "SEIZED_BELOW_MINIMUM" });
  });

  it("refuses a soft slice below half its cap (dust slices would restart the interval), but not a hard one", () => {
    const s = soft({ flaggedAt: T0 - 900n, timestamp: T0 });
    const p = previewLiquidation(s, 0);
    if (!p.ok) throw new Error(p.message);
    const minimum = p.repayCap - p.repayCap / 2n;
    expect(minimum).toBeGreaterThan(0n);
    expect(applyLiquidation(s, 0, { maxRepay: 1n })).toMatchObject({ ok: false, reason: "SLICE_TOO_SMALL" });
    expect(applyLiquidation(s, 0, { maxRepay: minimum - 1n })).toMatchObject({ ok: false, reason: "SLICE_TOO_SMALL" });
    expect(applyLiquidation(s, 0, { maxRepay: minimum })).toMatchObject({ ok: true, repaid: minimum });
    const hard = makeSnapshot({ balances: { WETH: ETH(10) }, prices: { WETH: 2000n * WAD }, debt: USDC(20_000), timestamp: T0 });
    expect(health(hard).zone).toBe(Zone.HARD);
    expect(applyLiquidation(hard, 0, { maxRepay: 1n })).toMatchObject({ ok: true, repaid: 1n });
  });

  it("a slice that restores HF >= 1 clears the flag", () => {
    // HF 0.999: a 2,000 slice lifts it above 1
    const s = makeSnapshot({ balances: { WETH: ETH(10) }, prices: { WETH: 2350n * WAD }, debt: USDC(20_000), flaggedAt: T0 - 600n, timestamp: T0 });
    expect(health(s).zone).toBe(Zone.SOFT);
    const r = applyLiquidation(s, 0);
    if (!r.ok) throw new Error(r.message);
    expect(r.healthAfter).toBeGreaterThanOrEqual(WAD);
    expect(r.snapshot.flaggedAt).toBe(0n);
  });

  it("HARD liquidation of everything writes off the bad debt", () => {
    const s = makeSnapshot({ balances: { WETH: ETH(10) }, prices: { WETH: 2000n * WAD }, debt: USDC(20_000) });
    const r = applyLiquidation(s, 0);
    if (!r.ok) throw new Error(r.message);
    expect(r.repaid).toBe(18_518_518_518n);
    expect(r.seized).toBe(ETH(10));
    expect(r.badDebt).toBe(USDC(20_000) - 18_518_518_518n);
    expect(r.snapshot.debt).toBe(0n);
    expect(r.healthAfter).toBe(MAX_UINT256);
    expect(r.snapshot.market.totalSocialisedBadDebt).toBe(r.badDebt);
  });

  it("partial maxRepay repays exactly that and seizes proportionally (8-decimal collateral)", () => {
    const s = makeSnapshot({ balances: { WBTC: BTC(1) }, prices: { WBTC: 20_000n * WAD }, debt: USDC(20_000) });
    const r = applyLiquidation(s, 2, { maxRepay: USDC(1000) });
    if (!r.ok) throw new Error(r.message);
    // 1,000 · 1.08 / 20,000 BTC = 0.054 BTC
    expect(r.seized).toBe(5_400_000n);
    expect(r.snapshot.debt).toBe(USDC(19_000));
  });
});

describe("flag and keeper choice", () => {
  it("flags only an unhealthy, unflagged account", () => {
    expect(applyFlag(soft(), T0)).toMatchObject({ ok: true });
    expect(applyFlag(soft({ flaggedAt: 1n }), T0)).toMatchObject({ ok: false, reason: "ALREADY_FLAGGED" });
    expect(applyFlag(makeSnapshot({ balances: { WETH: ETH(1) }, debt: USDC(1) }))).toMatchObject({ ok: false, reason: "HEALTHY_ACCOUNT" });
  });

  it("the keeper takes the largest-value collateral with something to liquidate", () => {
    const s = makeSnapshot({ balances: { WETH: ETH(1), wstETH: ETH(1), WBTC: BTC(1) }, prices: { WBTC: 20_000n * WAD }, debt: USDC(25_000) });
    expect(chooseLiquidationCollateral(s)).toBe(2);
    expect(chooseLiquidationCollateral(makeSnapshot({ balances: { WETH: ETH(1) }, debt: USDC(1) }))).toBe(-1);
  });
});
