"use client";

import { ConnectButton } from "@/components/wallet/ConnectButton";
import { WalletBoundary } from "./WalletBoundary";

export function HeaderWalletIsland() {
  return (
    <WalletBoundary>
      <ConnectButton />
    </WalletBoundary>
  );
}
