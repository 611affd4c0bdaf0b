"use client";

import { QueryClientProvider } from "@tanstack/react-query";
import type { Address } from "viem";
import type { PositionView } from "@/lib/chain/read";
import { getQueryClient } from "@/lib/chain/query-client";
import { History } from "./History";

/**
 * The liquidation history of an account with nothing left (a closed position keeps its story). The share page has
 * no page-wide query client (it stays light), so this island brings the shared one.
 */
export function ClosedHistory({ account, position }: { account: Address; position: PositionView }) {
  return (
    <QueryClientProvider client={getQueryClient()}>
      <History account={account} position={position} />
    </QueryClientProvider>
  );
}
