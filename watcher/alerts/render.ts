/**
 * Words for an alert: the mail (subject, plain text, HTML) and the webhook's JSON body. Pure; numbers through the one
 * formatter (lib/format), times in UTC with the time left, links to the position page with the action prefilled.
 */
import { formatAmount, formatDuration, formatHealth, formatPercent, shortAddress } from "../../lib/format/number";
import { describePolicy, policySummary } from "../../lib/format/policy";
import type { DeleveragePolicy } from "../../lib/risk";
import type { AlertKind } from "../db/schema";
import type { Remedy } from "./decide";

export interface RenderContext {
  appUrl: string;
  unsubscribeUrl: string;
  /** For confirmation mails. */
  confirmUrl?: string;
  /** Seconds since the epoch, for "x min left". */
  nowSeconds: number;
}

export interface AlertRecord {
  id: string;
  kind: AlertKind;
  account: string;
  blockNumber: bigint;
  payload: Record<string, unknown>;
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

type Facts = { healthFactor?: string; zone?: string; debt?: string; loanSymbol?: string; loanDecimals?: number };

export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

function utc(seconds: bigint | number): string {
  return `${new Date(Number(seconds) * 1000).toISOString().replace("T", " ").slice(0, 16)} UTC`;
}

export function positionUrl(appUrl: string, account: string, remedy?: Remedy): string {
  const base = `${appUrl}/position/${account}`;
  if (!remedy) return base;
  const amount = formatAmount(BigInt(remedy.amount), remedy.decimals, remedy.decimals).replace(/,/g, "");
  return remedy.kind === "topUp" ? `${base}#act=topUp&asset=${remedy.symbol}&amount=${amount}` : `${base}#act=repay&amount=${amount}`;
}

function remedyLines(remedies: readonly Remedy[] | undefined, appUrl: string, account: string, goal: string): { text: string[]; links: { label: string; url: string }[] } {
  if (!remedies || remedies.length === 0) return { text: [], links: [] };
  const links = remedies.map((r) => ({
    label: r.kind === "topUp" ? `Add ${formatAmount(BigInt(r.amount), r.decimals, 4)} ${r.symbol}` : `Repay ${formatAmount(BigInt(r.amount), r.decimals, 2)} ${r.symbol}`,
    url: positionUrl(appUrl, account, r),
  }));
  return { text: [`Any one of these would ${goal}:`, ...links.map((l) => `  - ${l.label}: ${l.url}`)], links };
}

/** The policy an alert's payload carries (every WAD a decimal string); null when absent or unreadable. */
function policyOf(value: unknown): DeleveragePolicy | null {
  if (!value || typeof value !== "object") return null;
  const r = value as Record<string, unknown>;
  const fields = ["triggerHealth", "targetHealth", "maxBonus", "maxShare"] as const;
  if (!fields.every((k) => typeof r[k] === "string" && /^\d+$/.test(r[k] as string))) return null;
  return { triggerHealth: BigInt(r.triggerHealth as string), targetHealth: BigInt(r.targetHealth as string), maxBonus: BigInt(r.maxBonus as string), maxShare: BigInt(r.maxShare as string) };
}

/** How each sale of collateral for debt is named; a policy's bonus is set to the millionth, so it shows more places. */
const SALE_WORDS: Record<"slice" | "hard" | "protection", { title: string; actor: string; bonusPlaces: number }> = {
  slice: { title: "Soft slice", actor: "A soft-liquidation slice", bonusPlaces: 2 },
  hard: { title: "Hard liquidation", actor: "A hard liquidation", bonusPlaces: 2 },
  protection: { title: "Automatic protection ran", actor: "Your automatic protection", bonusPlaces: 4 },
};

/** Subject and body of the mail for one alert (or of the confirmation mail). */
export function renderMail(alert: AlertRecord, ctx: RenderContext): RenderedMail {
  const p = alert.payload;
  const now = (p.now ?? {}) as Facts;
  const who = shortAddress(alert.account);
  const hf = now.healthFactor ? formatHealth(BigInt(now.healthFactor)) : "unknown";
  const page = positionUrl(ctx.appUrl, alert.account);
  const lines: string[] = [];
  let subject: string;
  let remedies: ReturnType<typeof remedyLines> = { text: [], links: [] };
  const ev = (p.event ?? {}) as Record<string, string>;

  switch (alert.kind) {
    case "confirm":
      subject = `Confirm alerts for position ${who}`;
      lines.push(
        `Someone (we hope you) asked for Soft Landing alerts about position ${alert.account} at this address.`,
        "",
        `Confirm: ${ctx.confirmUrl}`,
        "",
        "Nothing else will be sent to this address unless you confirm. If it was not you, ignore this mail.",
      );
      break;
    case "health": {
      const threshold = formatHealth(BigInt(String(p.threshold)));
      subject = `Health ${hf} is below your ${threshold} alert: position ${who}`;
      lines.push(`The health of position ${alert.account} fell to ${hf} (${now.zone?.toLowerCase()} zone), below the ${threshold} you asked to hear about.`);
      lines.push("Below 1 the position can be flagged; after the grace period it is unwound in small slices that cost a bonus.");
      remedies = remedyLines(p.remedies as Remedy[], ctx.appUrl, alert.account, `bring it back to ${threshold}`);
      break;
    }
    case "flagged": {
      const ends = BigInt(String(p.graceEndsAt ?? "0"));
      const left = Number(ends) - ctx.nowSeconds;
      subject = p.graceSkipped
        ? `Flagged below the grace floor: slices may start now (position ${who})`
        : `Flagged: act before ${utc(ends)} to avoid soft liquidation (position ${who})`;
      lines.push(
        `Position ${alert.account} was flagged at health ${formatHealth(BigInt(ev.healthFactor ?? "0"))}.`,
        p.graceSkipped
          ? "Its health is below the grace floor: slices may start at once."
          : `The grace period ends ${utc(ends)} (${left > 0 ? `${formatDuration(left)} left` : "already over"}). Until then no slice can be taken; restoring health 1 clears the flag.`,
        `Health now: ${hf}.`,
      );
      remedies = remedyLines(p.remedies as Remedy[], ctx.appUrl, alert.account, "clear the flag");
      break;
    }
    case "slice":
    case "hard":
    case "protection": {
      // The three sales of collateral for debt: the same facts, each in its own words.
      const words = SALE_WORDS[alert.kind];
      const c = p.collateral as { symbol: string; decimals: number } | null;
      const repaid = formatAmount(BigInt(ev.repaid ?? "0"), now.loanDecimals ?? 6, 2);
      const sold = c ? `${formatAmount(BigInt(ev.seized ?? "0"), c.decimals, 4)} ${c.symbol}` : `${ev.seized} units of ${ev.collateral}`;
      subject = `${words.title}: ${repaid} ${now.loanSymbol ?? ""} repaid (position ${who})`;
      lines.push(
        `${words.actor} repaid ${repaid} ${now.loanSymbol ?? ""} of position ${alert.account} and sold ${sold} with a ${formatPercent(BigInt(ev.bonus ?? "0"), words.bonusPlaces)} bonus.`,
        `Health ${formatHealth(BigInt(ev.healthBefore ?? "0"))} → ${formatHealth(BigInt(ev.healthAfter ?? "0"))}; now ${hf}.`,
      );
      const policy = policyOf(p.policy);
      if (alert.kind === "protection" && policy) lines.push(`Its rule: ${policySummary(policy)}.`);
      remedies = remedyLines(p.remedies as Remedy[], ctx.appUrl, alert.account, "stop further slices");
      break;
    }
    case "protection-set": {
      const policy = policyOf(p.policy);
      const by = String(ev.caller ?? "").toLowerCase() === alert.account.toLowerCase() ? null : String(ev.caller);
      const on = policy !== null && policy.triggerHealth > 0n;
      subject = on ? `Automatic protection set: ${policySummary(policy)} (position ${who})` : `Automatic protection turned off (position ${who})`;
      lines.push(
        on
          ? `The automatic protection of position ${alert.account} is now version ${ev.version}. ${describePolicy(policy)}`
          : `The automatic protection of position ${alert.account} is off (version ${ev.version}): nothing will be sold for it before the soft zone.`,
      );
      if (by) lines.push(`It was set by ${by}, a manager this position authorised. If that was not you, revoke the manager and check the policy on the position page.`);
      break;
    }
    case "recovered":
      subject = `Recovered: position ${who} is healthy again`;
      lines.push(`The flag on position ${alert.account} is cleared at health ${formatHealth(BigInt(ev.healthFactor ?? "0"))}. No slice can be taken now.`);
      break;
    case "bad-debt":
      subject = `Bad debt recorded on position ${who}`;
      lines.push(`Position ${alert.account} has no collateral left and ${formatAmount(BigInt(ev.badDebt ?? "0"), now.loanDecimals ?? 6, 2)} ${now.loanSymbol ?? ""} of debt was written off.`);
      break;
  }
  if (remedies.text.length) lines.push("", ...remedies.text);
  if (alert.kind !== "confirm") lines.push("", `Position page: ${page}`);
  lines.push("", `Stop these alerts: ${ctx.unsubscribeUrl}`);

  const html = [
    `<p>${lines
      .filter((l) => !l.startsWith("  - "))
      .map((l) => escapeHtml(l).replace(/(https?:\/\/[^\s<]+)/g, (u) => `<a href="${u}">${u}</a>`))
      .join("<br>")}</p>`,
    remedies.links.length ? `<ul>${remedies.links.map((l) => `<li><a href="${escapeHtml(l.url)}">${escapeHtml(l.label)}</a></li>`).join("")}</ul>` : "",
  ].join("");
  return { subject, text: lines.join("\n"), html };
}

/** The webhook body: machine-readable, every integer a decimal string, plus the mail's words for humans. */
export function renderWebhook(alert: AlertRecord, ctx: RenderContext): Record<string, unknown> {
  const mail = renderMail(alert, ctx);
  return {
    id: alert.id,
    kind: alert.kind,
    account: alert.account,
    blockNumber: alert.blockNumber.toString(),
    summary: mail.subject,
    positionUrl: positionUrl(ctx.appUrl, alert.account),
    ...alert.payload,
  };
}
