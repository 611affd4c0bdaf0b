"use client";

import { useInfiniteQuery, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import type { Address } from "viem";
import { watchNewBlocks } from "./blocks";
import { useDeployment } from "./deployment-context";
import { publicEnv } from "./env";
import { readHistoryPage } from "./history";
import { chainQueryKeys, readPosition, type PositionView } from "./read";

/** The key to invalidate after the user's own transaction: `queryClient.invalidateQueries({ queryKey })`. */
export function positionQueryKey(account: Address, chainId: number = publicEnv.chainId) {
  return chainQueryKeys.position(chainId, account);
}

export function historyQueryKey(account: Address, chainId: number = publicEnv.chainId) {
  return chainQueryKeys.history(chainId, account);
}

/**
 * The live position: one `lens.getPosition` eth_call per refresh, refetched when a new block arrives (pushed over
 * the node's WebSocket, so watching costs no requests) and whenever someone invalidates `positionQueryKey`.
 * `initialData` is the server-rendered read, so the first paint needs no request at all.
 */
export function usePosition(account: Address, options: { initialData?: PositionView; enabled?: boolean } = {}) {
  const deployment = useDeployment();
  const queryClient = useQueryClient();
  const queryKey = positionQueryKey(account, deployment.chainId);
  const enabled = options.enabled ?? true;

  const query = useQuery({
    queryKey,
    queryFn: () => readPosition(account, deployment),
    initialData: options.initialData,
    // The server read counts as fresh (updated "now"); the next block triggers the next read.
    staleTime: Infinity,
    enabled,
    retry: 1,
  });

  // Blocks the current data already reflects must not trigger another read.
  const lastBlock = useRef<bigint | undefined>(undefined);
  useEffect(() => {
    lastBlock.current = query.data?.blockNumber;
  }, [query.data?.blockNumber]);

  const chainId = deployment.chainId;
  useEffect(() => {
    if (!enabled) return;
    const key = positionQueryKey(account, chainId);
    return watchNewBlocks(publicEnv.rpcUrl, (blockNumber) => {
      if (lastBlock.current === undefined || blockNumber > lastBlock.current) {
        void queryClient.invalidateQueries({ queryKey: key, exact: true });
      }
    });
  }, [enabled, account, chainId, queryClient]);

  return query;
}

/**
 * Flags, slices, liquidations, bad debt and protection (policy changes and executions) of `account` from events. A
 * separate query from the position (not part of its one-request budget); it reloads only when the liquidation clock,
 * the policy's version or the scaled debt changes (interest moves the debt, not the scaled debt; an execution of the
 * policy moves the scaled debt but neither the clock nor the version).
 */
export function useHistory(account: Address, position: PositionView | undefined) {
  const deployment = useDeployment();
  const changes = [position?.flaggedAt.toString(), position?.lastSliceAt.toString(), position?.scaledDebt.toString(), position?.policyVersion.toString()] as const;
  // The block at which the liquidation clock last changed: the history must cover at least that block.
  const changeKey = changes.join("|");
  const [needed, setNeeded] = useState<{ key: string; block: bigint } | null>(null);
  if (position && needed?.key !== changeKey) setNeeded({ key: changeKey, block: position.blockNumber });
  return useInfiniteQuery({
    queryKey: [...historyQueryKey(account, deployment.chainId), ...changes],
    queryFn: ({ pageParam }) => readHistoryPage(account, deployment, { watcherUrl: publicEnv.watcherUrl, before: pageParam }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next,
    enabled: position !== undefined,
    staleTime: Infinity,
    // The watcher indexes a moment after the block the position was read at: until it has caught up with that
    // block, ask again each second, so an event that just happened is not missing from the list.
    refetchInterval: (query) => {
      const covered = query.state.data?.pages[0]?.coveredBlock;
      return needed && covered !== null && covered !== undefined && covered < needed.block ? 1_000 : false;
    },
    retry: 1,
  });
}
