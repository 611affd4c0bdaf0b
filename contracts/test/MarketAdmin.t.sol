// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {BaseTest} from "./utils/BaseTest.sol";
import {SoftLandingMarket} from "../src/SoftLandingMarket.sol";
import {AggregatorV3Interface} from "../src/interfaces/AggregatorV3Interface.sol";
import {IPriceOracle} from "../src/interfaces/IPriceOracle.sol";
import {MockERC20} from "../src/mocks/MockERC20.sol";
import {MockAggregator} from "../src/mocks/MockAggregator.sol";
import {ErrorsLib} from "../src/libraries/ErrorsLib.sol";
import {EventsLib} from "../src/libraries/EventsLib.sol";
import {CollateralConfig, RateModel, RiskParams} from "../src/libraries/Types.sol";
import {DevnetConfig} from "../script/DevnetConfig.sol";

/// @notice Governance, configuration validation, the guardian's breaker and the plain views.
contract MarketAdminTest is BaseTest {
    /// @dev Hand-worked figures below assume the worked-example auction (0.5% → 2% over 600 s).
    function _riskParams() internal pure override returns (RiskParams memory) {
        return _workedExampleRiskParams();
    }

    function _newToken(uint8 decimals) internal returns (MockERC20) {
        return new MockERC20("T", "T", decimals);
    }

    /// @dev A live 100 USD feed for `t`, one-hour heartbeat.
    function _feed(MockERC20 t) internal returns (MockAggregator feed) {
        feed = new MockAggregator(8, "T / USD", 100e8);
        vm.prank(owner);
        oracle.setFeed(address(t), AggregatorV3Interface(address(feed)), 1 hours);
    }

    function _expectRiskRevert(RiskParams memory p, bytes memory err) internal {
        vm.expectRevert(err);
        vm.prank(owner);
        market.setRiskParams(p);
    }

    // ───────────────────────────── constructor ─────────────────────────────

    function test_constructor_setsStateAndEmits() public {
        vm.expectEmit();
        emit EventsLib.OwnerSet(owner);
        vm.expectEmit();
        emit EventsLib.GuardianSet(owner);
        SoftLandingMarket m = new SoftLandingMarket(
            IERC20Metadata(address(usdc)),
            IPriceOracle(address(oracle)),
            "M",
            "M",
            owner,
            _riskParams(),
            DevnetConfig.rateModel(),
            DevnetConfig.PARAM_DELAY
        );
        assertEq(m.owner(), owner);
        assertEq(m.guardian(), owner);
        assertEq(m.borrowIndex(), WAD);
        assertEq(m.lastAccrual(), vm.getBlockTimestamp());
        assertEq(m.collaterals().length, 0);
        assertEq(abi.encode(m.riskParams()), abi.encode(_riskParams()));
        assertEq(abi.encode(m.rateModel()), abi.encode(DevnetConfig.rateModel()));
    }

    function test_constructor_rejectsZeroAddressesAndBadParams() public {
        RiskParams memory risk = _riskParams();
        RateModel memory rates = DevnetConfig.rateModel();
        IERC20Metadata loan = IERC20Metadata(address(usdc));
        vm.expectRevert(ErrorsLib.ZeroAddress.selector);
        new SoftLandingMarket(loan, IPriceOracle(address(0)), "M", "M", owner, risk, rates, DevnetConfig.PARAM_DELAY);
        vm.expectRevert(ErrorsLib.ZeroAddress.selector);
        new SoftLandingMarket(loan, IPriceOracle(address(oracle)), "M", "M", address(0), risk, rates, DevnetConfig.PARAM_DELAY);
        risk.targetHealth = 0.99e18;
        vm.expectRevert(abi.encodeWithSelector(ErrorsLib.InvalidTargetHealth.selector, 0.99e18));
        new SoftLandingMarket(loan, IPriceOracle(address(oracle)), "M", "M", owner, risk, rates, DevnetConfig.PARAM_DELAY);
        risk = _riskParams();
        rates.kink = 0;
        vm.expectRevert(ErrorsLib.InvalidRateModel.selector);
        new SoftLandingMarket(loan, IPriceOracle(address(oracle)), "M", "M", owner, risk, rates, DevnetConfig.PARAM_DELAY);
    }

    // ───────────────────────────── listCollateral ─────────────────────────────

    function test_listCollateral_recordsConfig() public {
        MockERC20 t = _newToken(12);
        _feed(t);
        vm.expectEmit(address(market));
        emit EventsLib.CollateralListed(address(t), 3, 12, 0.5e18, 0.6e18);
        vm.prank(owner);
        market.listCollateral(address(t), 0.5e18, 0.6e18);
        CollateralConfig memory c = market.collateralConfig(address(t));
        assertTrue(c.listed);
        assertFalse(c.paused);
        assertEq(c.index, 3);
        assertEq(c.decimals, 12);
        assertEq(c.ltv, 0.5e18);
        assertEq(c.lt, 0.6e18);
        address[] memory list = market.collaterals();
        assertEq(list.length, 4);
        assertEq(list[0], address(weth));
        assertEq(list[2], address(wbtc));
        assertEq(list[3], address(t));
        assertFalse(market.collateralConfig(address(0xdead)).listed);
    }

    function test_listCollateral_reverts() public {
        MockERC20 t = _newToken(18);
        // Listing needs a live feed (R7): none, then a stale one, then a reverting one.
        vm.expectRevert(abi.encodeWithSelector(ErrorsLib.FeedNotSet.selector, address(t)));
        vm.prank(owner);
        market.listCollateral(address(t), 0.5e18, 0.6e18);
        MockAggregator feed = _feed(t);
        feed.setAnswerAt(100e8, vm.getBlockTimestamp() - 2 hours);
        vm.expectRevert(abi.encodeWithSelector(ErrorsLib.StalePrice.selector, address(t), vm.getBlockTimestamp() - 2 hours, 1 hours));
        vm.prank(owner);
        market.listCollateral(address(t), 0.5e18, 0.6e18);
        feed.setReverting(true);
        vm.expectRevert(abi.encodeWithSelector(ErrorsLib.FeedReverted.selector, address(t)));
        vm.prank(owner);
        market.listCollateral(address(t), 0.5e18, 0.6e18);
        feed.setReverting(false);
        feed.setAnswer(100e8);

        vm.expectRevert(ErrorsLib.NotOwner.selector);
        market.listCollateral(address(t), 0.5e18, 0.6e18);

        vm.startPrank(owner);
        vm.expectRevert(ErrorsLib.ZeroAddress.selector);
        market.listCollateral(address(0), 0.5e18, 0.6e18);
        vm.expectRevert(abi.encodeWithSelector(ErrorsLib.CollateralAlreadyListed.selector, address(usdc)));
        market.listCollateral(address(usdc), 0.5e18, 0.6e18);
        vm.expectRevert(abi.encodeWithSelector(ErrorsLib.CollateralAlreadyListed.selector, address(weth)));
        market.listCollateral(address(weth), 0.5e18, 0.6e18);
        MockERC20 tooPrecise = _newToken(37);
        vm.expectRevert(abi.encodeWithSelector(ErrorsLib.UnsupportedDecimals.selector, address(tooPrecise), 37));
        market.listCollateral(address(tooPrecise), 0.5e18, 0.6e18);
        vm.expectRevert(abi.encodeWithSelector(ErrorsLib.InvalidLtv.selector, 0.6e18, 0.6e18));
        market.listCollateral(address(t), 0.6e18, 0.6e18);
        vm.expectRevert(abi.encodeWithSelector(ErrorsLib.InvalidLtv.selector, 0, 0));
        market.listCollateral(address(t), 0, 0);
        vm.expectRevert(abi.encodeWithSelector(ErrorsLib.InvalidLtv.selector, 0.5e18, 1e18));
        market.listCollateral(address(t), 0.5e18, 1e18);
        // An LT so high that a 2% soft bonus could lower health: hardHealth 0.88 <= 1.02 * 0.87.
        vm.expectRevert(abi.encodeWithSelector(ErrorsLib.InvalidHardHealth.selector, 0.88e18, 0.8874e18));
        market.listCollateral(address(t), 0.8e18, 0.87e18);
        vm.stopPrank();
    }

    function test_listCollateral_eightAtMost_andAnAccountCanUseAllEight() public {
        MockERC20[] memory extra = new MockERC20[](5);
        vm.startPrank(owner);
        for (uint256 i; i < 5; ++i) {
            extra[i] = _newToken(uint8(6 + 3 * i));
            MockAggregator feed = new MockAggregator(8, "X", 100e8);
            oracle.setFeed(address(extra[i]), AggregatorV3Interface(address(feed)), 365 days);
            market.listCollateral(address(extra[i]), 0.5e18, 0.6e18);
        }
        MockERC20 ninth = _newToken(18);
        vm.expectRevert(ErrorsLib.TooManyCollaterals.selector);
        market.listCollateral(address(ninth), 0.5e18, 0.6e18);
        vm.stopPrank();
        assertEq(market.collaterals().length, 8);
        assertEq(market.collateralConfig(address(extra[4])).index, 7);

        _depositCollateral(alice, weth, 1e18);
        _depositCollateral(alice, wsteth, 1e18);
        _depositCollateral(alice, wbtc, 0.1e8);
        uint256 power = 2550e18 + 2800e18 + 4680e18;
        uint256 borrowPower = 2400e18 + 2625e18 + 4380e18;
        for (uint256 i; i < 5; ++i) {
            _depositCollateral(alice, extra[i], 10 ** (6 + 3 * i)); // one whole token at 100 USD
            power += 60e18;
            borrowPower += 50e18;
        }
        (,,, uint8 mask) = market.accounts(alice);
        assertEq(mask, 0xff);
        _borrow(alice, borrowPower / 1e12);
        assertEq(market.healthFactor(alice), power * WAD / borrowPower);
        // The last bit clears like any other.
        _repay(alice, alice, type(uint256).max);
        vm.prank(alice);
        market.withdrawCollateral(address(extra[4]), 1e18, alice, alice);
        (,,, mask) = market.accounts(alice);
        assertEq(mask, 0x7f);
    }

    // ───────────────────────────── setCollateralParams ─────────────────────────────

    function test_setCollateralParams_raisingAThresholdAppliesAtOnce() public {
        vm.expectEmit(address(market));
        emit EventsLib.CollateralParamsSet(address(weth), 0.7e18, 0.86e18);
        vm.prank(owner);
        market.setCollateralParams(address(weth), 0.7e18, 0.86e18);
        assertEq(market.collateralConfig(address(weth)).ltv, 0.7e18);
        assertEq(market.collateralConfig(address(weth)).lt, 0.86e18);

        vm.expectRevert(ErrorsLib.NotOwner.selector);
        market.setCollateralParams(address(weth), 0.7e18, 0.75e18);
        vm.startPrank(owner);
        vm.expectRevert(abi.encodeWithSelector(ErrorsLib.CollateralNotListed.selector, address(usdc)));
        market.setCollateralParams(address(usdc), 0.7e18, 0.75e18);
        vm.expectRevert(abi.encodeWithSelector(ErrorsLib.InvalidLtv.selector, 0.8e18, 0.75e18));
        market.setCollateralParams(address(weth), 0.8e18, 0.75e18);
        vm.expectRevert(abi.encodeWithSelector(ErrorsLib.InvalidHardHealth.selector, 0.88e18, 0.8874e18));
        market.setCollateralParams(address(weth), 0.8e18, 0.87e18);
        vm.stopPrank();
        assertEq(market.collateralConfig(address(weth)).lt, 0.86e18, "a rejected change leaves nothing behind");
    }

    /// @dev The attack v1 allowed: the owner lowers a threshold and liquidates a healthy borrower in the same block.
    /// Now a lower threshold is only proposed; the borrower sees it (event) and has `paramDelay` to act.
    function test_setCollateralParams_loweringAThresholdIsDelayed() public {
        _openPosition(alice, weth, 10e18, 24_000e6); // HF 1.0625
        uint256 validAt = vm.getBlockTimestamp() + market.paramDelay();
        vm.expectEmit(address(market));
        emit EventsLib.CollateralParamsProposed(address(weth), 0.5e18, 0.6e18, validAt);
        vm.prank(owner);
        market.setCollateralParams(address(weth), 0.5e18, 0.6e18);
        assertEq(market.collateralConfig(address(weth)).lt, 0.85e18, "nothing changes yet");
        assertEq(market.healthFactor(alice), 1.0625e18);
        vm.expectRevert(abi.encodeWithSelector(ErrorsLib.HealthyAccount.selector, 1.0625e18));
        vm.prank(owner);
        market.flag(alice);
        vm.expectRevert(abi.encodeWithSelector(ErrorsLib.ChangeNotReady.selector, validAt));
        market.acceptCollateralParams(address(weth));

        _warp(market.paramDelay());
        vm.prank(bob); // anyone applies it once the delay is over
        market.acceptCollateralParams(address(weth));
        assertEq(market.collateralConfig(address(weth)).lt, 0.6e18);
        vm.expectRevert(ErrorsLib.NoPendingChange.selector);
        market.acceptCollateralParams(address(weth));
    }

    function test_cancelProposal() public {
        vm.startPrank(owner);
        market.setCollateralParams(address(weth), 0.5e18, 0.6e18);
        market.setRiskParams(_riskParams());
        market.setRateModel(DevnetConfig.rateModel());
        vm.expectEmit(address(market));
        emit EventsLib.ProposalCancelled("collateral", address(weth));
        market.cancelProposal(2, address(weth));
        market.cancelProposal(0, address(0));
        market.cancelProposal(1, address(0));
        vm.expectRevert(ErrorsLib.NoPendingChange.selector);
        market.cancelProposal(1, address(0));
        vm.stopPrank();
        vm.expectRevert(ErrorsLib.NotOwner.selector);
        market.cancelProposal(0, address(0));
        _warp(market.paramDelay());
        vm.expectRevert(ErrorsLib.NoPendingChange.selector);
        market.acceptCollateralParams(address(weth));
        vm.expectRevert(ErrorsLib.NoPendingChange.selector);
        market.acceptRiskParams();
        vm.expectRevert(ErrorsLib.NoPendingChange.selector);
        market.acceptRateModel();
    }

    function test_paramDelay_atLeastADayOutsideTheDevnet() public {
        assertEq(market.paramDelay(), DevnetConfig.PARAM_DELAY);
        IERC20Metadata loan = IERC20Metadata(address(usdc));
        RiskParams memory risk = _riskParams();
        RateModel memory rates = DevnetConfig.rateModel();
        vm.expectRevert(abi.encodeWithSelector(ErrorsLib.InvalidParamDelay.selector, 0, 1));
        new SoftLandingMarket(loan, IPriceOracle(address(oracle)), "M", "M", owner, risk, rates, 0);
        vm.chainId(1);
        vm.expectRevert(abi.encodeWithSelector(ErrorsLib.InvalidParamDelay.selector, 1 days - 1, 1 days));
        new SoftLandingMarket(loan, IPriceOracle(address(oracle)), "M", "M", owner, risk, rates, 1 days - 1);
        SoftLandingMarket m = new SoftLandingMarket(loan, IPriceOracle(address(oracle)), "M", "M", owner, risk, rates, 1 days);
        assertEq(m.paramDelay(), 1 days);
    }

    // ───────────────────────────── setRiskParams ─────────────────────────────

    function test_setRiskParams_proposedThenAppliedAfterTheDelay() public {
        RiskParams memory p = _riskParams();
        p.sliceCap = 0.25e18;
        p.gracePeriod = 7 days;
        uint256 validAt = vm.getBlockTimestamp() + market.paramDelay();
        vm.expectEmit(address(market));
        emit EventsLib.RiskParamsProposed(p, validAt);
        vm.prank(owner);
        market.setRiskParams(p);
        assertEq(market.riskParams().sliceCap, 0.1e18, "not yet");
        vm.expectRevert(abi.encodeWithSelector(ErrorsLib.ChangeNotReady.selector, validAt));
        market.acceptRiskParams();
        _warp(market.paramDelay());
        vm.expectEmit(address(market));
        emit EventsLib.RiskParamsSet(p);
        market.acceptRiskParams();
        assertEq(market.riskParams().sliceCap, 0.25e18);
        // The conventional set is valid too.
        _setRiskParams(DevnetConfig.conventionalRiskParams());
        assertEq(market.riskParams().hardHealth, 1e18);
    }

    function test_setRiskParams_rejectsHardHealthAtOrBelowSoftBonusBound() public {
        RiskParams memory p = _riskParams();
        // max LT is 0.85 (WETH): every soft slice raises health only if hardHealth > 1.02 * 0.85 = 0.867.
        p.hardHealth = 0.867e18;
        _expectRiskRevert(p, abi.encodeWithSelector(ErrorsLib.InvalidHardHealth.selector, 0.867e18, 0.867e18));
        p.hardHealth = 0.5e18;
        _expectRiskRevert(p, abi.encodeWithSelector(ErrorsLib.InvalidHardHealth.selector, 0.5e18, 0.867e18));
        p.hardHealth = 0.867001e18; // the next whole millionth
        _setRiskParams(p);
        p.softBonusMax = 0.08e18; // now 1.08 * 0.85 = 0.918 >= hardHealth
        _expectRiskRevert(p, abi.encodeWithSelector(ErrorsLib.InvalidHardHealth.selector, 0.867001e18, 0.918e18));
    }

    /// @dev Ratios are stored in millionths (PackedLib): anything finer is refused, never silently rounded.
    function test_ratiosMustBeWholeMillionths() public {
        RiskParams memory p = _riskParams();
        p.hardHealth = 0.867e18 + 1;
        _expectRiskRevert(p, abi.encodeWithSelector(ErrorsLib.RatioNotWholePpm.selector, 0.867e18 + 1));
        p = _riskParams();
        p.softBonusMin = 0.004e18 + 1e11;
        _expectRiskRevert(p, abi.encodeWithSelector(ErrorsLib.RatioNotWholePpm.selector, 0.004e18 + 1e11));

        RateModel memory m = DevnetConfig.rateModel();
        m.slope1 = 0.04e18 + 1;
        vm.expectRevert(abi.encodeWithSelector(ErrorsLib.RatioNotWholePpm.selector, 0.04e18 + 1));
        vm.prank(owner);
        market.setRateModel(m);

        MockERC20 t = _newToken(18);
        _feed(t);
        vm.startPrank(owner);
        vm.expectRevert(abi.encodeWithSelector(ErrorsLib.RatioNotWholePpm.selector, 0.6e18 + 1));
        market.listCollateral(address(t), 0.5e18, 0.6e18 + 1);
        vm.expectRevert(abi.encodeWithSelector(ErrorsLib.RatioNotWholePpm.selector, 0.5e18 + 1));
        market.listCollateral(address(t), 0.5e18 + 1, 0.6e18);
        market.listCollateral(address(t), 0.500001e18, 0.600001e18);
        vm.expectRevert(abi.encodeWithSelector(ErrorsLib.RatioNotWholePpm.selector, 0.7e18 + 1e6));
        market.setCollateralParams(address(t), 0.5e18, 0.7e18 + 1e6);
        vm.stopPrank();
        assertEq(market.collateralConfig(address(t)).lt, 0.600001e18, "stored exactly as set");
        assertEq(market.collateralConfig(address(t)).ltv, 0.500001e18, "stored exactly as set");
    }

    function test_setRiskParams_rejectsOutOfRangeValues() public {
        RiskParams memory p = _riskParams();
        vm.expectRevert(ErrorsLib.NotOwner.selector);
        market.setRiskParams(p);

        bytes memory bonus = abi.encodeWithSelector(ErrorsLib.InvalidBonus.selector);
        p.softBonusMin = 0.03e18; // above softBonusMax
        _expectRiskRevert(p, bonus);
        p = _riskParams();
        p.softBonusMax = 0.2e18 + 1;
        _expectRiskRevert(p, bonus);
        p = _riskParams();
        p.hardBonus = 0.2e18 + 1;
        _expectRiskRevert(p, bonus);
        p = _riskParams();
        p.hardBonus = 0.015e18; // below softBonusMax
        _expectRiskRevert(p, bonus);
        p = _riskParams();
        p.hardBonus = 0.18e18; // 1.18 * 0.85 >= 1: a hard liquidation at HF 1 would lower health
        _expectRiskRevert(p, bonus);

        p = _riskParams();
        p.hardHealth = 1e18 + 1;
        _expectRiskRevert(p, abi.encodeWithSelector(ErrorsLib.InvalidHardHealth.selector, 1e18 + 1, 0));
        p.hardHealth = 0;
        _expectRiskRevert(p, abi.encodeWithSelector(ErrorsLib.InvalidHardHealth.selector, 0, 0));

        p = _riskParams();
        p.targetHealth = 1e18 - 1;
        _expectRiskRevert(p, abi.encodeWithSelector(ErrorsLib.InvalidTargetHealth.selector, 1e18 - 1));
        p.targetHealth = 1.5e18 + 1;
        _expectRiskRevert(p, abi.encodeWithSelector(ErrorsLib.InvalidTargetHealth.selector, 1.5e18 + 1));

        p = _riskParams();
        p.sliceCap = 0;
        _expectRiskRevert(p, abi.encodeWithSelector(ErrorsLib.InvalidFraction.selector, 0));
        p.sliceCap = 1e18 + 1;
        _expectRiskRevert(p, abi.encodeWithSelector(ErrorsLib.InvalidFraction.selector, 1e18 + 1));
        p = _riskParams();
        p.hardCloseFactor = 0.5e18; // a fixed share is for the conventional comparator only (R4)
        _expectRiskRevert(p, abi.encodeWithSelector(ErrorsLib.InvalidFraction.selector, 0.5e18));
        p = DevnetConfig.conventionalRiskParams();
        p.hardCloseFactor = 1e18 + 1;
        _expectRiskRevert(p, abi.encodeWithSelector(ErrorsLib.InvalidFraction.selector, 1e18 + 1));

        p = _riskParams();
        p.graceFloor = 0.88e18 - 1; // below hardHealth
        _expectRiskRevert(p, abi.encodeWithSelector(ErrorsLib.InvalidGraceFloor.selector, 0.88e18 - 1));
        p.graceFloor = 1e18 + 1;
        _expectRiskRevert(p, abi.encodeWithSelector(ErrorsLib.InvalidGraceFloor.selector, 1e18 + 1));
        p = _riskParams();
        p.bonusRamp = 0;
        _expectRiskRevert(p, abi.encodeWithSelector(ErrorsLib.InvalidDuration.selector, 0));

        p = _riskParams();
        p.gracePeriod = 7 days + 1;
        _expectRiskRevert(p, abi.encodeWithSelector(ErrorsLib.InvalidDuration.selector, 7 days + 1));
        p = _riskParams();
        p.sliceInterval = 7 days + 1;
        _expectRiskRevert(p, abi.encodeWithSelector(ErrorsLib.InvalidDuration.selector, 7 days + 1));
    }

    // ───────────────────────────── setRateModel ─────────────────────────────

    function test_setRateModel() public {
        RateModel memory m = RateModel({baseRate: 0.01e18, slope1: 0.05e18, slope2: 1e18, kink: 0.9e18, reserveFactor: 0.2e18});
        uint256 validAt = vm.getBlockTimestamp() + market.paramDelay();
        vm.expectEmit(address(market));
        emit EventsLib.RateModelProposed(m, validAt);
        vm.prank(owner);
        market.setRateModel(m);
        vm.expectRevert(abi.encodeWithSelector(ErrorsLib.ChangeNotReady.selector, validAt));
        market.acceptRateModel();
        _warp(market.paramDelay());
        vm.expectEmit(address(market));
        emit EventsLib.RateModelSet(m);
        market.acceptRateModel();
        assertEq(abi.encode(market.rateModel()), abi.encode(m));
        assertEq(lens.getMarket(market).borrowRatePerYear, 0.01e18, "base rate at zero utilisation");

        vm.expectRevert(ErrorsLib.NotOwner.selector);
        market.setRateModel(m);
        vm.startPrank(owner);
        m.kink = 1e18;
        vm.expectRevert(ErrorsLib.InvalidRateModel.selector);
        market.setRateModel(m);
        m.kink = 0;
        vm.expectRevert(ErrorsLib.InvalidRateModel.selector);
        market.setRateModel(m);
        m.kink = 0.8e18;
        m.reserveFactor = 1e18 + 1;
        vm.expectRevert(ErrorsLib.InvalidRateModel.selector);
        market.setRateModel(m);
        m.reserveFactor = 0.1e18;
        m.slope2 = 10e18; // base + slope1 + slope2 > 1000% a year
        vm.expectRevert(ErrorsLib.InvalidRateModel.selector);
        market.setRateModel(m);
        vm.stopPrank();
    }

    // ───────────────────────────── owner, guardian, breaker ─────────────────────────────

    function test_setOwner() public {
        vm.expectRevert(ErrorsLib.NotOwner.selector);
        market.setOwner(alice);
        vm.expectRevert(ErrorsLib.ZeroAddress.selector);
        vm.prank(owner);
        market.setOwner(address(0));
        vm.expectEmit(address(market));
        emit EventsLib.OwnerSet(alice);
        vm.prank(owner);
        market.setOwner(alice);
        assertEq(market.owner(), alice);
        vm.expectRevert(ErrorsLib.NotOwner.selector);
        vm.prank(owner);
        market.setGuardian(owner);
    }

    function test_guardianPauses() public {
        vm.expectRevert(ErrorsLib.NotOwner.selector);
        market.setGuardian(bob);
        vm.expectEmit(address(market));
        emit EventsLib.GuardianSet(bob);
        vm.prank(owner);
        market.setGuardian(bob);
        assertEq(market.guardian(), bob);

        vm.expectEmit(address(market));
        emit EventsLib.MarketPauseSet(true, false);
        vm.prank(bob);
        market.setMarketPause(true, false);
        assertTrue(market.borrowPaused());
        assertFalse(market.withdrawPaused());
        vm.prank(owner); // the owner may pull the breaker too
        market.setMarketPause(false, true);
        assertFalse(market.borrowPaused());
        assertTrue(market.withdrawPaused());

        vm.expectEmit(address(market));
        emit EventsLib.CollateralPauseSet(address(wbtc), true);
        vm.prank(bob);
        market.setCollateralPause(address(wbtc), true);
        assertTrue(market.collateralConfig(address(wbtc)).paused);

        vm.startPrank(alice);
        vm.expectRevert(ErrorsLib.NotGuardian.selector);
        market.setMarketPause(false, false);
        vm.expectRevert(ErrorsLib.NotGuardian.selector);
        market.setCollateralPause(address(wbtc), false);
        vm.stopPrank();
        vm.expectRevert(abi.encodeWithSelector(ErrorsLib.CollateralNotListed.selector, address(usdc)));
        vm.prank(bob);
        market.setCollateralPause(address(usdc), true);
    }

    // ───────────────────────────── plain views ─────────────────────────────

    function test_views() public {
        _openPosition(alice, weth, 10e18, 1000e6);
        (uint128 scaled, uint40 flaggedAt, uint40 lastSliceAt, uint8 mask) = market.accounts(alice);
        assertEq(scaled, 1000e6);
        assertEq(flaggedAt, 0);
        assertEq(lastSliceAt, 0);
        assertEq(mask, 1);
        (uint256 f, uint256 l) = _clock(alice);
        assertEq(f, 0);
        assertEq(l, 0);
        assertEq(market.collateralOf(alice, address(weth)), 10e18);
        assertEq(market.collateralOf(alice, address(wbtc)), 0);
        assertEq(market.totalSocialisedBadDebt(), 0);
        assertEq(market.insuranceFund(), 0);
        assertFalse(market.isAuthorized(alice, bob));
    }
}
