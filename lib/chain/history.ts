/**
 * A position's liquidation history, newest first, one page per request: from the watcher's API when one is
 * configured (`NEXT_PUBLIC_WATCHER_URL`), which any chain needs, because public RPCs refuse an `eth_getLogs` over the
 * whole deployment. Only on the devnet does the app fall back to reading logs from the node, bounded to the last
 * `RPC_FALLBACK_BLOCKS` blocks, and it says so.
 */
import type { Address, PublicClient } from "viem";
import type { Deployment } from "./deployment";
import { DEVNET_CHAIN_ID } from "./devnet";
import { HISTORY_EVENTS, readClient, readHistory, type HistoryEntry } from "./read";

/** Blocks the devnet fallback reads (one request; anvil and most RPCs accept it). */
export const RPC_FALLBACK_BLOCKS = 10_000n;
export const HISTORY_PAGE_SIZE = 50;

export interface HistoryPage {
  /** Newest first. */
  entries: HistoryEntry[];
  /** Cursor for the next (older) page; null when this is the last. */
  next: string | null;
  source: "watcher" | "rpc";
  /** Said beside the list when the history is partial or comes from the fallback. */
  notice: string | null;
  /** The last block the answer covers (the watcher's indexed block; the head for the fallback). */
  coveredBlock: bigint | null;
}

export class HistoryUnavailableError extends Error {}

export interface WatcherEvent {
  blockNumber: string;
  logIndex: number;
  transactionHash: `0x${string}`;
  timestamp: string;
  name: string;
  args: Record<string, string | number | boolean>;
}

/** Watcher JSON value → what viem decodes: integers (decimal strings) as bigints, a struct (a JSON string) field by field. */
function decodedValue(value: string | number | boolean): unknown {
  if (typeof value !== "string") return value;
  if (/^\d+$/.test(value)) return BigInt(value);
  if (value.startsWith("{")) {
    const fields = JSON.parse(value) as Record<string, string | number | boolean>;
    return Object.fromEntries(Object.entries(fields).map(([key, field]) => [key, decodedValue(field)]));
  }
  return value;
}

/** Watcher JSON (integers as decimal strings, structs as JSON) → the same entries viem's decoder gives. */
export function fromWatcher(e: WatcherEvent): HistoryEntry {
  const args: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(e.args)) args[key] = key === "zone" ? Number(value) : decodedValue(value);
  return {
    eventName: e.name,
    args,
    blockNumber: BigInt(e.blockNumber),
    logIndex: e.logIndex,
    transactionHash: e.transactionHash,
    timestamp: BigInt(e.timestamp),
  } as unknown as HistoryEntry;
}

export async function readHistoryPage(
  account: Address,
  deployment: Pick<Deployment, "market" | "startBlock" | "chainId">,
  opts: { watcherUrl?: string; before?: string | null; client?: PublicClient; timeoutMs?: number } = {},
): Promise<HistoryPage> {
  const devnet = deployment.chainId === DEVNET_CHAIN_ID;
  let watcherProblem: string | null = null;
  if (opts.watcherUrl) {
    const url = `${opts.watcherUrl}/positions/${account}/history?limit=${HISTORY_PAGE_SIZE}&events=${HISTORY_EVENTS.join(",")}${opts.before ? `&before=${opts.before}` : ""}`;
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(opts.timeoutMs ?? 8_000) });
      const body = (await res.json().catch(() => ({}))) as { events?: WatcherEvent[]; next?: string | null; error?: string; indexedBlock?: string | null };
      if (!res.ok || !body.events) throw new Error(body.error ?? `HTTP ${res.status}`);
      const coveredBlock = body.indexedBlock ? BigInt(body.indexedBlock) : null;
      return { entries: body.events.map(fromWatcher), next: body.next ?? null, source: "watcher", notice: null, coveredBlock };
    } catch (error) {
      const reason = error instanceof Error && error.name === "TimeoutError" ? "no answer" : error instanceof Error ? error.message : String(error);
      watcherProblem = `The history service (watcher) at ${opts.watcherUrl} is unreachable (${reason}).`;
      if (!devnet) throw new HistoryUnavailableError(`${watcherProblem} The position itself is read from the chain and is up to date; try again later for its history.`);
    }
  } else if (!devnet) {
    throw new HistoryUnavailableError("No history service is configured for this chain (NEXT_PUBLIC_WATCHER_URL): the position is shown without its history.");
  }
  if (opts.before) return { entries: [], next: null, source: "rpc", notice: null, coveredBlock: null };
  // The devnet fallback: the node's own logs, over a range any node accepts.
  const client = opts.client ?? readClient();
  const head = await client.getBlockNumber();
  const start = BigInt(deployment.startBlock);
  const from = head > RPC_FALLBACK_BLOCKS && head - RPC_FALLBACK_BLOCKS > start ? head - RPC_FALLBACK_BLOCKS : start;
  const entries = (await readHistory(account, { market: deployment.market, startBlock: Number(from) }, client)).reverse();
  const partial = from > start ? `Only the last ${RPC_FALLBACK_BLOCKS.toLocaleString("en-US")} blocks are shown.` : null;
  const notice = [watcherProblem ? `${watcherProblem} Read directly from the devnet node instead.` : null, partial].filter(Boolean).join(" ") || null;
  return { entries, next: null, source: "rpc", notice, coveredBlock: head };
}
