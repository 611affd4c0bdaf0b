// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC4626} from "@openzeppelin/contracts/token/ERC20/extensions/ERC4626.sol";
import {IERC20, IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

import {IPriceOracle} from "./interfaces/IPriceOracle.sol";
import {
    Account,
    CollateralConfig,
    CollateralSlot,
    DeleveragePolicy,
    LiquidationPreview,
    MarketConfig,
    PackedPolicy,
    RateModel,
    RiskParams,
    Zone
} from "./libraries/Types.sol";
import {ErrorsLib} from "./libraries/ErrorsLib.sol";
import {EventsLib} from "./libraries/EventsLib.sol";
import {ConfigLib} from "./libraries/ConfigLib.sol";
import {PackedLib} from "./libraries/PackedLib.sol";
import {InterestRateLib} from "./libraries/InterestRateLib.sol";
import {RiskMath} from "./libraries/RiskMath.sol";
import {PolicyLib} from "./libraries/PolicyLib.sol";

/// @title SoftLandingMarket
/// @notice A lending market with net-risk health and soft liquidation.
/// Lenders supply the loan asset through the ERC-4626 vault interface. Borrowers lock up to 8 collateral assets and
/// borrow the loan asset; their health is judged on the whole portfolio. Below HF 1 an account can be flagged; after
/// a grace period it is unwound in small, spaced slices whose size, spacing and bonus follow its depth; below
/// `hardHealth` it can be hard-liquidated by just enough to restore the target. The rules, with their reasoning and
/// inequalities, are in docs/liquidation.md (R1–R8 below refer to it).
/// @dev Lender accounting is internal (`cash`), so tokens sent to the market directly change nothing (no donation or
/// share-inflation attack), and the vault uses 6 virtual decimals on top. Rounding favours the protocol throughout.
contract SoftLandingMarket is ERC4626, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;
    using SafeCast for uint256;

    uint256 internal constant WAD = 1e18;
    uint256 internal constant MAX_COLLATERALS = 8;
    uint256 internal constant MAX_DURATION = 7 days;
    /// @notice Ceiling of the borrow index (R8): interest stops accruing there, so debt arithmetic never overflows.
    uint256 internal constant MAX_BORROW_INDEX = 1e36;
    uint256 internal constant MIN_PARAM_DELAY = 1 days;
    uint256 internal constant DEVNET_CHAIN_ID = 31337;

    // How `_health` reads prices: revert with the oracle's error, report failure, or use the last valid price.
    uint8 internal constant STRICT = 0;
    uint8 internal constant LENIENT = 1;
    uint8 internal constant LAST = 2;

    /// @notice Oracle pricing the loan asset and every collateral.
    IPriceOracle public immutable oracle;
    uint8 internal immutable LOAN_DECIMALS;
    /// @notice Delay before a change that can lower anyone's health applies (R5).
    uint256 public immutable paramDelay;

    address public owner;
    address public guardian;
    bool public borrowPaused;
    bool public withdrawPaused;

    /// @dev Parameters, collaterals and pending changes (governed through ConfigLib).
    MarketConfig internal _cfg;

    /// @notice Each account's scaled debt, liquidation clock and collateral mask.
    mapping(address account => Account) public accounts;
    mapping(address account => mapping(address asset => uint256)) internal _collateral;
    /// @notice Whether `manager` may borrow and withdraw collateral on behalf of `owner`.
    mapping(address owner => mapping(address manager => bool)) public isAuthorized;
    /// @dev Each account's deleverage policy and its version (R9).
    mapping(address account => PackedPolicy) internal _policies;

    // The accrual state, read and written by every action, shares one slot. The index never exceeds
    // MAX_BORROW_INDEX = 1e36 < 2^120; the insurance fund saturates at 2^96 - 1 (7.9e28 units: 79 billion of an
    // 18-decimal stable), beyond which reserves simply stay with lenders.
    uint120 internal _borrowIndex;
    uint40 internal _lastAccrual;
    uint96 internal _insuranceFund;
    uint128 internal _totalScaledDebt;
    /// @notice Loan asset held for lenders and the insurance fund (tracked, not read from `balanceOf`).
    uint128 public cash;
    /// @notice Cumulative bad debt written off against lenders after the insurance fund.
    uint128 public totalSocialisedBadDebt;

    modifier onlyOwner() {
        if (msg.sender != owner) revert ErrorsLib.NotOwner();
        _;
    }

    /// @param loanToken The stable asset lent and borrowed.
    /// @param oracle_ Prices for the loan asset and every collateral.
    /// @param owner_ Configures collaterals and parameters; cannot move anyone's funds.
    /// @param paramDelay_ Seconds between proposing and applying a change that can lower health: at least a day,
    /// or at least a second on the devnet chain.
    constructor(
        IERC20Metadata loanToken,
        IPriceOracle oracle_,
        string memory name_,
        string memory symbol_,
        address owner_,
        RiskParams memory risk,
        RateModel memory rates,
        uint256 paramDelay_
    ) ERC20(name_, symbol_) ERC4626(loanToken) {
        if (address(oracle_) == address(0) || owner_ == address(0)) revert ErrorsLib.ZeroAddress();
        uint256 minDelay = block.chainid == DEVNET_CHAIN_ID ? 1 : MIN_PARAM_DELAY;
        if (paramDelay_ < minDelay || paramDelay_ > MAX_DURATION) revert ErrorsLib.InvalidParamDelay(paramDelay_, minDelay);
        paramDelay = paramDelay_;
        oracle = oracle_;
        LOAN_DECIMALS = loanToken.decimals();
        owner = owner_;
        guardian = owner_;
        _borrowIndex = uint120(WAD);
        // Cast is safe: timestamps fit 40 bits until the year 36812.
        _lastAccrual = uint40(block.timestamp);
        emit EventsLib.OwnerSet(owner_);
        emit EventsLib.GuardianSet(owner_);
        ConfigLib.initialise(_cfg, risk, rates);
    }

    // ───────────────────────────── borrower actions ─────────────────────────────

    /// @notice Locks `amount` of collateral `asset` in `onBehalf`'s account, pulled from the caller.
    /// @dev Never paused. If the account is flagged and this brings HF back to >= 1, the flag clears here.
    function depositCollateral(address asset, uint256 amount, address onBehalf) external nonReentrant {
        CollateralConfig memory cfg = _listed(asset);
        if (amount == 0) revert ErrorsLib.ZeroAmount();
        if (onBehalf == address(0)) revert ErrorsLib.ZeroAddress();

        // Pulled before crediting: no view ever counts collateral that has not arrived.
        IERC20(asset).safeTransferFrom(msg.sender, address(this), amount);
        Account storage a = accounts[onBehalf];
        _collateral[onBehalf][asset] += amount;
        uint8 bit = uint8(1 << cfg.index);
        if (a.collateralMask & bit == 0) a.collateralMask |= bit;
        emit EventsLib.CollateralDeposited(msg.sender, onBehalf, asset, amount);

        if (a.flaggedAt != 0) _clearFlagIfHealthy(onBehalf, _accrue());
    }

    /// @notice Sends `amount` of collateral `asset` from `onBehalf`'s account to `receiver`.
    /// @dev Caller must be `onBehalf` or authorized by it. Reverts if the account's borrow power would fall below
    /// its debt value, or when withdrawals (of the market or of this asset) are paused. Clears a flag when the
    /// account ends at HF >= 1 (R1).
    function withdrawCollateral(address asset, uint256 amount, address onBehalf, address receiver)
        external
        nonReentrant
    {
        CollateralConfig memory cfg = _listed(asset);
        if (amount == 0) revert ErrorsLib.ZeroAmount();
        if (receiver == address(0)) revert ErrorsLib.ZeroAddress();
        _checkAuthorized(onBehalf);
        if (withdrawPaused || cfg.paused) revert ErrorsLib.WithdrawPaused(asset);

        uint256 balance = _collateral[onBehalf][asset];
        if (amount > balance) revert ErrorsLib.InsufficientBalance(amount, balance);
        Account storage a = accounts[onBehalf];
        unchecked {
            _collateral[onBehalf][asset] = balance - amount;
        }
        if (amount == balance) a.collateralMask &= ~uint8(1 << cfg.index);

        uint256 index = _accrue();
        if (a.scaledDebt != 0) {
            uint256 hf = _checkBorrowPower(onBehalf, a, index);
            if (a.flaggedAt != 0 && hf >= WAD) _unflag(onBehalf, a, hf);
        } else if (a.flaggedAt != 0) {
            _unflag(onBehalf, a, type(uint256).max);
        }

        IERC20(asset).safeTransfer(receiver, amount);
        emit EventsLib.CollateralWithdrawn(msg.sender, onBehalf, asset, amount, receiver);
    }

    /// @notice Borrows `assets` of the loan asset against `onBehalf`'s collateral and sends them to `receiver`.
    /// @dev Caller must be `onBehalf` or authorized by it. Requires borrow power >= debt value afterwards.
    /// Debt is recorded rounded up.
    function borrow(uint256 assets, address onBehalf, address receiver) external nonReentrant {
        if (assets == 0) revert ErrorsLib.ZeroAmount();
        if (receiver == address(0)) revert ErrorsLib.ZeroAddress();
        _checkAuthorized(onBehalf);
        if (borrowPaused) revert ErrorsLib.BorrowPaused();

        uint256 index = _accrue();
        uint256 available = _availableLiquidity();
        if (assets > available) revert ErrorsLib.InsufficientLiquidity(assets, available);

        Account storage a = accounts[onBehalf];
        uint256 scaled = RiskMath.mulDivUp(assets, WAD, index);
        a.scaledDebt = (a.scaledDebt + scaled).toUint128();
        _totalScaledDebt = (_totalScaledDebt + scaled).toUint128();
        cash -= uint128(assets);

        uint256 hf = _checkBorrowPower(onBehalf, a, index);
        if (a.flaggedAt != 0) _unflag(onBehalf, a, hf);

        IERC20(asset()).safeTransfer(receiver, assets);
        emit EventsLib.Borrowed(msg.sender, onBehalf, receiver, assets, RiskMath.debtFromScaled(a.scaledDebt, index));
    }

    /// @notice Repays `assets` of `onBehalf`'s debt, pulled from the caller. `type(uint256).max` (or any amount at or
    /// above the debt) repays everything, interest included, leaving no dust.
    /// @dev Never paused. Clears the flag when the account ends at HF >= 1.
    /// @return repaid The loan asset actually pulled.
    function repay(uint256 assets, address onBehalf) external nonReentrant returns (uint256 repaid) {
        if (assets == 0) revert ErrorsLib.ZeroAmount();
        uint256 index = _accrue();
        Account storage a = accounts[onBehalf];
        uint256 scaledDebt = a.scaledDebt;
        if (scaledDebt == 0) revert ErrorsLib.NoDebt();

        uint256 debt = RiskMath.debtFromScaled(scaledDebt, index);
        uint256 scaledRepaid;
        if (assets >= debt) {
            repaid = debt;
            scaledRepaid = scaledDebt;
        } else {
            repaid = assets;
            // Rounded down: a partial repay never cancels more debt than it pays for.
            scaledRepaid = RiskMath.mulDivDown(assets, WAD, index);
        }
        // Pulled before the books change: no view ever counts cash that has not arrived.
        IERC20(asset()).safeTransferFrom(msg.sender, address(this), repaid);
        // Both casts are safe: scaledRepaid <= scaledDebt, a uint128.
        a.scaledDebt = uint128(scaledDebt - scaledRepaid);
        _totalScaledDebt -= uint128(scaledRepaid);
        cash += repaid.toUint128();
        uint256 debtAfter = RiskMath.debtFromScaled(a.scaledDebt, index);
        emit EventsLib.Repaid(msg.sender, onBehalf, repaid, debtAfter);

        if (a.flaggedAt != 0) _clearFlagIfHealthy(onBehalf, index);
    }

    /// @notice Lets `manager` borrow and withdraw collateral on the caller's behalf (or revokes it).
    function setAuthorization(address manager, bool allowed) external {
        isAuthorized[msg.sender][manager] = allowed;
        emit EventsLib.AuthorizationSet(msg.sender, manager, allowed);
    }

    /// @notice Sets `onBehalf`'s deleverage policy, or revokes it when every field is 0 (R9). Takes effect at once:
    /// an execution sent against the previous version reverts (`PolicyChanged`, or `NoPolicy` after a revocation).
    /// @dev Caller must be `onBehalf` or authorized by it. Reverts with `PolicyTriggerTooLow` (trigger <= 1),
    /// `PolicyTargetTooLow` (target <= trigger), `PolicyBonusTooHigh` (bonus > `softBonusMin`) or
    /// `PolicyShareOutOfRange` (share outside (0, 1]).
    /// @return version The policy's new version.
    function setDeleveragePolicy(address onBehalf, DeleveragePolicy calldata policy)
        external
        returns (uint256 version)
    {
        _checkAuthorized(onBehalf);
        return PolicyLib.set(_policies, _cfg, onBehalf, policy);
    }

    // ───────────────────────────── liquidation ─────────────────────────────

    /// @notice Starts `account`'s grace period (R1). Anyone may call it once the account's HF is below 1 and it has
    /// no live flag (a flag lapses when nothing was sliced for a grace period and a slice interval after slicing
    /// became allowed). Collateral is valued at its last valid price, so a stale feed neither blocks nor causes it.
    function flag(address account) external nonReentrant {
        Account storage a = accounts[account];
        RiskParams memory p = PackedLib.unpack(_cfg.risk);
        if (_flagLive(a, p)) revert ErrorsLib.AlreadyFlagged(a.flaggedAt);
        uint256[MAX_COLLATERALS + 1] memory prices;
        prices[MAX_COLLATERALS] = _freshPrice(asset()); // the debt's value needs a live loan-asset price
        uint256 hf = _health(account, a, _accrue(), LAST, prices).hf;
        if (hf >= WAD) revert ErrorsLib.HealthyAccount(hf);
        a.flaggedAt = uint40(block.timestamp);
        emit EventsLib.Flagged(account, msg.sender, hf);
    }

    /// @notice Clears `account`'s flag. Anyone may call it once the account is back at HF >= 1.
    function unflag(address account) external nonReentrant {
        Account storage a = accounts[account];
        if (a.flaggedAt == 0) revert ErrorsLib.NotFlagged();
        uint256 hf = _health(account, a, _accrue(), STRICT).hf;
        if (hf < WAD) revert ErrorsLib.UnhealthyAccount(hf);
        _unflag(account, a, hf);
    }

    /// @notice Repays up to `maxRepay` of `account`'s debt and receives its `collateral` with a bonus
    /// (docs/liquidation.md).
    /// In SOFT the account needs a live flag whose grace period is over (no grace below `graceFloor`, where an
    /// unflagged account is flagged by this call) and its last slice `interval(HF)` ago; the repay is capped by
    /// `share(HF)` of the debt, by what restores `targetHealth` through `collateral` and by the collateral available,
    /// and must be at least half the account's cap; the bonus opens low and rises with depth and time (R2, R3).
    /// In HARD the repay restores `targetHealth` (R4) at the largest bonus, up to `hardBonus`, that still raises
    /// health through `collateral`. No liquidation lowers the health of a solvent account.
    /// @dev Never paused. Collateral other than `collateral` is valued at its last valid price (R7). When the account
    /// has no collateral left, its remaining debt is written off: the insurance fund first, lenders for the rest.
    /// @param minSeized Reverts if fewer collateral units would be received (protects the liquidator).
    /// @return repaid Loan asset pulled from the caller.
    /// @return seized Collateral sent to the caller.
    function liquidate(address account, address collateral, uint256 maxRepay, uint256 minSeized)
        external
        nonReentrant
        returns (uint256 repaid, uint256 seized)
    {
        PackedPolicy memory none;
        return _liquidate(account, collateral, maxRepay, minSeized, none);
    }

    /// @notice Executes `account`'s deleverage policy (R9): repays up to `maxRepay` of its debt and receives its
    /// `collateral` at the policy's bonus. Anyone may call it while the account's health is below the policy's
    /// trigger and not in HARD. The repay is capped by the policy's share of the debt, by what restores its target
    /// health through `collateral` and by the collateral available; health never falls. Needs no flag and no grace
    /// period (the borrower chose it in advance) and leaves the account's liquidation clock untouched. Unlike a
    /// liquidation it needs a fresh price for every collateral the account holds (an outage never triggers it), and
    /// it must repay at least half of what the account's largest collateral could (`SliceTooSmall`): no dust.
    /// @param version The policy version the caller read (`deleveragePolicy`); reverts with `PolicyChanged` if the
    /// policy has changed since, or `NoPolicy` if it was revoked.
    /// @param minSeized Reverts if fewer collateral units would be received (protects the executor).
    /// @return repaid Loan asset pulled from the caller.
    /// @return seized Collateral sent to the caller.
    function deleverage(address account, address collateral, uint256 maxRepay, uint256 minSeized, uint256 version)
        external
        nonReentrant
        returns (uint256 repaid, uint256 seized)
    {
        PackedPolicy memory policy = _policies[account];
        if (policy.triggerHealth == 0) revert ErrorsLib.NoPolicy(account);
        if (policy.version != version) revert ErrorsLib.PolicyChanged(version, policy.version);
        return _liquidate(account, collateral, maxRepay, minSeized, policy);
    }

    /// @dev The liquidation core shared by slices, hard liquidations and policy executions (`policy.triggerHealth`
    /// != 0).
    function _liquidate(
        address account,
        address collateral,
        uint256 maxRepay,
        uint256 minSeized,
        PackedPolicy memory policy
    ) internal returns (uint256 repaid, uint256 seized) {
        Account storage a = accounts[account];
        CollateralConfig memory cfg = _collateralFor(a, collateral);
        if (maxRepay == 0) revert ErrorsLib.ZeroAmount();
        uint256 index = _accrue();

        Quote memory q = _quote(account, a, collateral, cfg, index, policy);
        bool byPolicy = policy.triggerHealth != 0;
        if (byPolicy) {
            uint256 trigger = PackedLib.fromPpm(policy.triggerHealth);
            if (q.zone == Zone.HARD || q.hf >= trigger) revert ErrorsLib.PolicyNotTriggered(q.hf, trigger);
        } else if (q.zone == Zone.HEALTHY) {
            revert ErrorsLib.HealthyAccount(q.hf);
        } else if (q.zone == Zone.SOFT) {
            if (q.allowedAt == 0) {
                if (q.lapsedAt != 0) revert ErrorsLib.FlagLapsed(q.lapsedAt);
                revert ErrorsLib.NotFlagged();
            }
            if (block.timestamp < q.allowedAt) {
                if (q.inGrace) revert ErrorsLib.GracePeriodActive(q.allowedAt);
                revert ErrorsLib.SliceIntervalActive(q.allowedAt);
            }
        }
        if (!q.canRaise) revert ErrorsLib.CannotRaiseHealth(collateral, q.hf, cfg.lt);

        repaid = RiskMath.min(maxRepay, q.repayCap);
        if (repaid == 0) revert ErrorsLib.NothingToLiquidate();
        // The minimum is the account's, not the collateral's: dust of a second collateral deposited on the account's
        // behalf cannot be "sliced" to restart the interval and starve the real slices (R2).
        if (repaid < q.minRepay) revert ErrorsLib.SliceTooSmall(repaid, q.minRepay);
        seized = _seized(q, repaid, cfg.decimals);
        if (seized < minSeized) revert ErrorsLib.SeizedBelowMinimum(seized, minSeized);

        // Pulled before the books change: no view ever counts cash that has not arrived.
        IERC20(asset()).safeTransferFrom(msg.sender, address(this), repaid);
        if (q.zone == Zone.SOFT && !q.flagLive && !byPolicy) {
            // Below the grace floor an unflagged account is flagged and sliced at once (R1).
            a.flaggedAt = uint40(block.timestamp);
            emit EventsLib.Flagged(account, msg.sender, q.hf);
        }
        uint256 scaledDebt = a.scaledDebt;
        uint256 scaledRepaid =
            repaid == q.debt ? scaledDebt : RiskMath.min(scaledDebt, RiskMath.mulDivDown(repaid, WAD, index));
        // Both casts are safe: scaledRepaid <= scaledDebt, a uint128.
        a.scaledDebt = uint128(scaledDebt - scaledRepaid);
        _totalScaledDebt -= uint128(scaledRepaid);
        cash += repaid.toUint128();
        _collateral[account][collateral] = q.balance - seized;
        if (seized == q.balance) a.collateralMask &= ~uint8(1 << cfg.index);
        // A policy execution is the borrower's own choice, not a slice: it neither spaces nor lapses the slices.
        if (!byPolicy) a.lastSliceAt = uint40(block.timestamp);

        uint256 hfAfter;
        if (a.collateralMask == 0 && a.scaledDebt != 0) {
            _writeOffBadDebt(account, a, index);
            hfAfter = type(uint256).max;
        } else {
            hfAfter = _healthAfter(q, seized, RiskMath.debtFromScaled(a.scaledDebt, index), cfg);
            // The bonus rules guarantee it (docs/liquidation.md (1), (5), (4)); rounding on dust must not undo it.
            if (!q.insolvent && hfAfter < q.hf) revert ErrorsLib.LiquidationLowersHealth(q.hf, hfAfter);
            if (hfAfter >= WAD && a.flaggedAt != 0) _unflag(account, a, hfAfter);
        }

        IERC20(collateral).safeTransfer(msg.sender, seized);
        if (byPolicy) {
            emit EventsLib.Deleveraged(account, msg.sender, collateral, policy.version, repaid, seized, q.bonus, q.hf, hfAfter);
        } else {
            emit EventsLib.Liquidated(account, msg.sender, collateral, q.zone, repaid, seized, q.bonus, q.hf, hfAfter);
        }
    }

    // ───────────────────────────── views ─────────────────────────────

    /// @notice Health factor (WAD) with interest accrued to now; `type(uint256).max` without debt.
    /// @dev Reverts with the oracle's error when a needed price is stale or invalid.
    function healthFactor(address account) external view returns (uint256) {
        return _health(account, accounts[account], _pendingIndex(), STRICT).hf;
    }

    /// @notice Debt of `account` in loan-asset units with interest accrued to now, rounded up.
    function debtOf(address account) external view returns (uint256) {
        return RiskMath.debtFromScaled(accounts[account].scaledDebt, _pendingIndex());
    }

    /// @notice Units of collateral `asset` locked by `account`.
    function collateralOf(address account, address asset) external view returns (uint256) {
        return _collateral[account][asset];
    }

    /// @notice `account`'s deleverage policy (all zeros: none) and its version, which `deleverage` must be given.
    function deleveragePolicy(address account)
        external
        view
        returns (DeleveragePolicy memory policy, uint256 version)
    {
        return PolicyLib.get(_policies, account);
    }

    /// @notice Every listed collateral, in mask order.
    function collaterals() external view returns (address[] memory list) {
        list = new address[](ConfigLib.count(_cfg));
        for (uint256 i; i < list.length; ++i) {
            list[i] = _cfg.collaterals[i].asset;
        }
    }

    /// @notice Configuration of collateral `asset` (`listed` false when unknown).
    function collateralConfig(address asset) external view returns (CollateralConfig memory) {
        return ConfigLib.config(_cfg, asset);
    }

    /// @notice The soft- and hard-liquidation parameters.
    function riskParams() external view returns (RiskParams memory) {
        return PackedLib.unpack(_cfg.risk);
    }

    /// @notice The interest-rate curve and reserve factor.
    function rateModel() external view returns (RateModel memory) {
        return PackedLib.unpack(_cfg.rates);
    }

    /// @notice What liquidating `account` through `collateral` would do right now.
    /// @dev `repayCap`, `seized` and `bonus` are computed even when `allowed` is false (e.g. during the grace period),
    /// so a borrower can see what the next slice would take; the soft bonus shown is the one at `allowedAt` while
    /// it is in the future. All are 0 for a healthy account.
    function previewLiquidation(address account, address collateral)
        external
        view
        returns (LiquidationPreview memory p)
    {
        Account memory a = accounts[account];
        CollateralConfig memory cfg = _collateralFor(a, collateral);
        PackedPolicy memory none;
        Quote memory q = _quote(account, a, collateral, cfg, _pendingIndex(), none);
        p.zone = q.zone;
        p.healthFactor = q.hf;
        if (q.zone == Zone.HEALTHY) return p;
        p.bonus = q.bonus;
        p.repayCap = q.repayCap;
        if (q.repayCap != 0) p.seized = _seized(q, q.repayCap, cfg.decimals);
        bool sizeOk = q.canRaise && q.repayCap != 0 && q.repayCap >= q.minRepay;
        if (q.zone == Zone.HARD) {
            p.allowed = sizeOk;
        } else {
            p.allowedAt = q.allowedAt;
            p.allowed = q.allowedAt != 0 && block.timestamp >= q.allowedAt && sizeOk;
        }
    }

    /// @notice Borrow index (WAD) with interest accrued to now.
    function borrowIndex() external view returns (uint256) {
        return _pendingIndex();
    }

    /// @notice Total debt of all borrowers with interest accrued to now.
    function totalDebt() public view returns (uint256) {
        (, uint256 debt,) = _pendingState();
        return debt;
    }

    /// @notice Insurance fund with reserves accrued to now.
    function insuranceFund() external view returns (uint256) {
        (,, uint256 insurance) = _pendingState();
        return insurance;
    }

    /// @notice Loan asset that can be borrowed or withdrawn by lenders right now.
    function availableLiquidity() public view returns (uint256) {
        (,, uint256 insurance) = _pendingState();
        return cash > insurance ? cash - insurance : 0;
    }

    /// @notice Timestamp of the last interest accrual.
    function lastAccrual() external view returns (uint256) {
        return _lastAccrual;
    }

    // ───────────────────────────── ERC-4626 ─────────────────────────────

    /// @notice Lenders' assets: cash plus borrowers' debt minus the insurance fund, accrued to now.
    function totalAssets() public view override returns (uint256) {
        (, uint256 debt, uint256 insurance) = _pendingState();
        return _supplied(debt, insurance);
    }

    /// @notice Lenders can withdraw up to their assets, limited by available liquidity.
    function maxWithdraw(address owner_) public view override returns (uint256) {
        return RiskMath.min(previewRedeem(balanceOf(owner_)), availableLiquidity());
    }

    /// @notice Lenders can redeem the shares worth up to available liquidity.
    function maxRedeem(address owner_) public view override returns (uint256) {
        return RiskMath.min(balanceOf(owner_), previewWithdraw(maxWithdraw(owner_)));
    }

    function _deposit(address caller, address receiver, uint256 assets, uint256 shares) internal override nonReentrant {
        _accrue();
        // Tokens in and shares minted first: `cash` (and the share price) never counts assets that have not arrived.
        super._deposit(caller, receiver, assets, shares);
        cash += assets.toUint128();
    }

    function _withdraw(address caller, address receiver, address owner_, uint256 assets, uint256 shares)
        internal
        override
        nonReentrant
    {
        _accrue();
        uint256 available = _availableLiquidity();
        if (assets > available) revert ErrorsLib.InsufficientLiquidity(assets, available);
        cash -= uint128(assets);
        super._withdraw(caller, receiver, owner_, assets, shares);
    }

    /// @dev Virtual shares and assets (1e6 : 1) make the first-depositor inflation attack unprofitable.
    function _decimalsOffset() internal pure override returns (uint8) {
        return 6;
    }

    // ───────────────────────────── governance ─────────────────────────────

    /// @notice Lists a new collateral (at most 8). Its price feed must be live on the oracle (R7).
    function listCollateral(address token, uint64 ltv, uint64 lt) external onlyOwner {
        ConfigLib.listCollateral(_cfg, oracle, asset(), token, ltv, lt);
    }

    /// @notice Changes a collateral's LTV and liquidation threshold. A lower threshold can lower health, so it is
    /// only proposed and applies after `paramDelay` (`acceptCollateralParams`); otherwise it applies at once (R5).
    function setCollateralParams(address asset, uint64 ltv, uint64 lt) external onlyOwner {
        ConfigLib.setCollateralParams(_cfg, asset, ltv, lt, paramDelay);
    }

    /// @notice Applies a proposed collateral change once its delay has passed. Anyone may call it.
    function acceptCollateralParams(address asset) external {
        ConfigLib.acceptCollateralParams(_cfg, asset);
    }

    /// @notice Proposes new liquidation parameters; anyone may apply them after `paramDelay` (R5).
    function setRiskParams(RiskParams calldata params) external onlyOwner {
        ConfigLib.proposeRiskParams(_cfg, params, paramDelay);
    }

    /// @notice Applies the proposed liquidation parameters once their delay has passed. Anyone may call it.
    function acceptRiskParams() external {
        ConfigLib.acceptRiskParams(_cfg);
    }

    /// @notice Proposes a new rate curve; anyone may apply it after `paramDelay` (R5).
    function setRateModel(RateModel calldata model) external onlyOwner {
        ConfigLib.proposeRateModel(_cfg, model, paramDelay);
    }

    /// @notice Applies the proposed rate curve once its delay has passed, accruing under the old one first.
    function acceptRateModel() external {
        RateModel memory model = ConfigLib.takeRateModel(_cfg);
        _accrue();
        _cfg.rates = PackedLib.pack(model);
        emit EventsLib.RateModelSet(model);
    }

    /// @notice Withdraws a proposed change: `kind` 0 risk parameters, 1 rate curve, 2 collateral `asset`.
    function cancelProposal(uint256 kind, address asset) external onlyOwner {
        ConfigLib.cancelProposal(_cfg, kind, asset);
    }

    function setOwner(address newOwner) external onlyOwner {
        if (newOwner == address(0)) revert ErrorsLib.ZeroAddress();
        owner = newOwner;
        emit EventsLib.OwnerSet(newOwner);
    }

    function setGuardian(address newGuardian) external onlyOwner {
        guardian = newGuardian;
        emit EventsLib.GuardianSet(newGuardian);
    }

    /// @notice Circuit breaker for the whole market: stops new borrows and/or collateral withdrawals.
    /// Repay, deposit, flag and liquidate are never blocked.
    function setMarketPause(bool borrowPaused_, bool withdrawPaused_) external {
        if (msg.sender != guardian && msg.sender != owner) revert ErrorsLib.NotGuardian();
        borrowPaused = borrowPaused_;
        withdrawPaused = withdrawPaused_;
        emit EventsLib.MarketPauseSet(borrowPaused_, withdrawPaused_);
    }

    /// @notice Circuit breaker for one collateral: it cannot be withdrawn and gives no borrow power.
    function setCollateralPause(address asset, bool paused) external {
        if (msg.sender != guardian && msg.sender != owner) revert ErrorsLib.NotGuardian();
        _cfg.collaterals[_listed(asset).index].paused = paused;
        emit EventsLib.CollateralPauseSet(asset, paused);
    }

    // ───────────────────────────── internals ─────────────────────────────

    struct Health {
        uint256 value;
        uint256 maxValue;
        uint256 power;
        uint256 borrowPower;
        uint256 debtValue;
        uint256 debt;
        uint256 loanPrice;
        uint256 hf;
        bool ok;
    }

    struct Quote {
        Zone zone;
        uint256 hf;
        uint256 bonus;
        uint256 debt;
        uint256 repayCap;
        uint256 minRepay;
        uint256 collateralCap;
        uint256 balance;
        uint256 loanPrice;
        uint256 collateralPrice;
        /// @dev Σ value · lt over the account's collateral, the numerator of its health.
        uint256 power;
        /// @dev SOFT: when the slice is (or was) allowed; 0 when it needs a (new) flag first.
        uint256 allowedAt;
        /// @dev SOFT: when the account's flag lapsed (0 if it has none or it is live).
        uint256 lapsedAt;
        bool inGrace;
        bool flagLive;
        bool canRaise;
        bool insolvent;
    }

    function _listed(address asset) internal view returns (CollateralConfig memory cfg) {
        cfg = ConfigLib.config(_cfg, asset);
        if (!cfg.listed) revert ErrorsLib.CollateralNotListed(asset);
    }

    /// @dev `_listed` for a collateral the account is likely to hold: found among the slots its health reads anyway,
    /// so a liquidation does not also look the asset up by address.
    function _collateralFor(Account memory a, address collateral) internal view returns (CollateralConfig memory) {
        uint256 mask = a.collateralMask;
        for (uint256 i; mask != 0; ++i) {
            if (mask & 1 != 0) {
                CollateralSlot memory s = _cfg.collaterals[i];
                if (s.asset == collateral) return PackedLib.toConfig(s, i);
            }
            mask >>= 1;
        }
        return _listed(collateral);
    }

    function _checkAuthorized(address onBehalf) internal view {
        if (msg.sender != onBehalf && !isAuthorized[onBehalf][msg.sender]) {
            revert ErrorsLib.Unauthorized(msg.sender, onBehalf);
        }
    }

    /// @dev Reverts unless borrow power covers the debt value; returns the health factor.
    function _checkBorrowPower(address account, Account storage a, uint256 index) internal view returns (uint256) {
        Health memory h = _health(account, a, index, STRICT);
        if (h.borrowPower < h.debtValue) revert ErrorsLib.InsufficientCollateral(h.borrowPower, h.debtValue);
        return h.hf;
    }

    /// @dev A borrower's own top-up or repay clears the flag when HF is back at >= 1. A stale price must not make the
    /// top-up itself fail, so prices are read leniently here and the flag simply stays.
    function _clearFlagIfHealthy(address account, uint256 index) internal {
        Account storage a = accounts[account];
        Health memory h = _health(account, a, index, LENIENT);
        if (h.ok && h.hf >= WAD) _unflag(account, a, h.hf);
    }

    function _unflag(address account, Account storage a, uint256 hf) internal {
        a.flaggedAt = 0;
        emit EventsLib.Unflagged(account, msg.sender, hf);
    }

    function _health(address account, Account memory a, uint256 index, uint8 mode)
        internal
        view
        returns (Health memory)
    {
        uint256[MAX_COLLATERALS + 1] memory prices;
        return _health(account, a, index, mode, prices);
    }

    /// @dev Net-risk health over every collateral the account holds. `mode`: STRICT reverts with the oracle's own
    /// error; LENIENT returns `ok = false`; LAST values each asset at its last valid price (0 when there is none).
    /// `prices` caches what this call has already read (slot i: collateral i, last slot: the loan asset; 0 = not
    /// read yet); a caller may pre-fill slots with fresh prices.
    function _health(
        address account,
        Account memory a,
        uint256 index,
        uint8 mode,
        uint256[MAX_COLLATERALS + 1] memory prices
    ) internal view returns (Health memory h) {
        h.ok = true;
        h.debt = RiskMath.debtFromScaled(a.scaledDebt, index);
        if (h.debt == 0) {
            h.hf = type(uint256).max;
            return h;
        }
        uint256 mask = a.collateralMask;
        for (uint256 i; mask != 0; ++i) {
            if (mask & 1 != 0) {
                CollateralSlot memory s = _cfg.collaterals[i];
                uint256 price = prices[i];
                if (price == 0) {
                    bool ok;
                    (price, ok) = _price(s.asset, mode);
                    if (!ok) return _priceUnavailable(h);
                    prices[i] = price;
                }
                uint256 value = RiskMath.collateralValue(_collateral[account][s.asset], price, s.decimals);
                h.value += value;
                if (value > h.maxValue) h.maxValue = value;
                h.power += RiskMath.mulDivDown(value, PackedLib.lt(s), WAD);
                if (!s.paused) h.borrowPower += RiskMath.mulDivDown(value, PackedLib.ltv(s), WAD);
            }
            mask >>= 1;
        }
        uint256 loanPrice = prices[MAX_COLLATERALS];
        if (loanPrice == 0) {
            bool loanOk;
            (loanPrice, loanOk) = _price(asset(), mode);
            if (!loanOk || loanPrice == 0) return _priceUnavailable(h);
            prices[MAX_COLLATERALS] = loanPrice;
        }
        h.loanPrice = loanPrice;
        h.debtValue = RiskMath.debtValue(h.debt, loanPrice, LOAN_DECIMALS);
        h.hf = RiskMath.healthFactor(h.power, h.debtValue);
    }

    /// @dev Health without a price: only `debt` is meaningful. Under LAST this means the loan asset has no price at
    /// all; HF 0 is never acted on then, since every liquidation also needs a fresh loan-asset price.
    function _priceUnavailable(Health memory h) internal pure returns (Health memory) {
        return Health(0, 0, 0, 0, 0, h.debt, 0, 0, false);
    }

    function _price(address asset_, uint8 mode) internal view returns (uint256, bool) {
        if (mode == LAST) return (oracle.lastPrice(asset_), true);
        try oracle.price(asset_) returns (uint256 p) {
            return (p, true);
        } catch (bytes memory reason) {
            if (mode == STRICT) {
                assembly ("memory-safe") {
                    revert(add(reason, 32), mload(reason))
                }
            }
            return (0, false);
        }
    }

    /// @dev Whether `a`'s flag still gives the right to slice (R1): it lapses a grace period and a slice interval
    /// after the later of its grace end and its last slice.
    function _flagLive(Account memory a, RiskParams memory p) internal view returns (bool) {
        return a.flaggedAt != 0 && block.timestamp < _flagLapse(a, p);
    }

    function _flagLapse(Account memory a, RiskParams memory p) internal pure returns (uint256) {
        uint256 graceEnd = uint256(a.flaggedAt) + p.gracePeriod;
        uint256 last = a.lastSliceAt > graceEnd ? a.lastSliceAt : graceEnd;
        return last + p.gracePeriod + p.sliceInterval;
    }

    /// @dev Zone, timing, bonus and repay caps for liquidating `account` through `collateral` (docs/liquidation.md),
    /// or for executing its deleverage `policy` when one is given (R9). The seized collateral and the loan asset are
    /// priced fresh (they set what changes hands); every other collateral at its last valid price (R7).
    function _quote(
        address account,
        Account memory a,
        address collateral,
        CollateralConfig memory cfg,
        uint256 index,
        PackedPolicy memory policy
    ) internal view returns (Quote memory q) {
        uint256[MAX_COLLATERALS + 1] memory prices;
        q.balance = _collateral[account][collateral];
        if (q.balance != 0) prices[cfg.index] = _freshPrice(collateral);
        prices[MAX_COLLATERALS] = _freshPrice(asset());
        bool byPolicy = policy.triggerHealth != 0;
        // A liquidation values the other collateral at its last price so that a feed outage cannot block it (R7). A
        // policy execution is optional: it waits for every price, so an outage or a stale feed cannot trigger it.
        Health memory h = _health(account, a, index, byPolicy ? STRICT : LAST, prices);
        RiskParams memory p = PackedLib.unpack(_cfg.risk);
        q.hf = h.hf;
        q.debt = h.debt;
        q.zone = RiskMath.zoneOf(h.hf, p.hardHealth);
        // Without debt there is nothing to price or repay (a policy execution is then refused as not triggered).
        if ((q.zone == Zone.HEALTHY && !byPolicy) || h.debt == 0) return q;

        q.loanPrice = h.loanPrice;
        q.collateralPrice = prices[cfg.index];
        q.power = h.power;
        q.insolvent = h.value <= h.debtValue;
        q.canRaise = true;
        uint256 d = RiskMath.depth(h.hf, p.hardHealth);
        if (byPolicy) {
            // Capped by the market's lowest soft bonus even if it was lowered after the policy was set (R9).
            q.bonus = RiskMath.min(PackedLib.fromPpm(policy.maxBonus), p.softBonusMin);
        } else if (q.zone == Zone.SOFT) {
            _softTiming(q, a, p, d);
            uint256 elapsed = q.allowedAt != 0 && block.timestamp > q.allowedAt ? block.timestamp - q.allowedAt : 0;
            q.bonus = RiskMath.softBonus(d, elapsed, p);
        } else if (q.insolvent) {
            // Nothing can save it: close it at a keeper's price, so the least debt is left to write off (R3).
            q.bonus = p.softBonusMax;
        } else {
            (q.bonus, q.canRaise) = RiskMath.hardBonusFor(h.hf, cfg.lt, p.hardBonus);
        }
        uint256 onePlusBonus = WAD + q.bonus;

        uint256 collateralValue = RiskMath.collateralValue(q.balance, q.collateralPrice, cfg.decimals);
        q.collateralCap = RiskMath.valueToAmount(
            RiskMath.mulDivDown(collateralValue, WAD, onePlusBonus), q.loanPrice, LOAN_DECIMALS
        );
        uint256 accountCap = q.debt;
        if (!q.insolvent) {
            // (1 + b) * lt < 1 <= targetHealth for every allowed bonus (validation, (6)), and a policy's target is
            // above 1 and its bonus at most softBonusMin, so (2) is well defined.
            accountCap = RiskMath.valueToAmount(
                RiskMath.repayToTargetValue(
                    h.power,
                    h.debtValue,
                    byPolicy ? PackedLib.fromPpm(policy.targetHealth) : p.targetHealth,
                    onePlusBonus,
                    cfg.lt
                ),
                q.loanPrice,
                LOAN_DECIMALS
            );
            if (byPolicy || q.zone == Zone.SOFT) {
                uint256 share = byPolicy ? PackedLib.fromPpm(policy.maxShare) : RiskMath.shareAtDepth(d, p.sliceCap);
                accountCap = RiskMath.min(accountCap, RiskMath.mulDivDown(h.debt, share, WAD));
                // Half of what the account's largest collateral could repay (rounded up): set by the account, not
                // by the chosen collateral, so dust deposited on its behalf can never be sliced, and the largest
                // collateral always can. For a policy it also bounds the executions to a few per trigger crossing:
                // nobody can spam the account with dust executions.
                uint256 largestCap = RiskMath.valueToAmount(
                    RiskMath.mulDivDown(h.maxValue, WAD, onePlusBonus), q.loanPrice, LOAN_DECIMALS
                );
                uint256 minBase = RiskMath.min(accountCap, largestCap);
                q.minRepay = minBase - minBase / 2;
            } else if (p.hardCloseFactor != 0) {
                uint256 closeCap = RiskMath.mulDivDown(h.debt, p.hardCloseFactor, WAD);
                if (closeCap > accountCap) accountCap = closeCap;
            }
        }
        q.repayCap = RiskMath.min(accountCap, q.collateralCap);
    }

    /// @dev When a soft slice is allowed (R1, R2): the first slice of a flag after the grace period unless below
    /// `graceFloor`; every later one `interval(depth)` after the last. Leaves `allowedAt` 0 when the account needs a
    /// new flag.
    function _softTiming(Quote memory q, Account memory a, RiskParams memory p, uint256 d) internal view {
        q.flagLive = _flagLive(a, p);
        bool deep = q.hf < p.graceFloor;
        if (!q.flagLive) {
            if (a.flaggedAt != 0) q.lapsedAt = _flagLapse(a, p);
            if (deep) q.allowedAt = block.timestamp; // flagged and sliced in the same call
            return;
        }
        if (a.lastSliceAt >= a.flaggedAt) {
            // This flag has been sliced already: the grace protected the first slice only; now only the spacing.
            q.allowedAt = uint256(a.lastSliceAt) + RiskMath.intervalAtDepth(d, p.sliceInterval);
        } else {
            q.allowedAt = deep ? a.flaggedAt : uint256(a.flaggedAt) + p.gracePeriod;
            q.inGrace = !deep;
        }
    }

    /// @dev The health after seizing `seized` of the quoted collateral, with `debt` left: the quote's power with the
    /// seized collateral's term recomputed, at the prices of the quote. Equal to recomputing every term (each
    /// collateral's term is rounded on its own), without reading them again.
    function _healthAfter(Quote memory q, uint256 seized, uint256 debt, CollateralConfig memory cfg)
        internal
        view
        returns (uint256)
    {
        uint256 termBefore =
            RiskMath.mulDivDown(RiskMath.collateralValue(q.balance, q.collateralPrice, cfg.decimals), cfg.lt, WAD);
        uint256 termAfter = RiskMath.mulDivDown(
            RiskMath.collateralValue(q.balance - seized, q.collateralPrice, cfg.decimals), cfg.lt, WAD
        );
        return RiskMath.healthFactor(
            q.power - termBefore + termAfter, RiskMath.debtValue(debt, q.loanPrice, LOAN_DECIMALS)
        );
    }

    function _freshPrice(address asset_) internal view returns (uint256 price) {
        (price,) = _price(asset_, STRICT);
    }

    /// @dev Collateral received for repaying `repaid` under quote `q`: value(repaid) * (1 + b) / price, rounded down.
    /// Taking the whole balance when the collateral is the binding cap leaves no unliquidatable dust behind.
    function _seized(Quote memory q, uint256 repaid, uint8 decimals) internal view returns (uint256 seized) {
        if (repaid == q.collateralCap) return q.balance;
        seized = RiskMath.seizedFor(repaid, q.loanPrice, LOAN_DECIMALS, WAD + q.bonus, q.collateralPrice, decimals);
        if (seized > q.balance) seized = q.balance;
    }

    function _writeOffBadDebt(address account, Account storage a, uint256 index) internal {
        uint256 badDebt = RiskMath.debtFromScaled(a.scaledDebt, index);
        _totalScaledDebt -= a.scaledDebt;
        a.scaledDebt = 0;
        a.flaggedAt = 0;
        uint256 insurance = _insuranceFund;
        uint256 covered = RiskMath.min(insurance, badDebt);
        // Cast is safe: covered <= insurance, a uint96.
        _insuranceFund = uint96(insurance - covered);
        totalSocialisedBadDebt += uint128(badDebt - covered);
        emit EventsLib.BadDebt(account, badDebt, covered, badDebt - covered);
    }

    function _availableLiquidity() internal view returns (uint256) {
        uint256 insurance = _insuranceFund;
        return cash > insurance ? cash - insurance : 0;
    }

    function _supplied(uint256 debt, uint256 insurance) internal view returns (uint256) {
        uint256 gross = uint256(cash) + debt;
        return gross > insurance ? gross - insurance : 0;
    }

    function _pendingIndex() internal view returns (uint256 index) {
        (index,,) = _pendingState();
    }

    /// @dev Borrow index, total debt and insurance fund as they would be after accruing to now.
    function _pendingState() internal view returns (uint256 index, uint256 debt, uint256 insurance) {
        index = _borrowIndex;
        insurance = _insuranceFund;
        uint256 scaled = _totalScaledDebt;
        debt = RiskMath.debtFromScaled(scaled, index);
        uint256 elapsed = block.timestamp - _lastAccrual;
        if (elapsed == 0 || scaled == 0) return (index, debt, insurance);

        uint256 u = InterestRateLib.utilization(debt, _supplied(debt, insurance));
        RateModel memory rates = PackedLib.unpack(_cfg.rates);
        uint256 growth = InterestRateLib.compound(InterestRateLib.borrowRatePerSecond(rates, u), elapsed);
        index = RiskMath.mulDivUp(index, growth, WAD);
        if (index > MAX_BORROW_INDEX) index = MAX_BORROW_INDEX;
        uint256 newDebt = RiskMath.debtFromScaled(scaled, index);
        insurance += RiskMath.mulDivDown(newDebt - debt, rates.reserveFactor, WAD);
        if (insurance > type(uint96).max) insurance = type(uint96).max;
        debt = newDebt;
    }

    /// @dev Writes the pending state; returns the borrow index.
    function _accrue() internal returns (uint256) {
        if (block.timestamp == _lastAccrual) return _borrowIndex;
        uint256 oldInsurance = _insuranceFund;
        uint256 oldDebt = RiskMath.debtFromScaled(_totalScaledDebt, _borrowIndex);
        (uint256 index, uint256 debt, uint256 insurance) = _pendingState();
        // Cast is safe: timestamps fit 40 bits until the year 36812.
        _lastAccrual = uint40(block.timestamp);
        if (index != _borrowIndex) {
            // Both casts are safe: index <= MAX_BORROW_INDEX < 2^120 and insurance <= 2^96 - 1 (_pendingState).
            _borrowIndex = uint120(index);
            _insuranceFund = uint96(insurance);
            emit EventsLib.InterestAccrued(index, debt - oldDebt, insurance - oldInsurance);
        }
        return index;
    }
}
