import { describe, expect, it } from "vitest";
import { WORKED_EXAMPLE_RISK } from "./fixtures";
import {
  WAD,
  borrowRatePerSecond,
  borrowRatePerYear,
  ceilDiv,
  collateralValue,
  compound,
  debtFromScaled,
  debtValue,
  healthFactorOf,
  mulDivDown,
  mulDivUp,
  repayToTargetValue,
  searchFirstTrue,
  searchLastTrue,
  seizedFor,
  softBonus,
  depth,
  intervalAtDepth,
  shareAtDepth,
  hardBonusFor,
  utilization,
  valueToAmount,
  zoneOf,
} from "./math";

const E16 = 10n ** 16n;
const devnetRates = { baseRate: 0n, slope1: 4n * E16, slope2: 75n * E16, kink: 80n * E16, reserveFactor: 10n * E16 };

describe("RiskMath mirror", () => {
  it("rounds down and up like OpenZeppelin mulDiv", () => {
    expect(mulDivDown(7n, 3n, 2n)).toBe(10n);
    expect(mulDivUp(7n, 3n, 2n)).toBe(11n);
    expect(mulDivUp(6n, 3n, 2n)).toBe(9n);
    expect(ceilDiv(0n, 5n)).toBe(0n);
    expect(ceilDiv(11n, 5n)).toBe(3n);
  });

  it("values: 1.5 WBTC (8 decimals) at $60,000.5; 20,000.000001 USDC (6 decimals) of debt rounds up", () => {
    expect(collateralValue(150_000_000n, 60_000n * WAD + WAD / 2n, 8)).toBe(90_000_750_000_000_000_000_000n);
    // 20,000.000001 · (1 − 1e-18) = 20,000.000000999999979999999999… → rounded up
    expect(debtValue(20_000_000_001n, WAD - 1n, 6)).toBe(20_000_000_000_999_999_980_000n);
    expect(debtFromScaled(3n, WAD / 2n + 1n)).toBe(2n); // 1.5000…03 → 2
  });

  it("HF and zones", () => {
    expect(healthFactorOf(3n, 2n)).toBe((3n * WAD) / 2n);
    expect(zoneOf(WAD, 95n * E16)).toBe(0);
    expect(zoneOf(WAD - 1n, 95n * E16)).toBe(1);
    expect(zoneOf(95n * E16, 95n * E16)).toBe(1);
    expect(zoneOf(95n * E16 - 1n, 95n * E16)).toBe(2);
  });

  it("depth, spacing and share scale with HF between 1 and hardHealth 0.88 (docs/liquidation.md R2)", () => {
    const p = WORKED_EXAMPLE_RISK;
    expect(depth(WAD, p.hardHealth)).toBe(0n);
    expect(depth(94n * E16, p.hardHealth)).toBe(WAD / 2n); // 0.06 / 0.12
    expect(depth(88n * E16, p.hardHealth)).toBe(WAD);
    expect(depth(50n * E16, p.hardHealth)).toBe(WAD);
    expect(intervalAtDepth(WAD / 2n, p.sliceInterval)).toBe(150n);
    expect(intervalAtDepth(WAD, p.sliceInterval)).toBe(0n);
    expect(shareAtDepth(0n, p.sliceCap)).toBe(10n * E16);
    expect(shareAtDepth(WAD / 2n, p.sliceCap)).toBe(55n * E16);
    expect(shareAtDepth(WAD, p.sliceCap)).toBe(WAD);
  });

  it("soft bonus: opens at 0.5% + 1.5% · depth, climbs to 2% over the 600 s ramp (R3)", () => {
    const p = WORKED_EXAMPLE_RISK;
    expect(softBonus(0n, 0n, p)).toBe(5n * 10n ** 15n);
    expect(softBonus(WAD / 2n, 0n, p)).toBe(125n * 10n ** 14n); // 0.5% + 0.75%
    expect(softBonus(WAD / 2n, 300n, p)).toBe(2n * E16); // depth 0.5 + time 0.5
    expect(softBonus(0n, 300n, p)).toBe(125n * 10n ** 14n);
    expect(softBonus(0n, 10_000n, p)).toBe(2n * E16);
    expect(softBonus(WAD, 0n, p)).toBe(2n * E16);
  });

  it("hard bonus: the largest that still raises health, at most 8% (R3, formula (4))", () => {
    // HF 0.95, LT 0.85: 0.95 · 0.999 / 0.85 − 1 = 11.65% → capped at 8%
    expect(hardBonusFor(95n * E16, 85n * E16, 8n * E16)).toEqual({ bonus: 8n * E16, ok: true });
    // HF 0.87, LT 0.85: 0.87 · 0.999 / 0.85 − 1 = 2.2518%
    const b = hardBonusFor(87n * E16, 85n * E16, 8n * E16);
    expect(b.ok).toBe(true);
    expect(b.bonus).toBe((((87n * E16 * 999n) / 1000n) * WAD) / (85n * E16) - WAD);
    // HF 0.85 at LT 0.85: even a zero bonus would lower health
    expect(hardBonusFor(85n * E16, 85n * E16, 8n * E16)).toEqual({ bonus: 0n, ok: false });
  });

  it("repay to target: 850 / (1.02 − 1.01625 · 0.85) = 850 / 0.1561875 = 5442.1768…", () => {
    expect(repayToTargetValue(19_550n * WAD, 20_000n * WAD, 102n * E16, 101_625n * 10n ** 13n, 85n * E16)).toBe(5_442_176_870_748_299_319_727n);
    expect(repayToTargetValue(20_400n * WAD, 20_000n * WAD, 102n * E16, WAD, 85n * E16)).toBe(0n);
  });

  it("seized and value-to-amount round down", () => {
    expect(seizedFor(2_000_000_000n, WAD, 6, 101_625n * 10n ** 13n, 2300n * WAD, 18)).toBe(883_695_652_173_913_043n);
    expect(valueToAmount(WAD - 1n, WAD, 6)).toBe(999_999n);
  });
});

