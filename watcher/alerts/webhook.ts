/**
 * Webhook targets and delivery. A target must be https (or plain http to loopback on the devnet) and must not
 * resolve to a private, link-local or otherwise internal address: the watcher would otherwise be a way into the
 * network it runs in. The check runs when subscribing and again before every delivery (DNS may have changed).
 * Bodies are signed: `X-Soft-Landing-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`.
 */
import { createHmac } from "node:crypto";
import { lookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";

const internal = new BlockList();
for (const [net, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const) {
  internal.addSubnet(net, prefix, "ipv4");
}
for (const [net, prefix] of [
  ["::", 128],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
] as const) {
  internal.addSubnet(net, prefix, "ipv6");
}
const loopback = new BlockList();
loopback.addSubnet("127.0.0.0", 8, "ipv4");
loopback.addAddress("::1", "ipv6");

/** An IPv4-mapped IPv6 address (::ffff:10.0.0.1) is judged as the IPv4 address it carries. */
function classify(address: string): "loopback" | "internal" | "public" {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  const ip = mapped ? mapped[1]! : address;
  const family = isIP(ip) === 6 ? "ipv6" : "ipv4";
  if (loopback.check(ip, family)) return "loopback";
  return internal.check(ip, family) ? "internal" : "public";
}

export type TargetCheck = { ok: true; url: URL } | { ok: false; reason: string };

export async function checkWebhookTarget(raw: string, allowLoopback: boolean): Promise<TargetCheck> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: "the webhook is not a URL" };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return { ok: false, reason: `the webhook must be an https URL (got ${url.protocol})` };
  if (url.username || url.password) return { ok: false, reason: "the webhook URL must not carry a user name or password" };
  const host = url.hostname.replace(/^\[|\]$/g, "");
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);
  } catch {
    return { ok: false, reason: `the webhook's host ${host} does not resolve` };
  }
  const kinds = new Set(addresses.map(classify));
  if (kinds.has("internal")) return { ok: false, reason: `the webhook's host ${host} resolves to a private or reserved address` };
  if (kinds.has("loopback")) {
    if (!allowLoopback) return { ok: false, reason: `the webhook's host ${host} is this machine (loopback webhooks are allowed on the devnet only)` };
    return { ok: true, url };
  }
  if (url.protocol !== "https:") return { ok: false, reason: "the webhook must use https (plain http only to loopback on the devnet)" };
  return { ok: true, url };
}

export function signature(secret: string, timestamp: number, body: string): string {
  return `t=${timestamp},v1=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

export type DeliveryResult = { ok: true; status: number } | { ok: false; reason: string };

/** One POST. Success is a 2xx answer within the timeout; redirects are not followed. */
export async function postWebhook(
  target: string,
  body: Record<string, unknown>,
  opts: { secret: string; deliveryId: string; event: string; allowLoopback: boolean; timeoutMs?: number },
): Promise<DeliveryResult> {
  const check = await checkWebhookTarget(target, opts.allowLoopback);
  if (!check.ok) return { ok: false, reason: check.reason };
  const json = JSON.stringify(body);
  const timestamp = Math.floor(Date.now() / 1000);
  try {
    const res = await fetch(check.url, {
      method: "POST",
      redirect: "manual",
      signal: AbortSignal.timeout(opts.timeoutMs ?? 5_000),
      headers: {
        "content-type": "application/json",
        "user-agent": "soft-landing-watcher",
        "x-soft-landing-event": opts.event,
        "x-soft-landing-delivery": opts.deliveryId,
        "x-soft-landing-signature": signature(opts.secret, timestamp, json),
      },
      body: json,
    });
    await res.body?.cancel().catch(() => {});
    if (res.status >= 200 && res.status < 300) return { ok: true, status: res.status };
    return { ok: false, reason: `the webhook answered HTTP ${res.status}` };
  } catch (error) {
    const e = error as Error & { cause?: { code?: string } };
    if (e.name === "TimeoutError") return { ok: false, reason: `the webhook did not answer within ${(opts.timeoutMs ?? 5_000) / 1000} s` };
    return { ok: false, reason: `the webhook is unreachable (${e.cause?.code ?? e.message})` };
  }
}
