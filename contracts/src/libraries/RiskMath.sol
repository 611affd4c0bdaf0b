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
    /// @notice Margin kept below the break-even bonus in HARD, so rounding cannot turn a liquidation against health.
    uint256 internal constant HEALTH_MARGIN = 0.001e18;

    /// @notice floor(x * y / d), exact for every input. Panics when d = 0.
    /// @dev Every product the protocol forms fits in 256 bits in practice, so the one-word division runs; the 512-bit
    /// one (OpenZeppelin's) is the fallback that keeps the result exact when it does not: same answer, less gas.
    function mulDivDown(uint256 x, uint256 y, uint256 d) internal pure returns (uint256) {
        bool fits;
        assembly ("memory-safe") {
            fits := or(iszero(x), eq(div(mul(x, y), x), y))
        }
        if (!fits) return Math.mulDiv(x, y, d);
        unchecked {
            return x * y / d; // the product fits (checked above); division by 0 still panics
        }
    }

    /// @notice ceil(x * y / d), exact for every input. Panics when d = 0.
    function mulDivUp(uint256 x, uint256 y, uint256 d) internal pure returns (uint256) {
        return mulDivDown(x, y, d) + (mulmod(x, y, d) != 0 ? 1 : 0);
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

    /// @notice Depth in the soft zone: (1 - hf) / (1 - hardHealth) as a WAD, 0 at HF >= 1 and WAD at or below
    /// `hardHealth`. Rounds down. (docs/liquidation.md, "Zones and parameters".)
    function depth(uint256 hf, uint256 hardHealth) internal pure returns (uint256) {
        if (hf >= WAD) return 0;
        if (hf <= hardHealth) return WAD;
        return mulDivDown(WAD - hf, WAD, WAD - hardHealth);
    }

    /// @notice Spacing between soft slices at depth `d`: sliceInterval * (1 - d), rounded down (R2).
    function intervalAtDepth(uint256 d, uint256 sliceInterval) internal pure returns (uint256) {
        return mulDivDown(sliceInterval, WAD - d, WAD);
    }

    /// @notice Share of the debt a soft slice may repay at depth `d`: sliceCap + (1 - sliceCap) * d, rounded down (R2).
    function shareAtDepth(uint256 d, uint256 sliceCap) internal pure returns (uint256) {
        return sliceCap + mulDivDown(WAD - sliceCap, d, WAD);
    }

    /// @notice The soft bonus: an auction that opens at softBonusMin + (max - min) * d and climbs to softBonusMax
    /// over `bonusRamp` seconds after the slice became allowed (R3, formula (3)). Rounds down.
    function softBonus(uint256 d, uint256 elapsed, RiskParams memory p) internal pure returns (uint256) {
        uint256 tau = elapsed >= p.bonusRamp ? WAD : mulDivDown(elapsed, WAD, p.bonusRamp);
        uint256 weight = d + tau > WAD ? WAD : d + tau;
        return p.softBonusMin + mulDivDown(uint256(p.softBonusMax) - p.softBonusMin, weight, WAD);
    }

    /// @notice The hard bonus through a collateral with threshold `lt`: the largest b <= `hardBonus` with
    /// (1 + b) * lt <= hf * (1 - HEALTH_MARGIN), so the liquidation still raises health (R3, formula (4)).
    /// @return bonus The bonus, rounded down.
    /// @return ok False when even a zero bonus cannot raise health through this collateral.
    function hardBonusFor(uint256 hf, uint256 lt, uint256 hardBonus) internal pure returns (uint256 bonus, bool ok) {
        uint256 onePlusMax = mulDivDown(mulDivDown(hf, WAD - HEALTH_MARGIN, WAD), WAD, lt);
        if (onePlusMax < WAD) return (0, false);
        return (min(onePlusMax - WAD, hardBonus), true);
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
