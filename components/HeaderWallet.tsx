"use client";

import dynamic from "next/dynamic";

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
  return (
    <div className="flex min-h-9 min-w-36 items-center justify-end">
      <HeaderWalletIsland />
    </div>
  );
}
