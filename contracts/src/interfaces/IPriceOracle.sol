// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

/// @title IPriceOracle
/// @notice The market's view of prices: the USD price of one whole token, as a WAD.
interface IPriceOracle {
    /// @notice USD price of one whole unit of `asset` (10**decimals base units), scaled to 1e18.
    /// @dev Reverts with a custom error (never returns zero) when the feed is missing, reverts, is stale or
    /// answers a non-positive or unrepresentable price.
    function price(address asset) external view returns (uint256);

    /// @notice The last valid price of `asset` whatever its age, or 0 when there is none (no feed, a reverting feed,
    /// a non-positive answer). Never reverts. Used where an outage must neither block nor cause a liquidation.
    function lastPrice(address asset) external view returns (uint256);
}
