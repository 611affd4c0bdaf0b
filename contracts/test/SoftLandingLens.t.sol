// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {BaseTest} from "./utils/BaseTest.sol";
import {SoftLandingLens} from "../src/periphery/SoftLandingLens.sol";
import {RiskMath} from "../src/libraries/RiskMath.sol";
import {Zone} from "../src/libraries/Types.sol";
import {DevnetConfig} from "../script/DevnetConfig.sol";

/// @notice The lens reports exactly what the market's own views say, and never reverts on a bad price.
contract SoftLandingLensTest is BaseTest {
    address internal carol = makeAddr("carol");

    function setUp() public override {
        super.setUp();
        _depositCollateral(alice, weth, 10e18);
        _depositCollateral(alice, wbtc, 0.05e8);
        _borrow(alice, 20_000e6);
        _openPosition(bob, wsteth, 3e18, 5000e6);
        _depositCollateral(carol, weth, 1e18); // no debt
        _warp(3 days + 17); // interest pending, not yet written
    }

    function test_getPosition_equalsMarketViews() public view {
        SoftLandingLens.PositionView memory p = lens.getPosition(market, alice);
        assertEq(p.account, alice);
        assertEq(p.debt, market.debtOf(alice));
        assertGt(p.debt, 20_000e6, "interest accrued to this block");
        assertEq(p.healthFactor, market.healthFactor(alice));
        assertTrue(p.healthOk);
        assertEq(uint8(p.zone), uint8(Zone.HEALTHY));
        assertEq(p.blockNumber, block.number);
        assertEq(p.timestamp, vm.getBlockTimestamp());
        (uint128 scaled,,,) = market.accounts(alice);
        assertEq(p.scaledDebt, scaled);
        assertEq(p.debtValue, RiskMath.debtValue(p.debt, 1e18, 6));

        assertEq(p.market.collaterals.length, 3);
        assertEq(p.market.collaterals[0].asset, address(weth));
        assertEq(p.market.collaterals[0].symbol, "WETH");
        assertEq(p.market.collaterals[0].balance, 10e18);
        assertEq(p.market.collaterals[0].value, 30_000e18);
        assertEq(p.market.collaterals[0].price, 3000e18);
        assertTrue(p.market.collaterals[0].priceOk);
        assertEq(p.market.collaterals[1].balance, 0);
        assertEq(p.market.collaterals[2].balance, 0.05e8);
        assertEq(p.market.collaterals[2].value, 3000e18);
        assertEq(p.market.collaterals[2].decimals, 8);
        assertEq(p.collateralValue, 33_000e18);
        assertEq(p.collateralPower, 25_500e18 + 2340e18);
        assertEq(p.borrowPower, 24_000e18 + 2190e18);
    }

    function test_getPosition_reportsZoneAndLiquidationClock() public {
        _setPrice(wethFeed, 2350e8); // (23500 * 0.85 + 2340) / ~20 010 -> ~1.115? lower further
        _setPrice(wethFeed, 2100e8); // (17850 + 2340) / 20 0xx = ~1.009
        _setPrice(wethFeed, 2050e8); // (17425 + 2340) / 20 0xx = ~0.987: SOFT
        vm.prank(keeper);
        market.flag(alice);
        SoftLandingLens.PositionView memory p = lens.getPosition(market, alice);
        assertEq(uint8(p.zone), uint8(Zone.SOFT));
        assertEq(p.flaggedAt, vm.getBlockTimestamp());
        assertEq(p.healthFactor, market.healthFactor(alice));
        _setPrice(wethFeed, 1500e8);
        p = lens.getPosition(market, alice);
        assertEq(uint8(p.zone), uint8(Zone.HARD));
        assertEq(p.healthFactor, market.healthFactor(alice));
    }

    function test_getMarket_equalsMarketViews() public view {
        SoftLandingLens.MarketView memory m = lens.getMarket(market);
        assertEq(m.market, address(market));
        assertEq(m.oracle, address(oracle));
        assertEq(m.loanToken, address(usdc));
        assertEq(m.loanSymbol, "USDC");
        assertEq(m.loanDecimals, 6);
        assertEq(m.loanPrice, 1e18);
        assertTrue(m.loanPriceOk);
        assertEq(abi.encode(m.risk), abi.encode(DevnetConfig.softRiskParams()));
        assertEq(abi.encode(m.rateModel), abi.encode(DevnetConfig.rateModel()));
        assertEq(m.totalAssets, market.totalAssets());
        assertEq(m.totalShares, market.totalSupply());
        assertEq(m.totalDebt, market.totalDebt());
        assertEq(m.cash, market.cash());
        assertEq(m.availableLiquidity, market.availableLiquidity());
        assertEq(m.insuranceFund, market.insuranceFund());
        assertGt(m.insuranceFund, 0);
        assertEq(m.totalSocialisedBadDebt, 0);
        assertEq(m.borrowIndex, market.borrowIndex());
        assertEq(m.utilization, m.totalDebt * WAD / m.totalAssets);
        assertLe(m.utilization, m.rateModel.kink);
        assertEq(m.borrowRatePerYear, m.rateModel.baseRate + uint256(m.rateModel.slope1) * m.utilization / m.rateModel.kink);
        assertEq(m.supplyRatePerYear, m.borrowRatePerYear * m.utilization / WAD * 0.9e18 / WAD);
        assertFalse(m.borrowPaused);
        assertFalse(m.withdrawPaused);
        assertEq(m.collaterals.length, 3);
        assertEq(m.collaterals[1].symbol, "wstETH");
        assertEq(m.collaterals[1].ltv, 0.75e18);
        assertEq(m.collaterals[1].lt, 0.8e18);
        assertEq(m.collaterals[1].price, 3500e18);
        assertEq(m.collaterals[1].balance, 0);
        assertEq(m.blockNumber, block.number);
        assertEq(m.timestamp, vm.getBlockTimestamp());
    }

    function test_getPositions_matchesEachAccount() public view {
        address[] memory who = new address[](4);
        (who[0], who[1], who[2], who[3]) = (alice, bob, carol, keeper);
        SoftLandingLens.PositionsView memory v = lens.getPositions(market, who);
        assertEq(v.blockNumber, block.number);
        assertEq(v.timestamp, vm.getBlockTimestamp());
        assertEq(v.loanPrice, 1e18);
        assertEq(v.collateralPrices.length, 3);
        assertEq(v.collateralPrices[2], 60_000e18);
        assertEq(v.accounts.length, 4);
        for (uint256 i; i < 4; ++i) {
            SoftLandingLens.AccountSummary memory s = v.accounts[i];
            assertEq(s.account, who[i]);
            assertEq(s.debt, market.debtOf(who[i]));
            assertEq(s.healthFactor, market.healthFactor(who[i]));
            assertTrue(s.healthOk);
            assertEq(s.balances.length, 3);
            assertEq(s.balances[0], market.collateralOf(who[i], address(weth)));
            assertEq(s.balances[1], market.collateralOf(who[i], address(wsteth)));
            assertEq(s.balances[2], market.collateralOf(who[i], address(wbtc)));
        }
        assertEq(v.accounts[2].healthFactor, type(uint256).max, "no debt");
        assertEq(v.accounts[3].balances[0], 0, "unknown account");
    }

    function test_staleFeed_reportedNotReverted() public {
        uint256 hfBefore = market.healthFactor(alice);
        vm.warp(vm.getBlockTimestamp() + COLLATERAL_HEARTBEAT + 1); // collateral feeds stale, USDC (1 day) fine
        vm.expectRevert();
        market.healthFactor(alice);

        SoftLandingLens.PositionView memory p = lens.getPosition(market, alice);
        assertFalse(p.market.collaterals[0].priceOk);
        assertEq(p.market.collaterals[0].price, oracle.lastPrice(address(weth)), "the last valid price, marked not ok");
        assertEq(p.market.collaterals[0].balance, 10e18, "balances still shown");
        assertTrue(p.market.loanPriceOk);
        assertFalse(p.healthOk);
        assertEq(p.healthFactor, 0);
        assertEq(p.debt, market.debtOf(alice), "debt needs no price");

        address[] memory who = new address[](2);
        (who[0], who[1]) = (alice, makeAddr("nobody"));
        // The keeper's scan judges a stale collateral at its last valid price, as the market's `flag` does.
        SoftLandingLens.PositionsView memory v = lens.getPositions(market, who);
        assertTrue(v.accounts[0].healthOk);
        assertEq(v.collateralPrices[0], 0, "not fresh: cannot be seized");
        assertEq(v.collateralLastPrices[0], oracle.lastPrice(address(weth)));
        assertApproxEqRel(v.accounts[0].healthFactor, hfBefore, 1e15, "an hour of interest apart");
        assertTrue(v.accounts[1].healthOk, "an empty account needs no price");

        SoftLandingLens.MarketView memory m = lens.getMarket(market);
        assertFalse(m.collaterals[2].priceOk);
    }

    /// @dev Without debt health is maximal whatever the prices, as the market's own healthFactor says.
    function test_staleFeed_debtFreeAccountStaysHealthy() public {
        _depositCollateral(carol, weth, 1e18);
        vm.warp(vm.getBlockTimestamp() + COLLATERAL_HEARTBEAT + 1);
        assertEq(market.healthFactor(carol), type(uint256).max);

        SoftLandingLens.PositionView memory p = lens.getPosition(market, carol);
        assertFalse(p.market.collaterals[0].priceOk);
        assertTrue(p.healthOk);
        assertEq(p.healthFactor, type(uint256).max);
        assertEq(uint8(p.zone), uint8(Zone.HEALTHY));

        address[] memory who = new address[](1);
        who[0] = carol;
        SoftLandingLens.PositionsView memory v = lens.getPositions(market, who);
        assertTrue(v.accounts[0].healthOk);
        assertEq(v.accounts[0].healthFactor, type(uint256).max);
        assertEq(v.accounts[0].balances[0], market.collateralOf(carol, address(weth)));
    }

    function test_staleLoanFeed_reportedNotReverted() public {
        usdcFeed.setAnswer(0);
        SoftLandingLens.PositionView memory p = lens.getPosition(market, alice);
        assertFalse(p.market.loanPriceOk);
        assertFalse(p.healthOk);
        p = lens.getPosition(market, carol);
        assertTrue(p.healthOk, "no debt: the loan price does not matter");
        assertEq(p.healthFactor, type(uint256).max);
    }
}
