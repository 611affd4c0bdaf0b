/**
 * Subscriptions: created by the API, confirmed (email) by the link in the confirmation mail, ended by the link in
 * every mail. Tokens are 32 random bytes, base64url; confirmation tokens are stored as SHA-256 hashes and work once.
 */
import { createHash, randomBytes } from "node:crypto";
import { and, eq, inArray, ne } from "drizzle-orm";
import type { Db } from "./db";
import { schema } from "./db";
import { loadCursor } from "./store";

const { alerts, subscriptions } = schema;

export const newToken = () => randomBytes(32).toString("base64url");
export const tokenHash = (token: string) => createHash("sha256").update(token).digest("hex");

export class SubscriptionConflictError extends Error {}

async function indexedBlock(db: Db): Promise<bigint> {
  return (await loadCursor(db))?.block ?? 0n;
}

async function refuseDuplicate(db: Db, account: string, channel: "email" | "webhook", target: string) {
  const [existing] = await db
    .select({ id: subscriptions.id, status: subscriptions.status })
    .from(subscriptions)
    .where(and(eq(subscriptions.account, account), eq(subscriptions.channel, channel), eq(subscriptions.target, target), ne(subscriptions.status, "unsubscribed")));
  if (existing) {
    throw new SubscriptionConflictError(
      existing.status === "pending"
        ? `${target} already has a subscription to this position waiting for confirmation: use the link in the mail already sent`
        : `${target} is already subscribed to this position's alerts`,
    );
  }
}

/** A pending email subscription and its confirmation mail (in the outbox). Nothing else goes out until confirmed. */
export async function createEmailSubscription(db: Db, input: { account: string; email: string; threshold: bigint }) {
  const account = input.account.toLowerCase();
  const email = input.email.toLowerCase();
  await refuseDuplicate(db, account, "email", email);
  const confirmToken = newToken();
  // Read before the transaction: PGlite has one connection, so a query outside an open transaction would wait forever.
  const fromBlock = await indexedBlock(db);
  return db.transaction(async (tx) => {
    const [sub] = await tx
      .insert(subscriptions)
      .values({
        account,
        channel: "email",
        target: email,
        threshold: input.threshold.toString(),
        status: "pending",
        confirmTokenHash: tokenHash(confirmToken),
        unsubscribeToken: newToken(),
        fromBlock,
      })
      .returning();
    await tx.insert(alerts).values({ subscriptionId: sub!.id, eventKey: "confirm", kind: "confirm", blockNumber: 0n, payload: { account, confirmToken } });
    return sub!;
  });
}

/** An active webhook subscription (its URL already answered) and its signing secret, returned to the caller once. */
export async function createWebhookSubscription(db: Db, input: { account: string; url: string; threshold: bigint; secret: string }) {
  const account = input.account.toLowerCase();
  await refuseDuplicate(db, account, "webhook", input.url);
  const [sub] = await db
    .insert(subscriptions)
    .values({
      account,
      channel: "webhook",
      target: input.url,
      threshold: input.threshold.toString(),
      status: "active",
      unsubscribeToken: newToken(),
      secret: input.secret,
      fromBlock: await indexedBlock(db),
      confirmedAt: new Date(),
    })
    .returning();
  return sub!;
}

export type TokenOutcome = { ok: true; account: string; target: string } | { ok: false; reason: "unknown" | "used" };

/** Confirms by token; a token works once. Alerts cover events from the confirmation on. */
export async function confirmSubscription(db: Db, token: string): Promise<TokenOutcome> {
  const from = await indexedBlock(db);
  const [sub] = await db
    .update(subscriptions)
    .set({ status: "active", confirmedAt: new Date(), fromBlock: from })
    .where(and(eq(subscriptions.confirmTokenHash, tokenHash(token)), eq(subscriptions.status, "pending")))
    .returning();
  if (sub) return { ok: true, account: sub.account, target: sub.target };
  const [known] = await db.select({ id: subscriptions.id }).from(subscriptions).where(eq(subscriptions.confirmTokenHash, tokenHash(token)));
  return { ok: false, reason: known ? "used" : "unknown" };
}

export async function unsubscribe(db: Db, token: string): Promise<TokenOutcome> {
  return db.transaction(async (tx) => {
    const [sub] = await tx
      .update(subscriptions)
      .set({ status: "unsubscribed" })
      .where(and(eq(subscriptions.unsubscribeToken, token), inArray(subscriptions.status, ["pending", "active", "failing"])))
      .returning();
    if (!sub) {
      const [known] = await tx.select({ id: subscriptions.id }).from(subscriptions).where(eq(subscriptions.unsubscribeToken, token));
      return { ok: false, reason: known ? "used" : "unknown" } as const;
    }
    await tx.update(alerts).set({ status: "cancelled", lastError: "unsubscribed" }).where(and(eq(alerts.subscriptionId, sub.id), eq(alerts.status, "pending")));
    return { ok: true, account: sub.account, target: sub.target } as const;
  });
}

/** Whether an unsubscribe token belongs to a subscription that can still be ended (for the confirmation page). */
export async function findByUnsubscribeToken(db: Db, token: string) {
  const [sub] = await db.select().from(subscriptions).where(eq(subscriptions.unsubscribeToken, token));
  return sub ?? null;
}
