// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {Vm} from "forge-std/Vm.sol";
import {BaseTest} from "./utils/BaseTest.sol";
import {ErrorsLib} from "../src/libraries/ErrorsLib.sol";
import {EventsLib} from "../src/libraries/EventsLib.sol";
import {DeleveragePolicy, RiskParams} from "../src/libraries/Types.sol";
import {DevnetConfig} from "../script/DevnetConfig.sol";

/// @notice Deleverage policies (docs/liquidation.md, R9): setting, changing and revoking them, and their executions.
contract MarketDeleverageTest is BaseTest {
    address internal executor = makeAddr("executor");
    address internal manager = makeAddr("manager");

    /// @dev Trigger 1.10, target 1.25, bonus 0.3% (the devnet's lowest soft bonus), 25% of the debt per execution.
    function _policy() internal pure returns (DeleveragePolicy memory) {
        return DeleveragePolicy({triggerHealth: 1.1e18, targetHealth: 1.25e18, maxBonus: 0.003e18, maxShare: 0.25e18});
    }

    function _set(DeleveragePolicy memory p) internal returns (uint256 version) {
        vm.prank(alice);
        return market.setDeleveragePolicy(alice, p);
    }

    function _revoke() internal returns (uint256) {
        return _set(DeleveragePolicy(0, 0, 0, 0));
    }

    function _execute(address collateral, uint256 maxRepay, uint256 version)
        internal
        returns (uint256 repaid, uint256 seized)
    {
        _fund(usdc, executor, maxRepay == type(uint256).max ? market.debtOf(alice) : maxRepay);
        vm.prank(executor);
        return market.deleverage(alice, collateral, maxRepay, 0, version);
    }

    /// @dev 8 WETH and 0.1 WBTC against 22 000 USDC, no interest. WETH at 2800: power 19 040 + 4 680 = 23 720, HF
    /// 23 720 / 22 000 = 1.078..., below the trigger and healthy.
    function _belowTrigger() internal {
        _zeroRates();
        _depositCollateral(alice, weth, 8e18);
        _depositCollateral(alice, wbtc, 0.1e8);
        _borrow(alice, 22_000e6);
        _setPrice(wethFeed, 2800e8);
        assertEq(market.healthFactor(alice), uint256(23_720e18) * WAD / 22_000e18);
    }

    // ───────────────────────────── setting ─────────────────────────────

    function test_set_storesThePolicyAndEmits() public {
        DeleveragePolicy memory p = _policy();
        vm.expectEmit(address(market));
        emit EventsLib.DeleveragePolicySet(alice, alice, p, 1);
        assertEq(_set(p), 1);
        (DeleveragePolicy memory stored, uint256 version) = market.deleveragePolicy(alice);
        assertEq(abi.encode(stored), abi.encode(p));
        assertEq(version, 1);
    }

    function test_set_byAnAuthorizedManagerOnly() public {
        vm.prank(manager);
        vm.expectRevert(abi.encodeWithSelector(ErrorsLib.Unauthorized.selector, manager, alice));
        market.setDeleveragePolicy(alice, _policy());

        vm.prank(alice);
        market.setAuthorization(manager, true);
        vm.prank(manager);
        assertEq(market.setDeleveragePolicy(alice, _policy()), 1);
        (DeleveragePolicy memory stored,) = market.deleveragePolicy(alice);
        assertEq(stored.triggerHealth, 1.1e18);
    }

    function test_set_refusesEachInvalidField() public {
        DeleveragePolicy memory p = _policy();
        p.triggerHealth = 1e18;
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(ErrorsLib.PolicyTriggerTooLow.selector, 1e18));
        market.setDeleveragePolicy(alice, p);

        p = _policy();
        p.targetHealth = 1.1e18;
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(ErrorsLib.PolicyTargetTooLow.selector, 1.1e18, 1.1e18));
        market.setDeleveragePolicy(alice, p);

        p = _policy();
        p.maxBonus = 0.003001e18;
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(ErrorsLib.PolicyBonusTooHigh.selector, 0.003001e18, 0.003e18));
        market.setDeleveragePolicy(alice, p);

        p = _policy();
        p.maxShare = 0;
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(ErrorsLib.PolicyShareOutOfRange.selector, 0));
        market.setDeleveragePolicy(alice, p);

        p.maxShare = 1e18 + 1e12;
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(ErrorsLib.PolicyShareOutOfRange.selector, 1e18 + 1e12));
        market.setDeleveragePolicy(alice, p);

        p = _policy();
        p.targetHealth = 1.25e18 + 1;
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(ErrorsLib.RatioNotWholePpm.selector, 1.25e18 + 1));
        market.setDeleveragePolicy(alice, p);

        // Nothing was stored by any of them.
        (DeleveragePolicy memory stored, uint256 version) = market.deleveragePolicy(alice);
        assertEq(stored.triggerHealth, 0);
        assertEq(version, 0);
    }

    function test_set_acceptsTheEdges() public {
        DeleveragePolicy memory p =
            DeleveragePolicy({triggerHealth: 1.000001e18, targetHealth: 1.000002e18, maxBonus: 0, maxShare: 1e18});
        assertEq(_set(p), 1);
        p.maxBonus = 0.003e18;
        p.maxShare = 0.000001e18;
        assertEq(_set(p), 2);
    }

    function test_revoke_clearsThePolicyAndNewVersionsAreNeverReused() public {
        _set(_policy());
        vm.expectEmit(address(market));
        emit EventsLib.DeleveragePolicySet(alice, alice, DeleveragePolicy(0, 0, 0, 0), 2);
        assertEq(_revoke(), 2);
        (DeleveragePolicy memory stored, uint256 version) = market.deleveragePolicy(alice);
        assertEq(stored.triggerHealth, 0);
        assertEq(version, 2);
        assertEq(_set(_policy()), 3, "a policy set again after a revocation gets a version of its own");
    }

    // ───────────────────────────── executing ─────────────────────────────

    function test_execute_belowTheTrigger_repaysTheShareAtThePolicysBonus() public {
        _belowTrigger();
        uint256 version = _set(_policy());
        uint256 hfBefore = market.healthFactor(alice);
        uint256 debtBefore = market.debtOf(alice);

        // Restoring 1.25 through WETH would take (27 500 - 23 720) / (1.25 - 1.003 * 0.85) = 9 510.6 USDC; the 25%
        // share caps it at 5 500.
        vm.recordLogs();
        (uint256 repaid, uint256 seized) = _execute(address(weth), type(uint256).max, version);
        assertEq(repaid, 5_500e6);
        // 5 500 * 1.003 / 2 800 WETH, rounded down.
        assertEq(seized, uint256(5_500e18) * 1.003e18 / WAD * 1e8 / 2800e8);
        assertEq(market.debtOf(alice), debtBefore - repaid);
        assertEq(weth.balanceOf(executor), seized);
        uint256 hfAfter = market.healthFactor(alice);
        assertGt(hfAfter, hfBefore);
        assertLt(hfAfter, 1.25e18);

        Vm.Log[] memory logs = vm.getRecordedLogs();
        bool seen;
        for (uint256 i; i < logs.length; ++i) {
            if (logs[i].topics[0] == EventsLib.Liquidated.selector) revert("a policy execution is not a liquidation");
            if (logs[i].topics[0] != EventsLib.Deleveraged.selector) continue;
            seen = true;
            (uint256 v, uint256 r, uint256 s, uint256 bonus, uint256 before, uint256 afterHf) =
                abi.decode(logs[i].data, (uint256, uint256, uint256, uint256, uint256, uint256));
            assertEq(abi.encode(v, r, s, bonus, before, afterHf), abi.encode(version, repaid, seized, 0.003e18, hfBefore, hfAfter));
        }
        assertTrue(seen, "Deleveraged emitted");
        (uint256 flaggedAt, uint256 lastSliceAt) = _clock(alice);
        assertEq(flaggedAt + lastSliceAt, 0, "the liquidation clock is untouched");
    }

    function test_execute_stopsAtTheTarget() public {
        _belowTrigger();
        DeleveragePolicy memory p = _policy();
        p.maxShare = 1e18;
        uint256 version = _set(p);
        (uint256 repaid,) = _execute(address(weth), type(uint256).max, version);
        // Formula (2) with the policy's target and bonus: (1.25 * 22 000 - 23 720) / (1.25 - 1.003 * 0.85).
        uint256 targetPower = uint256(1.25e18) * 22_000e18 / WAD;
        uint256 expected = (targetPower - 23_720e18) * WAD / (1.25e18 - uint256(1.003e18) * 0.85e18 / WAD) / 1e12;
        assertEq(repaid, expected);
        uint256 hf = market.healthFactor(alice);
        assertLe(hf, 1.25e18);
        assertApproxEqRel(hf, 1.25e18, 1e12, "at the target");

        // Above the trigger now: nothing more to do.
        vm.prank(executor);
        vm.expectRevert(abi.encodeWithSelector(ErrorsLib.PolicyNotTriggered.selector, hf, 1.1e18));
        market.deleverage(alice, address(weth), 1e6, 0, version);
    }

    function test_execute_repeatedCallsNeverPassTheTarget() public {
        _belowTrigger();
        DeleveragePolicy memory p = _policy();
        p.triggerHealth = 1.2e18; // keeps executing until 1.2, restores at most 1.25
        uint256 version = _set(p);
        uint256 last = market.healthFactor(alice);
        uint256 executions;
        while (last < 1.2e18) {
            _execute(address(weth), type(uint256).max, version);
            uint256 hf = market.healthFactor(alice);
            assertGt(hf, last);
            assertLe(hf, 1.25e18);
            last = hf;
            ++executions;
        }
        // 1.078 → 1.153 (25% of the debt) → 1.25 (capped at the target rather than another 25%).
        assertEq(executions, 2);
        assertApproxEqRel(last, 1.25e18, 1e12);
    }

    function test_execute_refusedAboveTheTriggerInHardAndWithoutDebt() public {
        _zeroRates();
        _openPosition(alice, weth, 10e18, 20_000e6); // HF 25 500 / 20 000 = 1.275
        uint256 version = _set(_policy());
        vm.prank(executor);
        vm.expectRevert(abi.encodeWithSelector(ErrorsLib.PolicyNotTriggered.selector, 1.275e18, 1.1e18));
        market.deleverage(alice, address(weth), 1e6, 0, version);

        _setPrice(wethFeed, 2000e8); // HF 17 000 / 20 000 = 0.85 < hardHealth 0.88: the liquidation rules apply
        vm.prank(executor);
        vm.expectRevert(abi.encodeWithSelector(ErrorsLib.PolicyNotTriggered.selector, 0.85e18, 1.1e18));
        market.deleverage(alice, address(weth), 1e6, 0, version);

        vm.prank(bob);
        market.setDeleveragePolicy(bob, _policy());
        vm.prank(executor);
        vm.expectRevert(abi.encodeWithSelector(ErrorsLib.PolicyNotTriggered.selector, type(uint256).max, 1.1e18));
        market.deleverage(bob, address(weth), 1e6, 0, 1);
    }

    function test_execute_inSoftDuringTheGrace_andClearsTheFlag() public {
        _zeroRates();
        _openPosition(alice, weth, 10e18, 24_000e6);
        _setPrice(wethFeed, 2750e8); // HF 0.9739..., SOFT
        vm.prank(keeper);
        market.flag(alice);
        DeleveragePolicy memory p = _policy();
        p.maxShare = 1e18;
        uint256 version = _set(p);
        // Still in the grace period: slices must wait, the borrower's own policy need not.
        vm.prank(keeper);
        vm.expectRevert();
        market.liquidate(alice, address(weth), 1e6, 0);
        _execute(address(weth), type(uint256).max, version);
        assertGe(market.healthFactor(alice), 1e18);
        (uint256 flaggedAt,) = _clock(alice);
        assertEq(flaggedAt, 0, "back above 1: unflagged");
    }

    function test_execute_belowTheGraceFloor_doesNotFlag() public {
        _zeroRates();
        _openPosition(alice, weth, 10e18, 24_000e6);
        _setPrice(wethFeed, 2550e8); // HF 21 675 / 24 000 = 0.903 < graceFloor, above hardHealth 0.88
        uint256 version = _set(_policy());
        (uint256 repaid,) = _execute(address(weth), type(uint256).max, version);
        assertEq(repaid, 6_000e6, "25% of the debt");
        (uint256 flaggedAt, uint256 lastSliceAt) = _clock(alice);
        assertEq(flaggedAt + lastSliceAt, 0);
    }

    function test_execute_bonusCappedByALoweredSoftBonus() public {
        _belowTrigger();
        uint256 version = _set(_policy());
        RiskParams memory rp = DevnetConfig.softRiskParams();
        rp.softBonusMin = 0.002e18;
        _setRiskParams(rp);
        _setPrice(wethFeed, 2800e8);
        vm.recordLogs();
        _execute(address(weth), type(uint256).max, version);
        Vm.Log[] memory logs = vm.getRecordedLogs();
        for (uint256 i; i < logs.length; ++i) {
            if (logs[i].topics[0] != EventsLib.Deleveraged.selector) continue;
            (,,, uint256 bonus,,) = abi.decode(logs[i].data, (uint256, uint256, uint256, uint256, uint256, uint256));
            assertEq(bonus, 0.002e18);
            return;
        }
        revert("no Deleveraged event");
    }

    function test_execute_refusedForAChangedOrRevokedPolicy() public {
        _belowTrigger();
        uint256 v1 = _set(_policy());
        DeleveragePolicy memory p = _policy();
        p.maxShare = 0.1e18;
        uint256 v2 = _set(p);
        // An execution sent against version 1, mined after the change.
        _fund(usdc, executor, 10_000e6);
        vm.prank(executor);
        vm.expectRevert(abi.encodeWithSelector(ErrorsLib.PolicyChanged.selector, v1, v2));
        market.deleverage(alice, address(weth), 10_000e6, 0, v1);

        _revoke();
        vm.prank(executor);
        vm.expectRevert(abi.encodeWithSelector(ErrorsLib.NoPolicy.selector, alice));
        market.deleverage(alice, address(weth), 10_000e6, 0, v2);
        assertEq(market.debtOf(alice), 22_000e6, "nothing executed");
    }

    function test_execute_protectsTheExecutorAndRefusesZero() public {
        _belowTrigger();
        uint256 version = _set(_policy());
        _fund(usdc, executor, 5_500e6);
        vm.prank(executor);
        vm.expectRevert(ErrorsLib.ZeroAmount.selector);
        market.deleverage(alice, address(weth), 0, 0, version);
        uint256 seized = uint256(5_500e18) * 1.003e18 / WAD * 1e8 / 2800e8;
        vm.prank(executor);
        vm.expectRevert(abi.encodeWithSelector(ErrorsLib.SeizedBelowMinimum.selector, seized, seized + 1));
        market.deleverage(alice, address(weth), type(uint256).max, seized + 1, version);
    }

    function test_execute_throughASecondCollateral() public {
        _belowTrigger();
        uint256 version = _set(_policy());
        (uint256 repaid, uint256 seized) = _execute(address(wbtc), type(uint256).max, version);
        // Through WBTC (lt 0.78) the target repay is larger still (8 083) and the WBTC would cover 6 000 / 1.003:
        // the 25% share binds again.
        assertEq(repaid, 5_500e6);
        assertEq(seized, uint256(5_500e18) * 1.003e18 / WAD * 1e8 / 60_000e18);
        assertGt(market.healthFactor(alice), uint256(23_720e18) * WAD / 22_000e18);
    }

    // ───────────────────────────── what an execution cannot be made to do ─────────────────────────────

    /// @dev 8 WETH and 0.1 WBTC against 22 000 USDC at WETH 3000: power 20 400 + 4 680, HF 1.14, above the 1.10
    /// trigger. A reverting WBTC feed would value the WBTC at 0 (HF 0.927), and a liquidation would go ahead on those
    /// last prices (R7); a policy execution waits for every price.
    function test_execute_refusedWhileAnyHeldCollateralHasNoFreshPrice() public {
        _zeroRates();
        _depositCollateral(alice, weth, 8e18);
        _depositCollateral(alice, wbtc, 0.1e8);
        _borrow(alice, 22_000e6);
        uint256 version = _set(_policy());
        wbtcFeed.setReverting(true);
        _fund(usdc, executor, 22_000e6);
        vm.prank(executor);
        vm.expectRevert(abi.encodeWithSelector(ErrorsLib.FeedReverted.selector, address(wbtc)));
        market.deleverage(alice, address(weth), type(uint256).max, 0, version);

        // A stale WBTC price, however low its last answer, does not trigger it either.
        wbtcFeed.setReverting(false);
        _setPrice(wbtcFeed, 1e8);
        vm.warp(vm.getBlockTimestamp() + 2 days);
        usdcFeed.refresh();
        wethFeed.refresh();
        vm.prank(executor);
        vm.expectPartialRevert(ErrorsLib.StalePrice.selector);
        market.deleverage(alice, address(weth), type(uint256).max, 0, version);
    }

    /// @dev Executions must repay at least half of what the account's largest collateral could (as slices must), so
    /// nobody can spam the account with dust executions: each one moves health a long way towards the target.
    function test_execute_refusesDustRepays() public {
        _belowTrigger();
        uint256 version = _set(_policy());
        // The cap through WETH is the 25% share, 5 500 (the WETH, 22 400 / 1.003, would cover far more): at least 2 750.
        uint256 least = 2_750e6;
        _fund(usdc, executor, 5_500e6);
        vm.prank(executor);
        vm.expectRevert(abi.encodeWithSelector(ErrorsLib.SliceTooSmall.selector, 1, least));
        market.deleverage(alice, address(weth), 1, 0, version);
        vm.prank(executor);
        vm.expectRevert(abi.encodeWithSelector(ErrorsLib.SliceTooSmall.selector, least - 1, least));
        market.deleverage(alice, address(weth), least - 1, 0, version);
        vm.prank(executor);
        (uint256 repaid,) = market.deleverage(alice, address(weth), least, 0, version);
        assertEq(repaid, least);
    }
}
