import { z } from "zod";
import { defineChain, type Chain } from "viem";
import { DEFAULT_DEVNET_RPC_URL, DEVNET_CHAIN_ID, devnetChain } from "./devnet";

/**
 * Public, client-safe settings. Each `process.env.NEXT_PUBLIC_*` is spelled out literally because Next inlines
 * them at build time only when written that way.
 */
const publicEnvSchema = z.object({
  NEXT_PUBLIC_CHAIN_ID: z.coerce
    .number({ error: "must be a number" })
    .int("must be an integer")
    .positive("must be a positive chain id")
    .default(DEVNET_CHAIN_ID),
  NEXT_PUBLIC_RPC_URL: z
    .url({ protocol: /^https?$/, error: "must be an http(s) URL" })
    .default(DEFAULT_DEVNET_RPC_URL),
  NEXT_PUBLIC_WALLETCONNECT_PROJECT_ID: z.string().trim().min(1).optional(),
});

export interface PublicEnv {
  chainId: number;
  rpcUrl: string;
  walletConnectProjectId: string | undefined;
}

export type PublicEnvResult = { ok: true; env: PublicEnv } | { ok: false; error: string };

const emptyToUndefined = (value: string | undefined) => (value === undefined || value.trim() === "" ? undefined : value);

function readPublicEnv(): PublicEnvResult {
  const parsed = publicEnvSchema.safeParse({
    NEXT_PUBLIC_CHAIN_ID: emptyToUndefined(process.env.NEXT_PUBLIC_CHAIN_ID),
    NEXT_PUBLIC_RPC_URL: emptyToUndefined(process.env.NEXT_PUBLIC_RPC_URL),
    NEXT_PUBLIC_WALLETCONNECT_PROJECT_ID: emptyToUndefined(process.env.NEXT_PUBLIC_WALLETCONNECT_PROJECT_ID),
  });
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    return { ok: false, error: `Invalid app configuration: ${issues}` };
  }
  return {
    ok: true,
    env: {
      chainId: parsed.data.NEXT_PUBLIC_CHAIN_ID,
      rpcUrl: parsed.data.NEXT_PUBLIC_RPC_URL,
      walletConnectProjectId: parsed.data.NEXT_PUBLIC_WALLETCONNECT_PROJECT_ID,
    },
  };
}

/** Validated once per bundle; an invalid value is reported by the error page instead of crashing imports. */
export const publicEnvResult: PublicEnvResult = readPublicEnv();

/** The validated settings, falling back to the devnet defaults so client modules can always build a chain. */
export const publicEnv: PublicEnv = publicEnvResult.ok
  ? publicEnvResult.env
  : { chainId: DEVNET_CHAIN_ID, rpcUrl: DEFAULT_DEVNET_RPC_URL, walletConnectProjectId: undefined };

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
