/**
 * Deleverage policies (docs/liquidation.md R9): validation as `PolicyLib.set` does it, and the quote and effect of
 * `deleverage`, mirroring `SoftLandingMarket._quote` / `_liquidate` with a policy wei for wei.
 */
import type { Address } from "viem";
import { leastRepay, priceUnavailable, seizedForRepay, unknownCollateral, writeOffBadDebt } from "./liquidation";
import { MAX_UINT256, WAD, collateralValue, debtFromScaled, min, repayToTargetValue, valueToAmount, zoneOf } from "./math";
import { collateralIndex, liquidationHealth, withChanges } from "./position";
import type { DeleveragePolicy, PositionSnapshot, Result, RiskParams } from "./types";
import { Zone } from "./types";

/** No policy: what the market stores before one is set and after a revocation. */
export const NO_POLICY: DeleveragePolicy = { triggerHealth: 0n, targetHealth: 0n, maxBonus: 0n, maxShare: 0n };

/** A millionth as a WAD: the market stores policy ratios in millionths. */
const PPM = 10n ** 12n;

export function hasPolicy(p: DeleveragePolicy): boolean {
  return p.triggerHealth !== 0n;
}

export type PolicyError = "TRIGGER_TOO_LOW" | "TARGET_TOO_LOW" | "BONUS_TOO_HIGH" | "SHARE_OUT_OF_RANGE" | "NOT_WHOLE_PPM";

/** The contract error each `PolicyError` stands for. */
export const POLICY_ERROR_NAMES: Record<PolicyError, string> = {
  TRIGGER_TOO_LOW: "PolicyTriggerTooLow",
  TARGET_TOO_LOW: "PolicyTargetTooLow",
  BONUS_TOO_HIGH: "PolicyBonusTooHigh",
  SHARE_OUT_OF_RANGE: "PolicyShareOutOfRange",
  NOT_WHOLE_PPM: "RatioNotWholePpm",
};

/**
 * Whether `setDeleveragePolicy` would accept `p` on a market with parameters `risk`, checked in the contract's
 * order (trigger, target, bonus, share, then millionths). All zeros is a revocation and always valid.
 */
export function validatePolicy(p: DeleveragePolicy, risk: RiskParams): Result<{ policy: DeleveragePolicy }, PolicyError> {
  const revoke = p.triggerHealth === 0n && p.targetHealth === 0n && p.maxBonus === 0n && p.maxShare === 0n;
  if (!revoke) {
    if (p.triggerHealth <= WAD) {
      return { ok: false, reason: "TRIGGER_TOO_LOW", message: "The trigger must be above health 1: below 1 the account is already in the soft zone." };
    }
    if (p.targetHealth <= p.triggerHealth) {
      return { ok: false, reason: "TARGET_TOO_LOW", message: "The target must be above the trigger." };
    }
    if (p.maxBonus > risk.softBonusMin) {
      return { ok: false, reason: "BONUS_TOO_HIGH", message: "The bonus may not exceed the lowest bonus a soft slice pays." };
    }
    if (p.maxShare === 0n || p.maxShare > WAD) {
      return { ok: false, reason: "SHARE_OUT_OF_RANGE", message: "The share of the debt per execution must be above 0% and at most 100%." };
    }
  }
  const bad = [p.triggerHealth, p.targetHealth, p.maxBonus, p.maxShare].find((v) => v % PPM !== 0n || v >= 2n ** 64n);
  if (bad !== undefined) {
    return { ok: false, reason: "NOT_WHOLE_PPM", message: "Each figure must be a whole number of millionths (e.g. 1.1 or 0.3%)." };
  }
  return { ok: true, policy: p };
}

/** The market's `_quote` for a policy execution through one collateral. */
export interface PolicyQuote {
  readonly zone: Zone;
  readonly healthFactor: bigint;
  /** min(policy bonus, softBonusMin). */
  readonly bonus: bigint;
  readonly debt: bigint;
  /** What one execution through this collateral may repay now (0 when nothing). */
  readonly repayCap: bigint;
  /** The least one execution may repay: half of what the account's largest collateral could (as for slices). */
  readonly minRepay: bigint;
  readonly collateralCap: bigint;
  readonly balance: bigint;
  /** Health is below the trigger and not HARD: an execution is allowed. */
  readonly triggered: boolean;
  readonly insolvent: boolean;
}

