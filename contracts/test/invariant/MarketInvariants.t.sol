// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {console} from "forge-std/console.sol";
import {BaseTest} from "../utils/BaseTest.sol";
import {MockERC20} from "../../src/mocks/MockERC20.sol";
import {MockAggregator} from "../../src/mocks/MockAggregator.sol";
import {MarketHandler} from "./MarketHandler.sol";

/// @notice Protocol invariants under random sequences of every borrower, lender, keeper, guardian and world action.
contract MarketInvariantsTest is BaseTest {
    MarketHandler internal handler;

    function setUp() public override {
        super.setUp();
        _lend(makeAddr("deep lender"), 50_000_000e6); // enough liquidity that borrows rarely hit the ceiling
        handler = new MarketHandler(
            market,
            oracle,
            usdc,
            usdcFeed,
            [weth, wsteth, wbtc],
            [wethFeed, wstethFeed, wbtcFeed],
            owner
        );
        targetContract(address(handler));
    }

    // Each invariant below is its own campaign (forge runs one per function): 10 campaigns of 10 runs x 1000 calls =
    // 100,000 handler calls in `npm test`, each call judged by the handler against docs/liquidation.md.

    /// forge-config: default.invariant.fail-on-revert = true
    /// forge-config: default.invariant.runs = 10
    /// forge-config: default.invariant.depth = 1000
    function invariant_noHealthyAccountIsLiquidated() public view {
        assertEq(handler.ghostHealthyLiquidated(), 0, "an account at HF >= 1 was liquidated");
    }

    /// forge-config: default.invariant.fail-on-revert = true
    /// forge-config: default.invariant.runs = 10
    /// forge-config: default.invariant.depth = 1000
    function invariant_noLiquidationLowersASolventAccountsHealth() public view {
        assertEq(handler.ghostLoweredSolventHealth(), 0, "a liquidation lowered the health of a solvent account");
    }

    /// forge-config: default.invariant.fail-on-revert = true
    /// forge-config: default.invariant.runs = 10
    /// forge-config: default.invariant.depth = 1000
    function invariant_liquidationsStayWithinTheirCaps() public view {
        assertEq(handler.ghostSliceAboveShareCap(), 0, "a soft slice exceeded share(depth) * debt");
        assertEq(handler.ghostAboveTargetCap(), 0, "a liquidation repaid more than restores the target");
        assertEq(handler.ghostAboveCollateralCap(), 0, "a liquidation exceeded the collateral available");
    }

    /// forge-config: default.invariant.fail-on-revert = true
    /// forge-config: default.invariant.runs = 10
    /// forge-config: default.invariant.depth = 1000
    function invariant_bonusFollowsTheAuction() public view {
        assertEq(handler.ghostBonusOutOfBounds(), 0, "a bonus outside the soft auction or the hard cap");
    }

    /// forge-config: default.invariant.fail-on-revert = true
    /// forge-config: default.invariant.runs = 10
    /// forge-config: default.invariant.depth = 1000
    function invariant_graceAndSpacingAreKept() public view {
        assertEq(handler.ghostSliceBeforeGrace(), 0, "a soft slice above the grace floor before the grace ended");
        assertEq(handler.ghostSliceOnLapsedFlag(), 0, "a soft slice above the grace floor on a lapsed flag");
        assertEq(handler.ghostSliceWithinInterval(), 0, "a soft slice within interval(depth) of the last");
    }

    /// forge-config: default.invariant.fail-on-revert = true
    /// forge-config: default.invariant.runs = 10
    /// forge-config: default.invariant.depth = 1000
    function invariant_noThirdPartyCanStarveTheSlices() public view {
        assertEq(handler.ghostSliceBelowMinimum(), 0, "a soft slice below half the account's cap restarted the clock");
    }

    /// forge-config: default.invariant.fail-on-revert = true
    /// forge-config: default.invariant.runs = 10
    /// forge-config: default.invariant.depth = 1000
    function invariant_aDueSliceCanAlwaysBeTaken() public view {
        assertEq(handler.ghostDueSliceFailed(), 0, "a flagged SOFT account past its grace could not be sliced");
    }

    /// forge-config: default.invariant.fail-on-revert = true
    /// forge-config: default.invariant.runs = 10
    /// forge-config: default.invariant.depth = 1000
    function invariant_deRiskingIsNeverBlocked() public view {
        assertEq(handler.ghostFullRepayFailed(), 0, "repaying the whole debt failed");
        assertEq(handler.ghostRepayReverted(), 0, "a well-formed repay reverted");
        assertEq(handler.ghostDepositReverted(), 0, "a well-formed collateral deposit reverted");
    }

    /// forge-config: default.invariant.fail-on-revert = true
    /// forge-config: default.invariant.runs = 10
    /// forge-config: default.invariant.depth = 1000
    function invariant_policiesRunOnlyAsSet() public view {
        assertEq(handler.ghostPolicyOutOfBounds(), 0, "a policy execution outside its trigger, zone, share, target or bonus");
        assertEq(handler.ghostStalePolicyExecuted(), 0, "an execution of a changed or revoked policy succeeded");
    }

    /// forge-config: default.invariant.fail-on-revert = true
    /// forge-config: default.invariant.runs = 10
    /// forge-config: default.invariant.depth = 1000
    function invariant_collateralIsBookedExactly() public view {
        _collateralBookkeeping();
    }

    /// forge-config: default.invariant.fail-on-revert = true
    /// forge-config: default.invariant.runs = 10
    /// forge-config: default.invariant.depth = 1000
    function invariant_lendersAreAccountedFor() public view {
        _lenderAccounting();
    }

    function _collateralBookkeeping() internal view {
        MockERC20[3] memory tokens = [weth, wsteth, wbtc];
        uint256 n = handler.borrowerCount();
        for (uint256 t; t < 3; ++t) {
            uint256 sum;
            for (uint256 i; i < n; ++i) {
                address b = handler.borrowers(i);
                uint256 bal = market.collateralOf(b, address(tokens[t]));
                sum += bal;
                (,,, uint8 mask) = market.accounts(b);
                assertEq(mask & (1 << t) != 0, bal != 0, "mask bit <=> balance");
            }
            assertEq(sum, tokens[t].balanceOf(address(market)), "sum of collateralOf != market token balance");
        }
    }

    function _lenderAccounting() internal view {
        uint256 totalAssets = market.totalAssets();
        uint256 debt = market.totalDebt();
        uint256 insurance = market.insuranceFund();
        assertEq(totalAssets, market.cash() + debt - insurance, "totalAssets != cash + debt - insurance");
        assertGe(usdc.balanceOf(address(market)), market.cash(), "cash not backed by tokens");
        assertEq(market.totalSocialisedBadDebt(), handler.ghostSocialised(), "socialised bad debt != events");
        assertEq(handler.ghostBadDebtEventMismatch(), 0, "bad debt != insurance part + socialised part");

        // deposits - withdrawals + interest to lenders - socialised bad debt, up to rounding that favours lenders.
        int256 expected = handler.ghostExpectedAssets();
        assertEq(
            expected,
            int256(handler.ghostDeposited()) - int256(handler.ghostWithdrawn())
                + int256(handler.ghostInterestToLenders()) - int256(handler.ghostSocialised())
        );
        assertGe(int256(totalAssets) + 1, expected, "lenders lost value beyond rounding");
        uint256 indexUnits = market.borrowIndex() / WAD + 1;
        assertLe(
            int256(totalAssets), expected + int256(handler.ghostRoundingSlack() * indexUnits), "unexplained assets"
        );

        // Per-account debts add up to the total (each rounded up).
        uint256 n = handler.borrowerCount();
        uint256 sum;
        for (uint256 i; i < n; ++i) {
            sum += market.debtOf(handler.borrowers(i));
        }
        assertGe(sum, debt);
        assertLe(sum, debt + n);
    }

    /// @dev Shows what the last run exercised (forge prints it with -vv).
    function afterInvariant() external view {
        console.log("borrows", handler.borrows(), "refused", handler.borrowReverts());
        console.log("flags", handler.flags(), "soft slices", handler.softSlices());
        console.log("hard liquidations", handler.hardLiquidations(), "bad debts", handler.badDebts());
        console.log("interest to lenders", handler.ghostInterestToLenders(), "socialised", handler.ghostSocialised());
        console.log("liquidations tried", handler.liquidationAttempts(), "succeeded", handler.liquidationSuccesses());
        console.log("keeper saw HF < 1", handler.underwaterSeen(), "keeper rounds", handler.calls("keeperRound"));
        console.log("due slices probed", handler.dueSlicesChecked(), "full repays probed", handler.fullRepaysChecked());
        console.log("policy executions", handler.policyExecutions(), "refused", handler.policyRefusals());
        bytes32[26] memory names = [
            bytes32("lend"), "openPosition", "keeperRound", "lenderWithdraw", "depositCollateral", "withdrawCollateral", "borrow", "repay",
            "movePrice", "crash", "warp", "refreshFeeds", "setPause", "flag", "unflag", "liquidate", "dustDeposit",
            "griefSlice", "breakFeed", "staleFeed", "probeDueSlice", "probeFullRepay", "pushTowardsSoft", "setPolicy",
            "executePolicy", "pushBelowTrigger"
        ];
        uint256 total;
        for (uint256 i; i < names.length; ++i) {
            total += handler.calls(names[i]);
        }
        assertGt(total, 0);
    }
}
