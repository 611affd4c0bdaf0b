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
    /// @dev 10 WETH, 24 000 USDC debt, no interest; WETH at 2750 puts HF at 23375 / 24000 = 0.973958...
    uint256 internal constant SOFT_HF = 973_958_333_333_333_333;

    function _softPosition() internal {
        _zeroRates();
        _openPosition(alice, weth, 10e18, 24_000e6);
        _setPrice(wethFeed, 2750e8);
        assertEq(market.healthFactor(alice), SOFT_HF);
    }

    function _flagged() internal view returns (uint256 flaggedAt) {
        (flaggedAt,) = market.liquidationState(alice);
    }

    function _liquidate(address account, address collateral, uint256 maxRepay)
        internal
        returns (uint256 repaid, uint256 seized)
    {
        _fundLiquidator(keeper, maxRepay == type(uint256).max ? market.debtOf(account) : maxRepay);
        vm.prank(keeper);
        return market.liquidate(account, collateral, maxRepay, 0);
    }

    function _softBonusByFormula(uint256 hf) internal pure returns (uint256) {
        // b = min + (max - min) * (1 - HF) / (1 - hardHealth), rounded down
        return 0.005e18 + (0.025e18 * (WAD - hf)) / 0.05e18;
    }

    // ───────────────────────────── flag / unflag ─────────────────────────────

    function test_flag_startsGraceBelowHealthOne() public {
        _softPosition();
        vm.expectEmit(address(market));
        emit EventsLib.Flagged(alice, keeper, SOFT_HF);
        vm.prank(keeper);
        market.flag(alice);
        assertEq(_flagged(), block.timestamp);

        vm.expectRevert(abi.encodeWithSelector(ErrorsLib.AlreadyFlagged.selector, block.timestamp));
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
        market.liquidate(alice, address(weth), 2000e6, 0);

        market.flag(alice);
        uint256 graceEnd = block.timestamp + 600;
        vm.expectRevert(abi.encodeWithSelector(ErrorsLib.GracePeriodActive.selector, graceEnd));
        market.liquidate(alice, address(weth), 2000e6, 0);
        vm.warp(graceEnd - 1);
        vm.expectRevert(abi.encodeWithSelector(ErrorsLib.GracePeriodActive.selector, graceEnd));
        market.liquidate(alice, address(weth), 2000e6, 0);

        vm.warp(graceEnd);
        market.liquidate(alice, address(weth), 2000e6, 0);
        vm.expectRevert(abi.encodeWithSelector(ErrorsLib.SliceIntervalActive.selector, graceEnd + 300));
        market.liquidate(alice, address(weth), 2000e6, 0);
        vm.warp(graceEnd + 299);
        vm.expectRevert(abi.encodeWithSelector(ErrorsLib.SliceIntervalActive.selector, graceEnd + 300));
        market.liquidate(alice, address(weth), 2000e6, 0);
        vm.warp(graceEnd + 300);
        market.liquidate(alice, address(weth), 2000e6, 0);
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

    function test_softSlice_sliceCapBinds_bonusFromDutchAuction() public {
        _softPosition();
        _flagAfterDrop(alice);
        _warp(600);

        // By hand: b = 0.005 + 0.025 * (1 - 0.973958) / 0.05 = 0.0180208...
        uint256 bonus = _softBonusByFormula(SOFT_HF);
        assertEq(bonus, 18_020_833_333_333_333);
        // Caps: 10% of 24000 = 2400; target: (1.02 * 24000 - 23375) / (1.02 - 1.01802 * 0.85) = 7143.7; collateral 27013.
        LiquidationPreview memory p = market.previewLiquidation(alice, address(weth));
        assertEq(p.bonus, bonus);
        assertEq(p.repayCap, 2400e6, "slice cap binds");
        assertTrue(p.allowed);
        assertEq(uint8(p.zone), uint8(Zone.SOFT));
        // seized = 2400 * 1.0180208 / 2750 WETH, each step rounded down
        uint256 expectedSeized = (2400 * uint256(1e18 + bonus)) * 1e18 / 2750e18;
        assertApproxEqAbs(expectedSeized, 0.888454545454545e18, 1e6);
        assertEq(p.seized, expectedSeized);

        uint256 power = RiskMath.mulDivDown(RiskMath.collateralValue(10e18 - expectedSeized, 2750e18, 18), 0.85e18, WAD);
        uint256 hfAfter = power * WAD / 21_600e18;
        _fundLiquidator(keeper, 5000e6);
        vm.expectEmit(address(market));
        emit EventsLib.Liquidated(alice, keeper, address(weth), Zone.SOFT, 2400e6, expectedSeized, bonus, SOFT_HF, hfAfter);
        vm.prank(keeper);
        (uint256 repaid, uint256 seized) = market.liquidate(alice, address(weth), 5000e6, expectedSeized);

        assertEq(repaid, 2400e6);
        assertEq(seized, expectedSeized);
        assertEq(weth.balanceOf(keeper), seized);
        assertEq(usdc.balanceOf(keeper), 2600e6);
        assertEq(market.debtOf(alice), 21_600e6);
        assertEq(market.collateralOf(alice, address(weth)), 10e18 - seized);
        assertEq(market.healthFactor(alice), hfAfter);
        assertGt(hfAfter, SOFT_HF, "health rises");
        assertLt(hfAfter, WAD);
        (uint256 flaggedAt, uint256 lastSliceAt) = market.liquidationState(alice);
        assertGt(flaggedAt, 0, "flag stays below 1");
        assertEq(lastSliceAt, block.timestamp);

        // The next slice waits and pays a smaller bonus (health recovered).
        _warp(300);
        p = market.previewLiquidation(alice, address(weth));
        assertEq(p.bonus, _softBonusByFormula(hfAfter));
        assertLt(p.bonus, bonus);
    }

    function test_softSlice_targetCapBinds_restoresTargetAndClearsFlag() public {
        RiskParams memory rp = DevnetConfig.softRiskParams();
        rp.sliceCap = 1e18;
        _setRiskParams(rp);
        _softPosition();
        _flagAfterDrop(alice);
        _warp(600);

        uint256 bonus = _softBonusByFormula(SOFT_HF);
        uint256 denominator = 1.02e18 - (WAD + bonus) * 0.85e18 / WAD;
        uint256 targetValue = (1.02e18 * uint256(24_000) - 23_375e18) * WAD / denominator;
        uint256 targetCap = targetValue / 1e12;
        assertApproxEqAbs(targetCap, 7143.68e6, 0.01e6);
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
        _depositCollateral(alice, wbtc, 0.001e8); // 60 USD
        _openPosition(alice, weth, 10e18, 24_000e6);
        _setPrice(wethFeed, 2750e8);
        uint256 hf = market.healthFactor(alice);
        assertEq(hf, uint256(23_375e18 + 46.8e18) * WAD / 24_000e18);
        _flagAfterDrop(alice);
        _warp(600);

        uint256 bonus = _softBonusByFormula(hf);
        uint256 collateralCap = (60e18 * WAD / (WAD + bonus)) / 1e12;
        LiquidationPreview memory p = market.previewLiquidation(alice, address(wbtc));
        assertEq(p.repayCap, collateralCap, "collateral cap binds");
        assertEq(p.seized, 0.001e8);

        (uint256 repaid, uint256 seized) = _liquidate(alice, address(wbtc), type(uint256).max);
        assertEq(repaid, collateralCap);
        assertEq(seized, 0.001e8);
        assertEq(market.collateralOf(alice, address(wbtc)), 0);
        (,,, uint8 mask) = market.accounts(alice);
        assertEq(mask, 1, "WBTC bit cleared");
        assertGt(market.healthFactor(alice), hf);
    }

    function test_softSlice_minSeizedProtectsLiquidator() public {
        _softPosition();
        _flagAfterDrop(alice);
        _warp(600);
        uint256 expected = market.previewLiquidation(alice, address(weth)).seized;
        _fundLiquidator(keeper, 2400e6);
        vm.expectRevert(abi.encodeWithSelector(ErrorsLib.SeizedBelowMinimum.selector, expected, expected + 1));
        vm.prank(keeper);
        market.liquidate(alice, address(weth), 2400e6, expected + 1);
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
        wbtcFeed.setAnswerAt(60_000e8, block.timestamp - COLLATERAL_HEARTBEAT - 1);
        LiquidationPreview memory p = market.previewLiquidation(alice, address(wbtc));
        assertEq(uint8(p.zone), uint8(Zone.HARD));
        assertEq(p.repayCap, 0);
        assertFalse(p.allowed);
        vm.expectRevert(ErrorsLib.NothingToLiquidate.selector);
        market.liquidate(alice, address(wbtc), 1e6, 0);
    }

    // ───────────────────────────── hard liquidation ─────────────────────────────

    function test_hardLiquidation_noGraceHardBonusFullCloseFactor() public {
        _zeroRates();
        _openPosition(alice, weth, 10e18, 24_000e6);
        _setPrice(wethFeed, 2600e8); // HF = 22100 / 24000 = 0.9208 < 0.95
        uint256 hf = market.healthFactor(alice);
        assertEq(hf, uint256(22_100e18) * WAD / 24_000e18);

        LiquidationPreview memory p = market.previewLiquidation(alice, address(weth));
        assertEq(uint8(p.zone), uint8(Zone.HARD));
        assertEq(p.bonus, 0.08e18);
        assertTrue(p.allowed, "no flag, no grace");

        // Partial hard liquidations back to back: no interval either.
        (uint256 r1, uint256 s1) = _liquidate(alice, address(weth), 5000e6);
        assertEq(r1, 5000e6);
        assertEq(s1, uint256(5400e18) * 1e18 / 2600e18); // 5000 * 1.08 / 2600
        (uint256 r2,) = _liquidate(alice, address(weth), 5000e6);
        assertEq(r2, 5000e6);

        // The close factor is 100%: the rest of the debt can go in one call.
        (uint256 r3,) = _liquidate(alice, address(weth), type(uint256).max);
        assertEq(r3, 14_000e6);
        assertEq(market.debtOf(alice), 0);
        assertGt(market.collateralOf(alice, address(weth)), 0, "surplus collateral stays with the borrower");
        assertEq(market.healthFactor(alice), type(uint256).max);
    }

    function test_conventionalMode_halfCloseFactorNoSoftZone() public {
        _deploy(DevnetConfig.conventionalRiskParams());
        _zeroRates();
        _openPosition(alice, weth, 10e18, 24_000e6);
        _setPrice(wethFeed, 2800e8); // HF = 23800 / 24000 = 0.9917: soft in soft mode, hard here
        LiquidationPreview memory p = market.previewLiquidation(alice, address(weth));
        assertEq(uint8(p.zone), uint8(Zone.HARD));
        assertEq(p.bonus, 0.08e18);
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
        assertEq(market.totalAssets(), assetsBefore - (badDebt - insurance));
        assertLt(market.convertToAssets(1e12), sharePriceBefore, "share price falls");
        (uint256 flaggedAt,) = market.liquidationState(alice);
        assertEq(flaggedAt, 0);
        assertEq(market.totalDebt(), 0);
    }

    function test_badDebt_smallLossCoveredByInsuranceAlone() public {
        uint256 insurance = _underwaterPositionWithInsurance();
        uint256 debt = market.debtOf(alice);
        // Collateral worth (debt - 1 USDC) * 1.08: the collateral cap leaves about 1 USDC of bad debt.
        _setPrice(wethFeed, int256((debt - 1e6) * 108 / 10));
        LiquidationPreview memory p = market.previewLiquidation(alice, address(weth));
        uint256 badDebt = _expectedBadDebt(alice, p.repayCap);
        assertGt(badDebt, 0);
        assertLt(badDebt, insurance);
        uint256 assetsBefore = market.totalAssets();

        _fundLiquidator(keeper, p.repayCap);
        vm.expectEmit(address(market));
        emit EventsLib.BadDebt(alice, badDebt, badDebt, 0);
        vm.prank(keeper);
        market.liquidate(alice, address(weth), type(uint256).max, 0);
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
        (uint256 repaid,) = _liquidate(alice, address(weth), 2000e6);
        assertEq(repaid, 2000e6);
        _setPrice(wethFeed, 2000e8);
        (repaid,) = _liquidate(alice, address(weth), 1000e6); // hard, too
        assertEq(repaid, 1000e6);
    }

    // ───────────────────────────── oracle failures ─────────────────────────────

    function test_stalePrice_blocksPriceDependentCallsButNotDepositOrRepay() public {
        _softPosition();
        _flagAfterDrop(alice);
        uint256 updatedAt = block.timestamp;
        vm.warp(block.timestamp + 600 + COLLATERAL_HEARTBEAT); // WETH stale, USDC (1 day) still fresh
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
        usdcFeed.setAnswerAt(1e8, block.timestamp - STABLE_HEARTBEAT - 1);
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
        assertEq(p.allowedAt, block.timestamp + 600);
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
        vm.recordLogs();
        _liquidate(alice, address(weth), 2000e6);
        Vm.Log[] memory logs = vm.getRecordedLogs();
        bool found;
        for (uint256 i; i < logs.length; ++i) {
            if (logs[i].topics[0] != EventsLib.Liquidated.selector) continue;
            (, uint256 repaid,,, uint256 hfBefore, uint256 hfAfter) =
                abi.decode(logs[i].data, (Zone, uint256, uint256, uint256, uint256, uint256));
            assertEq(repaid, 2000e6);
            assertEq(hfBefore, SOFT_HF);
            assertEq(hfAfter, market.healthFactor(alice));
            found = true;
        }
        assertTrue(found);
    }
}
