// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {AggregatorV3Interface} from "../interfaces/AggregatorV3Interface.sol";

/// @title MockAggregator
/// @notice Settable Chainlink-style feed for the devnet and tests. Anyone may set the price. Never deploy to a real chain.
contract MockAggregator is AggregatorV3Interface {
    event AnswerUpdated(int256 indexed current, uint256 indexed roundId, uint256 updatedAt);

    uint8 public immutable decimals;
    string public description;
    uint256 public constant version = 1;

    uint80 internal _roundId;
    int256 internal _answer;
    uint256 internal _updatedAt;
    /// @notice When true, every read reverts (a broken or deprecated feed).
    bool public reverting;

    constructor(uint8 decimals_, string memory description_, int256 initialAnswer) {
        decimals = decimals_;
        description = description_;
        _set(initialAnswer, block.timestamp);
    }

    /// @notice Publishes `answer` as of now.
    function setAnswer(int256 answer) external {
        _set(answer, block.timestamp);
    }

    /// @notice Publishes `answer` as of `updatedAt` (to simulate stale or future rounds).
    function setAnswerAt(int256 answer, uint256 updatedAt) external {
        _set(answer, updatedAt);
    }

    /// @notice Re-publishes the current answer as of now, so a devnet that skipped time does not go stale.
    function refresh() external {
        _set(_answer, block.timestamp);
    }

    /// @notice Makes every read revert (true) or answer again (false).
    function setReverting(bool reverting_) external {
        reverting = reverting_;
    }

    function getRoundData(uint80 roundId)
        external
        view
        returns (uint80, int256, uint256, uint256, uint80)
    {
        require(!reverting, "feed down");
        return (roundId, _answer, _updatedAt, _updatedAt, roundId);
    }

    function latestRoundData() external view returns (uint80, int256, uint256, uint256, uint80) {
        require(!reverting, "feed down");
        return (_roundId, _answer, _updatedAt, _updatedAt, _roundId);
    }

    function latestAnswer() external view returns (int256) {
        return _answer;
    }

    function _set(int256 answer, uint256 updatedAt) internal {
        _roundId++;
        _answer = answer;
        _updatedAt = updatedAt;
        emit AnswerUpdated(answer, _roundId, updatedAt);
    }
}
