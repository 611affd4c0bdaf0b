"use client";

import dynamic from "next/dynamic";

/** The map loads after the page (it needs the watcher, TanStack Query and, once drawn, recharts). */
export const LiquidationMapIsland = dynamic(() => import("./LiquidationMap"), {
  ssr: false,
  loading: () => (
    <section className="min-h-[30rem] rounded-xl border border-border bg-card p-4 sm:p-6" aria-hidden="true">
      <p className="text-lg font-semibold">Liquidation map</p>
    </section>
  ),
});
