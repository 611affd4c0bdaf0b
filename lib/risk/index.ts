/**
 * Soft Landing risk engine: the protocol's math over a Lens position snapshot, in bigint fixed point with the
 * contracts' rounding, plus previews, band exposure, net-risk shocks and a Monte Carlo forecast.
 * Pure: no React, no network.
 */
export * from "./types";
export {
  WAD,
  MAX_UINT256,
  SECONDS_PER_YEAR,
  mulDivDown,
  mulDivUp,
  collateralValue,
  debtValue,
  debtFromScaled,
  healthFactorOf,
  zoneOf,
  softBonus,
  repayToTargetValue,
  valueToAmount,
  seizedFor,
  utilization,
  borrowRatePerYear,
  borrowRatePerSecond,
  compound,
} from "./math";
export {
  collateralIndex,
  health,
  healthFactor,
  zone,
  borrowPower,
  powerOf,
  borrowPowerOf,
  withChanges,
  refreshDerived,
  maxBorrow,
  maxWithdraw,
  thresholdPrice,
  liquidationPrices,
  type SnapshotChanges,
  type LimitError,
  type LiquidationPrice,
} from "./position";
export {
  quote,
  previewLiquidation,
  softAllowedAt,
  liquidationTimers,
  applyLiquidation,
  applyFlag,
  chooseLiquidationCollateral,
  type Quote,
  type LiquidationPreview,
  type LiquidationTimers,
  type LiquidationOutcome,
  type LiquidateError,
  type QuoteError,
} from "./liquidation";
