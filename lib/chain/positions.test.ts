import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeFunctionResult, encodeFunctionResult, getAddress, type Address } from "viem";
import { softLandingLensAbi } from "./abis";
import { decodePositionsView } from "./positions";

const uint256 = fc.bigInt({ min: 0n, max: 2n ** 256n - 1n });
const uint64 = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });
const address = fc.uint8Array({ minLength: 20, maxLength: 20 }).map((b) => getAddress(`0x${Buffer.from(b).toString("hex")}`) as Address);

const positionsView = fc.integer({ min: 0, max: 8 }).chain((collaterals) =>
  fc.record({
    blockNumber: uint256,
    timestamp: uint256,
    loanPrice: uint256,
    collateralPrices: fc.array(uint256, { minLength: collaterals, maxLength: collaterals }),
    accounts: fc.array(
      fc.record({
        account: address,
        debt: uint256,
        healthFactor: uint256,
        healthOk: fc.boolean(),
        zone: fc.integer({ min: 0, max: 2 }),
        flaggedAt: uint256,
        lastSliceAt: uint256,
        balances: fc.array(uint256, { minLength: collaterals, maxLength: collaterals }),
        policy: fc.record({ triggerHealth: uint64, targetHealth: uint64, maxBonus: uint64, maxShare: uint64 }),
        policyVersion: uint256,
      }),
      { maxLength: 12 },
    ),
    collateralLastPrices: fc.array(uint256, { minLength: collaterals, maxLength: collaterals }),
  }),
);

describe("decodePositionsView", () => {
  it("decodes exactly what viem decodes from the generated Lens ABI", () => {
    fc.assert(
      fc.property(positionsView, (view) => {
        const data = encodeFunctionResult({ abi: softLandingLensAbi, functionName: "getPositions", result: view });
        const reference = decodeFunctionResult({ abi: softLandingLensAbi, functionName: "getPositions", data });
        expect(decodePositionsView(data, view.accounts.map((a) => a.account))).toEqual(reference);
      }),
      { numRuns: 200 },
    );
  });

  it("rejects results that do not answer the request", () => {
    const view = {
      blockNumber: 1n,
      timestamp: 2n,
      loanPrice: 3n,
      collateralPrices: [4n],
      accounts: [{ account: getAddress("0x00000000000000000000000000000000000000aa"), debt: 1n, healthFactor: 1n, healthOk: true, zone: 0, flaggedAt: 0n, lastSliceAt: 0n, balances: [5n], policy: { triggerHealth: 0n, targetHealth: 0n, maxBonus: 0n, maxShare: 0n }, policyVersion: 0n }],
      collateralLastPrices: [4n],
    };
    const data = encodeFunctionResult({ abi: softLandingLensAbi, functionName: "getPositions", result: view });
    expect(() => decodePositionsView(data, [])).toThrow(/1 accounts for 0 requested/);
    expect(() => decodePositionsView(data, [getAddress("0x00000000000000000000000000000000000000bb")])).toThrow(/out of order/);
    expect(() => decodePositionsView(data.slice(0, -64) as `0x${string}`, [view.accounts[0]!.account])).toThrow(/truncated/);
  });
});
