/**
 * Advice: the smallest top-up of each collateral, or the smallest repay, that keeps the chance of entering SOFT within
 * a horizon under a threshold the borrower picks; and the largest borrow or withdrawal that keeps it there ("max
 * safe"). Floats on purpose, like the forecast: the answer is a health to reach, turned into exact token amounts by the
 * bigint helpers (`topUpForHealth`, `repayForHealth`, `maxBorrowForHealth`, `maxWithdrawForHealth`).
 *
 * One set of price paths serves every question (common random numbers), so the answers agree with each other and with
 * the probabilities shown beside them: a top-up of the advised amount, read back with the same paths, lands under the
 * threshold. The model is the forecast's (lib/risk/forecast.ts): correlated zero-drift GBMs, debt held constant,
 * HF(t) = Σ wᵢ·e^{Xᵢ(t)}, checked `stepsPerDay` times a day, and between checks the Brownian-bridge minimum of log HF
 * sampled exactly from one stored uniform per step: min = (a + b − √((a − b)² − 2·v·ln U)) / 2. That sample is below a
 * barrier with the bridge's crossing probability exp(−2ab/v), as in `forecast`, so both report the same distribution.
 *
 * Scaling every weight by k (a change of debt only) shifts log HF by ln k on every path, minimum included, so the
 * health a debt change must reach is one order statistic of the paths' minima; a top-up or withdrawal of one
 * collateral changes the mix and is found by bisection over the stored paths.
 *
 * Pure functions of plain data (numbers and typed arrays): the app runs them in a Web Worker.
 */
import { maxBorrowForHealth, maxWithdrawForHealth, repayForHealth, topUpForHealth } from "./actions";
import { movingAssets } from "./bands";
import { cholesky } from "./forecast";
import { WAD } from "./math";
import { health, maxBorrow, maxWithdraw } from "./position";
import { createRng } from "./random";
import type { PositionSnapshot } from "./types";

/** What the paths are drawn from. Every array is in collateral order. */
export interface PathModel {
  /** Annualised volatility of each collateral's price (0: the price does not move, e.g. a stablecoin). */
  readonly volatility: readonly number[];
  /** Correlation of the collaterals' log returns (symmetric, ones on the diagonal, positive semi-definite). */
  readonly correlation: readonly (readonly number[])[];
  readonly days: number;
  readonly stepsPerDay: number;
  readonly paths: number;
  readonly seed: number;
}

/** Price paths drawn once and evaluated for any weights. */
export interface PathSet {
  readonly model: PathModel;
  readonly steps: number;
  /** Collateral indices whose price moves. */
  readonly moving: readonly number[];
  /** e^{X} of each moving asset at the end of each step: growth[(path · steps + step) · moving.length + r]. */
  readonly growth: Float32Array;
  /** ln U for each path and step: the Brownian-bridge minimum's draw. */
  readonly logUniform: Float32Array;
  /** σ·√Δt of each moving asset. */
  readonly stepVolatility: Float64Array;
  /** Correlation of the moving assets, row-major. */
  readonly correlation: Float64Array;
}

export type PathModelError = { readonly ok: false; readonly reason: "INVALID_MODEL"; readonly message: string };

export function checkPathModel(model: PathModel): PathModelError | null {
  const bad = (message: string): PathModelError => ({ ok: false, reason: "INVALID_MODEL", message });
  const n = model.volatility.length;
  if (!Number.isInteger(model.paths) || model.paths < 100 || model.paths > 200_000) return bad("paths must be an integer between 100 and 200,000.");
  if (!Number.isInteger(model.stepsPerDay) || model.stepsPerDay < 1 || model.stepsPerDay > 96) return bad("stepsPerDay must be an integer between 1 and 96.");
  if (!(model.days > 0 && model.days <= 90)) return bad("days must be between 0 and 90.");
  if (model.volatility.some((v) => !(v >= 0 && v <= 20))) return bad("Every volatility must be between 0 and 20 (2000%).");
  if (model.correlation.length !== n || model.correlation.some((row) => row.length !== n)) return bad(`The correlation matrix must be ${n}×${n}.`);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const c = model.correlation[i]![j]!;
      if (!(c >= -1 && c <= 1) || Math.abs(c - model.correlation[j]![i]!) > 1e-9 || (i === j && Math.abs(c - 1) > 1e-9)) {
        return bad("The correlation matrix must be symmetric with ones on the diagonal and entries in [−1, 1].");
      }
    }
  }
  if (!cholesky(model.correlation)) return bad("The correlation matrix is not positive semi-definite.");
  return null;
}

