import { describe, expect, it } from "vitest";
import { NO_POLICY, WAD, health, withChanges, type DeleveragePolicy } from "@/lib/risk";
import { makeSnapshot, units } from "@/lib/risk/fixtures";
import { describePolicy } from "@/lib/format/policy";
import { checkPolicy, initialFields, policyChange, protectionPreview, protectionStatus, protectionTitle, type PolicyFields } from "./protection";

const ETH = (n: number) => units(n, 18);
const USDC = (n: number) => units(n, 6);
const ppm = (n: number) => BigInt(n) * 10n ** 12n;
const POLICY: DeleveragePolicy = { triggerHealth: ppm(1_100_000), targetHealth: ppm(1_250_000), maxBonus: ppm(3_000), maxShare: ppm(250_000) };
// 10 WETH at $3,000 (LT 0.85) against 20,000 USDC: HF 1.275, on the devnet's soft parameters (lowest soft bonus 0.3%)
const s = makeSnapshot({ balances: { WETH: ETH(10) }, debt: USDC(20_000) });
const DEFAULTS: PolicyFields = { trigger: "1.10", target: "1.25", bonus: "0.3", share: "25" };

describe("the protection form", () => {
  it("starts from the defaults, or from the policy in force so that it can be changed", () => {
    expect(initialFields(s)).toEqual(DEFAULTS);
    const on = makeSnapshot({ balances: { WETH: ETH(10) }, debt: USDC(20_000), policy: { ...POLICY, targetHealth: ppm(1_234_567), maxBonus: ppm(2_500) } });
    expect(initialFields(on)).toEqual({ trigger: "1.1", target: "1.234567", bonus: "0.25", share: "25" });
    expect(checkPolicy(on, initialFields(on))).toMatchObject({ ok: true, unchanged: true });
  });

  it("reads the four fields into the policy the market stores, a decimal comma as a decimal mark", () => {
    expect(checkPolicy(s, DEFAULTS)).toEqual({ ok: true, policy: POLICY, unchanged: false });
    expect(checkPolicy(s, { trigger: "1,1", target: "1,25", bonus: "0,3", share: "25" })).toEqual({ ok: true, policy: POLICY, unchanged: false });
    expect(checkPolicy(s, { ...DEFAULTS, share: "100", bonus: "0.0001" })).toMatchObject({ ok: true, policy: { maxShare: WAD, maxBonus: ppm(1) } });
  });

  it("refuses what the market would refuse, naming the field, in the contract's order", () => {
    const refused = (fields: Partial<PolicyFields>) => checkPolicy(s, { ...DEFAULTS, ...fields });
    expect(refused({ trigger: "1" })).toEqual({
      ok: false,
      field: "trigger",
      message: "The trigger health must be above 1: below 1 the position is in the soft zone, where the market's own slices take over.",
    });
    expect(refused({ trigger: "0", target: "0", bonus: "0", share: "0" })).toMatchObject({ ok: false, field: "trigger" });
    expect(refused({ target: "1.1" })).toEqual({
      ok: false,
      field: "target",
      message: "The target health (1.10) must be above the trigger (1.10): each execution brings health back up towards it.",
    });
    expect(refused({ bonus: "0.31" })).toEqual({ ok: false, field: "bonus", message: "The bonus may be at most 0.3%, the lowest bonus a soft slice pays on this market." });
    expect(refused({ share: "0" })).toEqual({ ok: false, field: "share", message: "The share of the debt per execution must be above 0% and at most 100%." });
    expect(refused({ share: "100.5" })).toMatchObject({ ok: false, field: "share" });
    // the trigger's problem is said first, as the contract checks it first
    expect(refused({ trigger: "0.9", target: "0.8", share: "0" })).toMatchObject({ field: "trigger" });
  });

  it("refuses what is not a figure in whole millionths, with the app's wording", () => {
    const refused = (fields: Partial<PolicyFields>) => checkPolicy(s, { ...DEFAULTS, ...fields });
    expect(refused({ trigger: "" })).toEqual({ ok: false, field: "trigger", message: "Enter the trigger health, like 1.10." });
    expect(refused({ share: " " })).toEqual({ ok: false, field: "share", message: "Enter the share of the debt per execution, like 25%." });
    expect(refused({ target: "abc" })).toEqual({ ok: false, field: "target", message: "Enter a number, like 1.25." });
    expect(refused({ bonus: "-0.1" })).toEqual({ ok: false, field: "bonus", message: "The bonus cannot be negative." });
    expect(refused({ trigger: "1.1000001" })).toEqual({ ok: false, field: "trigger", message: "The trigger health takes at most 6 decimals: the market stores whole millionths." });
    expect(refused({ bonus: "0.00001" })).toEqual({ ok: false, field: "bonus", message: "The bonus takes at most 4 decimals in %: the market stores whole millionths." });
    expect(refused({ trigger: "1,100" })).toMatchObject({ ok: false, field: "trigger", message: expect.stringMatching(/could be read two ways/) });
    expect(refused({ target: "19" })).toEqual({ ok: false, field: "target", message: "The target health is too large." });
  });

  it("notes that a 0% bonus pays no keeper", () => {
    expect(checkPolicy(s, { ...DEFAULTS, bonus: "0" })).toMatchObject({ ok: true, note: expect.stringMatching(/nobody is paid to run it/) });
  });
});

