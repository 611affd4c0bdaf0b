/**
 * Forecast: the probability that a position enters SOFT and HARD within given horizons, by a seeded Monte Carlo
 * over correlated geometric Brownian motions. Floats on purpose (a probability is an estimate, not a wei figure).
 *
 * `forecast` is a pure function of plain data (numbers and arrays, no bigint, no classes), so the app can post its
 * input to a Web Worker unchanged. Model:
 * - HF(t) = Σ_i w_i · exp(X_i(t)), with w_i = value_i · LT_i / debtValue today (debt held constant: no interest,
 *   no repayment, no liquidation: this is the chance of *reaching* a zone, not of being sold);
 * - X_i(t) = (μ_i − σ_i²/2) t + σ_i W_i(t), the W_i correlated by `correlation` (Cholesky), μ_i = 0 by default;
 * - stepped `stepsPerDay` times a day (default 4), with a Brownian-bridge correction for dips between steps.
 */
import { movingAssets } from "./bands";
import { WAD } from "./math";
import { health } from "./position";
import { createRng } from "./random";
import type { PositionSnapshot } from "./types";

export interface ForecastAsset {
  readonly symbol: string;
  /** value · LT / debtValue today: this asset's share of HF. */
  readonly weight: number;
  /** Annualised volatility (0.8 = 80%/√year). 0 for a fixed-price asset. */
  readonly volatility: number;
  /** Annualised drift of the price (default 0). */
  readonly drift?: number;
}

export interface ForecastInput {
  readonly assets: readonly ForecastAsset[];
  /** Correlation matrix of the assets' log-returns (symmetric, ones on the diagonal, positive semi-definite). */
  readonly correlation: readonly (readonly number[])[];
  readonly hardHealth: number;
  /** Horizons in days (default [1, 7]). */
  readonly horizonsDays?: readonly number[];
  readonly paths?: number;
  readonly stepsPerDay?: number;
  readonly seed?: number;
}

export interface HorizonForecast {
  readonly days: number;
  readonly pSoft: number;
  readonly pHard: number;
  /** Standard errors of the estimates (binomial). */
  readonly pSoftError: number;
  readonly pHardError: number;
}

export type ForecastResult =
  | { readonly ok: true; readonly startHealth: number; readonly horizons: readonly HorizonForecast[]; readonly paths: number; readonly seed: number }
  | { readonly ok: false; readonly reason: "INVALID_INPUT" | "NOT_POSITIVE_DEFINITE"; readonly message: string };

/** Lower-triangular L with L·Lᵀ = m (positive semi-definite allowed: zero pivots give zero columns). */
export function cholesky(m: readonly (readonly number[])[]): number[][] | null {
  const n = m.length;
  const l = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = m[i]![j]!;
      for (let k = 0; k < j; k++) sum -= l[i]![k]! * l[j]![k]!;
      if (i === j) {
        if (sum < -1e-9) return null;
        l[i]![i] = Math.sqrt(Math.max(sum, 0));
      } else {
        const d = l[j]![j]!;
        l[i]![j] = d > 1e-12 ? sum / d : 0;
      }
    }
  }
  return l;
}

const ZIGGURAT_R = 3.442619855899;

/** Ziggurat tables for the standard normal (Marsaglia & Tsang 2000, RNOR). */
const ZIGGURAT = (() => {
  const kn = new Float64Array(128);
  const wn = new Float64Array(128);
  const fn = new Float64Array(128);
  const m1 = 2147483648;
  const vn = 9.91256303526217e-3;
  let dn = ZIGGURAT_R;
  let tn = dn;
  const q = vn / Math.exp(-0.5 * dn * dn);
  kn[0] = Math.floor((dn / q) * m1);
  kn[1] = 0;
  wn[0] = q / m1;
  wn[127] = dn / m1;
  fn[0] = 1;
  fn[127] = Math.exp(-0.5 * dn * dn);
  for (let i = 126; i >= 1; i--) {
    dn = Math.sqrt(-2 * Math.log(vn / dn + Math.exp(-0.5 * dn * dn)));
    kn[i + 1] = Math.floor((dn / tn) * m1);
    tn = dn;
    fn[i] = Math.exp(-0.5 * dn * dn);
    wn[i] = dn / m1;
  }
  return { kn, wn, fn };
})();

