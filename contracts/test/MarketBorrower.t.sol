// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {BaseTest} from "./utils/BaseTest.sol";
import {MockERC20} from "../src/mocks/MockERC20.sol";
import {ErrorsLib} from "../src/libraries/ErrorsLib.sol";
import {EventsLib} from "../src/libraries/EventsLib.sol";

/// @notice depositCollateral, withdrawCollateral, borrow, repay and setAuthorization: happy paths and every revert.
contract MarketBorrowerTest is BaseTest {
    function _mask(address account) internal view returns (uint8 mask) {
        (,,, mask) = market.accounts(account);
    }

    // ───────────────────────────── depositCollateral ─────────────────────────────

    function test_depositCollateral_locksTokensAndSetsMaskBit() public {
        _fund(weth, alice, 2e18);
        vm.expectEmit(address(market));
        emit EventsLib.CollateralDeposited(alice, alice, address(weth), 2e18);
        vm.prank(alice);
        market.depositCollateral(address(weth), 2e18, alice);

        assertEq(market.collateralOf(alice, address(weth)), 2e18);
        assertEq(weth.balanceOf(address(market)), 2e18);
        assertEq(weth.balanceOf(alice), 0);
        assertEq(_mask(alice), 1, "bit 0 = WETH");

        _depositCollateral(alice, wbtc, 1e8);
        assertEq(_mask(alice), 1 | 4, "bit 2 = WBTC");
        _depositCollateral(alice, weth, 1e18);
        assertEq(market.collateralOf(alice, address(weth)), 3e18, "top-up adds");
        assertEq(_mask(alice), 5);
    }

    function test_depositCollateral_onBehalfPullsFromCaller() public {
        _fund(wbtc, bob, 1e8);
        vm.expectEmit(address(market));
        emit EventsLib.CollateralDeposited(bob, alice, address(wbtc), 1e8);
        vm.prank(bob);
        market.depositCollateral(address(wbtc), 1e8, alice);
        assertEq(market.collateralOf(alice, address(wbtc)), 1e8);
        assertEq(market.collateralOf(bob, address(wbtc)), 0);
        assertEq(wbtc.balanceOf(bob), 0);
    }

    function test_depositCollateral_revertsUnlisted() public {
        MockERC20 other = new MockERC20("Other", "OTH", 18);
        vm.expectRevert(abi.encodeWithSelector(ErrorsLib.CollateralNotListed.selector, address(other)));
        market.depositCollateral(address(other), 1, alice);
        // The loan asset is not a collateral either.
        vm.expectRevert(abi.encodeWithSelector(ErrorsLib.CollateralNotListed.selector, address(usdc)));
        market.depositCollateral(address(usdc), 1, alice);
    }

    function test_depositCollateral_revertsZeroAmount() public {
        vm.expectRevert(ErrorsLib.ZeroAmount.selector);
        vm.prank(alice);
        market.depositCollateral(address(weth), 0, alice);
    }

    function test_depositCollateral_revertsZeroOnBehalf() public {
        _fund(weth, alice, 1e18);
        vm.expectRevert(ErrorsLib.ZeroAddress.selector);
        vm.prank(alice);
        market.depositCollateral(address(weth), 1e18, address(0));
    }

    function test_depositCollateral_revertsWithoutAllowanceOrBalance() public {
        weth.mint(alice, 1e18);
        vm.expectRevert(
            abi.encodeWithSelector(IERC20Errors.ERC20InsufficientAllowance.selector, address(market), 0, 1e18)
        );
        vm.prank(alice);
        market.depositCollateral(address(weth), 1e18, alice);

        _fund(weth, bob, 0);
        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InsufficientBalance.selector, bob, 0, 1e18));
        vm.prank(bob);
        market.depositCollateral(address(weth), 1e18, bob);
    }

    function test_depositCollateral_worksWhilePaused() public {
        vm.startPrank(owner);
        market.setMarketPause(true, true);
        market.setCollateralPause(address(weth), true);
        vm.stopPrank();
        _depositCollateral(alice, weth, 1e18);
        assertEq(market.collateralOf(alice, address(weth)), 1e18);
    }

    // ───────────────────────────── withdrawCollateral ─────────────────────────────

    function test_withdrawCollateral_partialKeepsMaskFullClearsIt() public {
        _depositCollateral(alice, weth, 3e18);
        _depositCollateral(alice, wsteth, 1e18);
        assertEq(_mask(alice), 3);

        vm.expectEmit(address(market));
        emit EventsLib.CollateralWithdrawn(alice, alice, address(weth), 1e18, bob);
        vm.prank(alice);
        market.withdrawCollateral(address(weth), 1e18, alice, bob);
        assertEq(weth.balanceOf(bob), 1e18);
        assertEq(market.collateralOf(alice, address(weth)), 2e18);
        assertEq(_mask(alice), 3);

        vm.prank(alice);
        market.withdrawCollateral(address(weth), 2e18, alice, alice);
        assertEq(market.collateralOf(alice, address(weth)), 0);
        assertEq(_mask(alice), 2, "WETH bit cleared, wstETH kept");
        assertEq(weth.balanceOf(address(market)), 0);
    }

    function test_withdrawCollateral_upToBorrowPower() public {
        _openPosition(alice, weth, 10e18, 12_000e6); // borrow power 24000, debt 12000
        // Leaving 5 WETH = 15000 * 0.8 = 12000 of borrow power exactly covers the debt.
        vm.prank(alice);
        market.withdrawCollateral(address(weth), 5e18, alice, alice);
        assertEq(market.collateralOf(alice, address(weth)), 5e18);

        vm.expectRevert(abi.encodeWithSelector(ErrorsLib.InsufficientCollateral.selector, 11_999.9976e18, 12_000e18));
        vm.prank(alice);
        market.withdrawCollateral(address(weth), 1e12, alice, alice);
    }

    function test_withdrawCollateral_revertsInsufficientBalance() public {
        _depositCollateral(alice, wbtc, 1e8);
        vm.expectRevert(abi.encodeWithSelector(ErrorsLib.InsufficientBalance.selector, 1e8 + 1, 1e8));
        vm.prank(alice);
        market.withdrawCollateral(address(wbtc), 1e8 + 1, alice, alice);
    }

    function test_withdrawCollateral_revertsUnauthorized() public {
        _depositCollateral(alice, weth, 1e18);
        vm.expectRevert(abi.encodeWithSelector(ErrorsLib.Unauthorized.selector, bob, alice));
        vm.prank(bob);
        market.withdrawCollateral(address(weth), 1e18, alice, bob);
    }

    function test_withdrawCollateral_byAuthorizedManager() public {
        _depositCollateral(alice, weth, 1e18);
        vm.prank(alice);
        market.setAuthorization(bob, true);
        vm.expectEmit(address(market));
        emit EventsLib.CollateralWithdrawn(bob, alice, address(weth), 1e18, bob);
        vm.prank(bob);
        market.withdrawCollateral(address(weth), 1e18, alice, bob);
        assertEq(weth.balanceOf(bob), 1e18);
    }

    function test_withdrawCollateral_revertsInputErrors() public {
        MockERC20 other = new MockERC20("Other", "OTH", 18);
        vm.startPrank(alice);
        vm.expectRevert(abi.encodeWithSelector(ErrorsLib.CollateralNotListed.selector, address(other)));
        market.withdrawCollateral(address(other), 1, alice, alice);
        vm.expectRevert(ErrorsLib.ZeroAmount.selector);
        market.withdrawCollateral(address(weth), 0, alice, alice);
        vm.expectRevert(ErrorsLib.ZeroAddress.selector);
        market.withdrawCollateral(address(weth), 1, alice, address(0));
        vm.stopPrank();
    }

    function test_withdrawCollateral_revertsWhenMarketOrCollateralPaused() public {
        _depositCollateral(alice, weth, 1e18);
        vm.prank(owner);
        market.setMarketPause(false, true);
        vm.expectRevert(abi.encodeWithSelector(ErrorsLib.WithdrawPaused.selector, address(weth)));
        vm.prank(alice);
        market.withdrawCollateral(address(weth), 1e18, alice, alice);

        vm.startPrank(owner);
        market.setMarketPause(false, false);
        market.setCollateralPause(address(weth), true);
        vm.stopPrank();
        vm.expectRevert(abi.encodeWithSelector(ErrorsLib.WithdrawPaused.selector, address(weth)));
        vm.prank(alice);
        market.withdrawCollateral(address(weth), 1e18, alice, alice);

        // Another collateral is unaffected by WETH's pause.
        _depositCollateral(alice, wbtc, 1e8);
        vm.prank(alice);
        market.withdrawCollateral(address(wbtc), 1e8, alice, alice);
    }

    function test_withdrawCollateral_withoutDebtIgnoresStalePrice() public {
        _depositCollateral(alice, weth, 1e18);
        vm.warp(vm.getBlockTimestamp() + 2 days); // every feed stale
        vm.prank(alice);
        market.withdrawCollateral(address(weth), 1e18, alice, alice);
        assertEq(weth.balanceOf(alice), 1e18);
    }

    function test_withdrawCollateral_withDebtRevertsOnStalePrice() public {
        _openPosition(alice, weth, 10e18, 1000e6);
        uint256 updatedAt = vm.getBlockTimestamp();
        vm.warp(vm.getBlockTimestamp() + COLLATERAL_HEARTBEAT + 1);
        vm.expectRevert(
            abi.encodeWithSelector(ErrorsLib.StalePrice.selector, address(weth), updatedAt, COLLATERAL_HEARTBEAT)
        );
        vm.prank(alice);
        market.withdrawCollateral(address(weth), 1e18, alice, alice);
    }

    // ───────────────────────────── borrow ─────────────────────────────

    function test_borrow_sendsLoanAndRecordsDebt() public {
        _depositCollateral(alice, weth, 10e18);
        vm.expectEmit(address(market));
        emit EventsLib.Borrowed(alice, alice, bob, 24_000e6, 24_000e6);
        vm.prank(alice);
        market.borrow(24_000e6, alice, bob); // exactly the borrow power (30000 * 0.8)
        assertEq(usdc.balanceOf(bob), 24_000e6);
        assertEq(market.debtOf(alice), 24_000e6);
        assertEq(market.totalDebt(), 24_000e6);
        assertEq(market.cash(), LENDER_SEED - 24_000e6);
        assertEq(market.healthFactor(alice), 1.0625e18); // 25500 / 24000
    }

    function test_borrow_revertsAboveBorrowPower() public {
        _depositCollateral(alice, weth, 10e18);
        vm.expectRevert(abi.encodeWithSelector(ErrorsLib.InsufficientCollateral.selector, 24_000e18, 24_000e18 + 1e12));
        _borrow(alice, 24_000e6 + 1);
    }

    function test_borrow_netRiskSumsEveryCollateral() public {
        _depositCollateral(alice, weth, 1e18); // 3000 * 0.80 = 2400
        _depositCollateral(alice, wsteth, 1e18); // 3500 * 0.75 = 2625
        _depositCollateral(alice, wbtc, 0.1e8); // 6000 * 0.73 = 4380
        _borrow(alice, 9405e6);
        // power = 2550 + 2800 + 4680 = 10030
        assertEq(market.healthFactor(alice), uint256(10_030e18) * 1e18 / 9405e18);
        vm.expectRevert(abi.encodeWithSelector(ErrorsLib.InsufficientCollateral.selector, 9405e18, 9405e18 + 1e12));
        _borrow(alice, 1);
    }

    function test_borrow_pausedCollateralGivesNoBorrowPower() public {
        _depositCollateral(alice, weth, 10e18);
        _depositCollateral(alice, wbtc, 1e8);
        vm.prank(owner);
        market.setCollateralPause(address(wbtc), true);
        // Only WETH counts now: 24000 of borrow power.
        vm.expectRevert(abi.encodeWithSelector(ErrorsLib.InsufficientCollateral.selector, 24_000e18, 24_001e18));
        _borrow(alice, 24_001e6);
        _borrow(alice, 24_000e6);
        // ...but WBTC still counts for health.
        assertEq(market.healthFactor(alice), uint256(25_500e18 + 46_800e18) * 1e18 / 24_000e18);
    }

    function test_borrow_revertsInsufficientLiquidity() public {
        _depositCollateral(alice, wbtc, 100e8); // 6M of collateral
        vm.expectRevert(
            abi.encodeWithSelector(ErrorsLib.InsufficientLiquidity.selector, LENDER_SEED + 1, LENDER_SEED)
        );
        _borrow(alice, LENDER_SEED + 1);
        _borrow(alice, LENDER_SEED);
        assertEq(market.availableLiquidity(), 0);
    }

    function test_borrow_revertsInputErrorsAuthAndPause() public {
        _depositCollateral(alice, weth, 10e18);
        vm.startPrank(alice);
        vm.expectRevert(ErrorsLib.ZeroAmount.selector);
        market.borrow(0, alice, alice);
        vm.expectRevert(ErrorsLib.ZeroAddress.selector);
        market.borrow(1e6, alice, address(0));
        vm.stopPrank();

        vm.expectRevert(abi.encodeWithSelector(ErrorsLib.Unauthorized.selector, bob, alice));
        vm.prank(bob);
        market.borrow(1e6, alice, bob);

        vm.prank(owner);
        market.setMarketPause(true, false);
        vm.expectRevert(ErrorsLib.BorrowPaused.selector);
        _borrow(alice, 1e6);
        vm.prank(owner);
        market.setMarketPause(false, false);
        _borrow(alice, 1e6);
    }

    function test_borrow_byAuthorizedManagerSendsToReceiver() public {
        _depositCollateral(alice, weth, 10e18);
        vm.prank(alice);
        market.setAuthorization(bob, true);
        vm.prank(bob);
        market.borrow(1000e6, alice, bob);
        assertEq(market.debtOf(alice), 1000e6);
        assertEq(market.debtOf(bob), 0);
        assertEq(usdc.balanceOf(bob), 1000e6);

        vm.prank(alice);
        market.setAuthorization(bob, false);
        vm.expectRevert(abi.encodeWithSelector(ErrorsLib.Unauthorized.selector, bob, alice));
        vm.prank(bob);
        market.borrow(1000e6, alice, bob);
    }

    function test_borrow_revertsOnStaleOrInvalidPrice() public {
        _depositCollateral(alice, weth, 10e18);
        _setPrice(wethFeed, 0);
        vm.expectRevert(abi.encodeWithSelector(ErrorsLib.InvalidPrice.selector, address(weth), int256(0)));
        _borrow(alice, 1e6);
        _setPrice(wethFeed, -1);
        vm.expectRevert(abi.encodeWithSelector(ErrorsLib.InvalidPrice.selector, address(weth), int256(-1)));
        _borrow(alice, 1e6);
        _setPrice(wethFeed, 3000e8);
        usdcFeed.setAnswerAt(1e8, vm.getBlockTimestamp() - STABLE_HEARTBEAT - 1);
        vm.expectRevert(
            abi.encodeWithSelector(
                ErrorsLib.StalePrice.selector, address(usdc), vm.getBlockTimestamp() - STABLE_HEARTBEAT - 1, STABLE_HEARTBEAT
            )
        );
        _borrow(alice, 1e6);
    }

    function test_borrow_debtRoundsUpAgainstBorrower() public {
        _openPosition(alice, weth, 100e18, 1000e6);
        _warp(7 days);
        uint256 index = market.borrowIndex();
        assertGt(index, WAD);
        // A 1-unit borrow at a fractional index records a scaled debt worth at least 1 unit.
        (uint128 scaledBefore,,,) = market.accounts(alice);
        _borrow(alice, 1);
        (uint128 scaledAfter,,,) = market.accounts(alice);
        assertEq(scaledAfter - scaledBefore, (WAD + index - 1) / index);
    }

    // ───────────────────────────── repay ─────────────────────────────

    function test_repay_partialReducesDebt() public {
        _openPosition(alice, weth, 10e18, 10_000e6);
        _fund(usdc, bob, 4000e6);
        vm.expectEmit(address(market));
        emit EventsLib.Repaid(bob, alice, 4000e6, 6000e6);
        vm.prank(bob);
        uint256 repaid = market.repay(4000e6, alice);
        assertEq(repaid, 4000e6);
        assertEq(market.debtOf(alice), 6000e6);
        assertEq(usdc.balanceOf(bob), 0);
        assertEq(market.cash(), LENDER_SEED - 6000e6);
    }

    function test_repay_maxRepaysAccruedInterestLeavingNoDust() public {
        _openPosition(alice, weth, 10e18, 20_000e6);
        _warp(97 days + 13);
        uint256 debt = market.debtOf(alice);
        assertGt(debt, 20_000e6, "interest accrued");
        _fund(usdc, alice, debt - 20_000e6);
        uint256 before = usdc.balanceOf(alice);

        vm.prank(alice);
        uint256 repaid = market.repay(type(uint256).max, alice);
        assertEq(repaid, debt, "view debt equals what is pulled");
        assertEq(before - usdc.balanceOf(alice), debt);
        (uint128 scaled,,,) = market.accounts(alice);
        assertEq(scaled, 0, "no dust");
        assertEq(market.debtOf(alice), 0);
        assertEq(market.healthFactor(alice), type(uint256).max);
        assertEq(market.totalDebt(), 0);
        // With no debt left the whole collateral is free.
        vm.prank(alice);
        market.withdrawCollateral(address(weth), 10e18, alice, alice);
    }

    function test_repay_amountAboveDebtPullsOnlyTheDebt() public {
        _openPosition(alice, weth, 10e18, 1000e6);
        _fund(usdc, alice, 5000e6);
        vm.prank(alice);
        uint256 repaid = market.repay(5000e6, alice);
        assertEq(repaid, 1000e6);
        assertEq(usdc.balanceOf(alice), 5000e6);
    }

    function test_repay_reverts() public {
        vm.expectRevert(ErrorsLib.ZeroAmount.selector);
        market.repay(0, alice);
        vm.expectRevert(ErrorsLib.NoDebt.selector);
        market.repay(1e6, alice);

        _openPosition(alice, weth, 10e18, 1000e6);
        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InsufficientAllowance.selector, address(market), 0, 1e6));
        vm.prank(bob);
        market.repay(1e6, alice);
    }

    function test_repay_worksWhilePausedAndWithStaleFeeds() public {
        _openPosition(alice, weth, 10e18, 1000e6);
        vm.startPrank(owner);
        market.setMarketPause(true, true);
        market.setCollateralPause(address(weth), true);
        vm.stopPrank();
        vm.warp(vm.getBlockTimestamp() + 3 days); // every feed stale
        _repay(alice, alice, 400e6);
        _repay(alice, alice, type(uint256).max);
        assertEq(market.debtOf(alice), 0);
    }

    // ───────────────────────────── setAuthorization ─────────────────────────────

    function test_setAuthorization_setsAndRevokes() public {
        vm.expectEmit(address(market));
        emit EventsLib.AuthorizationSet(alice, bob, true);
        vm.prank(alice);
        market.setAuthorization(bob, true);
        assertTrue(market.isAuthorized(alice, bob));
        assertFalse(market.isAuthorized(bob, alice), "not symmetric");

        vm.expectEmit(address(market));
        emit EventsLib.AuthorizationSet(alice, bob, false);
        vm.prank(alice);
        market.setAuthorization(bob, false);
        assertFalse(market.isAuthorized(alice, bob));
    }

    function test_authorizedManagerCannotLiquidateOrFlagPrivilegedly() public {
        // Authorization covers borrow and withdraw only; repay and deposit are open to anyone anyway.
        _openPosition(alice, weth, 10e18, 1000e6);
        vm.prank(alice);
        market.setAuthorization(bob, true);
        vm.expectRevert(abi.encodeWithSelector(ErrorsLib.HealthyAccount.selector, market.healthFactor(alice)));
        vm.prank(bob);
        market.flag(alice);
    }
}
