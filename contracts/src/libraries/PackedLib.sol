// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {
    CollateralConfig,
    CollateralSlot,
    PackedRateModel,
    PackedRiskParams,
    RateModel,
    RiskParams
} from "./Types.sol";
import {ErrorsLib} from "./ErrorsLib.sol";

/// @title PackedLib
/// @notice The market's configuration as stored: every ratio in millionths (uint32), so a collateral fits one storage
/// slot with its address, the rate curve one slot and the liquidation parameters two. Every borrower and keeper
/// action reads them cold, and each slot saved is 2 100 gas on each of those actions.
/// @dev Ratios are only accepted when they are whole millionths (`toPpm` reverts otherwise), so unpacking gives back
/// exactly the WAD that was set, and the app's mirror of the arithmetic (lib/risk) needs no rounding of its own.
library PackedLib {
    /// @notice A millionth as a WAD.
    uint256 internal constant PPM = 1e12;

    /// @notice `ratio` (a WAD) in millionths; reverts unless it is a whole number of them.
    function toPpm(uint64 ratio) internal pure returns (uint32) {
        if (ratio % PPM != 0) revert ErrorsLib.RatioNotWholePpm(ratio);
        // Cast is safe: ratio / 1e12 <= (2^64 - 1) / 1e12 < 2^25.
        return uint32(ratio / PPM);
    }

    /// @dev Only applied to what `toPpm` stored, so the result is the uint64 ratio that was set.
    function fromPpm(uint32 ppm) internal pure returns (uint64) {
        unchecked {
            // Cast is safe: ppm came from toPpm(ratio) with ratio a uint64, so ppm * 1e12 == ratio.
            return uint64(uint256(ppm) * PPM);
        }
    }

    function lt(CollateralSlot memory s) internal pure returns (uint256) {
        return fromPpm(s.ltPpm);
    }

    function ltv(CollateralSlot memory s) internal pure returns (uint256) {
        return fromPpm(s.ltvPpm);
    }

    /// @notice The public view of the collateral at `index`.
    function toConfig(CollateralSlot memory s, uint256 index) internal pure returns (CollateralConfig memory) {
        return CollateralConfig({
            listed: s.asset != address(0),
            paused: s.paused,
            // Cast is safe: indexes are below MAX_COLLATERALS (8).
            index: uint8(index),
            decimals: s.decimals,
            ltv: fromPpm(s.ltvPpm),
            lt: fromPpm(s.ltPpm)
        });
    }

    /// @dev Durations are at most 7 days (validated), far below 2^32 seconds.
    function pack(RiskParams memory p) internal pure returns (PackedRiskParams memory) {
        return PackedRiskParams({
            softBonusMin: toPpm(p.softBonusMin),
            softBonusMax: toPpm(p.softBonusMax),
            hardBonus: toPpm(p.hardBonus),
            hardHealth: toPpm(p.hardHealth),
            graceFloor: toPpm(p.graceFloor),
            targetHealth: toPpm(p.targetHealth),
            sliceCap: toPpm(p.sliceCap),
            hardCloseFactor: toPpm(p.hardCloseFactor),
            gracePeriod: p.gracePeriod,
            sliceInterval: p.sliceInterval,
            bonusRamp: p.bonusRamp
        });
    }

    function unpack(PackedRiskParams memory p) internal pure returns (RiskParams memory) {
        return RiskParams({
            softBonusMin: fromPpm(p.softBonusMin),
            softBonusMax: fromPpm(p.softBonusMax),
            hardBonus: fromPpm(p.hardBonus),
            hardHealth: fromPpm(p.hardHealth),
            graceFloor: fromPpm(p.graceFloor),
            targetHealth: fromPpm(p.targetHealth),
            sliceCap: fromPpm(p.sliceCap),
            hardCloseFactor: fromPpm(p.hardCloseFactor),
            gracePeriod: p.gracePeriod,
            sliceInterval: p.sliceInterval,
            bonusRamp: p.bonusRamp
        });
    }

    function pack(RateModel memory m) internal pure returns (PackedRateModel memory) {
        return PackedRateModel({
            baseRate: toPpm(m.baseRate),
            slope1: toPpm(m.slope1),
            slope2: toPpm(m.slope2),
            kink: toPpm(m.kink),
            reserveFactor: toPpm(m.reserveFactor)
        });
    }

    function unpack(PackedRateModel memory m) internal pure returns (RateModel memory) {
        return RateModel({
            baseRate: fromPpm(m.baseRate),
            slope1: fromPpm(m.slope1),
            slope2: fromPpm(m.slope2),
            kink: fromPpm(m.kink),
            reserveFactor: fromPpm(m.reserveFactor)
        });
    }
}
