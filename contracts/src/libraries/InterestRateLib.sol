// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {RiskMath} from "./RiskMath.sol";
import {RateModel} from "./Types.sol";

/// @title InterestRateLib
/// @notice Kinked utilisation curve and per-second compounding. Every step rounds down except the index update,
/// which the market rounds up (debt favours the protocol).
library InterestRateLib {
    uint256 internal constant WAD = 1e18;
    uint256 internal constant SECONDS_PER_YEAR = 365 days;

    /// @notice Borrowed share of what lenders supplied, as a WAD in [0, 1].
    function utilization(uint256 totalDebt, uint256 supplied) internal pure returns (uint256) {
        if (supplied == 0 || totalDebt == 0) return 0;
        if (totalDebt >= supplied) return WAD;
        return RiskMath.mulDivDown(totalDebt, WAD, supplied);
    }

    /// @notice Yearly borrow rate at utilisation `u`: base + slope1 * u / kink below the kink,
    /// base + slope1 + slope2 * (u - kink) / (1 - kink) above it.
    function borrowRatePerYear(RateModel memory m, uint256 u) internal pure returns (uint256) {
        if (u <= m.kink) return m.baseRate + RiskMath.mulDivDown(m.slope1, u, m.kink);
        return uint256(m.baseRate) + m.slope1 + RiskMath.mulDivDown(m.slope2, u - m.kink, WAD - m.kink);
    }

    function borrowRatePerSecond(RateModel memory m, uint256 u) internal pure returns (uint256) {
        return borrowRatePerYear(m, u) / SECONDS_PER_YEAR;
    }

    /// @notice Growth beyond which compounding saturates: a 10^18-fold increase (as a WAD). The market caps its
    /// borrow index at the same figure, so no product below can overflow however long interest went unaccrued.
    uint256 internal constant MAX_GROWTH = 1e36;

    /// @notice min((1 + ratePerSecond) ** elapsed, MAX_GROWTH) as a WAD, by exponentiation by squaring, each product
    /// rounded down.
    /// @dev Once a squared base exceeds MAX_GROWTH, a remaining bit of `elapsed` will multiply the result by at least
    /// that base, so the result saturates; every product stays below MAX_GROWTH ** 2 = 1e72 < 2 ** 256.
    function compound(uint256 ratePerSecond, uint256 elapsed) internal pure returns (uint256 z) {
        uint256 x = WAD + ratePerSecond;
        z = elapsed % 2 != 0 ? x : WAD;
        for (elapsed /= 2; elapsed != 0; elapsed /= 2) {
            x = x * x / WAD;
            if (x > MAX_GROWTH) return MAX_GROWTH;
            if (elapsed % 2 != 0) z = z * x / WAD;
            if (z > MAX_GROWTH) return MAX_GROWTH;
        }
    }
}
