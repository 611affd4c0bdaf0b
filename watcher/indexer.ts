/**
 * The indexer: every market event into the database, page by page, resumable from its checkpoint.
 *
 * - Pages are `pageSize` blocks; a range the node refuses is halved until it is accepted (down to one block), and the
 *   page grows back after each accepted one.
 * - The checkpoint keeps the hash of its block. When the chain no longer has that hash at that height, the chain
 *   reorganised: the indexer walks its stored headers back to the newest one still on the chain and forgets
 *   everything after it, then indexes forward again.
 * - Events are final once `confirmations` blocks are on top of them; only final blocks are alerted on.
 */
import type { Logger } from "pino";
import { RangeRefusedError, type ChainSource, type Header } from "./chain";
import type { Db } from "./db";
import { commitPage, loadCursor, rollbackTo, storedHeaders } from "./store";

export interface IndexerOptions {
  db: Db;
  source: ChainSource;
  /** The deployment block: nothing before it concerns the market. */
  startBlock: bigint;
  pageSize: number;
  confirmations: number;
  log?: Logger;
}

export interface PollReport {
  head: bigint;
  /** Last block whose events are stored. */
  indexedBlock: bigint;
  /** Last block with `confirmations` blocks on top (head − confirmations). */
  finalBlock: bigint;
  pages: number;
  events: number;
  /** Set when a reorg was found: the newest block kept. */
  reorg: { detectedAt: bigint; keptUpTo: bigint } | null;
  /** The page size in use after this poll (smaller than configured while the node refuses). */
  pageSize: number;
}

export interface Indexer {
  /** Catches up to the head once. Throws when the node is down (the caller retries). */
  poll(): Promise<PollReport>;
}

export function createIndexer({ db, source, startBlock, pageSize: configuredPageSize, confirmations, log }: IndexerOptions): Indexer {
  let pageSize = BigInt(configuredPageSize);

  /** The newest stored header still on the chain, or null when none is. */
  async function findAncestor(below: bigint): Promise<Header | null> {
    let from = below;
    for (;;) {
      const stored = await storedHeaders(db, from, 64);
      if (stored.length === 0) return null;
      const onChain = await Promise.all(stored.map((h) => source.header(h.number)));
      const match = stored.find((h, i) => onChain[i]?.hash === h.hash);
      if (match) return match;
      from = stored[stored.length - 1]!.number - 1n;
    }
  }

  return {
    async poll() {
      const head = await source.head();
      let reorg: PollReport["reorg"] = null;
      let current = await loadCursor(db);
      if (current && current.block >= startBlock) {
        const onChain = current.block > head ? null : await source.header(current.block);
        if (!onChain || onChain.hash !== current.blockHash) {
          const ancestor = await findAncestor(current.block);
          await rollbackTo(db, ancestor, startBlock);
          reorg = { detectedAt: current.block, keptUpTo: ancestor ? ancestor.number : startBlock - 1n };
          log?.warn({ reorg: { detectedAt: String(reorg.detectedAt), keptUpTo: String(reorg.keptUpTo) } }, "chain reorganised: rolled back");
          current = await loadCursor(db);
        }
      }

      let from = current && current.block >= startBlock ? current.block + 1n : startBlock;
      let pages = 0;
      let eventCount = 0;
      while (from <= head) {
        const to = from + pageSize - 1n < head ? from + pageSize - 1n : head;
        // The page's last header is read first: if the chain reorganises while the logs are read, the checkpoint
        // holds the old hash and the next poll rolls the page back.
        const end = await source.header(to);
        if (!end) break;
        let found;
        try {
          found = await source.events(from, to);
        } catch (error) {
          if (error instanceof RangeRefusedError && to > from) {
            pageSize = (to - from + 1n) / 2n;
            log?.info({ from: String(from), to: String(to), pageSize: String(pageSize) }, "node refused the range: halving the page");
            continue;
          }
          throw error;
        }
        const headers = found.length > 0 ? await source.headers(found.map((e) => e.blockNumber)) : new Map<bigint, Header>();
        headers.set(end.number, end);
        await commitPage(db, { events: found, headers: [...headers.values()], end, initialAlertedBlock: startBlock - 1n });
        pages += 1;
        eventCount += found.length;
        from = to + 1n;
        if (pageSize < BigInt(configuredPageSize)) {
          pageSize = pageSize * 2n > BigInt(configuredPageSize) ? BigInt(configuredPageSize) : pageSize * 2n;
        }
      }
      const indexedBlock = (await loadCursor(db))?.block ?? startBlock - 1n;
      const finalBlock = head - BigInt(confirmations) < indexedBlock ? head - BigInt(confirmations) : indexedBlock;
      return { head, indexedBlock, finalBlock, pages, events: eventCount, reorg, pageSize: Number(pageSize) };
    },
  };
}
