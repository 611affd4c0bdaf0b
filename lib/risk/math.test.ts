import { describe, expect, it } from "vitest";
import { DEVNET_SOFT_RISK } from "./fixtures";
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

  it("soft bonus runs from 0.5% at HF 1 to 3% at HF 0.95 (2% at 0.97)", () => {
    expect(softBonus(WAD, DEVNET_SOFT_RISK)).toBe(5n * 10n ** 15n);
    expect(softBonus(97n * E16, DEVNET_SOFT_RISK)).toBe(2n * E16);
    expect(softBonus(95n * E16, DEVNET_SOFT_RISK)).toBe(3n * E16);
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