export type PolicyQuoteError = "UNKNOWN_COLLATERAL" | "PRICE_UNAVAILABLE";

/** `_quote(…, policy)`: what executing `policy` (default: the account's) through `asset` would repay now. */
export function quotePolicy(
  s: PositionSnapshot,
  asset: Address | number,
  policy: DeleveragePolicy = s.policy,
): Result<PolicyQuote, PolicyQuoteError> {
  const i = collateralIndex(s, asset);
  const c = s.market.collaterals[i];
  if (!c) return unknownCollateral();
  const h = liquidationHealth(s, i);
  if (!h.ok) return priceUnavailable();
  const m = s.market;
  // Unlike a liquidation, an execution needs every held collateral's price fresh (an outage must not trigger it).
  if (h.debt !== 0n && m.collaterals.some((x) => x.balance !== 0n && !x.priceOk)) return priceUnavailable();
  const p = m.risk;
  const zone = zoneOf(h.healthFactor, p.hardHealth);
  const triggered = hasPolicy(policy) && zone !== Zone.HARD && h.healthFactor < policy.triggerHealth;
  const base = { zone, healthFactor: h.healthFactor, debt: h.debt, balance: c.balance, triggered };
  const bonus = min(policy.maxBonus, p.softBonusMin);
  if (h.debt === 0n) return { ok: true, ...base, bonus, repayCap: 0n, minRepay: 0n, collateralCap: 0n, insolvent: false };
  const insolvent = h.collateralValue <= h.debtValue;
  const onePlusBonus = WAD + bonus;
  const collateralCap = valueToAmount((collateralValue(c.balance, c.price, c.decimals) * WAD) / onePlusBonus, m.loanPrice, m.loanDecimals);
  let accountCap = h.debt;
  let minRepay = 0n;
  if (!insolvent) {
    accountCap = valueToAmount(
      repayToTargetValue(h.collateralPower, h.debtValue, policy.targetHealth, onePlusBonus, c.lt),
      m.loanPrice,
      m.loanDecimals,
    );
    accountCap = min(accountCap, (h.debt * policy.maxShare) / WAD);
    minRepay = leastRepay(s, h, accountCap, onePlusBonus);
  }
  return { ok: true, ...base, bonus, repayCap: min(accountCap, collateralCap), minRepay, collateralCap, insolvent };
}

export type DeleverageError =
  | PolicyQuoteError
  | "NO_POLICY"
  | "POLICY_CHANGED"
  | "ZERO_AMOUNT"
  | "NOT_TRIGGERED"
  | "NOTHING_TO_LIQUIDATE"
  | "SLICE_TOO_SMALL"
  | "LIQUIDATION_LOWERS_HEALTH"
  | "SEIZED_BELOW_MINIMUM";

/** The contract error each `DeleverageError` stands for. */
export const DELEVERAGE_ERROR_NAMES: Record<DeleverageError, string> = {
  UNKNOWN_COLLATERAL: "CollateralNotListed",
  PRICE_UNAVAILABLE: "StalePrice",
  NO_POLICY: "NoPolicy",
  POLICY_CHANGED: "PolicyChanged",
  ZERO_AMOUNT: "ZeroAmount",
  NOT_TRIGGERED: "PolicyNotTriggered",
  NOTHING_TO_LIQUIDATE: "NothingToLiquidate",
  SLICE_TOO_SMALL: "SliceTooSmall",
  LIQUIDATION_LOWERS_HEALTH: "LiquidationLowersHealth",
  SEIZED_BELOW_MINIMUM: "SeizedBelowMinimum",
};

export interface DeleverageOutcome {
  /** The position after the transaction. */
  readonly snapshot: PositionSnapshot;
  readonly repaid: bigint;
  readonly seized: bigint;
  readonly bonus: bigint;
  readonly healthBefore: bigint;
  /** MAX_UINT256 when the account was closed by a bad-debt write-off (cannot happen above HARD; mirrored anyway). */
  readonly healthAfter: bigint;
}

/**
 * Applies `deleverage(account, collateral, maxRepay, minSeized, version)` as the market would in a block at
 * `options.at` (default: the snapshot's timestamp; interest is not accrued in between). `version` defaults to the
 * snapshot's, as a keeper that just read it would send.
 */
