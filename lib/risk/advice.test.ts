import { describe, expect, it } from "vitest";
import { assumeIntent } from "./actions";
import {
  adviceAmounts,
  adviceQuestion,
  adviseHealth,
  assumedPathModel,
  pathStats,
  simulatePaths,
  type PathModel,
  type PathSet,
} from "./advice";
import { forecast } from "./forecast";
import { DEVNET_COLLATERALS, makeSnapshot, units } from "./fixtures";
import { WAD } from "./math";
import { health } from "./position";

const model = (over: Partial<PathModel> = {}): PathModel => ({
  volatility: [0.8, 0.6, 0],
  correlation: [
    [1, 0.8, 0],
    [0.8, 1, 0],
    [0, 0, 1],
  ],
  days: 7,
  stepsPerDay: 4,
  paths: 20_000,
  seed: 7,
  ...over,
});

function paths(m: PathModel): PathSet {
  const set = simulatePaths(m);
  if ("ok" in set) throw new Error(set.message);
  return set;
}

const within = (a: number, b: number, n: number) => Math.abs(a - b) < 4 * Math.sqrt((b * (1 - b)) / n) + 2e-3;

describe("simulatePaths", () => {
  it("is deterministic for a seed and changes with it", () => {
    const a = paths(model({ paths: 500 }));
    const b = paths(model({ paths: 500 }));
    const c = paths(model({ paths: 500, seed: 8 }));
    expect(a.growth).toEqual(b.growth);
    expect(a.growth).not.toEqual(c.growth);
    // the stablecoin is not simulated: two moving assets, 28 steps
    expect(a.moving).toEqual([0, 1]);
    expect(a.growth.length).toBe(500 * 28 * 2);
  });

  it("refuses a model it cannot draw from, with the reason", () => {
    const bad = (over: Partial<PathModel>) => {
      const r = simulatePaths(model(over));
      return "ok" in r ? r.message : "accepted";
    };
    expect(bad({ paths: 10 })).toMatch(/paths/);
    expect(bad({ days: 0 })).toMatch(/days/);
    expect(bad({ volatility: [0.8, -1, 0] })).toMatch(/volatility/);
    expect(bad({ correlation: [[1]] })).toMatch(/3×3/);
    expect(
      bad({
        correlation: [
          [1, 0.99, -0.99],
          [0.99, 1, 0.99],
          [-0.99, 0.99, 1],
        ],
      }),
    ).toMatch(/semi-definite/);
  });
});

describe("pathStats", () => {
  it("reports the forecast's distribution: P(SOFT) and P(HARD) agree with lib/risk's forecast within 4 standard errors", () => {
    const weights = [0.7, 0.4, 0.15]; // HF 1.25: a third of it from a stablecoin
    const stats = pathStats(paths(model()), weights, 0.95);
    const f = forecast({
      assets: [
        { symbol: "ETH", weight: 0.7, volatility: 0.8 },
        { symbol: "BTC", weight: 0.4, volatility: 0.6 },
        { symbol: "DAI", weight: 0.15, volatility: 0 },
      ],
      correlation: model().correlation,
      hardHealth: 0.95,
      horizonsDays: [1, 7],
      paths: 20_000,
      seed: 3,
    });
    if (!f.ok) throw new Error(f.message);
    const at = (day: number) => stats.curve.find((p) => p.day === day)!;
    for (const h of f.horizons) {
      expect(within(at(h.days).pSoft, h.pSoft, 20_000)).toBe(true);
      expect(within(at(h.days).pHard, h.pHard, 20_000)).toBe(true);
    }
    expect(stats.pSoft).toBe(at(7).pSoft);
    // by hand-free sanity: the curve starts at 0 (HF 1.25 today) and never falls
    expect(stats.curve[0]).toEqual({ day: 0, pSoft: 0, pHard: 0 });
    for (let i = 1; i < stats.curve.length; i++) expect(stats.curve[i]!.pSoft).toBeGreaterThanOrEqual(stats.curve[i - 1]!.pSoft);
  });

  it("a position already below 1 has entered SOFT on every path; only fixed collateral never moves", () => {
    const set = paths(model({ paths: 1000 }));
    expect(pathStats(set, [0.5, 0.4, 0], 0.95).pSoft).toBe(1);
    const fixed = pathStats(set, [0, 0, 1.2], 0.95);
    expect(fixed.pSoft).toBe(0);
    expect(fixed.minLog.every((v) => Math.abs(v - Math.log(1.2)) < 1e-12)).toBe(true);
  });
});

