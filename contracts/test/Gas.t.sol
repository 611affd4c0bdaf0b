// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {BaseTest} from "./utils/BaseTest.sol";
import {DeleveragePolicy} from "../src/libraries/Types.sol";

/// @notice Gas of each borrower and keeper action on an account holding two collaterals (WETH and WBTC), checked
/// against the committed `contracts/snapshots/market.json`: a test fails when its figure moves by more than
/// `GAS_TOLERANCE_BPS` either way. `npm test` runs forge with FORGE_SNAPSHOT_EMIT=false so the committed file is the
/// reference; `npm run bench:gas` (or a plain `forge test`) rewrites it after a deliberate change, to be committed,
/// and skips the comparison while it does.
/// @dev Each measured call starts from cold storage, as the first call of a real transaction would: setUp's writes
/// are committed, and every contract the call touches is cooled with `vm.cool` right before it. The figures are the
/// callee's execution gas; a transaction adds 21 000 intrinsic gas plus calldata (run with `--isolate` to see both).
/// Each scenario prepares its state in setUp so that `.gas-snapshot` (`forge snapshot`) times the action alone.
abstract contract GasBase is BaseTest {
    string internal constant GROUP = "market";
    string internal constant SNAPSHOT = "contracts/snapshots/market.json";
    /// @dev 2%: far above run-to-run noise (gas is deterministic for a given compiler and settings), far below a real
    /// regression such as an extra cold storage read or an external call.
    uint256 internal constant GAS_TOLERANCE_BPS = 200;

    function setUp() public virtual override {
        super.setUp();
        // A live market: another borrower, interest accruing, a non-empty insurance fund (so the measured accrual
        // updates it rather than paying for its first-ever write).
        _depositCollateral(bob, wbtc, 10e8);
        _borrow(bob, 100_000e6);
        _warp(1 days);
        _repay(bob, bob, 1e6);
        // The measured account: WETH and WBTC, 24 000 USDC of debt (HF ~1.06).
        _depositCollateral(alice, weth, 8e18); // 24 000
        _depositCollateral(alice, wbtc, 0.1e8); // 6 000
        _borrow(alice, 22_000e6);
        _fund(weth, alice, 1e18);
        _fund(usdc, alice, 1_000e6);
        _fund(usdc, keeper, 100_000e6);
        _warp(1 hours);
    }

    /// @dev Records the last call's gas under `name` and asserts it is within tolerance of the committed figure.
    function _checkGas(string memory name) internal {
        uint256 used = vm.snapshotGasLastCall(GROUP, name);
        // While forge writes the snapshot (a plain `forge test`, `npm run bench:gas`) the file is being rewritten
        // under us and is not a reference: the check runs when emission is off, as in `npm test`.
        if (vm.envOr("FORGE_SNAPSHOT_EMIT", true)) return;
        string memory committed = vm.readFile(SNAPSHOT);
        string memory key = string.concat("$['", name, "']");
        assertTrue(
            vm.keyExistsJson(committed, key), string.concat("no committed gas figure for '", name, "' in ", SNAPSHOT)
        );
        uint256 expected = vm.parseUint(vm.parseJsonString(committed, key));
        uint256 slack = expected * GAS_TOLERANCE_BPS / 10_000;
        assertLe(used, expected + slack, string.concat(name, ": gas above the committed snapshot + 2%"));
        assertGe(used, expected - slack, string.concat(name, ": gas below the committed snapshot - 2%; re-commit it"));
    }

    function _coolAll() internal {
        vm.cool(address(market));
        vm.cool(address(oracle));
        vm.cool(address(usdc));
        vm.cool(address(weth));
        vm.cool(address(wbtc));
        vm.cool(address(usdcFeed));
        vm.cool(address(wethFeed));
        vm.cool(address(wbtcFeed));
    }

    /// @dev WETH down to 2500: (17 000 + 4 680) / ~22 003 = HF ~0.985, the soft zone.
    function _toSoftZone() internal {
        _setPrice(wethFeed, 2500e8);
    }
}

