// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {BaseTest} from "../utils/BaseTest.sol";
import {MockERC20} from "../../src/mocks/MockERC20.sol";
import {MockAggregator} from "../../src/mocks/MockAggregator.sol";
import {DeleveragePolicy, LiquidationPreview, RiskParams, Zone} from "../../src/libraries/Types.sol";
import {ErrorsLib} from "../../src/libraries/ErrorsLib.sol";

/// @notice Market-level fuzzing of health, slice sizing, interest and share conversion.
contract MarketFuzzTest is BaseTest {
    /// @dev Hand-worked figures below assume the worked-example auction (0.5% → 2% over 600 s).
    function _riskParams() internal pure override returns (RiskParams memory) {
        return _workedExampleRiskParams();
    }

    function setUp() public override {
        super.setUp();
        _lend(lender, 100_000_000e6); // deep enough for any fuzzed position
    }

    struct Setup {
        uint256 wethAmount;
        uint256 wbtcAmount;
        uint256 debt;
    }

    /// @dev A WETH + WBTC position borrowing `debtFraction` of its borrow power.
    function _position(uint256 wethAmount, uint256 wbtcAmount, uint256 debtFraction) internal returns (Setup memory s) {
        s.wethAmount = bound(wethAmount, 0.01e18, 1000e18);
        s.wbtcAmount = bound(wbtcAmount, 0.0001e8, 20e8);
        _depositCollateral(alice, weth, s.wethAmount);
        _depositCollateral(alice, wbtc, s.wbtcAmount);
        uint256 borrowPower = s.wethAmount * 3000 * 0.8e18 / 1e18 + s.wbtcAmount * 60_000 * 0.73e18 / 1e8;
        s.debt = Math.mulDiv(borrowPower / 1e12, bound(debtFraction, 0.5e18, 1e18), WAD);
        if (s.debt == 0) s.debt = 1;
        _borrow(alice, s.debt);
    }

    /// @dev Scales both collateral prices so that health lands near `targetHf`.
    function _moveHealthTo(uint256 targetHf) internal {
        uint256 hf = market.healthFactor(alice);
        int256 wethPrice = int256(Math.mulDiv(3000e8, targetHf, hf));
        int256 wbtcPrice = int256(Math.mulDiv(60_000e8, targetHf, hf));
        _setPrice(wethFeed, wethPrice > 0 ? wethPrice : int256(1));
        _setPrice(wbtcFeed, wbtcPrice > 0 ? wbtcPrice : int256(1));
    }

    function testFuzz_healthFactor_matchesNetRiskFormula(
        uint256 wethAmount,
        uint256 wbtcAmount,
        uint256 debtFraction,
        uint256 wethPrice,
        uint256 wbtcPrice
    ) public {
        Setup memory s = _position(wethAmount, wbtcAmount, debtFraction);
        wethPrice = bound(wethPrice, 1e8, 10_000e8);
        wbtcPrice = bound(wbtcPrice, 1e8, 200_000e8);
        _setPrice(wethFeed, int256(wethPrice));
        _setPrice(wbtcFeed, int256(wbtcPrice));
        uint256 power = Math.mulDiv(s.wethAmount * wethPrice * 1e10 / 1e18, 0.85e18, WAD)
            + Math.mulDiv(s.wbtcAmount * wbtcPrice * 1e10 / 1e8, 0.78e18, WAD);
        uint256 debtValue = s.debt * 1e12;
        assertEq(market.healthFactor(alice), power * WAD / debtValue);
        assertEq(lens.getPosition(market, alice).healthFactor, market.healthFactor(alice));
    }

    function testFuzz_softSlice_neverAboveAnyCapAndRaisesHealth(
        uint256 wethAmount,
        uint256 wbtcAmount,
        uint256 debtFraction,
        uint256 targetHf,
        bool throughWbtc,
        uint256 maxRepay
    ) public {
        _position(wethAmount, wbtcAmount, debtFraction);
        _moveHealthTo(bound(targetHf, 0.881e18, 0.999e18));
        uint256 hfBefore = market.healthFactor(alice);
        if (hfBefore >= WAD || hfBefore < 0.88e18) return; // price granularity missed the soft zone
        _flagAfterDrop(alice);
        vm.warp(vm.getBlockTimestamp() + 600);
        _refreshFeeds();
        hfBefore = market.healthFactor(alice);
        if (hfBefore >= WAD || hfBefore < 0.88e18) return;

        MockERC20 c = throughWbtc ? wbtc : weth;
        MockAggregator feed = throughWbtc ? wbtcFeed : wethFeed;
        uint256 debt = market.debtOf(alice);
        // From 1 USDC up: a dust repay of a few base units can lose a unit to scaled-debt rounding
        // (see testFuzz_repay_cancelsAtMostOneUnitLessThanPaid).
        maxRepay = bound(maxRepay, 1e6, 2 * debt);
        (uint256 caps, uint256 minimum) = _independentCaps(c, feed, hfBefore, debt);

        _fundLiquidator(keeper, maxRepay);
        LiquidationPreview memory p = market.previewLiquidation(alice, address(c));
        assertEq(p.repayCap, caps, "market cap = min of the three caps");
        if (caps == 0) return;
        if (caps < minimum || maxRepay < minimum) {
            // Below half the account's cap: refused, whichever collateral is chosen (dust cannot restart the clock).
            vm.prank(keeper);
            vm.expectRevert(
                abi.encodeWithSelector(ErrorsLib.SliceTooSmall.selector, maxRepay < caps ? maxRepay : caps, minimum)
            );
            market.liquidate(alice, address(c), maxRepay, 0);
            if (caps < minimum) return;
            maxRepay = minimum;
            _fundLiquidator(keeper, maxRepay);
        }
        vm.prank(keeper);
        (uint256 repaid, uint256 seized) = market.liquidate(alice, address(c), maxRepay, 0);
        assertEq(repaid, maxRepay < caps ? maxRepay : caps);
        if (repaid == caps) assertEq(seized, p.seized);
        uint256 hfAfter = market.healthFactor(alice);
        assertGe(hfAfter, hfBefore, "a soft slice never lowers health");
        // Seized collateral rounds down to whole base units (a satoshi for WBTC), which can leave health above the
        // target by the power of a unit or two of that collateral: in the borrower's favour.
        uint256 unitValue = uint256(feed.latestAnswer()) * 1e10 / 10 ** c.decimals();
        uint256 slack = Math.mulDiv(2 * unitValue * market.collateralConfig(address(c)).lt, 1, market.debtOf(alice) * 1e12);
        assertLe(hfAfter, 1.02e18 + 1e12 + slack, "and never overshoots the target by more than rounding");
    }

    /// @dev R9: a policy execution, anywhere from HARD to above its trigger, runs exactly when health is below the trigger
    /// and not HARD, repays min(share, target repay, collateral) and never lowers health nor passes the target.
    function testFuzz_policyExecution_withinItsPolicyAndRaisesHealth(
        uint256 wethAmount,
        uint256 wbtcAmount,
        uint256 debtFraction,
        uint256 targetHf,
        uint256 policySeed,
        bool throughWbtc,
        uint256 maxRepay
    ) public {
        _position(wethAmount, wbtcAmount, debtFraction);
        uint64 trigger = uint64(bound(policySeed % 1e6, 1_000_001, 1_600_000)) * 1e12;
        DeleveragePolicy memory policy = DeleveragePolicy({
            triggerHealth: trigger,
            targetHealth: trigger + uint64(bound((policySeed >> 32) % 1e6, 1, 600_000)) * 1e12,
            maxBonus: uint64(bound((policySeed >> 64) % 1e6, 0, 5_000)) * 1e12,
            maxShare: uint64(bound((policySeed >> 96) % 1e6, 1, 1_000_000)) * 1e12
        });
        vm.prank(alice);
        uint256 version = market.setDeleveragePolicy(alice, policy);
        _moveHealthTo(bound(targetHf, 0.85e18, 1.7e18));
        uint256 hfBefore = market.healthFactor(alice);

        MockERC20 c = throughWbtc ? wbtc : weth;
        MockAggregator feed = throughWbtc ? wbtcFeed : wethFeed;
        uint256 debt = market.debtOf(alice);
        maxRepay = bound(maxRepay, 1, 2 * debt);
        _fundLiquidator(keeper, maxRepay);
        if (hfBefore >= trigger || hfBefore < 0.88e18) {
            vm.prank(keeper);
            vm.expectRevert(abi.encodeWithSelector(ErrorsLib.PolicyNotTriggered.selector, hfBefore, trigger));
            market.deleverage(alice, address(c), maxRepay, 0, version);
            return;
        }
        // The three caps from first principles (formula (2) with the policy's target and bonus).
        uint256 price = uint256(feed.latestAnswer()) * 1e10;
        uint256 lt = market.collateralConfig(address(c)).lt;
        uint256 cValue = market.collateralOf(alice, address(c)) * price / 10 ** c.decimals();
        uint256 power = market.collateralOf(alice, address(weth)) * uint256(wethFeed.latestAnswer()) * 1e10 / 1e18
            * 0.85e18 / WAD + market.collateralOf(alice, address(wbtc)) * uint256(wbtcFeed.latestAnswer()) * 1e10 / 1e8
            * 0.78e18 / WAD;
        uint256 onePlusBonus = WAD + policy.maxBonus;
        uint256 targetPower = uint256(policy.targetHealth) * (debt * 1e12) / WAD;
        uint256 targetCap = (targetPower - power) * WAD / (policy.targetHealth - onePlusBonus * lt / WAD) / 1e12;
        uint256 shareCap = debt * policy.maxShare / WAD;
        uint256 collateralCap = cValue * WAD / onePlusBonus / 1e12;
        uint256 cap = Math.min(Math.min(targetCap, shareCap), collateralCap);
        if (cap == 0) return;
        // At least half of what the account's largest collateral could repay (as for slices, R2), so dust
        // executions cannot be spammed.
        uint256 wethValue = market.collateralOf(alice, address(weth)) * uint256(wethFeed.latestAnswer()) * 1e10 / 1e18;
        uint256 wbtcValue = market.collateralOf(alice, address(wbtc)) * uint256(wbtcFeed.latestAnswer()) * 1e10 / 1e8;
        uint256 largestCap = Math.max(wethValue, wbtcValue) * WAD / onePlusBonus / 1e12;
        uint256 minBase = Math.min(Math.min(targetCap, shareCap), largestCap);
        uint256 least = minBase - minBase / 2;
        if (Math.min(maxRepay, cap) < least) {
            vm.prank(keeper);
            vm.expectRevert(abi.encodeWithSelector(ErrorsLib.SliceTooSmall.selector, Math.min(maxRepay, cap), least));
            market.deleverage(alice, address(c), maxRepay, 0, version);
            return;
        }

        vm.prank(keeper);
        (uint256 repaid,) = market.deleverage(alice, address(c), maxRepay, 0, version);
        assertEq(repaid, Math.min(maxRepay, cap), "min of the three caps and the executor's limit");
        if (market.debtOf(alice) == 0) return;
        uint256 hfAfter = market.healthFactor(alice);
        assertGe(hfAfter, hfBefore, "an execution never lowers health");
        uint256 unitValue = price / 10 ** c.decimals();
        uint256 slack = Math.mulDiv(2 * unitValue * lt, 1, market.debtOf(alice) * 1e12) + 1e12;
        assertLe(hfAfter, policy.targetHealth + slack, "and never passes the target by more than rounding");
    }

    /// @dev The caps of docs/liquidation.md R2/R3, computed here from first principles with the devnet parameters,
    /// 600 s after the flag: above the grace floor (0.97) the auction just opened (depth only); below it the auction
    /// has run since the flag, 600 s = the whole ramp.
    function _independentCaps(MockERC20 c, MockAggregator feed, uint256 hf, uint256 debt)
        internal
        view
        returns (uint256 repayCap, uint256 minimum)
    {
        uint256 d = hf <= 0.88e18 ? WAD : (WAD - hf) * WAD / 0.12e18;
        uint256 weight = hf < 0.97e18 ? WAD : d;
        uint256 bonus = 0.005e18 + 0.015e18 * weight / WAD;
        uint256 lt = c == weth ? 0.85e18 : 0.78e18;
        uint256 decimals = c == weth ? 18 : 8;
        uint256 price = uint256(feed.latestAnswer()) * 1e10;
        uint256 balance = market.collateralOf(alice, address(c));
        uint256 debtValue = debt * 1e12;
        uint256 power = Math.mulDiv(market.collateralOf(alice, address(weth)) * uint256(wethFeed.latestAnswer()) * 1e10 / 1e18, 0.85e18, WAD)
            + Math.mulDiv(market.collateralOf(alice, address(wbtc)) * uint256(wbtcFeed.latestAnswer()) * 1e10 / 1e8, 0.78e18, WAD);

        uint256 shareCap = debt * (0.1e18 + 0.9e18 * d / WAD) / WAD;
        uint256 targetPower = 1.02e18 * debtValue / WAD;
        uint256 targetCap = targetPower <= power
            ? 0
            : ((targetPower - power) * WAD / (1.02e18 - (WAD + bonus) * lt / WAD)) / 1e12;
        uint256 collateralCap = (balance * price / 10 ** decimals) * WAD / (WAD + bonus) / 1e12;
        uint256 accountCap = shareCap < targetCap ? shareCap : targetCap;
        minimum = _minimumSlice(accountCap, bonus);
        repayCap = accountCap < collateralCap ? accountCap : collateralCap;
    }

    /// @dev Half (rounded up) of what the account's largest collateral could repay, within the account's cap.
    function _minimumSlice(uint256 accountCap, uint256 bonus) internal view returns (uint256) {
        uint256 wethValue = market.collateralOf(alice, address(weth)) * uint256(wethFeed.latestAnswer()) * 1e10 / 1e18;
        uint256 wbtcValue = market.collateralOf(alice, address(wbtc)) * uint256(wbtcFeed.latestAnswer()) * 1e10 / 1e8;
        uint256 largestCap = (wethValue > wbtcValue ? wethValue : wbtcValue) * WAD / (WAD + bonus) / 1e12;
        uint256 minBase = accountCap < largestCap ? accountCap : largestCap;
        return minBase - minBase / 2;
    }

    /// @dev HARD: any size up to what restores the target; never lowers the health of a solvent account; the bonus
    /// is at most 8% and at most what still raises health through WETH; refused only when nothing can be done.
    function testFuzz_hardLiquidation_justEnoughAndNeverWorse(
        uint256 wethAmount,
        uint256 wbtcAmount,
        uint256 debtFraction,
        uint256 targetHf,
        uint256 maxRepay
    ) public {
        _position(wethAmount, wbtcAmount, debtFraction);
        _moveHealthTo(bound(targetHf, 0.3e18, 0.879e18));
        uint256 hf = market.healthFactor(alice);
        if (hf >= 0.88e18) return;
        uint256 debt = market.debtOf(alice);
        uint256 wethPrice = uint256(wethFeed.latestAnswer()) * 1e10;
        uint256 value = market.collateralOf(alice, address(weth)) * wethPrice / 1e18
            + market.collateralOf(alice, address(wbtc)) * uint256(wbtcFeed.latestAnswer()) * 1e10 / 1e8;
        bool solvent = value > debt * 1e12;
        maxRepay = bound(maxRepay, 1e6, 2 * debt);
        uint256 balance = market.collateralOf(alice, address(weth));
        LiquidationPreview memory p = market.previewLiquidation(alice, address(weth));
        assertLe(p.bonus, 0.08e18);
        if (solvent && p.allowed) assertLe((WAD + p.bonus) * 0.85e18 / WAD, hf, "(1 + b) * LT <= HF: health only rises");
        _fundLiquidator(keeper, maxRepay);
        vm.prank(keeper);
        try market.liquidate(alice, address(weth), maxRepay, 0) returns (uint256 repaid, uint256 seized) {
            assertLe(repaid, debt);
            assertLe(seized, balance);
            assertLe(seized * wethPrice / 1e18, (repaid + 1) * 1e12 * (WAD + p.bonus) / WAD);
            if (solvent && market.debtOf(alice) != 0) {
                assertGe(market.healthFactor(alice), hf, "never lowers a solvent account's health");
                assertLe(market.healthFactor(alice), 1.02e18 + 1e15, "just enough: no further than the target");
            }
        } catch (bytes memory reason) {
            if (bytes4(reason) == ErrorsLib.CannotRaiseHealth.selector) {
                assertTrue(solvent);
                assertLt(hf * 0.999e18 / WAD, 0.85e18, "refused only when even b = 0 lowers health through WETH");
            } else {
                assertEq(bytes4(reason), bytes4(keccak256("NothingToLiquidate()")));
                assertEq(p.repayCap, 0);
            }
        }
    }

    function testFuzz_interest_indexAndDebtMonotone(uint256 borrowFraction, uint32[6] memory steps) public {
        _depositCollateral(alice, wbtc, 200e8);
        _borrow(alice, bound(borrowFraction, 1e6, 5_000_000e6));
        uint256 index = market.borrowIndex();
        uint256 debt = market.totalDebt();
        uint256 insurance = market.insuranceFund();
        uint256 assets = market.totalAssets();
        for (uint256 i; i < steps.length; ++i) {
            vm.warp(vm.getBlockTimestamp() + bound(steps[i], 0, 120 days));
            if (i % 2 == 1) {
                // Alternate between reading the pending state and writing it.
                _fund(usdc, alice, 1);
                vm.prank(alice);
                market.repay(1, alice);
                debt -= 1;
                assets -= 0;
            }
            assertGe(market.borrowIndex(), index);
            assertGe(market.totalDebt() + 1, debt);
            assertGe(market.insuranceFund(), insurance);
            assertGe(market.totalAssets() + 1, assets);
            index = market.borrowIndex();
            debt = market.totalDebt();
            insurance = market.insuranceFund();
            assets = market.totalAssets();
        }
    }

    function testFuzz_shares_roundAgainstCaller(uint256 borrowed, uint256 elapsed, uint256 assets, uint256 shares)
        public
    {
        _depositCollateral(alice, wbtc, 200e8);
        _borrow(alice, bound(borrowed, 1e6, 5_000_000e6));
        vm.warp(vm.getBlockTimestamp() + bound(elapsed, 1, 3 * 365 days));
        assets = bound(assets, 1, 10_000_000e6);
        shares = bound(shares, 1, 1e19);

        _fund(usdc, bob, 100_000_000e6);
        vm.startPrank(bob);
        uint256 minted = market.deposit(assets, bob);
        assertEq(minted, market.convertToShares(assets), "deposit rounds shares down");
        uint256 back = market.previewRedeem(minted);
        assertLe(back, assets, "a round trip never gains");

        uint256 paid = market.mint(shares, bob);
        assertGe(paid, market.convertToAssets(shares), "mint rounds assets up");
        assertGe(paid, market.previewRedeem(shares));
        vm.stopPrank();

        uint256 withdrawable = market.maxWithdraw(bob);
        if (withdrawable == 0) return;
        uint256 burnPreview = market.previewWithdraw(withdrawable);
        assertGe(burnPreview, market.convertToShares(withdrawable), "withdraw rounds shares up");
        vm.prank(bob);
        uint256 burned = market.withdraw(withdrawable, bob, bob);
        assertEq(burned, burnPreview);
    }

    /// @dev Partial repays (and slices) cancel scaled debt rounded down: the debt falls by the amount paid or by one
    /// unit less, never more. For repays of a few base units that lost unit can outweigh the slice's health gain.
    function testFuzz_repay_cancelsAtMostOneUnitLessThanPaid(uint256 borrowed, uint256 elapsed, uint256 repay) public {
        _depositCollateral(alice, wbtc, 200e8);
        borrowed = bound(borrowed, 2, 5_000_000e6);
        _borrow(alice, borrowed);
        vm.warp(vm.getBlockTimestamp() + bound(elapsed, 0, 5 * 365 days));
        uint256 debt = market.debtOf(alice);
        repay = bound(repay, 1, debt - 1);
        _repay(alice, alice, repay);
        uint256 debtAfter = market.debtOf(alice);
        assertLe(debt - debtAfter, repay, "never cancels more than paid");
        assertGe(debt - debtAfter + 1, repay, "at most one unit of rounding");
    }
}
