/**
 * Small, typed operations on a deployed Soft Landing devnet: clients, token faucet, price feeds and time.
 * Shared by the seeding script, the market simulator, the keeper test, the benchmarks and the e2e devnet.
 */
import {
  createPublicClient,
  createWalletClient,
  http,
  type Abi,
  type Address,
  type ContractEventArgs,
  type GetContractEventsReturnType,
  type ContractEventName,
  type ContractFunctionArgs,
  type ContractFunctionName,
  type Hex,
  type PublicClient,
  type WalletClient,
  type Account,
  type Chain,
  type Transport,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { mockAggregatorAbi, mockErc20Abi, softLandingMarketAbi } from "../chain/abis";
import type { Deployment } from "../chain/deployment";
import { chainFor } from "../chain/devnet";

export const FEED_DECIMALS = 8;

export type Wallet = WalletClient<Transport, Chain, Account>;

export interface ChainClients {
  rpcUrl: string;
  chain: Chain;
  publicClient: PublicClient<Transport, Chain>;
  wallet(privateKey: Hex): Wallet;
}

export async function connect(rpcUrl: string, opts: { pollingInterval?: number } = {}): Promise<ChainClients> {
  const probe = createPublicClient({ transport: http(rpcUrl, { retryCount: 0 }) });
  let chainId: number;
  try {
    chainId = await probe.getChainId();
  } catch {
    throw new Error(`No JSON-RPC node answers at ${rpcUrl}. Start one (npm run devnet) or pass the right --rpc URL.`);
  }
  return clientsFor(rpcUrl, chainFor(chainId, rpcUrl), opts);
}

/** Clients for a node whose chain is already known (no probe): the e2e devnet, whose chain is anvil's. */
export function clientsFor(rpcUrl: string, chain: Chain, opts: { pollingInterval?: number } = {}): ChainClients {
  const transport = http(rpcUrl);
  const publicClient = createPublicClient({ chain, transport, pollingInterval: opts.pollingInterval ?? 250 });
  return {
    rpcUrl,
    chain,
    publicClient,
    wallet: (privateKey) => createWalletClient({ chain, transport, account: privateKeyToAccount(privateKey) }),
  };
}

/**
 * Sends a contract call and waits for it to be mined; throws with the revert reason when it fails.
 * Simulating first turns a revert into a decoded custom error instead of a bare "reverted" receipt.
 */
export async function sendAndWait<
  const abi extends Abi,
  name extends ContractFunctionName<abi, "nonpayable" | "payable">,
  args extends ContractFunctionArgs<abi, "nonpayable" | "payable", name>,
>(
  clients: ChainClients,
  wallet: Wallet,
  call: { address: Address; abi: abi; functionName: name; args: args },
): Promise<Hex> {
  const { request } = await clients.publicClient.simulateContract({
    ...(call as object),
    account: wallet.account,
  } as never);
  const hash = await wallet.writeContract(request as never);
  const receipt = await clients.publicClient.waitForTransactionReceipt({ hash, pollingInterval: 50 });
  if (receipt.status !== "success") throw new Error(`transaction ${hash} (${String(call.functionName)}) reverted`);
  return hash;
}

export function tokenAddress(deployment: Deployment, symbol: string): Address {
  const address = deployment.tokens[symbol];
  if (!address) {
    throw new Error(`Unknown asset "${symbol}". This deployment has: ${Object.keys(deployment.tokens).join(", ")}.`);
  }
  return address;
}

export function feedAddress(deployment: Deployment, symbol: string): Address {
  const address = deployment.feeds[symbol];
  if (!address) {
    throw new Error(`No price feed for "${symbol}". This deployment has feeds for: ${Object.keys(deployment.feeds).join(", ")}.`);
  }
  return address;
}

/** Parses a decimal USD price ("2500", "3647.18") into the feed's 8-decimal integer, exactly (no float rounding). */
export function parseFeedPrice(text: string): bigint {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!match) throw new Error(`"${text}" is not a positive decimal price (e.g. 2500 or 3647.18)`);
  const whole = match[1]!;
  const fraction = (match[2] ?? "").slice(0, FEED_DECIMALS).padEnd(FEED_DECIMALS, "0");
  const value = BigInt(whole) * 10n ** BigInt(FEED_DECIMALS) + BigInt(fraction || "0");
  if (value <= 0n) throw new Error(`price must be above 0, got "${text}"`);
  return value;
}

export function formatFeedPrice(value: bigint): string {
  const scale = 10n ** BigInt(FEED_DECIMALS);
  const cents = (value * 100n + scale / 2n) / scale;
  return `${cents / 100n}.${(cents % 100n).toString().padStart(2, "0")}`;
}

export async function readFeedPrice(clients: ChainClients, deployment: Deployment, symbol: string): Promise<bigint> {
  const answer = await clients.publicClient.readContract({
    address: feedAddress(deployment, symbol),
    abi: mockAggregatorAbi,
    functionName: "latestAnswer",
  });
  return answer;
}

/** Publishes a new price on a devnet MockAggregator (anyone may set it; real feeds cannot be moved). */
export async function setFeedPrice(
  clients: ChainClients,
  wallet: Wallet,
  deployment: Deployment,
  symbol: string,
  answer: bigint,
): Promise<void> {
  await sendAndWait(clients, wallet, {
    address: feedAddress(deployment, symbol),
    abi: mockAggregatorAbi,
    functionName: "setAnswer",
    args: [answer],
  });
}

