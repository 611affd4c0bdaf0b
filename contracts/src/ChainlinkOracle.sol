// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {AggregatorV3Interface} from "./interfaces/AggregatorV3Interface.sol";
import {IPriceOracle} from "./interfaces/IPriceOracle.sol";
import {ErrorsLib} from "./libraries/ErrorsLib.sol";

/// @title ChainlinkOracle
/// @notice Prices assets from Chainlink `AggregatorV3Interface` feeds, normalised to a WAD per whole token.
/// `price` never returns zero: a missing or reverting feed, a non-positive answer, one that normalises to 0, or one
/// older than the feed's heartbeat reverts with a custom error. `lastPrice` never reverts (0 = no price at all).
contract ChainlinkOracle is IPriceOracle {
    struct Feed {
        AggregatorV3Interface aggregator;
        uint32 heartbeat;
        uint8 decimals;
    }

    event FeedSet(address indexed asset, address indexed aggregator, uint256 heartbeat);
    event OwnerSet(address indexed owner);

    address public owner;
    mapping(address asset => Feed) public feeds;

    constructor(address owner_) {
        if (owner_ == address(0)) revert ErrorsLib.ZeroAddress();
        owner = owner_;
        emit OwnerSet(owner_);
    }

    /// @notice Sets the USD feed for `asset` and the longest age (seconds) an answer may have.
    function setFeed(address asset, AggregatorV3Interface aggregator, uint32 heartbeat) external {
        if (msg.sender != owner) revert ErrorsLib.NotOwner();
        if (asset == address(0) || address(aggregator) == address(0)) revert ErrorsLib.ZeroAddress();
        if (heartbeat == 0) revert ErrorsLib.InvalidDuration(0);
        uint8 decimals = aggregator.decimals();
        if (decimals > 36) revert ErrorsLib.UnsupportedDecimals(address(aggregator), decimals);
        feeds[asset] = Feed(aggregator, heartbeat, decimals);
        emit FeedSet(asset, address(aggregator), heartbeat);
    }

    function setOwner(address newOwner) external {
        if (msg.sender != owner) revert ErrorsLib.NotOwner();
        if (newOwner == address(0)) revert ErrorsLib.ZeroAddress();
        owner = newOwner;
        emit OwnerSet(newOwner);
    }

    /// @inheritdoc IPriceOracle
    function price(address asset) external view returns (uint256) {
        Feed memory feed = feeds[asset];
        if (address(feed.aggregator) == address(0)) revert ErrorsLib.FeedNotSet(asset);
        (bool ok, int256 answer, uint256 updatedAt) = _latest(feed.aggregator);
        if (!ok) revert ErrorsLib.FeedReverted(asset);
        if (answer <= 0) revert ErrorsLib.InvalidPrice(asset, answer);
        if (updatedAt > block.timestamp || block.timestamp - updatedAt > feed.heartbeat) {
            revert ErrorsLib.StalePrice(asset, updatedAt, feed.heartbeat);
        }
        uint256 normalised = _normalise(answer, feed.decimals);
        if (normalised == 0) revert ErrorsLib.InvalidPrice(asset, answer);
        return normalised;
    }

    /// @inheritdoc IPriceOracle
    function lastPrice(address asset) external view returns (uint256) {
        Feed memory feed = feeds[asset];
        if (address(feed.aggregator) == address(0)) return 0;
        (bool ok, int256 answer,) = _latest(feed.aggregator);
        if (!ok || answer <= 0) return 0;
        return _normalise(answer, feed.decimals);
    }

    /// @dev latestRoundData without letting a reverting (or malformed) feed revert the caller.
    function _latest(AggregatorV3Interface aggregator)
        internal
        view
        returns (bool ok, int256 answer, uint256 updatedAt)
    {
        try aggregator.latestRoundData() returns (uint80, int256 answer_, uint256, uint256 updatedAt_, uint80) {
            return (true, answer_, updatedAt_);
        } catch {
            return (false, 0, 0);
        }
    }

    /// @dev A positive answer with `decimals` (at most 36, checked in setFeed) as a WAD, rounded down; may be 0 for
    /// a feed with more than 18 decimals and a tiny answer, which `price` rejects.
    function _normalise(int256 answer, uint8 decimals) internal pure returns (uint256) {
        // forge-lint: disable-next-line(unsafe-typecast)
        uint256 raw = uint256(answer); // answer > 0, checked by every caller
        if (decimals <= 18) return raw * 10 ** (18 - decimals);
        return raw / 10 ** (decimals - 18);
    }
}
