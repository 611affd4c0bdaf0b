"use client";

import dynamic from "next/dynamic";
import { Frame, HISTORY_SECTION_CLASS } from "./frames";

/**
 * The closed position's history as its own chunk: it reads events with viem and TanStack Query, which the share
 * page's first load must not carry for every position (only closed ones show it).
 */
export const ClosedHistoryIsland = dynamic(() => import("./ClosedHistory").then((m) => m.ClosedHistory), {
  ssr: false,
  loading: () => (
    <Frame title="Liquidation history" headingId="history-heading" className={HISTORY_SECTION_CLASS}>
      <p className="mt-3 text-sm text-muted">Loading events…</p>
    </Frame>
  ),
});
