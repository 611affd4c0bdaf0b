import { BaseError, UserRejectedRequestError, encodeErrorResult, type Hex } from "viem";
import { describe, expect, it } from "vitest";
import { chainlinkOracleAbi, errorsLibAbi } from "./abis";
import { decodeRevertData, describeError } from "./errors";

const WETH = "0x0000000000000000000000000000000000000aaa" as const;
const ctx = {
  loan: { symbol: "USDC", decimals: 6 },
  tokens: { [WETH]: { symbol: "WETH", decimals: 18 } },
};

describe("decodeRevertData", () => {
  it("turns market errors into sentences with formatted amounts", () => {
    const data = encodeErrorResult({
      abi: errorsLibAbi,
      errorName: "InsufficientLiquidity",
      args: [1_500_000_000n, 1_000_000_000n],
    });
    expect(decodeRevertData(data, ctx)).toEqual({
      name: "InsufficientLiquidity",
      message: "The market can lend only 1000 USDC right now, less than the 1500 USDC asked for.",
      rejected: false,
    });
  });

  it("decodes oracle errors that bubble up through the market", () => {
    const data = encodeErrorResult({ abi: chainlinkOracleAbi, errorName: "StalePrice", args: [WETH, 1n, 3600n] });
    expect(decodeRevertData(data, ctx)?.message).toMatch(/price of WETH is out of date/);
  });

  it("returns undefined for data it does not know", () => {
    expect(decodeRevertData("0xdeadbeef" as Hex)).toBeUndefined();
  });
});

describe("describeError", () => {
  it("reports a refused wallet prompt as rejected", () => {
    const error = new BaseError("wrapped", { cause: new UserRejectedRequestError(new Error("User rejected")) });
    expect(describeError(error).rejected).toBe(true);
    expect(describeError({ code: 4001, message: "denied" }).rejected).toBe(true);
  });

  it("finds revert data nested in an RPC error", () => {
    const data = encodeErrorResult({ abi: errorsLibAbi, errorName: "BorrowPaused" });
    const rpcError = new BaseError("execution reverted", { cause: Object.assign(new Error("rpc"), { data }) });
    expect(describeError(rpcError)).toMatchObject({ name: "BorrowPaused", rejected: false });
  });
});
