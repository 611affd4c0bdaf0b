/** A real market on a fresh anvil for the watcher's tests: deployed, lent into, with helpers to open positions. */
import pino from "pino";
import { parseUnits, type Address } from "viem";
import { mockErc20Abi, softLandingMarketAbi } from "../../lib/chain/abis";
import type { Deployment } from "../../lib/chain/deployment";
import { ANVIL_ACCOUNTS } from "../../lib/chain/devnet";
import { deployMarket, startAnvil, type AnvilHandle } from "../../lib/devnet/anvil";
import { connect, mintAndDeposit, parseFeedPrice, sendAndWait, setFeedPrice, tokenAddress, type ChainClients } from "../../lib/devnet/chain-ops";
import type { WatcherConfig } from "../config";
import type { DatabaseTarget } from "../db";

export interface TestMarket {
  anvil: AnvilHandle;
  clients: ChainClients;
  deployment: Deployment;
  /** Relative to the repository root (for a watcher process's DEPLOYMENT_FILE). */
  deploymentFile: string;
  openPosition(index: number, collateral: Record<string, bigint>, borrowUsdc: string): Promise<Address>;
  setPrice(symbol: string, usd: string): Promise<void>;
  /** Sends a market call from anvil account `index`. */
  call(index: number, functionName: string, args: readonly unknown[]): Promise<void>;
  config(database: DatabaseTarget, overrides?: Partial<WatcherConfig>): WatcherConfig;
  stop(): Promise<void>;
}

export const silentLog = pino({ level: process.env.WATCHER_TEST_LOG ?? "silent" });

export async function startTestMarket(name: string): Promise<TestMarket> {
  const anvil = await startAnvil();
  const deploymentFile = `deployments/.local/${name}-${process.pid}.json`;
  const deployment = await deployMarket({ rpcUrl: anvil.rpcUrl, deploymentFile });
  const clients = await connect(anvil.rpcUrl, { pollingInterval: 50 });
  const lender = clients.wallet(ANVIL_ACCOUNTS[1]!.privateKey);
  const loan = tokenAddress(deployment, "USDC");
  const usdc = (n: string) => parseUnits(n, 6);
  await sendAndWait(clients, lender, { address: loan, abi: mockErc20Abi, functionName: "mint", args: [lender.account.address, usdc("10000000")] });
  await sendAndWait(clients, lender, { address: loan, abi: mockErc20Abi, functionName: "approve", args: [deployment.market, usdc("10000000")] });
  await sendAndWait(clients, lender, { address: deployment.market, abi: softLandingMarketAbi, functionName: "deposit", args: [usdc("10000000"), lender.account.address] });
  const driver = () => clients.wallet(ANVIL_ACCOUNTS[0]!.privateKey);

  const market: TestMarket = {
    anvil,
    clients,
    deployment,
    deploymentFile,
    async openPosition(index, collateral, borrowUsdc) {
      const wallet = clients.wallet(ANVIL_ACCOUNTS[index]!.privateKey);
      for (const [asset, amount] of Object.entries(collateral)) await mintAndDeposit(clients, wallet, deployment, asset, amount);
      await sendAndWait(clients, wallet, {
        address: deployment.market,
        abi: softLandingMarketAbi,
        functionName: "borrow",
        args: [usdc(borrowUsdc), wallet.account.address, wallet.account.address],
      });
      return wallet.account.address;
    },
    setPrice: (symbol, usd) => setFeedPrice(clients, driver(), deployment, symbol, parseFeedPrice(usd)),
    async call(index, functionName, args) {
      await sendAndWait(clients, clients.wallet(ANVIL_ACCOUNTS[index]!.privateKey), {
        address: deployment.market,
        abi: softLandingMarketAbi,
        functionName: functionName as never,
        args: args as never,
      });
    },
    config: (database, overrides = {}) => ({
      rpcUrl: anvil.rpcUrl,
      chainId: 31337,
      deployment,
      database,
      host: "127.0.0.1",
      port: 0,
      publicUrl: "http://127.0.0.1:0",
      appUrl: "http://localhost:3000",
      pageSize: 1_000,
      confirmations: 0,
      pollIntervalMs: 100,
      smtpUrl: null,
      mailFrom: "alerts@soft-landing.test",
      webhookMaxAttempts: 3,
      allowLoopbackWebhooks: true,
      logLevel: "silent",
      ...overrides,
    }),
    stop: () => anvil.stop(),
  };
  return market;
}
