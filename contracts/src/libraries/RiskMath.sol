// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {RiskParams, Zone} from "./Types.sol";

/// @title RiskMath
/// @notice The protocol's health and liquidation arithmetic, shared by the market and the lens (and mirrored
/// wei-for-wei by `lib/risk` in the app).
/// @dev Rounding always favours the protocol: collateral values and seized amounts round down, debt rounds up,
/// caps round down. Values are WAD USD.
library RiskMath {
    uint256 internal constant WAD = 1e18;

    function mulDivDown(uint256 x, uint256 y, uint256 d) internal pure returns (uint256) {
        return Math.mulDiv(x, y, d);
    }

    function mulDivUp(uint256 x, uint256 y, uint256 d) internal pure returns (uint256) {
        return Math.mulDiv(x, y, d, Math.Rounding.Ceil);
    }

    function min(uint256 a, uint256 b) internal pure returns (uint256) {
        return a < b ? a : b;
    }

    /// @notice USD value (WAD) of `amount` base units of a token with `decimals`, at `price` per whole token. Rounds down.
    function collateralValue(uint256 amount, uint256 price, uint8 decimals) internal pure returns (uint256) {
        return mulDivDown(amount, price, 10 ** decimals);
    }

    /// @notice USD value (WAD) of `amount` of debt. Rounds up.
    function debtValue(uint256 amount, uint256 price, uint8 decimals) internal pure returns (uint256) {
        return mulDivUp(amount, price, 10 ** decimals);
    }

    /// @notice Debt in loan-asset units from scaled debt and the borrow index. Rounds up.
    function debtFromScaled(uint256 scaledDebt, uint256 borrowIndex) internal pure returns (uint256) {
        return mulDivUp(scaledDebt, borrowIndex, WAD);
    }

    /// @notice HF = collateralPower / debtValue as a WAD, rounded down; `type(uint256).max` without debt.
    function healthFactor(uint256 collateralPower, uint256 debtValue_) internal pure returns (uint256) {
        if (debtValue_ == 0) return type(uint256).max;
        return mulDivDown(collateralPower, WAD, debtValue_);
    }

    function zoneOf(uint256 hf, uint256 hardHealth) internal pure returns (Zone) {
        if (hf >= WAD) return Zone.HEALTHY;
        if (hf >= hardHealth) return Zone.SOFT;
        return Zone.HARD;
    }

    /// @notice The soft bonus: a Dutch auction over health, from `softBonusMin` at HF 1 to `softBonusMax` at
    /// `hardHealth`. Rounds down (in the borrower's favour). Only meaningful for hardHealth <= hf < 1.
    function softBonus(uint256 hf, RiskParams memory p) internal pure returns (uint256) {
        uint256 depth = mulDivDown(uint256(p.softBonusMax) - p.softBonusMin, WAD - hf, WAD - p.hardHealth);
        return p.softBonusMin + depth;
    }

    /// @notice Repay (in value) that brings HF to `targetHealth` through a collateral with threshold `lt`:
    /// R = (T * debtValue - power) / (T - (1 + b) * lt). Rounds down so a slice never overshoots the target.
    /// @dev Callers guarantee T > (1 + b) * lt (configuration validation); returns 0 when already at the target.
    function repayToTargetValue(uint256 power, uint256 debtValue_, uint256 targetHealth, uint256 onePlusBonus, uint256 lt)
        internal
        pure
        returns (uint256)
    {
        uint256 targetPower = mulDivDown(targetHealth, debtValue_, WAD);
        if (targetPower <= power) return 0;
        uint256 denominator = targetHealth - mulDivDown(onePlusBonus, lt, WAD);
        return mulDivDown(targetPower - power, WAD, denominator);
    }

    /// @notice Converts a USD value (WAD) to loan-asset units at `price`. Rounds down.
    function valueToAmount(uint256 value, uint256 price, uint8 decimals) internal pure returns (uint256) {
        return mulDivDown(value, 10 ** decimals, price);
    }

    /// @notice Collateral seized for repaying `repay` of debt with `onePlusBonus`:
    /// seized = value(repay) * (1 + b) / price_c. Every step rounds down.
    function seizedFor(
        uint256 repay,
        uint256 loanPrice,
        uint8 loanDecimals,
        uint256 onePlusBonus,
        uint256 collateralPrice,
        uint8 collateralDecimals
    ) internal pure returns (uint256) {
        uint256 repayValue = mulDivDown(repay, loanPrice, 10 ** loanDecimals);
        uint256 seizedValue = mulDivDown(repayValue, onePlusBonus, WAD);
        return mulDivDown(seizedValue, 10 ** collateralDecimals, collateralPrice);
    }
}
