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
import {LiquidationPreview, Zone} from "../src/libraries/Types.sol";
import {DevnetConfig} from "../script/DevnetConfig.sol";

/// @notice Each exploit found against v1 (issue: "Soft liquidation that holds in fast crashes and cannot be
/// gamed"), performed against v2 and shown to fail. docs/liquidation.md gives the rule each one breaks against.
contract AttacksTest is BaseTest {
    address internal attacker = makeAddr("attacker");

    /// @dev 10 WETH, 24 000 USDC, no interest; WETH 2750: HF 0.9740, soft, above the grace floor.
    function _softAccount() internal {
        _zeroRates();
        _openPosition(alice, weth, 10e18, 24_000e6);
        _setPrice(wethFeed, 2750e8);
    }

    // ───────────────────────────── 1. dust collateral to starve the slices ─────────────────────────────

    /// v1: deposit 1 satoshi of WBTC on behalf of a flagged borrower and "slice" through it for a fraction of a cent;
    /// the slice restarted the interval and starved the real slices. v2: the minimum slice is the account's.
    function test_attack_dustCollateralSliceCannotRestartTheInterval() public {
        _softAccount();
        _flagAfterDrop(alice);
        _warp(600);

        _fund(wbtc, attacker, 1);
        vm.prank(attacker);
        market.depositCollateral(address(wbtc), 1, alice); // anyone may top up someone else's account
        LiquidationPreview memory dust = market.previewLiquidation(alice, address(wbtc));
        assertFalse(dust.allowed, "a dust slice is never allowed while the account holds real collateral");
        _fund(usdc, attacker, 1e6);
        vm.expectRevert(); // SliceTooSmall(repaid, half the account's cap)
        vm.prank(attacker);
        market.liquidate(alice, address(wbtc), 1e6, 0);
        (, uint256 lastSliceAt) = _clock(alice);
        assertEq(lastSliceAt, 0, "the slice clock did not move");

        // The real slice goes through at once.
        LiquidationPreview memory real = market.previewLiquidation(alice, address(weth));
        assertTrue(real.allowed);
        _fund(usdc, keeper, real.repayCap);
        vm.prank(keeper);
        market.liquidate(alice, address(weth), real.repayCap, 0);
        assertGt(market.healthFactor(alice), 0.974e18);
    }

    // ───────────────────────────── 2. a stale flag removes the next grace period ─────────────────────────────

    /// v1: a flag set in a brief dip stayed when prices recovered on their own, so the next dip got no grace. v2: the
    /// flag lapses, and the next dip needs a new flag with a full grace period.
    function test_attack_flagFromAnEarlierDipGivesNoRightToSlice() public {
        _softAccount();
        vm.prank(attacker);
        market.flag(alice);
        (uint256 flaggedAt,) = _clock(alice);
        _setPrice(wethFeed, 3000e8); // recovers on its own; nobody calls unflag
        _warp(2 hours);
        _setPrice(wethFeed, 2750e8); // the next dip
        uint256 lapsedAt = flaggedAt + 600 + 600 + 300;
        _fund(usdc, attacker, 10_000e6);
        vm.expectRevert(abi.encodeWithSelector(ErrorsLib.FlagLapsed.selector, lapsedAt));
        vm.prank(attacker);
        market.liquidate(alice, address(weth), 5000e6, 0);

        // A new flag starts a new, full grace period.
        vm.prank(attacker);
        market.flag(alice);
        vm.expectRevert(abi.encodeWithSelector(ErrorsLib.GracePeriodActive.selector, vm.getBlockTimestamp() + 600));
        vm.prank(attacker);
        market.liquidate(alice, address(weth), 5000e6, 0);
    }

    /// v1: the borrower's own withdrawal, made once prices had recovered, left the flag in place. v2: it clears it.
    function test_attack_withdrawAboveOneClearsTheFlag() public {
        _softAccount();
        _flagAfterDrop(alice);
        _setPrice(wethFeed, 3100e8); // recovers on its own
        vm.prank(alice);
        market.withdrawCollateral(address(weth), 0.2e18, alice, alice); // HF 9.8 * 3100 * 0.85 / 24000 = 1.076
        (uint256 flaggedAt,) = _clock(alice);
        assertEq(flaggedAt, 0, "the borrower's own call saw HF >= 1 and cleared the flag");
    }

    // ───────────────────────────── 3. immunity through a stale or missing feed ─────────────────────────────

    /// v1: holding 1 unit of a collateral whose feed is stale made every flag and liquidate revert. v2: the other
    /// collateral is valued at its last valid price, and the seized one must be fresh.
    function test_attack_staleFeedDustGivesNoImmunity() public {
        _softAccount();
        _depositCollateral(alice, wsteth, 1); // 1 wei of wstETH
        wstethFeed.setAnswerAt(3500e8, vm.getBlockTimestamp() - COLLATERAL_HEARTBEAT - 1); // stale
        vm.prank(keeper);
        market.flag(alice);
        _warp(600);
        wstethFeed.setAnswerAt(3500e8, vm.getBlockTimestamp() - COLLATERAL_HEARTBEAT - 1); // still stale after the warp
        LiquidationPreview memory p = market.previewLiquidation(alice, address(weth));
        assertTrue(p.allowed);
        _fund(usdc, keeper, p.repayCap);
        vm.prank(keeper);
        market.liquidate(alice, address(weth), p.repayCap, 0);

        // A reverting feed counts as no value at all; it cannot block either.
        wstethFeed.setReverting(true);
        _setPrice(wethFeed, 2500e8);
        p = market.previewLiquidation(alice, address(weth));
        assertTrue(p.allowed || p.allowedAt > vm.getBlockTimestamp(), "judged without the broken feed");
    }

    /// The other half of R7: an outage alone never makes a healthy account liquidatable; the last answer counts.
    function test_attack_feedOutageAloneCannotLiquidateAHealthyAccount() public {
        _zeroRates();
        _depositCollateral(alice, wsteth, 10e18); // 35 000 at LT 0.8 = 28 000
        _openPosition(alice, weth, 1e18, 24_000e6); // + 2550
        uint256 hf = market.healthFactor(alice);
        assertGt(hf, WAD);
        vm.warp(vm.getBlockTimestamp() + COLLATERAL_HEARTBEAT + 1); // every collateral feed goes stale
        usdcFeed.refresh();
        vm.expectRevert(abi.encodeWithSelector(ErrorsLib.HealthyAccount.selector, hf));
        vm.prank(attacker);
        market.flag(alice);
    }

    /// v1: a collateral could be listed without a feed. v2: listing needs a live price.
    function test_attack_listingWithoutAFeedIsRefused() public {
        MockERC20 t = new MockERC20("T", "T", 18);
        vm.expectRevert(abi.encodeWithSelector(ErrorsLib.FeedNotSet.selector, address(t)));
        vm.prank(owner);
        market.listCollateral(address(t), 0.5e18, 0.6e18);
    }

    // ───────────────────────────── 4. governance liquidating a healthy borrower ─────────────────────────────

    /// v1: the owner lowered an LT and liquidated a healthy borrower in the same block. v2: a lower LT is delayed.
    function test_attack_ownerCannotLowerAThresholdAndLiquidateInOneBlock() public {
        _zeroRates();
        _openPosition(alice, weth, 10e18, 24_000e6); // HF 1.0625
        _fund(usdc, owner, 10_000e6);
        vm.startPrank(owner);
        market.setCollateralParams(address(weth), 0.4e18, 0.5e18);
        vm.expectRevert(abi.encodeWithSelector(ErrorsLib.HealthyAccount.selector, 1.0625e18));
        market.flag(alice);
        vm.expectRevert(abi.encodeWithSelector(ErrorsLib.HealthyAccount.selector, 1.0625e18));
        market.liquidate(alice, address(weth), 10_000e6, 0);
        vm.expectRevert(abi.encodeWithSelector(ErrorsLib.ChangeNotReady.selector, vm.getBlockTimestamp() + market.paramDelay()));
        market.acceptCollateralParams(address(weth));
        vm.stopPrank();
    }

    // ───────────────────────────── 5. hard liquidation creating bad debt ─────────────────────────────

    /// v1: a hard liquidation of a solvent account ($25k collateral, $24k debt) at 8% took more than the margin and
    /// left bad debt. v2: the bonus is capped so health rises, and the repay is just enough.
    function test_attack_hardLiquidationOfASolventAccountLeavesNoBadDebt() public {
        _zeroRates();
        _openPosition(alice, weth, 10e18, 24_000e6);
        _setPrice(wethFeed, 2500e8); // $25 000 of collateral for $24 000 of debt: HF 0.885, then...
        _setPrice(wethFeed, 2480e8); // HF 0.8783 < 0.88: HARD, still solvent ($24 800)
        uint256 hf = market.healthFactor(alice);
        _fund(usdc, attacker, 30_000e6);
        for (uint256 i; i < 20; ++i) {
            LiquidationPreview memory p = market.previewLiquidation(alice, address(weth));
            if (!p.allowed) break;
            vm.prank(attacker);
            market.liquidate(alice, address(weth), type(uint256).max, 0);
            uint256 next = market.healthFactor(alice);
            assertGe(next, hf, "each hard liquidation raises health");
            hf = next;
        }
        assertEq(market.totalSocialisedBadDebt(), 0);
        assertGt(market.collateralOf(alice, address(weth)), 0, "the borrower keeps the surplus");
        assertGe(market.healthFactor(alice), WAD);
    }

    // ───────────────────────────── 6. read-only reentrancy through the loan token ─────────────────────────────

    /// v1 raised `cash` before pulling the tokens: a loan token with a transfer hook could read an inflated share
    /// price mid-repay. v2 pulls first: what a hook sees is the state before the call.
    function test_attack_shareViewsAreConsistentDuringTheTokenPull() public {
        HookToken loan = new HookToken();
        MockAggregator loanFeed = new MockAggregator(8, "HOOK / USD", 1e8);
        vm.startPrank(owner);
        oracle.setFeed(address(loan), AggregatorV3Interface(address(loanFeed)), 1 days);
        SoftLandingMarket m = new SoftLandingMarket(
            IERC20Metadata(address(loan)),
            IPriceOracle(address(oracle)),
            "H",
            "H",
            owner,
            DevnetConfig.softRiskParams(),
            DevnetConfig.rateModel(),
            DevnetConfig.PARAM_DELAY
        );
        m.listCollateral(address(weth), 0.8e18, 0.85e18);
        vm.stopPrank();
        loan.mint(lender, 1_000_000e6);
        vm.startPrank(lender);
        loan.approve(address(m), type(uint256).max);
        m.deposit(1_000_000e6, lender);
        vm.stopPrank();
        weth.mint(alice, 10e18);
        vm.startPrank(alice);
        weth.approve(address(m), type(uint256).max);
        m.depositCollateral(address(weth), 10e18, alice);
        m.borrow(20_000e6, alice, alice);
        loan.approve(address(m), type(uint256).max);
        vm.stopPrank();

        Observer observer = new Observer(m);
        loan.setHook(address(observer));
        uint256 before = m.totalAssets();
        vm.prank(alice);
        m.repay(5000e6, alice);
        assertTrue(observer.called());
        assertEq(observer.seenTotalAssets(), before, "mid-transfer the books still show the state before the call");

        observer.reset();
        loan.mint(lender, 1000e6);
        before = m.totalAssets();
        vm.prank(lender);
        m.deposit(1000e6, lender);
        assertTrue(observer.called());
        assertEq(observer.seenTotalAssets(), before);
    }
}

/// @dev A loan token that calls a hook before moving tokens in `transferFrom` (ERC-777-like).
contract HookToken is MockERC20 {
    address public hook;

    constructor() MockERC20("Hook USD", "HOOK", 6) {}

    function setHook(address hook_) external {
        hook = hook_;
    }

    function transferFrom(address from, address to, uint256 value) public override returns (bool) {
        if (hook != address(0)) Observer(hook).observe();
        return super.transferFrom(from, to, value);
    }
}

contract Observer {
    SoftLandingMarket internal immutable market;
    bool public called;
    uint256 public seenTotalAssets;

    constructor(SoftLandingMarket market_) {
        market = market_;
    }

    function observe() external {
        called = true;
        seenTotalAssets = market.totalAssets();
    }

    function reset() external {
        called = false;
    }
}
