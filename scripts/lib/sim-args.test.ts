import { describe, expect, it } from "vitest";
import { UsageError, applyMove, candlePath, linearPath, parseCandles, parseDuration, parsePercent, parseSimArgs } from "./sim-args";

const P = (usd: number) => BigInt(Math.round(usd * 100)) * 10n ** 6n;

describe("sim flags", () => {
  it("parses a stepped move with a negative percentage as a value, not a flag", () => {
    const cmd = parseSimArgs(["price", "--asset", "WETH", "--move", "-15%", "--over", "30m", "--steps", "6"]);
    expect(cmd).toMatchObject({ command: "price", asset: "WETH", movePpm: -150_000n, overSeconds: 1800, steps: 6 });
  });

  it("accepts --flag=value and exact decimal prices", () => {
    expect(parseSimArgs(["price", "--asset=WBTC", "--to=58000.5"])).toMatchObject({ to: 5_800_050_000_000n });
  });

  it("rejects bad input with messages that name the flag", () => {
    const bad: [string[], RegExp][] = [
      [["price", "--asset", "WETH"], /exactly one of --to PRICE or --move/],
      [["price", "--asset", "WETH", "--to", "-5"], /--to must be a positive USD price/],
      [["price", "--asset", "WETH", "--move", "15"], /--move must be a percentage/],
      [["price", "--asset", "WETH", "--move", "-100%"], /above -100%/],
      [["price", "--asset", "WETH", "--to", "1", "--steps", "3"], /--steps only makes sense with --over/],
      [["time", "--advance", "10 minutes"], /--advance must be a duration/],
      [["time"], /needs --advance/],
      [["time", "--advance", "5m", "--asset", "WETH"], /does not take --asset/],
      [["replay", "--csv", "x.csv", "--speed", "fast"], /--speed must be like 60x/],
      [["warp"], /Unknown command "warp"/],
      [["price", "--asset"], /--asset needs a value/],
    ];
    for (const [argv, message] of bad) {
      expect(() => parseSimArgs(argv), argv.join(" ")).toThrow(UsageError);
      expect(() => parseSimArgs(argv), argv.join(" ")).toThrow(message);
    }
  });

  it("shows help for --help or no command", () => {
    expect(parseSimArgs(["--help"])).toEqual({ command: "help" });
    expect(parseSimArgs([])).toEqual({ command: "help" });
  });

  it("converts durations and percentages exactly", () => {
    expect(parseDuration("1.5h", "over")).toBe(5400);
    expect(parsePercent("+2.5%", "move")).toBe(25_000n);
    expect(applyMove(P(3000), -150_000n)).toBe(P(2550));
  });
});

describe("price paths", () => {
  it("moves in equal steps and ends exactly at the target", () => {
    const path = linearPath(P(3000), P(2550), 1800, 6);
    expect(path.map((p) => p.atSeconds)).toEqual([300, 600, 900, 1200, 1500, 1800]);
    expect(path[0]!.price).toBe(P(2925));
    expect(path.at(-1)!.price).toBe(P(2550));
  });

  const csv = "time_utc,open,high,low,close\n2021-05-19 00:00:00,3000,3100,2500,2600\n2021-05-19 01:00:00,2600,2900,2550,2850\n";

  it("walks a falling candle open→high→low→close and a rising one open→low→high→close", () => {
    const candles = parseCandles(csv, "test.csv");
    const anchors = candlePath(candles, 1200);
    expect(anchors.map((p) => [p.atSeconds, p.price])).toEqual([
      [0, P(3000)],
      [1200, P(3100)],
      [2400, P(2500)],
      [3600, P(2600)],
      [4800, P(2550)],
      [6000, P(2900)],
      [7200, P(2850)],
    ]);
  });

  it("interpolates between anchors and can rescale to the current price", () => {
    const candles = parseCandles(csv, "test.csv");
    const fine = candlePath(candles, 300);
    expect(fine).toHaveLength(1 + 6 * 4);
    expect(fine[1]).toEqual({ atSeconds: 300, price: P(3025) });
    const scaled = candlePath(candles, 1200, { num: P(1500), den: P(3000) });
    expect(scaled[2]!.price).toBe(P(1250));
  });

  it("names the line of a malformed candle", () => {
    expect(() => parseCandles("time_utc,open,high,low,close\nt,1,2,3,1\n", "c.csv")).toThrow(/c.csv:2: low\/high/);
    expect(() => parseCandles("date,o,h,l,c\n", "c.csv")).toThrow(/first line must be/);
  });
});
