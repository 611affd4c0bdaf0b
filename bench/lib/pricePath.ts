import { readFileSync } from "node:fs";
import { Prng } from "./prng";

/** One hourly candle from `../shared/data/eth-crashes/*.csv` (`time_utc,open,high,low,close`). */
export interface Candle {
  time: Date;
  open: number;
  high: number;
  low: number;
  close: number;
}

export const CSV_HEADER = "time_utc,open,high,low,close";
const HOUR_MS = 3_600_000;

/** `2021-05-19 13:00:00`, `2021-05-19T13:00:00Z`, `2021-05-19 13:00` or with `+00:00`: UTC, to the second. */
const TIME = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2})(:\d{2})?(?:Z|[+]00:?00)?$/;

/**
 * Parses and validates a candle file; every problem names the file and line. Accepts a UTF-8 byte-order mark, CRLF
 * line ends, spaces around cells, the header in any letter case, and times as `2021-05-19 13:00:00` (also with a
 * `T`, without seconds, or with a `Z` / `+00:00` suffix). Rejects anything else with the reason.
 */
export function parseCandles(text: string, source: string): Candle[] {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/).map((l, i) => ({ text: l, number: i + 1 })).filter((l) => l.text.trim() !== "");
  if (lines.length === 0) throw new Error(`${source}: the file is empty`);
  const header = lines[0]!.text.split(",").map((c) => c.trim().toLowerCase()).join(",");
  if (header !== CSV_HEADER) {
    throw new Error(`${source}: line ${lines[0]!.number} must be the header "${CSV_HEADER}", got "${lines[0]!.text.trim().slice(0, 80)}"`);
  }
  const candles: Candle[] = [];
  for (const line of lines.slice(1)) {
    const where = `${source}: line ${line.number}`;
    const cells = line.text.split(",").map((c) => c.trim());
    if (cells.length !== 5) throw new Error(`${where}: expected 5 comma-separated columns (${CSV_HEADER}), got ${cells.length}`);
    const [timeText, ...numbers] = cells as [string, string, string, string, string];
    const match = TIME.exec(timeText);
    const time = match ? new Date(`${match[1]}T${match[2]}${match[3] ?? ":00"}Z`) : new Date(NaN);
    if (Number.isNaN(time.getTime()) || time.toISOString().slice(0, 10) !== match![1]) {
      throw new Error(`${where}: time_utc must be a UTC time like "2021-05-19 13:00:00", got "${timeText}"`);
    }
    const [open, high, low, close] = numbers.map((n) => (/^[0-9]*\.?[0-9]+(e[+-]?[0-9]+)?$/i.test(n) ? Number(n) : NaN)) as [number, number, number, number];
    for (const [name, value, raw] of [
      ["open", open, numbers[0]],
      ["high", high, numbers[1]],
      ["low", low, numbers[2]],
      ["close", close, numbers[3]],
    ] as const) {
      if (raw === "" || !Number.isFinite(value) || value <= 0) {
        throw new Error(`${where}: ${name} must be a positive number, got "${raw}"`);
      }
    }
    if (low > Math.min(open, close) || high < Math.max(open, close)) {
      throw new Error(`${where}: inconsistent candle (need low <= open, close <= high): ${cells.join(",")}`);
    }
    const previous = candles[candles.length - 1];
    if (previous) {
      const gap = (time.getTime() - previous.time.getTime()) / HOUR_MS;
      if (gap !== 1) {
        const what = gap <= 0 ? "candles must be in ascending time order, one per hour" : `a gap of ${gap} hours: candles must be consecutive hours`;
        throw new Error(`${where}: ${timeText} after ${previous.time.toISOString().replace("T", " ").slice(0, 19)}: ${what}`);
      }
    }
    candles.push({ time, open, high, low, close });
  }
  if (candles.length < 2) throw new Error(`${source}: need at least 2 candles, found ${candles.length}`);
  return candles;
}

export function readCandles(file: string): Candle[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new Error(`Cannot read candle file ${file}: ${(e as Error).message}`);
  }
  return parseCandles(text, file);
}

/**
 * The same path `factor` times faster: every `factor` consecutive hourly candles become one (first open, highest high,
 * lowest low, last close), timed one hour apart from the first candle. A leftover shorter group at the end is kept.
 * Used to replay a real crash at a speed no shared path has (`bench:crash --speedup`).
 */
