// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {CommonBase} from "forge-std/Base.sol";
import {StdCheats} from "forge-std/StdCheats.sol";
import {StdUtils} from "forge-std/StdUtils.sol";
import {Vm} from "forge-std/Vm.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {SoftLandingMarket} from "../../src/SoftLandingMarket.sol";
import {ChainlinkOracle} from "../../src/ChainlinkOracle.sol";
import {MockERC20} from "../../src/mocks/MockERC20.sol";
import {MockAggregator} from "../../src/mocks/MockAggregator.sol";
import {EventsLib} from "../../src/libraries/EventsLib.sol";
import {LiquidationPreview, RiskParams, Zone} from "../../src/libraries/Types.sol";

/// @notice Drives the market like a busy week: lenders come and go, borrowers open, top up, borrow, repay and
/// withdraw, prices drift and crash, time passes (sometimes without oracle updates), the guardian pulls the breaker,
/// keepers flag and liquidate. Ghost variables record everything the invariants judge.
contract MarketHandler is CommonBase, StdCheats, StdUtils {
    uint256 internal constant WAD = 1e18;

    SoftLandingMarket public immutable market;
    ChainlinkOracle public immutable oracle;
    MockERC20 public immutable usdc;
    MockERC20[3] public collaterals;
    MockAggregator[3] public feeds;
    MockAggregator public immutable usdcFeed;
    int256[3] internal initialPrices;
    uint256[3] internal lts = [uint256(0.85e18), 0.8e18, 0.78e18];
    address public immutable guardian;

    address[] public borrowers;
    address[] public lenders;
    address public immutable keeper = makeAddr("keeper");

    // ── ghosts ──
    uint256 public ghostDeposited;
    uint256 public ghostWithdrawn;
    uint256 public ghostInterestToLenders;
    uint256 public ghostSocialised;
    uint256 public ghostBadDebtEventMismatch;
    /// @dev Expected totalAssets, moved only by the amounts each action should move it by.
    int256 public ghostExpectedAssets;
    uint256 public ghostRoundingSlack;

    uint256 public ghostHealthyLiquidated;
    uint256 public ghostSliceAboveSliceCap;
    uint256 public ghostSliceAboveTargetCap;
    uint256 public ghostSliceAboveCollateralCap;
    uint256 public ghostSliceLoweredHealth;
    uint256 public ghostSliceBeforeGrace;
    uint256 public ghostSliceWithinInterval;
    uint256 public ghostHardAboveCloseFactor;
    uint256 public ghostRepayReverted;
    uint256 public ghostDepositReverted;

    mapping(bytes32 => uint256) public calls;
    uint256 public softSlices;
    uint256 public hardLiquidations;
    uint256 public badDebts;
    uint256 public flags;
    uint256 public borrows;
    uint256 public borrowReverts;

    constructor(
        SoftLandingMarket market_,
        ChainlinkOracle oracle_,
        MockERC20 usdc_,
        MockAggregator usdcFeed_,
        MockERC20[3] memory collaterals_,
        MockAggregator[3] memory feeds_,
        address guardian_
    ) {
        market = market_;
        oracle = oracle_;
        usdc = usdc_;
        usdcFeed = usdcFeed_;
        collaterals = collaterals_;
        feeds = feeds_;
        guardian = guardian_;
        for (uint256 i; i < 3; ++i) {
            initialPrices[i] = feeds_[i].latestAnswer();
        }
        for (uint256 i; i < 4; ++i) {
            borrowers.push(makeAddr(string.concat("borrower", vm.toString(i))));
        }
        lenders.push(makeAddr("lender0"));
        lenders.push(makeAddr("lender1"));
        ghostExpectedAssets = int256(market_.totalAssets());
        ghostDeposited = market_.totalAssets();
    }

    function borrowerCount() external view returns (uint256) {
        return borrowers.length;
    }

    modifier count(bytes32 name) {
        calls[name]++;
        _;
    }

    // ───────────────────────────── lenders ─────────────────────────────

    function lend(uint256 who, uint256 assets) external count("lend") {
        address l = lenders[who % lenders.length];
        assets = bound(assets, 1, 2_000_000e6);
        _fund(usdc, l, assets);
        vm.prank(l);
        market.deposit(assets, l);
        ghostDeposited += assets;
        ghostExpectedAssets += int256(assets);
    }

    function lenderWithdraw(uint256 who, uint256 assets) external count("lenderWithdraw") {
        address l = lenders[who % lenders.length];
        uint256 max = market.maxWithdraw(l);
        if (max == 0) return;
        assets = bound(assets, 1, max);
        vm.prank(l);
        market.withdraw(assets, l, l);
        ghostWithdrawn += assets;
        ghostExpectedAssets -= int256(assets);
        ghostRoundingSlack += 1;
    }

    // ───────────────────────────── borrowers ─────────────────────────────

    function depositCollateral(uint256 who, uint256 assetSeed, uint256 amount) external count("depositCollateral") {
        address b = borrowers[who % borrowers.length];
        MockERC20 token = collaterals[assetSeed % 3];
        amount = bound(amount, 1, 100 * 10 ** token.decimals());
        _fund(token, b, amount);
        vm.prank(b);
        try market.depositCollateral(address(token), amount, b) {}
        catch {
            ghostDepositReverted++;
        }
    }

    /// @dev Lock collateral and borrow against it in one go, as most borrowers do.
    function openPosition(uint256 who, uint256 assetSeed, uint256 amount, uint256 fraction)
        external
        count("openPosition")
    {
        address b = borrowers[who % borrowers.length];
        MockERC20 token = collaterals[assetSeed % 3];
        amount = bound(amount, 10 ** token.decimals() / 100, 10 * 10 ** token.decimals());
        _fund(token, b, amount);
        vm.prank(b);
        try market.depositCollateral(address(token), amount, b) {}
        catch {
            ghostDepositReverted++;
        }
        _borrowFraction(b, fraction);
    }

    function withdrawCollateral(uint256 who, uint256 assetSeed, uint256 amount) external count("withdrawCollateral") {
        address b = borrowers[who % borrowers.length];
        MockERC20 token = collaterals[assetSeed % 3];
        uint256 balance = market.collateralOf(b, address(token));
        if (balance == 0) return;
        amount = bound(amount, 1, balance);
        vm.prank(b);
        try market.withdrawCollateral(address(token), amount, b, b) {} catch {}
    }

    /// @dev Borrows a fraction of what the account could (up to 102%, so some attempts fail on power).
    function borrow(uint256 who, uint256 fraction) external count("borrow") {
        _borrowFraction(borrowers[who % borrowers.length], fraction);
    }

    function _borrowFraction(address b, uint256 fraction) internal {
        (uint256 power, bool ok) = _borrowPowerLeft(b);
        if (!ok || power == 0) return;
        uint256 assets = Math.mulDiv(power, bound(fraction, 0.85e18, 1.02e18), WAD);
        uint256 liquidity = market.availableLiquidity();
        if (assets > liquidity) assets = liquidity;
        if (assets == 0) return;
        vm.prank(b);
        try market.borrow(assets, b, b) {
            ghostRoundingSlack += 2;
            borrows++;
        } catch {
            borrowReverts++;
        }
    }

    function repay(uint256 who, uint256 amount, bool all) external count("repay") {
        address b = borrowers[who % borrowers.length];
        uint256 debt = market.debtOf(b);
        if (debt == 0) return;
        amount = all ? type(uint256).max : bound(amount, 1, debt);
        address payer = all ? b : keeper; // repaying on behalf works too
        _fund(usdc, payer, all ? debt : amount);
        vm.prank(payer);
        try market.repay(amount, b) {
            ghostRoundingSlack += 2;
        } catch {
            ghostRepayReverted++;
        }
    }

    // ───────────────────────────── the world ─────────────────────────────

    /// @dev Prices drift between -15% and +10% a step, kept within 10%..200% of the start.
    function movePrice(uint256 assetSeed, uint256 pct) external count("movePrice") {
        uint256 i = assetSeed % 3;
        int256 change = int256(bound(pct, 0, 25)) - 15;
        int256 price = feeds[i].latestAnswer() * (100 + change) / 100;
        int256 floor = initialPrices[i] / 10;
        int256 cap = initialPrices[i] * 2;
        price = price < floor ? floor : price > cap ? cap : price;
        feeds[i].setAnswer(price);
    }

    /// @dev A market-wide drop: every collateral falls by the same 1-8% (volatile assets move together).
    function crash(uint256 pct) external count("crash") {
        int256 drop = int256(bound(pct, 1, 8));
        for (uint256 i; i < 3; ++i) {
            int256 price = feeds[i].latestAnswer() * (100 - drop) / 100;
            int256 floor = initialPrices[i] / 10;
            feeds[i].setAnswer(price < floor ? floor : price);
        }
    }

    /// @dev Time passes; usually the feeds keep publishing, sometimes they go quiet (stale).
    function warp(uint256 secondsForward, uint256 refreshSeed) external count("warp") {
        secondsForward = bound(secondsForward, 1, 6 hours);
        uint256 debtBefore = market.totalDebt();
        uint256 insuranceBefore = market.insuranceFund();
        vm.warp(block.timestamp + secondsForward);
        // Interest earned by lenders while time passed: debt growth net of the reserve.
        uint256 interest = market.totalDebt() - debtBefore;
        uint256 reserve = market.insuranceFund() - insuranceBefore;
        ghostInterestToLenders += interest - reserve;
        ghostExpectedAssets += int256(interest - reserve);
        if (refreshSeed % 8 != 0) _refreshFeeds();
    }

    function refreshFeeds() external count("refreshFeeds") {
        _refreshFeeds();
    }

    /// @dev The guardian pulls (one time in six) or releases each breaker.
    function setPause(uint256 seed) external count("setPause") {
        vm.startPrank(guardian);
        market.setMarketPause(seed % 6 == 0, (seed >> 8) % 6 == 0);
        market.setCollateralPause(address(collaterals[(seed >> 16) % 3]), (seed >> 24) % 6 == 0);
        vm.stopPrank();
    }

    // ───────────────────────────── keepers ─────────────────────────────

    /// @dev A keeper scans every account from a random start and flags the first it can.
    function flag(uint256 who) external count("flag") {
        for (uint256 k; k < borrowers.length; ++k) {
            address b = borrowers[(who % borrowers.length + k) % borrowers.length];
            vm.prank(keeper);
            try market.flag(b) {
                flags++;
                return;
            } catch {}
        }
    }

    function unflag(uint256 who) external count("unflag") {
        address b = borrowers[who % borrowers.length];
        vm.prank(keeper);
        try market.unflag(b) {} catch {}
    }

    struct Before {
        uint256 hf;
        Zone zone;
        uint256 debt;
        uint256 flaggedAt;
        uint256 lastSliceAt;
        uint256 sliceCap;
        uint256 targetCap;
        uint256 collateralCap;
    }

    /// @dev A prompt keeper: flags whatever is under water and liquidates whatever `previewLiquidation` allows,
    /// each with a random share of the allowed repay.
    function keeperRound(uint256 seed, uint256 repayShare) external count("keeperRound") {
        for (uint256 k; k < borrowers.length; ++k) {
            address b = borrowers[(seed % borrowers.length + k) % borrowers.length];
            if (market.debtOf(b) == 0) continue;
            vm.prank(keeper);
            try market.flag(b) {
                flags++;
            } catch {}
            for (uint256 c; c < 3; ++c) {
                try market.previewLiquidation(b, address(collaterals[c])) returns (LiquidationPreview memory p) {
                    if (!p.allowed) continue;
                    uint256 maxRepay = Math.mulDiv(p.repayCap, bound(repayShare, 0.2e18, 1.2e18), WAD);
                    _liquidate(b, c, maxRepay < 1e6 ? 1e6 : maxRepay);
                    // A greedy keeper tries again at once: in SOFT this must wait for sliceInterval.
                    if (market.debtOf(b) != 0) _liquidate(b, c, maxRepay < 1e6 ? 1e6 : maxRepay);
                    break;
                } catch {}
            }
        }
    }

    /// @dev Picks a borrower with debt (scanning from a random start) and one of the collaterals it holds.
    function liquidate(uint256 who, uint256 assetSeed, uint256 maxRepay) external count("liquidate") {
        address b = borrowers[who % borrowers.length];
        for (uint256 k; k < borrowers.length && market.debtOf(b) == 0; ++k) {
            b = borrowers[(who % borrowers.length + k) % borrowers.length];
        }
        uint256 ci = assetSeed % 3;
        for (uint256 k; k < 3 && market.collateralOf(b, address(collaterals[ci])) == 0; ++k) {
            ci = (assetSeed % 3 + k) % 3;
        }
        uint256 debt = market.debtOf(b);
        if (debt == 0) return;
        // From 1 USDC: dust repays of a few base units can lose a unit to scaled-debt rounding (see report).
        _liquidate(b, ci, bound(maxRepay, debt < 1e6 ? debt : 1e6, debt));
    }

    function _liquidate(address b, uint256 ci, uint256 maxRepay) internal {
        MockERC20 token = collaterals[ci];
        uint256 debt = market.debtOf(b);
        Before memory s;
        try market.healthFactor(b) returns (uint256 hf) {
            s.hf = hf;
        } catch {
            s.hf = type(uint256).max; // unknown: a liquidation would be a violation only if it succeeded
        }
        s.debt = debt;
        (s.flaggedAt, s.lastSliceAt) = market.liquidationState(b);
        RiskParams memory p = market.riskParams();
        s.zone = s.hf >= WAD ? Zone.HEALTHY : s.hf >= p.hardHealth ? Zone.SOFT : Zone.HARD;
        if (s.zone != Zone.HEALTHY) _caps(s, b, ci, p);

        _fund(usdc, keeper, maxRepay);
        vm.recordLogs();
        vm.prank(keeper);
        try market.liquidate(b, address(token), maxRepay, 0) returns (uint256 repaid, uint256) {
            _judge(s, b, repaid, p);
        } catch {}
        _readBadDebt(vm.getRecordedLogs());
    }

    function _judge(Before memory s, address b, uint256 repaid, RiskParams memory p) internal {
        if (s.hf >= WAD) ghostHealthyLiquidated++;
        if (s.zone == Zone.SOFT) {
            softSlices++;
            if (repaid > s.sliceCap) ghostSliceAboveSliceCap++;
            if (repaid > s.targetCap) ghostSliceAboveTargetCap++;
            if (repaid > s.collateralCap) ghostSliceAboveCollateralCap++;
            if (s.flaggedAt == 0 || block.timestamp < s.flaggedAt + p.gracePeriod) ghostSliceBeforeGrace++;
            if (block.timestamp < s.lastSliceAt + p.sliceInterval) ghostSliceWithinInterval++;
            if (market.debtOf(b) != 0 && market.healthFactor(b) < s.hf) ghostSliceLoweredHealth++;
        } else if (s.zone == Zone.HARD) {
            hardLiquidations++;
            if (repaid > Math.mulDiv(s.debt, p.hardCloseFactor, WAD)) ghostHardAboveCloseFactor++;
            if (repaid > s.collateralCap) ghostSliceAboveCollateralCap++;
        }
        ghostRoundingSlack += 2;
    }

    /// @dev The three caps of DESIGN §2.4.2 from first principles (oracle prices, balances, parameters).
    function _caps(Before memory s, address b, uint256 ci, RiskParams memory p) internal view {
        uint256 bonus = s.zone == Zone.SOFT
            ? p.softBonusMin + Math.mulDiv(p.softBonusMax - p.softBonusMin, WAD - s.hf, WAD - p.hardHealth)
            : p.hardBonus;
        uint256 power;
        for (uint256 i; i < 3; ++i) {
            uint256 bal = market.collateralOf(b, address(collaterals[i]));
            if (bal == 0) continue;
            uint256 value = Math.mulDiv(bal, oracle.price(address(collaterals[i])), 10 ** collaterals[i].decimals());
            power += Math.mulDiv(value, lts[i], WAD);
        }
        uint256 loanPrice = oracle.price(address(usdc));
        uint256 debtValue = Math.mulDiv(s.debt, loanPrice, 1e6, Math.Rounding.Ceil);
        uint256 balance = market.collateralOf(b, address(collaterals[ci]));
        uint256 cValue = Math.mulDiv(balance, oracle.price(address(collaterals[ci])), 10 ** collaterals[ci].decimals());
        s.collateralCap = Math.mulDiv(Math.mulDiv(cValue, WAD, WAD + bonus), 1e6, loanPrice);
        s.sliceCap = Math.mulDiv(s.debt, p.sliceCap, WAD);
        uint256 targetPower = Math.mulDiv(p.targetHealth, debtValue, WAD);
        s.targetCap = targetPower <= power
            ? 0
            : Math.mulDiv(
                Math.mulDiv(targetPower - power, WAD, p.targetHealth - Math.mulDiv(WAD + bonus, lts[ci], WAD)),
                1e6,
                loanPrice
            );
    }

    function _readBadDebt(Vm.Log[] memory logs) internal {
        for (uint256 i; i < logs.length; ++i) {
            if (logs[i].emitter != address(market) || logs[i].topics[0] != EventsLib.BadDebt.selector) continue;
            (uint256 badDebt, uint256 covered, uint256 socialised) = abi.decode(logs[i].data, (uint256, uint256, uint256));
            if (badDebt != covered + socialised) ghostBadDebtEventMismatch++;
            ghostSocialised += socialised;
            ghostExpectedAssets -= int256(socialised);
            badDebts++;
        }
    }

    // ───────────────────────────── helpers ─────────────────────────────

    function _fund(MockERC20 token, address to, uint256 amount) internal {
        token.mint(to, amount);
        vm.prank(to);
        token.approve(address(market), type(uint256).max);
    }

    function _refreshFeeds() internal {
        usdcFeed.refresh();
        for (uint256 i; i < 3; ++i) {
            feeds[i].refresh();
        }
    }

    /// @dev Loan units the account could still borrow, from the oracle (false when a price is unavailable).
    function _borrowPowerLeft(address b) internal view returns (uint256, bool) {
        uint256 borrowPower;
        for (uint256 i; i < 3; ++i) {
            uint256 bal = market.collateralOf(b, address(collaterals[i]));
            if (bal == 0 || market.collateralConfig(address(collaterals[i])).paused) continue;
            try oracle.price(address(collaterals[i])) returns (uint256 price) {
                uint256 value = Math.mulDiv(bal, price, 10 ** collaterals[i].decimals());
                borrowPower += Math.mulDiv(value, market.collateralConfig(address(collaterals[i])).ltv, WAD);
            } catch {
                return (0, false);
            }
        }
        uint256 debtValue = market.debtOf(b) * 1e12;
        if (borrowPower <= debtValue) return (0, true);
        return ((borrowPower - debtValue) / 1e12, true);
    }
}
