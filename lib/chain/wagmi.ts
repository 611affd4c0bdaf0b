import { createConfig, http, injected, type CreateConnectorFn } from "wagmi";
import { walletConnect } from "wagmi/connectors/walletConnect";
import { DEVNET_CHAIN_ID } from "./devnet";
import { DEVNET_WALLET_ACCOUNTS, devnetWallet } from "./devnet-wallet";
import { appChain, publicEnv } from "./env";

/** The chain the whole app (reads, wallet, writes) uses, built from the validated NEXT_PUBLIC_* settings. */
export const chain = appChain(publicEnv);

/**
 * Wallets offered to the visitor:
 * - every injected wallet that announces itself through EIP-6963 (wagmi's multiInjectedProviderDiscovery, on by
 *   default), plus the legacy `window.ethereum` one as a fallback;
 * - WalletConnect only when a project id is configured (its provider package is an optional peer, loaded on
 *   first use, so nothing is fetched at build time);
 * - on the devnet, the built-in devnet wallet (anvil test accounts) so a newcomer needs nothing installed.
 */
function connectors(): CreateConnectorFn[] {
  const list: CreateConnectorFn[] = [injected()];
  if (publicEnv.walletConnectProjectId) {
    list.push(walletConnect({ projectId: publicEnv.walletConnectProjectId, showQrModal: true }));
  }
  if (chain.id === DEVNET_CHAIN_ID) list.push(...DEVNET_WALLET_ACCOUNTS.map((index) => devnetWallet(index)));
  return list;
}

/**
 * wagmi config shared by the wallet and the actions. `ssr: true` keeps the first client render equal to the
 * server's (no wallet yet) and reconnects after hydration.
 */
export const wagmiConfig = createConfig({
  chains: [chain],
  connectors: connectors(),
  multiInjectedProviderDiscovery: true,
  transports: { [chain.id]: http(publicEnv.rpcUrl) },
  ssr: true,
});

declare module "wagmi" {
  interface Register {
    config: typeof wagmiConfig;
  }
}
