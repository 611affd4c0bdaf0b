/**
 * What a position's state means for the borrower, in words. Pure; numbers come from the snapshot's risk params.
 */
import { formatDuration, formatPercent, formatRatio } from "@/lib/format/number";
import { Zone, depth, intervalAtDepth, liquidationHealth, shareAtDepth, type Health, type LiquidationTimers, type PositionSnapshot } from "@/lib/risk";

export type PositionStatus = "healthy" | "soft-unflagged" | "soft-grace" | "soft-slicing" | "hard" | "no-price";

export function positionStatus(health: Health, timers: LiquidationTimers): PositionStatus {
  if (!health.ok) return "no-price";
  if (health.zone === Zone.HARD) return "hard";
  if (health.zone === Zone.SOFT) {
    // Below the grace floor a slice needs no flag and no grace (docs/liquidation.md R1).
    if (timers.graceSkipped) return "soft-slicing";
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

/** What a slice may take at this health: its share of the debt and the spacing to the next one (R2). */
function sliceAtHealth(p: PositionSnapshot["market"]["risk"], hf: bigint): { share: bigint; spacing: number } {
  const d = depth(hf, p.hardHealth);
  return { share: shareAtDepth(d, p.sliceCap), spacing: Number(intervalAtDepth(d, p.sliceInterval)) };
}

/** One sentence: what this status means and what happens next. */
export function statusMeaning(status: PositionStatus, s: PositionSnapshot, timers: LiquidationTimers): string {
  const p = s.market.risk;
  const grace = formatDuration(p.gracePeriod);
  const hf = liquidationHealth(s).healthFactor;
  const now = sliceAtHealth(p, hf);
  const auction = `an auction bonus that opens at ${formatPercent(p.softBonusMin)} (more the lower health is) and rises to ${formatPercent(p.softBonusMax)} while nobody takes it`;
  switch (status) {
    case "healthy":
      return "Health is at or above 1: nothing about this position can be liquidated.";
    case "soft-unflagged":
      return `Health is below 1: anyone may flag this position, which starts a ${grace} grace period to top up or repay before any collateral is sold. Below health ${formatRatio(p.graceFloor)} there is no grace: slices start at once.`;
    case "soft-grace":
      return `Flagged: ${formatDuration(timers.graceRemaining)} of grace left to top up or repay; after that a keeper may sell slices of collateral (at this health up to ${formatPercent(now.share)} of the debt, then one every ${formatDuration(now.spacing)}) at ${auction}, until health is back to ${formatRatio(p.targetHealth)}.`;
    case "soft-slicing":
      return `A keeper may sell a slice of collateral now: at this health up to ${formatPercent(now.share)} of the debt${now.spacing > 0 ? `, then the next one ${formatDuration(now.spacing)} later` : ", with no wait between slices"}, at ${auction}, until health is back to ${formatRatio(p.targetHealth)}. Topping up or repaying stops it.`;
    case "hard":
      return `Health is below ${formatRatio(p.hardHealth)}: the position can be liquidated at once, by just enough to bring health back to ${formatRatio(p.targetHealth)}, at the largest bonus up to ${formatPercent(p.hardBonus)} that still raises health.`;
    case "no-price":
      return "A price feed is stale or invalid, so health cannot be computed; the market rejects price-dependent actions until it updates.";
  }
}