describe("InterestRateLib mirror", () => {
  it("utilisation", () => {
    expect(utilization(30n, 100n)).toBe(3n * 10n ** 17n);
    expect(utilization(0n, 100n)).toBe(0n);
    expect(utilization(5n, 0n)).toBe(0n);
    expect(utilization(101n, 100n)).toBe(WAD);
  });

  it("kinked curve: 2.5% at 50%, 4% at the 80% kink, 41.5% at 90%, 79% at 100%", () => {
    expect(borrowRatePerYear(devnetRates, 50n * E16)).toBe(25n * 10n ** 15n);
    expect(borrowRatePerYear(devnetRates, 80n * E16)).toBe(4n * E16);
    expect(borrowRatePerYear(devnetRates, 90n * E16)).toBe(415n * 10n ** 15n);
    expect(borrowRatePerYear(devnetRates, WAD)).toBe(79n * E16);
    // per second: 4% / 31,536,000 s, rounded down
    expect(borrowRatePerSecond(devnetRates, 80n * E16)).toBe(1_268_391_679n);
  });

  it("compounding by squaring: (1 + 1e-9)^4 = 1.000000004000000006, each product rounded down", () => {
    expect(compound(10n ** 9n, 4n)).toBe(1_000_000_004_000_000_006n);
    expect(compound(10n ** 9n, 0n)).toBe(WAD);
    expect(compound(10n ** 9n, 1n)).toBe(WAD + 10n ** 9n);
    expect(compound(0n, 12345n)).toBe(WAD);
  });
});

describe("monotone searches", () => {
  it("find the edge of a monotone predicate", () => {
    expect(searchFirstTrue(0n, 100n, (x) => x * x >= 50n)).toBe(8n);
    expect(searchLastTrue(0n, 100n, (x) => x * x <= 50n)).toBe(7n);
    expect(searchFirstTrue(0n, 5n, () => false)).toBeUndefined();
    expect(searchLastTrue(0n, 5n, () => false)).toBeUndefined();
  });
});