export function forecast(input: ForecastInput): ForecastResult {
  const n = input.assets.length;
  const horizons = [...(input.horizonsDays ?? [1, 7])].sort((a, b) => a - b);
  const paths = input.paths ?? 10_000;
  const stepsPerDay = input.stepsPerDay ?? 4;
  const seed = input.seed ?? 1;
  const bad = (message: string): ForecastResult => ({ ok: false, reason: "INVALID_INPUT", message });
  if (!Number.isInteger(paths) || paths < 1 || paths > 10_000_000) return bad("paths must be an integer between 1 and 10,000,000.");
  if (!Number.isInteger(stepsPerDay) || stepsPerDay < 1 || stepsPerDay > 1440) return bad("stepsPerDay must be an integer between 1 and 1440.");
  if (horizons.length === 0 || horizons.some((d) => !(d > 0) || d > 3650)) return bad("Horizons must be positive numbers of days.");
  if (!(input.hardHealth > 0 && input.hardHealth <= 1)) return bad("hardHealth must be in (0, 1].");
  for (const a of input.assets) {
    if (!(a.weight >= 0) || !Number.isFinite(a.weight)) return bad(`Weight of ${a.symbol} must be a non-negative number.`);
    if (!(a.volatility >= 0) || a.volatility > 20) return bad(`Volatility of ${a.symbol} must be between 0 and 20 (2000%).`);
    if (a.drift !== undefined && !Number.isFinite(a.drift)) return bad(`Drift of ${a.symbol} must be a number.`);
  }
  if (input.correlation.length !== n || input.correlation.some((row) => row.length !== n)) {
    return bad(`The correlation matrix must be ${n}×${n}.`);
  }
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const c = input.correlation[i]![j]!;
      if (!(c >= -1 && c <= 1) || Math.abs(c - input.correlation[j]![i]!) > 1e-9 || (i === j && Math.abs(c - 1) > 1e-9)) {
        return bad("The correlation matrix must be symmetric with ones on the diagonal and entries in [−1, 1].");
      }
    }
  }
  const chol = cholesky(input.correlation);
  if (!chol) return { ok: false, reason: "NOT_POSITIVE_DEFINITE", message: "The correlation matrix is not positive semi-definite." };

  // only assets that both matter and move are simulated; the rest add a constant to HF
  const active = input.assets.map((a, i) => ({ a, i })).filter(({ a }) => a.weight > 0 && a.volatility > 0);
  const fixed = input.assets.reduce((sum, a) => (a.weight > 0 && a.volatility > 0 ? sum : sum + a.weight), 0);
  const m = active.length;
  const dt = 1 / (365 * stepsPerDay);
  const drift = new Float64Array(m);
  const vol = new Float64Array(m);
  const weight = new Float64Array(m);
  const lower = new Float64Array(m * m);
  active.forEach(({ a }, r) => {
    drift[r] = ((a.drift ?? 0) - (a.volatility * a.volatility) / 2) * dt;
    vol[r] = a.volatility * Math.sqrt(dt);
    weight[r] = a.weight;
  });
  // the active assets' own factor (a sub-matrix's Cholesky factor is not the sub-matrix of the full factor)
  const sub = cholesky(active.map(({ i }) => active.map(({ i: j }) => input.correlation[i]![j]!)))!;
  for (let r = 0; r < m; r++) for (let c = 0; c < m; c++) lower[r * m + c] = sub[r]![c]!;

  const startHealth = input.assets.reduce((sum, a) => sum + a.weight, 0);
  const horizonSteps = horizons.map((d) => Math.max(1, Math.round(d * stepsPerDay)));
  const totalSteps = horizonSteps[horizonSteps.length - 1]!;
  const softHits = new Float64Array(horizons.length);
  const hardHits = new Float64Array(horizons.length);
  const x = new Float64Array(m);
  const z = new Float64Array(m);
  const hard = input.hardHealth;
  // sfc32 inlined (seeded through createRng) feeding a ziggurat: this loop is the whole cost of a forecast
  const init = createRng(seed);
  let s0 = init.nextUint32();
  let s1 = init.nextUint32();
  let s2 = init.nextUint32();
  let s3 = init.nextUint32() | 1;
  const uniform = () => {
    const t = (((s0 + s1) >>> 0) + s3) >>> 0;
    s3 = (s3 + 1) >>> 0;
    s0 = s1 ^ (s1 >>> 9);
    s1 = (s2 + (s2 << 3)) >>> 0;
    s2 = ((s2 << 21) | (s2 >>> 11)) >>> 0;
    s2 = (s2 + t) >>> 0;
    return (t + 0.5) / 4294967296;
  };
  const int32 = () => {
    const t = (((s0 + s1) >>> 0) + s3) >>> 0;
    s3 = (s3 + 1) >>> 0;
    s0 = s1 ^ (s1 >>> 9);
    s1 = (s2 + (s2 << 3)) >>> 0;
    s2 = ((s2 << 21) | (s2 >>> 11)) >>> 0;
    s2 = (s2 + t) >>> 0;
    return t | 0;
  };
  /** Marsaglia–Tsang ziggurat (128 layers): one 32-bit draw and a multiply for ~99% of normals. */
  const normal = () => {
    let hz = int32();
    let iz = hz & 127;
    if (Math.abs(hz) < ZIGGURAT.kn[iz]!) return hz * ZIGGURAT.wn[iz]!;
    for (;;) {
      const x = hz * ZIGGURAT.wn[iz]!;
      if (iz === 0) {
        let tail = 0;
        let y = 0;
        do {
          tail = -Math.log(uniform()) / ZIGGURAT_R;
          y = -Math.log(uniform());
        } while (y + y < tail * tail);
        return hz > 0 ? ZIGGURAT_R + tail : -ZIGGURAT_R - tail;
      }
      if (ZIGGURAT.fn[iz]! + uniform() * (ZIGGURAT.fn[iz - 1]! - ZIGGURAT.fn[iz]!) < Math.exp(-0.5 * x * x)) return x;
      hz = int32();
      iz = hz & 127;
      if (Math.abs(hz) < ZIGGURAT.kn[iz]!) return hz * ZIGGURAT.wn[iz]!;
    }
  };

  // Between two checks the path may dip below a barrier and come back. The Brownian-bridge probability of that,
  // exp(−2·a·b / (σ²Δt)) for log-distances a, b above the barrier at both ends, is added by drawing a uniform;
  // it is exact for one asset (log HF is then a Brownian motion) and a close approximation for several.
  const lnHard = Math.log(hard);
  let maxVar = 0;
  for (let r = 0; r < m; r++) maxVar = Math.max(maxVar, vol[r]! * vol[r]!);
  const negligible = 8 * maxVar; // a·b above this: bridge probability < e^-16 per step
  const corr = new Float64Array(m * m);
  for (let r = 0; r < m; r++) for (let c = 0; c < m; c++) corr[r * m + c] = input.correlation[active[r]!.i]![active[c]!.i]!;
  // Jensen: HF = Σ w_i e^{X_i} (+ fixed) >= W · exp(Σ (w_i / W) X_i), so log HF >= lnW + Σ s_i X_i. While that lower
  // bound stays far above the barrier no exp is needed; HF itself is computed only near a barrier.
  const total = fixed + weight.reduce((sum, w) => sum + w, 0);
  const lnTotal = Math.log(total);
  const shareOfTotal = weight.map((w) => w / total);
  const xPrev = new Float64Array(m);
  const ePrev = new Float64Array(m); // e^{X} at the step's start, when known
  const eCur = new Float64Array(m);
  /** Variance of log HF over one step, from each asset's share of HF at the step's start. */
  const stepVariance = (hfStart: number) => {
    let v = 0;
    for (let r = 0; r < m; r++) {
      const sr = (weight[r]! * ePrev[r]! * vol[r]!) / hfStart;
      for (let c = 0; c < m; c++) v += sr * ((weight[c]! * ePrev[c]! * vol[c]!) / hfStart) * corr[r * m + c]!;
    }
    return v;
  };
  const bridge = (a: number, b: number, variance: number) => (a <= 0 || b <= 0 ? 1 : a * b > negligible || variance <= 0 ? 0 : Math.exp((-2 * a * b) / variance));

  for (let p = 0; p < paths; p++) {
    x.fill(0);
    let softStep = startHealth < 1 ? 0 : -1;
    let hardStep = startHealth < hard ? 0 : -1;
    let boundPrev = lnTotal;
    eCur.fill(1); // X = 0 at the start
    let knownPrev = true; // whether eCur holds e^{X} at the step's start
    for (let t = 1; t <= totalSteps && hardStep < 0; t++) {
      for (let r = 0; r < m; r++) z[r] = normal();
      let bound = lnTotal;
      for (let r = 0; r < m; r++) {
        let shock = 0;
        for (let c = 0; c <= r; c++) shock += lower[r * m + c]! * z[c]!;
        const xr = x[r]!;
        xPrev[r] = xr;
        const next = xr + drift[r]! + vol[r]! * shock;
        x[r] = next;
        bound += shareOfTotal[r]! * next;
      }
      const barrier = softStep < 0 ? 0 : lnHard;
      const far = bound > barrier && boundPrev > barrier && (bound - barrier) * (boundPrev - barrier) > negligible;
      boundPrev = bound;
      if (far) {
        knownPrev = false;
        continue;
      }
      let hfStart = fixed;
      for (let r = 0; r < m; r++) {
        ePrev[r] = knownPrev ? eCur[r]! : Math.exp(xPrev[r]!);
        hfStart += weight[r]! * ePrev[r]!;
      }
      let hf = fixed;
      for (let r = 0; r < m; r++) {
        eCur[r] = Math.exp(x[r]!);
        hf += weight[r]! * eCur[r]!;
      }
      knownPrev = true;
      if (hf < hard) {
        hardStep = t;
        if (softStep < 0) softStep = t;
        continue;
      }
      const lnStart = Math.log(hfStart);
      const ln = Math.log(hf);
      // one uniform for both barriers: a dip below hardHealth is a dip below 1 too
      const variance = stepVariance(hfStart);
      const u = uniform();
      if (softStep < 0 && (hf < 1 || u < bridge(lnStart, ln, variance))) softStep = t;
      if (u < bridge(lnStart - lnHard, ln - lnHard, variance)) hardStep = t;
    }
    for (let h = 0; h < horizonSteps.length; h++) {
      const steps = horizonSteps[h]!;
      if (softStep >= 0 && softStep <= steps) softHits[h]!++;
      if (hardStep >= 0 && hardStep <= steps) hardHits[h]!++;
    }
  }
  const error = (p: number) => Math.sqrt((p * (1 - p)) / paths);
  return {
    ok: true,
    startHealth,
    paths,
    seed,
    horizons: horizons.map((days, h) => {
      const pSoft = softHits[h]! / paths;
      const pHard = hardHits[h]! / paths;
      return { days, pSoft, pHard, pSoftError: error(pSoft), pHardError: error(pHard) };
    }),
  };
}

