// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {RateModel, RiskParams} from "../src/libraries/Types.sol";

/// @title DevnetConfig
/// @notice The DESIGN devnet defaults, shared by the deploy script and the tests.
library DevnetConfig {
    /// @notice Soft mode (DESIGN §2.4): 0.5–3% soft bonus, 8% hard bonus below HF 0.95, target 1.02,
    /// slices of at most 10% of debt, 600 s grace, 300 s between slices, hard close factor 100%.
    function softRiskParams() internal pure returns (RiskParams memory) {
        return RiskParams({
            softBonusMin: 0.005e18,
            softBonusMax: 0.03e18,
            hardBonus: 0.08e18,
            hardHealth: 0.95e18,
            targetHealth: 1.02e18,
            sliceCap: 0.1e18,
            hardCloseFactor: 1e18,
            gracePeriod: 600,
            sliceInterval: 300
        });
    }

    /// @notice Conventional mode (DESIGN §2.4.7): no soft zone (hardHealth = 1), 50% close factor, 8% bonus.
    function conventionalRiskParams() internal pure returns (RiskParams memory p) {
        p = softRiskParams();
        p.hardHealth = 1e18;
        p.hardCloseFactor = 0.5e18;
        p.hardBonus = 0.08e18;
    }

    /// @notice 0% base, 4% at the 80% kink, +75% above it; 10% of interest to the insurance fund.
    function rateModel() internal pure returns (RateModel memory) {
        return RateModel({baseRate: 0, slope1: 0.04e18, slope2: 0.75e18, kink: 0.8e18, reserveFactor: 0.1e18});
    }
}
