"use client";

import Link from "next/link";
import { useEffect, useId, useRef, useState } from "react";
import { useConnect, useConnection, useConnectors, useDisconnect, type Connector } from "wagmi";
import { describeError } from "@/lib/chain/errors";
import {
  DEFAULT_DEVNET_ACCOUNT,
  DEVNET_WALLET_ACCOUNTS,
  devnetConnectorId,
  isDevnetConnectorId,
  type DevnetWalletAccount,
} from "@/lib/chain/devnet-wallet";
import { chain } from "@/lib/chain/wagmi";
import { shortAddress } from "@/lib/format/number";
import { Toaster } from "./toasts";
import { takeOpenRequest } from "./walletDemand";
import { WrongNetworkButton } from "./WrongNetwork";

/** Injected wallets worth listing: EIP-6963 announcements, or the legacy `window.ethereum` when none announce. */
function browserWallets(connectors: readonly Connector[]): Connector[] {
  const injected = connectors.filter((c) => c.type === "injected");
  const announced = injected.filter((c) => c.id !== "injected");
  if (announced.length > 0) return announced;
  const hasLegacy = typeof window !== "undefined" && !!(window as { ethereum?: unknown }).ethereum;
  return hasLegacy ? injected : [];
}

/**
 * The header's wallet control: connect (browser wallets found through EIP-6963, WalletConnect when configured,
 * the built-in devnet wallet on chain 31337), the connected account with a link to its position, a one-click
 * network switch when the wallet is on another chain, and disconnect. Also hosts the transaction toasts.
 */
