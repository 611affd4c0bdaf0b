// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

/// @notice Where an account stands. HEALTHY: HF >= 1. SOFT: hardHealth <= HF < 1. HARD: HF < hardHealth.
enum Zone {
    HEALTHY,
    SOFT,
    HARD
}

/// @notice Soft- and hard-liquidation parameters. Ratios are WADs; durations are seconds.
struct RiskParams {
    uint64 softBonusMin;
    uint64 softBonusMax;
    uint64 hardBonus;
    uint64 hardHealth;
    uint64 targetHealth;
    uint64 sliceCap;
    uint64 hardCloseFactor;
    uint32 gracePeriod;
    uint32 sliceInterval;
}

/// @notice Kinked utilisation curve. Rates are yearly WADs (simple, converted to per-second by / 365 days);
/// `kink` and `reserveFactor` are WAD fractions.
struct RateModel {
    uint64 baseRate;
    uint64 slope1;
    uint64 slope2;
    uint64 kink;
    uint64 reserveFactor;
}

/// @notice A listed collateral. `index` is its slot in `collaterals()` and its bit in an account's mask.
struct CollateralConfig {
    bool listed;
    bool paused;
    uint8 index;
    uint8 decimals;
    uint64 ltv;
    uint64 lt;
}

/// @notice An account's debt and liquidation clock, packed in one slot.
/// @dev `scaledDebt` is debt divided by the borrow index; `collateralMask` has bit i set when the account holds
/// collateral i, so health checks only read the balances that exist.
struct Account {
    uint128 scaledDebt;
    uint40 flaggedAt;
    uint40 lastSliceAt;
    uint8 collateralMask;
}

/// @notice What a liquidation of `collateral` would do right now (see `previewLiquidation`).
/// @param repayCap Most loan asset a liquidator may repay now (0 when nothing is liquidatable).
/// @param seized Collateral the liquidator receives for repaying `repayCap`.
/// @param bonus Liquidation bonus as a WAD (0.02e18 = 2%).
/// @param zone Zone of the account now.
/// @param allowed Whether `liquidate` would succeed now for this collateral.
/// @param allowedAt Earliest timestamp a soft slice is allowed (0 when not flagged or not soft).
/// @param healthFactor Health factor now.
struct LiquidationPreview {
    uint256 repayCap;
    uint256 seized;
    uint256 bonus;
    Zone zone;
    bool allowed;
    uint256 allowedAt;
    uint256 healthFactor;
}
