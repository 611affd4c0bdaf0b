"use client";

import dynamic from "next/dynamic";
import { DEVNET_CHAIN_ID } from "@/lib/chain/devnet";
import { chain } from "@/lib/chain/wagmi";
import type { PositionSnapshot } from "@/lib/risk";

// Loaded on demand and never on the server: it exists only on the devnet and stays out of the first-load JS.
const DevnetPanel = dynamic(() => import("./DevnetPanel").then((m) => m.DevnetPanel), {
  ssr: false,
  loading: () => <p className="text-xs text-muted">Loading devnet controls…</p>,
});

/** The devnet controls, rendered only when the app runs on chain 31337. */
export function DevnetPanelLazy({ position }: { position?: PositionSnapshot }) {
  if (chain.id !== DEVNET_CHAIN_ID) return null;
  return <DevnetPanel position={position} />;
}
