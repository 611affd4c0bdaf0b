// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {Script, console} from "forge-std/Script.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";

import {SoftLandingMarket} from "../src/SoftLandingMarket.sol";
import {ChainlinkOracle} from "../src/ChainlinkOracle.sol";
import {SoftLandingLens} from "../src/periphery/SoftLandingLens.sol";
import {AggregatorV3Interface} from "../src/interfaces/AggregatorV3Interface.sol";
import {IPriceOracle} from "../src/interfaces/IPriceOracle.sol";
import {MockERC20} from "../src/mocks/MockERC20.sol";
import {MockAggregator} from "../src/mocks/MockAggregator.sol";
import {RiskParams} from "../src/libraries/Types.sol";
import {DevnetConfig} from "./DevnetConfig.sol";

/// @title Deploy
/// @notice Deploys a devnet market: mock USDC (6 dec), WETH (18), wstETH (18), WBTC (8), settable 8-decimal feeds,
/// the Chainlink oracle adapter, the market and the lens; writes the addresses to `deployments/<chainId>.json`.
/// Env: `MARKET_MODE` = `soft` (default) or `conventional`; `DEPLOYMENT_FILE` overrides the output path.
/// Run: forge script contracts/script/Deploy.s.sol --rpc-url http://127.0.0.1:8545 --broadcast --private-key <key>
contract Deploy is Script {
    uint32 internal constant COLLATERAL_HEARTBEAT = 1 hours;
    uint32 internal constant STABLE_HEARTBEAT = 1 days;

    struct Asset {
        string symbol;
        uint8 decimals;
        int256 price; // 8 decimals
        uint64 ltv;
        uint64 lt;
    }

    // Kept in storage: the script is too large for the stack otherwise.
    SoftLandingMarket internal market;
    ChainlinkOracle internal oracle;
    SoftLandingLens internal lens;
    string internal tokensJson;
    string internal feedsJson;

    function run() external {
        string memory mode = vm.envOr("MARKET_MODE", string("soft"));
        bool conventional = keccak256(bytes(mode)) == keccak256("conventional");
        if (!conventional && keccak256(bytes(mode)) != keccak256("soft")) {
            revert(string.concat("MARKET_MODE must be 'soft' or 'conventional', got '", mode, "'"));
        }
        string memory path =
            vm.envOr("DEPLOYMENT_FILE", string.concat("deployments/", vm.toString(block.chainid), ".json"));

        vm.startBroadcast();
        _deployMarket(msg.sender, conventional);
        _listCollateral(Asset("WETH", 18, 3000e8, 0.8e18, 0.85e18));
        _listCollateral(Asset("wstETH", 18, 3500e8, 0.75e18, 0.8e18));
        _listCollateral(Asset("WBTC", 8, 60_000e8, 0.73e18, 0.78e18));
        vm.stopBroadcast();

        _write(path, conventional);
    }

    function _deployMarket(address deployer, bool conventional) internal {
        MockERC20 usdc = new MockERC20("USD Coin (devnet)", "USDC", 6);
        MockAggregator usdcFeed = new MockAggregator(8, "USDC / USD", 1e8);
        oracle = new ChainlinkOracle(deployer);
        oracle.setFeed(address(usdc), AggregatorV3Interface(address(usdcFeed)), STABLE_HEARTBEAT);
        RiskParams memory risk = conventional ? DevnetConfig.conventionalRiskParams() : DevnetConfig.softRiskParams();
        market = new SoftLandingMarket(
            IERC20Metadata(address(usdc)),
            IPriceOracle(address(oracle)),
            conventional ? "Soft Landing USDC (conventional)" : "Soft Landing USDC",
            conventional ? "clUSDC" : "slUSDC",
            deployer,
            risk,
            DevnetConfig.rateModel(),
            DevnetConfig.PARAM_DELAY
        );
        lens = new SoftLandingLens();
        tokensJson = vm.serializeAddress("tokens", "USDC", address(usdc));
        feedsJson = vm.serializeAddress("feeds", "USDC", address(usdcFeed));
    }

    function _listCollateral(Asset memory a) internal {
        MockERC20 token = new MockERC20(string.concat(a.symbol, " (devnet)"), a.symbol, a.decimals);
        MockAggregator feed = new MockAggregator(8, string.concat(a.symbol, " / USD"), a.price);
        oracle.setFeed(address(token), AggregatorV3Interface(address(feed)), COLLATERAL_HEARTBEAT);
        market.listCollateral(address(token), a.ltv, a.lt);
        tokensJson = vm.serializeAddress("tokens", a.symbol, address(token));
        feedsJson = vm.serializeAddress("feeds", a.symbol, address(feed));
    }

    function _write(string memory path, bool conventional) internal {
        string memory json = "deployment";
        vm.serializeUint(json, "chainId", block.chainid);
        vm.serializeString(json, "mode", conventional ? "conventional" : "soft");
        vm.serializeUint(json, "startBlock", block.number);
        vm.serializeAddress(json, "market", address(market));
        vm.serializeAddress(json, "oracle", address(oracle));
        vm.serializeAddress(json, "lens", address(lens));
        vm.serializeString(json, "tokens", tokensJson);
        json = vm.serializeString(json, "feeds", feedsJson);
        vm.writeJson(json, path);
        console.log("market", address(market));
        console.log("lens", address(lens));
        console.log("written to", path);
    }
}
