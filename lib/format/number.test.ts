import { describe, expect, it } from "vitest";
import {
  ceilToPlaces,
  formatChance,
  floorToPlaces,
  minimumPlaces,
  formatAmount,
  formatDuration,
  formatHealth,
  formatHealthSetting,
  formatPercent,
  formatPrice,
  formatUsdNumber,
  formatRatio,
  formatUsd,
  shortAddress,
  truncate,
  wadToNumber,
} from "./number";

const WAD = 10n ** 18n;

describe("display formatting", () => {
  it("truncates instead of rounding, so a soft position never prints as 1.000", () => {
    expect(formatHealth(999_999_999_999_999_999n)).toBe("0.999");
    expect(formatHealth(WAD)).toBe("1.000");
    expect(formatHealth(1_267_500_000_000_000_000n)).toBe("1.267");
    expect(formatHealth(2n ** 256n - 1n)).toBe("∞");
    expect(formatHealth(WAD, false)).toBe("—");
    expect(truncate(-15n * 10n ** 17n, 18, 1)).toBe("-1.5");
  });

  it("prints money with cents and prices with more digits when small", () => {
    expect(formatUsd(1_234_567n * WAD + WAD / 2n)).toBe("$1,234,567.50");
    expect(formatUsd(-5n * WAD)).toBe("-$5.00");
    expect(formatUsd(12_345n * WAD + WAD / 3n, 0)).toBe("$12,345");
    expect(formatPrice(3150n * WAD)).toBe("$3,150.00");
    expect(formatPrice(1638n * WAD + (529n * WAD) / 1000n)).toBe("$1,638.52");
    expect(formatPrice(WAD)).toBe("$1.00");
    expect(formatPrice(995n * WAD + (20n * WAD) / 1000n)).toBe("$995.02");
    expect(formatUsdNumber(13_585.4)).toBe("$13,585");
    expect(formatUsdNumber(-1234.5, 1)).toBe("-$1,234.5");
    expect(formatPrice((9998n * WAD) / 10_000n)).toBe("$0.9998");
  });

  it("prints amounts, ratios and percentages without trailing zeros", () => {
    expect(formatAmount(25_000_000n, 8)).toBe("0.25");
    expect(formatAmount(30_500_000_000n, 6)).toBe("30,500");
    expect(formatAmount(1_234_567_890_000n, 6)).toBe("1,234,567.89");
    expect(formatAmount(123_456_789n, 8)).toBe("1.234567");
    expect(formatAmount(123_456_789n, 8, 4)).toBe("1.2345");
    expect(formatAmount(1n, 18)).toBe("0");
    expect(formatAmount(1n, 18, 18)).toBe("0.000000000000000001");
    expect(formatAmount(1_999_999n, 6, 0)).toBe("1");
    expect(formatRatio(95n * 10n ** 16n)).toBe("0.95");
    expect(formatRatio(WAD, 4)).toBe("1");
    expect(formatPercent(85n * 10n ** 16n)).toBe("85%");
    expect(formatPercent(5n * 10n ** 15n)).toBe("0.5%");
    expect(formatPercent(211_999n * 10n ** 12n, 1)).toBe("21.1%");
  });

  it("prints a chosen health with two to six decimals, never rounded", () => {
    expect(formatHealthSetting(11n * 10n ** 17n)).toBe("1.10");
    expect(formatHealthSetting(WAD)).toBe("1.00");
    expect(formatHealthSetting(1_234_500_000_000_000_000n)).toBe("1.2345");
    expect(formatHealthSetting(1_234_567_900_000_000_000n)).toBe("1.234567");
  });

  it("formats countdowns, addresses and chart numbers", () => {
    expect(formatDuration(0n)).toBe("0 s");
    expect(formatDuration(-3)).toBe("0 s");
    expect(formatDuration(42n)).toBe("42 s");
    expect(formatDuration(545)).toBe("9 min 05 s");
    expect(formatDuration(3720)).toBe("1 h 02 min");
    expect(shortAddress("0x90F79bf6EB2c4f870365E785982E1f101E93b906")).toBe("0x90F7…b906");
    expect(wadToNumber(3150n * WAD + WAD / 4n)).toBe(3150.25);
  });
});

describe("ceilToPlaces", () => {
  it("rounds a minimum up to the shown precision, so it stays enough and steady", () => {
    expect(ceilToPlaces(123_456_100_000_000_000n, 18, 4)).toBe(123_500_000_000_000_000n); // 0.1234561 → 0.1235
    expect(ceilToPlaces(123_500_000_000_000_000n, 18, 4)).toBe(123_500_000_000_000_000n); // already there
    expect(ceilToPlaces(1_234_567n, 6, 2)).toBe(1_240_000n); // 1.234567 USDC → 1.24
    expect(ceilToPlaces(12_345n, 8, 8)).toBe(12_345n); // no finer than the token
    expect(ceilToPlaces(0n, 18, 4)).toBe(0n);
    expect(floorToPlaces(32_099_999_999n, 6, 2)).toBe(32_099_990_000n); // a maximum stays within it
    expect(minimumPlaces(6, true)).toBe(2);
    expect(minimumPlaces(8, false)).toBe(4);
  });
});

describe("formatChance", () => {
  it("prints a probability with one decimal, never rounding a tiny chance to 0 or past 100%", () => {
    expect(formatChance(0)).toBe("0%");
    expect(formatChance(0.0004)).toBe("< 0.1%");
    expect(formatChance(0.3723)).toBe("37.2%");
    expect(formatChance(0.05)).toBe("5%");
    expect(formatChance(1)).toBe("100%");
    expect(formatChance(Number.NaN)).toBe("0%");
  });
});
