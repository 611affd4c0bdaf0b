import {
  BaseError,
  ContractFunctionZeroDataError,
  HttpRequestError,
  TimeoutError,
  createPublicClient,
  encodeEventTopics,
  getAddress,
  http,
  isAddress,
  pad,
  parseEventLogs,
  type Address,
  type Chain,
  type PublicClient,
  type ReadContractReturnType,
} from "viem";
import { eventsLibAbi, softLandingLensAbi } from "./abis";
import type { Deployment } from "./deployment";
import { appChain, publicEnv } from "./env";

/** The Lens `getPosition` result exactly as viem decodes it; `lib/risk` takes it as its snapshot. */
export type PositionView = ReadContractReturnType<typeof softLandingLensAbi, "getPosition">;
export type MarketView = ReadContractReturnType<typeof softLandingLensAbi, "getMarket">;

/**
 * One client for all reads. Batching is off on purpose: a position read is one JSON-RPC request in one HTTP
 * request, nothing is coalesced behind the caller's back.
 */
let defaultClient: PublicClient | undefined;
export function readClient(chain: Chain = appChain(publicEnv)): PublicClient {
  if (chain.id === publicEnv.chainId && chain.rpcUrls.default.http[0] === publicEnv.rpcUrl) {
    defaultClient ??= makeClient(chain);
    return defaultClient;
  }
  return makeClient(chain);
}

function makeClient(chain: Chain): PublicClient {
  return createPublicClient({
    chain,
    transport: http(chain.rpcUrls.default.http[0], { batch: false, retryCount: 0, timeout: 8_000 }),
    batch: { multicall: false },
  }) as PublicClient;
}

/** decodeURIComponent that returns the input unchanged when it is not valid percent-encoding. */
export function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** Parses a URL segment into a checksummed address, or null when it is not a 20-byte hex address. */
export function parseAccount(value: string): Address | null {
  const trimmed = safeDecode(value).trim();
  if (!isAddress(trimmed, { strict: false })) return null;
  return getAddress(trimmed);
}

/** The whole position in ONE `eth_call` to `lens.getPosition` (market params, prices, balances, debt, HF, clock). */
export async function readPosition(
  account: Address,
  deployment: Pick<Deployment, "lens" | "market">,
  client: PublicClient = readClient(),
): Promise<PositionView> {
  return client.readContract({
    address: deployment.lens,
    abi: softLandingLensAbi,
    functionName: "getPosition",
    args: [deployment.market, account],
  });
}

/** Market parameters, prices, liquidity and rates in one `eth_call` to `lens.getMarket`. */
export async function readMarket(
  deployment: Pick<Deployment, "lens" | "market">,
  client: PublicClient = readClient(),
): Promise<MarketView> {
  return client.readContract({
    address: deployment.lens,
    abi: softLandingLensAbi,
    functionName: "getMarket",
    args: [deployment.market],
  });
}

/** True when the account holds no collateral and owes nothing. */
export function isEmptyPosition(position: PositionView): boolean {
  return position.debt === 0n && position.market.collaterals.every((c) => c.balance === 0n);
}

export type ReadFailureKind = "rpc-down" | "wrong-chain" | "no-contract" | "error";
export interface ReadFailure {
  kind: ReadFailureKind;
  message: string;
}

function isUnreachable(error: unknown): boolean {
  if (error instanceof BaseError) {
    return Boolean(error.walk((e) => e instanceof HttpRequestError || e instanceof TimeoutError));
  }
  return error instanceof TypeError; // fetch() network failure outside viem
}

/**
 * Explains why a read failed. Only on failure does it spend a second request (`eth_chainId`) to tell a wrong
 * chain from a stale deployment, so the success path stays at one request.
 */
