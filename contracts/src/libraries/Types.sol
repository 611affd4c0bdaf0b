// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

/// @notice Where an account stands. HEALTHY: HF >= 1. SOFT: hardHealth <= HF < 1. HARD: HF < hardHealth.
enum Zone {
    HEALTHY,
    SOFT,
    HARD
}

/// @notice Soft- and hard-liquidation parameters (docs/liquidation.md). Ratios are WADs; durations are seconds.
/// @param softBonusMin Every soft auction opens at this bonus (plus the depth term).
/// @param softBonusMax The soft auction's ceiling.
/// @param hardBonus The hard zone's ceiling; the bonus there is also capped so that health still rises.
/// @param hardHealth HARD below it.
/// @param graceFloor Below it a flagged (or unflagged) account is sliced without waiting for the grace period.
/// @param targetHealth Slices and hard liquidations restore at most this health.
/// @param sliceCap Share of the debt a slice may repay at HF 1; grows linearly to 100% at `hardHealth`.
/// @param hardCloseFactor 0 in a soft market ("just enough"); the conventional comparator (hardHealth = 1) sets
/// the share of the debt a hard liquidation may repay.
/// @param gracePeriod Time after a flag before the first slice (above `graceFloor`).
/// @param sliceInterval Spacing between slices at HF 1; shrinks linearly to 0 at `hardHealth`.
/// @param bonusRamp Time for the soft auction to climb from its opening bonus to `softBonusMax`.
struct RiskParams {
    uint64 softBonusMin;
    uint64 softBonusMax;
    uint64 hardBonus;
    uint64 hardHealth;
    uint64 graceFloor;
    uint64 targetHealth;
    uint64 sliceCap;
    uint64 hardCloseFactor;
    uint32 gracePeriod;
    uint32 sliceInterval;
    uint32 bonusRamp;
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

/// @notice `RiskParams` as stored: ratios in millionths (see `PackedLib`), two storage slots instead of three.
struct PackedRiskParams {
    uint32 softBonusMin;
    uint32 softBonusMax;
    uint32 hardBonus;
    uint32 hardHealth;
    uint32 graceFloor;
    uint32 targetHealth;
    uint32 sliceCap;
    uint32 hardCloseFactor;
    uint32 gracePeriod;
    uint32 sliceInterval;
    uint32 bonusRamp;
}

/// @notice `RateModel` as stored: every field in millionths, one storage slot instead of two.
struct PackedRateModel {
    uint32 baseRate;
    uint32 slope1;
    uint32 slope2;
    uint32 kink;
    uint32 reserveFactor;
}

/// @notice A listed collateral as the market keeps it: everything the health loop needs in one storage slot.
/// @dev `ltv` and `lt` are stored in millionths (see `PackedLib`).
struct CollateralSlot {
    address asset;
    uint32 ltvPpm;
    uint32 ltPpm;
    uint8 decimals;
    bool paused;
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

/// @notice A borrower's opt-in deleverage policy (docs/liquidation.md, R9). Ratios are WADs.
/// While the account's health is below `triggerHealth` (and not HARD), anyone may repay its debt for its collateral
/// at `maxBonus`, each execution repaying at most `maxShare` of the debt and never more than restores
/// `targetHealth`. All fields 0: no policy.
/// @param triggerHealth Executions are allowed below this health; above 1.
/// @param targetHealth An execution restores at most this health; above `triggerHealth`.
/// @param maxBonus The bonus an executor receives; at most the market's lowest soft bonus (`softBonusMin`).
/// @param maxShare Share of the debt one execution may repay, in (0, 1].
struct DeleveragePolicy {
    uint64 triggerHealth;
    uint64 targetHealth;
    uint64 maxBonus;
    uint64 maxShare;
}

/// @notice `DeleveragePolicy` as stored, with its version: one storage slot.
/// @dev Ratios in millionths (see `PackedLib`). `version` grows with every change or revocation of the account's
/// policy and is never reused, so an execution signed against one version cannot run under another.
struct PackedPolicy {
    uint32 triggerHealth;
    uint32 targetHealth;
    uint32 maxBonus;
    uint32 maxShare;
    uint64 version;
}

/// @notice What a liquidation of `collateral` would do right now (see `previewLiquidation`).
/// @param repayCap Most loan asset a liquidator may repay now (0 when nothing is liquidatable).
/// @param seized Collateral the liquidator receives for repaying `repayCap`.
/// @param bonus Liquidation bonus as a WAD (0.02e18 = 2%).
/// @param zone Zone of the account now.
/// @param allowed Whether `liquidate` would succeed now for this collateral.
/// @param allowedAt Earliest timestamp a soft slice is allowed (0 when not flagged or not soft); the soft bonus
/// rises from this moment on.
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

/// @notice A delayed change of the liquidation parameters (R5): applicable from `validAt` (0 = none pending).
struct PendingRiskParams {
    RiskParams params;
    uint64 validAt;
}

/// @notice A delayed change of the rate curve (R5): applicable from `validAt` (0 = none pending).
struct PendingRateModel {
    RateModel model;
    uint64 validAt;
}

/// @notice A delayed change of a collateral's LTV and threshold (R5): applicable from `validAt` (0 = none pending).
struct PendingCollateralParams {
    uint64 ltv;
    uint64 lt;
    uint64 validAt;
}

/// @notice Everything the owner configures, kept together so the governance code can live in `ConfigLib` (an
/// external library: the market stays under the 24 KiB code-size limit).
struct MarketConfig {
    PackedRiskParams risk;
    PackedRateModel rates;
    /// @dev Listed collaterals by index, filled in listing order (asset 0 = free).
    CollateralSlot[8] collaterals;
    /// @dev A collateral's index plus one (0 = not listed).
    mapping(address asset => uint256) slotOf;
    PendingRiskParams pendingRisk;
    PendingRateModel pendingRate;
    mapping(address asset => PendingCollateralParams) pendingCollateral;
}
