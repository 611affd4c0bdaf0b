import { describe, expect, it } from "vitest";
import { makeSnapshot, units } from "@/lib/risk/fixtures";
import { intentStepNames, intentTitle } from "./flow";

describe("flow wording", () => {
  it("names each step of an open by what it does", () => {
    const s = makeSnapshot();
    const intent = { kind: "open", deposits: [units(2, 18), 0n, units(5, 7)], borrow: 32_099_990_000n } as const;
    expect(intentTitle(s, intent)).toBe("Open position: borrow 32,099.99 USDC");
    expect(intentStepNames(s, intent)).toEqual(["Deposit 2 WETH", "Deposit 0.5 WBTC", "Borrow 32,099.99 USDC"]);
    expect(intentStepNames(s, { kind: "borrow", amount: 1n })).toBeUndefined();
  });
});
