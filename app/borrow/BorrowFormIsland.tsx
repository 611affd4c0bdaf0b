"use client";

import dynamic from "next/dynamic";

/**
 * The open-position form (wagmi, viem, TanStack Query, lib/risk) as its own chunk, loaded right after hydration: it
 * reads the market in the browser before it can show anything, so the server has only this line to render, and the
 * page's first-load JS stays the framework's.
 */
export const BorrowFormIsland = dynamic(() => import("./BorrowForm").then((m) => m.BorrowForm), {
  ssr: false,
  loading: () => (
    <p className="text-muted" aria-busy="true">
      Reading the market…
    </p>
  ),
});
