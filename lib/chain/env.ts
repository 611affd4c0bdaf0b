import { defineChain, type Chain } from "viem";
import { DEFAULT_DEVNET_RPC_URL, DEVNET_CHAIN_ID, devnetChain } from "./devnet";

/**
 * Public, client-safe settings, inlined by Next at build time (each `process.env.NEXT_PUBLIC_*` must be spelled
 * out literally for that). Strict validation with zod happens on the server in `config.ts`, which refuses to
 * render the app with a bad value; the browser bundle only reads the same values, so it stays free of zod.
 */
export const rawPublicEnv = {
  NEXT_PUBLIC_CHAIN_ID: process.env.NEXT_PUBLIC_CHAIN_ID,
  NEXT_PUBLIC_RPC_URL: process.env.NEXT_PUBLIC_RPC_URL,
  NEXT_PUBLIC_WALLETCONNECT_PROJECT_ID: process.env.NEXT_PUBLIC_WALLETCONNECT_PROJECT_ID,
  NEXT_PUBLIC_WATCHER_URL: process.env.NEXT_PUBLIC_WATCHER_URL,
} as const;

export interface PublicEnv {
  chainId: number;
  rpcUrl: string;
  walletConnectProjectId: string | undefined;
  /** The watcher's API (history, liquidation map, alerts); undefined when none is configured. */
  watcherUrl: string | undefined;
}

const present = (value: string | undefined) => (value === undefined || value.trim() === "" ? undefined : value.trim());

/** The configured values with the devnet defaults (validated by `loadAppConfig` before any page renders). */
export const publicEnv: PublicEnv = {
  chainId: Number(present(rawPublicEnv.NEXT_PUBLIC_CHAIN_ID) ?? DEVNET_CHAIN_ID),
  rpcUrl: present(rawPublicEnv.NEXT_PUBLIC_RPC_URL) ?? DEFAULT_DEVNET_RPC_URL,
  walletConnectProjectId: present(rawPublicEnv.NEXT_PUBLIC_WALLETCONNECT_PROJECT_ID),
  watcherUrl: present(rawPublicEnv.NEXT_PUBLIC_WATCHER_URL)?.replace(/\/$/, ""),
};

/** The chain the app talks to: the anvil devnet, or a generic chain with the configured id and RPC. */
export function appChain(env: PublicEnv = publicEnv): Chain {
  if (env.chainId === DEVNET_CHAIN_ID) return devnetChain(env.rpcUrl);
  return defineChain({
    id: env.chainId,
    name: `Chain ${env.chainId}`,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [env.rpcUrl] } },
  });
}
