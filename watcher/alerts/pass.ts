/**
 * The alert pass: read → decide → write. For the final blocks not yet alerted on, it reads the subscribed
 * positions once (at the range's last block), decides with the pure core (decide.ts), and writes the alerts, the
 * trigger states and the new `alertedBlock` in one transaction. Killed anywhere, it redoes the same range on restart
 * and the unique (subscription, event) key keeps every alert single.
 */
import { and, eq, inArray, sql } from "drizzle-orm";
import type { PositionSnapshot } from "../../lib/risk";
import type { Db } from "../db";
import { schema } from "../db";
import { loadCursor } from "../store";
import { decideEventAlerts, decideHealthAlerts, type SubscriptionView } from "./decide";

const { alerts, cursor, events, subscriptions } = schema;

export interface AlertPassOptions {
  db: Db;
  /** Reads the positions at a block ("latest" when that block is the head). */
  readPositions(accounts: readonly string[], at: bigint | "latest"): Promise<Map<string, PositionSnapshot>>;
  finalBlock: bigint;
  head: bigint;
  /** Most blocks decided per pass (catching up after downtime goes in steps). */
  maxBlocks?: bigint;
}

export interface AlertPassReport {
  fromBlock: bigint;
  toBlock: bigint;
  subscriptions: number;
  alerts: number;
}

export async function alertPass({ db, readPositions, finalBlock, head, maxBlocks = 5_000n }: AlertPassOptions): Promise<AlertPassReport | null> {
  const current = await loadCursor(db);
  if (!current || current.alertedBlock >= finalBlock) return null;
  const after = current.alertedBlock;
  const upTo = finalBlock - after > maxBlocks ? after + maxBlocks : finalBlock;

  const subs: SubscriptionView[] = (
    await db
      .select({
        id: subscriptions.id,
        account: subscriptions.account,
        threshold: subscriptions.threshold,
        belowThreshold: subscriptions.belowThreshold,
        healthEpisode: subscriptions.healthEpisode,
        fromBlock: subscriptions.fromBlock,
      })
      .from(subscriptions)
      .where(eq(subscriptions.status, "active"))
  ).map((s) => ({ ...s, threshold: BigInt(s.threshold) }));

  let drafts: ReturnType<typeof decideEventAlerts> = [];
  let changes: ReturnType<typeof decideHealthAlerts>["changes"] = [];
  if (subs.length > 0) {
    const accounts = [...new Set(subs.map((s) => s.account))];
    const byAccount = new Map<string, SubscriptionView[]>();
    for (const s of subs) byAccount.set(s.account, [...(byAccount.get(s.account) ?? []), s]);
    const found = await db
      .select()
      .from(events)
      .where(and(sql`${events.blockNumber} > ${after}`, sql`${events.blockNumber} <= ${upTo}`, inArray(events.account, accounts)))
      .orderBy(events.blockNumber, events.logIndex);
    const positions = await readPositions(accounts, upTo === head ? "latest" : upTo);
    const health = decideHealthAlerts(subs, positions, upTo);
    drafts = [...decideEventAlerts(found, byAccount, positions), ...health.drafts];
    changes = health.changes;
  }

  await db.transaction(async (tx) => {
    for (let i = 0; i < drafts.length; i += 1_000) {
      await tx.insert(alerts).values(drafts.slice(i, i + 1_000)).onConflictDoNothing();
    }
    // Trigger states in one statement per thousand (a crash sees all of them or none, as the alerts).
    for (let i = 0; i < changes.length; i += 1_000) {
      const rows = sql.join(
        changes.slice(i, i + 1_000).map((c) => sql`(${c.id}::uuid, ${c.belowThreshold}::boolean, ${c.healthEpisode}::integer)`),
        sql`, `,
      );
      await tx.execute(
        sql`update ${subscriptions} set below_threshold = v.below, health_episode = v.episode from (values ${rows}) as v(id, below, episode) where ${subscriptions.id} = v.id`,
      );
    }
    // Guarded by the value read at the start: a concurrent pass (a second process) cannot move it twice.
    const moved = await tx
      .update(cursor)
      .set({ alertedBlock: upTo })
      .where(and(eq(cursor.id, 1), eq(cursor.alertedBlock, after)))
      .returning({ id: cursor.id });
    if (moved.length !== 1) throw new Error("another alert pass moved the checkpoint first: this one is dropped");
  });
  return { fromBlock: after + 1n, toBlock: upTo, subscriptions: subs.length, alerts: drafts.length };
}
