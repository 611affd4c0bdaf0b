import type { Address } from "viem";
import type { PositionView } from "@/lib/chain/read";
import { derivePosition } from "@/components/position/derive";
import { priceParam } from "@/components/position/whatif";
import { formatHealth, formatPrice, formatUsd, shortAddress } from "@/lib/format/number";
import { liquidationTimers, MAX_UINT256, Zone, ZONE_NAMES } from "@/lib/risk";
import type { LiquidationSummary, PositionLoad } from "./load";

/** The share image's size (the Open Graph and X large-card ratio). */
export const OG_SIZE = { width: 1200, height: 630 } as const;

/**
 * The share image's URL, versioned by what the image shows: zone, health to a hundredth, and the block read. Link
 * previews (chat apps, social sites) cache images by URL, so a position whose state changed gets a new URL and a
 * fresh preview instead of yesterday's health.
 */
export function ogImagePath(account: Address, position: PositionView, whatIf: Record<string, bigint> = {}): string {
  const hf = position.healthFactor;
  const bucket = !position.healthOk ? "na" : hf >= MAX_UINT256 / 2n ? "inf" : (hf / 10n ** 16n).toString();
  const flag = position.flaggedAt === 0n ? "0" : position.flaggedAt.toString();
  const version = `${position.zone}-${bucket}-${flag}-${position.blockNumber.toString()}`;
  // A what-if link previews the what-if it shows: the prices travel with the image URL.
  const scenario = Object.entries(whatIf).map(([symbol, price]) => `&${encodeURIComponent(symbol)}=${priceParam(price)}`).join("");
  return `/position/${account}/og?v=${version}${scenario}`;
}

/** What the share image says. ASCII only: satori would fetch a font for any other glyph. */
export interface OgContent {
  /** After "Soft Landing - " on the first line ("" for the bare brand). */
  headline: string;
  /** Health factor as shown ("no debt" without debt), "" when there is no position to show. */
  hf: string;
  zone: string;
  detail: string;
  /** The liquidation clock in words ("" when healthy). */
  clock: string;
}

/** A UTC moment in ASCII: "2026-12-02 17:45 UTC". */
function utc(seconds: bigint): string {
  return `${new Date(Number(seconds) * 1000).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

const ascii = (address: string) => shortAddress(address).replace("…", "...");

/** The share image's words; with `whatIf` prices (already validated), the what-if health, marked as such. */
/** "Hard-liquidated: 1 hard liquidation and 3 slices repaid $12,000 of debt", or null without liquidations. */
export function liquidatedStory(summary: LiquidationSummary | null | undefined, loanDecimals: number, loanPrice: bigint): { zone: string; line: string } | null {
  if (!summary) return null;
  const parts = [
    ...(summary.hardLiquidations > 0 ? [`${summary.hardLiquidations} hard liquidation${summary.hardLiquidations === 1 ? "" : "s"}`] : []),
    ...(summary.softSlices > 0 ? [`${summary.softSlices} soft slice${summary.softSlices === 1 ? "" : "s"}`] : []),
  ];
  const repaidUsd = (summary.repaid * loanPrice) / 10n ** BigInt(loanDecimals);
  const bad = summary.badDebt > 0n ? `, ${formatUsd((summary.badDebt * loanPrice) / 10n ** BigInt(loanDecimals), 0)} bad debt` : "";
  return {
    zone: summary.hardLiquidations > 0 ? "HARD-LIQUIDATED" : "SOFT-LIQUIDATED",
    line: `${parts.join(" and ")} repaid ${formatUsd(repaidUsd, 0)} of debt${bad}`,
  };
}

export function ogContent(load: PositionLoad, whatIf: Record<string, bigint> = {}, liquidations: LiquidationSummary | null = null): OgContent {
  if (load.kind === "ok" && Object.keys(whatIf).length > 0) {
    const live = load.position;
    const view = derivePosition(live, whatIf);
    const hfText = formatHealth(view.health.healthFactor, view.health.ok);
    const changed = live.market.collaterals
      .filter((c) => whatIf[c.symbol] !== undefined)
      .map((c) => `${c.symbol} ${formatPrice(whatIf[c.symbol]!)} (live ${formatPrice(c.price)})`)
      .join(", ");
    return {
      headline: `WHAT-IF - ${ascii(load.account)}`,
      hf: hfText === "∞" ? "no debt" : hfText,
      zone: view.health.ok ? ZONE_NAMES[view.health.zone] : "PRICE UNAVAILABLE",
      detail: `Live health ${formatHealth(live.healthFactor, live.healthOk)}: nothing has happened to this position`,
      clock: `If ${changed}`,
    };
  }
  const story = load.kind === "ok" || load.kind === "empty" ? liquidatedStory(liquidations, load.position.market.loanDecimals, load.position.market.loanPrice) : null;
  if (load.kind === "ok" && story) {
    // No debt left because liquidations took it: say so, never "no debt · HEALTHY" as if it had been repaid.
    const p = load.position;
    const left = p.market.collaterals.filter((c) => c.balance > 0n).map((c) => c.symbol).join(" + ");
    return {
      headline: `${p.market.loanSymbol} market - ${ascii(load.account)}`,
      hf: "no debt",
      zone: story.zone,
      detail: `${story.line}; ${formatUsd(p.collateralValue, 0)} of ${left} left`,
      clock: "",
    };
  }
  if (load.kind === "ok") {
    const p = load.position;
    const hfText = formatHealth(p.healthFactor);
    const collaterals = p.market.collaterals.filter((c) => c.balance > 0n).map((c) => c.symbol).join(" + ");
    const timers = liquidationTimers(p);
    let clock = "";
    if (p.healthOk && p.zone === Zone.HARD) clock = "Below the hard-zone health: can be hard-liquidated now";
    else if (timers.flagged && timers.graceRemaining > 0n) clock = `Flagged: grace period until ${utc(timers.graceEndsAt)}, then sliced`;
    else if (timers.flagged) clock = "Flagged: being unwound in slices";
    else if (p.healthOk && p.zone === Zone.SOFT) clock = "Below health 1: can be flagged at any moment";
    return {
      headline: `${p.market.loanSymbol} market - ${ascii(load.account)}`,
      hf: hfText === "∞" ? "no debt" : hfText,
      zone: p.healthOk ? ZONE_NAMES[p.zone as Zone] : "PRICE UNAVAILABLE",
      detail: `${formatUsd(p.collateralValue, 0)} of ${collaterals} backing ${formatUsd(p.debtValue, 0)} ${p.market.loanSymbol} debt`,
      clock,
    };
  }
  const none = { hf: "", zone: "", clock: "" };
  if (load.kind === "empty" && story) {
    return { headline: `Position ${ascii(load.account)}`, hf: "no debt", zone: story.zone, detail: `${story.line}; nothing left in this market`, clock: "" };
  }
  if (load.kind === "empty") return { ...none, headline: `Position ${ascii(load.account)}`, detail: "No collateral and no debt in this market." };
  if (load.kind === "invalid-address") return { ...none, headline: "", detail: "Not a valid address." };
  return { ...none, headline: "", detail: "Position health unavailable right now." };
}
