"use client";

import { useDeferredValue, useMemo } from "react";
import { formatHealth, formatPercent, formatPrice, formatUsd } from "@/lib/format/number";
import { WAD, Zone, type PositionSnapshot } from "@/lib/risk";
import { bandSummary, type BandSummary, type RiskSummary } from "./preview";

const ZONE_LABEL: Record<Zone, string> = {
  [Zone.HEALTHY]: "Healthy",
  [Zone.SOFT]: "Soft zone",
  [Zone.HARD]: "Hard zone",
};

const ZONE_CLASS: Record<Zone, string> = {
  [Zone.HEALTHY]: "text-healthy",
  [Zone.SOFT]: "text-soft",
  [Zone.HARD]: "text-hard",
};

/**
 * Before → after of an action: health, zone and each collateral's liquidation prices (soft start / hard start).
 * `after` undefined shows the current position only.
 */
export function RiskPreview({
  before,
  after,
  title = "Preview",
  bands,
}: {
  before?: RiskSummary;
  after?: RiskSummary;
  title?: string;
  /** Snapshots to walk a price decline on (band exposure), before and after the action. */
  bands?: { before?: PositionSnapshot; after?: PositionSnapshot };
}) {
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
              <th scope="col" className="pr-3 font-normal">Collateral</th>
              <th scope="col" className="pr-3 font-normal">Price</th>
              <th scope="col" className="pr-3 font-normal">Soft start</th>
              <th scope="col" className="font-normal">Hard start</th>
            </tr>
          </thead>
          <tbody className="font-mono">
            {rows.map((row, i) => {
              const old = before?.prices[i];
              if (row.softStart === null && (old?.softStart ?? null) === null) return null;
              const cell = (a: bigint | null | undefined, b: bigint | null) => {
                const fmt = (v: bigint | null | undefined) => (v === null || v === undefined ? "none" : formatPrice(v));
                if (!after || !showBefore || fmt(a) === fmt(b)) return <span className="whitespace-nowrap">{fmt(b)}</span>;
                // At 390 px a change wraps at the arrow, never inside a price.
                return (
                  <>
                    <span className="whitespace-nowrap">{fmt(a)}</span> → <span className="whitespace-nowrap">{fmt(b)}</span>
                  </>
                );
              };
              return (
                <tr key={row.asset} data-testid={`liq-price-${row.symbol}`}>
                  <th scope="row" className="pr-3 font-sans font-medium">{row.symbol}</th>
                  <td className="pr-3 whitespace-nowrap">{formatPrice(row.price)}</td>
                  <td className="pr-3">{cell(old?.softStart, row.softStart)}</td>
                  <td>{cell(old?.hardStart, row.hardStart)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {bands && <BandLines before={bands.before} after={bands.after} />}
    </section>
  );
}

function multiplierDrop(m: bigint | null): string {
  if (m === null) return "never within a 90% fall";
  return `after a ${formatPercent(WAD - m, 1)} fall`;
}

function BandText({ b }: { b: BandSummary | undefined }) {
  if (!b) return <span>no debt, nothing to liquidate</span>;
  const soft =
    b.softAtFall === null ? "no fall reaches the soft zone" : b.softAtFall === 0n ? "already in the soft zone" : `soft after a ${formatPercent(b.softAtFall, 1)} fall`;
  const hard = b.hardLiquidations > 0 ? ` and ${b.hardLiquidations} hard liquidation${b.hardLiquidations === 1 ? "" : "s"}` : "";
  return (
    <span>
      {soft}; {b.softSlices} slices{hard} sell {formatUsd(b.soldValue)} for a {formatUsd(b.penalty)} penalty
      {b.hardStartAt === null ? ", never reaching the hard zone" : `, the hard zone only ${multiplierDrop(b.hardStartAt)}`}
      {b.badDebt > 0n ? `, ${formatUsd(b.badDebt)} bad debt` : ""}
    </span>
  );
}

/**
 * Band exposure in one line per state: where soft and hard liquidation would start in a steady decline of every
 * volatile collateral, and what the slices would sell. Deferred, so typing never waits for the walk.
 */
function BandLines({ before, after }: { before?: PositionSnapshot; after?: PositionSnapshot }) {
  const deferredAfter = useDeferredValue(after);
  const beforeBands = useMemo(() => (before ? bandSummary(before) : undefined), [before]);
  const afterBands = useMemo(() => (deferredAfter ? bandSummary(deferredAfter) : undefined), [deferredAfter]);
  const speed = (afterBands ?? beforeBands)?.speedPctPerHour ?? 10;
  if (!beforeBands && !afterBands) return null;
  return (
    <div className="mt-2 border-t border-border pt-2 text-xs" data-testid="band-summary">
      <p className="text-muted">If every collateral price fell {speed}% per hour:</p>
      {before && beforeBands && (
        <p>
          <span className="text-muted">{after ? "Before: " : ""}</span>
          <BandText b={beforeBands} />
        </p>
      )}
      {after && (
        <p data-testid="band-summary-after">
          <span className="text-muted">{before && beforeBands ? "After: " : ""}</span>
          <BandText b={afterBands} />
        </p>
      )}
    </div>
  );
}

