"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
import { WagmiProvider } from "wagmi";
import type { Deployment } from "@/lib/chain/deployment";
import { DeploymentProvider } from "@/lib/chain/deployment-context";
import { wagmiConfig } from "@/lib/chain/wagmi";

/**
 * Client-side context for every page: wagmi (wallet, chain), TanStack Query (chain reads cache) and the
 * deployment addresses (`useDeployment()` from lib/chain/deployment-context).
 */
export function Providers({ deployment, children }: { deployment: Deployment; children: ReactNode }) {
  const [queryClient] = useState(
    () =>
      new QueryClient({
        defaultOptions: { queries: { staleTime: 4_000, refetchOnWindowFocus: false, retry: 1 } },
      }),
  );
  return (
    <WagmiProvider config={wagmiConfig}>
      <QueryClientProvider client={queryClient}>
        <DeploymentProvider deployment={deployment}>{children}</DeploymentProvider>
      </QueryClientProvider>
    </WagmiProvider>
  );
}