/**
 * Builds the forecast input from a snapshot. `volatility` maps a collateral symbol or address to its annualised
 * volatility (stablecoins default to 0, others must be given); `correlation` is one number for every pair of moving
 * assets (default 0.8) or a full matrix in collateral order.
 */
export function forecastInput(
  s: PositionSnapshot,
  volatility: Readonly<Record<string, number>>,
  options: { correlation?: number | readonly (readonly number[])[]; paths?: number; stepsPerDay?: number; seed?: number; horizonsDays?: readonly number[] } = {},
): { ok: true; input: ForecastInput } | { ok: false; reason: "MISSING_VOLATILITY" | "PRICE_UNAVAILABLE" | "NO_DEBT"; message: string } {
  const h = health(s);
  if (!h.ok) return { ok: false, reason: "PRICE_UNAVAILABLE", message: "A price feed is stale or invalid." };
  if (h.debtValue === 0n) return { ok: false, reason: "NO_DEBT", message: "Without debt the position cannot be liquidated." };
  const moving = new Set(movingAssets(s));
  const cols = s.market.collaterals;
  const assets: ForecastAsset[] = [];
  for (const [i, c] of cols.entries()) {
    const given = volatility[c.symbol] ?? volatility[c.asset] ?? volatility[c.asset.toLowerCase()];
    if (given === undefined && moving.has(i) && c.balance !== 0n) {
      return { ok: false, reason: "MISSING_VOLATILITY", message: `No volatility given for ${c.symbol}.` };
    }
    const power = (c.value * c.lt) / WAD;
    assets.push({ symbol: c.symbol, weight: Number((power * 10n ** 12n) / h.debtValue) / 1e12, volatility: given ?? 0 });
  }
  const rho = options.correlation ?? 0.8;
  const correlation =
    typeof rho === "number" ? cols.map((_, i) => cols.map((__, j) => (i === j ? 1 : moving.has(i) && moving.has(j) ? rho : 0))) : rho;
  return {
    ok: true,
    input: {
      assets,
      correlation,
      hardHealth: Number(s.market.risk.hardHealth) / 1e18,
      horizonsDays: options.horizonsDays,
      paths: options.paths,
      stepsPerDay: options.stepsPerDay,
      seed: options.seed,
    },
  };
}

