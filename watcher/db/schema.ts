/**
 * The watcher's one schema. Migrations in ./migrations are generated from this file by drizzle-kit
 * (`npm run db:generate`) and applied in order at start; never edit an applied migration, add a new one.
 *
 * Block numbers and timestamps are bigint columns read as JS bigint. Token amounts and WADs inside event arguments
 * exceed 2^64, so events keep their arguments as JSON with every integer as a decimal string.
 */
import { sql } from "drizzle-orm";
import { bigint, bigserial, boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

/** Which chain and market this database belongs to: one market per database, checked at every start. */
export const meta = pgTable("watcher_meta", {
  id: integer().primaryKey().default(1),
  chainId: integer("chain_id").notNull(),
  market: text().notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).defaultNow().notNull(),
});

/**
 * The indexer's checkpoint: every market event up to `block` (inclusive) is stored. `blockHash` is that block's hash
 * when it was read; a different hash at the same height on the next poll means a reorg.
 * `alertedBlock`: alerts are decided for every final block up to it (inclusive).
 */
export const cursor = pgTable("indexer_cursor", {
  id: integer().primaryKey().default(1),
  block: bigint({ mode: "bigint" }).notNull(),
  blockHash: text("block_hash").notNull(),
  alertedBlock: bigint("alerted_block", { mode: "bigint" }).notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).defaultNow().notNull(),
});

/** Headers the indexer relied on (page ends and blocks with events): where a reorg is traced back to. */
export const blocks = pgTable("indexed_blocks", {
  number: bigint({ mode: "bigint" }).primaryKey(),
  hash: text().notNull(),
  timestamp: bigint({ mode: "bigint" }).notNull(),
});

/** Every event the market emitted, decoded. `account` is the position it concerns (null for market-wide events). */
export const events = pgTable(
  "market_events",
  {
    blockNumber: bigint("block_number", { mode: "bigint" }).notNull(),
    logIndex: integer("log_index").notNull(),
    blockHash: text("block_hash").notNull(),
    transactionHash: text("transaction_hash").notNull(),
    timestamp: bigint({ mode: "bigint" }).notNull(),
    name: text().notNull(),
    account: text(),
    args: jsonb().$type<Record<string, string | number | boolean>>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.blockNumber, t.logIndex] }), index("market_events_account").on(t.account, t.blockNumber, t.logIndex)],
);

/** Every account that ever held collateral or debt: the positions the liquidation map and health alerts read. */
export const accounts = pgTable("accounts", {
  address: text().primaryKey(),
  firstBlock: bigint("first_block", { mode: "bigint" }).notNull(),
});

/**
 * An alert subscription. Email ones stay `pending` until the address's owner confirms; webhook ones are `active`
 * once their URL answered. `failing`: a webhook that exhausted its retries. The confirmation token is kept as a
 * SHA-256 hash; the unsubscribe token in clear, because every mail carries it (it can only stop alerts).
 */
export const subscriptions = pgTable(
  "subscriptions",
  {
    id: uuid().primaryKey().defaultRandom(),
    account: text().notNull(),
    channel: text().$type<"email" | "webhook">().notNull(),
    target: text().notNull(),
    /** Health threshold (WAD, decimal string) below which a `health` alert goes out. */
    threshold: text().notNull(),
    status: text().$type<"pending" | "active" | "failing" | "unsubscribed">().notNull(),
    confirmTokenHash: text("confirm_token_hash"),
    unsubscribeToken: text("unsubscribe_token").notNull(),
    /** HMAC key of a webhook (shown to the subscriber once, kept to sign). */
    secret: text(),
    /** Alerts cover events after this block only: a new subscriber is not sent the past. */
    fromBlock: bigint("from_block", { mode: "bigint" }).notNull(),
    /** Hysteresis state of the health trigger: true once an alert went out, until health recovers past the re-arm level. */
    belowThreshold: boolean("below_threshold").default(false).notNull(),
    /** Counts health-threshold crossings; part of each health alert's key, so each crossing alerts once. */
    healthEpisode: integer("health_episode").default(0).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).defaultNow().notNull(),
    confirmedAt: timestamp("confirmed_at", { withTimezone: true }),
  },
  (t) => [
    index("subscriptions_account").on(t.account),
    uniqueIndex("subscriptions_confirm_token").on(t.confirmTokenHash),
    uniqueIndex("subscriptions_unsubscribe_token").on(t.unsubscribeToken),
  ],
);

/**
 * The outbox: one row per (subscription, event), written in the same transaction that advances `alertedBlock`, so a
 * restart neither repeats nor skips a decision; a sender delivers `pending` rows and marks them.
 */
export const alerts = pgTable(
  "alerts",
  {
    id: bigserial({ mode: "bigint" }).primaryKey(),
    subscriptionId: uuid("subscription_id")
      .notNull()
      .references(() => subscriptions.id, { onDelete: "cascade" }),
    eventKey: text("event_key").notNull(),
    kind: text().$type<AlertKind>().notNull(),
    blockNumber: bigint("block_number", { mode: "bigint" }).notNull(),
    payload: jsonb().$type<Record<string, unknown>>().notNull(),
    status: text().$type<"pending" | "sent" | "failed" | "cancelled">().default("pending").notNull(),
    attempts: integer().default(0).notNull(),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).defaultNow().notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).defaultNow().notNull(),
    sentAt: timestamp("sent_at", { withTimezone: true }),
    lastError: text("last_error"),
  },
  (t) => [
    uniqueIndex("alerts_once").on(t.subscriptionId, t.eventKey),
    index("alerts_due").on(t.status, t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
  ],
);

export type AlertKind = "confirm" | "health" | "flagged" | "slice" | "hard" | "recovered" | "bad-debt" | "protection" | "protection-set";