contract GasBorrowerTest is GasBase {
    function test_gas_depositCollateral_topUp() public {
        _coolAll();
        vm.prank(alice);
        market.depositCollateral(address(weth), 1e18, alice);
        _checkGas("depositCollateral (top-up, 2 collaterals)");
    }

    function test_gas_withdrawCollateral() public {
        _coolAll();
        vm.prank(alice);
        market.withdrawCollateral(address(weth), 0.1e18, alice, alice);
        _checkGas("withdrawCollateral (2 collaterals, with debt)");
    }

    function test_gas_borrow() public {
        _coolAll();
        vm.prank(alice);
        market.borrow(500e6, alice, alice);
        _checkGas("borrow (2 collaterals)");
    }

    function test_gas_repay() public {
        _coolAll();
        vm.prank(alice);
        market.repay(1_000e6, alice);
        _checkGas("repay (partial)");
    }

    function test_gas_repayAll() public {
        _fund(usdc, alice, 25_000e6);
        _coolAll();
        vm.prank(alice);
        market.repay(type(uint256).max, alice);
        _checkGas("repay (max, all debt)");
    }
}

contract GasFlagTest is GasBase {
    function setUp() public override {
        super.setUp();
        _toSoftZone();
    }

    function test_gas_flag() public {
        _coolAll();
        vm.prank(keeper);
        market.flag(alice);
        _checkGas("flag");
    }
}

contract GasSoftSliceTest is GasBase {
    function setUp() public override {
        super.setUp();
        _toSoftZone();
        vm.prank(keeper);
        market.flag(alice);
        _warp(600);
    }

    /// @dev A keeper that already holds WETH (from an earlier slice) writes a non-zero balance: the steady state.
    function test_gas_softSlice_keeperHoldsCollateral() public {
        weth.mint(keeper, 1);
        _coolAll();
        vm.prank(keeper);
        market.liquidate(alice, address(weth), type(uint256).max, 0);
        _checkGas("liquidate (soft slice, keeper already holds WETH)");
    }

    function test_gas_softSlice() public {
        _coolAll();
        vm.prank(keeper);
        market.liquidate(alice, address(weth), type(uint256).max, 0);
        _checkGas("liquidate (soft slice, first WETH to the keeper)");
        (, uint256 lastSliceAt) = _clock(alice);
        assertEq(lastSliceAt, vm.getBlockTimestamp(), "measured a real slice");
    }
}

contract GasHardLiquidationTest is GasBase {
    function setUp() public override {
        super.setUp();
        _setPrice(wethFeed, 2000e8); // (13 600 + 4 680) / ~22 003 = HF ~0.83
    }

    function test_gas_hardLiquidation() public {
        _coolAll();
        vm.prank(keeper);
        market.liquidate(alice, address(weth), 5_000e6, 0);
        _checkGas("liquidate (hard)");
    }
}

contract GasDeleverageTest is GasBase {
    uint256 internal version;

    /// @dev Alice (HF ~1.14) runs a policy that triggers below 1.20, restores at most 1.30, pays 0.3% and repays up to
    /// 25% of the debt per execution.
    function setUp() public override {
        super.setUp();
        vm.prank(alice);
        version = market.setDeleveragePolicy(
            alice,
            DeleveragePolicy({triggerHealth: 1.2e18, targetHealth: 1.3e18, maxBonus: 0.003e18, maxShare: 0.25e18})
        );
        _warp(60);
    }

    /// @dev Compared with the soft slice's steady state: the executor already holds WETH.
    function test_gas_deleverage() public {
        weth.mint(keeper, 1);
        _coolAll();
        vm.prank(keeper);
        market.deleverage(alice, address(weth), type(uint256).max, 0, version);
        _checkGas("deleverage (policy execution, keeper already holds WETH)");
        assertGt(weth.balanceOf(keeper), 1, "measured a real execution");
    }

    /// @dev The same in SOFT (flagged, in its grace period), where slices are also possible.
    function test_gas_deleverage_soft() public {
        _toSoftZone();
        vm.prank(keeper);
        market.flag(alice);
        weth.mint(keeper, 1);
        _coolAll();
        vm.prank(keeper);
        market.deleverage(alice, address(weth), type(uint256).max, 0, version);
        _checkGas("deleverage (policy execution in SOFT, keeper already holds WETH)");
        assertGt(weth.balanceOf(keeper), 1, "measured a real execution");
    }

    function test_gas_setDeleveragePolicy() public {
        _coolAll();
        vm.prank(alice);
        market.setDeleveragePolicy(
            alice,
            DeleveragePolicy({triggerHealth: 1.15e18, targetHealth: 1.35e18, maxBonus: 0.002e18, maxShare: 0.5e18})
        );
        _checkGas("setDeleveragePolicy (change)");
    }
}
