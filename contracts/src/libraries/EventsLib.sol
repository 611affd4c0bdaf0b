// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {DeleveragePolicy, RiskParams, RateModel, Zone} from "./Types.sol";

/// @title EventsLib
/// @notice Every event the market emits. Together they rebuild an account's full history.
library EventsLib {
    event CollateralDeposited(address indexed caller, address indexed onBehalf, address indexed asset, uint256 amount);
    event CollateralWithdrawn(
        address indexed caller, address indexed onBehalf, address indexed asset, uint256 amount, address receiver
    );
    event Borrowed(address indexed caller, address indexed onBehalf, address indexed receiver, uint256 assets, uint256 debtAfter);
    event Repaid(address indexed caller, address indexed onBehalf, uint256 assets, uint256 debtAfter);
    event AuthorizationSet(address indexed owner, address indexed manager, bool allowed);

    /// @notice `account` fell below HF 1 and its grace period started.
    event Flagged(address indexed account, address indexed caller, uint256 healthFactor);
    /// @notice `account` is back at HF >= 1 and its flag is cleared (by a borrower action, a slice or `unflag`).
    event Unflagged(address indexed account, address indexed caller, uint256 healthFactor);

    /// @notice A soft slice or hard liquidation. `zone` tells which; bonus and health are WADs.
    event Liquidated(
        address indexed account,
        address indexed liquidator,
        address indexed collateral,
        Zone zone,
        uint256 repaid,
        uint256 seized,
        uint256 bonus,
        uint256 healthBefore,
        uint256 healthAfter
    );

    /// @notice `account`'s deleverage policy is now `policy` (all zeros: revoked), at `version` (R9).
    event DeleveragePolicySet(address indexed account, address indexed caller, DeleveragePolicy policy, uint256 version);

    /// @notice An execution of `account`'s deleverage policy at `version` (R9): `executor` repaid `repaid` and received
    /// `seized` of `collateral` at `bonus`.
    event Deleveraged(
        address indexed account,
        address indexed executor,
        address indexed collateral,
        uint256 version,
        uint256 repaid,
        uint256 seized,
        uint256 bonus,
        uint256 healthBefore,
        uint256 healthAfter
    );

    /// @notice `account` has no collateral left but owes `badDebt`: the insurance fund covered `coveredByInsurance`,
    /// lenders absorbed `socialised`.
    event BadDebt(address indexed account, uint256 badDebt, uint256 coveredByInsurance, uint256 socialised);

    event InterestAccrued(uint256 borrowIndex, uint256 interest, uint256 toInsurance);

    event CollateralListed(address indexed asset, uint8 index, uint8 decimals, uint256 ltv, uint256 lt);
    event CollateralParamsSet(address indexed asset, uint256 ltv, uint256 lt);
    event RiskParamsSet(RiskParams params);
    event RateModelSet(RateModel model);
    /// @notice A change that can lower someone's health was proposed; anyone may apply it from `validAt`.
    event RiskParamsProposed(RiskParams params, uint256 validAt);
    event RateModelProposed(RateModel model, uint256 validAt);
    event CollateralParamsProposed(address indexed asset, uint256 ltv, uint256 lt, uint256 validAt);
    /// @notice The owner withdrew a proposed change (`kind`: "risk", "rate" or "collateral"; `asset` for the last).
    event ProposalCancelled(string kind, address indexed asset);
    event OwnerSet(address indexed owner);
    event GuardianSet(address indexed guardian);
    event MarketPauseSet(bool borrowPaused, bool withdrawPaused);
    event CollateralPauseSet(address indexed asset, bool paused);
}
