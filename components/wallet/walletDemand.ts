"use client";

import { useSyncExternalStore } from "react";

/**
 * Whether this page needs wallet code (wagmi, connectors) yet. A visitor who has never connected a wallet here, the
 * usual reader of a shared link, gets none until they ask to connect: the page's main thread is spent on the
 * position, not on wallet discovery. A visitor with a stored connection gets it at once, so it reconnects.
 */
let wanted: boolean | null = null;
let openOnLoad = false;
const listeners = new Set<() => void>();

/** wagmi's own storage (prefix "wagmi"): a current connection, or a wallet used here before. */
export function hasStoredConnection(storage: Pick<Storage, "getItem">): boolean {
  try {
    if (storage.getItem("wagmi.recentConnectorId") || storage.getItem("wagmi.devnetWallet")) return true;
    const store = storage.getItem("wagmi.store");
    if (!store) return false;
    const state = (JSON.parse(store) as { state?: { current?: unknown } }).state;
    return state?.current !== undefined && state.current !== null;
  } catch {
    return true; // unreadable storage: load the wallet rather than miss a connection
  }
}

function read(): boolean {
  if (wanted === null) {
    try {
      wanted = hasStoredConnection(window.localStorage);
    } catch {
      wanted = true;
    }
  }
  return wanted;
}

/** The visitor asked for a wallet (clicked Connect, or opened the devnet controls): load it everywhere on the page. */
export function requestWallet(options: { open?: boolean } = {}): void {
  if (options.open) openOnLoad = true;
  wanted = true;
  for (const l of listeners) l();
}

/** true right after the request, for the connect button that should open its menu on mount (the click that loaded it). */
export function takeOpenRequest(): boolean {
  const open = openOnLoad;
  // cleared a moment later, not at once: React may call a state initializer twice (development double render)
  if (open) setTimeout(() => (openOnLoad = false), 1_000);
  return open;
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useWalletWanted(): boolean {
  return useSyncExternalStore(subscribe, read, () => false);
}

const noSubscription = () => () => {};

/** false in the server render and during hydration, true after: a button rendered before hydration would lose its click. */
export function useHydrated(): boolean {
  return useSyncExternalStore(noSubscription, () => true, () => false);
}