/**
 * Draws the paths. Every moving collateral is simulated whether or not the position holds it, so a top-up of a new
 * collateral, or a withdrawal of all of one, is judged on the same draws as today's position.
 */
export function simulatePaths(model: PathModel): PathSet | PathModelError {
  const invalid = checkPathModel(model);
  if (invalid) return invalid;
  const moving = model.volatility.map((v, i) => (v > 0 ? i : -1)).filter((i) => i >= 0);
  const m = moving.length;
  const steps = Math.max(1, Math.round(model.days * model.stepsPerDay));
  const dt = 1 / (365 * model.stepsPerDay);
  const stepVolatility = Float64Array.from(moving, (i) => model.volatility[i]! * Math.sqrt(dt));
  const correlation = new Float64Array(m * m);
  for (let r = 0; r < m; r++) for (let c = 0; c < m; c++) correlation[r * m + c] = model.correlation[moving[r]!]![moving[c]!]!;
  // the moving assets' own factor (a sub-matrix's Cholesky factor is not the sub-matrix of the full factor)
  const lower = cholesky(moving.map((i) => moving.map((j) => model.correlation[i]![j]!)))!;
  const drift = Float64Array.from(stepVolatility, (s) => -(s * s) / 2);
  const growth = new Float32Array(model.paths * steps * m);
  const logUniform = new Float32Array(model.paths * steps);
  const rng = createRng(model.seed);
  const x = new Float64Array(m);
  const z = new Float64Array(m);
  for (let p = 0; p < model.paths; p++) {
    x.fill(0);
    for (let t = 0; t < steps; t++) {
      for (let r = 0; r < m; r++) z[r] = rng.normal();
      const base = (p * steps + t) * m;
      for (let r = 0; r < m; r++) {
        let shock = 0;
        for (let c = 0; c <= r; c++) shock += lower[r]![c]! * z[c]!;
        x[r] = x[r]! + drift[r]! + stepVolatility[r]! * shock;
        growth[base + r] = Math.exp(x[r]!);
      }
      let u = 0;
      while (u === 0) u = rng.next();
      logUniform[p * steps + t] = Math.log(u);
    }
  }
  return { model, steps, moving, growth, logUniform, stepVolatility, correlation };
}

/** Each collateral's share of HF today: value · LT / debt value (with no debt, per dollar of debt). */
export type Weights = readonly number[];

interface Split {
  readonly movingWeight: Float64Array;
  readonly fixed: number;
}

function split(set: PathSet, weights: Weights): Split {
  const movingWeight = Float64Array.from(set.moving, (i) => weights[i] ?? 0);
  const isMoving = new Set(set.moving);
  const fixed = weights.reduce((sum, w, i) => (isMoving.has(i) ? sum : sum + w), 0);
  return { movingWeight, fixed };
}

/**
 * Walks every path for the given weights. `onStep(path, step, bridgeMinLog)` sees each step's sampled minimum of
 * log HF (step 0 is today); returning true ends that path.
 */
function walk(set: PathSet, weights: Weights, onStep: (path: number, step: number, minLog: number) => boolean): void {
  const { movingWeight: w, fixed } = split(set, weights);
  const m = set.moving.length;
  const { steps, growth, logUniform, stepVolatility: vol, correlation: corr } = set;
  const start = fixed + w.reduce((a, b) => a + b, 0);
  const lnStart = Math.log(start);
  const share = new Float64Array(m);
  for (let p = 0; p < set.model.paths; p++) {
    if (onStep(p, 0, lnStart)) continue;
    let lnPrev = lnStart;
    for (let r = 0; r < m; r++) share[r] = (w[r]! * vol[r]!) / start;
    for (let t = 0; t < steps; t++) {
      const base = (p * steps + t) * m;
      let hf = fixed;
      for (let r = 0; r < m; r++) hf += w[r]! * growth[base + r]!;
      const ln = Math.log(hf);
      // variance of log HF over the step, from each asset's share of HF at the step's start
      let v = 0;
      for (let r = 0; r < m; r++) {
        const sr = share[r]!;
        if (sr === 0) continue;
        for (let c = 0; c < m; c++) v += sr * share[c]! * corr[r * m + c]!;
      }
      const d = lnPrev - ln;
      const bridgeMin = v > 0 ? (lnPrev + ln - Math.sqrt(d * d - 2 * v * logUniform[p * steps + t]!)) / 2 : Math.min(lnPrev, ln);
      if (onStep(p, t + 1, bridgeMin)) break;
      for (let r = 0; r < m; r++) share[r] = (w[r]! * growth[base + r]! * vol[r]!) / hf;
      lnPrev = ln;
    }
  }
}

