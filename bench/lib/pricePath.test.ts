import { describe, expect, it } from "vitest";
import { parseCandles, speedUpCandles } from "./pricePath";

const csv = `time_utc,open,high,low,close
2021-05-19 00:00:00,100,110,95,105
2021-05-19 01:00:00,105,106,80,82
2021-05-19 02:00:00,82,90,70,88
2021-05-19 03:00:00,88,89,60,61
2021-05-19 04:00:00,61,75,59,70`;

describe("speedUpCandles", () => {
  it("merges every K hours into one: first open, highest high, lowest low, last close, hours kept consecutive", () => {
    const fast = speedUpCandles(parseCandles(csv, "test"), 2);
    expect(fast.map((c) => [c.open, c.high, c.low, c.close])).toEqual([
      [100, 110, 80, 82],
      [82, 90, 60, 61],
      [61, 75, 59, 70],
    ]);
    expect(fast.map((c) => c.time.toISOString())).toEqual(["2021-05-19T00:00:00.000Z", "2021-05-19T01:00:00.000Z", "2021-05-19T02:00:00.000Z"]);
    expect(speedUpCandles(parseCandles(csv, "test"), 1)).toHaveLength(5);
    expect(() => speedUpCandles(parseCandles(csv, "test"), 0)).toThrow(/whole number >= 1/);
  });
});
