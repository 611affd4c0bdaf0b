/**
 * "Protect automatically": the deleverage policy form (docs/liquidation.md R9). What the owner typed → either one
 * message naming the field, or the policy the market would store; and the policy in words, with what it would do.
 * The verdicts are lib/risk's (`validatePolicy`, `runAtTrigger`, `compareProtection`); this module parses the
 * fields and words them. Pure: it runs on every keystroke against the last Lens snapshot.
 */
import {
  STANDARD_DECLINE,
  Zone,
  compareProtection,
  hasPolicy,
  movingAssets,
  parseAmount,
  runAtTrigger,
  validatePolicy,
  type DeleveragePolicy,
  type Health,
  type PositionSnapshot,
  type WalkTotals,
} from "@/lib/risk";
import { formatAmount, formatHealth, formatHealthSetting, formatPercent, formatUsd } from "@/lib/format/number";
import { policySummary } from "@/lib/format/policy";

export type PolicyField = "trigger" | "target" | "bonus" | "share";
export type PolicyFields = Record<PolicyField, string>;

/** The market stores ratios in whole millionths: a WAD is a count of millionths times 1e12. */
const PPM = 10n ** 12n;
/** Policy fields are uint64 WADs on-chain. */
const UINT64_LIMIT = 2n ** 64n;

/**
 * How each field is typed: a health in millionths (6 decimals) or a percentage to 4 decimals (also millionths of
 * the ratio), with the words its messages use.
 */
const FIELDS: Record<PolicyField, { label: string; example: string; percent: boolean }> = {
  trigger: { label: "trigger health", example: "1.10", percent: false },
  target: { label: "target health", example: "1.25", percent: false },
  bonus: { label: "bonus", example: "0.3", percent: true },
  share: { label: "share of the debt per execution", example: "25", percent: true },
};

/** A WAD ratio as the text a field holds: a health as is ("1.1"), a ratio in % ("0.3"), no grouping. */
function fieldText(wad: bigint, percent: boolean): string {
  const millionths = wad / PPM;
  const places = percent ? 4 : 6;
  const unit = 10n ** BigInt(places);
  const fraction = (millionths % unit).toString().padStart(places, "0").replace(/0+$/, "");
  return fraction ? `${millionths / unit}.${fraction}` : `${millionths / unit}`;
}

/**
 * The form's first values: the policy in force, to change it; otherwise a trigger of 1.10 and a target of 1.25 (a
 * margin above 1 and a step back of about as much), the market's lowest soft bonus (the most the market allows,
 * so keepers are paid as for a slice) and 25% of the debt per execution.
 */
export function initialFields(s: PositionSnapshot): PolicyFields {
  const p = s.policy;
  if (hasPolicy(p)) {
    return { trigger: fieldText(p.triggerHealth, false), target: fieldText(p.targetHealth, false), bonus: fieldText(p.maxBonus, true), share: fieldText(p.maxShare, true) };
  }
  return { trigger: "1.10", target: "1.25", bonus: fieldText(s.market.risk.softBonusMin, true), share: "25" };
}

export type CheckedPolicy =
  | { ok: true; policy: DeleveragePolicy; /** The same as the policy in force: nothing to send. */ unchanged: boolean; note?: string }
  | { ok: false; field: PolicyField | null; message: string };

type Parsed = { ok: true; value: bigint } | { ok: false; field: PolicyField; message: string };

/** One field → its WAD, with the app's amount parsing (a decimal comma is read as a decimal mark). */
function parseField(field: PolicyField, text: string): Parsed {
  const { label, example, percent } = FIELDS[field];
  const refused = (message: string): Parsed => ({ ok: false, field, message });
  const parsed = parseAmount(text, percent ? 4 : 6);
  if (!parsed.ok) {
    switch (parsed.reason) {
      case "EMPTY":
        return refused(`Enter the ${label}, like ${example}${percent ? "%" : ""}.`);
      case "NEGATIVE_AMOUNT":
        return refused(`The ${label} cannot be negative.`);
      case "TOO_MANY_DECIMALS":
        return refused(
          `The ${label} takes at most ${percent ? "4 decimals in %" : "6 decimals"}: the market stores whole millionths.`,
        );
      case "NOT_A_NUMBER":
        return refused(`Enter a number, like ${example}.`);
      default:
        return refused(parsed.message);
    }
  }
  const value = parsed.amount * PPM;
  if (value >= UINT64_LIMIT) return refused(`The ${label} is too large.`);
  return { ok: true, value };
}

