// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";

import {SoftLandingMarket} from "../SoftLandingMarket.sol";
import {IPriceOracle} from "../interfaces/IPriceOracle.sol";
import {CollateralConfig, DeleveragePolicy, RateModel, RiskParams, Zone} from "../libraries/Types.sol";
import {InterestRateLib} from "../libraries/InterestRateLib.sol";
import {RiskMath} from "../libraries/RiskMath.sol";

/// @title SoftLandingLens
/// @notice Reads a whole market or position in one call, with interest accrued to the current block.
/// @dev Never reverts on a bad price: each price carries `priceOk`, and health is reported with `healthOk`, so the
/// app can show a stale feed instead of failing to load. Health uses the market's own `RiskMath`.
contract SoftLandingLens {
    uint256 internal constant WAD = 1e18;

    struct CollateralView {
        address asset;
        string symbol;
        uint8 decimals;
        uint64 ltv;
        uint64 lt;
        bool paused;
        /// @dev The fresh price when `priceOk`; otherwise the last valid one (0 when none), as liquidations use it.
        uint256 price;
        bool priceOk;
        /// @dev Account balance and its USD value (WAD); zero in `getMarket`.
        uint256 balance;
        uint256 value;
    }

    struct MarketView {
        address market;
        address oracle;
        address loanToken;
        string loanSymbol;
        uint8 loanDecimals;
        uint256 loanPrice;
        bool loanPriceOk;
        RiskParams risk;
        RateModel rateModel;
        uint256 totalAssets;
        uint256 totalShares;
        uint256 totalDebt;
        uint256 cash;
        uint256 availableLiquidity;
        uint256 insuranceFund;
        uint256 totalSocialisedBadDebt;
        uint256 borrowIndex;
        uint256 utilization;
        uint256 borrowRatePerYear;
        uint256 supplyRatePerYear;
        bool borrowPaused;
        bool withdrawPaused;
        CollateralView[] collaterals;
        uint256 blockNumber;
        uint256 timestamp;
    }

    struct PositionView {
        MarketView market;
        address account;
        uint256 debt;
        uint256 scaledDebt;
        uint256 debtValue;
        uint256 collateralValue;
        uint256 collateralPower;
        uint256 borrowPower;
        uint256 healthFactor;
        bool healthOk;
        Zone zone;
        uint256 flaggedAt;
        uint256 lastSliceAt;
        uint256 blockNumber;
        uint256 timestamp;
        /// @dev The account's deleverage policy (all zeros: none) and the version `deleverage` must be given.
        DeleveragePolicy policy;
        uint256 policyVersion;
    }

    /// @notice Compact per-account state for keepers. `balances` follow `collaterals()` order.
    struct AccountSummary {
        address account;
        uint256 debt;
        uint256 healthFactor;
        bool healthOk;
        Zone zone;
        uint256 flaggedAt;
        uint256 lastSliceAt;
        uint256[] balances;
        DeleveragePolicy policy;
        uint256 policyVersion;
    }

    struct PositionsView {
        uint256 blockNumber;
        uint256 timestamp;
        uint256 loanPrice;
        /// @dev Fresh prices, 0 for a feed that is stale or invalid (such a collateral cannot be seized).
        uint256[] collateralPrices;
        AccountSummary[] accounts;
        /// @dev What `flag` and `liquidate` value a collateral they do not seize at: the fresh price, else the last
        /// valid one (0 when none). Each account's health above is computed with these (docs/liquidation.md R7).
        uint256[] collateralLastPrices;
    }

    /// @notice Everything the position page needs for `account`, in one call.
    function getPosition(SoftLandingMarket market, address account) external view returns (PositionView memory p) {
        p.market = getMarket(market);
        p.account = account;
        p.blockNumber = block.number;
        p.timestamp = block.timestamp;
        (uint128 scaledDebt, uint40 flaggedAt, uint40 lastSliceAt,) = market.accounts(account);
        p.scaledDebt = scaledDebt;
        p.flaggedAt = flaggedAt;
        p.lastSliceAt = lastSliceAt;
        (p.policy, p.policyVersion) = market.deleveragePolicy(account);
        p.debt = RiskMath.debtFromScaled(scaledDebt, p.market.borrowIndex);

        bool pricesOk = p.market.loanPriceOk || p.debt == 0;
        CollateralView[] memory cs = p.market.collaterals;
        for (uint256 i; i < cs.length; ++i) {
            cs[i].balance = market.collateralOf(account, cs[i].asset);
            if (cs[i].balance == 0) continue;
            if (!cs[i].priceOk) {
                // Without debt health is maximal whatever the price, as the market's healthFactor says.
                if (p.debt != 0) pricesOk = false;
                continue;
            }
            cs[i].value = RiskMath.collateralValue(cs[i].balance, cs[i].price, cs[i].decimals);
            p.collateralValue += cs[i].value;
            p.collateralPower += RiskMath.mulDivDown(cs[i].value, cs[i].lt, WAD);
            if (!cs[i].paused) p.borrowPower += RiskMath.mulDivDown(cs[i].value, cs[i].ltv, WAD);
        }
        if (p.market.loanPriceOk) {
            p.debtValue = RiskMath.debtValue(p.debt, p.market.loanPrice, p.market.loanDecimals);
        }
        p.healthOk = pricesOk;
        if (pricesOk) {
            p.healthFactor = RiskMath.healthFactor(p.collateralPower, p.debtValue);
            p.zone = RiskMath.zoneOf(p.healthFactor, p.market.risk.hardHealth);
        }
    }

    /// @dev Prices and parameters read once per `getPositions` call.
    struct ScanContext {
        SoftLandingMarket market;
        address[] assets;
        CollateralConfig[] cfgs;
        uint256[] prices;
        uint256[] lastPrices;
        uint256 loanPrice;
        bool loanOk;
        uint8 loanDecimals;
        uint256 index;
        uint256 hardHealth;
    }

    /// @notice Health and liquidation clock of many accounts at once, for keepers.
    function getPositions(SoftLandingMarket market, address[] calldata accounts)
        external
        view
        returns (PositionsView memory v)
    {
        v.blockNumber = block.number;
        v.timestamp = block.timestamp;
        ScanContext memory ctx;
        ctx.market = market;
        IPriceOracle oracle = market.oracle();
        ctx.assets = market.collaterals();
        uint256 n = ctx.assets.length;
        ctx.cfgs = new CollateralConfig[](n);
        ctx.prices = new uint256[](n);
        ctx.lastPrices = new uint256[](n);
        for (uint256 i; i < n; ++i) {
            ctx.cfgs[i] = market.collateralConfig(ctx.assets[i]);
            bool fresh;
            (ctx.prices[i], fresh) = _tryPrice(oracle, ctx.assets[i]);
            ctx.lastPrices[i] = fresh ? ctx.prices[i] : oracle.lastPrice(ctx.assets[i]);
        }
        address loanToken = market.asset();
        (ctx.loanPrice, ctx.loanOk) = _tryPrice(oracle, loanToken);
        ctx.loanDecimals = IERC20Metadata(loanToken).decimals();
        ctx.index = market.borrowIndex();
        ctx.hardHealth = market.riskParams().hardHealth;
        v.loanPrice = ctx.loanPrice;
        v.collateralPrices = ctx.prices;
        v.collateralLastPrices = ctx.lastPrices;

        v.accounts = new AccountSummary[](accounts.length);
        for (uint256 k; k < accounts.length; ++k) {
            v.accounts[k] = _summarise(ctx, accounts[k]);
        }
    }

    function _summarise(ScanContext memory ctx, address account) internal view returns (AccountSummary memory s) {
        s.account = account;
        (uint128 scaledDebt, uint40 flaggedAt, uint40 lastSliceAt, uint8 mask) = ctx.market.accounts(account);
        s.debt = RiskMath.debtFromScaled(scaledDebt, ctx.index);
        s.flaggedAt = flaggedAt;
        s.lastSliceAt = lastSliceAt;
        (s.policy, s.policyVersion) = ctx.market.deleveragePolicy(account);
        uint256 n = ctx.assets.length;
        s.balances = new uint256[](n);
        bool healthOk = ctx.loanOk || s.debt == 0;
        uint256 power;
        for (uint256 i; i < n; ++i) {
            if (mask & (1 << i) == 0) continue;
            s.balances[i] = ctx.market.collateralOf(account, ctx.assets[i]);
            uint256 value = RiskMath.collateralValue(s.balances[i], ctx.lastPrices[i], ctx.cfgs[i].decimals);
            power += RiskMath.mulDivDown(value, ctx.cfgs[i].lt, WAD);
        }
        s.healthOk = healthOk;
        if (healthOk) {
            uint256 debtValue = ctx.loanOk ? RiskMath.debtValue(s.debt, ctx.loanPrice, ctx.loanDecimals) : 0;
            s.healthFactor = RiskMath.healthFactor(power, debtValue);
            s.zone = RiskMath.zoneOf(s.healthFactor, ctx.hardHealth);
        }
    }

    /// @notice Market parameters, collaterals with prices, liquidity and rates, in one call.
    function getMarket(SoftLandingMarket market) public view returns (MarketView memory m) {
        IPriceOracle oracle = market.oracle();
        m.market = address(market);
        m.oracle = address(oracle);
        m.loanToken = market.asset();
        m.loanSymbol = _symbol(m.loanToken);
        m.loanDecimals = IERC20Metadata(m.loanToken).decimals();
        (m.loanPrice, m.loanPriceOk) = _tryPrice(oracle, m.loanToken);
        m.risk = market.riskParams();
        m.rateModel = market.rateModel();
        m.totalAssets = market.totalAssets();
        m.totalShares = market.totalSupply();
        m.totalDebt = market.totalDebt();
        m.cash = market.cash();
        m.availableLiquidity = market.availableLiquidity();
        m.insuranceFund = market.insuranceFund();
        m.totalSocialisedBadDebt = market.totalSocialisedBadDebt();
        m.borrowIndex = market.borrowIndex();
        m.utilization = InterestRateLib.utilization(m.totalDebt, m.totalAssets);
        m.borrowRatePerYear = InterestRateLib.borrowRatePerYear(m.rateModel, m.utilization);
        m.supplyRatePerYear = RiskMath.mulDivDown(
            RiskMath.mulDivDown(m.borrowRatePerYear, m.utilization, WAD), WAD - m.rateModel.reserveFactor, WAD
        );
        m.borrowPaused = market.borrowPaused();
        m.withdrawPaused = market.withdrawPaused();
        m.blockNumber = block.number;
        m.timestamp = block.timestamp;

        address[] memory assets = market.collaterals();
        m.collaterals = new CollateralView[](assets.length);
        for (uint256 i; i < assets.length; ++i) {
            CollateralConfig memory cfg = market.collateralConfig(assets[i]);
            CollateralView memory c = m.collaterals[i];
            c.asset = assets[i];
            c.symbol = _symbol(assets[i]);
            c.decimals = cfg.decimals;
            c.ltv = cfg.ltv;
            c.lt = cfg.lt;
            c.paused = cfg.paused;
            (c.price, c.priceOk) = _tryPrice(oracle, assets[i]);
            // What `flag` and `liquidate` use for a collateral they do not seize (docs/liquidation.md R7).
            if (!c.priceOk) c.price = oracle.lastPrice(assets[i]);
        }
    }

    /// @dev `symbol()` as a string, also for tokens that return `bytes32` (MKR, SAI) or nothing usable ("?").
    function _symbol(address token) internal view returns (string memory) {
        (bool ok, bytes memory data) = token.staticcall(abi.encodeWithSignature("symbol()"));
        if (!ok) return "?";
        if (data.length >= 64) return abi.decode(data, (string));
        if (data.length != 32) return "?";
        bytes32 raw = abi.decode(data, (bytes32));
        uint256 n;
        while (n < 32 && raw[n] != 0) ++n;
        bytes memory out = new bytes(n);
        for (uint256 i; i < n; ++i) {
            out[i] = raw[i];
        }
        return string(out);
    }

    function _tryPrice(IPriceOracle oracle, address asset) internal view returns (uint256, bool) {
        try oracle.price(asset) returns (uint256 p) {
            return (p, true);
        } catch {
            return (0, false);
        }
    }
}
