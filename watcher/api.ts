/**
 * The watcher's HTTP API (Hono): position history, the market liquidation map, subscriptions, and the pages behind
 * the links in mails. Input is validated with zod; every refusal is a 4xx with a sentence saying why, and nothing is
 * stored for a refused request. JSON integers that can exceed 2^53 are decimal strings.
 */
import { randomBytes } from "node:crypto";
import { Hono, type Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { cors } from "hono/cors";
import { isAddress, parseUnits } from "viem";
import { z } from "zod";
import { formatHealth, shortAddress } from "../lib/format/number";
import type { MapScenario } from "../lib/risk";
import type { Db } from "./db";
import { escapeHtml as escape } from "./alerts/render";
import { postWebhook, checkWebhookTarget } from "./alerts/webhook";
import { historyPage, knownAccounts } from "./store";
import {
  SubscriptionConflictError,
  confirmSubscription,
  createEmailSubscription,
  createWebhookSubscription,
  findByUnsubscribeToken,
  unsubscribe,
} from "./subscriptions";

export interface ApiContext {
  db: Db;
  appUrl: string;
  /** false: email subscriptions are refused (no SMTP server configured). */
  mailEnabled: boolean;
  allowLoopbackWebhooks: boolean;
  ping(): Promise<void>;
  status(): Promise<Record<string, unknown>>;
  /** The liquidation map over every known position at the latest block (cached per block by the caller). */
  liquidationMap(stepPct: number, toPct: number): Promise<{ block: bigint; positions: number; scenarios: MapScenario[] }>;
  /** Last block with stored events and last final block, for history answers. */
  progress(): { indexedBlock: bigint | null; finalBlock: bigint | null };
}

/** Request bodies above this are refused with 413 before they are read. */
export const MAX_BODY_BYTES = 4 * 1024;
const HEALTH_MIN = 1;
const HEALTH_MAX = 5;

const json = (value: unknown) => JSON.parse(JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? v.toString() : v)));

const POSITION_EVENTS = ["CollateralDeposited", "CollateralWithdrawn", "Borrowed", "Repaid", "AuthorizationSet", "Flagged", "Unflagged", "Liquidated", "BadDebt", "DeleveragePolicySet", "Deleveraged"];

const address = z.string().refine((a) => isAddress(a, { strict: false }), "must be a 0x-prefixed 20-byte hex address");

const thresholdSchema = z
  .string()
  .regex(/^\d+(\.\d{1,4})?$/, "must be a number such as 1.10 (at most 4 decimals)")
  .refine((t) => Number(t) > HEALTH_MIN && Number(t) <= HEALTH_MAX, `must be above ${HEALTH_MIN} and at most ${HEALTH_MAX}`)
  .default("1.10");

const subscribeSchema = z
  .object({
    account: address,
    email: z.email({ message: "must be an email address" }).max(254).optional(),
    webhook: z.string().max(2048, "must be at most 2048 characters").optional(),
    threshold: thresholdSchema,
  })
  .strict()
  .refine((b) => (b.email === undefined) !== (b.webhook === undefined), { message: "give exactly one of email or webhook", path: ["email"] });

const historyQuery = z.object({
  limit: z
    .string()
    .regex(/^\d+$/, "must be a whole number")
    .transform(Number)
    .refine((n) => n >= 1 && n <= 500, "must be between 1 and 500")
    .default(100),
  before: z
    .string()
    .regex(/^\d+-\d+$/, 'must be "<block>-<logIndex>" as returned in "next"')
    .optional(),
  events: z
    .string()
    .transform((s) => s.split(","))
    .refine((names) => names.every((n) => POSITION_EVENTS.includes(n)), `must be a comma-separated list of ${POSITION_EVENTS.join(", ")}`)
    .optional(),
});

const mapQuery = z.object({
  step: z.string().regex(/^\d+$/, "must be a whole percentage").transform(Number).refine((n) => n >= 1 && n <= 50, "must be 1 to 50").default(5),
  to: z.string().regex(/^\d+$/, "must be a whole percentage").transform(Number).refine((n) => n >= 5 && n <= 95, "must be 5 to 95").default(60),
});


function problems(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ");
}

