// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC4626} from "@openzeppelin/contracts/token/ERC20/extensions/ERC4626.sol";
import {IERC20, IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

import {IPriceOracle} from "./interfaces/IPriceOracle.sol";
import {Account, CollateralConfig, LiquidationPreview, RateModel, RiskParams, Zone} from "./libraries/Types.sol";
import {ErrorsLib} from "./libraries/ErrorsLib.sol";
import {EventsLib} from "./libraries/EventsLib.sol";
import {InterestRateLib} from "./libraries/InterestRateLib.sol";
import {RiskMath} from "./libraries/RiskMath.sol";

/// @title SoftLandingMarket
/// @notice A lending market with net-risk health and soft liquidation.
/// Lenders supply the loan asset through the ERC-4626 vault interface. Borrowers lock up to 8 collateral assets and
/// borrow the loan asset; their health is judged on the whole portfolio. Below HF 1 an account can be flagged; after
/// a grace period it is unwound in small, spaced, low-bonus slices. Below `hardHealth` it can be hard-liquidated.
/// @dev Lender accounting is internal (`cash`), so tokens sent to the market directly change nothing (no donation or
/// share-inflation attack), and the vault uses 6 virtual decimals on top. Rounding favours the protocol throughout.
contract SoftLandingMarket is ERC4626, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;
    using SafeCast for uint256;

    uint256 internal constant WAD = 1e18;
    uint256 internal constant MAX_COLLATERALS = 8;
    uint256 internal constant MAX_BONUS = 0.2e18;
    uint256 internal constant MAX_TARGET_HEALTH = 1.5e18;
    uint256 internal constant MAX_DURATION = 7 days;
    uint256 internal constant MAX_YEARLY_RATE = 10e18;

    /// @notice Oracle pricing the loan asset and every collateral.
    IPriceOracle public immutable oracle;
    uint8 internal immutable LOAN_DECIMALS;

    address public owner;
    address public guardian;
    bool public borrowPaused;
    bool public withdrawPaused;

    RiskParams internal _riskParams;
    RateModel internal _rateModel;

    address[] internal _collaterals;
    mapping(address asset => CollateralConfig) internal _config;

    /// @notice Each account's scaled debt, liquidation clock and collateral mask.
    mapping(address account => Account) public accounts;
    mapping(address account => mapping(address asset => uint256)) internal _collateral;
    /// @notice Whether `manager` may borrow and withdraw collateral on behalf of `owner`.
    mapping(address owner => mapping(address manager => bool)) public isAuthorized;

    uint128 internal _borrowIndex;
    uint64 internal _lastAccrual;
    uint128 internal _totalScaledDebt;
    /// @notice Loan asset held for lenders and the insurance fund (tracked, not read from `balanceOf`).
    uint128 public cash;
    uint128 internal _insuranceFund;
    /// @notice Cumulative bad debt written off against lenders after the insurance fund.
    uint128 public totalSocialisedBadDebt;

    modifier onlyOwner() {
        if (msg.sender != owner) revert ErrorsLib.NotOwner();
        _;
    }

    /// @param loanToken The stable asset lent and borrowed.
    /// @param oracle_ Prices for the loan asset and every collateral.
    /// @param owner_ Configures collaterals and parameters; cannot move anyone's funds.
    constructor(
        IERC20Metadata loanToken,
        IPriceOracle oracle_,
        string memory name_,
        string memory symbol_,
        address owner_,
        RiskParams memory risk,
        RateModel memory rates
    ) ERC20(name_, symbol_) ERC4626(loanToken) {
        if (address(oracle_) == address(0) || owner_ == address(0)) revert ErrorsLib.ZeroAddress();
        oracle = oracle_;
        LOAN_DECIMALS = loanToken.decimals();
        owner = owner_;
        guardian = owner_;
        _borrowIndex = uint128(WAD);
        _lastAccrual = uint64(block.timestamp);
        _validateRiskParams(risk, 0);
        _validateRateModel(rates);
        _riskParams = risk;
        _rateModel = rates;
        emit EventsLib.OwnerSet(owner_);
        emit EventsLib.GuardianSet(owner_);
        emit EventsLib.RiskParamsSet(risk);
        emit EventsLib.RateModelSet(rates);
    }

    // ───────────────────────────── borrower actions ─────────────────────────────

    /// @notice Locks `amount` of collateral `asset` in `onBehalf`'s account, pulled from the caller.
    /// @dev Never paused. If the account is flagged and this brings HF back to >= 1, the flag clears here.
    function depositCollateral(address asset, uint256 amount, address onBehalf) external nonReentrant {
        CollateralConfig memory cfg = _listed(asset);
        if (amount == 0) revert ErrorsLib.ZeroAmount();
        if (onBehalf == address(0)) revert ErrorsLib.ZeroAddress();

        Account storage a = accounts[onBehalf];
        _collateral[onBehalf][asset] += amount;
        uint8 bit = uint8(1 << cfg.index);
        if (a.collateralMask & bit == 0) a.collateralMask |= bit;

        IERC20(asset).safeTransferFrom(msg.sender, address(this), amount);
        emit EventsLib.CollateralDeposited(msg.sender, onBehalf, asset, amount);

        if (a.flaggedAt != 0) _clearFlagIfHealthy(onBehalf, _accrue());
    }

    /// @notice Sends `amount` of collateral `asset` from `onBehalf`'s account to `receiver`.
    /// @dev Caller must be `onBehalf` or authorized by it. Reverts if the account's borrow power would fall below
    /// its debt value, or when withdrawals (of the market or of this asset) are paused.
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
        if (a.scaledDebt != 0) _checkBorrowPower(onBehalf, a, index);

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
        a.scaledDebt = uint128(scaledDebt - scaledRepaid);
        _totalScaledDebt -= uint128(scaledRepaid);
        cash += repaid.toUint128();

        IERC20(asset()).safeTransferFrom(msg.sender, address(this), repaid);
        uint256 debtAfter = RiskMath.debtFromScaled(a.scaledDebt, index);
        emit EventsLib.Repaid(msg.sender, onBehalf, repaid, debtAfter);

        if (a.flaggedAt != 0) _clearFlagIfHealthy(onBehalf, index);
    }

    /// @notice Lets `manager` borrow and withdraw collateral on the caller's behalf (or revokes it).
    function setAuthorization(address manager, bool allowed) external {
        isAuthorized[msg.sender][manager] = allowed;
        emit EventsLib.AuthorizationSet(msg.sender, manager, allowed);
    }

    // ───────────────────────────── liquidation ─────────────────────────────

    /// @notice Starts `account`'s grace period. Anyone may call it once the account's HF is below 1.
    function flag(address account) external nonReentrant {
        Account storage a = accounts[account];
        if (a.flaggedAt != 0) revert ErrorsLib.AlreadyFlagged(a.flaggedAt);
        uint256 hf = _health(account, a, _accrue(), true).hf;
        if (hf >= WAD) revert ErrorsLib.HealthyAccount(hf);
        a.flaggedAt = uint40(block.timestamp);
        emit EventsLib.Flagged(account, msg.sender, hf);
    }

    /// @notice Clears `account`'s flag. Anyone may call it once the account is back at HF >= 1.
    function unflag(address account) external nonReentrant {
        Account storage a = accounts[account];
        if (a.flaggedAt == 0) revert ErrorsLib.NotFlagged();
        uint256 hf = _health(account, a, _accrue(), true).hf;
        if (hf < WAD) revert ErrorsLib.UnhealthyAccount(hf);
        _unflag(account, a, hf);
    }

    /// @notice Repays up to `maxRepay` of `account`'s debt and receives its `collateral` with a bonus.
    /// In SOFT the account must be flagged, its grace period over and the last slice `sliceInterval` ago; the repay
    /// is capped by `sliceCap` of the debt, by what restores `targetHealth`, and by the collateral available, and must
    /// be at least half that cap (rounded up). In HARD
    /// up to `hardCloseFactor` of the debt may be repaid at `hardBonus`, with no waiting.
    /// @dev Never paused. When the account has no collateral left, its remaining debt is written off: the insurance
    /// fund first, lenders for the rest.
    /// @param minSeized Reverts if fewer collateral units would be received (protects the liquidator).
    /// @return repaid Loan asset pulled from the caller.
    /// @return seized Collateral sent to the caller.
    function liquidate(address account, address collateral, uint256 maxRepay, uint256 minSeized)
        external
        nonReentrant
        returns (uint256 repaid, uint256 seized)
    {
        CollateralConfig memory cfg = _listed(collateral);
        if (maxRepay == 0) revert ErrorsLib.ZeroAmount();
        uint256 index = _accrue();
        Account storage a = accounts[account];

        // Prices read for the quote are reused for the health after the liquidation (same block, same feeds).
        uint256[MAX_COLLATERALS + 1] memory prices;
        Quote memory q = _quote(account, a, collateral, cfg, index, prices);
        if (q.zone == Zone.HEALTHY) revert ErrorsLib.HealthyAccount(q.hf);
        if (q.zone == Zone.SOFT) {
            if (a.flaggedAt == 0) revert ErrorsLib.NotFlagged();
            uint256 graceEnd = uint256(a.flaggedAt) + _riskParams.gracePeriod;
            if (block.timestamp < graceEnd) revert ErrorsLib.GracePeriodActive(graceEnd);
            uint256 nextSlice = uint256(a.lastSliceAt) + _riskParams.sliceInterval;
            if (block.timestamp < nextSlice) revert ErrorsLib.SliceIntervalActive(nextSlice);
        }

        repaid = RiskMath.min(maxRepay, q.repayCap);
        if (repaid == 0) revert ErrorsLib.NothingToLiquidate();
        // A soft slice must take at least half its cap: otherwise dust slices could restart the slice interval
        // again and again, starving the account of real, health-raising slices until it falls into HARD.
        if (q.zone == Zone.SOFT && repaid < q.repayCap - q.repayCap / 2) {
            revert ErrorsLib.SliceTooSmall(repaid, q.repayCap - q.repayCap / 2);
        }
        seized = _seized(q, repaid, cfg.decimals);
        if (seized < minSeized) revert ErrorsLib.SeizedBelowMinimum(seized, minSeized);

        uint256 scaledDebt = a.scaledDebt;
        uint256 scaledRepaid =
            repaid == q.debt ? scaledDebt : RiskMath.min(scaledDebt, RiskMath.mulDivDown(repaid, WAD, index));
        a.scaledDebt = uint128(scaledDebt - scaledRepaid);
        _totalScaledDebt -= uint128(scaledRepaid);
        cash += repaid.toUint128();
        _collateral[account][collateral] = q.balance - seized;
        if (seized == q.balance) a.collateralMask &= ~uint8(1 << cfg.index);
        a.lastSliceAt = uint40(block.timestamp);

        uint256 hfAfter;
        if (a.collateralMask == 0 && a.scaledDebt != 0) {
            _writeOffBadDebt(account, a, index);
            hfAfter = type(uint256).max;
        } else {
            hfAfter = _health(account, a, index, true, prices).hf;
            // Rounding on dust amounts could otherwise let a slice take a little more than it gives back.
            if (q.zone == Zone.SOFT && hfAfter < q.hf) revert ErrorsLib.SliceLowersHealth(q.hf, hfAfter);
            if (hfAfter >= WAD && a.flaggedAt != 0) _unflag(account, a, hfAfter);
        }

        IERC20(asset()).safeTransferFrom(msg.sender, address(this), repaid);
        IERC20(collateral).safeTransfer(msg.sender, seized);
        emit EventsLib.Liquidated(account, msg.sender, collateral, q.zone, repaid, seized, q.bonus, q.hf, hfAfter);
    }

    // ───────────────────────────── views ─────────────────────────────

    /// @notice Health factor (WAD) with interest accrued to now; `type(uint256).max` without debt.
    /// @dev Reverts with the oracle's error when a needed price is stale or invalid.
    function healthFactor(address account) external view returns (uint256) {
        return _health(account, accounts[account], _pendingIndex(), true).hf;
    }

    /// @notice Debt of `account` in loan-asset units with interest accrued to now, rounded up.
    function debtOf(address account) external view returns (uint256) {
        return RiskMath.debtFromScaled(accounts[account].scaledDebt, _pendingIndex());
    }

    /// @notice Units of collateral `asset` locked by `account`.
    function collateralOf(address account, address asset) external view returns (uint256) {
        return _collateral[account][asset];
    }

    /// @notice When `account` was flagged (0 if not flagged) and when it was last liquidated.
    function liquidationState(address account) external view returns (uint256 flaggedAt, uint256 lastSliceAt) {
        Account memory a = accounts[account];
        return (a.flaggedAt, a.lastSliceAt);
    }

    /// @notice Every listed collateral, in mask order.
    function collaterals() external view returns (address[] memory) {
        return _collaterals;
    }

    /// @notice Configuration of collateral `asset` (`listed` false when unknown).
    function collateralConfig(address asset) external view returns (CollateralConfig memory) {
        return _config[asset];
    }

    /// @notice The soft- and hard-liquidation parameters.
    function riskParams() external view returns (RiskParams memory) {
        return _riskParams;
    }

    /// @notice The interest-rate curve and reserve factor.
    function rateModel() external view returns (RateModel memory) {
        return _rateModel;
    }

    /// @notice What liquidating `account` through `collateral` would do right now.
    /// @dev `repayCap` and `seized` are computed even when `allowed` is false (e.g. during the grace period), so a
    /// borrower can see what the next slice will take. Both are 0 for a healthy account.
    function previewLiquidation(address account, address collateral)
        external
        view
        returns (LiquidationPreview memory p)
    {
        CollateralConfig memory cfg = _listed(collateral);
        Account memory a = accounts[account];
        uint256[MAX_COLLATERALS + 1] memory prices;
        Quote memory q = _quote(account, a, collateral, cfg, _pendingIndex(), prices);
        p.zone = q.zone;
        p.healthFactor = q.hf;
        if (q.zone == Zone.HEALTHY) return p;
        p.bonus = q.bonus;
        p.repayCap = q.repayCap;
        if (q.repayCap != 0) {
            p.seized = _seized(q, q.repayCap, cfg.decimals);
        }
        if (q.zone == Zone.HARD) {
            p.allowed = q.repayCap != 0;
        } else if (a.flaggedAt != 0) {
            uint256 graceEnd = uint256(a.flaggedAt) + _riskParams.gracePeriod;
            uint256 nextSlice = uint256(a.lastSliceAt) + _riskParams.sliceInterval;
            p.allowedAt = graceEnd > nextSlice ? graceEnd : nextSlice;
            p.allowed = block.timestamp >= p.allowedAt && q.repayCap != 0;
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

    /// @notice Current yearly borrow rate (WAD) at current utilisation.
    function borrowRatePerYear() external view returns (uint256) {
        (, uint256 debt, uint256 insurance) = _pendingState();
        return InterestRateLib.borrowRatePerYear(_rateModel, InterestRateLib.utilization(debt, _supplied(debt, insurance)));
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
        cash += assets.toUint128();
        super._deposit(caller, receiver, assets, shares);
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

    /// @notice Lists a new collateral (at most 8). Its price feed must be set on the oracle.
    function listCollateral(address token, uint64 ltv, uint64 lt) external onlyOwner {
        if (token == address(0)) revert ErrorsLib.ZeroAddress();
        if (token == asset()) revert ErrorsLib.CollateralAlreadyListed(token);
        if (_config[token].listed) revert ErrorsLib.CollateralAlreadyListed(token);
        if (_collaterals.length >= MAX_COLLATERALS) revert ErrorsLib.TooManyCollaterals();
        uint8 decimals = IERC20Metadata(token).decimals();
        if (decimals > 36) revert ErrorsLib.UnsupportedDecimals(token, decimals);
        _validateCollateral(ltv, lt);
        _validateRiskParams(_riskParams, lt);
        uint8 index = uint8(_collaterals.length);
        _collaterals.push(token);
        _config[token] = CollateralConfig({listed: true, paused: false, index: index, decimals: decimals, ltv: ltv, lt: lt});
        emit EventsLib.CollateralListed(token, index, decimals, ltv, lt);
    }

    /// @notice Changes a collateral's LTV and liquidation threshold.
    function setCollateralParams(address asset, uint64 ltv, uint64 lt) external onlyOwner {
        _listed(asset);
        _validateCollateral(ltv, lt);
        CollateralConfig storage cfg = _config[asset];
        (cfg.ltv, cfg.lt) = (ltv, lt);
        // Checked with the new threshold in place; an invalid one reverts the whole change.
        _validateRiskParams(_riskParams, 0);
        emit EventsLib.CollateralParamsSet(asset, ltv, lt);
    }

    /// @notice Replaces the liquidation parameters, rejecting any set where a soft slice could lower health.
    function setRiskParams(RiskParams calldata params) external onlyOwner {
        _validateRiskParams(params, 0);
        _riskParams = params;
        emit EventsLib.RiskParamsSet(params);
    }

    /// @notice Replaces the rate curve, accruing interest under the old one first.
    function setRateModel(RateModel calldata model) external onlyOwner {
        _validateRateModel(model);
        _accrue();
        _rateModel = model;
        emit EventsLib.RateModelSet(model);
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
        _listed(asset);
        _config[asset].paused = paused;
        emit EventsLib.CollateralPauseSet(asset, paused);
    }

    // ───────────────────────────── internals ─────────────────────────────

    struct Health {
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
        uint256 collateralCap;
        uint256 balance;
        uint256 loanPrice;
        uint256 collateralPrice;
    }

    function _listed(address asset) internal view returns (CollateralConfig memory cfg) {
        cfg = _config[asset];
        if (!cfg.listed) revert ErrorsLib.CollateralNotListed(asset);
    }

    function _checkAuthorized(address onBehalf) internal view {
        if (msg.sender != onBehalf && !isAuthorized[onBehalf][msg.sender]) {
            revert ErrorsLib.Unauthorized(msg.sender, onBehalf);
        }
    }

    /// @dev Reverts unless borrow power covers the debt value; returns the health factor.
    function _checkBorrowPower(address account, Account storage a, uint256 index) internal view returns (uint256) {
        Health memory h = _health(account, a, index, true);
        if (h.borrowPower < h.debtValue) revert ErrorsLib.InsufficientCollateral(h.borrowPower, h.debtValue);
        return h.hf;
    }

    /// @dev A borrower's own top-up or repay clears the flag when HF is back at >= 1. A stale price must not make the
    /// top-up itself fail, so prices are read leniently here and the flag simply stays.
    function _clearFlagIfHealthy(address account, uint256 index) internal {
        Account storage a = accounts[account];
        Health memory h = _health(account, a, index, false);
        if (h.ok && h.hf >= WAD) _unflag(account, a, h.hf);
    }

    function _unflag(address account, Account storage a, uint256 hf) internal {
        a.flaggedAt = 0;
        emit EventsLib.Unflagged(account, msg.sender, hf);
    }

    function _health(address account, Account memory a, uint256 index, bool strict)
        internal
        view
        returns (Health memory)
    {
        uint256[MAX_COLLATERALS + 1] memory prices;
        return _health(account, a, index, strict, prices);
    }

    /// @dev Net-risk health over every collateral the account holds. With `strict`, an oracle failure reverts with
    /// the oracle's own error; otherwise it returns `ok = false`. `prices` caches what this call has already read
    /// (slot i: collateral i, last slot: the loan asset; 0 = not read yet).
    function _health(
        address account,
        Account memory a,
        uint256 index,
        bool strict,
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
                address asset = _collaterals[i];
                CollateralConfig memory cfg = _config[asset];
                uint256 price = prices[i];
                if (price == 0) {
                    bool ok;
                    (price, ok) = _price(asset, strict);
                    if (!ok) return _priceUnavailable(h);
                    prices[i] = price;
                }
                uint256 value = RiskMath.collateralValue(_collateral[account][asset], price, cfg.decimals);
                h.power += RiskMath.mulDivDown(value, cfg.lt, WAD);
                if (!cfg.paused) h.borrowPower += RiskMath.mulDivDown(value, cfg.ltv, WAD);
            }
            mask >>= 1;
        }
        uint256 loanPrice = prices[MAX_COLLATERALS];
        if (loanPrice == 0) {
            bool loanOk;
            (loanPrice, loanOk) = _price(asset(), strict);
            if (!loanOk) return _priceUnavailable(h);
            prices[MAX_COLLATERALS] = loanPrice;
        }
        h.loanPrice = loanPrice;
        h.debtValue = RiskMath.debtValue(h.debt, loanPrice, LOAN_DECIMALS);
        h.hf = RiskMath.healthFactor(h.power, h.debtValue);
    }

    /// @dev Lenient health without a price: only `debt` is meaningful.
    function _priceUnavailable(Health memory h) internal pure returns (Health memory) {
        return Health(0, 0, 0, h.debt, 0, 0, false);
    }

    function _price(address asset_, bool strict) internal view returns (uint256, bool) {
        try oracle.price(asset_) returns (uint256 p) {
            return (p, true);
        } catch (bytes memory reason) {
            if (strict) {
                assembly ("memory-safe") {
                    revert(add(reason, 32), mload(reason))
                }
            }
            return (0, false);
        }
    }

    /// @dev Zone, bonus and repay cap for liquidating `account` through `collateral` (DESIGN §2.4).
    function _quote(
        address account,
        Account memory a,
        address collateral,
        CollateralConfig memory cfg,
        uint256 index,
        uint256[MAX_COLLATERALS + 1] memory prices
    ) internal view returns (Quote memory q) {
        Health memory h = _health(account, a, index, true, prices);
        RiskParams memory p = _riskParams;
        q.hf = h.hf;
        q.debt = h.debt;
        q.zone = RiskMath.zoneOf(h.hf, p.hardHealth);
        if (q.zone == Zone.HEALTHY) return q;

        q.loanPrice = h.loanPrice;
        // Read by `_health` when the account holds this collateral; without a balance the price is never used.
        q.collateralPrice = prices[cfg.index];
        q.balance = _collateral[account][collateral];
        q.bonus = q.zone == Zone.SOFT ? RiskMath.softBonus(h.hf, p) : p.hardBonus;
        uint256 onePlusBonus = WAD + q.bonus;

        uint256 collateralValue = RiskMath.collateralValue(q.balance, q.collateralPrice, cfg.decimals);
        q.collateralCap = RiskMath.valueToAmount(
            RiskMath.mulDivDown(collateralValue, WAD, onePlusBonus), q.loanPrice, LOAN_DECIMALS
        );
        if (q.zone == Zone.SOFT) {
            uint256 sliceCap = RiskMath.mulDivDown(h.debt, p.sliceCap, WAD);
            uint256 targetCap = RiskMath.valueToAmount(
                RiskMath.repayToTargetValue(h.power, h.debtValue, p.targetHealth, onePlusBonus, cfg.lt),
                q.loanPrice,
                LOAN_DECIMALS
            );
            q.repayCap = RiskMath.min(RiskMath.min(sliceCap, targetCap), q.collateralCap);
        } else {
            q.repayCap = RiskMath.min(RiskMath.mulDivDown(h.debt, p.hardCloseFactor, WAD), q.collateralCap);
        }
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
        _insuranceFund = uint128(insurance - covered);
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
        uint256 growth = InterestRateLib.compound(InterestRateLib.borrowRatePerSecond(_rateModel, u), elapsed);
        index = RiskMath.mulDivUp(index, growth, WAD);
        uint256 newDebt = RiskMath.debtFromScaled(scaled, index);
        insurance += RiskMath.mulDivDown(newDebt - debt, _rateModel.reserveFactor, WAD);
        debt = newDebt;
    }

    /// @dev Writes the pending state; returns the borrow index.
    function _accrue() internal returns (uint256) {
        if (block.timestamp == _lastAccrual) return _borrowIndex;
        uint256 oldInsurance = _insuranceFund;
        uint256 oldDebt = RiskMath.debtFromScaled(_totalScaledDebt, _borrowIndex);
        (uint256 index, uint256 debt, uint256 insurance) = _pendingState();
        _lastAccrual = uint64(block.timestamp);
        if (index != _borrowIndex) {
            _borrowIndex = index.toUint128();
            _insuranceFund = insurance.toUint128();
            emit EventsLib.InterestAccrued(index, debt - oldDebt, insurance - oldInsurance);
        }
        return index;
    }

    function _validateCollateral(uint64 ltv, uint64 lt) internal pure {
        if (lt == 0 || lt >= WAD || ltv >= lt) revert ErrorsLib.InvalidLtv(ltv, lt);
    }

    /// @dev `extraLt` is a threshold about to be listed. Every soft slice must raise health:
    /// hardHealth > (1 + softBonusMax) * maxLT, and a hard liquidation at HF 1 too: (1 + hardBonus) * maxLT < 1.
    function _validateRiskParams(RiskParams memory p, uint256 extraLt) internal view {
        if (p.softBonusMin > p.softBonusMax || p.softBonusMax > MAX_BONUS || p.hardBonus > MAX_BONUS) {
            revert ErrorsLib.InvalidBonus();
        }
        if (p.softBonusMax > p.hardBonus) revert ErrorsLib.InvalidBonus();
        if (p.hardHealth > WAD || p.hardHealth == 0) revert ErrorsLib.InvalidHardHealth(p.hardHealth, 0);
        if (p.targetHealth < WAD || p.targetHealth > MAX_TARGET_HEALTH) revert ErrorsLib.InvalidTargetHealth(p.targetHealth);
        if (p.sliceCap == 0 || p.sliceCap > WAD) revert ErrorsLib.InvalidFraction(p.sliceCap);
        if (p.hardCloseFactor == 0 || p.hardCloseFactor > WAD) revert ErrorsLib.InvalidFraction(p.hardCloseFactor);
        if (p.gracePeriod > MAX_DURATION) revert ErrorsLib.InvalidDuration(p.gracePeriod);
        if (p.sliceInterval > MAX_DURATION) revert ErrorsLib.InvalidDuration(p.sliceInterval);

        uint256 maxLt = extraLt;
        for (uint256 i; i < _collaterals.length; ++i) {
            uint256 lt = _config[_collaterals[i]].lt;
            if (lt > maxLt) maxLt = lt;
        }
        uint256 minHardHealth = RiskMath.mulDivUp(WAD + p.softBonusMax, maxLt, WAD);
        if (p.hardHealth <= minHardHealth) revert ErrorsLib.InvalidHardHealth(p.hardHealth, minHardHealth);
        if (RiskMath.mulDivUp(WAD + p.hardBonus, maxLt, WAD) >= WAD) revert ErrorsLib.InvalidBonus();
    }

    function _validateRateModel(RateModel memory m) internal pure {
        if (m.kink == 0 || m.kink >= WAD || m.reserveFactor > WAD) revert ErrorsLib.InvalidRateModel();
        if (uint256(m.baseRate) + m.slope1 + m.slope2 > MAX_YEARLY_RATE) revert ErrorsLib.InvalidRateModel();
    }
}