export function ConnectButton() {
  const connection = useConnection();
  const connectors = useConnectors();
  const connect = useConnect();
  const disconnect = useDisconnect();
  // Opened by the click that loaded the wallet code (components/wallet/walletDemand), so that click is not lost.
  const [open, setOpen] = useState<boolean>(takeOpenRequest);
  const [devnetAccount, setDevnetAccount] = useState<DevnetWalletAccount>(DEFAULT_DEVNET_ACCOUNT);
  const [error, setError] = useState<string | null>(null);
  const menuRef = useRef<HTMLDivElement>(null);
  const menuId = useId();

  useEffect(() => {
    if (!open) return;
    const onClick = (event: MouseEvent) => {
      if (menuRef.current && !menuRef.current.contains(event.target as Node)) setOpen(false);
    };
    const onKey = (event: KeyboardEvent) => event.key === "Escape" && setOpen(false);
    document.addEventListener("mousedown", onClick);
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("mousedown", onClick);
      document.removeEventListener("keydown", onKey);
    };
  }, [open]);

  const wallets = browserWallets(connectors);
  const walletConnect = connectors.find((c) => c.type === "walletConnect");
  const devnetConnector = connectors.find((c) => c.id === devnetConnectorId(devnetAccount));

  async function connectWith(connector: Connector) {
    setError(null);
    try {
      await connect.mutateAsync({ connector, chainId: chain.id });
      setOpen(false);
    } catch (e) {
      const decoded = describeError(e);
      if (decoded.rejected) return;
      // WalletConnect's provider is an optional package, loaded on first use; a build without it says so plainly.
      const missingWalletConnect =
        connector.type === "walletConnect" && /walletconnect|Cannot find module|Failed to fetch dynamically/i.test(decoded.message);
      setError(
        missingWalletConnect
          ? "WalletConnect is configured but its provider package (@walletconnect/ethereum-provider) is not installed in this build."
          : decoded.message,
      );
    }
  }

  if (connection.status === "connected") {
    const wrongNetwork = connection.chainId !== chain.id;
    const isDevnet = isDevnetConnectorId(connection.connector.id);
    return (
      <div className="relative flex items-center gap-2" ref={menuRef}>
        {wrongNetwork && <WrongNetworkButton />}
        <button
          type="button"
          data-testid="account-button"
          aria-haspopup="menu"
          aria-expanded={open}
          aria-controls={menuId}
          onClick={() => setOpen((o) => !o)}
          className="flex h-9 items-center gap-2 rounded-lg border border-border bg-card px-3 text-sm font-medium hover:bg-bg"
        >
          <span aria-hidden className={`h-2 w-2 rounded-full ${wrongNetwork ? "bg-hard" : "bg-healthy"}`} />
          <span className="font-mono" data-testid="connected-address" data-address={connection.address}>
            {shortAddress(connection.address)}
          </span>
        </button>
        {open && (
          <div
            id={menuId}
            role="menu"
            className="absolute right-0 top-11 z-40 w-64 rounded-lg border border-border bg-card p-2 text-sm shadow-lg"
          >
            <p className="px-2 py-1 text-xs text-muted">
              {connection.connector.name}
              {isDevnet && " — anvil test account, devnet only"}
            </p>
            <Link
              role="menuitem"
              href={`/position/${connection.address}`}
              onClick={() => setOpen(false)}
              className="block rounded px-2 py-2 hover:bg-bg"
            >
              Your position
            </Link>
            <Link role="menuitem" href="/borrow" onClick={() => setOpen(false)} className="block rounded px-2 py-2 hover:bg-bg">
              Open a position
            </Link>
            <button
              type="button"
              role="menuitem"
              data-testid="disconnect"
              onClick={() => {
                disconnect.mutate({ connector: connection.connector });
                setOpen(false);
              }}
              className="block w-full rounded px-2 py-2 text-left hover:bg-bg"
            >
              Disconnect
            </button>
          </div>
        )}
        <Toaster />
      </div>
    );
  }

  const busy = connection.status === "connecting" || connection.status === "reconnecting" || connect.isPending;
  return (
    <div className="relative" ref={menuRef}>
      <button
        type="button"
        data-testid="connect-button"
        aria-haspopup="dialog"
        aria-expanded={open}
        aria-controls={menuId}
        onClick={() => setOpen((o) => !o)}
        className="h-9 rounded-lg bg-accent px-3 text-sm font-semibold text-accent-fg hover:opacity-90"
      >
        {busy ? "Connecting…" : "Connect wallet"}
      </button>
      {open && (
        <div
          id={menuId}
          role="dialog"
          aria-label="Connect a wallet"
          className="absolute right-0 top-11 z-40 w-[min(20rem,calc(100vw-2rem))] rounded-lg border border-border bg-card p-3 text-sm shadow-lg"
        >
          <p className="mb-2 font-semibold">Connect a wallet</p>
          <ul className="space-y-1">
            {wallets.map((connector) => (
              <li key={connector.uid}>
                <button
                  type="button"
                  disabled={busy}
                  onClick={() => connectWith(connector)}
                  className="flex w-full items-center gap-2 rounded border border-border px-3 py-2 text-left hover:bg-bg disabled:opacity-60"
                >
                  {connector.icon && (
                    // eslint-disable-next-line @next/next/no-img-element -- EIP-6963 icons are data: URIs
                    <img src={connector.icon} alt="" width={20} height={20} />
                  )}
                  {connector.id === "injected" ? "Browser wallet" : connector.name}
                </button>
              </li>
            ))}
            {wallets.length === 0 && (
              <li className="rounded bg-bg px-3 py-2 text-muted">No browser wallet found in this browser.</li>
            )}
            {walletConnect && (
              <li>
                <button
                  type="button"
                  disabled={busy}
                  onClick={() => connectWith(walletConnect)}
                  className="w-full rounded border border-border px-3 py-2 text-left hover:bg-bg disabled:opacity-60"
                >
                  WalletConnect
                </button>
              </li>
            )}
          </ul>
          {devnetConnector && (
            <div className="mt-3 border-t border-border pt-3">
              <p className="mb-1 font-medium">Devnet wallet</p>
              <p className="mb-2 text-xs text-muted">
                Nothing to install: signs with one of anvil&apos;s public test accounts through the devnet node.
              </p>
              <div className="flex gap-2">
                <label className="sr-only" htmlFor={`${menuId}-account`}>
                  Devnet account
                </label>
                <select
                  id={`${menuId}-account`}
                  data-testid="devnet-account-select"
                  value={devnetAccount}
                  onChange={(e) => setDevnetAccount(Number(e.target.value) as DevnetWalletAccount)}
                  className="rounded border border-border bg-card px-2"
                >
                  {DEVNET_WALLET_ACCOUNTS.map((index) => (
                    <option key={index} value={index}>
                      Account #{index}
                    </option>
                  ))}
                </select>
                <button
                  type="button"
                  data-testid="connect-devnet"
                  disabled={busy}
                  onClick={() => connectWith(devnetConnector)}
                  className="flex-1 rounded bg-accent px-3 py-2 font-semibold text-accent-fg hover:opacity-90 disabled:opacity-60"
                >
                  Use devnet wallet
                </button>
              </div>
            </div>
          )}
          {error && (
            <p role="alert" className="mt-2 text-hard">
              {error}
            </p>
          )}
        </div>
      )}
      <Toaster />
    </div>
  );
}
