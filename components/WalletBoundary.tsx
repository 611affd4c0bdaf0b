"use client";

import { QueryClientProvider } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { WagmiProvider } from "wagmi";
import { getQueryClient } from "@/lib/chain/query-client";
import { wagmiConfig } from "@/lib/chain/wagmi";

/**
 * wagmi and TanStack Query around `children`. Several boundaries may exist on one page: they share the same wagmi
 * config (one wallet state) and the same QueryClient (one cache), so a connection or an invalidation made in one
 * is seen by all.
 */
export function WalletBoundary({ children, reconnectOnMount = true }: { children: ReactNode; reconnectOnMount?: boolean }) {
  return (
    <WagmiProvider config={wagmiConfig} reconnectOnMount={reconnectOnMount}>
      <QueryClientProvider client={getQueryClient()}>{children}</QueryClientProvider>
    </WagmiProvider>
  );
}