export async function diagnoseReadFailure(
  error: unknown,
  deployment: Pick<Deployment, "lens" | "chainId">,
  client: PublicClient = readClient(),
): Promise<ReadFailure> {
  const rpcUrl = client.transport.url ?? publicEnv.rpcUrl;
  if (isUnreachable(error)) {
    return { kind: "rpc-down", message: `The RPC node at ${rpcUrl} is not reachable. Check that it is running.` };
  }
  const noCode =
    error instanceof BaseError && Boolean(error.walk((e) => e instanceof ContractFunctionZeroDataError));
  if (noCode) {
    try {
      const chainId = await client.getChainId();
      if (chainId !== deployment.chainId) {
        return {
          kind: "wrong-chain",
          message: `The RPC node at ${rpcUrl} serves chain ${chainId}, but the app is configured for chain ${deployment.chainId}.`,
        };
      }
    } catch (e) {
      if (isUnreachable(e)) {
        return { kind: "rpc-down", message: `The RPC node at ${rpcUrl} is not reachable. Check that it is running.` };
      }
    }
    return {
      kind: "no-contract",
      message: `No Soft Landing lens is deployed at ${deployment.lens} on chain ${deployment.chainId}. The deployment file may be stale (was the devnet restarted?).`,
    };
  }
  const short = error instanceof BaseError ? error.shortMessage : error instanceof Error ? error.message : String(error);
  return { kind: "error", message: `Reading the chain failed: ${short}` };
}

/* ---------------------------------------------------------------- history ---------------------------------------------------------------- */

/** Liquidations (flags, slices, hard liquidations, bad debt) and the account's protection policy (R9): each setting of
 * it (set, changed, revoked) and each execution. */
export const HISTORY_EVENTS = ["Flagged", "Unflagged", "Liquidated", "BadDebt", "Deleveraged", "DeleveragePolicySet"] as const;

export type HistoryEntry = ReturnType<typeof parseEventLogs<typeof eventsLibAbi, true, (typeof HISTORY_EVENTS)[number]>>[number] & {
  timestamp: bigint | null;
};

/**
 * Flags, unflags, slices, hard liquidations, bad debt and protection policy changes and executions of `account`,
 * oldest first. All six events carry the account as their first indexed topic, so one `eth_getLogs` with an OR over event signatures finds them; block
 * times come in one batched request. Kept apart from the position read (not part of its one-request budget).
 */
export async function readHistory(
  account: Address,
  deployment: Pick<Deployment, "market" | "startBlock">,
  client: PublicClient = readClient(),
): Promise<HistoryEntry[]> {
  const signatures = HISTORY_EVENTS.map(
    (eventName) => encodeEventTopics({ abi: eventsLibAbi, eventName })[0] as `0x${string}`,
  );
  const raw = await client.request({
    method: "eth_getLogs",
    params: [
      {
        address: deployment.market,
        fromBlock: `0x${deployment.startBlock.toString(16)}`,
        toBlock: "latest",
        topics: [signatures, pad(account.toLowerCase() as Address, { size: 32 })],
      },
    ],
  });
  const logs = parseEventLogs({
    abi: eventsLibAbi,
    eventName: [...HISTORY_EVENTS],
    logs: raw.map((l) => ({
      ...l,
      blockNumber: l.blockNumber === null ? null : BigInt(l.blockNumber),
      logIndex: l.logIndex === null ? null : Number(l.logIndex),
      transactionIndex: l.transactionIndex === null ? null : Number(l.transactionIndex),
    })) as never,
  });
  const blocks = [...new Set(logs.map((l) => l.blockNumber))].filter((b): b is bigint => b !== null).slice(-50);
  const times = new Map<bigint, bigint>();
  if (blocks.length > 0) {
    const batchClient = createPublicClient({
      chain: client.chain,
      transport: http(client.transport.url, { batch: true, retryCount: 0, timeout: 8_000 }),
    });
    const fetched = await Promise.all(
      blocks.map((blockNumber) => batchClient.getBlock({ blockNumber }).catch(() => null)),
    );
    for (const block of fetched) if (block?.number != null) times.set(block.number, block.timestamp);
  }
  return logs.map((l) => ({ ...l, timestamp: l.blockNumber === null ? null : (times.get(l.blockNumber) ?? null) }));
}

/** TanStack Query keys, exported so the actions can invalidate right after the user's own transactions. */
export const chainQueryKeys = {
  all: ["soft-landing"] as const,
  position: (chainId: number, account: Address) => ["soft-landing", chainId, "position", account.toLowerCase()] as const,
  history: (chainId: number, account: Address) => ["soft-landing", chainId, "history", account.toLowerCase()] as const,
  market: (chainId: number) => ["soft-landing", chainId, "market"] as const,
};
