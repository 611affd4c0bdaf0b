/**
 * What a position's state means for the borrower, in words. Pure; numbers come from the snapshot's risk params.
 */
import { formatDuration, formatPercent, formatRatio } from "@/lib/format/number";
import { Zone, type Health, type LiquidationTimers, type PositionSnapshot } from "@/lib/risk";

export type PositionStatus = "healthy" | "soft-unflagged" | "soft-grace" | "soft-slicing" | "hard" | "no-price";

export function positionStatus(health: Health, timers: LiquidationTimers): PositionStatus {
  if (!health.ok) return "no-price";
  if (health.zone === Zone.HARD) return "hard";
  if (health.zone === Zone.SOFT) {
    if (!timers.flagged) return "soft-unflagged";
    return timers.graceRemaining > 0n ? "soft-grace" : "soft-slicing";
  }
  return "healthy";
}

export const STATUS_LABEL: Record<PositionStatus, string> = {
  healthy: "Healthy",
  "soft-unflagged": "Soft: below 1, not yet flagged",
  "soft-grace": "Soft: flagged, in grace",
  "soft-slicing": "Soft: slicing",
  hard: "Hard liquidation",
  "no-price": "Price unavailable",
};

export const STATUS_TONE: Record<PositionStatus, "healthy" | "soft" | "hard"> = {
  healthy: "healthy",
  "soft-unflagged": "soft",
  "soft-grace": "soft",
  "soft-slicing": "soft",
  hard: "hard",
  "no-price": "hard",
};

/** One sentence: what this status means and what happens next. */
export function statusMeaning(status: PositionStatus, s: PositionSnapshot, timers: LiquidationTimers): string {
  const p = s.market.risk;
  const grace = formatDuration(p.gracePeriod);
  const interval = formatDuration(p.sliceInterval);
  switch (status) {
    case "healthy":
      return "Health is at or above 1: nothing about this position can be liquidated.";
    case "soft-unflagged":
      return `Health is below 1: anyone may flag this position, which starts a ${grace} grace period to top up or repay before any collateral is sold.`;
    case "soft-grace":
      return `Flagged: ${formatDuration(timers.graceRemaining)} of grace left to top up or repay; after that a keeper may sell small slices of collateral (at most ${formatPercent(p.sliceCap)} of the debt every ${interval}, ${formatPercent(p.softBonusMin)}–${formatPercent(p.softBonusMax)} bonus).`;
    case "soft-slicing":
      return `The grace period is over: a keeper may sell a slice of collateral (at most ${formatPercent(p.sliceCap)} of the debt) every ${interval} until health is back to ${formatRatio(p.targetHealth)}; topping up or repaying stops it.`;
    case "hard":
      return `Health is below ${formatRatio(p.hardHealth)}: the position can be liquidated at once, up to ${formatPercent(p.hardCloseFactor)} of the debt with a ${formatPercent(p.hardBonus)} bonus.`;
    case "no-price":
      return "A price feed is stale or invalid, so health cannot be computed; the market rejects price-dependent actions until it updates.";
  }
}
