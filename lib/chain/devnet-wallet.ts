import { createConnector, mock, type CreateConnectorFn } from "wagmi";
import { ANVIL_ACCOUNTS } from "./devnet";

/** Anvil accounts a visitor may use as the built-in devnet wallet (0–2 deploy, lend and run the keeper). */
export const DEVNET_WALLET_ACCOUNTS = [9, 8, 7, 6, 5, 4, 3] as const;
export type DevnetWalletAccount = (typeof DEVNET_WALLET_ACCOUNTS)[number];

/** The account a newcomer gets: the last anvil account, which the demo seed leaves without a position. */
export const DEFAULT_DEVNET_ACCOUNT: DevnetWalletAccount = 9;

export const DEVNET_CONNECTOR_PREFIX = "devnet-";

export function devnetConnectorId(index: DevnetWalletAccount): string {
  return `${DEVNET_CONNECTOR_PREFIX}${index}`;
}

export function isDevnetConnectorId(id: string | undefined): boolean {
  return !!id && id.startsWith(DEVNET_CONNECTOR_PREFIX);
}

const STORAGE_KEY = "devnetWallet";

/**
 * A built-in wallet for one anvil test account: wagmi's `mock` connector, which forwards every request, signing
 * included, to the chain's real RPC, where anvil holds the unlocked test keys. Devnet only: anvil's keys are public.
 *
 * The mock connector either reconnects every instance on load or none; this wrapper remembers which devnet
 * account the visitor chose (in wagmi's own storage) so only that one reconnects after a reload.
 */
export function devnetWallet(index: DevnetWalletAccount): CreateConnectorFn {
  const account = ANVIL_ACCOUNTS[index];
  if (!account) throw new Error(`anvil account ${index} does not exist`);
  const base = mock({ accounts: [account.address], features: { reconnect: true } });
  return createConnector((config) => {
    const inner = base(config);
    return {
      ...inner,
      id: devnetConnectorId(index),
      name: `Devnet wallet #${index}`,
      async connect(parameters?: Parameters<typeof inner.connect>[0]) {
        const result = await inner.connect.call(this, parameters);
        await config.storage?.setItem(STORAGE_KEY, String(index));
        return result;
      },
      async disconnect() {
        await config.storage?.removeItem(STORAGE_KEY);
        return inner.disconnect.call(this);
      },
      async isAuthorized() {
        const chosen = await config.storage?.getItem(STORAGE_KEY);
        return chosen === String(index);
      },
    } as typeof inner;
  }) as CreateConnectorFn;
}
