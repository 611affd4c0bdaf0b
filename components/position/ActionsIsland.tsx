"use client";

import dynamic from "next/dynamic";
import type { PositionView } from "@/lib/chain/read";
import { ACTIONS_SLOT_CLASS, ActionsPlaceholder } from "./frames";

/**
 * The owner's actions (components/actions/ActionsPanel, by the actions work) inside their own wagmi boundary,
 * loaded after the live view: wallet code never sits on the share page's critical path.
 */
const Island = dynamic(() => import("./ActionsIslandInner").then((m) => m.ActionsIslandInner), {
  ssr: false,
  loading: () => <ActionsPlaceholder />,
});

export function ActionsIsland({ position }: { position: PositionView }) {
  return (
    <div className={ACTIONS_SLOT_CLASS} data-testid="actions-slot">
      <Island position={position} />
    </div>
  );
}
