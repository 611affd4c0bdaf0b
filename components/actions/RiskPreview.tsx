"use client";

import { WAD, Zone } from "@/lib/risk";
import { ZONE_CLASS, ZONE_LABEL, formatHealth, formatPrice } from "./format";
import type { RiskSummary } from "./preview";

/**
 * Before → after of an action: health, zone and each collateral's liquidation prices (soft start / hard start).
 * `after` undefined shows the current position only.
 */
export function RiskPreview({ before, after, title = "Preview" }: { before?: RiskSummary; after?: RiskSummary; title?: string }) {
  const rows = (after ?? before)?.prices ?? [];
  const showBefore = !!before && (before.hasDebt || !after);
  return (
    <section aria-label={title} data-testid="risk-preview" className="rounded-lg border border-border bg-bg p-3 text-sm">
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1">
        <dt className="text-muted">Health</dt>
        <dd data-testid="preview-health" className="font-mono">
          {showBefore && before && (
            <>
              <span className={ZONE_CLASS[before.zone]}>{formatHealth(before.healthFactor, before.ok)}</span>
              {after && " → "}
            </>
          )}
          {after && (
            <strong data-testid="preview-health-after" className={ZONE_CLASS[after.zone]}>
              {formatHealth(after.healthFactor, after.ok)}
            </strong>
          )}
        </dd>
        <dt className="text-muted">Zone</dt>
        <dd data-testid="preview-zone">
          {showBefore && before && (
            <>
              <span className={ZONE_CLASS[before.zone]}>{before.ok ? ZONE_LABEL[before.zone] : "Unknown (stale price)"}</span>
              {after && " → "}
            </>
          )}
          {after && (
            <strong data-testid="preview-zone-after" className={ZONE_CLASS[after.zone]}>
              {after.ok ? (after.hasDebt ? ZONE_LABEL[after.zone] : "No debt") : "Unknown (stale price)"}
            </strong>
          )}
        </dd>
      </dl>
      {rows.some((r) => r.softStart !== null || (before?.prices.some((p) => p.softStart !== null) ?? false)) && (
        <table className="mt-2 w-full text-left text-xs">
          <caption className="sr-only">Liquidation prices, before and after</caption>
          <thead className="text-muted">
            <tr>
              <th scope="col" className="font-normal">Collateral</th>
              <th scope="col" className="font-normal">Price</th>
              <th scope="col" className="font-normal">Soft start</th>
              <th scope="col" className="font-normal">Hard start</th>
            </tr>
          </thead>
          <tbody className="font-mono">
            {rows.map((row, i) => {
              const old = before?.prices[i];
              if (row.softStart === null && (old?.softStart ?? null) === null) return null;
              const cell = (a: bigint | null | undefined, b: bigint | null) => {
                const fmt = (v: bigint | null | undefined) => (v === null || v === undefined ? "none" : formatPrice(v));
                if (!after || !showBefore) return fmt(b);
                return fmt(a) === fmt(b) ? fmt(b) : `${fmt(a)} → ${fmt(b)}`;
              };
              return (
                <tr key={row.asset} data-testid={`liq-price-${row.symbol}`}>
                  <th scope="row" className="font-sans font-medium">{row.symbol}</th>
                  <td>{formatPrice(row.price)}</td>
                  <td>{cell(old?.softStart, row.softStart)}</td>
                  <td>{cell(old?.hardStart, row.hardStart)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** Warning level of a health factor about to be reached: below 1 is refused; close to 1 is warned. */
export const NEAR_SOFT_THRESHOLD = (WAD * 110n) / 100n;

export function isNearSoft(summary: RiskSummary): boolean {
  return summary.ok && summary.hasDebt && summary.zone === Zone.HEALTHY && summary.healthFactor < NEAR_SOFT_THRESHOLD;
}
