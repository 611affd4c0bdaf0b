// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {Test} from "forge-std/Test.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";

import {SoftLandingMarket} from "../../src/SoftLandingMarket.sol";
import {ChainlinkOracle} from "../../src/ChainlinkOracle.sol";
import {SoftLandingLens} from "../../src/periphery/SoftLandingLens.sol";
import {AggregatorV3Interface} from "../../src/interfaces/AggregatorV3Interface.sol";
import {IPriceOracle} from "../../src/interfaces/IPriceOracle.sol";
import {MockERC20} from "../../src/mocks/MockERC20.sol";
import {MockAggregator} from "../../src/mocks/MockAggregator.sol";
import {RateModel, RiskParams} from "../../src/libraries/Types.sol";
import {RiskMath} from "../../src/libraries/RiskMath.sol";
import {DevnetConfig} from "../../script/DevnetConfig.sol";

/// @notice The devnet market of the deploy script (USDC 6 dec loan asset; WETH 18, wstETH 18, WBTC 8 collaterals,
/// 8-decimal feeds, DESIGN soft defaults), a seeded lender and helpers to open positions and move prices and time.
abstract contract BaseTest is Test {
    uint256 internal constant WAD = 1e18;
    uint32 internal constant COLLATERAL_HEARTBEAT = 1 hours;
    uint32 internal constant STABLE_HEARTBEAT = 1 days;
    uint256 internal constant LENDER_SEED = 1_000_000e6;
    /// @dev Forge starts at timestamp 1; a realistic clock keeps `updatedAt` arithmetic away from zero.
    uint256 internal constant START_TIME = 1_700_000_000;

    MockERC20 internal usdc;
    MockERC20 internal weth;
    MockERC20 internal wsteth;
    MockERC20 internal wbtc;
    MockAggregator internal usdcFeed;
    MockAggregator internal wethFeed;
    MockAggregator internal wstethFeed;
    MockAggregator internal wbtcFeed;
    ChainlinkOracle internal oracle;
    SoftLandingMarket internal market;
    SoftLandingLens internal lens;

    address internal owner = makeAddr("owner");
    address internal lender = makeAddr("lender");
    address internal alice = makeAddr("alice");
    address internal bob = makeAddr("bob");
    address internal keeper = makeAddr("keeper");

    /// @dev The account's liquidation clock (flag and last slice), from the market's `accounts` getter.
    function _clock(address account) internal view returns (uint256 flaggedAt, uint256 lastSliceAt) {
        (, flaggedAt, lastSliceAt,) = market.accounts(account);
    }

    function setUp() public virtual {
        vm.warp(START_TIME);
        _deploy(_riskParams());
    }

    /// @dev The soft market's parameters for this suite: the devnet defaults unless a suite works by hand.
    function _riskParams() internal pure virtual returns (RiskParams memory) {
        return DevnetConfig.softRiskParams();
    }

    /// @dev The set the hand-worked examples (here and in docs/liquidation.md) use: the devnet defaults with the
    /// auction they were written for, 0.5% → 2% over 600 s. The mechanics they pin do not depend on the auction's
    /// level; the invariant, attack and gas suites run with the devnet defaults.
    function _workedExampleRiskParams() internal pure returns (RiskParams memory p) {
        p = DevnetConfig.softRiskParams();
        p.softBonusMin = 0.005e18;
        p.softBonusMax = 0.02e18;
        p.bonusRamp = 600;
    }

    function _deploy(RiskParams memory risk) internal {
        usdc = new MockERC20("USD Coin", "USDC", 6);
        weth = new MockERC20("Wrapped Ether", "WETH", 18);
        wsteth = new MockERC20("Wrapped stETH", "wstETH", 18);
        wbtc = new MockERC20("Wrapped BTC", "WBTC", 8);
        usdcFeed = new MockAggregator(8, "USDC / USD", 1e8);
        wethFeed = new MockAggregator(8, "WETH / USD", 3000e8);
        wstethFeed = new MockAggregator(8, "wstETH / USD", 3500e8);
        wbtcFeed = new MockAggregator(8, "WBTC / USD", 60_000e8);

        oracle = new ChainlinkOracle(owner);
        vm.startPrank(owner);
        oracle.setFeed(address(usdc), AggregatorV3Interface(address(usdcFeed)), STABLE_HEARTBEAT);
        oracle.setFeed(address(weth), AggregatorV3Interface(address(wethFeed)), COLLATERAL_HEARTBEAT);
        oracle.setFeed(address(wsteth), AggregatorV3Interface(address(wstethFeed)), COLLATERAL_HEARTBEAT);
        oracle.setFeed(address(wbtc), AggregatorV3Interface(address(wbtcFeed)), COLLATERAL_HEARTBEAT);
        market = new SoftLandingMarket(
            IERC20Metadata(address(usdc)),
            IPriceOracle(address(oracle)),
            "Soft Landing USDC",
            "slUSDC",
            owner,
            risk,
            DevnetConfig.rateModel(),
            DevnetConfig.PARAM_DELAY
        );
        market.listCollateral(address(weth), 0.8e18, 0.85e18);
        market.listCollateral(address(wsteth), 0.75e18, 0.8e18);
        market.listCollateral(address(wbtc), 0.73e18, 0.78e18);
        vm.stopPrank();
        lens = new SoftLandingLens();

        vm.label(address(market), "market");
        vm.label(address(usdc), "USDC");
        vm.label(address(weth), "WETH");
        vm.label(address(wsteth), "wstETH");
        vm.label(address(wbtc), "WBTC");

        _lend(lender, LENDER_SEED);
    }

    // ───────────────────────────── funding ─────────────────────────────

    /// @dev Mints `amount` of `token` to `to` and approves the market for all of it.
    function _fund(MockERC20 token, address to, uint256 amount) internal {
        token.mint(to, amount);
        vm.prank(to);
        token.approve(address(market), type(uint256).max);
    }

    function _lend(address who, uint256 assets) internal returns (uint256 shares) {
        _fund(usdc, who, assets);
        vm.prank(who);
        shares = market.deposit(assets, who);
    }

    function _depositCollateral(address who, MockERC20 token, uint256 amount) internal {
        _fund(token, who, amount);
        vm.prank(who);
        market.depositCollateral(address(token), amount, who);
    }

    function _borrow(address who, uint256 assets) internal {
        vm.prank(who);
        market.borrow(assets, who, who);
    }

    /// @dev Locks `collateral` of `token` and borrows `debt` USDC.
    function _openPosition(address who, MockERC20 token, uint256 collateral, uint256 debt) internal {
        _depositCollateral(who, token, collateral);
        if (debt != 0) _borrow(who, debt);
    }

    /// @dev Repays with freshly minted USDC (the payer approves the market).
    function _repay(address payer, address onBehalf, uint256 assets) internal returns (uint256) {
        _fund(usdc, payer, assets == type(uint256).max ? market.debtOf(onBehalf) : assets);
        vm.prank(payer);
        return market.repay(assets, onBehalf);
    }

    // ───────────────────────────── prices and time ─────────────────────────────

    /// @dev `price8` is the USD price with 8 decimals, as the feeds publish it.
    function _setPrice(MockAggregator feed, int256 price8) internal {
        feed.setAnswer(price8);
    }

    /// @dev Moves time forward and re-publishes every feed, as a live Chainlink network would.
    function _warp(uint256 secondsForward) internal {
        vm.warp(vm.getBlockTimestamp() + secondsForward);
        _refreshFeeds();
    }

    function _refreshFeeds() internal {
        usdcFeed.refresh();
        wethFeed.refresh();
        wstethFeed.refresh();
        wbtcFeed.refresh();
    }

    /// @dev The WETH price (8 decimals) that puts a WETH-only account at health `hf`, at its current debt.
    function _wethPriceForHealth(address account, uint256 hf) internal view returns (int256) {
        uint256 debtValue = RiskMath.debtValue(market.debtOf(account), oracle.price(address(usdc)), 6);
        uint256 balance = market.collateralOf(account, address(weth));
        // power = balance * p * lt / 1e18 / 1e18 (p in WAD) = hf * debtValue / 1e18
        uint256 priceWad = RiskMath.mulDivDown(RiskMath.mulDivDown(hf, debtValue, WAD), WAD * WAD, balance * 0.85e18);
        return int256(priceWad / 1e10);
    }

    /// @dev A rate curve with no interest, for tests that check amounts to the wei by hand.
    /// @dev Proposes it, waits out the parameter delay (feeds refreshed) and applies it.
    function _zeroRates() internal {
        vm.prank(owner);
        market.setRateModel(RateModel({baseRate: 0, slope1: 0, slope2: 0, kink: 0.8e18, reserveFactor: 0.1e18}));
        _warp(market.paramDelay());
        market.acceptRateModel();
    }

    /// @dev Proposes `p`, waits out the parameter delay (feeds refreshed) and applies it.
    function _setRiskParams(RiskParams memory p) internal {
        vm.prank(owner);
        market.setRiskParams(p);
        _warp(market.paramDelay());
        market.acceptRiskParams();
    }

    function _flagAfterDrop(address account) internal {
        vm.prank(keeper);
        market.flag(account);
    }

    /// @dev Gives `who` USDC and approval, ready to liquidate.
    function _fundLiquidator(address who, uint256 amount) internal {
        _fund(usdc, who, amount);
    }

    function _lastAccrualIsNow() internal view returns (bool) {
        return market.lastAccrual() == vm.getBlockTimestamp();
    }
}
