/**
 * Builders for snapshots shaped like the devnet market (USDC 6 decimals; WETH and wstETH 18; WBTC 8), for tests,
 * benchmarks and storybook-like pages. Not used by the engine itself.
 */
import type { Address } from "viem";
import { WAD } from "./math";
import { refreshDerived } from "./position";
import { NO_POLICY } from "./policy";
import type { DeleveragePolicy, PositionSnapshot, RiskParams } from "./types";

/** `DevnetConfig.softRiskParams()` (docs/liquidation.md). */
export const DEVNET_SOFT_RISK: RiskParams = {
  softBonusMin: 3n * 10n ** 15n,
  softBonusMax: 10n ** 16n,
  hardBonus: 8n * 10n ** 16n,
  hardHealth: 88n * 10n ** 16n,
  graceFloor: 97n * 10n ** 16n,
  targetHealth: 102n * 10n ** 16n,
  sliceCap: 10n ** 17n,
  hardCloseFactor: 0n,
  gracePeriod: 600,
  sliceInterval: 300,
  bonusRamp: 1800,
};

/**
 * The parameter set the hand-checked examples in docs/liquidation.md and lib/risk's tests were worked out with: the
 * devnet defaults before the soft auction was lowered (0.5% → 2% over 10 minutes). The mechanics they pin do not
 * depend on the level of the auction, and hand-worked numbers stay readable.
 */
export const WORKED_EXAMPLE_RISK: RiskParams = {
  ...DEVNET_SOFT_RISK,
  softBonusMin: 5n * 10n ** 15n,
  softBonusMax: 2n * 10n ** 16n,
  bonusRamp: 600,
};

/** The Aave-like comparator (`DevnetConfig.conventionalRiskParams()`): no soft zone, 50% close factor, 8% bonus. */
export const DEVNET_CONVENTIONAL_RISK: RiskParams = {
  ...DEVNET_SOFT_RISK,
  softBonusMin: 5n * 10n ** 15n,
  softBonusMax: 2n * 10n ** 16n,
  bonusRamp: 600,
  hardHealth: WAD,
  graceFloor: WAD,
  hardCloseFactor: 5n * 10n ** 17n,
  hardBonus: 8n * 10n ** 16n,
};

export interface FixtureCollateral {
  symbol: string;
  decimals: number;
  ltv: bigint;
  lt: bigint;
  price: bigint;
  balance?: bigint;
  paused?: boolean;
  priceOk?: boolean;
}

const addr = (n: number) => `0x${n.toString(16).padStart(40, "0")}` as Address;

export const DEVNET_COLLATERALS: readonly FixtureCollateral[] = [
  { symbol: "WETH", decimals: 18, ltv: 80n * 10n ** 16n, lt: 85n * 10n ** 16n, price: 3000n * WAD },
  { symbol: "wstETH", decimals: 18, ltv: 75n * 10n ** 16n, lt: 80n * 10n ** 16n, price: 3500n * WAD },
  { symbol: "WBTC", decimals: 8, ltv: 73n * 10n ** 16n, lt: 78n * 10n ** 16n, price: 60000n * WAD },
];

export interface FixtureOptions {
  collaterals?: readonly FixtureCollateral[];
  /** Balances in base units by symbol (or in collateral order). */
  balances?: Record<string, bigint> | readonly bigint[];
  /** Collateral prices (WAD) by symbol, overriding the defaults. */
  prices?: Record<string, bigint>;
  /** Debt in loan units (6 decimals). */
  debt?: bigint;
  borrowIndex?: bigint;
  loanPrice?: bigint;
  loanDecimals?: number;
  risk?: RiskParams;
  flaggedAt?: bigint;
  lastSliceAt?: bigint;
  /** The account's deleverage policy (none by default) and its version (1 when a policy is given). */
  policy?: DeleveragePolicy;
  policyVersion?: bigint;
  timestamp?: bigint;
  availableLiquidity?: bigint;
  borrowPaused?: boolean;
  withdrawPaused?: boolean;
}

/** A position snapshot on a devnet-like market. With `borrowIndex` > 1, `debt` is rounded as the contract would. */
export function makeSnapshot(o: FixtureOptions = {}): PositionSnapshot {
  const list = o.collaterals ?? DEVNET_COLLATERALS;
  const index = o.borrowIndex ?? WAD;
  const wantedDebt = o.debt ?? 0n;
  // scaled debt as `borrow` records it (rounded up), then debt read back (rounded up)
  const scaledDebt = (wantedDebt * WAD + index - 1n) / index;
  const debt = (scaledDebt * index + WAD - 1n) / WAD;
  const timestamp = o.timestamp ?? 1_800_000_000n;
  const liquidity = o.availableLiquidity ?? 10n ** 15n;
  const collaterals = list.map((c, i) => {
    const balance = Array.isArray(o.balances)
      ? ((o.balances as readonly bigint[])[i] ?? 0n)
      : ((o.balances as Record<string, bigint> | undefined)?.[c.symbol] ?? c.balance ?? 0n);
    const price = o.prices?.[c.symbol] ?? c.price;
    return {
      asset: addr(0x1000 + i),
      symbol: c.symbol,
      decimals: c.decimals,
      ltv: c.ltv,
      lt: c.lt,
      paused: c.paused ?? false,
      price,
      priceOk: c.priceOk ?? true,
      balance,
      value: 0n,
    };
  });
  const snapshot: PositionSnapshot = {
    market: {
      market: addr(0xa),
      loanToken: addr(0xb),
      loanSymbol: "USDC",
      loanDecimals: o.loanDecimals ?? 6,
      loanPrice: o.loanPrice ?? WAD,
      loanPriceOk: true,
      risk: o.risk ?? DEVNET_SOFT_RISK,
      rateModel: { baseRate: 0n, slope1: 4n * 10n ** 16n, slope2: 75n * 10n ** 16n, kink: 8n * 10n ** 17n, reserveFactor: 10n ** 17n },
      totalDebt: debt,
      totalAssets: liquidity + debt,
      cash: liquidity,
      availableLiquidity: liquidity,
      insuranceFund: 0n,
      totalSocialisedBadDebt: 0n,
      borrowIndex: index,
      utilization: 0n,
      borrowRatePerYear: 0n,
      borrowPaused: o.borrowPaused ?? false,
      withdrawPaused: o.withdrawPaused ?? false,
      collaterals: collaterals.map((c) => ({ ...c, value: c.priceOk && c.balance !== 0n ? (c.balance * c.price) / 10n ** BigInt(c.decimals) : 0n })),
      timestamp,
    },
    account: addr(0xbeef),
    debt,
    scaledDebt,
    debtValue: 0n,
    collateralValue: 0n,
    collateralPower: 0n,
    borrowPower: 0n,
    healthFactor: 0n,
    healthOk: true,
    zone: 0,
    flaggedAt: o.flaggedAt ?? 0n,
    lastSliceAt: o.lastSliceAt ?? 0n,
    policy: o.policy ?? NO_POLICY,
    policyVersion: o.policyVersion ?? (o.policy ? 1n : 0n),
    blockNumber: 1n,
    timestamp,
  };
  return refreshDerived(snapshot);
}

/** `amount` whole tokens in base units (integer part only; use for readable fixtures). */
export function units(amount: number | bigint, decimals: number): bigint {
  return BigInt(amount) * 10n ** BigInt(decimals);
}
