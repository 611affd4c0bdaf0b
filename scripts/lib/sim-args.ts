/**
 * Pure parts of the market simulator: flag parsing with clear errors, durations, percentages, speeds, price paths
 * (linear moves and CSV candle replays). No chain access here, so all of it is unit-tested.
 */
import { FEED_DECIMALS, parseFeedPrice } from "../../lib/devnet/chain-ops";

export class UsageError extends Error {}

export const SIM_HELP = `Market simulator for a Soft Landing devnet (mock price feeds, anvil time).

Usage: npm run sim -- <command> [flags]

Commands:
  prices                                   show every feed's price and the chain time
  price --asset WETH --to 2500             set a price now
  price --asset WETH --move -15%           move a price by a percentage now
  price --asset WETH --move -15% --over 30m [--steps 10]
                                           move it in equal steps, advancing chain time between steps
  time --advance 10m                       advance chain time (and refresh every feed so none goes stale)
  replay --csv ../shared/data/eth-crashes/2021-05-19.csv [--speed 60x] [--asset WETH] [--step 20m]
         [--scale-to-current]              replay hourly candles (open→low→high→close, or open→high→low→close
                                           for a falling candle); --speed 60x plays 1 h of chain time per minute,
                                           --speed max as fast as the node allows

Global flags:
  --rpc URL            JSON-RPC URL (default: $RPC_URL or http://127.0.0.1:8545)
  --deployment FILE    deployment JSON (default: deployments/<chainId>.json)
  --help               this help

Durations: 30s, 10m, 2h, 1d. The signer is $SIM_PRIVATE_KEY, or anvil account 0 on chain 31337.`;

export type SimCommand =
  | { command: "help" }
  | { command: "prices"; global: GlobalFlags }
  | { command: "price"; global: GlobalFlags; asset: string; to?: bigint; movePpm?: bigint; overSeconds?: number; steps: number }
  | { command: "time"; global: GlobalFlags; advanceSeconds: number }
  | {
      command: "replay";
      global: GlobalFlags;
      csv: string;
      asset: string;
      speed: number | "max";
      stepSeconds: number;
      scaleToCurrent: boolean;
    };

export interface GlobalFlags {
  rpc?: string;
  deployment?: string;
}

const BOOLEAN_FLAGS = new Set(["help", "scale-to-current"]);
const FLAGS_BY_COMMAND: Record<string, string[]> = {
  prices: [],
  price: ["asset", "to", "move", "over", "steps"],
  time: ["advance"],
  replay: ["csv", "speed", "asset", "step", "scale-to-current"],
};
const GLOBAL_FLAGS = ["rpc", "deployment", "help"];

/** Splits argv into a command and `--flag value` / `--flag=value` pairs. Values may start with "-" (e.g. -15%). */
export function parseFlags(argv: string[]): { positional: string[]; flags: Map<string, string | true> } {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (!token.startsWith("--")) {
      positional.push(token);
      continue;
    }
    const eq = token.indexOf("=");
    const name = token.slice(2, eq === -1 ? undefined : eq);
    if (!name) throw new UsageError(`Unexpected "${token}".`);
    if (flags.has(name)) throw new UsageError(`--${name} is given twice.`);
    if (BOOLEAN_FLAGS.has(name)) {
      if (eq !== -1) throw new UsageError(`--${name} takes no value.`);
      flags.set(name, true);
      continue;
    }
    const value = eq !== -1 ? token.slice(eq + 1) : argv[++i];
    if (value === undefined || value === "" || (value.startsWith("--") && eq === -1)) {
      throw new UsageError(`--${name} needs a value.`);
    }
    flags.set(name, value);
  }
  return { positional, flags };
}

/** "30s" | "10m" | "2h" | "1d" → whole seconds. */
export function parseDuration(text: string, flag: string): number {
  const match = /^(\d+(?:\.\d+)?)(s|m|h|d)$/.exec(text.trim());
  if (!match) throw new UsageError(`--${flag} must be a duration like 30s, 10m, 2h or 1d (got "${text}").`);
  const seconds = Math.round(Number(match[1]) * { s: 1, m: 60, h: 3600, d: 86400 }[match[2] as "s" | "m" | "h" | "d"]);
  if (seconds <= 0) throw new UsageError(`--${flag} must be longer than 0 s (got "${text}").`);
  return seconds;
}

