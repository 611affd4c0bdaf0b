/**
 * What the keeper does about one account, decided by the risk engine (`lib/risk`) from the same numbers the market
 * will use: the Lens `getMarket` view plus the account's `getPositions` summary, read at one block.
 */
import type { Address } from "viem";
import {
  Zone,
  applyDeleverage,
  chooseLiquidationCollateral,
  choosePolicyCollateral,
  flagLive,
  health,
  liquidationHealth,
  liquidationTimers,
  previewLiquidation,
  type PositionSnapshot,
} from "../lib/risk";

export type ActionKind = "flag" | "unflag" | "softSlice" | "hardLiquidation" | "deleverage";

/** A repay-for-collateral transaction: a slice, a hard liquidation or a policy execution. */
interface Execution {
  account: Address;
  healthFactor: bigint;
  collateral: Address;
  collateralSymbol: string;
  /** The repay the preview allows at the read block. */
  repay: bigint;
  /** Sent as `maxRepay`: a little above `repay`, because the cap grows with the interest accrued until the
   * transaction lands; the market never takes more than its own cap. */
  maxRepay: bigint;
  expectedSeized: bigint;
  minSeized: bigint;
  bonus: bigint;
}

export type Decision =
  | { kind: "none" }
  | { kind: "priceUnavailable" }
  /** Flagged and SOFT, but the grace period or slice interval still runs. */
  | { kind: "wait"; until: bigint }
  | { kind: "flag"; account: Address; healthFactor: bigint }
  | { kind: "unflag"; account: Address; healthFactor: bigint }
  | ({ kind: "softSlice" | "hardLiquidation" } & Execution)
  /** An execution of the borrower's own deleverage policy (docs/liquidation.md R9). */
  | ({
      kind: "deleverage";
      /** The policy version read; a policy changed or revoked before the transaction lands makes it revert. */
      version: bigint;
    } & Execution);

/** The collateral a liquidation may yield below the preview (interest accrues and prices move before it lands). */
export const DEFAULT_SEIZED_TOLERANCE_BPS = 100n;
/** Headroom on `maxRepay` for interest accrued between the read and the transaction (0.1%). Without it a full
 * hard liquidation leaves a few wei of debt behind. */
const INTEREST_HEADROOM_BPS = 10n;

/** The figures of a repay-for-collateral transaction through collateral `index`, sized from what the engine expects. */
function execution(
  snapshot: PositionSnapshot,
  healthFactor: bigint,
  index: number,
  expected: { repay: bigint; seized: bigint; bonus: bigint },
  toleranceBps: bigint,
): Execution {
  const collateral = snapshot.market.collaterals[index]!;
  return {
    account: snapshot.account,
    healthFactor,
    collateral: collateral.asset,
    collateralSymbol: collateral.symbol,
    repay: expected.repay,
    maxRepay: expected.repay + (expected.repay * INTEREST_HEADROOM_BPS) / 10_000n + 1n,
    expectedSeized: expected.seized,
    minSeized: (expected.seized * (10_000n - toleranceBps)) / 10_000n,
    bonus: expected.bonus,
  };
}


/**
 * The one action worth sending for this account now, if any:
 * below its deleverage policy's trigger (and not HARD) → an execution of the policy, before anything else: it is
 * what the borrower chose, cheaper than any slice, and it clears a flag once health is back at 1;
 * HEALTHY and flagged → unflag; SOFT and not flagged → flag; SOFT, flagged and past grace and interval → a slice
 * through the collateral the engine chooses; HARD → a hard liquidation. Timers (and anything else that depends on
 * time) are judged at `now`: by default the read block's timestamp, so a slice is only sent once the chain itself
 * says it is allowed; a caller that knows when its transaction will land (the crash replay) passes that time.
 */
export function decide(
  snapshot: PositionSnapshot,
  toleranceBps: bigint = DEFAULT_SEIZED_TOLERANCE_BPS,
  now: bigint = snapshot.timestamp,
): Decision {
  const account = snapshot.account;
  if (snapshot.debt === 0n) {
    // A flag left on an account without debt (HF = max) is cleared like any recovered account.
    return snapshot.flaggedAt !== 0n ? { kind: "unflag", account, healthFactor: 2n ** 256n - 1n } : { kind: "none" };
  }
  // Judged as `flag` and `liquidate` judge it: a stale collateral at its last price (R7).
  const h = liquidationHealth(snapshot);
  if (!h.ok) return { kind: "priceUnavailable" };

  const policyIndex = choosePolicyCollateral(snapshot);
  if (policyIndex >= 0) {
    const run = applyDeleverage(snapshot, policyIndex, { at: now });
    if (run.ok) {
      const expected = { repay: run.repaid, seized: run.seized, bonus: run.bonus };
      return { kind: "deleverage", version: snapshot.policyVersion, ...execution(snapshot, h.healthFactor, policyIndex, expected, toleranceBps) };
    }
  }

  if (h.zone === Zone.HEALTHY) {
    // `unflag` reads every price fresh: a recovered account with a stale feed waits for it.
    if (snapshot.flaggedAt === 0n) return { kind: "none" };
    return health(snapshot).ok ? { kind: "unflag", account, healthFactor: h.healthFactor } : { kind: "priceUnavailable" };
  }
  if (h.zone === Zone.SOFT) {
    // Below the grace floor `liquidate` flags by itself; above it, a flag (a new one once the old lapsed) comes first.
    const live = flagLive(snapshot, now);
    if (!live && h.healthFactor >= snapshot.market.risk.graceFloor) return { kind: "flag", account, healthFactor: h.healthFactor };
    const timers = liquidationTimers(snapshot, now);
    if (live && timers.secondsUntilSlice > 0n) return { kind: "wait", until: timers.sliceAllowedAt };
  }

  const index = chooseLiquidationCollateral(snapshot, now);
  if (index < 0) return { kind: "none" };
  const preview = previewLiquidation(snapshot, index, now);
  if (!preview.ok) return { kind: "priceUnavailable" };
  if (!preview.allowed) return preview.allowedAt > 0n ? { kind: "wait", until: preview.allowedAt } : { kind: "none" };
  const expected = { repay: preview.repayCap, seized: preview.seized, bonus: preview.bonus };
  return { kind: h.zone === Zone.HARD ? "hardLiquidation" : "softSlice", ...execution(snapshot, h.healthFactor, index, expected, toleranceBps) };
}
