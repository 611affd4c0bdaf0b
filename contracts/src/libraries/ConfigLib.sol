// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";

import {IPriceOracle} from "../interfaces/IPriceOracle.sol";
import {
    CollateralConfig,
    CollateralSlot,
    MarketConfig,
    PendingCollateralParams,
    PendingRateModel,
    PendingRiskParams,
    RateModel,
    RiskParams
} from "./Types.sol";
import {ErrorsLib} from "./ErrorsLib.sol";
import {EventsLib} from "./EventsLib.sol";
import {RiskMath} from "./RiskMath.sol";
import {PackedLib} from "./PackedLib.sol";

/// @title ConfigLib
/// @notice The market's governance: listing, validated parameters and delayed changes (docs/liquidation.md R5).
/// @dev External (`public`) functions, delegate-called by the market on its own storage: none of this runs on a
/// borrower's or liquidator's path, and moving it out keeps the market under the EIP-170 size limit. Events are
/// emitted from the market's address.
library ConfigLib {
    uint256 internal constant WAD = 1e18;
    uint256 internal constant MAX_COLLATERALS = 8;
    uint256 internal constant MAX_BONUS = 0.2e18;
    uint256 internal constant MAX_TARGET_HEALTH = 1.5e18;
    uint256 internal constant MAX_DURATION = 7 days;
    uint256 internal constant MAX_YEARLY_RATE = 10e18;

    /// @notice Validates and stores the initial parameters (constructor).
    function initialise(MarketConfig storage c, RiskParams memory risk, RateModel memory rates) public {
        validateRiskParams(c, risk, 0);
        validateRateModel(rates);
        c.risk = PackedLib.pack(risk);
        c.rates = PackedLib.pack(rates);
        emit EventsLib.RiskParamsSet(risk);
        emit EventsLib.RateModelSet(rates);
    }

    /// @notice Lists `token` (at most 8 collaterals); its feed must answer a valid, fresh price.
    function listCollateral(
        MarketConfig storage c,
        IPriceOracle oracle,
        address loanAsset,
        address token,
        uint64 ltv,
        uint64 lt
    ) public {
        if (token == address(0)) revert ErrorsLib.ZeroAddress();
        if (token == loanAsset || c.slotOf[token] != 0) revert ErrorsLib.CollateralAlreadyListed(token);
        uint256 index = count(c);
        if (index >= MAX_COLLATERALS) revert ErrorsLib.TooManyCollaterals();
        uint8 decimals = IERC20Metadata(token).decimals();
        if (decimals > 36) revert ErrorsLib.UnsupportedDecimals(token, decimals);
        validateCollateral(ltv, lt);
        validateRiskParams(c, PackedLib.unpack(c.risk), lt);
        oracle.price(token); // reverts with the oracle's error unless the feed is live (R7)
        c.collaterals[index] = CollateralSlot({
            asset: token, ltvPpm: PackedLib.toPpm(ltv), ltPpm: PackedLib.toPpm(lt), decimals: decimals, paused: false
        });
        c.slotOf[token] = index + 1;
        // Cast is safe: index < MAX_COLLATERALS (8), checked above.
        emit EventsLib.CollateralListed(token, uint8(index), decimals, ltv, lt);
    }

    /// @notice A lower threshold can lower health: proposed, applicable after `delay`. Anything else applies now.
    function setCollateralParams(MarketConfig storage c, address asset, uint64 ltv, uint64 lt, uint256 delay) public {
        CollateralConfig memory cfg = config(c, asset);
        if (!cfg.listed) revert ErrorsLib.CollateralNotListed(asset);
        validateCollateral(ltv, lt);
        if (lt < cfg.lt) {
            uint256 validAt = block.timestamp + delay;
            // Cast is safe: a timestamp plus at most 7 days fits 64 bits.
            c.pendingCollateral[asset] = PendingCollateralParams(ltv, lt, uint64(validAt));
            emit EventsLib.CollateralParamsProposed(asset, ltv, lt, validAt);
            return;
        }
        _applyCollateralParams(c, asset, ltv, lt);
    }

    function acceptCollateralParams(MarketConfig storage c, address asset) public {
        PendingCollateralParams memory pending = c.pendingCollateral[asset];
        _checkReady(pending.validAt);
        delete c.pendingCollateral[asset];
        _applyCollateralParams(c, asset, pending.ltv, pending.lt);
    }

    function proposeRiskParams(MarketConfig storage c, RiskParams memory params, uint256 delay) public {
        validateRiskParams(c, params, 0);
        uint256 validAt = block.timestamp + delay;
        // Cast is safe: a timestamp plus at most 7 days fits 64 bits.
        c.pendingRisk = PendingRiskParams(params, uint64(validAt));
        emit EventsLib.RiskParamsProposed(params, validAt);
    }

    function acceptRiskParams(MarketConfig storage c) public {
        PendingRiskParams memory pending = c.pendingRisk;
        _checkReady(pending.validAt);
        delete c.pendingRisk;
        // Validated again: a collateral listed or changed since the proposal may make the set invalid.
        validateRiskParams(c, pending.params, 0);
        c.risk = PackedLib.pack(pending.params);
        emit EventsLib.RiskParamsSet(pending.params);
    }

    function proposeRateModel(MarketConfig storage c, RateModel memory model, uint256 delay) public {
        validateRateModel(model);
        uint256 validAt = block.timestamp + delay;
        // Cast is safe: a timestamp plus at most 7 days fits 64 bits.
        c.pendingRate = PendingRateModel(model, uint64(validAt));
        emit EventsLib.RateModelProposed(model, validAt);
    }

    /// @notice Removes and returns the proposed rate curve once ready; the market accrues under the old curve and
    /// then stores it.
    function takeRateModel(MarketConfig storage c) public returns (RateModel memory model) {
        PendingRateModel memory pending = c.pendingRate;
        _checkReady(pending.validAt);
        delete c.pendingRate;
        return pending.model;
    }

    /// @notice Withdraws a proposal: `kind` 0 risk parameters, 1 rate curve, 2 collateral `asset`.
    function cancelProposal(MarketConfig storage c, uint256 kind, address asset) public {
        if (kind == 0) {
            if (c.pendingRisk.validAt == 0) revert ErrorsLib.NoPendingChange();
            delete c.pendingRisk;
            emit EventsLib.ProposalCancelled("risk", address(0));
        } else if (kind == 1) {
            if (c.pendingRate.validAt == 0) revert ErrorsLib.NoPendingChange();
            delete c.pendingRate;
            emit EventsLib.ProposalCancelled("rate", address(0));
        } else {
            if (c.pendingCollateral[asset].validAt == 0) revert ErrorsLib.NoPendingChange();
            delete c.pendingCollateral[asset];
            emit EventsLib.ProposalCancelled("collateral", asset);
        }
    }

    function validateCollateral(uint64 ltv, uint64 lt) public pure {
        if (lt == 0 || lt >= WAD || ltv >= lt) revert ErrorsLib.InvalidLtv(ltv, lt);
        PackedLib.toPpm(ltv); // stored in millionths: reverts unless whole ones
        PackedLib.toPpm(lt);
    }

    /// @notice How many collaterals are listed (they fill the slots in order).
    function count(MarketConfig storage c) internal view returns (uint256 n) {
        while (n < MAX_COLLATERALS && c.collaterals[n].asset != address(0)) ++n;
    }

    /// @notice The configuration of `asset` (`listed` false when it is not listed).
    function config(MarketConfig storage c, address asset) internal view returns (CollateralConfig memory cfg) {
        uint256 slot = c.slotOf[asset];
        if (slot != 0) cfg = PackedLib.toConfig(c.collaterals[slot - 1], slot - 1);
    }

    /// @notice `extraLt` is a threshold about to be listed. Enforces docs/liquidation.md: (5) every soft bonus raises
    /// health, (1 + softBonusMax) * maxLT < hardHealth; (6) every bonus keeps the target repay defined,
    /// (1 + hardBonus) * maxLT < 1 <= targetHealth; a grace floor inside the soft zone; "just enough" hard
    /// liquidations (a close factor only for the conventional comparator, hardHealth = 1).
    function validateRiskParams(MarketConfig storage c, RiskParams memory p, uint256 extraLt) public view {
        if (p.softBonusMin > p.softBonusMax || p.softBonusMax > p.hardBonus || p.hardBonus > MAX_BONUS) {
            revert ErrorsLib.InvalidBonus();
        }
        if (p.hardHealth > WAD || p.hardHealth == 0) revert ErrorsLib.InvalidHardHealth(p.hardHealth, 0);
        if (p.graceFloor < p.hardHealth || p.graceFloor > WAD) revert ErrorsLib.InvalidGraceFloor(p.graceFloor);
        if (p.targetHealth < WAD || p.targetHealth > MAX_TARGET_HEALTH) {
            revert ErrorsLib.InvalidTargetHealth(p.targetHealth);
        }
        if (p.sliceCap == 0 || p.sliceCap > WAD) revert ErrorsLib.InvalidFraction(p.sliceCap);
        if (p.hardCloseFactor > WAD || (p.hardCloseFactor != 0 && p.hardHealth != WAD)) {
            revert ErrorsLib.InvalidFraction(p.hardCloseFactor);
        }
        if (p.gracePeriod > MAX_DURATION) revert ErrorsLib.InvalidDuration(p.gracePeriod);
        if (p.sliceInterval > MAX_DURATION) revert ErrorsLib.InvalidDuration(p.sliceInterval);
        if (p.bonusRamp == 0 || p.bonusRamp > MAX_DURATION) revert ErrorsLib.InvalidDuration(p.bonusRamp);
        PackedLib.pack(p); // stored in millionths: reverts unless every ratio is a whole number of them

        uint256 maxLt = extraLt;
        for (uint256 i; i < MAX_COLLATERALS; ++i) {
            uint256 lt = PackedLib.lt(c.collaterals[i]); // 0 for a free slot
            if (lt > maxLt) maxLt = lt;
        }
        uint256 minHardHealth = RiskMath.mulDivUp(WAD + p.softBonusMax, maxLt, WAD);
        if (p.hardHealth <= minHardHealth) revert ErrorsLib.InvalidHardHealth(p.hardHealth, minHardHealth);
        if (RiskMath.mulDivUp(WAD + p.hardBonus, maxLt, WAD) >= WAD) revert ErrorsLib.InvalidBonus();
    }

    function validateRateModel(RateModel memory m) public pure {
        if (m.kink == 0 || m.kink >= WAD || m.reserveFactor > WAD) revert ErrorsLib.InvalidRateModel();
        if (uint256(m.baseRate) + m.slope1 + m.slope2 > MAX_YEARLY_RATE) revert ErrorsLib.InvalidRateModel();
        PackedLib.pack(m); // stored in millionths: reverts unless every field is a whole number of them
    }

    function _applyCollateralParams(MarketConfig storage c, address asset, uint64 ltv, uint64 lt) private {
        CollateralSlot storage s = c.collaterals[c.slotOf[asset] - 1];
        (s.ltvPpm, s.ltPpm) = (PackedLib.toPpm(ltv), PackedLib.toPpm(lt));
        // Checked with the new threshold in place; an invalid one reverts the whole change.
        validateRiskParams(c, PackedLib.unpack(c.risk), 0);
        emit EventsLib.CollateralParamsSet(asset, ltv, lt);
    }

    function _checkReady(uint256 validAt) private view {
        if (validAt == 0) revert ErrorsLib.NoPendingChange();
        if (block.timestamp < validAt) revert ErrorsLib.ChangeNotReady(validAt);
    }
}
