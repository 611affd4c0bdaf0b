"use client";

import dynamic from "next/dynamic";
import { requestWallet, useHydrated, useWalletWanted } from "./wallet/walletDemand";

/**
 * The wallet button (components/wallet, owned by the actions work) with its own wagmi boundary, loaded after the
 * page: the share page must render and hydrate without wallet code on its critical path. The placeholder keeps
 * the header from shifting.
 */
const HeaderWalletIsland = dynamic(() => import("./HeaderWalletIsland").then((m) => m.HeaderWalletIsland), {
  ssr: false,
  loading: () => <span className="inline-block h-9 w-36" aria-hidden="true" />,
});

export function HeaderWallet() {
  const wanted = useWalletWanted();
  const hydrated = useHydrated();
  return (
    <div className="flex min-h-9 min-w-36 items-center justify-end">
      {!hydrated ? (
        <span className="inline-block h-9 w-36" aria-hidden="true" />
      ) : wanted ? (
        <HeaderWalletIsland />
      ) : (
        // The same button, without wallet code behind it until it is clicked (components/wallet/walletDemand).
        <button
          type="button"
          data-testid="connect-button"
          aria-haspopup="dialog"
          aria-expanded={false}
          onClick={() => requestWallet({ open: true })}
          className="h-9 rounded-lg bg-accent px-3 text-sm font-semibold text-accent-fg hover:opacity-90"
        >
          Connect wallet
        </button>
      )}
    </div>
  );
}
