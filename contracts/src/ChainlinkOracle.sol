// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {AggregatorV3Interface} from "./interfaces/AggregatorV3Interface.sol";
import {IPriceOracle} from "./interfaces/IPriceOracle.sol";
import {ErrorsLib} from "./libraries/ErrorsLib.sol";

/// @title ChainlinkOracle
/// @notice Prices assets from Chainlink `AggregatorV3Interface` feeds, normalised to a WAD per whole token.
/// Never returns zero: a missing feed, a non-positive answer or one older than the feed's heartbeat reverts.
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
        feeds[asset] = Feed(aggregator, heartbeat, aggregator.decimals());
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
        (, int256 answer,, uint256 updatedAt,) = feed.aggregator.latestRoundData();
        if (answer <= 0) revert ErrorsLib.InvalidPrice(asset, answer);
        if (updatedAt > block.timestamp || block.timestamp - updatedAt > feed.heartbeat) {
            revert ErrorsLib.StalePrice(asset, updatedAt, feed.heartbeat);
        }
        // forge-lint: disable-next-line(unsafe-typecast)
        uint256 raw = uint256(answer);
        if (feed.decimals <= 18) return raw * 10 ** (18 - feed.decimals);
        return raw / 10 ** (feed.decimals - 18);
    }
}