export interface PricePoint {
  /** Seconds (unix) or any monotone clock in seconds. */
  readonly timestamp: number | bigint;
  /** Price as a number or a WAD bigint (oracle units are fine: only ratios matter). */
  readonly price: number | bigint;
}

export type VolatilityResult =
  | { ok: true; annualised: number; returns: number; spanSeconds: number }
  | { ok: false; reason: "TOO_FEW_POINTS" | "INVALID_PRICE" | "INVALID_TIMESTAMPS"; message: string };

const YEAR_SECONDS = 365 * 24 * 3600;

function logReturns(series: readonly PricePoint[]): { r: number[]; dt: number[]; span: number } | VolatilityResult {
  const points = [...series].map((p) => ({ t: Number(p.timestamp), p: typeof p.price === "bigint" ? Number(p.price) : p.price }));
  if (points.some((p) => !(p.p > 0) || !Number.isFinite(p.p))) return { ok: false, reason: "INVALID_PRICE", message: "Every price must be positive." };
  if (points.some((p) => !Number.isFinite(p.t))) return { ok: false, reason: "INVALID_TIMESTAMPS", message: "Timestamps must be numbers." };
  points.sort((a, b) => a.t - b.t);
  const r: number[] = [];
  const dt: number[] = [];
  for (let i = 1; i < points.length; i++) {
    const d = points[i]!.t - points[i - 1]!.t;
    if (d <= 0) continue; // a repeated round at the same second carries no time
    r.push(Math.log(points[i]!.p / points[i - 1]!.p));
    dt.push(d / YEAR_SECONDS);
  }
  return { r, dt, span: points.length ? points[points.length - 1]!.t - points[0]!.t : 0 };
}

