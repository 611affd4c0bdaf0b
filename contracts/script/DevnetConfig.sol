// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {RateModel, RiskParams} from "../src/libraries/Types.sol";

/// @title DevnetConfig
/// @notice The DESIGN devnet defaults, shared by the deploy script and the tests.
library DevnetConfig {
    /// @notice Seconds before a proposed parameter change applies on the devnet (a public chain needs >= 1 day).
    uint256 internal constant PARAM_DELAY = 60;

    /// @notice Soft mode (docs/liquidation.md): auction 0.3% → 1% over 30 min (plus depth), hard zone below 0.88
    /// up to 8% while health still rises, no grace below HF 0.97, target 1.02, slices of 10% of the debt at HF 1
    /// growing to 100% at 0.88, 600 s grace, 300 s spacing at HF 1 shrinking to 0 at 0.88.
    function softRiskParams() internal pure returns (RiskParams memory) {
        return RiskParams({
            softBonusMin: 0.003e18,
            softBonusMax: 0.01e18,
            hardBonus: 0.08e18,
            hardHealth: 0.88e18,
            graceFloor: 0.97e18,
            targetHealth: 1.02e18,
            sliceCap: 0.1e18,
            hardCloseFactor: 0,
            gracePeriod: 600,
            sliceInterval: 300,
            bonusRamp: 1800
        });
    }

    /// @notice Conventional mode, the Aave-v3-like comparator (DESIGN §2.4.9): no soft zone (hardHealth = 1), 50%
    /// close factor, 8% bonus (capped, as every bonus here, so a liquidation never lowers health). Its soft auction
    /// never runs; `softBonusMax` (2%) is what an insolvent account is closed at.
    function conventionalRiskParams() internal pure returns (RiskParams memory p) {
        p = softRiskParams();
        p.softBonusMin = 0.005e18;
        p.softBonusMax = 0.02e18;
        p.bonusRamp = 600;
        p.hardHealth = 1e18;
        p.graceFloor = 1e18;
        p.hardCloseFactor = 0.5e18;
        p.hardBonus = 0.08e18;
    }

    /// @notice 0% base, 4% at the 80% kink, +75% above it; 10% of interest to the insurance fund.
    function rateModel() internal pure returns (RateModel memory) {
        return RateModel({baseRate: 0, slope1: 0.04e18, slope2: 0.75e18, kink: 0.8e18, reserveFactor: 0.1e18});
    }
}