/** "-15%" → -150000 parts per million. Moves of -100% or below would make the price non-positive. */
export function parsePercent(text: string, flag: string): bigint {
  const match = /^([+-]?)(\d+(?:\.\d{1,4})?)%$/.exec(text.trim());
  if (!match) throw new UsageError(`--${flag} must be a percentage like -15% or +5% (got "${text}").`);
  const [whole, fraction = ""] = match[2]!.split(".");
  const ppm = BigInt(whole!) * 10_000n + BigInt(fraction.padEnd(4, "0"));
  const signed = match[1] === "-" ? -ppm : ppm;
  if (signed <= -1_000_000n) throw new UsageError(`--${flag} must be above -100% (a price must stay positive).`);
  if (signed === 0n) throw new UsageError(`--${flag} must not be 0%.`);
  return signed;
}

/** "60x" → 60; "max" → as fast as possible. */
export function parseSpeed(text: string): number | "max" {
  if (text === "max") return "max";
  const match = /^(\d+(?:\.\d+)?)x$/.exec(text.trim());
  if (!match || Number(match[1]) <= 0) throw new UsageError(`--speed must be like 60x (60 times real time) or max (got "${text}").`);
  return Number(match[1]);
}

function parsePositiveInt(text: string, flag: string, max: number): number {
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > max) {
    throw new UsageError(`--${flag} must be a whole number from 1 to ${max} (got "${text}").`);
  }
  return Number(text);
}

function parsePrice(text: string, flag: string): bigint {
  try {
    return parseFeedPrice(text);
  } catch {
    throw new UsageError(`--${flag} must be a positive USD price like 2500 or 3647.18 (got "${text}").`);
  }
}

export function parseSimArgs(argv: string[]): SimCommand {
  const { positional, flags } = parseFlags(argv);
  if (flags.has("help") || positional.length === 0 || positional[0] === "help") return { command: "help" };
  if (positional.length > 1) throw new UsageError(`Unexpected argument "${positional[1]}". Flags start with --.`);
  const command = positional[0]!;
  const allowed = FLAGS_BY_COMMAND[command];
  if (!allowed) throw new UsageError(`Unknown command "${command}". Commands: ${Object.keys(FLAGS_BY_COMMAND).join(", ")}.`);
  for (const name of flags.keys()) {
    if (!allowed.includes(name) && !GLOBAL_FLAGS.includes(name)) {
      throw new UsageError(`"${command}" does not take --${name}. It takes: ${[...allowed, "rpc", "deployment"].map((f) => `--${f}`).join(", ")}.`);
    }
  }
  const str = (name: string) => {
    const v = flags.get(name);
    return typeof v === "string" ? v : undefined;
  };
  const required = (name: string) => {
    const v = str(name);
    if (v === undefined) throw new UsageError(`"${command}" needs --${name}. See npm run sim -- --help.`);
    return v;
  };
  const global: GlobalFlags = { rpc: str("rpc"), deployment: str("deployment") };

  switch (command) {
    case "prices":
      return { command, global };
    case "time":
      return { command, global, advanceSeconds: parseDuration(required("advance"), "advance") };
    case "price": {
      const asset = required("asset");
      const to = str("to");
      const move = str("move");
      if ((to === undefined) === (move === undefined)) throw new UsageError(`"price" needs exactly one of --to PRICE or --move PERCENT.`);
      const over = str("over");
      const stepsText = str("steps");
      if (over === undefined && stepsText !== undefined) throw new UsageError(`--steps only makes sense with --over.`);
      const overSeconds = over !== undefined ? parseDuration(over, "over") : undefined;
      const steps = stepsText !== undefined ? parsePositiveInt(stepsText, "steps", 10_000) : overSeconds !== undefined ? 10 : 1;
      if (overSeconds !== undefined && overSeconds < steps) throw new UsageError(`--over must give each of the ${steps} steps at least 1 s.`);
      return {
        command,
        global,
        asset,
        to: to !== undefined ? parsePrice(to, "to") : undefined,
        movePpm: move !== undefined ? parsePercent(move, "move") : undefined,
        overSeconds,
        steps,
      };
    }
    case "replay": {
      const csv = required("csv");
      const speed = parseSpeed(str("speed") ?? "60x");
      const stepSeconds = str("step") !== undefined ? parseDuration(str("step")!, "step") : 20 * 60;
      return { command, global, csv, asset: str("asset") ?? "WETH", speed, stepSeconds, scaleToCurrent: flags.get("scale-to-current") === true };
    }
  }
  throw new UsageError(`Unknown command "${command}".`);
}

