import { describe, expect, it } from "vitest";
import { parseAmount, toInputString } from "./input";

describe("parseAmount", () => {
  it("reads decimals exactly in base units", () => {
    expect(parseAmount("1.5", 18, "WETH")).toEqual({ ok: true, value: 1_500_000_000_000_000_000n });
    expect(parseAmount("0.00000001", 8, "WBTC")).toEqual({ ok: true, value: 1n });
    expect(parseAmount(".5", 6, "USDC")).toEqual({ ok: true, value: 500_000n });
    expect(parseAmount("1,000.25", 6, "USDC")).toEqual({ ok: true, value: 1_000_250_000n });
    expect(parseAmount(" 7. ", 6, "USDC")).toEqual({ ok: true, value: 7_000_000n });
    expect(parseAmount("1,5", 18, "WETH")).toEqual({ ok: true, value: 1_500_000_000_000_000_000n });
  });

  it("refuses an amount whose comma could mean thousands or decimals, saying how to write it", () => {
    expect(parseAmount("1,500", 6, "USDC")).toEqual({
      ok: false,
      message: '"1,500" could be read two ways: use a point for decimals and no thousands separator, like 1500 or 1.5.',
    });
  });

  it("refuses every malformed input with a message", () => {
    expect(parseAmount("", 6, "USDC")).toEqual({ ok: false, message: "Enter an amount." });
    expect(parseAmount("0", 6, "USDC")).toEqual({ ok: false, message: "Enter an amount greater than zero." });
    expect(parseAmount("0.000", 6, "USDC")).toEqual({ ok: false, message: "Enter an amount greater than zero." });
    expect(parseAmount("-1", 6, "USDC")).toEqual({ ok: false, message: "The amount cannot be negative." });
    expect(parseAmount("abc", 6, "USDC")).toEqual({ ok: false, message: "Enter a number, like 1.5." });
    expect(parseAmount("1e6", 6, "USDC")).toEqual({ ok: false, message: "Enter a number, like 1.5." });
    expect(parseAmount(".", 6, "USDC")).toEqual({ ok: false, message: "Enter a number, like 1.5." });
    expect(parseAmount("1.2.3", 6, "USDC")).toEqual({ ok: false, message: "Enter a number, like 1.5." });
    expect(parseAmount("0.000000001", 8, "WBTC")).toEqual({
      ok: false,
      message: "WBTC has 8 decimals: use at most 8 digits after the point.",
    });
    expect(parseAmount("1.5", 0, "NFT")).toEqual({ ok: false, message: "NFT has no decimals: enter a whole number." });
  });
});

describe("toInputString", () => {
  it("writes plain decimals, without grouping or trailing zeros", () => {
    expect(toInputString(1_234_567_890_000n, 6)).toBe("1234567.89");
    expect(toInputString(2n * 10n ** 18n, 18)).toBe("2");
    expect(toInputString(5n, 0)).toBe("5");
  });

  it("round-trips max amounts through the input", () => {
    for (const [value, decimals] of [[123_456_789n, 8], [10n ** 18n, 18], [1n, 6]] as const) {
      const parsed = parseAmount(toInputString(value, decimals), decimals, "T");
      expect(parsed).toEqual({ ok: true, value });
    }
  });
});
