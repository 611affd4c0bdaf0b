"use client";

import { QueryClientProvider } from "@tanstack/react-query";
import Link from "next/link";
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import type { Address } from "viem";
import { ErrorPanel } from "@/components/ErrorPanel";
import { getQueryClient } from "@/lib/chain/query-client";
import { isEmptyPosition, type PositionView } from "@/lib/chain/read";
import { usePosition } from "@/lib/chain/usePosition";
import { ActionsIsland } from "./ActionsIsland";
import { AlertsPanel } from "./AlertsPanel";
import { clockState, derivePosition, type DerivedPosition } from "./derive";
import { HealthSummary } from "./HealthSummary";
import { History } from "./History";
import { PositionBody } from "./PositionBody";
import { RiskCharts } from "./RiskCharts";
import { useChainClock } from "./useChainClock";
import { WhatIfPanel } from "./WhatIfPanel";
import { parseWhatIf, whatIfSearch } from "./whatif";

export interface PositionDashboardProps {
  account: Address;
  initial: PositionView;
  search: Record<string, string | string[] | undefined>;
  /** Replaces the owner's actions panel (defaults to components/actions/ActionsPanel in its wallet island). */
  actions?: ReactNode;
}

/** The live, interactive position page (loaded by LivePosition after hydration). */
export function PositionDashboard(props: PositionDashboardProps) {
  return (
    <QueryClientProvider client={getQueryClient()}>
      <Dashboard {...props} />
    </QueryClientProvider>
  );
}

/**
 * Kept live by `usePosition` (one eth_call per new block); every derived number comes from lib/risk applied to the
 * live snapshot with the what-if prices, which are mirrored into the URL.
 */
function Dashboard({ account, initial, search, actions }: PositionDashboardProps) {
  const query = usePosition(account, { initialData: initial });
  const live = query.data ?? initial;
  const collaterals = live.market.collaterals;

  const initialWhatIf = useMemo(() => parseWhatIf(search, initial.market.collaterals), [search, initial]);
  const [whatIf, setWhatIf] = useState<Record<string, bigint>>(initialWhatIf.prices);
  const [ignored, setIgnored] = useState<readonly string[]>(initialWhatIf.ignored);

  // Mirror the sliders into the URL without a navigation (no server round trip, no RPC).
  const urlTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => {
    if (urlTimer.current) clearTimeout(urlTimer.current);
    urlTimer.current = setTimeout(() => {
      const next = `${window.location.pathname}${whatIfSearch(window.location.search, collaterals, whatIf)}${window.location.hash}`;
      if (next !== `${window.location.pathname}${window.location.search}${window.location.hash}`) {
        window.history.replaceState(window.history.state, "", next);
      }
    }, 120);
    return () => {
      if (urlTimer.current) clearTimeout(urlTimer.current);
    };
  }, [whatIf, collaterals]);

  const onChange = useCallback((symbol: string, price: bigint) => {
    setIgnored([]);
    setWhatIf((prev) => ({ ...prev, [symbol]: price }));
  }, []);
  const onReset = useCallback(() => {
    setIgnored([]);
    setWhatIf({});
  }, []);

  // Everything but the countdowns is derived once per snapshot or what-if change; the clock ticks only the summary.
  const view = useMemo(() => derivePosition(live, whatIf), [live, whatIf]);

  // Repaid and withdrawn in full while the page was open: the story, not a dashboard of ∞ and empty charts.
  if (isEmptyPosition(live)) {
    return (
      <div className="space-y-6" data-testid="position" data-live="true">
        <ErrorPanel title="Position closed" tone="info" testId="position-closed">
          <p>Everything is repaid and withdrawn: no collateral and no debt remain in this market.</p>
          <p>
            <Link href="/borrow" className="text-accent underline">
              Open a new position
            </Link>
          </p>
        </ErrorPanel>
        <History account={account} position={live} />
      </div>
    );
  }

  return (
    <PositionBody
      live
      view={view}
      summary={<LiveSummary view={view} readAtMs={query.dataUpdatedAt} />}
      notice={
        query.isError ? (
          <p role="alert" className="rounded-md border border-hard bg-hard-bg px-3 py-2 text-sm" data-testid="refresh-error">
            Live updates paused: the last refresh failed ({query.error instanceof Error ? query.error.message.split("\n")[0] : "unknown error"}).
            Showing block {live.blockNumber.toString()}.
          </p>
        ) : null
      }
      actions={actions ?? <ActionsIsland position={live} />}
      whatIf={<WhatIfPanel collaterals={collaterals} prices={whatIf} ignored={ignored} onChange={onChange} onReset={onReset} />}
      charts={<RiskCharts snapshot={view.snapshot} />}
      history={<History account={account} position={live} />}
      alerts={<AlertsPanel account={account} />}
    />
  );
}

/** The health summary with countdowns that tick every second (only this part re-renders on the tick). */
function LiveSummary({ view, readAtMs }: { view: DerivedPosition; readAtMs: number }) {
  const now = useChainClock(view.live.timestamp, readAtMs);
  const { timers, status } = useMemo(() => clockState(view.live, view.health, now), [view, now]);
  return <HealthSummary snapshot={view.snapshot} health={view.health} timers={timers} status={status} whatIf={view.whatIfActive} live={view.live} />;
}
