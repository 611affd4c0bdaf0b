"use client";

import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import type { Address } from "viem";
import type { PositionView } from "@/lib/chain/read";
import { usePosition } from "@/lib/chain/usePosition";
import { health as healthOf, liquidationPrices, liquidationTimers, withChanges, type PositionSnapshot } from "@/lib/risk";
import { CollateralTable } from "./CollateralTable";
import { HealthSummary } from "./HealthSummary";
import { History } from "./History";
import { WhatIfPanel } from "./WhatIfPanel";
import { RiskCharts } from "./RiskCharts";
import { positionStatus } from "./status";
import { useChainClock } from "./useChainClock";
import { parseWhatIf, whatIfSearch } from "./whatif";

/**
 * The interactive position page. Server-rendered with the lens snapshot the server read (so the summary is in the
 * HTML), then kept live by `usePosition` (one eth_call per new block). Every derived number comes from lib/risk,
 * applied to the live snapshot with the what-if prices from the URL.
 */
export function PositionDashboard({
  account,
  initial,
  search,
  actions,
}: {
  account: Address;
  initial: PositionView;
  search: Record<string, string | string[] | undefined>;
  /** The owner's actions panel (rendered by the page when available). */
  actions?: ReactNode;
}) {
  const query = usePosition(account, { initialData: initial });
  const live: PositionSnapshot = query.data ?? initial;
  const collaterals = live.market.collaterals;

  const initialWhatIf = useMemo(() => parseWhatIf(search, initial.market.collaterals), [search, initial]);
  const [whatIf, setWhatIf] = useState<Record<string, bigint>>(initialWhatIf.prices);
  const [ignored, setIgnored] = useState<readonly string[]>(initialWhatIf.ignored);

  // Keep the URL in step with the sliders without a navigation (no server round trip, no RPC).
  const urlTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => {
    if (urlTimer.current) clearTimeout(urlTimer.current);
    urlTimer.current = setTimeout(() => {
      const search = whatIfSearch(window.location.search, collaterals, whatIf);
      const url = `${window.location.pathname}${search}${window.location.hash}`;
      if (url !== `${window.location.pathname}${window.location.search}${window.location.hash}`) {
        window.history.replaceState(window.history.state, "", url);
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

  const whatIfActive = Object.keys(whatIf).length > 0;
  const snapshot = useMemo(
    () =>
      whatIfActive
        ? withChanges(live, { prices: live.market.collaterals.map((c) => whatIf[c.symbol] ?? c.price) })
        : live,
    [live, whatIf, whatIfActive],
  );

  const health = useMemo(() => healthOf(snapshot), [snapshot]);
  const prices = useMemo(() => liquidationPrices(snapshot), [snapshot]);
  const now = useChainClock(live.timestamp, query.dataUpdatedAt);
  const timers = liquidationTimers(live, now > live.timestamp ? now : live.timestamp);
  const status = positionStatus(health, timers);

  return (
    <div className="space-y-6">
      {query.isError && (
        <p role="alert" className="rounded-md border border-hard bg-hard-bg px-3 py-2 text-sm" data-testid="refresh-error">
          Live updates paused: the last refresh failed ({query.error instanceof Error ? query.error.message.split("\n")[0] : "unknown error"}).
          Showing block {live.blockNumber.toString()}.
        </p>
      )}
      <HealthSummary snapshot={snapshot} health={health} timers={timers} status={status} whatIf={whatIfActive} />
      <section
        aria-label="Your actions"
        id="actions"
        data-testid="actions-slot"
        className={actions ? undefined : "hidden"}
      >
        {actions}
      </section>
      <CollateralTable snapshot={snapshot} prices={prices} />
      <WhatIfPanel
        collaterals={live.market.collaterals}
        prices={whatIf}
        ignored={ignored}
        onChange={onChange}
        onReset={onReset}
      />
      <RiskCharts snapshot={snapshot} />
      <History account={account} position={live as PositionView} />
    </div>
  );
}