const TRIGGER_TOO_LOW = "The trigger health must be above 1: below 1 the position is in the soft zone, where the market's own slices take over.";

const samePolicy = (a: DeleveragePolicy, b: DeleveragePolicy) =>
  a.triggerHealth === b.triggerHealth && a.targetHealth === b.targetHealth && a.maxBonus === b.maxBonus && a.maxShare === b.maxShare;

/** The four fields → the policy `setDeleveragePolicy` would accept, or the first thing wrong, in the contract's order. */
export function checkPolicy(s: PositionSnapshot, fields: PolicyFields): CheckedPolicy {
  const values: Partial<Record<PolicyField, bigint>> = {};
  for (const field of ["trigger", "target", "bonus", "share"] as const) {
    const parsed = parseField(field, fields[field]);
    if (!parsed.ok) return parsed;
    values[field] = parsed.value;
  }
  const policy: DeleveragePolicy = { triggerHealth: values.trigger!, targetHealth: values.target!, maxBonus: values.bonus!, maxShare: values.share! };
  // All zeros would be a revocation: the revoke button says that; the form only sets policies.
  if (!hasPolicy(policy)) return { ok: false, field: "trigger", message: TRIGGER_TOO_LOW };
  const verdict = validatePolicy(policy, s.market.risk);
  if (!verdict.ok) {
    switch (verdict.reason) {
      case "TRIGGER_TOO_LOW":
        return { ok: false, field: "trigger", message: TRIGGER_TOO_LOW };
      case "TARGET_TOO_LOW":
        return {
          ok: false,
          field: "target",
          message: `The target health (${formatHealthSetting(policy.targetHealth)}) must be above the trigger (${formatHealthSetting(policy.triggerHealth)}): each execution brings health back up towards it.`,
        };
      case "BONUS_TOO_HIGH":
        return {
          ok: false,
          field: "bonus",
          message: `The bonus may be at most ${formatPercent(s.market.risk.softBonusMin, 4)}, the lowest bonus a soft slice pays on this market.`,
        };
      case "SHARE_OUT_OF_RANGE":
        return { ok: false, field: "share", message: "The share of the debt per execution must be above 0% and at most 100%." };
      case "NOT_WHOLE_PPM":
        return { ok: false, field: null, message: verdict.message };
    }
  }
  const note = policy.maxBonus === 0n ? "With a 0% bonus nobody is paid to run it: keepers earn only the bonus." : undefined;
  return { ok: true, policy, unchanged: samePolicy(policy, s.policy), ...(note ? { note } : {}) };
}

/**
 * The health summary's line, for anyone reading the page: whether a policy is on, its rule, and whether it may run
 * at the health shown (the live one, or the what-if prices').
 */
export function protectionStatus(s: PositionSnapshot, health: Health, whatIf: boolean): { on: boolean; text: string } {
  const p = s.policy;
  if (!hasPolicy(p)) return { on: false, text: "Automatic protection: off" };
  const rule = `Automatic protection: on — ${policySummary(p)}`;
  const runs = s.debt > 0n && health.ok && health.zone !== Zone.HARD && health.healthFactor < p.triggerHealth;
  if (!runs) return { on: true, text: `${rule}.` };
  return {
    on: true,
    text: whatIf
      ? `${rule}. At these prices health is below its trigger: anyone could execute it.`
      : `${rule}. Health is below its trigger now: anyone may execute it.`,
  };
}

/** What the preview says about a policy the form accepted. */
export interface ProtectionPreview {
  /** One execution at the trigger (or now, when health is below it already), or why there is none. */
  atTrigger: string;
  /** The standard decline walked with and without the policy; null when it cannot be walked. */
  decline: string | null;
}

