"use client";

import { useDeferredValue, useId, useMemo, useState } from "react";
import type { Address } from "viem";
import { errorContextFrom } from "@/lib/chain/errors";
import { NO_POLICY, hasPolicy, type PositionSnapshot } from "@/lib/risk";
import { protectionFlowFor } from "./flow";
import { useRunAction } from "./hooks";
import { describePolicy, policySummary } from "@/lib/format/policy";
import { checkPolicy, initialFields, protectionPreview, type PolicyField, type PolicyFields } from "./protection";

const INPUTS: readonly { field: PolicyField; label: string; unit?: "%" }[] = [
  { field: "trigger", label: "Trigger health" },
  { field: "target", label: "Target health" },
  { field: "bonus", label: "Bonus", unit: "%" },
  { field: "share", label: "Share of the debt per execution", unit: "%" },
];

/**
 * "Protect automatically": the owner's deleverage policy (docs/liquidation.md R9), set, changed or revoked in one
 * transaction, checked as the market checks it before anything is sent, with what it would do in words. Mount it
 * keyed by the policy's version: the fields then start again from what is in force after every change.
 */
export function ProtectionPanel({ snapshot, account }: { snapshot: PositionSnapshot; account: Address }) {
  const current = snapshot.policy;
  const on = hasPolicy(current);
  const [fields, setFields] = useState<PolicyFields>(() => initialFields(snapshot));
  const { run, busy, lastError } = useRunAction();
  const id = useId();
  const checked = checkPolicy(snapshot, fields);
  const message = checked.ok ? null : checked.message;

  // The walks behind the preview take a few milliseconds: typing never waits for them.
  const deferredFields = useDeferredValue(fields);
  const preview = useMemo(() => {
    const draft = checkPolicy(snapshot, deferredFields);
    return draft.ok ? { rule: describePolicy(draft.policy), ...protectionPreview(snapshot, draft.policy) } : null;
  }, [snapshot, deferredFields]);

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    if (!checked.ok || checked.unchanged || busy) return;
    await run(protectionFlowFor(snapshot, account, checked.policy), errorContextFrom(snapshot.market));
  }

  return (
    <section aria-labelledby={`${id}-title`} data-testid="protection-panel" className="space-y-3 border-t border-border pt-4">
      <h3 id={`${id}-title`} className="font-semibold">
        Protect automatically
      </h3>
      <p className="text-sm" data-testid="protection-current">
        {on
          ? `On: ${policySummary(current)}.`
          : "Off. A policy lets anyone repay part of your debt for your collateral, at a small bonus you choose, before health reaches the soft zone."}
      </p>
      <form onSubmit={submit} noValidate className="space-y-3" data-testid="protection-form">
        <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
          {INPUTS.map(({ field, label, unit }) => {
            const invalid = !checked.ok && checked.field === field;
            return (
              <div key={field}>
                <label htmlFor={`${id}-${field}`} className="text-sm font-medium">
                  {label}
                  {unit ? ` (${unit})` : ""}
                </label>
                <input
                  id={`${id}-${field}`}
                  data-testid={`protection-${field}`}
                  inputMode="decimal"
                  autoComplete="off"
                  value={fields[field]}
                  aria-invalid={invalid}
                  aria-describedby={invalid ? `${id}-message` : undefined}
                  onChange={(e) => setFields((f) => ({ ...f, [field]: e.target.value }))}
                  className="mt-1 w-full rounded-lg border border-border bg-bg px-3 py-2 font-mono"
                />
              </div>
            );
          })}
        </div>
        {message && (
          <p id={`${id}-message`} role="alert" data-testid="protection-error" className="text-sm text-hard">
            {message}
          </p>
        )}
        {checked.ok && checked.note && <p className="text-xs text-muted">{checked.note}</p>}
        {preview && (
          <div className="space-y-1 rounded-lg border border-border bg-bg p-3 text-sm" data-testid="protection-preview" aria-live="polite">
            <p data-testid="protection-rule">{preview.rule}</p>
            <p data-testid="protection-at-trigger">{preview.atTrigger}</p>
            {preview.decline && (
              <p className="text-muted" data-testid="protection-decline">
                {preview.decline}
              </p>
            )}
          </div>
        )}
        {lastError && (
          <p role="alert" data-testid="protection-tx-error" className="text-sm text-hard">
            {lastError}
          </p>
        )}
        <div className="flex flex-wrap gap-2">
          <button
            type="submit"
            data-testid="protection-submit"
            disabled={!checked.ok || checked.unchanged || busy}
            className="flex-1 rounded-lg bg-accent px-4 py-2 font-semibold text-accent-fg disabled:cursor-not-allowed disabled:opacity-50"
          >
            {busy ? "Working…" : on ? "Change protection" : "Turn on protection"}
          </button>
          {on && (
            <button
              type="button"
              data-testid="protection-revoke"
              disabled={busy}
              onClick={() => void run(protectionFlowFor(snapshot, account, NO_POLICY), errorContextFrom(snapshot.market))}
              className="rounded-lg border border-accent px-4 py-2 font-semibold text-accent disabled:cursor-not-allowed disabled:opacity-50"
            >
              Turn off protection
            </button>
          )}
        </div>
        {checked.ok && checked.unchanged && (
          <p className="text-xs text-muted" data-testid="protection-unchanged">
            This is the protection in force: change a figure to send a new one.
          </p>
        )}
      </form>
    </section>
  );
}
