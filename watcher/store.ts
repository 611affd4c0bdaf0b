/**
 * The watcher's reads and writes, one function per question, through drizzle. Everything the indexer learns from one
 * page of blocks is written in one transaction together with the checkpoint, so a crash loses or repeats nothing.
 */
import { and, asc, desc, eq, gt, inArray, lte, sql } from "drizzle-orm";
import type { Db } from "./db";
import { schema } from "./db";
import type { Header, MarketEvent } from "./chain";

const { accounts, alerts, blocks, cursor, events, meta } = schema;

/** Postgres allows 65,535 parameters per statement: rows go in chunks. */
const CHUNK = 1_000;
function chunks<T>(rows: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += CHUNK) out.push(rows.slice(i, i + CHUNK));
  return out;
}

export class WrongDatabaseError extends Error {}

/** Claims an empty database for this market, or checks that it already belongs to it. */
export async function claimDatabase(db: Db, chainId: number, market: string): Promise<void> {
  await db.insert(meta).values({ id: 1, chainId, market: market.toLowerCase() }).onConflictDoNothing();
  const [row] = await db.select().from(meta).where(eq(meta.id, 1));
  if (!row || row.chainId !== chainId || row.market !== market.toLowerCase()) {
    throw new WrongDatabaseError(
      `this database holds market ${row?.market} on chain ${row?.chainId}, not ${market.toLowerCase()} on chain ${chainId}: point DATABASE_URL or WATCHER_DATA_DIR at another database (a redeployed devnet needs a fresh one)`,
    );
  }
}

export type Cursor = typeof cursor.$inferSelect;

export async function loadCursor(db: Db): Promise<Cursor | null> {
  const [row] = await db.select().from(cursor).where(eq(cursor.id, 1));
  return row ?? null;
}

export interface Page {
  events: readonly MarketEvent[];
  /** Headers of the blocks the events are in, and of the page's last block. */
  headers: readonly Header[];
  /** The page's last block: the new checkpoint. */
  end: Header;
  /** Where alerting starts on a fresh database (the block before the deployment). */
  initialAlertedBlock: bigint;
}

export async function commitPage(db: Db, page: Page): Promise<void> {
  const time = new Map(page.headers.map((h) => [h.number, h.timestamp]));
  await db.transaction(async (tx) => {
    for (const rows of chunks(page.events)) {
      await tx
        .insert(events)
        .values(
          rows.map((e) => ({
            blockNumber: e.blockNumber,
            logIndex: e.logIndex,
            blockHash: e.blockHash,
            transactionHash: e.transactionHash,
            timestamp: time.get(e.blockNumber) ?? 0n,
            name: e.name,
            account: e.account,
            args: e.args,
          })),
        )
        .onConflictDoNothing();
    }
    for (const rows of chunks(page.headers)) {
      await tx
        .insert(blocks)
        .values(rows.map((h) => ({ number: h.number, hash: h.hash, timestamp: h.timestamp })))
        .onConflictDoUpdate({ target: blocks.number, set: { hash: sql`excluded.hash`, timestamp: sql`excluded.timestamp` } });
    }
    const firstSeen = new Map<string, bigint>();
    for (const e of page.events) if (e.account && !firstSeen.has(e.account)) firstSeen.set(e.account, e.blockNumber);
    for (const rows of chunks([...firstSeen])) {
      await tx
        .insert(accounts)
        .values(rows.map(([address, firstBlock]) => ({ address, firstBlock })))
        .onConflictDoNothing();
    }
    await tx
      .insert(cursor)
      .values({ id: 1, block: page.end.number, blockHash: page.end.hash, alertedBlock: page.initialAlertedBlock })
      .onConflictDoUpdate({ target: cursor.id, set: { block: page.end.number, blockHash: page.end.hash, updatedAt: sql`now()` } });
  });
}

/** Stored headers at or below `below`, newest first: where a reorg is traced back. */
export async function storedHeaders(db: Db, below: bigint, limit: number): Promise<Header[]> {
  return db.select().from(blocks).where(lte(blocks.number, below)).orderBy(desc(blocks.number)).limit(limit);
}

/**
 * Forgets everything above `ancestor` (the newest block still on the chain; null: none, start over): its events,
 * headers and first sightings, and any alert about it not yet sent.
 */
export async function rollbackTo(db: Db, ancestor: Header | null, startBlock: bigint): Promise<void> {
  const keep = ancestor ? ancestor.number : startBlock - 1n;
  await db.transaction(async (tx) => {
    await tx.delete(events).where(gt(events.blockNumber, keep));
    await tx.delete(blocks).where(gt(blocks.number, keep));
    await tx.delete(accounts).where(gt(accounts.firstBlock, keep));
    await tx
      .update(alerts)
      .set({ status: "cancelled", lastError: "the block it was about was reorganised away" })
      .where(and(eq(alerts.status, "pending"), gt(alerts.blockNumber, keep)));
    if (ancestor) {
      await tx
        .update(cursor)
        .set({ block: ancestor.number, blockHash: ancestor.hash, alertedBlock: sql`least(${cursor.alertedBlock}, ${keep})`, updatedAt: sql`now()` })
        .where(eq(cursor.id, 1));
    } else {
      await tx.update(cursor).set({ block: keep, blockHash: "", alertedBlock: sql`least(${cursor.alertedBlock}, ${keep})` }).where(eq(cursor.id, 1));
    }
  });
}

export type StoredEvent = typeof events.$inferSelect;

/** One page of a position's events, newest first, strictly before `before` (block, log index) when given. */
export async function historyPage(
  db: Db,
  account: string,
  limit: number,
  before?: { block: bigint; logIndex: number },
  names?: readonly string[],
): Promise<{ events: StoredEvent[]; next: { block: bigint; logIndex: number } | null }> {
  const rows = await db
    .select()
    .from(events)
    .where(
      and(
        eq(events.account, account.toLowerCase()),
        before ? sql`(${events.blockNumber}, ${events.logIndex}) < (${before.block}, ${before.logIndex})` : undefined,
        names && names.length > 0 ? inArray(events.name, [...names]) : undefined,
      ),
    )
    .orderBy(desc(events.blockNumber), desc(events.logIndex))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { events: page, next: rows.length > limit && last ? { block: last.blockNumber, logIndex: last.logIndex } : null };
}

/** Events in (after, upTo], oldest first, at most `limit`: the alert pass reads final blocks with this. */
export async function eventsBetween(db: Db, after: bigint, upTo: bigint, limit: number): Promise<StoredEvent[]> {
  return db
    .select()
    .from(events)
    .where(and(gt(events.blockNumber, after), lte(events.blockNumber, upTo)))
    .orderBy(asc(events.blockNumber), asc(events.logIndex))
    .limit(limit);
}

export async function knownAccounts(db: Db): Promise<string[]> {
  return (await db.select({ address: accounts.address }).from(accounts).orderBy(asc(accounts.address))).map((r) => r.address);
}
