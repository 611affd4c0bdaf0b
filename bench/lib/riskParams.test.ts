import { describe, expect, it } from "vitest";
import { applyRiskOverrides, parseRiskOverrides } from "./riskParams";

describe("bench risk-parameter overrides", () => {
  it("turns decimal ratios into the whole millionths the market stores, and durations into seconds", () => {
    const o = parseRiskOverrides("soft-param", ["softBonusMin=0.003", "softBonusMax=0.012345", "bonusRamp=1800"]);
    const applied = applyRiskOverrides({ softBonusMin: 5n * 10n ** 15n, bonusRamp: 600 }, o);
    expect(applied.softBonusMin).toBe(3n * 10n ** 15n);
    expect(applied.softBonusMax).toBe(12_345n * 10n ** 12n);
    expect(applied.bonusRamp).toBe(1800);
  });

  it("refuses a ratio finer than a millionth, naming the flag and the key, before anything is sent", () => {
    expect(() => parseRiskOverrides("soft-param", ["softBonusMin=0.0031234567"])).toThrow(
      /--soft-param: softBonusMin must be a whole number of millionths/,
    );
    expect(() => parseRiskOverrides("soft-param", ["gracePeriod=1.5"])).toThrow(/--soft-param: gracePeriod must be a whole number/);
    expect(() => parseRiskOverrides("soft-param", ["nope=1"])).toThrow(/unknown key "nope"/);
  });
});
