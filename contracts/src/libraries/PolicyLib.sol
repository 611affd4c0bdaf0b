// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {DeleveragePolicy, MarketConfig, PackedPolicy} from "./Types.sol";
import {ErrorsLib} from "./ErrorsLib.sol";
import {EventsLib} from "./EventsLib.sol";
import {PackedLib} from "./PackedLib.sol";

/// @title PolicyLib
/// @notice Borrowers' deleverage policies (docs/liquidation.md, R9): validation and storage. An external library, like
/// `ConfigLib`, so the market stays under the 24 KiB code-size limit; executions run in the market's liquidation core.
library PolicyLib {
    uint256 internal constant WAD = 1e18;

    /// @notice Stores `policy` as `account`'s policy under a new version (all fields 0 revokes it).
    /// @dev Refuses a trigger at or below 1, a target at or below the trigger, a bonus above the market's lowest soft
    /// bonus and a share outside (0, 1], each with its own error. Ratios must be whole millionths (`PackedLib`).
    /// @return version The new version; every earlier one can no longer be executed.
    function set(
        mapping(address account => PackedPolicy) storage policies,
        MarketConfig storage c,
        address account,
        DeleveragePolicy memory policy
    ) public returns (uint256 version) {
        PackedPolicy storage stored = policies[account];
        version = uint256(stored.version) + 1;
        bool revoke = policy.triggerHealth == 0 && policy.targetHealth == 0 && policy.maxBonus == 0
            && policy.maxShare == 0;
        if (!revoke) {
            if (policy.triggerHealth <= WAD) revert ErrorsLib.PolicyTriggerTooLow(policy.triggerHealth);
            if (policy.targetHealth <= policy.triggerHealth) {
                revert ErrorsLib.PolicyTargetTooLow(policy.targetHealth, policy.triggerHealth);
            }
            uint256 maxBonus = PackedLib.fromPpm(c.risk.softBonusMin);
            if (policy.maxBonus > maxBonus) revert ErrorsLib.PolicyBonusTooHigh(policy.maxBonus, maxBonus);
            if (policy.maxShare == 0 || policy.maxShare > WAD) revert ErrorsLib.PolicyShareOutOfRange(policy.maxShare);
        }
        policies[account] = PackedPolicy({
            triggerHealth: PackedLib.toPpm(policy.triggerHealth),
            targetHealth: PackedLib.toPpm(policy.targetHealth),
            maxBonus: PackedLib.toPpm(policy.maxBonus),
            maxShare: PackedLib.toPpm(policy.maxShare),
            // Cast is safe: one version per transaction at most 2^64 times.
            version: uint64(version)
        });
        emit EventsLib.DeleveragePolicySet(account, msg.sender, policy, version);
    }

    /// @notice `account`'s policy as WADs (all zeros: none) and its version.
    function get(mapping(address account => PackedPolicy) storage policies, address account)
        public
        view
        returns (DeleveragePolicy memory policy, uint256 version)
    {
        PackedPolicy memory p = policies[account];
        return (unpack(p), p.version);
    }

    /// @notice The stored policy as WADs.
    function unpack(PackedPolicy memory p) internal pure returns (DeleveragePolicy memory) {
        return DeleveragePolicy({
            triggerHealth: PackedLib.fromPpm(p.triggerHealth),
            targetHealth: PackedLib.fromPpm(p.targetHealth),
            maxBonus: PackedLib.fromPpm(p.maxBonus),
            maxShare: PackedLib.fromPpm(p.maxShare)
        });
    }
}
