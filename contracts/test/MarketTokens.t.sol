// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {BaseTest} from "./utils/BaseTest.sol";
import {NoReturnERC20} from "./mocks/NoReturnERC20.sol";
import {ReentrantERC20} from "./mocks/ReentrantERC20.sol";
import {SoftLandingMarket} from "../src/SoftLandingMarket.sol";
import {AggregatorV3Interface} from "../src/interfaces/AggregatorV3Interface.sol";
import {IPriceOracle} from "../src/interfaces/IPriceOracle.sol";
import {MockAggregator} from "../src/mocks/MockAggregator.sol";
import {DevnetConfig} from "../script/DevnetConfig.sol";

/// @notice Tokens that misbehave: USDT-style missing return values (SafeERC20) and transfer hooks (reentrancy).
contract MarketTokensTest is BaseTest {
    function test_safeERC20_tokensThatReturnNothing() public {
        NoReturnERC20 usdt = new NoReturnERC20("Tether", "USDT", 6);
        NoReturnERC20 collateral = new NoReturnERC20("No Return Collateral", "NRC", 18);
        MockAggregator usdtFeed = new MockAggregator(8, "USDT / USD", 1e8);
        MockAggregator nrcFeed = new MockAggregator(8, "NRC / USD", 100e8);
        vm.startPrank(owner);
        oracle.setFeed(address(usdt), AggregatorV3Interface(address(usdtFeed)), 1 days);
        oracle.setFeed(address(collateral), AggregatorV3Interface(address(nrcFeed)), 1 hours);
        SoftLandingMarket m = new SoftLandingMarket(
            IERC20Metadata(address(usdt)),
            IPriceOracle(address(oracle)),
            "USDT market",
            "slUSDT",
            owner,
            DevnetConfig.softRiskParams(),
            DevnetConfig.rateModel(),
            DevnetConfig.PARAM_DELAY
        );
        m.listCollateral(address(collateral), 0.5e18, 0.6e18);
        vm.stopPrank();

        usdt.mint(lender, 100_000e6);
        vm.startPrank(lender);
        usdt.approve(address(m), type(uint256).max);
        m.deposit(100_000e6, lender);
        vm.stopPrank();

        collateral.mint(alice, 100e18);
        usdt.mint(alice, 1000e6);
        vm.startPrank(alice);
        collateral.approve(address(m), type(uint256).max);
        usdt.approve(address(m), type(uint256).max);
        m.depositCollateral(address(collateral), 100e18, alice); // 10 000 USD
        m.borrow(4000e6, alice, alice);
        assertEq(usdt.balanceOf(alice), 5000e6);
        m.withdrawCollateral(address(collateral), 10e18, alice, alice);
        assertEq(collateral.balanceOf(alice), 10e18);
        m.repay(type(uint256).max, alice);
        assertEq(usdt.balanceOf(alice), 1000e6);
        vm.stopPrank();

        // Hard liquidation moves both tokens through SafeERC20 too.
        vm.prank(alice);
        m.borrow(4000e6, alice, alice);
        nrcFeed.setAnswer(60e8); // 90 * 60 * 0.6 = 3240 < 0.95 * 4000
        usdt.mint(keeper, 5000e6);
        vm.startPrank(keeper);
        usdt.approve(address(m), type(uint256).max);
        (uint256 repaid, uint256 seized) = m.liquidate(alice, address(collateral), 1000e6, 0);
        vm.stopPrank();
        assertEq(repaid, 1000e6);
        assertEq(collateral.balanceOf(keeper), seized);

        vm.prank(lender);
        m.withdraw(1000e6, lender, lender);
        assertEq(usdt.balanceOf(lender), 1000e6);

        // A failing no-return transfer still reverts the call.
        vm.startPrank(bob);
        collateral.approve(address(m), type(uint256).max);
        vm.expectRevert(bytes("balance"));
        m.depositCollateral(address(collateral), 1e18, bob);
        vm.stopPrank();
    }

    function _hookMarket() internal returns (ReentrantERC20 hook) {
        hook = new ReentrantERC20();
        MockAggregator feed = new MockAggregator(8, "HOOK / USD", 10e8);
        vm.startPrank(owner);
        oracle.setFeed(address(hook), AggregatorV3Interface(address(feed)), 1 hours);
        market.listCollateral(address(hook), 0.5e18, 0.6e18);
        vm.stopPrank();
        hook.mint(alice, 1000e18);
        vm.prank(alice);
        hook.approve(address(market), type(uint256).max);
    }

    function _assertBlocked(ReentrantERC20 hook) internal view {
        assertTrue(hook.innerReverted(), "reentrant call must fail");
        assertEq(hook.innerRevertData(), abi.encodeWithSelector(ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector));
    }

    function test_reentrancyGuard_depositHookCannotReenter() public {
        ReentrantERC20 hook = _hookMarket();
        // During depositCollateral's transferFrom, try to borrow against the not-yet-complete deposit.
        hook.arm(address(market), abi.encodeCall(market.borrow, (1e6, alice, alice)));
        vm.prank(alice);
        market.depositCollateral(address(hook), 100e18, alice);
        _assertBlocked(hook);
        assertEq(market.collateralOf(alice, address(hook)), 100e18, "the outer call completed");
    }

    function test_reentrancyGuard_withdrawHookCannotReenter() public {
        ReentrantERC20 hook = _hookMarket();
        vm.prank(alice);
        market.depositCollateral(address(hook), 100e18, alice);
        hook.arm(address(market), abi.encodeCall(market.withdrawCollateral, (address(hook), 1e18, alice, alice)));
        vm.prank(alice);
        market.withdrawCollateral(address(hook), 10e18, alice, alice);
        _assertBlocked(hook);

        // Every guarded entry point refuses, the vault's too.
        bytes[5] memory calls = [
            abi.encodeCall(market.repay, (1, alice)),
            abi.encodeCall(market.flag, (alice)),
            abi.encodeCall(market.unflag, (alice)),
            abi.encodeCall(market.liquidate, (alice, address(hook), 1, 0)),
            abi.encodeCall(market.deposit, (1, alice))
        ];
        for (uint256 i; i < calls.length; ++i) {
            hook.arm(address(market), calls[i]);
            vm.prank(alice);
            market.withdrawCollateral(address(hook), 1e18, alice, alice);
            _assertBlocked(hook);
        }
    }
}
