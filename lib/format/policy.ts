/**
 * A deleverage policy in words (docs/liquidation.md R9), the same on the owner's form, the share page, the history and
 * the watcher's alerts.
 */
import type { DeleveragePolicy } from "../risk";
import { formatHealthSetting, formatPercent } from "./number";

/** "below 1.10 → back to 1.25, 0.3% bonus" */
export function policyRule(p: DeleveragePolicy): string {
  return `below ${formatHealthSetting(p.triggerHealth)} → back to ${formatHealthSetting(p.targetHealth)}, ${formatPercent(p.maxBonus, 4)} bonus`;
}

/** "below 1.10 → back to 1.25, 0.3% bonus, at most 25% of the debt per execution" */
export function policySummary(p: DeleveragePolicy): string {
  return `${policyRule(p)}, at most ${formatPercent(p.maxShare, 4)} of the debt per execution`;
}

/** The policy in plain words, as the borrower agrees to it. */
export function describePolicy(p: DeleveragePolicy): string {
  return (
    `If health falls below ${formatHealthSetting(p.triggerHealth)}, anyone may repay up to ${formatPercent(p.maxShare, 4)} of your debt at a ` +
    `time for your collateral at a ${formatPercent(p.maxBonus, 4)} bonus, until health is back at ${formatHealthSetting(p.targetHealth)}. ` +
    "It never runs in the hard zone and never lowers your health."
  );
}