export function applyDeleverage(
  s: PositionSnapshot,
  asset: Address | number,
  options: { maxRepay?: bigint; minSeized?: bigint; version?: bigint; at?: bigint } = {},
): Result<DeleverageOutcome, DeleverageError> {
  const maxRepay = options.maxRepay ?? MAX_UINT256;
  const version = options.version ?? s.policyVersion;
  const now = options.at ?? s.timestamp;
  if (!hasPolicy(s.policy)) return { ok: false, reason: "NO_POLICY", message: "The account has no deleverage policy." };
  if (version !== s.policyVersion) {
    return { ok: false, reason: "POLICY_CHANGED", message: `The policy changed (version ${s.policyVersion}, sent against ${version}).` };
  }
  const i = collateralIndex(s, asset);
  if (i < 0) return unknownCollateral();
  if (maxRepay <= 0n) return { ok: false, reason: "ZERO_AMOUNT", message: "maxRepay must be positive." };
  const q = quotePolicy(s, i);
  if (!q.ok) return q;
  if (!q.triggered) {
    return { ok: false, reason: "NOT_TRIGGERED", message: "Health is at or above the policy's trigger, or in the hard zone." };
  }
  const repaid = min(maxRepay, q.repayCap);
  if (repaid === 0n) return { ok: false, reason: "NOTHING_TO_LIQUIDATE", message: "Nothing to repay through this collateral." };
  if (repaid < q.minRepay) {
    return { ok: false, reason: "SLICE_TOO_SMALL", message: `An execution must repay at least ${q.minRepay} (half of what the account's largest collateral could).` };
  }
  const seized = seizedForRepay(s, i, q, repaid);
  if (options.minSeized !== undefined && seized < options.minSeized) {
    return { ok: false, reason: "SEIZED_BELOW_MINIMUM", message: `Would receive ${seized}, below ${options.minSeized}.` };
  }
  const idx = s.market.borrowIndex;
  const scaledRepaid = repaid === q.debt ? s.scaledDebt : min(s.scaledDebt, (repaid * WAD) / idx);
  const balances = s.market.collaterals.map((col, k) => (k === i ? q.balance - seized : col.balance));
  const scaledDebt = s.scaledDebt - scaledRepaid;
  // A policy execution leaves the liquidation clock alone (R9): only a return to HF >= 1 clears the flag.
  if (balances.every((b) => b === 0n) && scaledDebt !== 0n) {
    const badDebt = debtFromScaled(scaledDebt, idx);
    const next = withChanges(s, { balances, scaledDebt: 0n, flaggedAt: 0n, timestamp: now, cashDelta: repaid });
    return { ok: true, snapshot: writeOffBadDebt(next, badDebt), repaid, seized, bonus: q.bonus, healthBefore: q.healthFactor, healthAfter: MAX_UINT256 };
  }
  let next = withChanges(s, { balances, scaledDebt, timestamp: now, cashDelta: repaid });
  const healthAfter = liquidationHealth(next, i).healthFactor;
  if (!q.insolvent && healthAfter < q.healthFactor) {
    return { ok: false, reason: "LIQUIDATION_LOWERS_HEALTH", message: "This execution would lower health (rounding on dust); the market refuses it." };
  }
  if (healthAfter >= WAD && next.flaggedAt !== 0n) next = { ...next, flaggedAt: 0n };
  return { ok: true, snapshot: next, repaid, seized, bonus: q.bonus, healthBefore: q.healthFactor, healthAfter };
}

/**
 * Which collateral a keeper executes a policy through: the held collateral with the largest USD value whose
 * execution the market would accept now (fresh prices, a repay cap above 0 and at least the minimum); ties: lowest
 * index. -1 when none.
 */
export function choosePolicyCollateral(s: PositionSnapshot): number {
  const candidates: { i: number; value: bigint }[] = [];
  s.market.collaterals.forEach((c, i) => {
    if (c.balance !== 0n && c.priceOk) candidates.push({ i, value: collateralValue(c.balance, c.price, c.decimals) });
  });
  candidates.sort((a, b) => (a.value === b.value ? 0 : a.value > b.value ? -1 : 1));
  for (const { i } of candidates) {
    const q = quotePolicy(s, i);
    if (q.ok && q.triggered && q.repayCap !== 0n && q.repayCap >= q.minRepay) return i;
  }
  return -1;
}
