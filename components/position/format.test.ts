import { describe, expect, it } from "vitest";
import { formatAmount, formatDuration, formatHealth, formatPercent, formatPrice, formatUsd, truncate } from "./format";

const WAD = 10n ** 18n;

describe("display formatting", () => {
  it("truncates instead of rounding, so a soft position never prints as 1.000", () => {
    expect(formatHealth(999_999_999_999_999_999n)).toBe("0.999");
    expect(formatHealth(WAD)).toBe("1.000");
    expect(formatHealth(2n ** 256n - 1n)).toBe("∞");
    expect(truncate(-15n * 10n ** 17n, 18, 1)).toBe("-1.5");
  });

  it("prints USD, prices, amounts and percentages with grouping and decimals handled", () => {
    expect(formatUsd(1_234_567n * WAD + WAD / 2n)).toBe("$1,234,567.50");
    expect(formatUsd(-5n * WAD)).toBe("-$5.00");
    expect(formatPrice(3150n * WAD)).toBe("$3,150.00");
    expect(formatPrice(WAD)).toBe("$1.000");
    expect(formatAmount(25_000_000n, 8)).toBe("0.25");
    expect(formatAmount(30_500_000_000n, 6)).toBe("30,500");
    expect(formatPercent(85n * 10n ** 16n)).toBe("85%");
    expect(formatPercent(5n * 10n ** 15n)).toBe("0.5%");
  });

  it("formats countdowns", () => {
    expect(formatDuration(0n)).toBe("0 s");
    expect(formatDuration(545)).toBe("9 min 05 s");
    expect(formatDuration(3720)).toBe("1 h 02 min");
  });
});
