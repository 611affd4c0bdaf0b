"use client";

import Link from "next/link";
import { useConnection } from "wagmi";

export function YourPositionLinkInner() {
  const { address, isConnected } = useConnection();
  if (!isConnected || !address) return null;
  return (
    <Link
      href={`/position/${address}`}
      className="inline-flex h-10 items-center rounded-md bg-accent px-4 text-sm font-semibold text-accent-fg"
      data-testid="your-position"
    >
      Your position →
    </Link>
  );
}
