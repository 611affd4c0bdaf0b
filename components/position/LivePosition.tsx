"use client";

import { useEffect, useState, type ComponentType, type ReactNode } from "react";
import type { Address } from "viem";
import type { PositionView } from "@/lib/chain/read";
import type { PositionDashboardProps } from "./PositionDashboard";

/**
 * Shows the server-rendered page (`fallback`) and, right after hydration, swaps in the live, interactive view.
 * The live view (TanStack Query, viem, lib/risk, charts) is a separate chunk, so the page's first-load JS is the
 * framework plus this loader; the swap is invisible because both render the same layout and sizes.
 */
export function LivePosition({
  account,
  initial,
  search,
  fallback,
}: {
  account: Address;
  initial: PositionView;
  search: Record<string, string | string[] | undefined>;
  fallback: ReactNode;
}) {
  const [Dashboard, setDashboard] = useState<ComponentType<PositionDashboardProps> | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let cancelled = false;
    import("./PositionDashboard")
      .then((m) => !cancelled && setDashboard(() => m.PositionDashboard))
      .catch(() => !cancelled && setFailed(true));
    return () => {
      cancelled = true;
    };
  }, []);
  if (Dashboard) return <Dashboard account={account} initial={initial} search={search} />;
  return (
    <>
      {failed && (
        <p role="alert" className="mb-4 rounded-md border border-hard bg-hard-bg px-3 py-2 text-sm">
          The interactive view failed to load; the numbers below are from block {initial.blockNumber.toString()}. Reload
          to try again.
        </p>
      )}
      {fallback}
    </>
  );
}
