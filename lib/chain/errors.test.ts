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
      message: "The market can lend only 1,000 USDC right now, less than the 1,500 USDC asked for.",
      rejected: false,
    });
  });

  it("decodes oracle errors that bubble up through the market", () => {
    const data = encodeErrorResult({ abi: chainlinkOracleAbi, errorName: "StalePrice", args: [WETH, 1n, 3600n] });
    expect(decodeRevertData(data, ctx)?.message).toMatch(/price of WETH is out of date/);
  });

  it("words the liquidation rules' new refusals with their numbers", () => {
    const small = encodeErrorResult({ abi: errorsLibAbi, errorName: "SliceTooSmall", args: [100_000_000n, 2_500_500_000n] });
    expect(decodeRevertData(small, ctx)?.message).toBe(
      "A soft slice must repay at least 2,500.5 USDC (half of what the position's largest collateral could repay now), not 100 USDC.",
    );
    const raise = encodeErrorResult({ abi: errorsLibAbi, errorName: "CannotRaiseHealth", args: [WETH, 848_000_000_000_000_000n, 850_000_000_000_000_000n] });
    expect(decodeRevertData(raise, ctx)?.message).toBe(
      "At health 0.848, selling WETH (liquidation threshold 0.85) would lower health even without a bonus; liquidate another collateral.",
    );
    const lapsed = encodeErrorResult({ abi: errorsLibAbi, errorName: "FlagLapsed", args: [1_700_000_000n] });
    expect(decodeRevertData(lapsed, ctx)?.message).toMatch(/flag lapsed at 2023-11-14 22:13:20 UTC .* new grace period/);
    const notReady = encodeErrorResult({ abi: errorsLibAbi, errorName: "ChangeNotReady", args: [1_700_000_000n] });
    expect(decodeRevertData(notReady, ctx)?.message).toMatch(/applied from 2023-11-14 22:13:20 UTC, after its public delay/);
  });

  it("words the refusals of a protection policy (R9) with their figures", () => {
    const say = (errorName: string, args: readonly bigint[]) =>
      decodeRevertData(encodeErrorResult({ abi: errorsLibAbi, errorName, args } as never), ctx)?.message;
    expect(say("PolicyTriggerTooLow", [10n ** 18n])).toBe(
      "The protection trigger (health 1) must be above 1: below 1 the position is in the soft zone, where the market's own slices apply.",
    );
    expect(say("PolicyTargetTooLow", [105n * 10n ** 16n, 11n * 10n ** 17n])).toBe("The protection target (health 1.05) must be above its trigger (1.1).");
    expect(say("PolicyBonusTooHigh", [5n * 10n ** 15n, 3n * 10n ** 15n])).toBe(
      "A protection bonus of 0.5% is above 0.3%, the lowest bonus a soft slice pays on this market.",
    );
    expect(say("PolicyShareOutOfRange", [0n])).toBe("The share of the debt per execution must be above 0% and at most 100%, not 0%.");
    expect(say("PolicyChanged", [2n, 3n])).toMatch(/version 2 was sent, 3 is in force/);
    expect(say("PolicyNotTriggered", [1_234_000_000_000_000_000n, 11n * 10n ** 17n])).toMatch(/^Health 1\.234 is not below the protection trigger \(1\.1\)/);
  });

  it("shows the whole ratio that is finer than the market stores", () => {
    const data = encodeErrorResult({ abi: errorsLibAbi, errorName: "RatioNotWholePpm", args: [867_000_000_000_000_001n] });
    expect(decodeRevertData(data, ctx)?.message).toBe(
      "0.867000000000000001 is finer than the market stores: ratios are set in whole millionths (such as 0.825 or 0.004125).",
    );
  });

  it("decodes a feed that does not answer", () => {
    const data = encodeErrorResult({ abi: chainlinkOracleAbi, errorName: "FeedReverted", args: [WETH] });
    expect(decodeRevertData(data, ctx)?.message).toBe("The price feed of WETH does not answer.");
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