describe("the policy in words", () => {
  it("says the rule in plain words", () => {
    expect(describePolicy(POLICY)).toBe(
      "If health falls below 1.10, anyone may repay up to 25% of your debt at a time for your collateral at a 0.3% bonus, until health is back at 1.25. It never runs in the hard zone and never lowers your health.",
    );
  });

  it("tells the page's readers whether protection is on, and whether it may run at the health shown", () => {
    expect(protectionStatus(s, health(s), false)).toEqual({ on: false, text: "Automatic protection: off" });
    const on = { ...s, policy: POLICY, policyVersion: 1n };
    const rule = "Automatic protection: on — below 1.10 → back to 1.25, 0.3% bonus, at most 25% of the debt per execution.";
    expect(protectionStatus(on, health(on), false)).toEqual({ on: true, text: rule });
    // WETH at $2,550: health 1.08375, under the trigger
    const lower = withChanges(on, { prices: [2_550n * WAD, 3_500n * WAD, 60_000n * WAD] });
    expect(protectionStatus(lower, health(lower), false).text).toBe(`${rule} Health is below its trigger now: anyone may execute it.`);
    expect(protectionStatus(lower, health(lower), true).text).toBe(`${rule} At these prices health is below its trigger: anyone could execute it.`);
    // in HARD it never runs
    const hard = withChanges(on, { prices: [2_000n * WAD, 3_500n * WAD, 60_000n * WAD] });
    expect(protectionStatus(hard, health(hard), false).text).toBe(rule);
  });

  it("previews one execution at the trigger and the standard decline with and without it", () => {
    const preview = protectionPreview(s, POLICY);
    // 25,500 · m / 20,000 < 1.1 below m = 0.8627: a 13.7% fall; the 25% share caps the repay at 5,000 USDC
    expect(preview.atTrigger).toBe(
      "If WETH fell 13.7%, health would reach the trigger; one execution would repay 5,000 USDC for 1.9376 WETH ($5,014.99): a $14.99 bonus, and health 1.099 → 1.182.",
    );
    expect(preview.decline).toMatch(
      /^If every volatile collateral fell 10% per hour: without protection, \d+ slices would sell \$[\d,]+ for a \$[\d,]+ penalty; with it, \d+ executions would sell \$[\d,]+ for \$[\d,]+ paid above the debt repaid\.$/,
    );
  });

  it("says when it would run at once, and when it has nothing to do", () => {
    const below = makeSnapshot({ balances: { WETH: ETH(10) }, debt: USDC(24_000) }); // HF 1.0625
    expect(protectionPreview(below, POLICY).atTrigger).toMatch(/^Health is 1\.062 now, below this trigger: as soon as it is set, anyone may repay 6,000 USDC/);
    const noDebt = makeSnapshot({ balances: { WETH: ETH(1) } });
    expect(protectionPreview(noDebt, POLICY)).toEqual({ atTrigger: "With no debt, there is nothing for it to repay.", decline: null });
  });

  it("names the transaction by what it does", () => {
    expect(protectionTitle(s, POLICY)).toBe("Turn on automatic protection");
    const on = { ...s, policy: POLICY, policyVersion: 1n };
    expect(protectionTitle(on, { ...POLICY, maxShare: WAD })).toBe("Change automatic protection");
    expect(protectionTitle(on, NO_POLICY)).toBe("Turn off automatic protection");
  });
});

describe("a policy setting in the history", () => {
  it("is turned on, changed or turned off according to what it replaced", () => {
    expect(policyChange(POLICY, null, 4n)).toBe("on");
    expect(policyChange(POLICY, undefined, 1n)).toBe("on");
    expect(policyChange(POLICY, NO_POLICY, 3n)).toBe("on");
    expect(policyChange(POLICY, { ...POLICY, maxShare: WAD }, 2n)).toBe("changed");
    expect(policyChange(NO_POLICY, POLICY, 2n)).toBe("off");
    // replaced something on an older page that is not loaded
    expect(policyChange(POLICY, undefined, 5n)).toBe("set");
  });
});
