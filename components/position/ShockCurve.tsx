"use client";

import dynamic from "next/dynamic";
import { useMemo } from "react";
import { WAD, marketShock, zoneThresholds, type PositionSnapshot } from "@/lib/risk";
import { formatHealth, formatPercent } from "@/lib/format/number";
import { bandSummary } from "@/components/actions/preview";
import type { ShockRow } from "./charts/ShockChart";
import { Frame, LoadingBlock, SHOCK_SECTION_CLASS } from "./frames";

const ShockChart = dynamic(() => import("./charts/ShockChart"), {
  ssr: false,
  loading: () => <LoadingBlock label="Loading the shock curve…" heightClass="h-full" />,
});

const pct = (value: number) => `${value > 0 ? "+" : ""}${value.toFixed(1)}%`;

/** Net risk: health when every volatile collateral moves together by the same percentage (lib/risk marketShock). */
export function ShockCurve({ snapshot }: { snapshot: PositionSnapshot }) {
  const result = useMemo(() => marketShock(snapshot, { fromPct: -60, toPct: 40, stepPct: 2.5 }), [snapshot]);
  const hardHealth = Number(snapshot.market.risk.hardHealth / 10n ** 14n) / 10_000;
  // The band chart's walk at its default speed (walked once per snapshot, shared): where hard starts once slices run.
  const decline = useMemo(() => bandSummary(snapshot), [snapshot]);
  // The exact thresholds every page quotes (the forms' preview and the band chart's key read the same function).
  const thresholds = useMemo(() => zoneThresholds(snapshot), [snapshot]);
  const rows = useMemo(
    () =>
      result.ok
        ? result.curve.points.map<ShockRow>((p) => ({ shockPct: p.shockPct, hf: Math.min(Number(p.healthFactor / 10n ** 12n) / 1e6, 1e6) }))
        : [],
    [result],
  );
  return (
    <Frame title="Net risk: health under a market-wide shock" headingId="shock-heading" className={SHOCK_SECTION_CLASS} testId="shock">
      {!result.ok ? (
        <p className="mt-3 text-sm text-hard" role="alert">
          {result.message}
        </p>
      ) : (
        <>
          <p className="mt-1 text-sm text-muted" data-testid="shock-summary">
            All volatile collaterals move together, stablecoins stay.{" "}
            {thresholds.softAtFall === null
              ? "No market-wide fall brings this position below health 1."
              : thresholds.softAtFall === 0n
                ? result.curve.softAtPct !== null && result.curve.softAtPct > 0
                  ? `Already below health 1; it needs prices ${pct(result.curve.softAtPct)} to recover.`
                  : "Already below health 1."
                : `Soft liquidation starts after a ${formatPercent(thresholds.softAtFall, 1)} fall.`}
            {thresholds.hardAtFall !== null && thresholds.hardAtFall > 0n && (
              <>
                {" "}
                With nothing sold on the way, hard liquidation would start after a {formatPercent(thresholds.hardAtFall, 1)} fall
                {decline &&
                  (decline.hardStartAt === null
                    ? `; in a steady ${decline.speedPctPerHour}%/h fall the slices keep it out of the hard zone altogether (band exposure above).`
                    : `; in a steady ${decline.speedPctPerHour}%/h fall the slices lift health, so the hard zone comes only after a ${formatPercent(WAD - decline.hardStartAt, 1)} fall (band exposure above).`)}
                {!decline && "."}
              </>
            )}
          </p>
          <div
            className="mt-3 h-64 w-full"
            role="img"
            aria-label={`Line chart of health factor from a −60% to a +40% move; at −20%: ${formatHealth(
              result.curve.points.find((p) => p.shockPct === -20)?.healthFactor ?? 0n,
            )}.`}
          >
            <ShockChart
              rows={rows}
              hardHealth={hardHealth}
              softAtPct={result.curve.softAtPct}
              hardAtPct={result.curve.hardAtPct}
            />
          </div>
        </>
      )}
    </Frame>
  );
}
