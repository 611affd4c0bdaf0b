import type { ContractFunctionReturnType } from "viem";
import { describe, expectTypeOf, it } from "vitest";
import type { softLandingLensAbi } from "@/lib/chain/abis";
import type { PositionSnapshot } from "./types";

type LensPosition = ContractFunctionReturnType<typeof softLandingLensAbi, "view", "getPosition">;

describe("PositionSnapshot", () => {
  it("accepts the Lens getPosition result exactly as viem decodes it (checked by tsc)", () => {
    expectTypeOf<LensPosition>().toExtend<PositionSnapshot>();
  });
});
