import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ErrorPanel } from "@/components/ErrorPanel";
import { ClosedHistoryIsland } from "@/components/position/ClosedHistoryIsland";
import { LivePosition } from "@/components/position/LivePosition";
import { PositionStatic } from "@/components/position/PositionStatic";
import { parseWhatIf } from "@/components/position/whatif";
import { derivePosition } from "@/components/position/derive";
import { formatHealth, formatPrice, formatUsd, shortAddress } from "@/lib/format/number";
import { ZONE_NAMES, type Zone } from "@/lib/risk";
import { loadLiquidationSummary, loadPosition } from "../load";
import { OG_SIZE, liquidatedStory, ogImagePath } from "../og";

type Props = {
  params: Promise<{ address: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export async function generateMetadata({ params, searchParams }: Props): Promise<Metadata> {
  const [{ address }, search] = await Promise.all([params, searchParams]);
  const load = await loadPosition(address);
  if (load.kind === "invalid-address") return { title: "Not an address", robots: { index: false } };
  // A position whose debt liquidations took previews as what happened to it, never as a healthy one.
  const story =
    load.kind === "ok" || load.kind === "empty"
      ? liquidatedStory(await loadLiquidationSummary(load), load.position.market.loanDecimals, load.position.market.loanPrice)
      : null;
  if (story && (load.kind === "ok" || load.kind === "empty")) {
    const title = `${story.zone === "HARD-LIQUIDATED" ? "Hard-liquidated" : "Soft-liquidated"} · ${shortAddress(load.account)}`;
    const description = `Soft Landing position of ${load.account}: ${story.line}; no debt left.`;
    const image = { url: ogImagePath(load.account, load.position), ...OG_SIZE, alt: title };
    return { title, description, openGraph: { title, description, type: "website", images: [image] }, twitter: { card: "summary_large_image", title, description, images: [image] } };
  }
  if (load.kind !== "ok") return { title: `Position ${shortAddress("account" in load ? load.account : address)}` };
  const p = load.position;
  const zone = ZONE_NAMES[p.zone as Zone].toLowerCase();
  const collaterals = p.market.collaterals.filter((c) => c.balance > 0n).map((c) => c.symbol).join(" + ");
  // A what-if link's preview says it is a what-if, with its prices, never passing it off as the live state.
  const whatIf = parseWhatIf(search, p.market.collaterals).prices;
  const scenario = Object.keys(whatIf).length > 0 ? derivePosition(p, whatIf) : undefined;
  const title = scenario
    ? `What-if health ${formatHealth(scenario.health.healthFactor, scenario.health.ok)} (${ZONE_NAMES[scenario.health.zone].toLowerCase()}) · live ${formatHealth(p.healthFactor)} · ${shortAddress(load.account)}`
    : `Health ${formatHealth(p.healthFactor)} (${zone}) · ${shortAddress(load.account)}`;
  const prices = Object.entries(whatIf).map(([symbol, price]) => `${symbol} at ${formatPrice(price)}`).join(", ");
  const description = scenario
    ? `What-if for ${load.account} if ${prices}: health ${formatHealth(scenario.health.healthFactor, scenario.health.ok)}. Live: health ${formatHealth(p.healthFactor)}, ${zone} zone.`
    : `Soft Landing position of ${load.account}: health factor ${formatHealth(p.healthFactor)}, ${zone} zone, ${formatUsd(p.collateralValue)} of ${collaterals} backing ${formatUsd(p.debtValue)} of ${p.market.loanSymbol} debt.`;
  const image = { url: ogImagePath(load.account, p, whatIf), ...OG_SIZE, alt: title };
  return {
    title,
    description,
    openGraph: { title, description, type: "website", images: [image] },
    twitter: { card: "summary_large_image", title, description, images: [image] },
  };
}

export default async function PositionPage({ params, searchParams }: Props) {
  const [{ address }, search] = await Promise.all([params, searchParams]);
  const load = await loadPosition(address);
  switch (load.kind) {
    case "invalid-address":
      notFound(); // HTTP 404, rendered by ./not-found.tsx
    case "config-error":
      return (
        <ErrorPanel title={load.title} testId="config-error">
          <p>{load.error}</p>
        </ErrorPanel>
      );
    case "read-error":
      return (
        <ErrorPanel
          title={
            load.failure.kind === "rpc-down"
              ? "The chain is not reachable"
              : load.failure.kind === "wrong-chain"
                ? "Wrong chain"
                : load.failure.kind === "no-contract"
                  ? "Market not found on this chain"
                  : "Could not read the position"
          }
          testId={`read-error-${load.failure.kind}`}
        >
          <p>{load.failure.message}</p>
          <p>Nothing is wrong with the position itself; reload the page once the node is back.</p>
        </ErrorPanel>
      );
    case "empty":
      // A closed position keeps its story: its liquidation history is read (client-side) even with nothing left.
      return (
        <>
          <ErrorPanel title="No position here" tone="info" testId="no-position">
            <p>
              <code className="break-all">{load.account}</code> has no collateral and no debt in this market (a position
              that was closed shows its history below).
            </p>
            <p>
              <Link href="/borrow" className="text-accent underline">
                Open a position
              </Link>{" "}
              or check the address.
            </p>
          </ErrorPanel>
          <div className="mx-auto max-w-2xl">
            <ClosedHistoryIsland account={load.account} position={load.position} />
          </div>
        </>
      );
    case "ok": {
      const whatIf = parseWhatIf(search, load.position.market.collaterals);
      return (
        <>
          <div className="mb-4">
            <h1 className="text-2xl font-semibold">Position</h1>
            <p className="break-all font-mono text-xs text-muted sm:text-sm" data-testid="account">
              {load.account}
            </p>
          </div>
          <LivePosition
            account={load.account}
            initial={load.position}
            search={search}
            fallback={<PositionStatic position={load.position} whatIf={whatIf.prices} ignored={whatIf.ignored} />}
          />
        </>
      );
    }
  }
}
