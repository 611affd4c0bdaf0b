/**
 * Which alerts a block range calls for: pure, no I/O. The alert pass feeds it the final blocks' events, the
 * subscriptions and each subscribed position read at the range's last block, and writes what it returns (alerts and
 * trigger state) in one transaction with the checkpoint.
 *
 * Triggers: a health below the subscriber's threshold (with hysteresis: after an alert, the next one waits until health
 * has been back above threshold + HEALTH_REARM), a flag, a soft slice, a hard liquidation, bad debt, recovery (the
 * flag cleared), an execution of the borrower's deleverage policy, and any change to that policy (a manager may set
 * it: the borrower should hear of it). Every alert carries the numbers that matter and links that prefill the owner's form.
 */
import { WAD, ZONE_NAMES, Zone, health, liquidationTimers, repayForHealth, topUpForHealth, type DeleveragePolicy, type PositionSnapshot } from "../../lib/risk";
import { ceilToPlaces, minimumPlaces } from "../../lib/format/number";
import type { AlertKind } from "../db/schema";

/** Health must climb this far above the threshold (WAD) before a new threshold alert can go out. */
export const HEALTH_REARM = 3n * 10n ** 16n; // 0.03
/** Remedies aim a hair above their target so a block of interest does not undo them. */
const REMEDY_MARGIN = 10n ** 14n; // 0.0001

export interface SubscriptionView {
  id: string;
  account: string;
  threshold: bigint;
  belowThreshold: boolean;
  healthEpisode: number;
  fromBlock: bigint;
}

export interface EventView {
  blockNumber: bigint;
  logIndex: number;
  transactionHash: string;
  timestamp: bigint;
  name: string;
  account: string | null;
  args: Record<string, string | number | boolean>;
}

export interface Remedy {
  kind: "topUp" | "repay";
  /** Collateral symbol for a top-up. */
  symbol: string;
  /** Base units, rounded up to the places shown. */
  amount: string;
  decimals: number;
}

export interface AlertDraft {
  subscriptionId: string;
  /** Unique per subscription: the same event never alerts twice. */
  eventKey: string;
  kind: AlertKind;
  blockNumber: bigint;
  payload: Record<string, unknown>;
}

export interface TriggerState {
  id: string;
  belowThreshold: boolean;
  healthEpisode: number;
}

/** The smallest top-up of each collateral, and the smallest repay, that bring health to `target`. */
export function remediesFor(s: PositionSnapshot, target: bigint): Remedy[] {
  const out: Remedy[] = [];
  const goal = target + REMEDY_MARGIN;
  s.market.collaterals.forEach((c, i) => {
    if (!c.priceOk) return;
    const r = topUpForHealth(s, i, goal);
    if (r.ok && r.amount > 0n) {
      out.push({ kind: "topUp", symbol: c.symbol, amount: ceilToPlaces(r.amount, c.decimals, minimumPlaces(c.decimals, false)).toString(), decimals: c.decimals });
    }
  });
  const repay = repayForHealth(s, goal);
  if (repay.ok && repay.amount > 0n) {
    const places = minimumPlaces(s.market.loanDecimals, true);
    const amount = ceilToPlaces(repay.amount, s.market.loanDecimals, places);
    out.push({ kind: "repay", symbol: s.market.loanSymbol, amount: (amount > s.debt ? s.debt : amount).toString(), decimals: s.market.loanDecimals });
  }
  return out;
}

/** A policy as the alert payload keeps it: every WAD a decimal string (JSON has no bigint). */
function policyJson(p: DeleveragePolicy): Record<keyof DeleveragePolicy, string> {
  return { triggerHealth: String(p.triggerHealth), targetHealth: String(p.targetHealth), maxBonus: String(p.maxBonus), maxShare: String(p.maxShare) };
}

function positionFacts(s: PositionSnapshot | undefined) {
  if (!s) return {};
  const h = health(s);
  return {
    healthFactor: h.healthFactor.toString(),
    healthOk: h.ok,
    zone: ZONE_NAMES[h.zone],
    debt: s.debt.toString(),
    loanSymbol: s.market.loanSymbol,
    loanDecimals: s.market.loanDecimals,
  };
}

