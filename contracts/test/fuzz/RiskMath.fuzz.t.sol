// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {Test} from "forge-std/Test.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {RiskMath} from "../../src/libraries/RiskMath.sol";
import {InterestRateLib} from "../../src/libraries/InterestRateLib.sol";
import {RateModel, RiskParams, Zone} from "../../src/libraries/Types.sol";
import {DevnetConfig} from "../../script/DevnetConfig.sol";

/// @notice Properties of the pure math, independent of any market state.
contract RiskMathFuzzTest is Test {
    uint256 internal constant WAD = 1e18;

    function testFuzz_health_isPowerOverDebtRoundedDown(uint256 power, uint256 debtValue) public pure {
        power = bound(power, 0, 1e40);
        debtValue = bound(debtValue, 1, 1e40);
        uint256 hf = RiskMath.healthFactor(power, debtValue);
        // hf * debt <= power * WAD < (hf + 1) * debt
        assertLe(hf * debtValue, power * WAD);
        assertGt((hf + 1) * debtValue, power * WAD);
        assertEq(RiskMath.healthFactor(power, 0), type(uint256).max);
    }

    function testFuzz_zone_partitionsHealth(uint256 hf) public pure {
        Zone z = RiskMath.zoneOf(hf, 0.95e18);
        if (hf >= WAD) assertEq(uint8(z), uint8(Zone.HEALTHY));
        else if (hf >= 0.95e18) assertEq(uint8(z), uint8(Zone.SOFT));
        else assertEq(uint8(z), uint8(Zone.HARD));
    }

    function testFuzz_values_roundInProtocolsFavour(uint256 amount, uint256 price, uint8 decimals) public pure {
        amount = bound(amount, 0, 1e30);
        price = bound(price, 1, 1e30);
        decimals = uint8(bound(decimals, 0, 36));
        uint256 down = RiskMath.collateralValue(amount, price, decimals);
        uint256 up = RiskMath.debtValue(amount, price, decimals);
        assertLe(down, up);
        assertLe(up - down, 1);
        assertLe(down * 10 ** decimals, amount * price);
        assertGe(up * 10 ** decimals, amount * price);
    }

    function testFuzz_softBonus_auctionOverDepthAndTime(uint256 hfA, uint256 hfB, uint256 tA, uint256 tB) public pure {
        RiskParams memory p = DevnetConfig.softRiskParams();
        hfA = bound(hfA, p.hardHealth, WAD - 1);
        hfB = bound(hfB, hfA, WAD - 1);
        tA = bound(tA, 0, 2 days);
        tB = bound(tB, 0, tA);
        uint256 dA = RiskMath.depth(hfA, p.hardHealth);
        uint256 dB = RiskMath.depth(hfB, p.hardHealth);
        assertGe(dA, dB, "depth grows as health falls");
        uint256 bA = RiskMath.softBonus(dA, tA, p);
        uint256 bB = RiskMath.softBonus(dB, tB, p);
        assertGe(bA, p.softBonusMin);
        assertLe(bA, p.softBonusMax);
        assertGe(bA, bB, "deeper or later never pays a smaller bonus");
        assertEq(RiskMath.softBonus(RiskMath.depth(p.hardHealth, p.hardHealth), 0, p), p.softBonusMax);
        assertEq(RiskMath.softBonus(0, p.bonusRamp, p), p.softBonusMax, "the ramp reaches the ceiling");
        assertEq(RiskMath.softBonus(0, 0, p), p.softBonusMin, "an auction at HF 1 opens at the floor");
    }

    /// @dev The hard bonus always satisfies (1 + b) * lt <= hf, so a hard liquidation never lowers health, and
    /// takes the full hardBonus when health allows it.
    function testFuzz_hardBonus_neverLowersHealth(uint256 hf, uint256 lt) public pure {
        RiskParams memory p = DevnetConfig.softRiskParams();
        hf = bound(hf, 0.01e18, p.hardHealth);
        lt = bound(lt, 0.01e18, 0.92e18);
        (uint256 b, bool ok) = RiskMath.hardBonusFor(hf, lt, p.hardBonus);
        assertLe(b, p.hardBonus);
        if (ok) {
            assertLe((WAD + b) * lt / WAD, hf, "(1 + b) * lt <= hf");
        } else {
            assertGt(lt, hf * (WAD - RiskMath.HEALTH_MARGIN) / WAD, "refused only when even b = 0 cannot help");
        }
        if (hf * (WAD - RiskMath.HEALTH_MARGIN) / WAD >= (WAD + p.hardBonus) * lt / WAD + lt / 1e15 + 1) {
            assertEq(b, p.hardBonus);
        }
    }

    function testFuzz_depthScaling_monotone(uint256 hf) public pure {
        RiskParams memory p = DevnetConfig.softRiskParams();
        hf = bound(hf, p.hardHealth, WAD);
        uint256 d = RiskMath.depth(hf, p.hardHealth);
        assertLe(RiskMath.intervalAtDepth(d, p.sliceInterval), p.sliceInterval);
        assertGe(RiskMath.shareAtDepth(d, p.sliceCap), p.sliceCap);
        assertLe(RiskMath.shareAtDepth(d, p.sliceCap), WAD);
        assertEq(RiskMath.intervalAtDepth(WAD, p.sliceInterval), 0);
        assertEq(RiskMath.shareAtDepth(WAD, p.sliceCap), WAD);
    }

    /// @dev Applying the target repay through collateral `lt` lands at or just below targetHealth.
    function testFuzz_repayToTarget_neverOvershoots(uint256 debtValue, uint256 hf, uint256 lt, uint256 bonus)
        public
        pure
    {
        RiskParams memory p = DevnetConfig.softRiskParams();
        debtValue = bound(debtValue, 1e18, 1e30);
        hf = bound(hf, p.hardHealth, WAD - 1);
        bonus = bound(bonus, p.softBonusMin, p.softBonusMax);
        uint256 onePlusBonus = WAD + bonus;
        // Validation guarantees (1 + softBonusMax) * lt < hardHealth <= hf for every listed lt
        // (docs/liquidation.md (5)); the bound is that guarantee, not the weaker (1 + b) * lt < hf.
        lt = bound(lt, 0.1e18, Math.mulDiv(p.hardHealth, WAD, WAD + p.softBonusMax) - 1);
        uint256 power = debtValue * hf / WAD;
        uint256 r = RiskMath.repayToTargetValue(power, debtValue, p.targetHealth, onePlusBonus, lt);
        assertGt(r, 0);
        // Exact collateral power leaving with the seized value (rounded against the borrower).
        uint256 newPower = power - Math.mulDiv(r, onePlusBonus * lt, WAD * WAD, Math.Rounding.Ceil);
        uint256 newDebt = debtValue - r;
        uint256 newHf = RiskMath.healthFactor(newPower, newDebt);
        assertLe(newHf, p.targetHealth, "never past the target");
        assertGt(newHf, hf, "and always up");
    }

    /// @dev seized = floor(floor(floor(repay * pl / 10^ld) * (1 + b) / WAD) * 10^cd / pc): the exact floor at each step.
    function testFuzz_seized_roundsDown(
        uint256 repay,
        uint256 loanPrice,
        uint256 bonus,
        uint256 collateralPrice,
        uint8 collateralDecimals
    ) public pure {
        repay = bound(repay, 1, 1e18); // up to 1e12 USDC
        loanPrice = bound(loanPrice, 0.5e18, 2e18);
        bonus = bound(bonus, 0, 0.2e18);
        collateralPrice = bound(collateralPrice, 1e12, 1e24);
        collateralDecimals = uint8(bound(collateralDecimals, 0, 24));
        uint256 seized = RiskMath.seizedFor(repay, loanPrice, 6, WAD + bonus, collateralPrice, collateralDecimals);
        uint256 repayValue = repay * loanPrice / 1e6;
        uint256 seizedValueAllowed = repayValue * (WAD + bonus) / WAD;
        // The value of what is seized never exceeds repay value * (1 + b) ...
        assertLe(seized * collateralPrice, seizedValueAllowed * 10 ** collateralDecimals);
        // ... and one more unit would.
        assertGt((seized + 1) * collateralPrice, seizedValueAllowed * 10 ** collateralDecimals);
        // Never more than the exact real-number amount.
        uint256 exactFloor = Math.mulDiv(
            repay * loanPrice, (WAD + bonus) * 10 ** collateralDecimals, 1e6 * WAD * collateralPrice
        );
        assertLe(seized, exactFloor);
    }

    function testFuzz_compound_betweenSimpleAndExponential(uint256 ratePerYear, uint256 elapsed) public pure {
        ratePerYear = bound(ratePerYear, 0, 10e18);
        elapsed = bound(elapsed, 0, 365 days);
        uint256 r = ratePerYear / 365 days;
        uint256 growth = InterestRateLib.compound(r, elapsed);
        uint256 rt = r * elapsed;
        // Bernoulli: (1 + r)^t >= 1 + r t; the per-step rounding can cost at most ~1 wei per squaring.
        assertGe(growth + 64, WAD + rt, "at least simple interest");
        // (1 + r)^t <= e^(rt) <= 1 + rt + (rt)^2 / 2 * e^(rt); for rt <= 10, e^(rt) < 22027.
        uint256 quadratic = rt * rt / WAD;
        assertLe(growth, WAD + rt + quadratic * 11_014, "below the exponential");
        if (rt <= 0.1e18) assertLe(growth, WAD + rt + quadratic * 6 / 10 + 1, "tight for small rt");
    }

    function testFuzz_compound_monotoneInTime(uint256 r, uint256 t1, uint256 t2) public pure {
        r = bound(r, 0, uint256(10e18) / 365 days);
        t1 = bound(t1, 0, 2 * 365 days);
        t2 = bound(t2, t1, 2 * 365 days);
        assertLe(InterestRateLib.compound(r, t1), InterestRateLib.compound(r, t2));
        assertGe(InterestRateLib.compound(r, t1), WAD);
    }

    function testFuzz_rateCurve_continuousAndMonotone(uint256 u1, uint256 u2) public pure {
        RateModel memory m = DevnetConfig.rateModel();
        u1 = bound(u1, 0, WAD);
        u2 = bound(u2, u1, WAD);
        assertLe(InterestRateLib.borrowRatePerYear(m, u1), InterestRateLib.borrowRatePerYear(m, u2));
        assertEq(InterestRateLib.borrowRatePerYear(m, m.kink), m.baseRate + m.slope1);
        assertEq(InterestRateLib.borrowRatePerYear(m, WAD), uint256(m.baseRate) + m.slope1 + m.slope2);
    }

    function testFuzz_utilization_bounded(uint256 debt, uint256 supplied) public pure {
        debt = bound(debt, 0, 1e30);
        supplied = bound(supplied, 0, 1e30);
        uint256 u = InterestRateLib.utilization(debt, supplied);
        assertLe(u, WAD);
        if (supplied != 0 && debt < supplied) assertEq(u, debt * WAD / supplied);
    }
}
