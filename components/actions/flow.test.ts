import { describe, expect, it } from "vitest";
import { makeSnapshot, units } from "@/lib/risk/fixtures";
import { ANVIL_ACCOUNTS } from "@/lib/chain/devnet";
import { NO_POLICY } from "@/lib/risk";
import { flowFor, intentTitle, protectionFlowFor } from "./flow";

describe("flow wording", () => {
  it("names each step of an open by what it does", () => {
    const s = makeSnapshot();
    const intent = { kind: "open", deposits: [units(2, 18), 0n, units(5, 7)], borrow: 32_099_990_000n } as const;
    expect(intentTitle(s, intent)).toBe("Open position: borrow 32,099.99 USDC");
    const steps = flowFor(s, ANVIL_ACCOUNTS[3]!.address, intent).calls.map((step) => step.label);
    expect(steps).toEqual(["Deposit 2 WETH (1/3)", "Deposit 0.5 WBTC (2/3)", "Borrow 32,099.99 USDC (3/3)"]);
    expect(flowFor(s, ANVIL_ACCOUNTS[3]!.address, { kind: "borrow", amount: 1n }).calls.map((step) => step.label)).toEqual(["Borrow 0.000001 USDC"]);
  });

  it("names a protection change by what it does, one call", () => {
    const policy = { triggerHealth: 11n * 10n ** 17n, targetHealth: 125n * 10n ** 16n, maxBonus: 3n * 10n ** 15n, maxShare: 25n * 10n ** 16n };
    const owner = ANVIL_ACCOUNTS[3]!.address;
    expect(protectionFlowFor(makeSnapshot(), owner, policy).calls.map((step) => step.label)).toEqual(["Turn on automatic protection"]);
    const on = makeSnapshot({ policy });
    expect(protectionFlowFor(on, owner, { ...policy, maxShare: 10n ** 18n }).title).toBe("Change automatic protection");
    expect(protectionFlowFor(on, owner, NO_POLICY).calls[0]!.call!.args).toEqual([owner, NO_POLICY]);
  });
});
