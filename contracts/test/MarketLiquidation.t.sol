// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {Vm} from "forge-std/Vm.sol";
import {BaseTest} from "./utils/BaseTest.sol";
import {MockERC20} from "../src/mocks/MockERC20.sol";
import {ErrorsLib} from "../src/libraries/ErrorsLib.sol";
import {EventsLib} from "../src/libraries/EventsLib.sol";
import {RiskMath} from "../src/libraries/RiskMath.sol";
import {LiquidationPreview, RiskParams, Zone} from "../src/libraries/Types.sol";
import {DevnetConfig} from "../script/DevnetConfig.sol";

/// @notice flag, unflag, soft slices, hard liquidation, bad debt, the circuit breaker and oracle failures.
contract MarketLiquidationTest is BaseTest {
    /// @dev Hand-worked figures below assume the worked-example auction (0.5% → 2% over 600 s).
    function _riskParams() internal pure override returns (RiskParams memory) {
        return _workedExampleRiskParams();
    }

    /// @dev 10 WETH, 24 000 USDC debt, no interest; WETH at 2750 puts HF at 23375 / 24000 = 0.973958...
    uint256 internal constant SOFT_HF = 973_958_333_333_333_333;

    function _softPosition() internal {
        _zeroRates();
        _openPosition(alice, weth, 10e18, 24_000e6);
        _setPrice(wethFeed, 2750e8);
        assertEq(market.healthFactor(alice), SOFT_HF);
    }

    function _flagged() internal view returns (uint256 flaggedAt) {
        (flaggedAt,) = _clock(alice);
    }

    function _liquidate(address account, address collateral, uint256 maxRepay)
        internal
        returns (uint256 repaid, uint256 seized)
    {
        _fundLiquidator(keeper, maxRepay == type(uint256).max ? market.debtOf(account) : maxRepay);
        vm.prank(keeper);
        return market.liquidate(account, collateral, maxRepay, 0);
    }

    /// @dev docs/liquidation.md with the devnet parameters, written out independently of RiskMath:
    /// d = (1 - HF) / (1 - 0.88), b = 0.005 + 0.015 * min(1, d + elapsed / 600), each step rounded down.
    function _depth(uint256 hf) internal pure returns (uint256) {
        return (WAD - hf) * WAD / 0.12e18;
    }

    function _softBonusByFormula(uint256 hf, uint256 elapsed) internal pure returns (uint256) {
        uint256 weight = _depth(hf) + elapsed * WAD / 600;
        if (weight > WAD) weight = WAD;
        return 0.005e18 + 0.015e18 * weight / WAD;
    }

    /// @dev (T * D - P) / (T - (1 + b) * lt) in USDC units, every step rounded down (formula (2)).
    function _targetRepay(uint256 power, uint256 debtValue, uint256 bonus, uint256 lt) internal pure returns (uint256) {
        uint256 targetPower = 1.02e18 * debtValue / WAD;
        uint256 denominator = 1.02e18 - (WAD + bonus) * lt / WAD;
        return ((targetPower - power) * WAD / denominator) / 1e12;
    }

    /// @dev The soft slice cap on the debt: (0.1 + 0.9 * d) * debt.
    function _shareCap(uint256 hf, uint256 debt) internal pure returns (uint256) {
        return debt * (0.1e18 + 0.9e18 * _depth(hf) / WAD) / WAD;
    }

    // ───────────────────────────── flag / unflag ─────────────────────────────

    function test_flag_startsGraceBelowHealthOne() public {
        _softPosition();
        vm.expectEmit(address(market));
        emit EventsLib.Flagged(alice, keeper, SOFT_HF);
        vm.prank(keeper);
        market.flag(alice);
        assertEq(_flagged(), vm.getBlockTimestamp());

        vm.expectRevert(abi.encodeWithSelector(ErrorsLib.AlreadyFlagged.selector, vm.getBlockTimestamp()));
        market.flag(alice);
    }

    function test_flag_revertsWhenHealthy() public {
        vm.expectRevert(abi.encodeWithSelector(ErrorsLib.HealthyAccount.selector, type(uint256).max));
        market.flag(alice); // no debt
        _openPosition(alice, weth, 10e18, 24_000e6);
        vm.expectRevert(abi.encodeWithSelector(ErrorsLib.HealthyAccount.selector, 1.0625e18));
        market.flag(alice);
    }

    function test_unflag_clearsOnceRecovered() public {
        _softPosition();
        _flagAfterDrop(alice);
        vm.expectRevert(abi.encodeWithSelector(ErrorsLib.UnhealthyAccount.selector, SOFT_HF));
        market.unflag(alice);

        _setPrice(wethFeed, 3000e8);
        vm.expectEmit(address(market));
        emit EventsLib.Unflagged(alice, bob, 1.0625e18);
        vm.prank(bob);
        market.unflag(alice);
        assertEq(_flagged(), 0);

        vm.expectRevert(ErrorsLib.NotFlagged.selector);
        market.unflag(alice);
    }

    function test_flagClearsWhenBorrowerTopsUpAboveOne() public {
        _softPosition();
        _flagAfterDrop(alice);
        _depositCollateral(alice, weth, 0.1e18); // 10.1 * 2750 * 0.85 = 23608.75 -> still < 24000
        assertGt(_flagged(), 0, "still under water");

        _fund(wbtc, alice, 0.01e8);
        vm.expectEmit(address(market));
        emit EventsLib.Unflagged(alice, alice, uint256(23_608.75e18 + 468e18) * 1e18 / 24_000e18);
        vm.prank(alice);
        market.depositCollateral(address(wbtc), 0.01e8, alice);
        assertEq(_flagged(), 0);
    }

    function test_flagClearsWhenBorrowerRepaysAboveOne() public {
        _softPosition();
        _flagAfterDrop(alice);
        _repay(alice, alice, 500e6); // 23375 / 23500 < 1
        assertGt(_flagged(), 0);
        _fund(usdc, alice, 1000e6);
        vm.expectEmit(address(market));
        emit EventsLib.Unflagged(alice, alice, uint256(23_375e18) * 1e18 / 22_500e18);
        vm.prank(alice);
        market.repay(1000e6, alice);
        assertEq(_flagged(), 0);
    }

    function test_flagClearsOnBorrowAfterPriceRecovery() public {
        _softPosition();
        _flagAfterDrop(alice);
        _setPrice(wethFeed, 3100e8);
        _borrow(alice, 1e6);
        assertEq(_flagged(), 0);
    }

    // ───────────────────────────── soft slices ─────────────────────────────

    function test_softSlice_requiresFlagGraceAndInterval() public {
        _softPosition();
        _fundLiquidator(keeper, 100_000e6);
        vm.startPrank(keeper);
        vm.expectRevert(ErrorsLib.NotFlagged.selector);
        market.liquidate(alice, address(weth), 4000e6, 0);

        market.flag(alice);
        uint256 graceEnd = vm.getBlockTimestamp() + 600;
        vm.expectRevert(abi.encodeWithSelector(ErrorsLib.GracePeriodActive.selector, graceEnd));
        market.liquidate(alice, address(weth), 4000e6, 0);
        vm.warp(graceEnd - 1);
        vm.expectRevert(abi.encodeWithSelector(ErrorsLib.GracePeriodActive.selector, graceEnd));
        market.liquidate(alice, address(weth), 4000e6, 0);

        vm.warp(graceEnd);
        market.liquidate(alice, address(weth), 4000e6, 0);
        // The spacing shrinks with depth: 300 s * (1 - d) at the health the slice left.
        uint256 nextSlice = graceEnd + 300 * (WAD - _depth(market.healthFactor(alice))) / WAD;
        assertLt(nextSlice, graceEnd + 300);
        assertEq(market.previewLiquidation(alice, address(weth)).allowedAt, nextSlice);
        vm.expectRevert(abi.encodeWithSelector(ErrorsLib.SliceIntervalActive.selector, nextSlice));
        market.liquidate(alice, address(weth), 4000e6, 0);
        vm.warp(nextSlice - 1);
        vm.expectRevert(abi.encodeWithSelector(ErrorsLib.SliceIntervalActive.selector, nextSlice));
        market.liquidate(alice, address(weth), 4000e6, 0);
        vm.warp(nextSlice);
        market.liquidate(alice, address(weth), type(uint256).max, 0);
        vm.stopPrank();
    }

    /// @dev A dust slice would restart the slice interval without restoring health, starving the account of real
    /// slices until it falls into HARD; the market refuses any soft slice below half its cap (rounded up).
    function test_softSlice_refusesDustSlices() public {
        _softPosition();
        _flagAfterDrop(alice);
        _warp(600);
        LiquidationPreview memory p = market.previewLiquidation(alice, address(weth));
        uint256 minimum = p.repayCap - p.repayCap / 2;
        _fundLiquidator(keeper, p.repayCap);
        vm.startPrank(keeper);
        vm.expectRevert(abi.encodeWithSelector(ErrorsLib.SliceTooSmall.selector, 1, minimum));
        market.liquidate(alice, address(weth), 1, 0);
        vm.expectRevert(abi.encodeWithSelector(ErrorsLib.SliceTooSmall.selector, minimum - 1, minimum));
        market.liquidate(alice, address(weth), minimum - 1, 0);
        (uint256 repaid,) = market.liquidate(alice, address(weth), minimum, 0);
        vm.stopPrank();
        assertEq(repaid, minimum);
        assertGt(market.healthFactor(alice), SOFT_HF, "the smallest allowed slice still raises health");
    }

    function test_hardLiquidation_allowsAnySizeUpToTheCap() public {
        _zeroRates();
        _openPosition(alice, weth, 10e18, 24_000e6);
        _setPrice(wethFeed, 2000e8); // HF 0.708: HARD
        (uint256 repaid,) = _liquidate(alice, address(weth), 1e6);
        assertEq(repaid, 1e6);
    }

    /// @dev The auction climbs with time: 300 s after it opened the bid has moved half-way to the ceiling.
    function _checkAuctionClimbs(uint256 hf, uint256 opening) internal {
        uint256 start = vm.getBlockTimestamp();
        vm.warp(start + 300);
        uint256 later = _softBonusByFormula(hf, 300);
        assertEq(market.previewLiquidation(alice, address(weth)).bonus, later);
        assertGt(later, opening);
        vm.warp(start + 700); // past the 600 s ramp, before the flag lapses (grace end + 600 + 300)
        assertEq(market.previewLiquidation(alice, address(weth)).bonus, 0.02e18, "capped at softBonusMax");
        vm.warp(start);
    }

    function test_softSlice_sliceCapBinds_bonusFromDepthAndTime() public {
        _zeroRates();
        _openPosition(alice, weth, 10e18, 24_000e6);
        _setPrice(wethFeed, 2800e8); // HF = 23800 / 24000 = 0.991666...
        uint256 hf = market.healthFactor(alice);
        assertEq(hf, uint256(23_800e18) * WAD / 24_000e18);
        _flagAfterDrop(alice);
        _warp(600);

        // Opening bid at the grace end: depth only. d = 0.00833 / 0.12 = 0.0694, b = 0.005 + 0.015 * 0.0694.
        uint256 bonus = _softBonusByFormula(hf, 0);
        assertApproxEqAbs(bonus, 0.006041e18, 0.000001e18);
        // Caps: (0.1 + 0.9 d) * 24000 = 3900; target (24480 - 23800) / (1.02 - (1 + b) 0.85) = 4124.6.
        uint256 shareCap = _shareCap(hf, 24_000e6);
        assertApproxEqAbs(shareCap, 3900e6, 1e6);
        assertGt(_targetRepay(23_800e18, 24_000e18, bonus, 0.85e18), shareCap);
        LiquidationPreview memory p = market.previewLiquidation(alice, address(weth));
        assertEq(p.bonus, bonus);
        assertEq(p.repayCap, shareCap, "slice cap binds");
        assertTrue(p.allowed);
        assertEq(uint8(p.zone), uint8(Zone.SOFT));
        uint256 expectedSeized = (shareCap * 1e12 * (WAD + bonus) / WAD) * 1e18 / 2800e18;
        assertEq(p.seized, expectedSeized);

        _checkAuctionClimbs(hf, bonus);

        uint256 hfAfter = RiskMath.mulDivDown(RiskMath.collateralValue(10e18 - expectedSeized, 2800e18, 18), 0.85e18, WAD)
            * WAD / (24_000e18 - shareCap * 1e12);
        _fundLiquidator(keeper, 5000e6);
        vm.expectEmit(address(market));
        emit EventsLib.Liquidated(alice, keeper, address(weth), Zone.SOFT, shareCap, expectedSeized, bonus, hf, hfAfter);
        vm.prank(keeper);
        (uint256 repaid, uint256 seized) = market.liquidate(alice, address(weth), 5000e6, expectedSeized);

        assertEq(repaid, shareCap);
        assertEq(seized, expectedSeized);
        assertEq(weth.balanceOf(keeper), seized);
        assertEq(market.debtOf(alice), 24_000e6 - shareCap);
        assertEq(market.healthFactor(alice), hfAfter);
        assertGt(hfAfter, hf, "health rises");
        (uint256 flaggedAt, uint256 lastSliceAt) = _clock(alice);
        if (hfAfter < WAD) assertGt(flaggedAt, 0, "flag stays below 1");
        assertEq(lastSliceAt, vm.getBlockTimestamp());
    }

    function test_softSlice_targetCapBinds_restoresTargetAndClearsFlag() public {
        _softPosition();
        _flagAfterDrop(alice);
        _warp(600);

        uint256 bonus = _softBonusByFormula(SOFT_HF, 0);
        uint256 targetCap = _targetRepay(23_375e18, 24_000e18, bonus, 0.85e18);
        assertApproxEqAbs(targetCap, 6779.8e6, 0.1e6);
        assertLt(targetCap, _shareCap(SOFT_HF, 24_000e6));
        LiquidationPreview memory p = market.previewLiquidation(alice, address(weth));
        assertEq(p.repayCap, targetCap, "target cap binds");

        _fundLiquidator(keeper, targetCap);
        vm.expectEmit(true, true, false, false, address(market));
        emit EventsLib.Unflagged(alice, keeper, 0);
        vm.prank(keeper);
        (uint256 repaid,) = market.liquidate(alice, address(weth), type(uint256).max, 0);
        assertEq(repaid, targetCap);
        uint256 hf = market.healthFactor(alice);
        assertLe(hf, 1.02e18, "never overshoots the target");
        assertApproxEqRel(hf, 1.02e18, 1e12);
        assertEq(_flagged(), 0, "flag cleared at HF >= 1");
    }

    function test_softSlice_collateralCapBinds_takesWholeBalanceAndClearsMaskBit() public {
        _zeroRates();
        _depositCollateral(alice, wbtc, 0.08e8); // 4800 USD
        _openPosition(alice, weth, 10e18, 24_000e6);
        _setPrice(wethFeed, 2700e8); // HF = (22950 + 3744) / 24000 = 1.112... still healthy
        _setPrice(wethFeed, 2300e8); // HF = (19550 + 3744) / 24000 = 0.97058: soft, above the grace floor
        uint256 hf = market.healthFactor(alice);
        assertEq(hf, uint256(19_550e18 + 3744e18) * WAD / 24_000e18);
        _flagAfterDrop(alice);
        _warp(600);

        uint256 bonus = _softBonusByFormula(hf, 0);
        uint256 collateralCap = (4800e18 * WAD / (WAD + bonus)) / 1e12;
        LiquidationPreview memory p = market.previewLiquidation(alice, address(wbtc));
        assertEq(p.repayCap, collateralCap, "collateral cap binds");
        assertEq(p.seized, 0.08e8);

        (uint256 repaid, uint256 seized) = _liquidate(alice, address(wbtc), type(uint256).max);
        assertEq(repaid, collateralCap);
        assertEq(seized, 0.08e8);
        assertEq(market.collateralOf(alice, address(wbtc)), 0);
        (,,, uint8 mask) = market.accounts(alice);
        assertEq(mask, 1, "WBTC bit cleared");
        assertGt(market.healthFactor(alice), hf);
    }

    function test_softSlice_minSeizedProtectsLiquidator() public {
        _softPosition();
        _flagAfterDrop(alice);
        _warp(600);
        LiquidationPreview memory p = market.previewLiquidation(alice, address(weth));
        _fundLiquidator(keeper, p.repayCap);
        vm.expectRevert(abi.encodeWithSelector(ErrorsLib.SeizedBelowMinimum.selector, p.seized, p.seized + 1));
        vm.prank(keeper);
        market.liquidate(alice, address(weth), p.repayCap, p.seized + 1);
    }

    function test_liquidate_revertsInputAndHealthy() public {
        _openPosition(alice, weth, 10e18, 24_000e6);
        MockERC20 other = new MockERC20("Other", "OTH", 18);
        vm.expectRevert(abi.encodeWithSelector(ErrorsLib.CollateralNotListed.selector, address(other)));
        market.liquidate(alice, address(other), 1, 0);
        vm.expectRevert(ErrorsLib.ZeroAmount.selector);
        market.liquidate(alice, address(weth), 0, 0);
        vm.expectRevert(abi.encodeWithSelector(ErrorsLib.HealthyAccount.selector, 1.0625e18));
        market.liquidate(alice, address(weth), 1e6, 0);
        vm.expectRevert(abi.encodeWithSelector(ErrorsLib.HealthyAccount.selector, type(uint256).max));
        market.liquidate(bob, address(weth), 1e6, 0);
    }

    function test_liquidate_revertsNothingToLiquidateForAbsentCollateral() public {
        _softPosition();
        _setPrice(wethFeed, 2000e8); // HARD
        vm.expectRevert(ErrorsLib.NothingToLiquidate.selector);
        market.liquidate(alice, address(wbtc), 1e6, 0);
        // A collateral the account does not hold needs no price: a stale WBTC feed changes nothing.
        wbtcFeed.setAnswerAt(60_000e8, vm.getBlockTimestamp() - COLLATERAL_HEARTBEAT - 1);
        LiquidationPreview memory p = market.previewLiquidation(alice, address(wbtc));
        assertEq(uint8(p.zone), uint8(Zone.HARD));
        assertEq(p.repayCap, 0);
        assertFalse(p.allowed);
        vm.expectRevert(ErrorsLib.NothingToLiquidate.selector);
        market.liquidate(alice, address(wbtc), 1e6, 0);
    }

    // ───────────────────────────── hard liquidation ─────────────────────────────

    function test_hardLiquidation_justEnoughAtABonusThatStillRaisesHealth() public {
        _zeroRates();
        _openPosition(alice, weth, 10e18, 24_000e6);
        _setPrice(wethFeed, 2480e8); // HF = 21080 / 24000 = 0.87833 < 0.88; collateral 24 800 > debt
        uint256 hf = market.healthFactor(alice);
        assertEq(hf, uint256(21_080e18) * WAD / 24_000e18);

        // (4): the largest b with (1 + b) * 0.85 <= HF * 0.999, below the 8% ceiling.
        uint256 bonus = (hf * 0.999e18 / WAD) * WAD / 0.85e18 - WAD;
        assertApproxEqAbs(bonus, 0.0323e18, 0.00001e18);
        LiquidationPreview memory p = market.previewLiquidation(alice, address(weth));
        assertEq(uint8(p.zone), uint8(Zone.HARD));
        assertEq(p.bonus, bonus);
        assertTrue(p.allowed, "no flag, no grace");
        // (R4) just enough: the repay that restores 1.02, not a fixed share of the debt.
        assertEq(p.repayCap, _targetRepay(21_080e18, 24_000e18, bonus, 0.85e18));

        // Partial hard liquidations back to back: no interval, any size, health rises each time.
        (uint256 r1,) = _liquidate(alice, address(weth), 5000e6);
        assertEq(r1, 5000e6);
        uint256 hf1 = market.healthFactor(alice);
        assertGt(hf1, hf);
        (uint256 r2,) = _liquidate(alice, address(weth), type(uint256).max);
        assertGt(r2, 0);
        uint256 hf2 = market.healthFactor(alice);
        assertLe(hf2, 1.02e18);
        assertApproxEqRel(hf2, 1.02e18, 1e13);
        assertGt(market.debtOf(alice), 0, "just enough: the rest of the loan stays open");
    }

    /// @dev Through a high-threshold collateral, even a zero bonus can lower health when HF is low; the lower
    /// threshold collateral of a solvent account always works.
    function test_hardLiquidation_refusesACollateralThatCannotRaiseHealth() public {
        _zeroRates();
        _depositCollateral(alice, wbtc, 0.6e8); // 36 000, LT 0.78
        _openPosition(alice, weth, 1e18, 26_000e6); // 3000, LT 0.85
        _setPrice(wbtcFeed, 43_000e8); // P = 20124 + 2550 = 22674, HF = 0.872: HARD, WETH still helps
        uint256 hf = market.healthFactor(alice);
        assertLt(hf, 0.88e18);
        assertGt(hf * 0.999e18 / WAD, 0.85e18, "WETH still raises health at b >= 0");
        // WBTC at 41 667: V = 25 000 + 3000 = 28 000 > debt, P = 19 500 + 2550, HF = 0.848 < 0.85.
        _setPrice(wbtcFeed, 41_666_66666667);
        hf = market.healthFactor(alice);
        assertLt(hf, 0.85e18);
        _fundLiquidator(keeper, 10_000e6);
        vm.expectRevert(abi.encodeWithSelector(ErrorsLib.CannotRaiseHealth.selector, address(weth), hf, 0.85e18));
        vm.prank(keeper);
        market.liquidate(alice, address(weth), 1000e6, 0);
        assertFalse(market.previewLiquidation(alice, address(weth)).allowed);
        LiquidationPreview memory p = market.previewLiquidation(alice, address(wbtc));
        assertTrue(p.allowed);
        assertEq(p.bonus, 0.08e18, "WBTC (LT 0.78) takes the full hard bonus: 1.08 * 0.78 < 0.848");
        vm.prank(keeper);
        market.liquidate(alice, address(wbtc), 1000e6, 0);
        assertGt(market.healthFactor(alice), hf);
    }

    function test_conventionalMode_halfCloseFactorNoSoftZone() public {
        _deploy(DevnetConfig.conventionalRiskParams());
        _zeroRates();
        _openPosition(alice, weth, 10e18, 24_000e6);
        _setPrice(wethFeed, 2800e8); // HF = 23800 / 24000 = 0.9917: soft in soft mode, hard here
        LiquidationPreview memory p = market.previewLiquidation(alice, address(weth));
        assertEq(uint8(p.zone), uint8(Zone.HARD));
        assertEq(p.bonus, 0.08e18, "health allows the full 8%: (1.08 * 0.85 = 0.918 < 0.9917)");
        assertEq(p.repayCap, 12_000e6, "50% close factor");
        assertTrue(p.allowed);

        (uint256 repaid, uint256 seized) = _liquidate(alice, address(weth), type(uint256).max);
        assertEq(repaid, 12_000e6);
        assertEq(seized, uint256(12_960e18) * 1e18 / 2800e18);
        assertEq(market.debtOf(alice), 12_000e6);
        assertGe(market.healthFactor(alice), WAD, "one conventional liquidation restores health here");
    }

    // ───────────────────────────── bad debt ─────────────────────────────

    /// @dev A year at low utilisation builds a small insurance fund.
    function _underwaterPositionWithInsurance() internal returns (uint256 insurance) {
        _openPosition(alice, weth, 10e18, 24_000e6);
        _warp(365 days);
        insurance = market.insuranceFund();
        assertGt(insurance, 0);
    }

    function _expectedBadDebt(address account, uint256 repaid) internal view returns (uint256) {
        uint256 index = market.borrowIndex();
        (uint128 scaled,,,) = market.accounts(account);
        uint256 scaledRepaid = RiskMath.min(scaled, RiskMath.mulDivDown(repaid, WAD, index));
        return RiskMath.debtFromScaled(scaled - scaledRepaid, index);
    }

    function test_badDebt_insuranceFirstThenSocialised() public {
        uint256 insurance = _underwaterPositionWithInsurance();
        _setPrice(wethFeed, 2000e8); // 20 000 of collateral for ~24 029 of debt
        LiquidationPreview memory p = market.previewLiquidation(alice, address(weth));
        assertEq(p.seized, 10e18, "the whole balance");
        uint256 badDebt = _expectedBadDebt(alice, p.repayCap);
        assertGt(badDebt, insurance);
        uint256 assetsBefore = market.totalAssets();
        uint256 sharePriceBefore = market.convertToAssets(1e12);

        _fundLiquidator(keeper, p.repayCap);
        vm.expectEmit(address(market));
        emit EventsLib.BadDebt(alice, badDebt, insurance, badDebt - insurance);
        vm.prank(keeper);
        (uint256 repaid,) = market.liquidate(alice, address(weth), type(uint256).max, 10e18);
        assertEq(repaid, p.repayCap);

        assertEq(market.debtOf(alice), 0);
        assertEq(market.insuranceFund(), 0);
        assertEq(market.totalSocialisedBadDebt(), badDebt - insurance);
        // Lenders get `repaid` back in cash, lose the written-off debt, and the insurance fund covers part of it.
        // Scaled-debt rounding may leave lenders a wei ahead, never behind.
        assertGe(market.totalAssets(), assetsBefore - (badDebt - insurance));
        assertApproxEqAbs(market.totalAssets(), assetsBefore - (badDebt - insurance), 2);
        assertLt(market.convertToAssets(1e12), sharePriceBefore, "share price falls");
        (uint256 flaggedAt,) = _clock(alice);
        assertEq(flaggedAt, 0);
        assertEq(market.totalDebt(), 0);
    }

    function test_badDebt_smallLossCoveredByInsuranceAlone() public {
        uint256 insurance = _underwaterPositionWithInsurance();
        // A small loan that ends barely under water: 0.04 WETH for 100 USDC.
        _openPosition(bob, weth, 0.042e18, 100e6);
        _setPrice(wethFeed, 2380e8); // bob: 99.96 of collateral for ~100 of debt
        LiquidationPreview memory p = market.previewLiquidation(bob, address(weth));
        assertEq(p.bonus, 0.02e18, "an insolvent account is closed at softBonusMax");
        uint256 badDebt = _expectedBadDebt(bob, p.repayCap);
        assertGt(badDebt, 0);
        assertLt(badDebt, insurance);
        uint256 assetsBefore = market.totalAssets();

        _fundLiquidator(keeper, p.repayCap);
        vm.expectEmit(address(market));
        emit EventsLib.BadDebt(bob, badDebt, badDebt, 0);
        vm.prank(keeper);
        market.liquidate(bob, address(weth), type(uint256).max, 0);
        assertEq(market.insuranceFund(), insurance - badDebt);
        assertEq(market.totalSocialisedBadDebt(), 0);
        // Lenders lose nothing; scaled-debt rounding may leave them a wei ahead, never behind.
        assertGe(market.totalAssets(), assetsBefore, "lenders lose nothing");
        assertApproxEqAbs(market.totalAssets(), assetsBefore, 2);
    }

    // ───────────────────────────── circuit breaker ─────────────────────────────

    function test_pause_neverBlocksDeRisking() public {
        _softPosition();
        vm.startPrank(owner);
        market.setMarketPause(true, true);
        market.setCollateralPause(address(weth), true);
        vm.stopPrank();

        _flagAfterDrop(alice);
        _depositCollateral(alice, weth, 0.01e18);
        _repay(alice, alice, 10e6);
        _warp(600);
        uint256 cap = market.previewLiquidation(alice, address(weth)).repayCap;
        (uint256 repaid,) = _liquidate(alice, address(weth), cap);
        assertEq(repaid, cap);
        _setPrice(wethFeed, 2000e8);
        (repaid,) = _liquidate(alice, address(weth), 1000e6); // hard, too
        assertEq(repaid, 1000e6);
    }

    // ───────────────────────────── oracle failures ─────────────────────────────

    function test_stalePrice_blocksPriceDependentCallsButNotDepositOrRepay() public {
        _softPosition();
        _flagAfterDrop(alice);
        uint256 updatedAt = vm.getBlockTimestamp();
        vm.warp(vm.getBlockTimestamp() + 600 + COLLATERAL_HEARTBEAT); // WETH stale, USDC (1 day) still fresh
        bytes memory stale =
            abi.encodeWithSelector(ErrorsLib.StalePrice.selector, address(weth), updatedAt, COLLATERAL_HEARTBEAT);

        vm.expectRevert(stale);
        market.healthFactor(alice);
        vm.expectRevert(stale);
        market.previewLiquidation(alice, address(weth));
        vm.expectRevert(stale);
        market.liquidate(alice, address(weth), 1e6, 0);
        vm.expectRevert(stale);
        market.unflag(alice);

        // The borrower can still top up and repay; the flag just stays until prices are back.
        _depositCollateral(alice, weth, 5e18);
        _repay(alice, alice, 1000e6);
        assertGt(_flagged(), 0);
        wethFeed.refresh();
        market.unflag(alice);
    }

    function test_invalidPrice_revertsWithOracleError() public {
        _openPosition(alice, weth, 10e18, 1000e6);
        _setPrice(usdcFeed, 0);
        vm.expectRevert(abi.encodeWithSelector(ErrorsLib.InvalidPrice.selector, address(usdc), int256(0)));
        market.flag(alice);
        vm.expectRevert(abi.encodeWithSelector(ErrorsLib.InvalidPrice.selector, address(usdc), int256(0)));
        market.liquidate(alice, address(weth), 1e6, 0);
        _repay(alice, alice, 1e6);
    }

    function test_flaggedDepositWithStaleLoanPriceKeepsFlag() public {
        _softPosition();
        _flagAfterDrop(alice);
        usdcFeed.setAnswerAt(1e8, vm.getBlockTimestamp() - STABLE_HEARTBEAT - 1);
        _depositCollateral(alice, weth, 100e18);
        assertGt(_flagged(), 0, "health unknown: flag stays, deposit still lands");
        assertEq(market.collateralOf(alice, address(weth)), 110e18);
    }

    // ───────────────────────────── previewLiquidation ─────────────────────────────

    function test_previewLiquidation_healthyAndGraceStates() public {
        _openPosition(alice, weth, 10e18, 24_000e6);
        LiquidationPreview memory p = market.previewLiquidation(alice, address(weth));
        assertEq(uint8(p.zone), uint8(Zone.HEALTHY));
        assertEq(p.repayCap, 0);
        assertEq(p.seized, 0);
        assertFalse(p.allowed);
        assertEq(p.healthFactor, 1.0625e18);

        _setPrice(wethFeed, 2750e8);
        p = market.previewLiquidation(alice, address(weth));
        assertFalse(p.allowed, "not flagged");
        assertEq(p.allowedAt, 0);
        assertGt(p.repayCap, 0, "the next slice is shown before it is allowed");

        _flagAfterDrop(alice);
        p = market.previewLiquidation(alice, address(weth));
        assertFalse(p.allowed);
        assertEq(p.allowedAt, vm.getBlockTimestamp() + 600);
        _warp(600);
        p = market.previewLiquidation(alice, address(weth));
        assertTrue(p.allowed);

        vm.expectRevert(abi.encodeWithSelector(ErrorsLib.CollateralNotListed.selector, address(usdc)));
        market.previewLiquidation(alice, address(usdc));
    }

    function test_previewLiquidation_matchesLiquidation() public {
        _depositCollateral(alice, wbtc, 0.2e8);
        _openPosition(alice, weth, 7e18, 20_000e6);
        _setPrice(wethFeed, 2500e8);
        _setPrice(wbtcFeed, 30_000e8); // HF = (14875 + 4680) / 20000 = 0.978
        _flagAfterDrop(alice);
        _warp(900);
        LiquidationPreview memory p = market.previewLiquidation(alice, address(wbtc));
        (uint256 repaid, uint256 seized) = _liquidate(alice, address(wbtc), type(uint256).max);
        assertEq(repaid, p.repayCap);
        assertEq(seized, p.seized);
    }

    function test_liquidationEventCarriesHealthBeforeAndAfter() public {
        _softPosition();
        _flagAfterDrop(alice);
        _warp(600);
        uint256 cap = market.previewLiquidation(alice, address(weth)).repayCap;
        vm.recordLogs();
        _liquidate(alice, address(weth), cap);
        Vm.Log[] memory logs = vm.getRecordedLogs();
        bool found;
        for (uint256 i; i < logs.length; ++i) {
            if (logs[i].topics[0] != EventsLib.Liquidated.selector) continue;
            (, uint256 repaid,,, uint256 hfBefore, uint256 hfAfter) =
                abi.decode(logs[i].data, (Zone, uint256, uint256, uint256, uint256, uint256));
            assertEq(repaid, cap);
            assertEq(hfBefore, SOFT_HF);
            assertEq(hfAfter, market.healthFactor(alice));
            found = true;
        }
        assertTrue(found);
    }
}
