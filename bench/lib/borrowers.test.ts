import { describe, expect, it } from "vitest";
import { AlertState, DEFAULT_BORROWER_MODEL, parseBorrowerModel, planBorrowers, responseDelaySeconds } from "./borrowers";

describe("borrower model", () => {
  it("splits the default population 30 / 40 / 30 and keeps 80% of alert-driven borrowers with spare collateral", () => {
    const plans = planBorrowers(20_000, 1, DEFAULT_BORROWER_MODEL);
    const share = (f: (p: (typeof plans)[number]) => boolean) => plans.filter(f).length / plans.length;
    expect(share((p) => p.behaviour === "never")).toBeCloseTo(0.3, 1);
    expect(share((p) => p.behaviour === "alerts")).toBeCloseTo(0.4, 1);
    expect(share((p) => p.behaviour === "policy")).toBeCloseTo(0.3, 1);
    const alerting = plans.filter((p) => p.behaviour === "alerts");
    expect(alerting.filter((p) => p.spare).length / alerting.length).toBeCloseTo(0.8, 1);
  });

  it("raising the never-act share only moves borrowers into 'never'", () => {
    const base = planBorrowers(2_000, 7, DEFAULT_BORROWER_MODEL);
    const more = planBorrowers(2_000, 7, { ...DEFAULT_BORROWER_MODEL, neverAct: 0.6 });
    base.forEach((p, i) => {
      if (p.behaviour === "never") expect(more[i]!.behaviour).toBe("never");
      if (more[i]!.behaviour !== "never") expect(more[i]!.behaviour).toBe(p.behaviour);
    });
    expect(planBorrowers(500, 7, { ...DEFAULT_BORROWER_MODEL, neverAct: 1 }).every((p) => p.behaviour === "never")).toBe(true);
    expect(planBorrowers(500, 7, { ...DEFAULT_BORROWER_MODEL, neverAct: 0 }).some((p) => p.behaviour === "never")).toBe(false);
  });

  it("draws response times log-normally around a 15-minute median, the same for a borrower in every market", () => {
    const delays = Array.from({ length: 4_001 }, (_, i) => responseDelaySeconds(3, i, "low", 1, DEFAULT_BORROWER_MODEL)).sort((a, b) => a - b);
    expect(delays[2_000]! / 60).toBeGreaterThan(13.5);
    expect(delays[2_000]! / 60).toBeLessThan(16.5);
    // sigma 1: the 84th percentile is e ≈ 2.72 times the median
    expect(delays[Math.round(4_000 * 0.8413)]! / delays[2_000]!).toBeGreaterThan(2.4);
    expect(delays[Math.round(4_000 * 0.8413)]! / delays[2_000]!).toBeLessThan(3.1);
    expect(responseDelaySeconds(3, 17, "underwater", 2, DEFAULT_BORROWER_MODEL)).toBe(responseDelaySeconds(3, 17, "underwater", 2, DEFAULT_BORROWER_MODEL));
    expect(responseDelaySeconds(3, 17, "underwater", 2, DEFAULT_BORROWER_MODEL)).not.toBe(responseDelaySeconds(3, 17, "low", 2, DEFAULT_BORROWER_MODEL));
  });

  it("fires each alert once per crossing and re-arms only 0.03 above its level", () => {
    const a = new AlertState(DEFAULT_BORROWER_MODEL);
    expect(a.observe(1.2)).toEqual([]);
    expect(a.observe(1.09)).toEqual(["low"]);
    expect(a.observe(1.105)).toEqual([]); // wobbling around 1.10: no repeat
    expect(a.observe(1.095)).toEqual([]);
    expect(a.observe(0.99)).toEqual(["underwater"]);
    expect(a.observe(1.01)).toEqual([]);
    expect(a.observe(0.98)).toEqual([]);
    expect(a.observe(1.2)).toEqual([]); // re-arms both
    expect(a.observe(0.9)).toEqual(["low", "underwater"]);
    expect(a.sent).toEqual({ low: 2, underwater: 2 });
  });

  it("parses overrides and refuses bad ones with the key and the rule", () => {
    expect(parseBorrowerModel(["neverAct=0.6", "responseMedianMinutes=30"])).toMatchObject({ neverAct: 0.6, responseMedianMinutes: 30 });
    expect(parseBorrowerModel(undefined)).toEqual(DEFAULT_BORROWER_MODEL);
    expect(() => parseBorrowerModel(["neverAct=1.5"])).toThrow(/neverAct must be a share from 0 to 1, got "1.5"/);
    expect(() => parseBorrowerModel(["nope=1"])).toThrow(/unknown key "nope"/);
    expect(() => parseBorrowerModel(["policyTarget=1.05"])).toThrow(/policyTarget must be above policyTrigger/);
    expect(() => parseBorrowerModel(["alertHealth="])).toThrow(/alertHealth must be/);
  });
});