function slices(t: WalkTotals): string {
  const hard = t.hardLiquidations > 0 ? ` and ${t.hardLiquidations} hard liquidation${t.hardLiquidations === 1 ? "" : "s"}` : "";
  return `${t.softSlices} slice${t.softSlices === 1 ? "" : "s"}${hard}`;
}

export function protectionPreview(s: PositionSnapshot, policy: DeleveragePolicy): ProtectionPreview {
  const m = s.market;
  const run = runAtTrigger(s, policy);
  let atTrigger: string;
  if (!run.ok) {
    atTrigger = run.reason === "NO_DEBT" ? "With no debt, there is nothing for it to repay." : run.message;
  } else {
    const c = run.at.market.collaterals[run.collateral]!;
    const o = run.outcome;
    const deal =
      `repay ${formatAmount(o.repaid, m.loanDecimals, 2)} ${m.loanSymbol} for ${formatAmount(o.seized, c.decimals, 4)} ${c.symbol} ` +
      `(${formatUsd(run.soldValue)}): a ${formatUsd(run.bonusValue)} bonus, and health ${formatHealth(o.healthBefore)} → ${formatHealth(o.healthAfter)}.`;
    if (run.fall === 0n) {
      atTrigger = `Health is ${formatHealth(o.healthBefore)} now, below this trigger: as soon as it is set, anyone may ${deal}`;
    } else {
      const held = movingAssets(s).filter((i) => m.collaterals[i]!.balance > 0n).map((i) => m.collaterals[i]!.symbol);
      const what = held.length === 1 ? held[0] : `${held.join(" and ")} together`;
      atTrigger = `If ${what} fell ${formatPercent(run.fall, 1)}, health would reach the trigger; one execution would ${deal}`;
    }
  }
  const walked = s.debt > 0n ? compareProtection(s, policy, STANDARD_DECLINE) : null;
  let decline: string | null = null;
  if (walked?.ok) {
    const { without, with: protectedWalk } = walked.comparison;
    const alone =
      without.totals.soldValue === 0n
        ? "without protection nothing would be sold"
        : `without protection, ${slices(without.totals)} would sell ${formatUsd(without.totals.soldValue, 0)} for a ${formatUsd(without.totals.penalty, 0)} penalty`;
    const t = protectedWalk.totals;
    const still = t.softSlices + t.hardLiquidations > 0 ? ` and ${slices(t)}` : "";
    const withIt =
      t.soldValue === 0n
        ? "with it, nothing either"
        : `with it, ${t.policyExecutions} execution${t.policyExecutions === 1 ? "" : "s"}${still} would sell ${formatUsd(t.soldValue, 0)} for ${formatUsd(t.penalty, 0)} paid above the debt repaid`;
    decline = `If every volatile collateral fell ${STANDARD_DECLINE.speedPctPerHour}% per hour: ${alone}; ${withIt}.`;
  }
  return { atTrigger, decline };
}

/** What one setting of a policy did: turned it on, changed it, turned it off; "set" when what it replaced is unknown. */
export type PolicyChange = "on" | "changed" | "off" | "set";

export const POLICY_CHANGE_TITLE: Record<PolicyChange, string> = {
  on: "Automatic protection turned on",
  changed: "Automatic protection changed",
  off: "Automatic protection turned off",
  set: "Automatic protection set",
};

/**
 * `policy` (version `version`) replaced `previous`: null when nothing was set before it, undefined when that is not
 * known (an older page of the history is not loaded). Version 1 is always the first.
 */
export function policyChange(policy: DeleveragePolicy, previous: DeleveragePolicy | null | undefined, version: bigint): PolicyChange {
  if (!hasPolicy(policy)) return "off";
  if (previous === null || version === 1n) return "on";
  if (previous === undefined) return "set";
  return hasPolicy(previous) ? "changed" : "on";
}

/** The transaction's name: "Turn on automatic protection", "Change …", "Turn off …" (a revocation: all zeros). */
export function protectionTitle(s: PositionSnapshot, policy: DeleveragePolicy): string {
  if (!hasPolicy(policy)) return "Turn off automatic protection";
  return hasPolicy(s.policy) ? "Change automatic protection" : "Turn on automatic protection";
}