/** Re-publishes every feed's current answer at the current block time, so skipped time never makes prices stale. */
export async function refreshFeeds(clients: ChainClients, wallet: Wallet, deployment: Deployment, except: string[] = []) {
  for (const [symbol, address] of Object.entries(deployment.feeds)) {
    if (except.includes(symbol)) continue;
    await sendAndWait(clients, wallet, { address, abi: mockAggregatorAbi, functionName: "refresh", args: [] });
  }
}

async function rpc(clients: ChainClients, method: string, params: unknown[]): Promise<unknown> {
  try {
    return await clients.publicClient.request({ method: method as never, params: params as never });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/not found|not supported|does not exist|unknown method/i.test(message)) {
      throw new Error(`The node at ${clients.rpcUrl} does not support ${method}: time can only be moved on a devnet (anvil).`);
    }
    throw error;
  }
}

/** Mines one block at `now + seconds` (anvil/hardhat RPC). */
export async function increaseTime(clients: ChainClients, seconds: number): Promise<void> {
  if (!Number.isInteger(seconds) || seconds < 0) throw new Error(`seconds must be a non-negative integer, got ${seconds}`);
  await rpc(clients, "evm_increaseTime", [seconds]);
  await rpc(clients, "evm_mine", []);
}

/**
 * Moves chain time forward and refreshes every mock feed at the new time; `setPrices` publishes new answers in the
 * same step (those feeds are not refreshed twice). The transactions are queued before one block is mined, so on an
 * interval-mining devnet the whole step lands together instead of one block per feed.
 */
export async function advanceTime(
  clients: ChainClients,
  wallet: Wallet,
  deployment: Deployment,
  seconds: number,
  setPrices: Record<string, bigint> = {},
): Promise<void> {
  if (!Number.isInteger(seconds) || seconds < 0) throw new Error(`seconds must be a non-negative integer, got ${seconds}`);
  // Unknown symbols fail before time moves.
  for (const symbol of Object.keys(setPrices)) feedAddress(deployment, symbol);
  await rpc(clients, "evm_increaseTime", [seconds]);
  let nonce = await clients.publicClient.getTransactionCount({ address: wallet.account.address, blockTag: "pending" });
  const hashes: Hex[] = [];
  for (const [symbol, address] of Object.entries(deployment.feeds)) {
    const answer = setPrices[symbol];
    hashes.push(
      answer !== undefined
        ? await wallet.writeContract({ address, abi: mockAggregatorAbi, functionName: "setAnswer", args: [answer], nonce: nonce++, gas: 200_000n })
        : await wallet.writeContract({ address, abi: mockAggregatorAbi, functionName: "refresh", args: [], nonce: nonce++, gas: 200_000n }),
    );
  }
  await rpc(clients, "evm_mine", []);
  for (const hash of hashes) {
    const receipt = await clients.publicClient.waitForTransactionReceipt({ hash, pollingInterval: 50 });
    if (receipt.status !== "success") throw new Error(`feed update ${hash} reverted`);
  }
}

export async function mintToken(
  clients: ChainClients,
  wallet: Wallet,
  deployment: Deployment,
  symbol: string,
  to: Address,
  amount: bigint,
): Promise<void> {
  await sendAndWait(clients, wallet, {
    address: tokenAddress(deployment, symbol),
    abi: mockErc20Abi,
    functionName: "mint",
    args: [to, amount],
  });
}

/** Mints `amount` of collateral `symbol` to the wallet's own account, approves the market and deposits it there. */
export async function mintAndDeposit(
  clients: ChainClients,
  wallet: Wallet,
  deployment: Deployment,
  symbol: string,
  amount: bigint,
): Promise<void> {
  const me = wallet.account.address;
  const token = tokenAddress(deployment, symbol);
  await sendAndWait(clients, wallet, { address: token, abi: mockErc20Abi, functionName: "mint", args: [me, amount] });
  await sendAndWait(clients, wallet, { address: token, abi: mockErc20Abi, functionName: "approve", args: [deployment.market, amount] });
  await sendAndWait(clients, wallet, {
    address: deployment.market,
    abi: softLandingMarketAbi,
    functionName: "depositCollateral",
    args: [token, amount, me],
  });
}

/** The market's liquidation clock for `account`: when it was flagged (0 if not) and last liquidated. */
/** A market event's logs since the deployment, filtered by its indexed arguments (tests and the devnet seed). */
export function marketEvents<const name extends ContractEventName<typeof softLandingMarketAbi>>(
  clients: ChainClients,
  deployment: Deployment,
  eventName: name,
  args?: ContractEventArgs<typeof softLandingMarketAbi, name>,
) {
  return clients.publicClient.getContractEvents({
    address: deployment.market,
    abi: softLandingMarketAbi,
    eventName,
    args,
    fromBlock: BigInt(deployment.startBlock),
  } as never) as Promise<GetContractEventsReturnType<typeof softLandingMarketAbi, name>>;
}

export async function liquidationState(
  clients: ChainClients,
  deployment: Deployment,
  account: Address,
): Promise<{ flaggedAt: bigint; lastSliceAt: bigint }> {
  const [, flaggedAt, lastSliceAt] = await clients.publicClient.readContract({
    address: deployment.market,
    abi: softLandingMarketAbi,
    functionName: "accounts",
    args: [account],
  });
  return { flaggedAt: BigInt(flaggedAt), lastSliceAt: BigInt(lastSliceAt) };
}

export const MAX_UINT256 = 2n ** 256n - 1n;

/** Polls `check` every 200 ms until it returns a value; throws after `timeoutMs`, naming what it waited for. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await check();
    if (result !== undefined) return result;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
