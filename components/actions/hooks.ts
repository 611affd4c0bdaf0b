"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useState } from "react";
import type { Address } from "viem";
import { useConfig, useConnection } from "wagmi";
import { readContract } from "wagmi/actions";
import { mockErc20Abi } from "@/lib/chain/abis";
import type { ErrorContext } from "@/lib/chain/errors";
import { chainQueryKeys } from "@/lib/chain/read";
import { chain } from "@/lib/chain/wagmi";
import type { Flow } from "@/lib/chain/flows";
import { runFlow, type ActionResult } from "@/lib/chain/write";
import { dismissToast, showToast, updateToast } from "@/components/wallet/toasts";

/** Wallet balances of `tokens` (same order), refreshed after every transaction of ours (same key prefix). */
export function useWalletBalances(account: Address | undefined, tokens: readonly Address[]) {
  const config = useConfig();
  return useQuery({
    queryKey: [...chainQueryKeys.all, chain.id, "wallet", account?.toLowerCase() ?? "", ...tokens.map((t) => t.toLowerCase())],
    enabled: !!account && tokens.length > 0,
    queryFn: () =>
      Promise.all(
        tokens.map((token) =>
          readContract(config, {
            address: token,
            abi: mockErc20Abi,
            functionName: "balanceOf",
            args: [account!],
            chainId: chain.id,
          }),
        ),
      ),
    staleTime: 2_000,
  });
}

/**
 * Runs a borrower's flow (lib/chain/flows, sent by lib/chain/write) with one toast per step, and refetches the
 * position, its history and the wallet balances as soon as the last receipt arrives. A refusal in the wallet shows
 * nothing.
 */
export function useRunAction() {
  const config = useConfig();
  const connection = useConnection();
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState(false);
  const [lastError, setLastError] = useState<string | null>(null);

  const run = useCallback(
    async (flow: Flow, errorContext?: ErrorContext): Promise<ActionResult | undefined> => {
      if (connection.status !== "connected") return undefined;
      setBusy(true);
      setLastError(null);
      const toastIds = new Map<string, number>();
      try {
        const result = await runFlow({
          flow,
          errorContext,
          config,
          account: connection.address,
          chainId: chain.id,
          onUpdate: (update) => {
            if (update.phase === "failed" && update.error?.rejected) {
              // The user said no in the wallet: close the step's toast quietly.
              const id = toastIds.get(update.label);
              if (id !== undefined) dismissToast(id);
              return;
            }
            const id = toastIds.get(update.label);
            const patch = { title: update.label, phase: update.phase, hash: update.hash, detail: update.error?.message };
            if (id === undefined) toastIds.set(update.label, showToast(patch));
            else updateToast(id, patch);
          },
        });
        if (!result.ok && !result.error.rejected) setLastError(result.error.message);
        return result;
      } finally {
        // Refetch even after a failure: an approval or a first deposit may have gone through.
        await queryClient.invalidateQueries({ queryKey: chainQueryKeys.all });
        setBusy(false);
      }
    },
    [config, connection, queryClient],
  );

  return { run, busy, lastError, clearError: () => setLastError(null) };
}
