/**
 * What the watcher reads from the chain: the head, block headers and the market's logs, through viem. A range the
 * node refuses (too many blocks or results, a body too large) is told apart from a node that is down, so the
 * indexer can halve its page instead of giving up.
 */
import { HttpRequestError, createPublicClient, encodeFunctionData, http, parseEventLogs, type Address, type PublicClient } from "viem";
import { eventsLibAbi, softLandingLensAbi, softLandingMarketAbi } from "../lib/chain/abis";
import { decodePositionsView, snapshotOf } from "../lib/chain/positions";
import type { PositionSnapshot } from "../lib/risk";
import { chainFor } from "../lib/chain/devnet";

export interface Header {
  number: bigint;
  hash: string;
  timestamp: bigint;
}

/** One decoded market event, arguments as JSON (integers as decimal strings). */
export interface MarketEvent {
  blockNumber: bigint;
  logIndex: number;
  blockHash: string;
  transactionHash: string;
  name: string;
  account: string | null;
  args: Record<string, string | number | boolean>;
}

/** The market's own ABI lacks the events only its libraries declare (listing, parameters): both together are every
 * event the market can emit. */
const MARKET_EVENTS = [
  ...softLandingMarketAbi.filter((item) => item.type === "event"),
  ...eventsLibAbi.filter((item) => item.type === "event" && !softLandingMarketAbi.some((m) => m.type === "event" && m.name === item.name)),
];

export class RangeRefusedError extends Error {}

export interface ChainSource {
  head(): Promise<bigint>;
  /** null when the chain has no block at that height (it is shorter than that, e.g. after a reorg). */
  header(number: bigint): Promise<Header | null>;
  headers(numbers: readonly bigint[]): Promise<Map<bigint, Header>>;
  /** Every market event in [from, to]. Throws `RangeRefusedError` when the node refuses the range. */
  events(from: bigint, to: bigint): Promise<MarketEvent[]>;
  /** Risk-engine snapshots of `accounts` (lowercase) through the lens, at a block or the latest one. */
  positions(accounts: readonly string[], at: bigint | "latest"): Promise<Map<string, PositionSnapshot>>;
  client: PublicClient;
}

/** Events about one borrower's position, and the argument naming it (whoever called). Lender (ERC-4626) and
 * governance events concern no position. */
const POSITION_ARG: Record<string, string> = {
  CollateralDeposited: "onBehalf",
  CollateralWithdrawn: "onBehalf",
  Borrowed: "onBehalf",
  Repaid: "onBehalf",
  AuthorizationSet: "owner",
  Flagged: "account",
  Unflagged: "account",
  Liquidated: "account",
  BadDebt: "account",
  DeleveragePolicySet: "account",
  Deleveraged: "account",
};

function accountOf(name: string, args: Record<string, unknown>): string | null {
  const key = POSITION_ARG[name];
  const account = key ? args[key] : undefined;
  return typeof account === "string" ? account.toLowerCase() : null;
}

function jsonArgs(args: Record<string, unknown>): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(args)) {
    if (typeof value === "bigint") out[key] = value.toString();
    else if (typeof value === "string") out[key] = /^0x[0-9a-fA-F]{40}$/.test(value) ? value.toLowerCase() : value;
    else if (typeof value === "number" || typeof value === "boolean") out[key] = value;
    else out[key] = JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? v.toString() : v));
  }
  return out;
}

/** A network failure (no HTTP status at all) is the node being away; any answer with an error refuses the request. */
export function isNodeDown(error: unknown): boolean {
  let e: unknown = error;
  while (e && typeof e === "object") {
    if (e instanceof HttpRequestError) return e.status === undefined;
    e = (e as { cause?: unknown }).cause;
  }
  const message = error instanceof Error ? error.message : String(error);
  return /ECONNREFUSED|fetch failed|socket hang up|ETIMEDOUT|timed out/i.test(message);
}

/** Accounts per lens `getPositions` call: well under a node's gas cap for a view. */
const POSITIONS_BATCH = 500;

export function createChainSource(rpcUrl: string, chainId: number, deployment: { market: Address; lens: Address }): ChainSource {
  const { market, lens } = deployment;
  const client = createPublicClient({
    chain: chainFor(chainId, rpcUrl),
    transport: http(rpcUrl, { batch: { batchSize: 100 }, retryCount: 0, timeout: 20_000 }),
  }) as PublicClient;
  const toHeader = (b: { number: bigint | null; hash: string | null; timestamp: bigint }): Header => ({
    number: b.number!,
    hash: b.hash!,
    timestamp: b.timestamp,
  });
  return {
    client,
    async positions(accounts, at) {
      const out = new Map<string, PositionSnapshot>();
      if (accounts.length === 0) return out;
      // "latest" rather than the head's number when that is what is wanted: anvil answers a call pinned to a block
      // from a copy of that block's state, several times slower with many accounts.
      const blockNumber = at === "latest" ? undefined : at;
      const marketView = await client.readContract({ address: lens, abi: softLandingLensAbi, functionName: "getMarket", args: [market], blockNumber });
      const batches: (readonly string[])[] = [];
      for (let i = 0; i < accounts.length; i += POSITIONS_BATCH) batches.push(accounts.slice(i, i + POSITIONS_BATCH));
      await Promise.all(
        batches.map(async (batch) => {
          const { data } = await client.call({
            to: lens,
            data: encodeFunctionData({ abi: softLandingLensAbi, functionName: "getPositions", args: [market, batch as Address[]] }),
            blockNumber,
          });
          if (!data || data === "0x") throw new Error(`lens.getPositions returned no data: is the lens deployed at ${lens}?`);
          const view = decodePositionsView(data, batch as Address[]);
          for (const summary of view.accounts) out.set(summary.account.toLowerCase(), snapshotOf(marketView, view, summary));
        }),
      );
      return out;
    },
    head: () => client.getBlockNumber({ cacheTime: 0 }),
    async header(number) {
      try {
        return toHeader(await client.getBlock({ blockNumber: number }));
      } catch (error) {
        if (error instanceof Error && error.name === "BlockNotFoundError") return null;
        throw error;
      }
    },
    async headers(numbers) {
      const blocks = await Promise.all([...new Set(numbers)].map((blockNumber) => client.getBlock({ blockNumber })));
      return new Map(blocks.map((b) => [b.number!, toHeader(b)]));
    },
    async events(from, to) {
      let logs;
      try {
        logs = await client.getLogs({ address: market, fromBlock: from, toBlock: to });
      } catch (error) {
        if (isNodeDown(error)) throw error;
        throw new RangeRefusedError(`eth_getLogs ${from}…${to} refused: ${(error as Error).message.split("\n")[0]}`, { cause: error });
      }
      return parseEventLogs({ abi: MARKET_EVENTS, logs, strict: true }).map((l) => ({
        blockNumber: l.blockNumber,
        logIndex: l.logIndex,
        blockHash: l.blockHash,
        transactionHash: l.transactionHash,
        name: l.eventName,
        account: accountOf(l.eventName, l.args as Record<string, unknown>),
        args: jsonArgs(l.args as Record<string, unknown>),
      }));
    },
  };
}
