"use client";

import { useState } from "react";
import { useConnection, useSwitchChain } from "wagmi";
import { describeError } from "@/lib/chain/errors";
import { chain } from "@/lib/chain/wagmi";

function useSwitchToAppChain() {
  const switchChain = useSwitchChain();
  const [error, setError] = useState<string | null>(null);
  const run = async () => {
    setError(null);
    try {
      // Injected wallets that do not know the chain are asked to add it (wallet_addEthereumChain) by wagmi.
      await switchChain.mutateAsync({ chainId: chain.id });
    } catch (e) {
      const decoded = describeError(e);
      if (!decoded.rejected) setError(decoded.message);
    }
  };
  return { run, pending: switchChain.isPending, error };
}

/** Compact one-click switch for the header. */
export function WrongNetworkButton() {
  const { run, pending, error } = useSwitchToAppChain();
  return (
    <button
      type="button"
      data-testid="switch-network"
      onClick={run}
      disabled={pending}
      title={error ?? `Your wallet is on another network. Switch to ${chain.name}.`}
      className="h-9 rounded-lg border border-hard bg-hard-bg px-3 text-sm font-semibold text-hard disabled:opacity-60"
    >
      {pending ? "Switching…" : "Wrong network"}
    </button>
  );
}

/**
 * Shown in place of a form when the wallet is on another chain: says so and switches in one click. Renders
 * nothing when the wallet is on the app's chain or not connected.
 */
export function WrongNetworkNotice() {
  const connection = useConnection();
  const { run, pending, error } = useSwitchToAppChain();
  if (connection.status !== "connected" || connection.chainId === chain.id) return null;
  return (
    <div role="alert" data-testid="wrong-network" className="rounded-lg border border-hard bg-hard-bg p-3 text-sm">
      <p>
        Your wallet is on chain {connection.chainId}. This app works on <strong>{chain.name}</strong> (chain{" "}
        {chain.id}).
      </p>
      <button
        type="button"
        onClick={run}
        disabled={pending}
        className="mt-2 rounded bg-accent px-3 py-1.5 font-semibold text-accent-fg disabled:opacity-60"
      >
        {pending ? "Switching…" : `Switch to ${chain.name}`}
      </button>
      {error && <p className="mt-2 text-hard">{error}</p>}
    </div>
  );
}

/** True when a wallet is connected to the app's chain. */
export function useOnAppChain(): boolean {
  const connection = useConnection();
  return connection.status === "connected" && connection.chainId === chain.id;
}