/** Whether fewer than `allowed + 1` paths enter SOFT (dip below HF 1): the walk stops as soon as the answer is no. */
function fewHits(set: PathSet, weights: Weights, allowed: number): boolean {
  let hits = 0;
  let abandoned = false;
  walk(set, weights, (path, _step, minLog) => {
    if (abandoned) return true;
    if (minLog < 0) {
      hits += 1;
      if (hits > allowed) abandoned = true;
      return true;
    }
    return false;
  });
  return hits <= allowed;
}

export interface ChanceCurvePoint {
  readonly day: number;
  readonly pSoft: number;
  readonly pHard: number;
}

export interface PathStats {
  readonly pSoft: number;
  readonly pHard: number;
  /** Chance of having entered each zone by the end of each step (step 0: today). */
  readonly curve: readonly ChanceCurvePoint[];
  /** Each path's lowest log HF over the horizon (bridge minima included). */
  readonly minLog: Float64Array;
}

export function pathStats(set: PathSet, weights: Weights, hardHealth: number): PathStats {
  const n = set.model.paths;
  const minLog = new Float64Array(n).fill(Infinity);
  const softAt = new Int32Array(n).fill(-1);
  const hardAt = new Int32Array(n).fill(-1);
  const lnHard = Math.log(hardHealth);
  walk(set, weights, (p, t, bridgeMin) => {
    if (bridgeMin < minLog[p]!) minLog[p] = bridgeMin;
    if (bridgeMin < 0 && softAt[p] === -1) softAt[p] = t;
    if (bridgeMin < lnHard && hardAt[p] === -1) hardAt[p] = t;
    return false;
  });
  const softBy = new Float64Array(set.steps + 1);
  const hardBy = new Float64Array(set.steps + 1);
  for (let p = 0; p < n; p++) {
    if (softAt[p]! >= 0) softBy[softAt[p]!]! += 1;
    if (hardAt[p]! >= 0) hardBy[hardAt[p]!]! += 1;
  }
  const curve: ChanceCurvePoint[] = [];
  let soft = 0;
  let hard = 0;
  for (let t = 0; t <= set.steps; t++) {
    soft += softBy[t]!;
    hard += hardBy[t]!;
    curve.push({ day: t / set.model.stepsPerDay, pSoft: soft / n, pHard: hard / n });
  }
  return { pSoft: soft / n, pHard: hard / n, curve, minLog };
}

export interface AdviceQuestion {
  readonly weights: Weights;
  readonly hardHealth: number;
  /** The chance of SOFT within the horizon to stay under, in (0, 1). */
  readonly threshold: number;
  /** Collaterals that may be topped up (default all). */
  readonly canTopUp?: readonly boolean[];
}

/** The answer in health terms (a health to reach), per kind of action. */
export interface HealthAdvice {
  readonly startHealth: number;
  readonly threshold: number;
  readonly paths: number;
  readonly days: number;
  readonly pSoft: number;
  readonly pHard: number;
  readonly curve: readonly ChanceCurvePoint[];
  /** The health a change of debt alone (repay or borrow) must keep: at or above it the chance is under the threshold. */
  readonly debtHealth: number;
  /** Per collateral: the health a top-up of it alone must reach (null: it cannot be topped up). */
  readonly topUpHealth: readonly (number | null)[];
  /** Per collateral: the lowest health a withdrawal of it may leave (−Infinity: all of it may go). */
  readonly withdrawHealth: readonly number[];
}

