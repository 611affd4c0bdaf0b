import { createConfig, http, injected } from "wagmi";
import { appChain, publicEnv } from "./env";

/** The chain the whole app (reads, wallet, writes) uses, built from the validated NEXT_PUBLIC_* settings. */
export const chain = appChain(publicEnv);

/**
 * wagmi config shared by the wallet and the actions. `ssr: true` keeps the first client render equal to the
 * server's (no wallet yet) and reconnects after hydration.
 */
export const wagmiConfig = createConfig({
  chains: [chain],
  connectors: [injected()],
  transports: { [chain.id]: http(publicEnv.rpcUrl) },
  ssr: true,
});

declare module "wagmi" {
  interface Register {
    config: typeof wagmiConfig;
  }
}