export function speedUpCandles(candles: readonly Candle[], factor: number): Candle[] {
  if (!Number.isInteger(factor) || factor < 1) throw new Error(`speed-up factor must be a whole number >= 1, got ${factor}`);
  if (factor === 1) return [...candles];
  const out: Candle[] = [];
  for (let i = 0; i < candles.length; i += factor) {
    const group = candles.slice(i, i + factor);
    out.push({
      time: new Date(candles[0]!.time.getTime() + out.length * 3_600_000),
      open: group[0]!.open,
      high: Math.max(...group.map((c) => c.high)),
      low: Math.min(...group.map((c) => c.low)),
      close: group[group.length - 1]!.close,
    });
  }
  return out;
}

/**
 * Oracle updates every `stepMinutes` inside each candle. The hour is walked open → low → high → close when the
 * candle closed at or above its open (it dipped first, then rallied), else open → high → low → close, at constant
 * speed along that path; the two turning points are moved to the nearest update time (so every low and high is
 * published exactly) and prices in between are linear. The last update is the last candle's close.
 */
export function interpolateCandles(candles: readonly Candle[], stepMinutes: number): number[] {
  if (!Number.isInteger(stepMinutes) || stepMinutes < 1 || 60 % stepMinutes !== 0) {
    throw new Error(`step minutes must be a whole divisor of 60 (1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60), got ${stepMinutes}`);
  }
  const slots = 60 / stepMinutes;
  const prices: number[] = [];
  for (const c of candles) {
    const bullish = c.close >= c.open;
    const first = bullish ? c.low : c.high;
    const second = bullish ? c.high : c.low;
    const legs = [Math.abs(first - c.open), Math.abs(second - first), Math.abs(c.close - second)];
    const total = legs[0]! + legs[1]! + legs[2]!;
    // Anchor slots (fractional before snapping) of the two turning points.
    let k1 = total === 0 ? slots / 3 : (slots * legs[0]!) / total;
    let k2 = total === 0 ? (2 * slots) / 3 : (slots * (legs[0]! + legs[1]!)) / total;
    if (slots >= 3) {
      k1 = Math.min(Math.max(Math.round(k1), 1), slots - 2);
      k2 = Math.min(Math.max(Math.round(k2), k1 + 1), slots - 1);
    }
    const anchors: [number, number][] = [
      [0, c.open],
      [k1, first],
      [k2, second],
      [slots, c.close],
    ];
    for (let k = 0; k < slots; k++) prices.push(piecewiseLinear(anchors, k));
  }
  prices.push(candles[candles.length - 1]!.close);
  return prices;
}

function piecewiseLinear(anchors: readonly [number, number][], x: number): number {
  for (let i = 1; i < anchors.length; i++) {
    const [x0, y0] = anchors[i - 1]!;
    const [x1, y1] = anchors[i]!;
    if (x <= x1) return x1 === x0 ? y1 : y0 + ((y1 - y0) * (x - x0)) / (x1 - x0);
  }
  return anchors[anchors.length - 1]![1];
}

/**
 * A path whose log returns have correlation `rho` with `base`'s and the same volatility:
 * r = rho * r_base + sqrt(1 - rho^2) * sigma * z, with sigma the standard deviation of base's per-step log
 * returns and z seeded standard normals.
 */
export function correlatedPath(base: readonly number[], startPrice: number, rho: number, seed: number): number[] {
  if (!(rho >= -1 && rho <= 1)) throw new Error(`correlation must lie in [-1, 1], got ${rho}`);
  const returns = base.slice(1).map((p, i) => Math.log(p / base[i]!));
  const mean = returns.reduce((s, r) => s + r, 0) / Math.max(returns.length, 1);
  const sigma = Math.sqrt(returns.reduce((s, r) => s + (r - mean) ** 2, 0) / Math.max(returns.length, 1));
  const rng = new Prng(seed);
  const out = [startPrice];
  const idio = Math.sqrt(1 - rho * rho) * sigma;
  for (const r of returns) out.push(out[out.length - 1]! * Math.exp(rho * r + idio * rng.normal()));
  return out;
}

/** Sample correlation of two paths' log returns (reported next to the stated rho). */
export function returnCorrelation(a: readonly number[], b: readonly number[]): number {
  const ra = a.slice(1).map((p, i) => Math.log(p / a[i]!));
  const rb = b.slice(1).map((p, i) => Math.log(p / b[i]!));
  const n = Math.min(ra.length, rb.length);
  const ma = ra.reduce((s, x) => s + x, 0) / n;
  const mb = rb.reduce((s, x) => s + x, 0) / n;
  let cov = 0;
  let va = 0;
  let vb = 0;
  for (let i = 0; i < n; i++) {
    cov += (ra[i]! - ma) * (rb[i]! - mb);
    va += (ra[i]! - ma) ** 2;
    vb += (rb[i]! - mb) ** 2;
  }
  return cov / Math.sqrt(va * vb);
}
