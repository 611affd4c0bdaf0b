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
import {DeleveragePolicy, LiquidationPreview, RiskParams, Zone} from "../../src/libraries/Types.sol";

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
    uint256 public ghostSliceAboveShareCap;
    uint256 public ghostAboveTargetCap;
    uint256 public ghostAboveCollateralCap;
    uint256 public ghostLoweredSolventHealth;
    uint256 public ghostSliceBeforeGrace;
    uint256 public ghostSliceWithinInterval;
    uint256 public ghostSliceOnLapsedFlag;
    uint256 public ghostSliceBelowMinimum;
    uint256 public ghostBonusOutOfBounds;
    uint256 public ghostRepayReverted;
    uint256 public ghostDepositReverted;
    uint256 public ghostDueSliceFailed;
    uint256 public ghostFullRepayFailed;
    /// @dev A policy execution outside its policy: at or above the trigger, in HARD, above its share, past its target,
    /// at a bonus above the policy's or the market's lowest soft bonus, or one that moved the liquidation clock.
    uint256 public ghostPolicyOutOfBounds;
    /// @dev An execution sent against a version that was no longer the account's (changed or revoked) succeeded.
    uint256 public ghostStalePolicyExecuted;

    mapping(bytes32 => uint256) public calls;
    uint256 public softSlices;
    uint256 public hardLiquidations;
    uint256 public badDebts;
    uint256 public flags;
    uint256 public borrows;
    uint256 public borrowReverts;
    uint256 public dueSlicesChecked;
    uint256 public underwaterSeen;
    uint256 public liquidationAttempts;
    uint256 public liquidationSuccesses;
    uint256 public fullRepaysChecked;
    uint256 public policyExecutions;
    uint256 public policyRefusals;
    address public immutable attacker = makeAddr("attacker");

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


    /// @dev The account's liquidation clock (flag and last slice), from the market's `accounts` getter.
    function _clock(address account) internal view returns (uint256 flaggedAt, uint256 lastSliceAt) {
        (, flaggedAt, lastSliceAt,) = market.accounts(account);
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

    /// @dev Prices drift between -12% and +12% a step, kept within 25%..200% of the start.
    function movePrice(uint256 assetSeed, uint256 pct) external count("movePrice") {
        uint256 i = assetSeed % 3;
        int256 change = int256(bound(pct, 0, 24)) - 12;
        int256 price = feeds[i].latestAnswer() * (100 + change) / 100;
        int256 floor = initialPrices[i] / 4;
        int256 cap = initialPrices[i] * 2;
        price = price < floor ? floor : price > cap ? cap : price;
        feeds[i].setAnswer(price);
    }

    /// @dev A market-wide move: every collateral falls (two times in three) or rises by the same 1-8% (volatile
    /// assets move together), within 25%..200% of the start.
    function crash(uint256 pct) external count("crash") {
        int256 move = int256(bound(pct, 1, 8));
        if (pct % 3 == 0) move = -move;
        for (uint256 i; i < 3; ++i) {
            int256 price = feeds[i].latestAnswer() * (100 - move) / 100;
            int256 floor = initialPrices[i] / 4;
            int256 cap = initialPrices[i] * 2;
            feeds[i].setAnswer(price < floor ? floor : price > cap ? cap : price);
        }
    }

    /// @dev A fall aimed at one borrower: every collateral moves by the same factor so that its health lands at a
    /// random point between 0.84 and 1.01, around the soft zone, where the rules are richest.
    function pushTowardsSoft(uint256 who, uint256 target) external count("pushTowardsSoft") {
        _pushHealth(borrowers[who % borrowers.length], bound(target, 0.84e18, 1.01e18));
    }

    /// @dev Moves every collateral by the same factor so that `b`'s health lands at `target` (within the price bounds).
    function _pushHealth(address b, uint256 target) internal {
        if (market.debtOf(b) == 0) return;
        uint256 hf;
        try market.healthFactor(b) returns (uint256 h) {
            hf = h;
        } catch {
            return;
        }
        if (hf == 0 || hf == type(uint256).max) return;
        for (uint256 i; i < 3; ++i) {
            int256 price = int256(Math.mulDiv(uint256(feeds[i].latestAnswer()), target, hf));
            int256 floor = initialPrices[i] / 4;
            int256 cap = initialPrices[i] * 2;
            feeds[i].setAnswer(price < floor ? floor : price > cap ? cap : price);
        }
    }

    /// @dev Time passes; usually the feeds keep publishing, sometimes they go quiet (stale).
    function warp(uint256 secondsForward, uint256 refreshSeed) external count("warp") {
        // Mostly minutes (grace periods and slice intervals play out, flags stay live), sometimes hours (flags lapse,
        // interest builds up).
        secondsForward = refreshSeed % 5 == 0 ? bound(secondsForward, 1 hours, 6 hours) : bound(secondsForward, 1, 20 minutes);
        uint256 debtBefore = market.totalDebt();
        uint256 insuranceBefore = market.insuranceFund();
        vm.warp(vm.getBlockTimestamp() + secondsForward);
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

    // ───────────────────────────── adversaries ─────────────────────────────

    /// @dev Anyone may top up anyone: an attacker sprinkles one base unit of a collateral on a borrower.
    function dustDeposit(uint256 who, uint256 assetSeed) external count("dustDeposit") {
        address b = borrowers[who % borrowers.length];
        MockERC20 token = collaterals[assetSeed % 3];
        _fund(token, attacker, 1);
        vm.prank(attacker);
        try market.depositCollateral(address(token), 1, b) {} catch {
            ghostDepositReverted++;
        }
    }

    /// @dev The attacker tries to "slice" through the account's smallest collateral for as little as possible.
    function griefSlice(uint256 who, uint256 maxRepay) external count("griefSlice") {
        address b = borrowers[who % borrowers.length];
        uint256 smallest = type(uint256).max;
        uint256 ci = 3;
        for (uint256 i; i < 3; ++i) {
            uint256 bal = market.collateralOf(b, address(collaterals[i]));
            if (bal == 0) continue;
            uint256 value = Math.mulDiv(bal, _last(i), 10 ** collaterals[i].decimals());
            if (value < smallest) (smallest, ci) = (value, i);
        }
        if (ci == 3 || market.debtOf(b) == 0) return;
        _liquidate(attacker, b, ci, bound(maxRepay, 1, 10e6));
    }

    /// @dev A collateral feed stops answering (one time in four), or comes back.
    function breakFeed(uint256 assetSeed) external count("breakFeed") {
        feeds[assetSeed % 3].setReverting((assetSeed >> 8) % 4 == 0);
    }

    /// @dev A collateral feed goes quiet: its last answer is older than the heartbeat.
    function staleFeed(uint256 assetSeed) external count("staleFeed") {
        MockAggregator f = feeds[assetSeed % 3];
        if (f.reverting()) return;
        f.setAnswerAt(f.latestAnswer(), vm.getBlockTimestamp() > 2 hours ? vm.getBlockTimestamp() - 2 hours : 0);
    }

    // ───────────────────────────── deleverage policies (R9) ─────────────────────────────

    /// @dev A borrower sets a random valid policy (trigger 1.01–1.5, target up to 0.5 above it, any allowed bonus and
    /// share), or revokes it one time in five.
    function setPolicy(uint256 who, uint256 seed) external count("setPolicy") {
        address b = borrowers[who % borrowers.length];
        DeleveragePolicy memory p;
        if (seed % 5 != 0) {
            uint64 trigger = uint64(bound(uint16(seed >> 8), 1_010_000, 1_500_000)) * 1e12;
            p = DeleveragePolicy({
                triggerHealth: trigger,
                targetHealth: trigger + uint64(bound(uint16(seed >> 24), 1, 500_000)) * 1e12,
                maxBonus: uint64(bound(uint16(seed >> 40), 0, market.riskParams().softBonusMin / 1e12)) * 1e12,
                maxShare: uint64(bound(uint16(seed >> 56), 1, 1_000_000)) * 1e12
            });
        }
        vm.prank(b);
        market.setDeleveragePolicy(b, p);
    }

    /// @dev Anyone executes a borrower's policy through any collateral it holds, sometimes against the version before
    /// the current one (an execution that was in flight when the borrower changed or revoked the policy).
    function executePolicy(uint256 who, uint256 assetSeed, uint256 maxRepay, uint256 mode)
        external
        count("executePolicy")
    {
        address b = _withPolicy(who);
        (DeleveragePolicy memory policy, uint256 version) = market.deleveragePolicy(b);
        if (version == 0) return;
        // One time in four: an execution in flight since before the latest change (or revocation).
        uint256 sent = mode % 4 == 0 ? version - 1 : version;
        // One time in two: the price has just fallen to somewhere between HARD and the trigger.
        if (mode % 4 >= 2 && policy.triggerHealth != 0) _pushHealth(b, bound(mode >> 8, 0.87e18, policy.triggerHealth));
        uint256 ci = assetSeed % 3;
        for (uint256 k; k < 3 && market.collateralOf(b, address(collaterals[ci])) == 0; ++k) {
            ci = (assetSeed % 3 + k) % 3;
        }
        uint256 debt = market.debtOf(b);
        if (debt == 0) return;
        maxRepay = bound(maxRepay, debt < 1e6 ? debt : 1e6, debt);
        (bool ok, State memory st) = _state(b, ci);
        bool allFresh = _allHeldPricesFresh(b);
        _fund(usdc, attacker, maxRepay);
        vm.recordLogs();
        vm.prank(attacker);
        try market.deleverage(b, address(collaterals[ci]), maxRepay, 0, sent) returns (uint256 repaid, uint256) {
            if (!ok) revert("policy execution succeeded without the fresh prices it needs");
            // Unlike a liquidation, which values other collateral at its last price (R7), an execution needs them all.
            if (!allFresh) revert("policy execution succeeded while a held collateral had no fresh price");
            if (sent != version || policy.triggerHealth == 0) ghostStalePolicyExecuted++;
            policyExecutions++;
            Vm.Log[] memory logs = vm.getRecordedLogs();
            _judgePolicy(st, policy, b, ci, repaid, _policyBonusOf(logs));
            ghostRoundingSlack += 2;
            _readBadDebt(logs);
        } catch {
            policyRefusals++;
            _readBadDebt(vm.getRecordedLogs());
        }
    }

    /// @dev A fall aimed at a borrower with a policy: its health lands between 0.86 (HARD, just below) and 0.02
    /// above its trigger, where executions are decided.
    function pushBelowTrigger(uint256 who, uint256 target) external count("pushBelowTrigger") {
        address b = _withPolicy(who);
        (DeleveragePolicy memory policy,) = market.deleveragePolicy(b);
        if (policy.triggerHealth == 0) return;
        _pushHealth(b, bound(target, 0.86e18, policy.triggerHealth + 0.02e18));
    }

    /// @dev The first borrower from `who` on that has debt and a policy (or the `who`th borrower if none has); one
    /// time in eight also a revoked one.
    function _withPolicy(uint256 who) internal view returns (address) {
        for (uint256 k; k < borrowers.length; ++k) {
            address b = borrowers[(who % borrowers.length + k) % borrowers.length];
            (DeleveragePolicy memory p, uint256 version) = market.deleveragePolicy(b);
            if (version != 0 && (p.triggerHealth != 0 || who % 8 == 0) && market.debtOf(b) != 0) return b;
        }
        return borrowers[who % borrowers.length];
    }

    function _policyBonusOf(Vm.Log[] memory logs) internal view returns (uint256 bonus) {
        for (uint256 i; i < logs.length; ++i) {
            if (logs[i].emitter != address(market) || logs[i].topics[0] != EventsLib.Deleveraged.selector) continue;
            (,,, bonus,,) = abi.decode(logs[i].data, (uint256, uint256, uint256, uint256, uint256, uint256));
        }
    }

    /// @dev Every rule of R9 a successful execution must have obeyed, recomputed from the state before it.
    function _judgePolicy(
        State memory st,
        DeleveragePolicy memory policy,
        address b,
        uint256 ci,
        uint256 repaid,
        uint256 bonus
    ) internal {
        if (st.hf >= policy.triggerHealth || st.hf < st.p.hardHealth) ghostPolicyOutOfBounds++;
        if (bonus > policy.maxBonus || bonus > st.p.softBonusMin) ghostPolicyOutOfBounds++;
        if (repaid > Math.mulDiv(st.debt, policy.maxShare, WAD)) ghostPolicyOutOfBounds++;
        uint256 targetPower = Math.mulDiv(policy.targetHealth, st.debtValue, WAD);
        uint256 targetCap = targetPower <= st.power
            ? 0
            : Math.mulDiv(
                Math.mulDiv(targetPower - st.power, WAD, policy.targetHealth - Math.mulDiv(WAD + bonus, lts[ci], WAD)),
                1e6,
                st.loanPrice
            );
        if (repaid > targetCap) ghostPolicyOutOfBounds++;
        uint256 collateralCap = Math.mulDiv(Math.mulDiv(st.cValue, WAD, WAD + bonus), 1e6, st.loanPrice);
        if (repaid > collateralCap + 1) ghostAboveCollateralCap++;
        (uint256 flaggedAt, uint256 lastSliceAt) = _clock(b);
        if (lastSliceAt != st.lastSliceAt || (st.flaggedAt == 0 && flaggedAt != 0)) ghostPolicyOutOfBounds++;
        if (market.debtOf(b) != 0) {
            (, State memory afterSt) = _state(b, ci);
            if (afterSt.hf < st.hf) ghostLoweredSolventHealth++;
            // The seized amount is rounded down (in the borrower's favour), so health may end above the target by
            // what one more unit of collateral, and the per-term rounding, would have taken away.
            uint256 unitPower = Math.mulDiv(oracle.price(address(collaterals[ci])), lts[ci], 10 ** collaterals[ci].decimals() * WAD) + 3;
            uint256 slack = Math.mulDiv(unitPower, WAD, afterSt.debtValue) + 1;
            if (afterSt.hf > policy.targetHealth + slack) ghostPolicyOutOfBounds++;
        }
    }

    // ───────────────────────────── liveness probes (state is restored afterwards) ─────────────────────────────

    /// @dev "A flagged SOFT account past its grace can always be sliced": when the rules of docs/liquidation.md say a
    /// slice is due and the account's largest collateral and the loan asset have live prices, a slice through that
    /// collateral at its full cap must succeed.
    function probeDueSlice(uint256 who) external count("probeDueSlice") {
        address b = borrowers[who % borrowers.length];
        if (market.debtOf(b) == 0) return;
        (uint256 largest, bool fresh) = _largestCollateral(b);
        if (!fresh) return;
        (bool ok, State memory st) = _state(b, largest);
        if (!ok || st.hf >= WAD || st.hf < st.p.hardHealth || st.value <= st.debtValue) return;
        if (!_sliceDue(st)) return;
        dueSlicesChecked++;
        // Ghosts are written after the state is restored: reverting to the snapshot would erase them too.
        uint256 snap = vm.snapshotState();
        _fund(usdc, keeper, market.debtOf(b));
        vm.prank(keeper);
        bool failed;
        try market.liquidate(b, address(collaterals[largest]), type(uint256).max, 0) {} catch {
            failed = true;
        }
        vm.revertToState(snap);
        if (failed) ghostDueSliceFailed++;
    }

    /// @dev "Repay of the whole debt always succeeds", whatever the prices, feeds, pauses and flags.
    function probeFullRepay(uint256 who) external count("probeFullRepay") {
        address b = borrowers[who % borrowers.length];
        uint256 debt = market.debtOf(b);
        if (debt == 0) return;
        fullRepaysChecked++;
        uint256 snap = vm.snapshotState();
        _fund(usdc, b, debt);
        vm.prank(b);
        bool failed;
        try market.repay(type(uint256).max, b) {
            failed = market.debtOf(b) != 0;
        } catch {
            failed = true;
        }
        vm.revertToState(snap);
        if (failed) ghostFullRepayFailed++;
    }

    // ───────────────────────────── keepers ─────────────────────────────

    /// @dev A prompt keeper: flags whatever is under water and liquidates whatever `previewLiquidation` allows,
    /// each with a random share of the allowed repay.
    function keeperRound(uint256 seed, uint256 repayShare) external count("keeperRound") {
        for (uint256 k; k < borrowers.length; ++k) {
            address b = borrowers[(seed % borrowers.length + k) % borrowers.length];
            if (market.debtOf(b) == 0) continue;
            try market.healthFactor(b) returns (uint256 hf) {
                if (hf < WAD) underwaterSeen++;
            } catch {}
            vm.prank(keeper);
            try market.flag(b) {
                flags++;
            } catch {}
            for (uint256 c; c < 3; ++c) {
                try market.previewLiquidation(b, address(collaterals[c])) returns (LiquidationPreview memory p) {
                    if (!p.allowed) continue;
                    uint256 maxRepay = Math.mulDiv(p.repayCap, bound(repayShare, 0.2e18, 1.2e18), WAD);
                    _liquidate(keeper, b, c, maxRepay < 1e6 ? 1e6 : maxRepay);
                    // A greedy keeper tries again at once: in SOFT this must wait for the interval.
                    if (market.debtOf(b) != 0) _liquidate(keeper, b, c, maxRepay < 1e6 ? 1e6 : maxRepay);
                    break;
                } catch {}
            }
        }
    }

    /// @dev Picks a borrower with debt (scanning from a random start) and any collateral it holds: a strategic
    /// liquidator chooses the one that pays best, so every choice must be safe.
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
        _liquidate(keeper, b, ci, bound(maxRepay, debt < 1e6 ? debt : 1e6, debt));
    }

    /// @dev What the rules see of an account, recomputed here from the oracle, balances and parameters: collateral
    /// at its last valid price except `ci`, which (like the loan asset) must be fresh (docs/liquidation.md R7).
    struct State {
        RiskParams p;
        uint256 hf;
        uint256 power;
        uint256 value;
        uint256 maxValue;
        uint256 cValue;
        uint256 debt;
        uint256 debtValue;
        uint256 loanPrice;
        uint256 flaggedAt;
        uint256 lastSliceAt;
    }

    function _allHeldPricesFresh(address b) internal view returns (bool) {
        for (uint256 i; i < 3; ++i) {
            if (market.collateralOf(b, address(collaterals[i])) == 0) continue;
            try oracle.price(address(collaterals[i])) returns (uint256) {}
            catch {
                return false;
            }
        }
        return true;
    }

    function _state(address b, uint256 ci) internal view returns (bool ok, State memory st) {
        st.p = market.riskParams();
        st.debt = market.debtOf(b);
        (st.flaggedAt, st.lastSliceAt) = _clock(b);
        try oracle.price(address(usdc)) returns (uint256 lp) {
            st.loanPrice = lp;
        } catch {
            return (false, st);
        }
        for (uint256 i; i < 3; ++i) {
            uint256 bal = market.collateralOf(b, address(collaterals[i]));
            if (bal == 0) continue;
            uint256 price = _last(i);
            if (i == ci) {
                try oracle.price(address(collaterals[i])) returns (uint256 fresh) {
                    price = fresh;
                } catch {
                    return (false, st);
                }
            }
            uint256 value = Math.mulDiv(bal, price, 10 ** collaterals[i].decimals());
            st.value += value;
            if (value > st.maxValue) st.maxValue = value;
            if (i == ci) st.cValue = value;
            st.power += Math.mulDiv(value, lts[i], WAD);
        }
        st.debtValue = Math.mulDiv(st.debt, st.loanPrice, 1e6, Math.Rounding.Ceil);
        st.hf = st.debtValue == 0 ? type(uint256).max : Math.mulDiv(st.power, WAD, st.debtValue);
        ok = true;
    }

    function _depth(State memory st) internal pure returns (uint256) {
        if (st.hf >= WAD) return 0;
        if (st.hf <= st.p.hardHealth) return WAD;
        return Math.mulDiv(WAD - st.hf, WAD, WAD - st.p.hardHealth);
    }

    /// @dev R1/R2: whether a soft slice is due now (a live flag past its grace, or below the floor; spacing kept).
    function _sliceDue(State memory st) internal view returns (bool) {
        bool deep = st.hf < st.p.graceFloor;
        uint256 graceEnd = st.flaggedAt + st.p.gracePeriod;
        uint256 last = st.lastSliceAt > graceEnd ? st.lastSliceAt : graceEnd;
        bool live = st.flaggedAt != 0 && vm.getBlockTimestamp() < last + st.p.gracePeriod + st.p.sliceInterval;
        if (!live) return deep;
        if (st.lastSliceAt >= st.flaggedAt) {
            uint256 interval = Math.mulDiv(st.p.sliceInterval, WAD - _depth(st), WAD);
            return vm.getBlockTimestamp() >= st.lastSliceAt + interval;
        }
        return deep || vm.getBlockTimestamp() >= graceEnd;
    }

    function _largestCollateral(address b) internal view returns (uint256 ci, bool fresh) {
        uint256 best;
        for (uint256 i; i < 3; ++i) {
            uint256 bal = market.collateralOf(b, address(collaterals[i]));
            if (bal == 0) continue;
            uint256 value = Math.mulDiv(bal, _last(i), 10 ** collaterals[i].decimals());
            if (value >= best) (best, ci) = (value, i);
        }
        try oracle.price(address(collaterals[ci])) returns (uint256) {
            fresh = best != 0;
        } catch {}
    }

    function _last(uint256 i) internal view returns (uint256) {
        return oracle.lastPrice(address(collaterals[i]));
    }

    function _liquidate(address liquidator, address b, uint256 ci, uint256 maxRepay) internal {
        (bool ok, State memory st) = _state(b, ci);
        _fund(usdc, liquidator, maxRepay);
        liquidationAttempts++;
        vm.recordLogs();
        vm.prank(liquidator);
        try market.liquidate(b, address(collaterals[ci]), maxRepay, 0) returns (uint256 repaid, uint256) {
            if (!ok) revert("liquidation succeeded without the fresh prices it needs");
            liquidationSuccesses++;
            Vm.Log[] memory logs = vm.getRecordedLogs();
            _judge(st, b, ci, repaid, _bonusOf(logs));
            ghostRoundingSlack += 2;
            _readBadDebt(logs);
        } catch {
            _readBadDebt(vm.getRecordedLogs());
        }
    }

    function _bonusOf(Vm.Log[] memory logs) internal view returns (uint256 bonus) {
        for (uint256 i; i < logs.length; ++i) {
            if (logs[i].emitter != address(market) || logs[i].topics[0] != EventsLib.Liquidated.selector) continue;
            (,,, bonus,,) = abi.decode(logs[i].data, (Zone, uint256, uint256, uint256, uint256, uint256));
        }
    }

    /// @dev Every rule of docs/liquidation.md that a successful liquidation must have obeyed.
    function _judge(State memory st, address b, uint256 ci, uint256 repaid, uint256 bonus) internal {
        if (st.hf >= WAD) {
            ghostHealthyLiquidated++;
            return;
        }
        uint256 targetCap = _judgeCaps(st, b, ci, repaid, bonus);
        if (st.hf >= st.p.hardHealth) {
            softSlices++;
            _judgeSoft(st, repaid, bonus, targetCap);
            _judgeTiming(st);
        } else {
            hardLiquidations++;
            if (bonus > st.p.hardBonus) ghostBonusOutOfBounds++;
            if (st.value > st.debtValue && Math.mulDiv(WAD + bonus, lts[ci], WAD) > st.hf) ghostBonusOutOfBounds++;
        }
    }

    /// @dev Collateral and target caps, and health never lowered for a solvent account; returns the target cap.
    function _judgeCaps(State memory st, address b, uint256 ci, uint256 repaid, uint256 bonus)
        internal
        returns (uint256 targetCap)
    {
        uint256 collateralCap = Math.mulDiv(Math.mulDiv(st.cValue, WAD, WAD + bonus), 1e6, st.loanPrice);
        if (repaid > collateralCap + 1) ghostAboveCollateralCap++;
        targetCap = type(uint256).max;
        if (st.value <= st.debtValue) return targetCap;
        uint256 targetPower = Math.mulDiv(st.p.targetHealth, st.debtValue, WAD);
        targetCap = targetPower <= st.power
            ? 0
            : Math.mulDiv(
                Math.mulDiv(targetPower - st.power, WAD, st.p.targetHealth - Math.mulDiv(WAD + bonus, lts[ci], WAD)),
                1e6,
                st.loanPrice
            );
        if (repaid > targetCap && st.p.hardCloseFactor == 0) ghostAboveTargetCap++;
        if (market.debtOf(b) != 0) {
            (, State memory afterSt) = _state(b, ci);
            if (afterSt.hf < st.hf) ghostLoweredSolventHealth++;
        }
    }

    function _judgeSoft(State memory st, uint256 repaid, uint256 bonus, uint256 targetCap) internal {
        uint256 d = _depth(st);
        uint256 opening = st.p.softBonusMin + Math.mulDiv(st.p.softBonusMax - st.p.softBonusMin, d, WAD);
        if (bonus < opening || bonus > st.p.softBonusMax) ghostBonusOutOfBounds++;
        uint256 shareCap = Math.mulDiv(st.debt, st.p.sliceCap + Math.mulDiv(WAD - st.p.sliceCap, d, WAD), WAD);
        if (repaid > shareCap) ghostSliceAboveShareCap++;
        uint256 accountCap = shareCap < targetCap ? shareCap : targetCap;
        uint256 largestCap = Math.mulDiv(Math.mulDiv(st.maxValue, WAD, WAD + bonus), 1e6, st.loanPrice);
        uint256 minBase = accountCap < largestCap ? accountCap : largestCap;
        if (repaid + 1 < minBase - minBase / 2) ghostSliceBelowMinimum++;
    }

    function _judgeTiming(State memory st) internal {
        bool deep = st.hf < st.p.graceFloor;
        uint256 graceEnd = st.flaggedAt + st.p.gracePeriod;
        uint256 last = st.lastSliceAt > graceEnd ? st.lastSliceAt : graceEnd;
        bool live = st.flaggedAt != 0 && vm.getBlockTimestamp() < last + st.p.gracePeriod + st.p.sliceInterval;
        bool sliced = live && st.lastSliceAt >= st.flaggedAt;
        if (!deep) {
            if (!live) ghostSliceOnLapsedFlag++;
            // The grace holds back a flag's first slice; later ones keep the spacing below.
            if (!sliced && vm.getBlockTimestamp() < graceEnd) ghostSliceBeforeGrace++;
        }
        if (sliced) {
            uint256 interval = Math.mulDiv(st.p.sliceInterval, WAD - _depth(st), WAD);
            if (vm.getBlockTimestamp() < st.lastSliceAt + interval) ghostSliceWithinInterval++;
        }
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

    /// @dev The feeds publish again: a broken one recovers (outages are temporary).
    function _refreshFeeds() internal {
        usdcFeed.refresh();
        for (uint256 i; i < 3; ++i) {
            feeds[i].setReverting(false);
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