/** Alerts for the events of final blocks, for the subscriptions that were in place before each event. */
export function decideEventAlerts(
  events: readonly EventView[],
  subscriptionsByAccount: ReadonlyMap<string, readonly SubscriptionView[]>,
  positions: ReadonlyMap<string, PositionSnapshot>,
): AlertDraft[] {
  const drafts: AlertDraft[] = [];
  for (const e of events) {
    if (!e.account) continue;
    const subs = subscriptionsByAccount.get(e.account);
    if (!subs) continue;
    const kind = eventKind(e);
    if (!kind) continue;
    const s = positions.get(e.account);
    const payload: Record<string, unknown> = {
      account: e.account,
      transactionHash: e.transactionHash,
      timestamp: e.timestamp.toString(),
      event: e.args,
      now: positionFacts(s),
    };
    if (kind === "flagged" && s) {
      const timers = liquidationTimers(s);
      // When slices may start: the grace deadline, or at once below the grace floor. Read at the alert's block, so
      // a flag already cleared or replaced by a newer one shows the newer clock.
      payload.graceEndsAt = (timers.flagged ? timers.graceEndsAt : e.timestamp + BigInt(s.market.risk.gracePeriod)).toString();
      payload.graceSkipped = timers.graceSkipped;
      payload.remedies = health(s).healthFactor < WAD ? remediesFor(s, WAD) : [];
    }
    if (kind === "slice" || kind === "hard" || kind === "protection") {
      const c = s?.market.collaterals.find((x) => x.asset.toLowerCase() === String(e.args.collateral).toLowerCase());
      payload.collateral = c ? { symbol: c.symbol, decimals: c.decimals } : null;
      if (kind !== "protection" && s && health(s).healthFactor < WAD) payload.remedies = remediesFor(s, WAD);
      // The rule that ran, when it is still the one in force (a newer version would describe a different rule).
      if (kind === "protection" && s && String(s.policyVersion) === String(e.args.version)) payload.policy = policyJson(s.policy);
    }
    // The policy now in force, as the event states it (the indexer keeps struct arguments as JSON).
    if (kind === "protection-set") payload.policy = JSON.parse(String(e.args.policy)) as unknown;
    for (const sub of subs) {
      if (e.blockNumber <= sub.fromBlock) continue;
      drafts.push({ subscriptionId: sub.id, eventKey: `event:${e.transactionHash}:${e.logIndex}`, kind, blockNumber: e.blockNumber, payload });
    }
  }
  return drafts;
}

function eventKind(e: EventView): AlertKind | null {
  switch (e.name) {
    case "Flagged":
      return "flagged";
    case "Unflagged":
      return "recovered";
    case "Liquidated":
      return Number(e.args.zone) === Zone.HARD ? "hard" : "slice";
    case "BadDebt":
      return "bad-debt";
    case "Deleveraged":
      return "protection";
    case "DeleveragePolicySet":
      return "protection-set";
    default:
      return null;
  }
}

/**
 * Threshold alerts at `block`: one per crossing below the subscriber's threshold. A subscription re-arms only once
 * health is back at threshold + HEALTH_REARM, so a price wobbling around the threshold alerts once.
 */
export function decideHealthAlerts(
  subscriptions: readonly SubscriptionView[],
  positions: ReadonlyMap<string, PositionSnapshot>,
  block: bigint,
): { drafts: AlertDraft[]; changes: TriggerState[] } {
  const drafts: AlertDraft[] = [];
  const changes: TriggerState[] = [];
  for (const sub of subscriptions) {
    const s = positions.get(sub.account);
    if (!s) continue;
    const h = health(s);
    if (!h.ok || s.debt === 0n) {
      if (sub.belowThreshold && s.debt === 0n) changes.push({ id: sub.id, belowThreshold: false, healthEpisode: sub.healthEpisode });
      continue;
    }
    if (!sub.belowThreshold && h.healthFactor < sub.threshold) {
      const episode = sub.healthEpisode + 1;
      changes.push({ id: sub.id, belowThreshold: true, healthEpisode: episode });
      drafts.push({
        subscriptionId: sub.id,
        eventKey: `health:${episode}`,
        kind: "health",
        blockNumber: block,
        payload: {
          account: sub.account,
          threshold: sub.threshold.toString(),
          timestamp: s.timestamp.toString(),
          now: positionFacts(s),
          remedies: remediesFor(s, sub.threshold),
        },
      });
    } else if (sub.belowThreshold && h.healthFactor >= sub.threshold + HEALTH_REARM) {
      changes.push({ id: sub.id, belowThreshold: false, healthEpisode: sub.healthEpisode });
    }
  }
  return { drafts, changes };
}
