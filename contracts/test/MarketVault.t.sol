// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {ERC4626} from "@openzeppelin/contracts/token/ERC20/extensions/ERC4626.sol";
import {BaseTest} from "./utils/BaseTest.sol";
import {SoftLandingMarket} from "../src/SoftLandingMarket.sol";
import {IPriceOracle} from "../src/interfaces/IPriceOracle.sol";
import {ErrorsLib} from "../src/libraries/ErrorsLib.sol";
import {EventsLib} from "../src/libraries/EventsLib.sol";
import {RiskMath} from "../src/libraries/RiskMath.sol";
import {RateModel} from "../src/libraries/Types.sol";
import {DevnetConfig} from "../script/DevnetConfig.sol";

/// @notice The lenders' side: ERC-4626 flows, interest, reserve factor, liquidity limits and the inflation attack.
contract MarketVaultTest is BaseTest {
    function test_metadata() public view {
        assertEq(market.asset(), address(usdc));
        assertEq(market.decimals(), 12, "6 + 6 virtual decimals");
        assertEq(market.name(), "Soft Landing USDC");
        assertEq(market.symbol(), "slUSDC");
        assertEq(address(market.oracle()), address(oracle));
    }

    function test_deposit_mintsSharesAndTracksCash() public {
        // The seed lender got 1e6 shares per unit of asset.
        assertEq(market.balanceOf(lender), LENDER_SEED * 1e6);
        _fund(usdc, bob, 500e6);
        vm.expectEmit(address(market));
        emit IERC4626.Deposit(bob, alice, 500e6, 500e12);
        vm.prank(bob);
        uint256 shares = market.deposit(500e6, alice);
        assertEq(shares, 500e12);
        assertEq(market.balanceOf(alice), 500e12);
        assertEq(market.cash(), LENDER_SEED + 500e6);
        assertEq(market.totalAssets(), LENDER_SEED + 500e6);
    }

    function test_mint_pullsRoundedUpAssets() public {
        _fund(usdc, bob, 1000e6);
        vm.prank(bob);
        uint256 assets = market.mint(1e12 + 1, bob); // one share past a whole unit costs a whole extra wei
        assertEq(assets, 1e6 + 1);
        assertEq(usdc.balanceOf(bob), 1000e6 - assets);
    }

    function test_withdrawAndRedeem() public {
        _lend(alice, 1000e6);
        vm.expectEmit(address(market));
        emit IERC4626.Withdraw(alice, bob, alice, 400e6, 400e12);
        vm.prank(alice);
        uint256 burned = market.withdraw(400e6, bob, alice);
        assertEq(burned, 400e12);
        assertEq(usdc.balanceOf(bob), 400e6);

        vm.prank(alice);
        uint256 assets = market.redeem(600e12, alice, alice);
        assertEq(assets, 600e6);
        assertEq(market.balanceOf(alice), 0);
        assertEq(market.cash(), LENDER_SEED);
    }

    function test_withdraw_byApprovedSpenderOnly() public {
        _lend(alice, 1000e6);
        vm.expectRevert();
        vm.prank(bob);
        market.withdraw(1e6, bob, alice);
        vm.prank(alice);
        market.approve(bob, 1e12);
        vm.prank(bob);
        market.withdraw(1e6, bob, alice);
        assertEq(usdc.balanceOf(bob), 1e6);
    }

    function test_withdraw_limitedByAvailableLiquidity() public {
        _openPosition(alice, wbtc, 100e8, 900_000e6);
        assertEq(market.availableLiquidity(), 100_000e6);
        assertEq(market.maxWithdraw(lender), 100_000e6);
        assertEq(market.maxRedeem(lender), market.previewWithdraw(100_000e6));

        vm.expectRevert(
            abi.encodeWithSelector(ERC4626.ERC4626ExceededMaxWithdraw.selector, lender, 100_000e6 + 1, 100_000e6)
        );
        vm.prank(lender);
        market.withdraw(100_000e6 + 1, lender, lender);
        vm.prank(lender);
        market.withdraw(100_000e6, lender, lender);
        assertEq(market.availableLiquidity(), 0);
        assertEq(market.maxWithdraw(lender), 0);
        assertEq(market.maxRedeem(lender), 0);
    }

    function test_interestRaisesSharePriceAndFeedsInsurance() public {
        _openPosition(alice, wbtc, 100e8, 900_000e6); // 90% utilisation, above the kink
        // 4% + 75% * (0.9 - 0.8) / 0.2 = 41.5% a year
        assertEq(lens.getMarket(market).borrowRatePerYear, 0.415e18);
        uint256 priceBefore = market.convertToAssets(1e12);

        vm.warp(vm.getBlockTimestamp() + 30 days); // views accrue without a transaction
        uint256 debt = market.totalDebt();
        uint256 interest = debt - 900_000e6;
        // Compounded per second for 30 days: between simple interest and e^(rt).
        uint256 simple = 900_000e6 * (uint256(0.415e18) / 365 days) * 30 days / 1e18;
        assertGe(interest, simple);
        assertLe(interest, simple * 1018 / 1000);
        assertApproxEqAbs(market.insuranceFund(), interest / 10, 1, "10% reserve factor");
        assertEq(market.totalAssets(), market.cash() + debt - market.insuranceFund());
        assertGt(market.convertToAssets(1e12), priceBefore);

        // Accrual writes the same numbers the views showed, and emits them.
        uint256 index = market.borrowIndex();
        uint256 insurance = market.insuranceFund();
        _fund(usdc, alice, 1e6);
        vm.expectEmit(address(market));
        emit EventsLib.InterestAccrued(index, interest, insurance);
        vm.prank(alice);
        market.repay(1e6, alice);
        assertEq(market.lastAccrual(), vm.getBlockTimestamp());
        assertEq(market.insuranceFund(), insurance);

        // The lender takes home principal plus interest net of the reserve.
        _repay(alice, alice, type(uint256).max);
        uint256 redeemable = market.maxRedeem(lender);
        vm.prank(lender);
        uint256 out = market.redeem(redeemable, lender, lender);
        assertApproxEqAbs(out, LENDER_SEED + interest - insurance, 2);
        assertGe(market.cash(), market.insuranceFund(), "the reserve stays in the market");
    }

    function test_noInterestWithoutBorrowers() public {
        vm.warp(vm.getBlockTimestamp() + 365 days);
        assertEq(market.borrowIndex(), WAD);
        assertEq(market.totalAssets(), LENDER_SEED);
        assertEq(lens.getMarket(market).borrowRatePerYear, 0);
    }

    function test_utilisationBelowKink() public {
        _openPosition(alice, wbtc, 100e8, 400_000e6);
        assertEq(lens.getMarket(market).borrowRatePerYear, 0.02e18); // 4% * 0.4 / 0.8
    }

    function test_donationDoesNotMoveSharePrice() public {
        uint256 priceBefore = market.convertToAssets(1e12);
        usdc.mint(address(market), 1_000_000e6);
        assertEq(market.totalAssets(), LENDER_SEED);
        assertEq(market.convertToAssets(1e12), priceBefore);
    }

    /// @dev The classic attack: be the first depositor with 1 wei, donate a fortune to inflate the share price, and
    /// let the victim's deposit round down to zero shares. Internal cash accounting ignores the donation.
    function test_firstDepositorInflationAttackFails() public {
        SoftLandingMarket fresh = new SoftLandingMarket(
            IERC20Metadata(address(usdc)),
            IPriceOracle(address(oracle)),
            "Fresh",
            "F",
            owner,
            DevnetConfig.softRiskParams(),
            DevnetConfig.rateModel(),
            DevnetConfig.PARAM_DELAY
        );
        address attacker = makeAddr("attacker");
        usdc.mint(attacker, 10_000_001e6);
        vm.startPrank(attacker);
        usdc.approve(address(fresh), type(uint256).max);
        fresh.deposit(1, attacker);
        usdc.transfer(address(fresh), 10_000_000e6); // donation
        vm.stopPrank();

        usdc.mint(alice, 1000e6);
        vm.startPrank(alice);
        usdc.approve(address(fresh), type(uint256).max);
        uint256 shares = fresh.deposit(1000e6, alice);
        vm.stopPrank();
        assertGt(shares, 0);
        assertEq(fresh.previewRedeem(shares), 1000e6, "victim keeps every unit");

        vm.startPrank(attacker);
        uint256 attackerOut = fresh.redeem(fresh.balanceOf(attacker), attacker, attacker);
        vm.stopPrank();
        assertLe(attackerOut, 1, "attacker recovers none of the donation");
        vm.prank(alice);
        assertEq(fresh.redeem(shares, alice, alice), 1000e6);
    }

    function test_sharesRoundAgainstCaller() public {
        _openPosition(alice, wbtc, 100e8, 500_000e6);
        vm.warp(vm.getBlockTimestamp() + 17 days + 3);
        // After interest a share is worth a non-round number of assets.
        uint256 assets = 12_345_678;
        uint256 sharesForDeposit = market.previewDeposit(assets);
        uint256 sharesForWithdraw = market.previewWithdraw(assets);
        assertGe(sharesForWithdraw, sharesForDeposit, "withdrawing costs at least what depositing gives");
        assertLe(market.previewRedeem(sharesForDeposit), assets);
        assertGe(market.previewMint(sharesForDeposit), market.previewRedeem(sharesForDeposit));
    }

    function test_setRateModel_accruesUnderOldCurveFirst() public {
        _openPosition(alice, wbtc, 100e8, 900_000e6);
        vm.warp(vm.getBlockTimestamp() + 10 days);
        vm.prank(owner);
        market.setRateModel(RateModel({baseRate: 5e18, slope1: 0, slope2: 0, kink: 0.8e18, reserveFactor: 0.1e18}));
        vm.warp(vm.getBlockTimestamp() + market.paramDelay());
        uint256 indexBefore = market.borrowIndex();
        market.acceptRateModel();
        assertEq(market.lastAccrual(), vm.getBlockTimestamp());
        assertEq(market.borrowIndex(), indexBefore, "accrued under the old curve up to the switch");
    }

    /// @dev R8: at the highest allowed rate (1000% a year) the index saturates at 1e36 instead of overflowing, so
    /// repay (and accrual) keep working after a century without a single interaction.
    function test_repayNeverOverflows_100YearsAtTheHighestRate() public {
        vm.prank(owner);
        market.setRateModel(RateModel({baseRate: 10e18, slope1: 0, slope2: 0, kink: 0.8e18, reserveFactor: 0.1e18}));
        _warp(market.paramDelay());
        market.acceptRateModel();
        _openPosition(alice, wbtc, 100e8, 900_000e6);
        _warp(100 * 365 days);
        assertEq(market.borrowIndex(), 1e36, "saturated, not overflowed");
        uint256 debt = market.debtOf(alice);
        assertGe(debt, 900_000e6 * 1e18, "every debt grew 10^18-fold");
        // Interest simply stopped at the ceiling: another decade adds nothing and nothing reverts.
        _warp(10 * 365 days);
        assertEq(market.debtOf(alice), debt);
        assertEq(_repay(alice, alice, type(uint256).max), debt);
        assertEq(market.debtOf(alice), 0);
    }

    function test_insuranceFundIsNotLendable() public {
        _openPosition(alice, wbtc, 100e8, 900_000e6);
        _warp(365 days);
        uint256 insurance = market.insuranceFund();
        _repay(alice, alice, type(uint256).max);
        assertEq(market.availableLiquidity(), market.cash() - insurance);
        assertEq(market.maxWithdraw(lender), market.previewRedeem(market.balanceOf(lender)));
        uint256 available = market.cash() - insurance;
        vm.expectRevert(abi.encodeWithSelector(ErrorsLib.InsufficientLiquidity.selector, available + 1, available));
        vm.prank(alice);
        market.borrow(available + 1, alice, alice);
    }

    function test_totalAssetsIdentity() public {
        _openPosition(alice, weth, 100e18, 200_000e6);
        _warp(123 days);
        assertEq(market.totalAssets(), market.cash() + market.totalDebt() - market.insuranceFund());
        uint256 u = RiskMath.mulDivDown(market.totalDebt(), WAD, market.totalAssets());
        assertEq(lens.getMarket(market).borrowRatePerYear, u * 0.04e18 / 0.8e18);
    }

    function test_maxDepositMintAndShareTransfers() public {
        assertEq(market.maxDeposit(alice), type(uint256).max);
        assertEq(market.maxMint(alice), type(uint256).max);
        assertEq(market.previewDeposit(1e6), market.convertToShares(1e6));
        _lend(alice, 1000e6);
        // Shares are ordinary ERC-20s: the holder, not the depositor, owns the claim.
        vm.prank(alice);
        market.transfer(bob, 400e12);
        assertEq(market.maxWithdraw(bob), 400e6);
        vm.prank(bob);
        market.redeem(400e12, bob, bob);
        assertEq(usdc.balanceOf(bob), 400e6);
        assertEq(market.maxWithdraw(alice), 600e6);
    }
}
