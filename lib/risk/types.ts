/**
 * Types of the risk engine. `PositionSnapshot` is, field for field, the Lens `getPosition` result as viem decodes
 * it (uint64/uint256 → bigint, uint8/uint32 → number, enum → number), so callers pass the lens result straight in.
 * Only the fields the engine reads are required; extra fields are carried through untouched.
 */
import type { Address } from "viem";

/** Where an account stands: HEALTHY HF >= 1, SOFT hardHealth <= HF < 1, HARD HF < hardHealth. */
export const Zone = { HEALTHY: 0, SOFT: 1, HARD: 2 } as const;
export type Zone = (typeof Zone)[keyof typeof Zone];

export const ZONE_NAMES: Record<Zone, "HEALTHY" | "SOFT" | "HARD"> = { 0: "HEALTHY", 1: "SOFT", 2: "HARD" };

/**
 * Soft- and hard-liquidation parameters (Types.sol `RiskParams`; their meaning in docs/liquidation.md). Ratios are
 * WADs; durations are seconds.
 */
export interface RiskParams {
  /** Every soft auction opens here (plus the depth term). */
  readonly softBonusMin: bigint;
  /** The soft auction's ceiling. */
  readonly softBonusMax: bigint;
  /** The hard zone's ceiling (also capped so that health still rises). */
  readonly hardBonus: bigint;
  readonly hardHealth: bigint;
  /** Below it the grace period no longer holds a slice back. */
  readonly graceFloor: bigint;
  readonly targetHealth: bigint;
  /** Share of the debt a slice may repay at HF 1, growing to 100% at hardHealth. */
  readonly sliceCap: bigint;
  /** 0 in a soft market; the conventional comparator's close factor. */
  readonly hardCloseFactor: bigint;
  readonly gracePeriod: number;
  /** Spacing between slices at HF 1, shrinking to 0 at hardHealth. */
  readonly sliceInterval: number;
  /** Seconds for the soft auction to climb from its opening bonus to softBonusMax. */
  readonly bonusRamp: number;
}

/** Kinked utilisation curve (Types.sol `RateModel`). */
export interface RateModel {
  readonly baseRate: bigint;
  readonly slope1: bigint;
  readonly slope2: bigint;
  readonly kink: bigint;
  readonly reserveFactor: bigint;
}

/** One collateral of the market with the account's balance (Lens `CollateralView`). */
export interface CollateralSnapshot {
  readonly asset: Address;
  readonly symbol: string;
  readonly decimals: number;
  readonly ltv: bigint;
  readonly lt: bigint;
  readonly paused: boolean;
  /** USD per whole token, WAD. */
  readonly price: bigint;
  readonly priceOk: boolean;
  /** Account balance in base units. */
  readonly balance: bigint;
  /** USD value of the balance, WAD, rounded down (0 when the price is unavailable). */
  readonly value: bigint;
}

/** The market part of the snapshot (Lens `MarketView`). */
export interface MarketSnapshot {
  readonly market: Address;
  readonly loanToken: Address;
  readonly loanSymbol: string;
  readonly loanDecimals: number;
  readonly loanPrice: bigint;
  readonly loanPriceOk: boolean;
  readonly risk: RiskParams;
  readonly rateModel: RateModel;
  readonly totalDebt: bigint;
  /** Lenders' assets (cash + debt − insurance): the supply the utilisation is measured against. */
  readonly totalAssets?: bigint;
  readonly cash: bigint;
  readonly availableLiquidity: bigint;
  readonly insuranceFund: bigint;
  readonly totalSocialisedBadDebt: bigint;
  readonly borrowIndex: bigint;
  readonly utilization: bigint;
  readonly borrowRatePerYear: bigint;
  readonly borrowPaused: boolean;
  readonly withdrawPaused: boolean;
  readonly collaterals: readonly CollateralSnapshot[];
  readonly timestamp: bigint;
}

/** A position as the Lens `getPosition` returns it. */
export interface PositionSnapshot {
  readonly market: MarketSnapshot;
  readonly account: Address;
  /** Debt in loan-asset units, interest accrued to `timestamp`, rounded up. */
  readonly debt: bigint;
  readonly scaledDebt: bigint;
  readonly debtValue: bigint;
  readonly collateralValue: bigint;
  readonly collateralPower: bigint;
  readonly borrowPower: bigint;
  readonly healthFactor: bigint;
  readonly healthOk: boolean;
  readonly zone: number;
  readonly flaggedAt: bigint;
  readonly lastSliceAt: bigint;
  readonly blockNumber: bigint;
  readonly timestamp: bigint;
  /** The account's deleverage policy (all zeros: none; docs/liquidation.md R9). */
  readonly policy: DeleveragePolicy;
  /** The policy's version, which an execution must name. */
  readonly policyVersion: bigint;
}

/** A borrower's opt-in deleverage policy, WADs as the market stores them (`DeleveragePolicy` in Types.sol). */
export interface DeleveragePolicy {
  /** Executions are allowed while health is below it (and not HARD); above 1. */
  readonly triggerHealth: bigint;
  /** An execution restores at most this health; above the trigger. */
  readonly targetHealth: bigint;
  /** The executor's bonus; at most the market's `softBonusMin`. */
  readonly maxBonus: bigint;
  /** Share of the debt one execution may repay, in (0, 1]. */
  readonly maxShare: bigint;
}

/** Health of a position, exactly as the market's `_health` computes it. */
export interface Health {
  /** false when a needed price is unavailable (the market would revert). */
  readonly ok: boolean;
  readonly collateralValue: bigint;
  /** Σ value_i · LT_i */
  readonly collateralPower: bigint;
  /** Σ value_i · LTV_i over collaterals that are not paused */
  readonly borrowPower: bigint;
  readonly debt: bigint;
  readonly debtValue: bigint;
  /** WAD; `MAX_UINT256` without debt. */
  readonly healthFactor: bigint;
  readonly zone: Zone;
}

/** A typed failure for user input or an impossible request: never thrown, always returned. */
export interface RiskError<R extends string = string> {
  readonly ok: false;
  readonly reason: R;
  readonly message: string;
}

export type Result<T, R extends string = string> = ({ readonly ok: true } & T) | RiskError<R>;
