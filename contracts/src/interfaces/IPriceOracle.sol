// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

/// @title IPriceOracle
/// @notice The market's view of prices: the USD price of one whole token, as a WAD.
interface IPriceOracle {
    /// @notice USD price of one whole unit of `asset` (10**decimals base units), scaled to 1e18.
    /// @dev Reverts (never returns zero) when the feed is missing, stale or non-positive.
    function price(address asset) external view returns (uint256);
}