describe("adviseHealth", () => {
  const set = paths(model({ paths: 10_000 }));
  const weights = [0.8, 0.3, 0]; // HF 1.1, all of it volatile
  const threshold = 0.05;
  const advice = adviseHealth(set, { weights, hardHealth: 0.95, threshold });
  const chance = (w: readonly number[]) => pathStats(set, w, 0.95).pSoft;

  it("starts from the position's own chance, above the threshold here", () => {
    expect(advice.startHealth).toBeCloseTo(1.1, 12);
    expect(advice.pSoft).toBe(chance(weights));
    expect(advice.pSoft).toBeGreaterThan(threshold);
  });

  it("debt health: scaling every weight to it lands under the threshold, a hair below it does not", () => {
    const k = advice.debtHealth / advice.startHealth;
    expect(chance(weights.map((w) => w * k))).toBeLessThan(threshold);
    expect(chance(weights.map((w) => w * k * 0.999))).toBeGreaterThanOrEqual(threshold);
  });

  it("top-up health per collateral: the smallest top-up that gets under the threshold (a stable one needs least)", () => {
    for (const [j, target] of advice.topUpHealth.entries()) {
      const delta = target! - advice.startHealth;
      const topped = (d: number) => weights.map((w, i) => (i === j ? w + d : w));
      expect(chance(topped(delta))).toBeLessThan(threshold);
      expect(chance(topped(delta * 0.995))).toBeGreaterThanOrEqual(threshold);
    }
    // adding value that does not fall protects more per dollar than adding more of what falls
    expect(advice.topUpHealth[2]!).toBeLessThan(advice.topUpHealth[0]!);
  });

  it("withdraw health: a position well under the threshold may give up collateral down to it, and no further", () => {
    const safe = [2.4, 0.6, 0.3];
    const a = adviseHealth(set, { weights: safe, hardHealth: 0.95, threshold });
    expect(a.pSoft).toBeLessThan(threshold);
    for (const [j, floor] of a.withdrawHealth.entries()) {
      if (floor === -Infinity) {
        expect(chance(safe.map((w, i) => (i === j ? 0 : w)))).toBeLessThan(threshold);
        continue;
      }
      const removed = a.startHealth - floor;
      expect(chance(safe.map((w, i) => (i === j ? w - removed : w)))).toBeLessThan(threshold);
      expect(chance(safe.map((w, i) => (i === j ? w - removed * 1.005 : w)))).toBeGreaterThanOrEqual(threshold);
    }
  });

  it("a stricter threshold asks for more", () => {
    const strict = adviseHealth(set, { weights, hardHealth: 0.95, threshold: 0.01 });
    expect(strict.debtHealth).toBeGreaterThan(advice.debtHealth);
    expect(strict.topUpHealth[0]!).toBeGreaterThan(advice.topUpHealth[0]!);
  });
});

describe("adviceAmounts on a snapshot (exact token amounts)", () => {
  // 2 WETH ($6,000 · 0.85) + 0.05 WBTC ($3,000 · 0.78) for 6,500 USDC: HF 1.1446
  const s = makeSnapshot({ balances: { WETH: units(2, 18), WBTC: units(5, 6) }, debt: units(6500, 6) });
  const m = assumedPathModel(s, { paths: 10_000 });
  const set = paths(m);
  const threshold = 0.05;
  const adviseOn = (snap: typeof s) => {
    const q = adviceQuestion(snap, threshold);
    if (!q.ok) throw new Error(q.message);
    return adviceAmounts(snap, adviseHealth(set, q.question));
  };
  const advice = adviseOn(s);
  const chanceOf = (snap: typeof s) => {
    const q = adviceQuestion(snap, threshold);
    if (!q.ok) throw new Error(q.message);
    return pathStats(set, q.question.weights, 0.95).pSoft;
  };

  it("the model follows the market: the three devnet collaterals move, correlated 0.8", () => {
    expect(m.volatility).toEqual([0.8, 0.8, 0.6]);
    expect(m.correlation[0]).toEqual([1, 0.8, 0.8]);
    expect(DEVNET_COLLATERALS.length).toBe(3);
  });

  it("the advised repay, done, lands under the threshold; a cent less than 0.5% of it does not", () => {
    expect(advice.health.pSoft).toBeGreaterThan(threshold);
    expect(advice.repay).toBeGreaterThan(0n);
    expect(chanceOf(assumeIntent(s, { kind: "repay", amount: advice.repay }))).toBeLessThan(threshold);
    const less = advice.repay - advice.repay / 200n;
    expect(chanceOf(assumeIntent(s, { kind: "repay", amount: less }))).toBeGreaterThanOrEqual(threshold);
  });

  it("each advised top-up, done, lands under the threshold", () => {
    for (const [i, amount] of advice.topUp.entries()) {
      expect(amount).not.toBeNull();
      expect(chanceOf(assumeIntent(s, { kind: "topUp", asset: i, amount: amount! }))).toBeLessThan(threshold);
    }
  });

  it("max safe borrow from a safe position stays under the threshold, 1% more does not", () => {
    const rich = assumeIntent(s, { kind: "topUp", asset: 0, amount: units(3, 18) });
    const a = adviseOn(rich);
    expect(a.health.pSoft).toBeLessThan(threshold);
    expect(a.maxBorrow).toBeGreaterThan(0n);
    expect(chanceOf(assumeIntent(rich, { kind: "borrow", amount: a.maxBorrow }))).toBeLessThan(threshold);
    expect(chanceOf(assumeIntent(rich, { kind: "borrow", amount: a.maxBorrow + a.maxBorrow / 100n }))).toBeGreaterThanOrEqual(threshold);
    // the position at risk may borrow nothing more
    expect(advice.maxBorrow).toBe(0n);
  });

  it("without debt: the max safe first borrow is the one whose health is the debt health", () => {
    const fresh = makeSnapshot({ balances: { WETH: units(10, 18) } });
    const a = adviseOn(fresh);
    expect(a.repay).toBe(0n);
    expect(a.maxWithdraw[0]).toBe(units(10, 18));
    const opened = assumeIntent(fresh, { kind: "borrow", amount: a.maxBorrow });
    expect(chanceOf(opened)).toBeLessThan(threshold);
    const h = health(opened).healthFactor;
    expect(h).toBeGreaterThanOrEqual(a.debtHealth);
    // and it is far more prudent than the market's own limit (borrow power at 80% LTV: HF 1.0625)
    expect(h).toBeGreaterThan((WAD * 12n) / 10n);
  });

  it("has nothing to advise without collateral (an empty form), and says so", () => {
    const r = adviceQuestion(makeSnapshot(), threshold);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toBe("NO_COLLATERAL");
  });

  it("refuses a threshold outside (0, 1)", () => {
    const r = adviceQuestion(s, 1);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toMatch(/between 0% and 100%/);
  });
});
