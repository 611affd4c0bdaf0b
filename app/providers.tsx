"use client";

import { usePathname } from "next/navigation";
import { lazy, Suspense, type ReactNode } from "react";
import type { Deployment } from "@/lib/chain/deployment";
import { DeploymentProvider } from "@/lib/chain/deployment-context";

/**
 * wagmi + TanStack Query for whole pages, as a separate chunk (see components/WalletBoundary.tsx). Server-rendered
 * so pages that use wallet hooks directly hydrate normally. React.lazy rather than next/dynamic: Turbopack's dev
 * server preloads a chunk name for next/dynamic that it never serves (a 404 in the console of every page).
 */
const WalletBoundary = lazy(() => import("@/components/WalletBoundary").then((m) => ({ default: m.WalletBoundary })));

/**
 * Client-side context for every page.
 *
 * - Deployment addresses for all pages: `useDeployment()` (lib/chain/deployment-context).
 * - wagmi (WagmiProvider) and TanStack Query (QueryClientProvider, one shared client from lib/chain/query-client):
 *   every page is wrapped in <WalletBoundary> EXCEPT the shareable position page, which must load fast without a
 *   wallet (DESIGN §6: <= 120 kB first-load JS). There the parts that need a wallet or queries mount their own
 *   <WalletBoundary> when they load (components/WalletIsland.tsx, the live dashboard, the actions slot).
 */
export function Providers({ deployment, children }: { deployment: Deployment; children: ReactNode }) {
  const pathname = usePathname();
  const sharePage = pathname?.startsWith("/position/") ?? false;
  return (
    <DeploymentProvider deployment={deployment}>
      {sharePage ? (
        children
      ) : (
        <Suspense>
          <WalletBoundary>{children}</WalletBoundary>
        </Suspense>
      )}
    </DeploymentProvider>
  );
}
