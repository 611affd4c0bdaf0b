/**
 * What a deleverage policy (docs/liquidation.md R9) would do for a position, before it is set: one execution at the
 * trigger, and the same steady decline walked with and without it. Everything goes through `applyDeleverage` and
 * the band walk, so the figures are the market's to the wei at the prices assumed.
 */
import type { Address } from "viem";
import { bandExposure, movingAssets, type BandExposure, type DeclineOptions, type WalkError } from "./bands";
import { WAD, collateralValue, debtValue, searchFirstTrue } from "./math";
import { healthAtMultiplier } from "./netrisk";
import { applyDeleverage, choosePolicyCollateral, hasPolicy, validatePolicy, type DeleverageError, type DeleverageOutcome } from "./policy";
import { health, liquidationHealth, withChanges } from "./position";
import type { DeleveragePolicy, PositionSnapshot, Result } from "./types";
import { Zone } from "./types";

/** One execution of a policy, with the prices it was judged at. */
export interface TriggerRun {
  /**
   * The fall of the moving prices (a WAD fraction, every volatile collateral together, stablecoins fixed) that first
   * takes health below the trigger: the execution is judged there. 0 when health is below the trigger already.
   */
  readonly fall: bigint;
  /** The position at those prices, carrying `policy`. */
  readonly at: PositionSnapshot;
  /** The collateral a keeper would take (`choosePolicyCollateral`). */
  readonly collateral: number;
  readonly outcome: DeleverageOutcome;
  /** USD (WAD) of the collateral handed over and of the debt repaid, at those prices. */
  readonly soldValue: bigint;
  readonly repaidValue: bigint;
  /** soldValue − repaidValue: what the execution costs the borrower above the debt it repays. */
  readonly bonusValue: bigint;
}

export type TriggerRunError =
  | DeleverageError
  | "INVALID_POLICY"
  | "NO_DEBT"
  | "HARD_ZONE"
  /** No fall of the volatile prices reaches the trigger (the fixed collaterals alone keep health above it). */
  | "NEVER_TRIGGERED";

/**
 * What one execution of `policy` would repay and hand over if the position stood at its trigger: prices of the
 * volatile collaterals (or `assets`) moved down together until health is just below the trigger, or today's prices
 * when it is below already. The policy is judged as the market would store it (`validatePolicy`).
 */
export function runAtTrigger(
  s: PositionSnapshot,
  policy: DeleveragePolicy,
  assets?: readonly (Address | number)[],
): Result<TriggerRun, TriggerRunError> {
  // All zeros is a valid revocation, but nothing to execute.
  if (!hasPolicy(policy)) return { ok: false, reason: "NO_POLICY", message: "There is no policy to execute." };
  const valid = validatePolicy(policy, s.market.risk);
  if (!valid.ok) return { ok: false, reason: "INVALID_POLICY", message: valid.message };
  if (s.debt === 0n) return { ok: false, reason: "NO_DEBT", message: "Without debt there is nothing to repay." };
  if (!health(s).ok) return { ok: false, reason: "PRICE_UNAVAILABLE", message: "A price feed is stale or invalid." };
  const withPolicy: PositionSnapshot = { ...s, policy };
  const now = liquidationHealth(withPolicy);
  if (now.zone === Zone.HARD) {
    return { ok: false, reason: "HARD_ZONE", message: "The position is in the hard zone, where a policy never runs: the liquidation rules apply." };
  }
  let fall = 0n;
  let at = withPolicy;
  if (now.healthFactor >= policy.triggerHealth) {
    const moving = movingAssets(s, assets);
    // Health rises with the multiplier: the lowest one that keeps it at the trigger, less a wei, is the first below.
    const keeps = searchFirstTrue(0n, WAD, (m) => healthAtMultiplier(s, moving, m) >= policy.triggerHealth);
    if (keeps === undefined || keeps === 0n) {
      return { ok: false, reason: "NEVER_TRIGGERED", message: "No fall of the volatile collaterals' prices takes health down to the trigger." };
    }
    const multiplier = keeps - 1n;
    fall = WAD - multiplier;
    at = withChanges(withPolicy, { prices: s.market.collaterals.map((c, i) => (moving.includes(i) ? (c.price * multiplier) / WAD : c.price)) });
  }
  const collateral = choosePolicyCollateral(at);
  if (collateral < 0) return { ok: false, reason: "NOTHING_TO_LIQUIDATE", message: "No collateral could be taken at the trigger." };
  const outcome = applyDeleverage(at, collateral);
  if (!outcome.ok) return outcome;
  const c = at.market.collaterals[collateral]!;
  const soldValue = collateralValue(outcome.seized, c.price, c.decimals);
  const repaidValue = debtValue(outcome.repaid, at.market.loanPrice, at.market.loanDecimals);
  return { ok: true, fall, at, collateral, outcome, soldValue, repaidValue, bonusValue: soldValue - repaidValue };
}

/** The same decline walked by a prompt keeper with the liquidation rules alone, and with `policy` executed first. */
export interface ProtectionComparison {
  readonly without: BandExposure;
  readonly with: BandExposure;
}

export function compareProtection(
  s: PositionSnapshot,
  policy: DeleveragePolicy,
  options: Omit<DeclineOptions, "policy" | "risk">,
): Result<{ comparison: ProtectionComparison }, WalkError> {
  const without = bandExposure(s, options);
  if (!without.ok) return without;
  const protectedWalk = bandExposure(s, { ...options, policy });
  if (!protectedWalk.ok) return protectedWalk;
  return { ok: true, comparison: { without: without.exposure, with: protectedWalk.exposure } };
}