function page(title: string, body: string, status: number) {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${title}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;color:#111}button{font:inherit;padding:.5rem 1rem}a{color:#1d4ed8}</style></head>
<body><h1>${title}</h1>${body}</body></html>`;
  return new Response(html, { status, headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" } });
}


export function createApi(ctx: ApiContext) {
  const app = new Hono();
  // The web app's origin; on the devnet also its other loopback spelling (localhost ↔ 127.0.0.1).
  const origins = new Set([ctx.appUrl]);
  if (ctx.allowLoopbackWebhooks) {
    origins.add(ctx.appUrl.replace("//localhost", "//127.0.0.1"));
    origins.add(ctx.appUrl.replace("//127.0.0.1", "//localhost"));
  }
  app.use("*", cors({ origin: (origin) => (origins.has(origin) ? origin : null), allowMethods: ["GET", "POST"], allowHeaders: ["content-type"] }));
  app.use(
    "*",
    bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => c.json({ error: `the request body is larger than ${MAX_BODY_BYTES} bytes` }, 413) }),
  );

  app.onError((error, c) => {
    // The database or the node went away mid-request: say so, do not leak a stack.
    return c.json({ error: `the watcher could not answer: ${error.message.split("\n")[0]}` }, 503);
  });
  app.notFound((c) => c.json({ error: `no such endpoint: ${c.req.method} ${new URL(c.req.url).pathname}` }, 404));

  app.get("/health", async (c) => {
    try {
      await ctx.ping();
      return c.json({ ok: true });
    } catch (error) {
      return c.json({ ok: false, error: `database: ${(error as Error).message}` }, 503);
    }
  });

  app.get("/status", async (c) => c.json(json(await ctx.status())));

  app.get("/positions/:account/history", async (c) => {
    const account = c.req.param("account");
    if (!isAddress(account, { strict: false })) return c.json({ error: `"${account}" is not an address (0x followed by 40 hex digits)` }, 400);
    const q = historyQuery.safeParse(c.req.query());
    if (!q.success) return c.json({ error: problems(q.error) }, 400);
    const before = q.data.before ? { block: BigInt(q.data.before.split("-")[0]!), logIndex: Number(q.data.before.split("-")[1]) } : undefined;
    const { indexedBlock, finalBlock } = ctx.progress();
    const result = await historyPage(ctx.db, account, q.data.limit, before, q.data.events);
    return c.json(
      json({
        account: account.toLowerCase(),
        indexedBlock,
        finalBlock,
        events: result.events.map((e) => ({
          blockNumber: e.blockNumber,
          logIndex: e.logIndex,
          transactionHash: e.transactionHash,
          timestamp: e.timestamp,
          name: e.name,
          args: e.args,
          final: finalBlock !== null && e.blockNumber <= finalBlock,
        })),
        next: result.next ? `${result.next.block}-${result.next.logIndex}` : null,
      }),
    );
  });

  app.get("/liquidation-map", async (c) => {
    const q = mapQuery.safeParse(c.req.query());
    if (!q.success) return c.json({ error: problems(q.error) }, 400);
    return c.json(json(await ctx.liquidationMap(q.data.step, q.data.to)));
  });

  app.post("/subscriptions", async (c) => {
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      return c.json({ error: "the body must be JSON: {\"account\": \"0x…\", \"email\": \"…\" or \"webhook\": \"https://…\", \"threshold\": \"1.10\"}" }, 400);
    }
    const parsed = subscribeSchema.safeParse(body);
    if (!parsed.success) return c.json({ error: problems(parsed.error) }, 400);
    const { account, email, webhook, threshold } = parsed.data;
    const known = new Set(await knownAccounts(ctx.db));
    if (!known.has(account.toLowerCase())) {
      return c.json({ error: `the watcher has seen no position for ${account}: it can only alert on a position that holds collateral or debt` }, 404);
    }
    try {
      if (email !== undefined) {
        if (!ctx.mailEnabled) return c.json({ error: "this watcher has no mail server configured (SMTP_URL): subscribe with a webhook" }, 503);
        const sub = await createEmailSubscription(ctx.db, { account, email, threshold: parseUnits(threshold, 18) });
        return c.json({ id: sub.id, status: "pending", message: `Check ${sub.target}: nothing is sent there until the confirmation link in that mail is opened.` }, 202);
      }
      const check = await checkWebhookTarget(webhook!, ctx.allowLoopbackWebhooks);
      if (!check.ok) return c.json({ error: check.reason }, 400);
      const secret = randomBytes(32).toString("hex");
      // The URL must answer now; a webhook that cannot be reached is refused rather than stored.
      const ping = await postWebhook(webhook!, { kind: "ping", account: account.toLowerCase(), message: "Soft Landing watcher: subscription test" }, {
        secret,
        deliveryId: "ping",
        event: "ping",
        allowLoopback: ctx.allowLoopbackWebhooks,
      });
      if (!ping.ok) return c.json({ error: `${ping.reason}; nothing was stored` }, 422);
      const sub = await createWebhookSubscription(ctx.db, { account, url: check.url.toString(), threshold: parseUnits(threshold, 18), secret });
      return c.json(
        {
          id: sub.id,
          status: "active",
          secret,
          message: "Keep this secret now: it signs every delivery (X-Soft-Landing-Signature) and is not shown again.",
          unsubscribeUrl: `/unsubscribe?token=${sub.unsubscribeToken}`,
        },
        201,
      );
    } catch (error) {
      if (error instanceof SubscriptionConflictError) return c.json({ error: error.message }, 409);
      throw error;
    }
  });

  const tokenOf = (c: Context) => {
    const token = c.req.query("token") ?? "";
    return /^[A-Za-z0-9_-]{43}$/.test(token) ? token : null;
  };

  app.get("/subscriptions/confirm", async (c) => {
    const token = tokenOf(c);
    if (!token) return page("Link not valid", "<p>This confirmation link is incomplete or malformed. Open the link from the mail exactly as it was sent.</p>", 400);
    const outcome = await confirmSubscription(ctx.db, token);
    if (!outcome.ok) {
      return outcome.reason === "used"
        ? page("Already confirmed", "<p>This link was already used (or the subscription was ended). Nothing changed.</p>", 410)
        : page("Link not valid", "<p>No subscription waits for this link. It may belong to another watcher.</p>", 404);
    }
    const url = `${ctx.appUrl}/position/${outcome.account}`;
    return page(
      "Alerts confirmed",
      `<p><strong>${escape(outcome.target)}</strong> will now hear about position <a href="${url}">${shortAddress(outcome.account)}</a>: health below its threshold, a flag (with the grace deadline and what clears it), slices, hard liquidations and recovery.</p><p>Every mail has a link to stop them.</p>`,
      200,
    );
  });

  app.get("/unsubscribe", async (c) => {
    const token = tokenOf(c);
    if (!token) return page("Link not valid", "<p>This unsubscribe link is incomplete or malformed.</p>", 400);
    const sub = await findByUnsubscribeToken(ctx.db, token);
    if (!sub) return page("Link not valid", "<p>No subscription matches this link.</p>", 404);
    if (sub.status === "unsubscribed") return page("Already unsubscribed", "<p>These alerts were already stopped.</p>", 410);
    // A GET only asks: mail scanners open links, and must not end a subscription by doing so.
    return page(
      "Stop these alerts?",
      `<p>Alerts about position ${shortAddress(sub.account)} to <strong>${escape(sub.target)}</strong> (threshold ${formatHealth(BigInt(sub.threshold))}).</p>
<form method="post"><button type="submit">Unsubscribe</button></form>`,
      200,
    );
  });

  // RFC 8058 one-click: mail clients POST "List-Unsubscribe=One-Click" here; the page's button does the same.
  app.post("/unsubscribe", async (c) => {
    const token = tokenOf(c);
    if (!token) return page("Link not valid", "<p>This unsubscribe link is incomplete or malformed.</p>", 400);
    const outcome = await unsubscribe(ctx.db, token);
    if (!outcome.ok) {
      return outcome.reason === "used"
        ? page("Already unsubscribed", "<p>These alerts were already stopped.</p>", 410)
        : page("Link not valid", "<p>No subscription matches this link.</p>", 404);
    }
    return page("Unsubscribed", `<p>No more alerts about ${shortAddress(outcome.account)} will go to <strong>${escape(outcome.target)}</strong>.</p>`, 200);
  });

  return app;
}
