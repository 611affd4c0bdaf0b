// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

/// @title ErrorsLib
/// @notice Every custom error the protocol raises, so apps and keepers decode them from one ABI.
library ErrorsLib {
    // --- access ---
    error NotOwner();
    error NotGuardian();
    error Unauthorized(address caller, address onBehalf);

    // --- input ---
    error ZeroAmount();
    error ZeroAddress();
    error CollateralNotListed(address asset);
    error CollateralAlreadyListed(address asset);
    error TooManyCollaterals();
    error UnsupportedDecimals(address asset, uint8 decimals);

    // --- configuration ---
    error InvalidLtv(uint256 ltv, uint256 lt);
    /// @notice LTV and LT are set in whole millionths (multiples of 1e12 as a WAD).
    error RatioNotWholePpm(uint256 value);
    error InvalidBonus();
    error InvalidHardHealth(uint256 hardHealth, uint256 minimum);
    error InvalidTargetHealth(uint256 targetHealth);
    error InvalidFraction(uint256 value);
    error InvalidDuration(uint256 value);
    error InvalidRateModel();
    error InvalidGraceFloor(uint256 graceFloor);
    error InvalidParamDelay(uint256 delay, uint256 minimum);
    error NoPendingChange();
    error ChangeNotReady(uint256 validAt);

    // --- market state ---
    error BorrowPaused();
    error WithdrawPaused(address asset);
    error InsufficientLiquidity(uint256 requested, uint256 available);
    error InsufficientCollateral(uint256 borrowPowerValue, uint256 debtValue);
    error InsufficientBalance(uint256 requested, uint256 balance);
    error NoDebt();
    error DebtTooLarge();

    // --- liquidation ---
    error HealthyAccount(uint256 healthFactor);
    error UnhealthyAccount(uint256 healthFactor);
    error AlreadyFlagged(uint256 flaggedAt);
    error NotFlagged();
    error GracePeriodActive(uint256 allowedAt);
    error SliceIntervalActive(uint256 allowedAt);
    error NothingToLiquidate();
    error SliceTooSmall(uint256 repaid, uint256 minimum);
    error LiquidationLowersHealth(uint256 healthBefore, uint256 healthAfter);
    error CannotRaiseHealth(address collateral, uint256 healthFactor, uint256 lt);
    error FlagLapsed(uint256 lapsedAt);
    error SeizedBelowMinimum(uint256 seized, uint256 minSeized);

    // --- deleverage policies (R9) ---
    error PolicyTriggerTooLow(uint256 triggerHealth);
    error PolicyTargetTooLow(uint256 targetHealth, uint256 triggerHealth);
    error PolicyBonusTooHigh(uint256 bonus, uint256 maximum);
    error PolicyShareOutOfRange(uint256 share);
    error NoPolicy(address account);
    /// @notice The policy was changed or revoked after the execution was sent (`expected` is the version it was
    /// sent against).
    error PolicyChanged(uint256 expected, uint256 current);
    /// @notice Health is at or above the policy's trigger, or in HARD, where the liquidation rules apply.
    error PolicyNotTriggered(uint256 healthFactor, uint256 triggerHealth);

    // --- oracle ---
    error FeedNotSet(address asset);
    error StalePrice(address asset, uint256 updatedAt, uint256 heartbeat);
    error InvalidPrice(address asset, int256 answer);
    error FeedReverted(address asset);
}
