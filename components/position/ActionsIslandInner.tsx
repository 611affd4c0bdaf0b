"use client";

import { ActionsPanel } from "@/components/actions/ActionsPanel";
import { WalletBoundary } from "@/components/WalletBoundary";
import type { PositionView } from "@/lib/chain/read";

export function ActionsIslandInner({ position }: { position: PositionView }) {
  return (
    <WalletBoundary>
      <ActionsPanel position={position} />
    </WalletBoundary>
  );
}
