"use client";

import { useId, useState } from "react";
import { publicEnv } from "@/lib/chain/env";
import { alertRequest, type AlertChannel } from "./alerts-form";
import { Frame } from "./frames";

type Outcome = { kind: "pending"; message: string } | { kind: "webhook"; secret: string; message: string } | { kind: "error"; message: string };

/**
 * Anyone can ask the watcher to alert them about this position: by email (double opt-in) or webhook (signed; the
 * secret is shown here once). Without a watcher configured the panel says so instead.
 */
export function AlertsPanel({ account }: { account: string }) {
  const watcherUrl = publicEnv.watcherUrl;
  const [channel, setChannel] = useState<AlertChannel>("email");
  const [target, setTarget] = useState("");
  const [threshold, setThreshold] = useState("1.10");
  const [error, setError] = useState<{ field: "target" | "threshold"; message: string } | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [sending, setSending] = useState(false);
  const id = useId();

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    const request = alertRequest(account, channel, target, threshold);
    if (!request.ok) {
      setError({ field: request.field, message: request.message });
      return;
    }
    setError(null);
    setOutcome(null);
    setSending(true);
    try {
      const res = await fetch(`${watcherUrl}/subscriptions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(request.body),
        signal: AbortSignal.timeout(15_000),
      });
      const body = (await res.json().catch(() => ({}))) as { message?: string; secret?: string; error?: string };
      if (res.status === 202) setOutcome({ kind: "pending", message: body.message ?? "Check your inbox for the confirmation link." });
      else if (res.status === 201 && body.secret) setOutcome({ kind: "webhook", secret: body.secret, message: body.message ?? "" });
      else setOutcome({ kind: "error", message: body.error ?? `The watcher answered HTTP ${res.status}.` });
    } catch {
      setOutcome({ kind: "error", message: `The alert service (watcher) at ${watcherUrl} is unreachable; nothing was stored. Try again later.` });
    } finally {
      setSending(false);
    }
  }

  return (
    <Frame title="Alerts" headingId="alerts-heading" testId="alerts">
      {!watcherUrl ? (
        <p className="mt-3 text-sm text-muted">Alerts need the watcher service, which this deployment does not configure (NEXT_PUBLIC_WATCHER_URL).</p>
      ) : (
        <form className="mt-3 space-y-3 text-sm" onSubmit={submit} noValidate>
          <p className="text-muted">
            Hear about this position when its health falls below a threshold, when it is flagged (with the grace deadline and what clears it),
            sliced, hard-liquidated or recovered. Each mail or call links here with the remedy filled in.
          </p>
          <fieldset className="flex gap-4">
            <legend className="sr-only">Send alerts by</legend>
            {(["email", "webhook"] as const).map((c) => (
              <label key={c} className="flex items-center gap-2">
                <input type="radio" name={`${id}-channel`} value={c} checked={channel === c} onChange={() => setChannel(c)} data-testid={`alerts-channel-${c}`} />
                {c === "email" ? "Email" : "Webhook"}
              </label>
            ))}
          </fieldset>
          <div className="flex flex-col gap-3 sm:flex-row">
            <div className="flex-1">
              <label htmlFor={`${id}-target`} className="font-medium">
                {channel === "email" ? "Email address" : "Webhook URL (https)"}
              </label>
              <input
                id={`${id}-target`}
                data-testid="alerts-target"
                type={channel === "email" ? "email" : "url"}
                autoComplete={channel === "email" ? "email" : "off"}
                value={target}
                onChange={(e) => setTarget(e.target.value)}
                aria-invalid={error?.field === "target"}
                aria-describedby={error?.field === "target" ? `${id}-error` : undefined}
                className="mt-1 w-full rounded-lg border border-border bg-bg px-3 py-2"
              />
            </div>
            <div className="sm:w-40">
              <label htmlFor={`${id}-threshold`} className="font-medium">
                Alert below health
              </label>
              <input
                id={`${id}-threshold`}
                data-testid="alerts-threshold"
                inputMode="decimal"
                value={threshold}
                onChange={(e) => setThreshold(e.target.value)}
                aria-invalid={error?.field === "threshold"}
                aria-describedby={error?.field === "threshold" ? `${id}-error` : undefined}
                className="mt-1 w-full rounded-lg border border-border bg-bg px-3 py-2 font-mono"
              />
            </div>
          </div>
          {error && (
            <p id={`${id}-error`} role="alert" className="text-hard" data-testid="alerts-error">
              {error.message}
            </p>
          )}
          <button type="submit" disabled={sending} className="h-9 rounded-md border border-accent px-3 text-sm disabled:opacity-60" data-testid="alerts-submit">
            {sending ? "Subscribing…" : "Subscribe"}
          </button>
          <div aria-live="polite">
            {outcome?.kind === "pending" && (
              <p className="text-healthy" data-testid="alerts-pending">
                {outcome.message}
              </p>
            )}
            {outcome?.kind === "webhook" && (
              <div className="space-y-1" data-testid="alerts-webhook">
                <p>Subscribed. The webhook answered the test call.</p>
                <p>
                  Signing secret: <code className="break-all font-mono" data-testid="alerts-secret">{outcome.secret}</code>
                </p>
                <p className="text-muted">{outcome.message}</p>
              </div>
            )}
            {outcome?.kind === "error" && (
              <p role="alert" className="text-hard" data-testid="alerts-refused">
                {outcome.message}
              </p>
            )}
          </div>
        </form>
      )}
    </Frame>
  );
}
