// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {Test} from "forge-std/Test.sol";
import {MockERC20} from "../src/mocks/MockERC20.sol";
import {MockAggregator} from "../src/mocks/MockAggregator.sol";

contract MockERC20Test is Test {
    MockERC20 internal token;

    function setUp() public {
        token = new MockERC20("Wrapped BTC", "WBTC", 8);
    }

    function test_metadataAndFaucet() public {
        assertEq(token.name(), "Wrapped BTC");
        assertEq(token.symbol(), "WBTC");
        assertEq(token.decimals(), 8);
        address who = makeAddr("who");
        token.mint(who, 5e8);
        assertEq(token.balanceOf(who), 5e8);
        assertEq(token.totalSupply(), 5e8);
    }

    function test_permitSetsAllowanceFromSignature() public {
        (address holder, uint256 key) = makeAddrAndKey("holder");
        address spender = makeAddr("spender");
        uint256 deadline = vm.getBlockTimestamp() + 1 hours;
        bytes32 typehash =
            keccak256("Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)");
        bytes32 structHash = keccak256(abi.encode(typehash, holder, spender, 7e8, token.nonces(holder), deadline));
        bytes32 digest = keccak256(abi.encodePacked("\x19\x01", token.DOMAIN_SEPARATOR(), structHash));
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, digest);

        token.permit(holder, spender, 7e8, deadline, v, r, s);
        assertEq(token.allowance(holder, spender), 7e8);
        assertEq(token.nonces(holder), 1);
        vm.expectRevert(); // replay
        token.permit(holder, spender, 7e8, deadline, v, r, s);
    }
}

contract MockAggregatorTest is Test {
    event AnswerUpdated(int256 indexed current, uint256 indexed roundId, uint256 updatedAt);

    MockAggregator internal feed;

    function setUp() public {
        vm.warp(1_700_000_000);
        feed = new MockAggregator(8, "ETH / USD", 3000e8);
    }

    function test_metadata() public view {
        assertEq(feed.decimals(), 8);
        assertEq(feed.description(), "ETH / USD");
        assertEq(feed.version(), 1);
        assertEq(feed.latestAnswer(), 3000e8);
    }

    function test_setAnswerPublishesNewRound() public {
        vm.warp(vm.getBlockTimestamp() + 60);
        vm.expectEmit(address(feed));
        emit AnswerUpdated(2900e8, 2, vm.getBlockTimestamp());
        feed.setAnswer(2900e8);
        (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound) =
            feed.latestRoundData();
        assertEq(roundId, 2);
        assertEq(answer, 2900e8);
        assertEq(startedAt, vm.getBlockTimestamp());
        assertEq(updatedAt, vm.getBlockTimestamp());
        assertEq(answeredInRound, 2);
    }

    function test_setAnswerAtAndRefresh() public {
        feed.setAnswerAt(-1, 123);
        (, int256 answer,, uint256 updatedAt,) = feed.latestRoundData();
        assertEq(answer, -1);
        assertEq(updatedAt, 123);
        feed.refresh();
        (uint80 roundId, int256 again,, uint256 refreshedAt,) = feed.latestRoundData();
        assertEq(roundId, 3);
        assertEq(again, -1, "refresh keeps the answer");
        assertEq(refreshedAt, vm.getBlockTimestamp());
    }

    function test_getRoundDataEchoesLatest() public view {
        (uint80 roundId, int256 answer,, uint256 updatedAt, uint80 answeredInRound) = feed.getRoundData(9);
        assertEq(roundId, 9);
        assertEq(answer, 3000e8);
        assertEq(updatedAt, vm.getBlockTimestamp());
        assertEq(answeredInRound, 9);
    }
}
