import { describe, expect, it } from "vitest";
import { STANDARD_DECLINE } from "./bands";
import { makeSnapshot, units } from "./fixtures";
import { WAD } from "./math";
import { healthAtMultiplier } from "./netrisk";
import { NO_POLICY } from "./policy";
import { liquidationHealth } from "./position";
import { compareProtection, runAtTrigger } from "./protection";
import type { DeleveragePolicy } from "./types";

const ETH = (n: number) => units(n, 18);
const USDC = (n: number) => units(n, 6);
const ratio = (ppm: number) => BigInt(ppm) * 10n ** 12n;
// trigger 1.10, target 1.25, 0.3% (the devnet's softBonusMin), 25% of the debt per execution
const POLICY: DeleveragePolicy = { triggerHealth: ratio(1_100_000), targetHealth: ratio(1_250_000), maxBonus: ratio(3_000), maxShare: ratio(250_000) };
// 10 WETH at $3,000 (LT 0.85) against 20,000 USDC: HF 1.275
const s = makeSnapshot({ balances: { WETH: ETH(10) }, debt: USDC(20_000) });

describe("runAtTrigger", () => {
  it("moves the volatile prices down until health is just below the trigger, then executes there", () => {
    const r = runAtTrigger(s, POLICY);
    if (!r.ok) throw new Error(r.message);
    // 25,500 · m / 20,000 < 1.1 first below m = 0.8627…: a 13.7% fall, WETH at ≈ $2,588
    expect(Number(r.fall) / 1e18).toBeCloseTo(1 - 22_000 / 25_500, 12);
    expect(liquidationHealth(r.at).healthFactor).toBeLessThan(POLICY.triggerHealth);
    expect(healthAtMultiplier(s, [0], WAD - r.fall + 1n)).toBeGreaterThanOrEqual(POLICY.triggerHealth);
    expect(r.collateral).toBe(0);
    // Repaying to 1.25 would take (25,000 − 22,000) / (1.25 − 1.003 · 0.85) = 7,548 USDC: the 25% share caps it at 5,000.
    expect(r.outcome.repaid).toBe(USDC(5_000));
    expect(r.outcome.bonus).toBe(POLICY.maxBonus);
    expect(r.repaidValue).toBe(5_000n * WAD);
    // 0.3% of 5,000 USDC is $15, less the rounding down of the collateral's value
    expect(r.bonusValue).toBeLessThanOrEqual(15n * WAD);
    expect(r.bonusValue).toBeGreaterThan(15n * WAD - 10n ** 6n);
    // (22,000 − 5,015 · 0.85) / 15,000 = 1.1825
    expect(Number(r.outcome.healthAfter) / 1e18).toBeCloseTo(1.1825, 4);
  });

  it("repays exactly to the target when the share allows it", () => {
    const r = runAtTrigger(s, { ...POLICY, maxShare: WAD });
    if (!r.ok) throw new Error(r.message);
    expect(Number(r.outcome.repaid) / 1e6).toBeCloseTo(3_000 / (1.25 - 1.003 * 0.85), 0);
    expect(r.outcome.healthAfter).toBeLessThanOrEqual(POLICY.targetHealth);
    expect(r.outcome.healthAfter).toBeGreaterThan(POLICY.targetHealth - 10n ** 12n);
  });

  it("executes at today's prices when health is already below the trigger", () => {
    const below = makeSnapshot({ balances: { WETH: ETH(10) }, debt: USDC(24_000) }); // HF 1.0625
    const r = runAtTrigger(below, POLICY);
    if (!r.ok) throw new Error(r.message);
    expect(r.fall).toBe(0n);
    expect(r.at.market.collaterals[0]!.price).toBe(3_000n * WAD);
    expect(r.outcome.healthBefore).toBe(1_062_500_000_000_000_000n);
    expect(r.outcome.repaid).toBe(USDC(6_000));
  });

  it("says why it cannot: an invalid policy, none, no debt, the hard zone, a fall that never reaches the trigger", () => {
    expect(runAtTrigger(s, { ...POLICY, triggerHealth: WAD })).toMatchObject({ ok: false, reason: "INVALID_POLICY" });
    expect(runAtTrigger(s, NO_POLICY)).toMatchObject({ ok: false, reason: "NO_POLICY" });
    expect(runAtTrigger(makeSnapshot({ balances: { WETH: ETH(1) } }), POLICY)).toMatchObject({ ok: false, reason: "NO_DEBT" });
    const hard = makeSnapshot({ balances: { WETH: ETH(10) }, debt: USDC(30_000) }); // HF 0.85
    expect(runAtTrigger(hard, POLICY)).toMatchObject({ ok: false, reason: "HARD_ZONE" });
    expect(runAtTrigger(s, POLICY, [])).toMatchObject({ ok: false, reason: "NEVER_TRIGGERED" });
  });
});

describe("compareProtection", () => {
  it("a steady 10%/h fall: slices without the policy, executions instead of them with it", () => {
    const r = compareProtection(s, POLICY, STANDARD_DECLINE);
    if (!r.ok) throw new Error(r.message);
    const { without, with: protectedWalk } = r.comparison;
    expect(without.totals.softSlices).toBeGreaterThan(0);
    expect(without.totals.policyExecutions).toBe(0);
    // each execution lifts health above the trigger long before 1: no slice is ever allowed
    expect(protectedWalk.totals.policyExecutions).toBeGreaterThan(1);
    expect(protectedWalk.totals.softSlices + protectedWalk.totals.hardLiquidations).toBe(0);
    expect(protectedWalk.softStart).toBeNull();
    for (const e of protectedWalk.events) {
      expect(e.kind).toBe("policy");
      expect(e.healthBefore).toBeLessThan(POLICY.triggerHealth);
      expect(e.healthAfter).toBeGreaterThan(e.healthBefore);
      expect(e.bonus).toBe(POLICY.maxBonus);
    }
    // the first execution is at the first step of the walk past the trigger's fall
    const first = protectedWalk.events[0]!;
    const trigger = runAtTrigger(s, POLICY);
    if (!trigger.ok) throw new Error(trigger.message);
    const stepWad = 25n * 10n ** 14n; // 0.25%
    expect(first.multiplier).toBeLessThanOrEqual(WAD - trigger.fall);
    expect(first.multiplier + stepWad).toBeGreaterThan(WAD - trigger.fall);
    // the bonus is the policy's, below the auction's: what is paid above the debt is smaller per dollar repaid
    const perDollar = (t: { penalty: bigint; repaidValue: bigint }) => Number(t.penalty) / Number(t.repaidValue);
    expect(perDollar(protectedWalk.totals)).toBeLessThan(perDollar(without.totals));
  });

  it("refuses a policy the market would refuse", () => {
    expect(compareProtection(s, { ...POLICY, maxBonus: ratio(3_001) }, STANDARD_DECLINE)).toMatchObject({ ok: false, reason: "INVALID_POLICY" });
  });
});
