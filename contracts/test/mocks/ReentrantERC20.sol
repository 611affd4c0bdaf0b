// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @notice A token with a transfer hook (like ERC-777): on every transfer it calls back into `target` with
/// `payload` once, and records whether that inner call reverted and with what data.
contract ReentrantERC20 is ERC20 {
    address public target;
    bytes public payload;
    bool public armed;
    bool public innerReverted;
    bytes public innerRevertData;

    constructor() ERC20("Hook Token", "HOOK") {}

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    function arm(address target_, bytes calldata payload_) external {
        target = target_;
        payload = payload_;
        armed = true;
    }

    function _update(address from, address to, uint256 value) internal override {
        super._update(from, to, value);
        if (armed) {
            armed = false;
            (bool ok, bytes memory data) = target.call(payload);
            innerReverted = !ok;
            innerRevertData = data;
        }
    }
}
