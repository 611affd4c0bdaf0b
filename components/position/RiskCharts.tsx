"use client";

import type { PositionSnapshot } from "@/lib/risk";

/** Band exposure, net-risk shock curve and forecast (charts load after the summary). */
export function RiskCharts({ snapshot }: { snapshot: PositionSnapshot }) {
  return (
    <section aria-labelledby="charts-heading" className="min-h-[28rem] rounded-xl border border-border bg-card p-4 sm:p-6">
      <h2 id="charts-heading" className="text-lg font-semibold">
        If prices fall
      </h2>
      <p className="text-sm text-muted">Block {snapshot.blockNumber.toString()}</p>
    </section>
  );
}
