import { describe, expect, it } from "vitest";
import { cholesky, estimateCorrelation, estimateVolatility, forecast, forecastInput, type ForecastInput } from "./forecast";
import { makeSnapshot, units } from "./fixtures";
import { createRng } from "./random";

/** Standard normal CDF (Abramowitz–Stegun 26.2.17, |error| < 7.5e-8). */
function phi(x: number): number {
  const t = 1 / (1 + 0.2316419 * Math.abs(x));
  const d = 0.3989422804014327 * Math.exp((-x * x) / 2);
  const p = d * t * (0.31938153 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
  return x > 0 ? 1 - p : p;
}

/** P(min over [0, T] of a driftless GBM started at 1 falls below `barrier`) — the reflection principle. */
function firstPassage(barrier: number, sigma: number, years: number): number {
  const nu = (-sigma * sigma) / 2;
  const b = Math.log(barrier);
  const s = sigma * Math.sqrt(years);
  return phi((b - nu * years) / s) + Math.exp((2 * nu * b) / (sigma * sigma)) * phi((b + nu * years) / s);
}

const single = (weight: number, volatility: number, extra: Partial<ForecastInput> = {}): ForecastInput => ({
  assets: [{ symbol: "ETH", weight, volatility }],
  correlation: [[1]],
  hardHealth: 0.95,
  paths: 20_000,
  seed: 7,
  ...extra,
});

describe("forecast", () => {
  it("one asset: matches the closed-form first-passage probability at 1 and 7 days (within 4 standard errors)", () => {
    // HF 1.3, 80% volatility: SOFT needs a 23.1% fall, HARD a 26.9% fall
    const r = forecast(single(1.3, 0.8));
    if (!r.ok) throw new Error(r.message);
    for (const h of r.horizons) {
      const soft = firstPassage(1 / 1.3, 0.8, h.days / 365);
      const hard = firstPassage(0.95 / 1.3, 0.8, h.days / 365);
      expect(Math.abs(h.pSoft - soft)).toBeLessThan(4 * Math.sqrt((soft * (1 - soft)) / 20_000) + 1e-3);
      expect(Math.abs(h.pHard - hard)).toBeLessThan(4 * Math.sqrt((hard * (1 - hard)) / 20_000) + 1e-3);
    }
    // by hand, 7 days: σ√T = 0.1108, b = ln(1/1.3) = −0.2624, νT = −0.0061:
    // Φ(−2.313) + 1.3 · Φ(−2.424) = 0.0104 + 1.3 · 0.0077 = 0.0204
    expect(firstPassage(1 / 1.3, 0.8, 7 / 365)).toBeCloseTo(0.0204, 3);
    expect(r.horizons[1]!.pSoft).toBeGreaterThan(r.horizons[0]!.pSoft);
    expect(r.horizons[1]!.pSoft).toBeGreaterThanOrEqual(r.horizons[1]!.pHard);
  });

  it("is deterministic for a seed and changes with the seed", () => {
    const a = forecast(single(1.1, 0.9, { paths: 2000 }));
    const b = forecast(single(1.1, 0.9, { paths: 2000 }));
    const c = forecast(single(1.1, 0.9, { paths: 2000, seed: 8 }));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it("already SOFT or HARD counts as entered; a fixed price never enters", () => {
    const soft = forecast(single(0.97, 0.5, { paths: 100 }));
    expect(soft.ok && soft.horizons.map((h) => h.pSoft)).toEqual([1, 1]);
    expect(soft.ok && soft.horizons[0]!.pHard).toBeLessThan(1);
    const hard = forecast(single(0.9, 0.5, { paths: 100 }));
    expect(hard.ok && hard.horizons[0]).toMatchObject({ pSoft: 1, pHard: 1 });
    const still = forecast(single(1.2, 0, { paths: 100 }));
    expect(still.ok && still.horizons[1]).toMatchObject({ pSoft: 0, pHard: 0 });
  });

  it("two perfectly correlated assets behave like one asset of the combined weight", () => {
    const pair = forecast({
      assets: [
        { symbol: "A", weight: 0.8, volatility: 0.8 },
        { symbol: "B", weight: 0.5, volatility: 0.8 },
      ],
      correlation: [
        [1, 1],
        [1, 1],
      ],
      hardHealth: 0.95,
      paths: 20_000,
      seed: 3,
    });
    if (!pair.ok) throw new Error(pair.message);
    const soft7 = firstPassage(1 / 1.3, 0.8, 7 / 365);
    expect(Math.abs(pair.horizons[1]!.pSoft - soft7)).toBeLessThan(4 * Math.sqrt((soft7 * (1 - soft7)) / 20_000) + 2e-3);
    // independent assets diversify: lower chance of the same fall
    const independent = forecast({ ...single(0, 0), assets: [{ symbol: "A", weight: 0.65, volatility: 0.8 }, { symbol: "B", weight: 0.65, volatility: 0.8 }], correlation: [[1, 0], [0, 1]], paths: 20_000, seed: 3 });
    expect(independent.ok && independent.horizons[1]!.pSoft).toBeLessThan(pair.horizons[1]!.pSoft);
  });

  it("rejects bad input with reasons", () => {
    expect(forecast(single(1.2, 0.5, { correlation: [[1, 0]] }))).toMatchObject({ ok: false, reason: "INVALID_INPUT" });
    expect(forecast(single(1.2, -1))).toMatchObject({ ok: false, reason: "INVALID_INPUT" });
    expect(forecast(single(1.2, 0.5, { paths: 0 }))).toMatchObject({ ok: false, reason: "INVALID_INPUT" });
    expect(forecast(single(1.2, 0.5, { horizonsDays: [-1] }))).toMatchObject({ ok: false, reason: "INVALID_INPUT" });
    const notPsd = {
      assets: ["A", "B", "C"].map((symbol) => ({ symbol, weight: 0.5, volatility: 0.5 })),
      correlation: [
        [1, 0.9, -0.9],
        [0.9, 1, 0.9],
        [-0.9, 0.9, 1],
      ],
      hardHealth: 0.95,
    };
    expect(forecast(notPsd)).toMatchObject({ ok: false, reason: "NOT_POSITIVE_DEFINITE" });
  });

  it("the input is plain data (structured-clone safe for a Web Worker)", () => {
    const s = makeSnapshot({ balances: { WETH: units(10, 18) }, debt: units(20_000, 6) });
    const r = forecastInput(s, { WETH: 0.8 });
    if (!r.ok) throw new Error(r.message);
    expect(structuredClone(r.input)).toEqual(r.input);
    // weight = 30,000 · 0.85 / 20,000
    expect(r.input.assets[0]).toMatchObject({ symbol: "WETH", weight: 1.275, volatility: 0.8 });
    // the devnet's hardHealth, 0.88
    expect(r.input.hardHealth).toBe(0.88);
    expect(forecastInput(makeSnapshot({ balances: { WBTC: 1n }, debt: 1n }), { WETH: 0.8 })).toMatchObject({ ok: false, reason: "MISSING_VOLATILITY" });
  });
});

describe("cholesky", () => {
  it("factors a 2×2 correlation by hand", () => {
    const l = cholesky([
      [1, 0.5],
      [0.5, 1],
    ])!;
    expect(l[0]).toEqual([1, 0]);
    expect(l[1]![0]).toBeCloseTo(0.5, 12);
    expect(l[1]![1]).toBeCloseTo(Math.sqrt(0.75), 12);
  });
});

describe("volatility and correlation estimates", () => {
  it("hourly ±1% log moves: σ² = 4 · 0.0001 · 8760 / 3 → 108.07% a year", () => {
    const hour = 3600;
    const prices = [100, 100 * Math.exp(0.01), 100, 100 * Math.exp(0.01), 100];
    const r = estimateVolatility(prices.map((price, i) => ({ timestamp: 1_700_000_000 + i * hour, price })));
    expect(r.ok && r.annualised).toBeCloseTo(Math.sqrt((4 * 0.0001 * 8760) / 3), 10);
  });

  it("a steady trend has no volatility; gaps are scaled by their own length; oracle bigints work", () => {
    const trend = [0, 1, 2, 3].map((i) => ({ timestamp: i * 7200, price: 3000n * 10n ** 18n * BigInt(2 ** i) }));
    expect(estimateVolatility(trend)).toMatchObject({ ok: true, annualised: 0 });
    const rng = createRng(5);
    let p = 3000;
    let t = 0;
    const series = [];
    for (let i = 0; i < 5000; i++) {
      const dtHours = rng.pick([1, 1, 2, 4]);
      p *= Math.exp(0.6 * Math.sqrt(dtHours / 8760) * rng.normal());
      t += dtHours * 3600;
      series.push({ timestamp: t, price: p });
    }
    const est = estimateVolatility(series);
    expect(est.ok && est.annualised).toBeGreaterThan(0.57);
    expect(est.ok && est.annualised).toBeLessThan(0.63);
  });

  it("rejects too few or bad points", () => {
    expect(estimateVolatility([{ timestamp: 1, price: 1 }, { timestamp: 2, price: 2 }])).toMatchObject({ ok: false, reason: "TOO_FEW_POINTS" });
    expect(estimateVolatility([{ timestamp: 1, price: 1 }, { timestamp: 2, price: 0 }, { timestamp: 3, price: 1 }])).toMatchObject({ ok: false, reason: "INVALID_PRICE" });
  });

  it("correlation: a series with itself is 1, with its mirror −1", () => {
    const a = [100, 103, 99, 104, 101, 98].map((price, i) => ({ timestamp: i * 3600, price }));
    const mirror = a.map((x) => ({ timestamp: x.timestamp, price: 10_000 / x.price }));
    expect(estimateCorrelation(a, a)).toMatchObject({ ok: true });
    expect(estimateCorrelation(a, a).ok && (estimateCorrelation(a, a) as { correlation: number }).correlation).toBeCloseTo(1, 12);
    const m = estimateCorrelation(a, mirror);
    expect(m.ok && m.correlation).toBeCloseTo(-1, 12);
  });
});