/** Bisection over a monotone yes/no on [lo, hi] (`ok(hi)` true): the smallest passing value within `tolerance`. */
function smallestPassing(ok: (x: number) => boolean, lo: number, hi: number, tolerance: number): number {
  for (let i = 0; i < 60 && hi - lo > tolerance; i++) {
    const mid = (lo + hi) / 2;
    if (ok(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** Answers every question for one position on one set of paths. */
export function adviseHealth(set: PathSet, q: AdviceQuestion): HealthAdvice {
  const n = set.model.paths;
  const weights = q.weights;
  const start = weights.reduce((a, b) => a + b, 0);
  // "under the threshold": strictly fewer than threshold · paths paths enter SOFT
  const allowed = Math.max(0, Math.ceil(q.threshold * n) - 1);
  const stats = pathStats(set, weights, q.hardHealth);
  const sorted = Float64Array.from(stats.minLog).sort();
  // a debt change multiplies HF by k on every path: the (allowed)-th lowest minimum must end at or above 0
  const debtScale = Math.exp(-sorted[allowed]!);
  const debtHealth = start * debtScale * (1 + 1e-9);
  const tolerance = 1e-6 * Math.max(start, 1e-9);

  const topUpHealth = weights.map((_, j) => {
    if (q.canTopUp && !q.canTopUp[j]) return null;
    const withTopUp = (delta: number) => fewHits(set, weights.map((w, i) => (i === j ? w + delta : w)), allowed);
    if (withTopUp(0)) return start;
    let hi = Math.max(start, 0.01);
    while (!withTopUp(hi)) {
      hi *= 2;
      if (hi > 1e9) return null;
    }
    return start + smallestPassing(withTopUp, 0, hi, tolerance);
  });

  const withdrawHealth = weights.map((wj, j) => {
    const without = (delta: number) => fewHits(set, weights.map((w, i) => (i === j ? Math.max(0, w - delta) : w)), allowed);
    if (wj === 0 || without(wj)) return -Infinity;
    if (!without(0)) return start;
    // the largest removable share: the smallest "remaining" that passes
    const keep = smallestPassing((kept) => without(wj - kept), 0, wj, tolerance);
    return start - wj + keep;
  });

  return {
    startHealth: start,
    threshold: q.threshold,
    paths: n,
    days: set.model.days,
    pSoft: stats.pSoft,
    pHard: stats.pHard,
    curve: stats.curve,
    debtHealth,
    topUpHealth,
    withdrawHealth,
  };
}

/** Annualised volatilities the app assumes (ETH-like ~80%, BTC-like ~60%; any other volatile asset 90%). */
export const ASSUMED_VOLATILITY: Readonly<Record<string, number>> = { WETH: 0.8, wstETH: 0.8, WBTC: 0.6 };
export const ASSUMED_OTHER_VOLATILITY = 0.9;
export const ASSUMED_CORRELATION = 0.8;
/** The chance of SOFT within the horizon that advice keeps under unless the borrower picks another. */
export const DEFAULT_SOFT_CHANCE = 0.05;
export const ADVICE_DAYS = 7;
/** Price paths drawn for advice: the chance is known to about ±0.2 percentage points at 5%. */
export const ADVICE_PATHS = 10_000;

export interface AdviceSettings {
  /** Multiplies every assumed volatility (1 = typical). */
  readonly volatilityFactor?: number;
  readonly paths?: number;
  readonly days?: number;
  readonly seed?: number;
}

/**
 * The path model for a market's collaterals: stablecoins fixed, the others at the assumed volatilities, one
 * correlation for every pair. It depends on the market only, so one set of paths serves every position in it.
 */
export function assumedPathModel(s: PositionSnapshot, settings: AdviceSettings = {}): PathModel {
  const moving = new Set(movingAssets(s));
  const factor = settings.volatilityFactor ?? 1;
  const cols = s.market.collaterals;
  return {
    volatility: cols.map((c, i) => (moving.has(i) ? (ASSUMED_VOLATILITY[c.symbol] ?? ASSUMED_OTHER_VOLATILITY) * factor : 0)),
    correlation: cols.map((_, i) => cols.map((__, j) => (i === j ? 1 : moving.has(i) && moving.has(j) ? ASSUMED_CORRELATION : 0))),
    days: settings.days ?? ADVICE_DAYS,
    stepsPerDay: 4,
    paths: settings.paths ?? ADVICE_PATHS,
    seed: settings.seed ?? 7,
  };
}

export type AdviceInputError = {
  readonly ok: false;
  readonly reason: "PRICE_UNAVAILABLE" | "INVALID_THRESHOLD" | "NO_COLLATERAL";
  readonly message: string;
};

/**
 * The question for a position, as plain data. Without debt, weights are per dollar of debt (HF of a $1 loan):
 * the health needed for a borrow is the same either way.
 */
export function adviceQuestion(s: PositionSnapshot, threshold: number): { ok: true; question: AdviceQuestion } | AdviceInputError {
  if (!(threshold > 0 && threshold < 1)) return { ok: false, reason: "INVALID_THRESHOLD", message: "The chance to stay under must be between 0% and 100%." };
  const h = health(s);
  if (!h.ok) return { ok: false, reason: "PRICE_UNAVAILABLE", message: "A price feed is stale or invalid." };
  if (h.collateralPower === 0n) return { ok: false, reason: "NO_COLLATERAL", message: "Without collateral there is nothing to advise on." };
  const debt = h.debtValue > 0n ? h.debtValue : WAD;
  // 6 significant digits: interest accruing block by block does not change the question (at 5% a year it moves
  // the weights by 1e-6 in ten minutes), so one answer serves until something real moves
  const weights = s.market.collaterals.map((c) => Number((Number((((c.value * c.lt) / WAD) * 10n ** 12n) / debt) / 1e12).toPrecision(6)));
  return {
    ok: true,
    question: {
      weights,
      hardHealth: Number(s.market.risk.hardHealth) / 1e18,
      threshold,
      canTopUp: s.market.collaterals.map((c) => c.priceOk && !c.paused),
    },
  };
}

/**
 * A health as a WAD, rounded up with a margin of 1e-5 (a hundred-thousandth of the health, far below a cent on any
 * position): every target errs on the safe side, so the position reached, read back through `adviceQuestion`'s
 * 6-digit weights and the same paths, is under the threshold and never exactly on it.
 */
function healthWadUp(x: number): bigint {
  if (!Number.isFinite(x)) throw new RangeError(`A health target must be a finite number, not ${x}.`);
  return BigInt(Math.ceil(x * (1 + 1e-5) * 1e12)) * 10n ** 6n;
}

/** Token amounts for the advice, exact under the contract's rounding. */
export interface Advice {
  readonly health: HealthAdvice;
  /** The health a repay or borrow must keep, WAD. */
  readonly debtHealth: bigint;
  /** Smallest repay that gets under the threshold (0: already under). */
  readonly repay: bigint;
  /** Whether even repaying everything is what it takes. */
  readonly repayAll: boolean;
  /** Per collateral: smallest top-up that gets under the threshold (null: not possible with this collateral). */
  readonly topUp: readonly (bigint | null)[];
  /** Largest borrow the market accepts that stays under the threshold. */
  readonly maxBorrow: bigint;
  /** Per collateral: largest withdrawal the market accepts that stays under the threshold. */
  readonly maxWithdraw: readonly bigint[];
}

export function adviceAmounts(s: PositionSnapshot, advice: HealthAdvice): Advice {
  const debtHealth = healthWadUp(advice.debtHealth);
  const repay = s.debt > 0n ? repayForHealth(s, debtHealth) : { ok: true as const, amount: 0n };
  const market = maxBorrow(s);
  const safe = maxBorrowForHealth(s, debtHealth);
  const borrowCap = market.ok && safe.ok ? (market.amount < safe.amount ? market.amount : safe.amount) : 0n;
  return {
    health: advice,
    debtHealth,
    repay: repay.ok ? repay.amount : s.debt,
    repayAll: repay.ok && repay.amount >= s.debt && s.debt > 0n,
    topUp: advice.topUpHealth.map((target, i) => {
      if (target === null || s.debt === 0n) return s.debt === 0n ? 0n : null;
      const r = topUpForHealth(s, i, healthWadUp(target));
      return r.ok ? r.amount : null;
    }),
    maxBorrow: borrowCap,
    maxWithdraw: advice.withdrawHealth.map((target, i) => {
      const market = maxWithdraw(s, i);
      if (!market.ok) return 0n;
      if (target === -Infinity || s.debt === 0n) return market.amount;
      const safe = maxWithdrawForHealth(s, i, healthWadUp(target));
      return safe.ok && safe.amount < market.amount ? safe.amount : market.amount;
    }),
  };
}
