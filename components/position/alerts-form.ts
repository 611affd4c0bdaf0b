/**
 * The alert subscription form's rules, the same the watcher enforces (so a bad value is refused before anything is
 * sent): exactly one of an email address or an https webhook URL, and a health threshold above 1 and at most 5 with
 * at most 4 decimals (a decimal comma is read as a decimal mark).
 */
export type AlertChannel = "email" | "webhook";

export type AlertRequest = { ok: true; body: { account: string; email?: string; webhook?: string; threshold: string } } | { ok: false; field: "target" | "threshold"; message: string };

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function alertRequest(account: string, channel: AlertChannel, target: string, thresholdText: string): AlertRequest {
  const value = target.trim();
  if (channel === "email") {
    if (!EMAIL.test(value) || value.length > 254) return { ok: false, field: "target", message: "Enter an email address such as you@example.com." };
  } else {
    let url: URL | null = null;
    try {
      url = new URL(value);
    } catch {
      /* below */
    }
    if (!url || (url.protocol !== "https:" && url.protocol !== "http:")) {
      return { ok: false, field: "target", message: "Enter the webhook's https:// URL." };
    }
    if (value.length > 2048) return { ok: false, field: "target", message: "The URL is longer than 2048 characters." };
  }
  const threshold = thresholdText.trim().replace(",", ".");
  if (!/^\d+(\.\d{1,4})?$/.test(threshold)) return { ok: false, field: "threshold", message: "Enter a health such as 1.10 (at most 4 decimals)." };
  const n = Number(threshold);
  if (!(n > 1) || n > 5) return { ok: false, field: "threshold", message: "The alert threshold must be above 1 (the soft zone starts at 1) and at most 5." };
  return { ok: true, body: { account, ...(channel === "email" ? { email: value } : { webhook: value }), threshold } };
}
