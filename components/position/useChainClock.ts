"use client";

import { useEffect, useState } from "react";

/**
 * Chain time that ticks every second between blocks: the snapshot's block timestamp plus the wall time since it
 * was read. (The devnet can warp its clock, so wall time alone would be wrong.) Before hydration it is the
 * snapshot time, so server and client render the same text.
 */
export function useChainClock(snapshotTimestamp: bigint, readAtMs: number): bigint {
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    const tick = () => setNow(Date.now());
    const first = setTimeout(tick, 0);
    const timer = setInterval(tick, 1_000);
    return () => {
      clearTimeout(first);
      clearInterval(timer);
    };
  }, []);
  if (now === null) return snapshotTimestamp;
  const elapsed = Math.max(0, Math.floor((now - readAtMs) / 1000));
  return snapshotTimestamp + BigInt(elapsed);
}
