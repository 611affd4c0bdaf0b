"use client";

import dynamic from "next/dynamic";
import type { PositionView } from "@/lib/chain/read";
import { requestWallet, useWalletWanted } from "@/components/wallet/walletDemand";
import { ACTIONS_SLOT_CLASS, ActionsPlaceholder } from "./frames";

/**
 * The owner's actions (components/actions/ActionsPanel, by the actions work) inside their own wagmi boundary,
 * loaded after the live view: wallet code never sits on the share page's critical path.
 */
const Island = dynamic(() => import("./ActionsIslandInner").then((m) => m.ActionsIslandInner), {
  ssr: false,
  loading: () => <ActionsPlaceholder />,
});

const DEVNET = process.env.NEXT_PUBLIC_CHAIN_ID === undefined || process.env.NEXT_PUBLIC_CHAIN_ID === "31337";

export function ActionsIsland({ position }: { position: PositionView }) {
  const wanted = useWalletWanted();
  return (
    <div className={ACTIONS_SLOT_CLASS} data-testid="actions-slot">
      {wanted ? (
        <Island position={position} />
      ) : (
        // What the panel says to a visitor without a wallet, without loading wallet code (components/wallet/walletDemand).
        <section aria-labelledby="actions-title" data-testid="actions-panel" className="space-y-4 rounded-xl border border-border bg-card p-4">
          <h2 id="actions-title" className="text-lg font-semibold">
            Manage this position
          </h2>
          <p className="text-sm text-muted">
            <button type="button" className="text-accent underline" onClick={() => requestWallet({ open: true })}>
              Connect the owner&apos;s wallet
            </button>{" "}
            to top up, repay, borrow or withdraw.
          </p>
          {DEVNET && (
            <button
              type="button"
              data-testid="show-devnet-controls"
              onClick={() => requestWallet()}
              className="rounded-md border border-dashed border-border px-3 py-2 text-sm"
            >
              Devnet controls: test tokens, prices, time
            </button>
          )}
        </section>
      )}
    </div>
  );
}
