/**
 * Delivers the outbox: pending alerts whose time has come, by mail (SMTP through nodemailer) or webhook. An attempt
 * is recorded (attempts + 1, next try pushed back) before the send, so a process killed mid-send retries that alert
 * after its backoff instead of forgetting it; success marks it sent. Mails carry a fixed Message-ID and webhooks an
 * `X-Soft-Landing-Delivery` id per alert, so the one case that can repeat (killed between the server's acceptance
 * and the mark) is recognisable downstream. Retries back off exponentially; after the last one the alert is
 * `failed` and a webhook subscription `failing`.
 */
import { and, asc, eq, inArray, lte, sql } from "drizzle-orm";
import nodemailer, { type Transporter } from "nodemailer";
import type { Logger } from "pino";
import type { Db } from "../db";
import { schema } from "../db";
import { renderMail, renderWebhook, type AlertRecord } from "./render";
import { postWebhook } from "./webhook";

const { alerts, subscriptions } = schema;

export interface OutboxOptions {
  db: Db;
  /** null: no SMTP server; mail alerts wait (and email subscriptions are refused by the API). */
  smtpUrl: string | null;
  mailFrom: string;
  appUrl: string;
  publicUrl: string;
  webhookMaxAttempts: number;
  mailMaxAttempts?: number;
  allowLoopbackWebhooks: boolean;
  /** First retry delay; doubles per attempt, capped at 10 minutes. */
  baseBackoffMs?: number;
  log?: Logger;
}

export interface DeliveryReport {
  sent: number;
  retrying: number;
  failed: number;
}

export interface Outbox {
  deliverDue(limit?: number): Promise<DeliveryReport>;
  close(): void;
}

export function backoffMs(attempt: number, base: number): number {
  return Math.min(base * 2 ** Math.max(0, attempt - 1), 600_000);
}

export function createOutbox(opts: OutboxOptions): Outbox {
  const { db, log } = opts;
  const base = opts.baseBackoffMs ?? 1_000;
  const mailMax = opts.mailMaxAttempts ?? 10;
  let transport: Transporter | null = opts.smtpUrl ? nodemailer.createTransport(opts.smtpUrl) : null;

  async function deliverOne(row: { alert: typeof alerts.$inferSelect; sub: typeof subscriptions.$inferSelect }): Promise<"sent" | "retrying" | "failed"> {
    const { alert, sub } = row;
    const record: AlertRecord = { id: alert.id.toString(), kind: alert.kind, account: sub.account, blockNumber: alert.blockNumber, payload: alert.payload };
    const unsubscribeUrl = `${opts.publicUrl}/unsubscribe?token=${sub.unsubscribeToken}`;
    // Only the confirmation mail knows its token (the database keeps its hash); it is scrubbed once sent.
    const confirmUrl = typeof alert.payload.confirmToken === "string" ? `${opts.publicUrl}/subscriptions/confirm?token=${alert.payload.confirmToken}` : undefined;
    const ctx = { appUrl: opts.appUrl, unsubscribeUrl, confirmUrl, nowSeconds: Math.floor(Date.now() / 1000) };
    const attempt = alert.attempts + 1;
    const max = sub.channel === "webhook" ? opts.webhookMaxAttempts : mailMax;
    // The lease: recorded before sending, so a crash during the send retries after the backoff.
    await db
      .update(alerts)
      .set({ attempts: attempt, nextAttemptAt: new Date(Date.now() + backoffMs(attempt, base)) })
      .where(and(eq(alerts.id, alert.id), eq(alerts.status, "pending")));

    let error: string | null = null;
    if (sub.channel === "email") {
      if (!transport) error = "no SMTP server configured (SMTP_URL)";
      else {
        const mail = renderMail(record, ctx);
        try {
          await transport.sendMail({
            from: opts.mailFrom,
            to: sub.target,
            subject: mail.subject,
            text: mail.text,
            html: mail.html,
            messageId: `<alert-${alert.id}.${sub.id}@soft-landing.watcher>`,
            headers: alert.kind === "confirm" ? {} : { "List-Unsubscribe": `<${unsubscribeUrl}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" },
          });
        } catch (e) {
          error = `SMTP: ${(e as Error).message}`;
        }
      }
    } else {
      const result = await postWebhook(sub.target, renderWebhook(record, ctx), {
        secret: sub.secret ?? "",
        deliveryId: alert.id.toString(),
        event: alert.kind,
        allowLoopback: opts.allowLoopbackWebhooks,
      });
      if (!result.ok) error = result.reason;
    }

    if (error === null) {
      const payload = alert.kind === "confirm" ? { account: sub.account } : alert.payload;
      await db.update(alerts).set({ status: "sent", sentAt: new Date(), lastError: null, payload }).where(eq(alerts.id, alert.id));
      log?.info({ alert: record.id, kind: alert.kind, channel: sub.channel, account: sub.account, attempt }, "alert delivered");
      return "sent";
    }
    if (attempt >= max) {
      await db.transaction(async (tx) => {
        await tx.update(alerts).set({ status: "failed", lastError: error }).where(eq(alerts.id, alert.id));
        if (sub.channel === "webhook") await tx.update(subscriptions).set({ status: "failing" }).where(eq(subscriptions.id, sub.id));
      });
      log?.warn({ alert: record.id, channel: sub.channel, attempt, error }, "alert gave up");
      return "failed";
    }
    await db.update(alerts).set({ lastError: error }).where(eq(alerts.id, alert.id));
    log?.info({ alert: record.id, channel: sub.channel, attempt, error }, "alert delivery failed: will retry");
    return "retrying";
  }

  return {
    async deliverDue(limit = 100) {
      // Cancel what nobody may receive any more (unsubscribed, or a webhook given up on).
      await db
        .update(alerts)
        .set({ status: "cancelled", lastError: "subscription no longer active" })
        .where(
          and(
            eq(alerts.status, "pending"),
            inArray(alerts.subscriptionId, db.select({ id: subscriptions.id }).from(subscriptions).where(inArray(subscriptions.status, ["unsubscribed", "failing"]))),
          ),
        );
      const due = await db
        .select({ alert: alerts, sub: subscriptions })
        .from(alerts)
        .innerJoin(subscriptions, eq(alerts.subscriptionId, subscriptions.id))
        .where(
          and(
            eq(alerts.status, "pending"),
            lte(alerts.nextAttemptAt, sql`now()`),
            // Before confirmation only the confirmation mail itself may go out.
            sql`(${subscriptions.status} = 'active' or (${subscriptions.status} = 'pending' and ${alerts.kind} = 'confirm'))`,
          ),
        )
        .orderBy(asc(alerts.id))
        .limit(limit);
      const report: DeliveryReport = { sent: 0, retrying: 0, failed: 0 };
      // A few at a time: one slow webhook must not hold up everyone's mail.
      const queue = [...due];
      await Promise.all(
        Array.from({ length: Math.min(8, queue.length) }, async () => {
          for (let row = queue.shift(); row; row = queue.shift()) report[await deliverOne(row)] += 1;
        }),
      );
      return report;
    },
    close() {
      transport?.close();
      transport = null;
    },
  };
}