/** A price path point: `atSeconds` from the start, `price` as an 8-decimal feed answer. */
export interface PathPoint {
  atSeconds: number;
  price: bigint;
}

/** `steps` equal moves from `start` to `end` over `overSeconds` (the start point itself is not included). */
export function linearPath(start: bigint, end: bigint, overSeconds: number, steps: number): PathPoint[] {
  const points: PathPoint[] = [];
  for (let k = 1; k <= steps; k++) {
    points.push({ atSeconds: Math.round((overSeconds * k) / steps), price: start + ((end - start) * BigInt(k)) / BigInt(steps) });
  }
  return points;
}

export function applyMove(price: bigint, movePpm: bigint): bigint {
  return (price * (1_000_000n + movePpm)) / 1_000_000n;
}

export interface Candle {
  time: string;
  open: bigint;
  high: bigint;
  low: bigint;
  close: bigint;
}

/** Parses `time_utc,open,high,low,close` hourly candles; errors name the line. */
export function parseCandles(csv: string, source: string): Candle[] {
  const lines = csv.split(/\r?\n/).filter((l) => l.trim() !== "");
  const header = lines[0]?.split(",").map((h) => h.trim().toLowerCase());
  const want = ["time_utc", "open", "high", "low", "close"];
  if (!header || want.some((h, i) => header[i] !== h)) {
    throw new UsageError(`${source}: the first line must be "${want.join(",")}".`);
  }
  const candles: Candle[] = [];
  for (let n = 1; n < lines.length; n++) {
    const cells = lines[n]!.split(",").map((c) => c.trim());
    if (cells.length < 5) throw new UsageError(`${source}:${n + 1}: expected 5 columns, got ${cells.length}.`);
    let open: bigint, high: bigint, low: bigint, close: bigint;
    try {
      [open, high, low, close] = cells.slice(1, 5).map((c) => parseFeedPrice(c)) as [bigint, bigint, bigint, bigint];
    } catch (error) {
      throw new UsageError(`${source}:${n + 1}: ${(error as Error).message}`);
    }
    if (low > high || open < low || open > high || close < low || close > high) {
      throw new UsageError(`${source}:${n + 1}: low/high do not bound open/close.`);
    }
    candles.push({ time: cells[0]!, open, high, low, close });
  }
  if (candles.length === 0) throw new UsageError(`${source}: no candles.`);
  return candles;
}

const CANDLE_SECONDS = 3600;

/**
 * Each candle becomes open → low → high → close for a rising candle and open → high → low → close for a falling one
 * (the path that visits the extremes in the order the close implies), a third of the hour per leg, sampled every
 * `stepSeconds` by linear interpolation. The first point is the first open at 0 s.
 */
export function candlePath(candles: Candle[], stepSeconds: number, scale?: { num: bigint; den: bigint }): PathPoint[] {
  // The next candle's open is taken as the previous close (they differ by cents), so legs never collapse to 0 s.
  const anchors: PathPoint[] = [{ atSeconds: 0, price: candles[0]!.open }];
  candles.forEach((c, i) => {
    const t0 = i * CANDLE_SECONDS;
    const [first, second] = c.close >= c.open ? [c.low, c.high] : [c.high, c.low];
    anchors.push({ atSeconds: t0 + CANDLE_SECONDS / 3, price: first });
    anchors.push({ atSeconds: t0 + (2 * CANDLE_SECONDS) / 3, price: second });
    anchors.push({ atSeconds: t0 + CANDLE_SECONDS, price: c.close });
  });
  const points: PathPoint[] = [anchors[0]!];
  for (let a = 1; a < anchors.length; a++) {
    const from = anchors[a - 1]!;
    const to = anchors[a]!;
    const span = to.atSeconds - from.atSeconds;
    const steps = Math.max(1, Math.round(span / stepSeconds));
    for (let k = 1; k <= steps; k++) {
      points.push({
        atSeconds: from.atSeconds + Math.round((span * k) / steps),
        price: from.price + ((to.price - from.price) * BigInt(k)) / BigInt(steps),
      });
    }
  }
  if (!scale) return points;
  return points.map((p) => ({ ...p, price: (p.price * scale.num) / scale.den }));
}

export const FEED_SCALE = 10n ** BigInt(FEED_DECIMALS);
