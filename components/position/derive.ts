/**
 * Everything the page shows about a position, derived with lib/risk from the lens snapshot and the what-if
 * prices. Shared by the server render and the live client view so both print the same numbers.
 */
import { health as healthOf, liquidationPrices, liquidationTimers, withChanges, type PositionSnapshot } from "@/lib/risk";
import { positionStatus } from "./status";

export function derivePosition(live: PositionSnapshot, whatIf: Record<string, bigint>, now: bigint = live.timestamp) {
  const active = Object.keys(whatIf).length > 0;
  const snapshot = active
    ? withChanges(live, { prices: live.market.collaterals.map((c) => whatIf[c.symbol] ?? c.price) })
    : live;
  const health = healthOf(snapshot);
  const prices = liquidationPrices(snapshot);
  return { whatIfActive: active, live, snapshot, health, prices, ...clockState(live, health, now) };
}

/** The time-dependent part (grace and slice countdowns, flagged-in-grace vs slicing): cheap, recomputed each second. */
export function clockState(live: PositionSnapshot, health: ReturnType<typeof healthOf>, now: bigint) {
  const timers = liquidationTimers(live, now > live.timestamp ? now : live.timestamp);
  return { timers, status: positionStatus(health, timers) };
}

export type DerivedPosition = ReturnType<typeof derivePosition>;