/**
 * Annualised volatility from a series of oracle prices with timestamps (irregular spacing allowed): log returns,
 * each scaled by its own time step, mean drift removed: σ² = Σ (r_i − μ·Δt_i)² / Δt_i / (n − 1), μ = Σ r_i / Σ Δt_i.
 */
export function estimateVolatility(series: readonly PricePoint[]): VolatilityResult {
  const lr = logReturns(series);
  if ("ok" in lr) return lr;
  const { r, dt, span } = lr;
  if (r.length < 2) return { ok: false, reason: "TOO_FEW_POINTS", message: "At least three prices at distinct times are needed." };
  const mu = r.reduce((a, b) => a + b, 0) / dt.reduce((a, b) => a + b, 0);
  let sum = 0;
  for (let i = 0; i < r.length; i++) sum += (r[i]! - mu * dt[i]!) ** 2 / dt[i]!;
  return { ok: true, annualised: Math.sqrt(sum / (r.length - 1)), returns: r.length, spanSeconds: span };
}

/** Correlation of two assets' log returns over the timestamps both series share. */
export function estimateCorrelation(a: readonly PricePoint[], b: readonly PricePoint[]): { ok: true; correlation: number; returns: number } | { ok: false; reason: "TOO_FEW_POINTS"; message: string } {
  const byTime = new Map(b.map((p) => [Number(p.timestamp), p]));
  const common = a.filter((p) => byTime.has(Number(p.timestamp)));
  const ra = logReturns(common);
  const rb = logReturns(common.map((p) => byTime.get(Number(p.timestamp))!));
  if ("ok" in ra || "ok" in rb || ra.r.length < 3) {
    return { ok: false, reason: "TOO_FEW_POINTS", message: "The series share too few timestamps." };
  }
  const xa = ra.r.map((r, i) => r / Math.sqrt(ra.dt[i]!));
  const xb = rb.r.map((r, i) => r / Math.sqrt(rb.dt[i]!));
  const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
  const ma = mean(xa);
  const mb = mean(xb);
  let cov = 0;
  let va = 0;
  let vb = 0;
  for (let i = 0; i < xa.length; i++) {
    cov += (xa[i]! - ma) * (xb[i]! - mb);
    va += (xa[i]! - ma) ** 2;
    vb += (xb[i]! - mb) ** 2;
  }
  const correlation = va > 0 && vb > 0 ? cov / Math.sqrt(va * vb) : 0;
  return { ok: true, correlation, returns: xa.length };
}
