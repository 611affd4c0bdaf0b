"use client";

import dynamic from "next/dynamic";
import { QueryClientProvider, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { publicEnv } from "@/lib/chain/env";
import { getQueryClient } from "@/lib/chain/query-client";
import { formatAmount, formatUsd } from "@/lib/format/number";
import type { MapRow } from "./LiquidationMapChart";

const Chart = dynamic(() => import("./LiquidationMapChart"), { ssr: false, loading: () => <div className="h-full" aria-hidden="true" /> });

interface MapStepJson {
  fallPct: number;
  softDebt: string;
  hardDebt: string;
  softPositions: number;
  hardPositions: number;
  soldValue: string;
  soldAmount: string;
}
interface MapJson {
  block: string;
  positions: number;
  scenarios: { key: string; label: string; decimals: number | null; steps: MapStepJson[] }[];
}

const usd = (wad: string) => Number(BigInt(wad) / 10n ** 14n) / 1e4;

async function fetchMap(watcherUrl: string): Promise<MapJson> {
  const res = await fetch(`${watcherUrl}/liquidation-map?step=5&to=60`, { signal: AbortSignal.timeout(15_000) });
  const body = (await res.json().catch(() => ({}))) as MapJson & { error?: string };
  if (!res.ok) throw new Error(body.error ?? `HTTP ${res.status}`);
  return body;
}

/**
 * "Where is the liquidation wall?": over every position the watcher knows, the debt that would be in SOFT and HARD
 * and the collateral the unwinding would sell, as one collateral's price (or every volatile one) falls in 5% steps.
 */
export default function LiquidationMapSection() {
  return (
    <QueryClientProvider client={getQueryClient()}>
      <LiquidationMap />
    </QueryClientProvider>
  );
}

function LiquidationMap() {
  const watcherUrl = publicEnv.watcherUrl;
  const [key, setKey] = useState("market");
  const query = useQuery({ queryKey: ["soft-landing", "liquidation-map", watcherUrl], queryFn: () => fetchMap(watcherUrl!), enabled: !!watcherUrl, staleTime: 15_000, retry: 1 });
  const scenario = query.data?.scenarios.find((s) => s.key === key) ?? query.data?.scenarios[0];
  const rows: MapRow[] = scenario?.steps.map((s) => ({ fallPct: s.fallPct, soft: usd(s.softDebt), hard: usd(s.hardDebt), sold: usd(s.soldValue) })) ?? [];
  const firstSoft = scenario?.steps.find((s) => BigInt(s.softDebt) + BigInt(s.hardDebt) > 0n);
  return (
    <section aria-labelledby="map-heading" className="rounded-xl border border-border bg-card p-4 sm:p-6" data-testid="liquidation-map">
      <h2 id="map-heading" className="text-lg font-semibold">
        Liquidation map
      </h2>
      {!watcherUrl ? (
        <p className="mt-2 text-sm text-muted">The market-wide map comes from the watcher service, which this deployment does not configure (NEXT_PUBLIC_WATCHER_URL).</p>
      ) : query.isPending ? (
        <p className="mt-2 text-sm text-muted">Loading the map…</p>
      ) : query.isError ? (
        <p role="alert" className="mt-2 text-sm text-hard" data-testid="map-error">
          The watcher at {watcherUrl} is unreachable ({query.error instanceof Error ? query.error.message : "unknown error"}): the map is unavailable, the market above is read from the chain.
        </p>
      ) : (
        <>
          <p className="mt-1 text-sm text-muted">
            How much debt would enter the soft and hard zones, and how much collateral the slices would sell to bring those positions back
            to the target health, if prices fell to each level. Over {query.data.positions} borrowing position{query.data.positions === 1 ? "" : "s"}, block{" "}
            {query.data.block}.{" "}
            {firstSoft ? (
              <span data-testid="map-wall">
                First debt enters SOFT at a {firstSoft.fallPct}% fall{firstSoft.fallPct === 0 ? " (already)" : ""}.
              </span>
            ) : (
              <span data-testid="map-wall">No position enters SOFT within a 60% fall.</span>
            )}
          </p>
          <div className="mt-3 flex flex-wrap gap-2" role="group" aria-label="Which prices fall">
            {query.data.scenarios.map((s) => (
              <button
                key={s.key}
                type="button"
                aria-pressed={s.key === scenario?.key}
                onClick={() => setKey(s.key)}
                className={`h-8 rounded-md border px-3 text-sm ${s.key === scenario?.key ? "border-accent bg-accent/10" : "border-border"}`}
                data-testid={`map-scenario-${s.key}`}
              >
                {s.label}
              </button>
            ))}
          </div>
          <div className="mt-3 h-72">
            <Chart rows={rows} />
          </div>
          <div className="mt-3 overflow-x-auto">
            <table className="w-full min-w-[32rem] text-right text-sm" data-testid="map-table">
              <caption className="sr-only">{scenario?.label}: debt by zone and collateral sold at each price fall</caption>
              <thead className="text-xs uppercase tracking-wide text-muted">
                <tr>
                  <th scope="col" className="py-2 pr-3 text-left">Fall</th>
                  <th scope="col" className="py-2 pr-3">Debt in SOFT</th>
                  <th scope="col" className="py-2 pr-3">Debt in HARD</th>
                  <th scope="col" className="py-2 pr-3">Sold</th>
                </tr>
              </thead>
              <tbody>
                {scenario?.steps
                  .filter((s) => s.fallPct % 10 === 0)
                  .map((s) => (
                    <tr key={s.fallPct} className="border-t border-border">
                      <th scope="row" className="py-1 pr-3 text-left font-normal">
                        {s.fallPct === 0 ? "now" : `−${s.fallPct}%`}
                      </th>
                      <td className="py-1 pr-3">{formatUsd(BigInt(s.softDebt), 0)} <span className="text-muted">({s.softPositions})</span></td>
                      <td className="py-1 pr-3">{formatUsd(BigInt(s.hardDebt), 0)} <span className="text-muted">({s.hardPositions})</span></td>
                      <td className="py-1 pr-3">
                        {formatUsd(BigInt(s.soldValue), 0)}
                        {scenario.decimals !== null && BigInt(s.soldAmount) > 0n && (
                          <span className="text-muted"> ({formatAmount(BigInt(s.soldAmount), scenario.decimals, 2)} {scenario.key})</span>
                        )}
                      </td>
                    </tr>
                  ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
