"use client";

import { ActionsPanel } from "@/components/actions/ActionsPanel";
import { DevnetPanelLazy } from "@/components/devnet/DevnetPanelLazy";
import { WalletBoundary } from "@/components/WalletBoundary";
import type { PositionView } from "@/lib/chain/read";
import type { PositionSnapshot } from "@/lib/risk";

/** The owner's actions and, on the devnet only, the devnet controls at the end of the same panel. */
export function ActionsIslandInner({ position }: { position: PositionView }) {
  return (
    <WalletBoundary>
      <ActionsPanel position={position}>
        <DevnetPanelLazy position={position as unknown as PositionSnapshot} />
      </ActionsPanel>
    </WalletBoundary>
  );
}
