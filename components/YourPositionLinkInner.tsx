"use client";

import Link from "next/link";
import type { Address } from "viem";
import { useConnection } from "wagmi";
import { isEmptyPosition } from "@/lib/chain/read";
import { usePosition } from "@/lib/chain/usePosition";
import { formatDuration, formatHealth } from "@/lib/format/number";
import { derivePosition } from "./position/derive";
import { StatusPill } from "./position/StatusPill";
import { useChainClock } from "./position/useChainClock";

const linkClasses = "inline-flex h-10 items-center rounded-md bg-accent px-4 text-sm font-semibold text-accent-fg";

export function YourPositionLinkInner() {
  const { address, isConnected } = useConnection();
  if (!isConnected || !address) return null;
  return <YourPosition account={address} />;
}

/**
 * The connected borrower's health, zone and running grace countdown, read live (one request per block) with the
 * same words as the position page; a link to it either way.
 */
function YourPosition({ account }: { account: Address }) {
  const { data, dataUpdatedAt } = usePosition(account);
  const now = useChainClock(data?.timestamp ?? 0n, dataUpdatedAt);
  const link = (
    <Link href={`/position/${account}`} className={linkClasses} data-testid="your-position">
      Your position →
    </Link>
  );
  if (!data || isEmptyPosition(data)) return link;
  const { health, timers, status } = derivePosition(data, {}, now);
  const countdown =
    status === "soft-grace"
      ? `grace period: ${formatDuration(timers.graceRemaining)} left to top up or repay`
      : status === "soft-slicing" || status === "hard"
        ? "being liquidated: top up or repay now"
        : status === "soft-unflagged"
          ? "below 1: can be flagged at any moment"
          : undefined;
  return (
    <div className="flex flex-wrap items-center justify-end gap-3" data-testid="your-position-summary" data-status={status}>
      <p className="text-sm">
        Health <span className="font-semibold" data-testid="your-health">{health.ok ? formatHealth(health.healthFactor) : "—"}</span>
      </p>
      <StatusPill status={status} />
      {countdown && (
        <p className="text-sm font-semibold" role="status" data-testid="your-position-clock">
          {countdown}
        </p>
      )}
      {link}
    </div>
  );
}
