"use client";

import dynamic from "next/dynamic";
import { useId, useMemo, useState } from "react";
import {
  bandExposure,
  compareExposure,
  hasPolicy,
  STANDARD_DECLINE,
  WAD,
  zoneThresholds,
  type Band,
  type BandExposure as Exposure,
  type Milestone,
  type PositionSnapshot,
} from "@/lib/risk";
import { formatAmount, formatPercent, formatPrice, formatUsd, formatUsdNumber, wadToNumber } from "@/lib/format/number";
import { adviceOffers } from "@/components/advice/offers";
import { useAdvice } from "@/components/advice/useAdvice";
import type { BandRow } from "./charts/BandChart";
import { BAND_SECTION_CLASS } from "./frames";

const BandChart = dynamic(() => import("./charts/BandChart"), {
  ssr: false,
  loading: () => <ChartPlaceholder />,
});

function ChartPlaceholder() {
  return <div className="h-full w-full animate-pulse rounded-md bg-bg" aria-hidden="true" />;
}

export const DECLINE_SPEEDS = [2, 5, 10, 25] as const;

const pctOf = (multiplier: bigint) => Number((multiplier * 10_000n) / WAD) / 100;
const milestonePct = (m: Milestone | null) => (m ? pctOf(m.multiplier) : null);

function bandLabel(band: Band, snapshot: PositionSnapshot, moving: readonly number[]): string {
  const held = moving.filter((i) => (snapshot.market.collaterals[i]?.balance ?? 0n) > 0n);
  const prices = held
    .map((i) => `${snapshot.market.collaterals[i]!.symbol} ${formatPrice(band.fromPrices[i]!)}–${formatPrice(band.toPrices[i]!)}`)
    .join(", ");
  // one decimal at most: "96.4–92.9% of today", never "40–35.75%"
  const pct = (m: bigint) => pctOf(m).toFixed(1).replace(/\.0$/, "");
  return `${pct(band.fromMultiplier)}–${pct(band.toMultiplier)}% of today${prices ? ` (${prices})` : ""}`;
}

/**
 * Where and how the position would be unwound if volatile collateral prices fell steadily, walked with the
 * protocol's rules by lib/risk, next to the same decline under a conventional (Aave-like) liquidation and, when the
 * account has automatic protection (a deleverage policy, R9), the decline with the policy executed first.
 */
export function BandExposure({ snapshot, advice = false }: { snapshot: PositionSnapshot; /** Say what to do (the position page, which has the forecast below). */ advice?: boolean }) {
  const [speed, setSpeed] = useState<number>(STANDARD_DECLINE.speedPctPerHour);
  const groupId = useId();
  const result = useMemo(
    () => compareExposure(snapshot, { ...STANDARD_DECLINE, speedPctPerHour: speed }),
    [snapshot, speed],
  );
  // The stored policy only: a draft in the owner's form is previewed there, in words.
  const policy = hasPolicy(snapshot.policy) ? snapshot.policy : null;
  const protectedWalk = useMemo(() => {
    if (!policy) return null;
    const walked = bandExposure(snapshot, { ...STANDARD_DECLINE, speedPctPerHour: speed, policy });
    return walked.ok ? walked.exposure : null;
  }, [snapshot, speed, policy]);

  const view = useMemo(() => {
    if (!result.ok) return null;
    const { soft, conventional } = result.comparison;
    const length = Math.max(soft.bands.length, conventional.bands.length, protectedWalk?.bands.length ?? 0);
    const rows: BandRow[] = [];
    for (let i = 0; i < length; i++) {
      const s = soft.bands[i];
      const c = conventional.bands[i];
      const p = protectedWalk?.bands[i];
      const band = s ?? c ?? p!;
      const sold = (b: Band | undefined) => (b ? wadToNumber(b.repaidValue) : 0);
      const penalty = (b: Band | undefined) => (b ? wadToNumber(b.penalty > 0n ? b.penalty : 0n) : 0);
      rows.push({
        pct: (pctOf(band.fromMultiplier) + pctOf(band.toMultiplier)) / 2,
        label: bandLabel(band, snapshot, soft.moving),
        softRepaid: sold(s),
        softPenalty: penalty(s),
        convRepaid: sold(c),
        convPenalty: penalty(c),
        ...(protectedWalk ? { protectedRepaid: sold(p), protectedPenalty: penalty(p) } : {}),
      });
    }
    // Soft starts where health first crosses 1: the exact threshold every page quotes (zoneThresholds), not the walk's
    // step, so the chart, the net-risk summary and the forms' preview print the same figure.
    const { softAtFall } = zoneThresholds(snapshot);
    return { rows, soft, conventional, protectedWalk, softAtFall };
  }, [result, protectedWalk, snapshot]);

  return (
    <section aria-labelledby="bands-heading" className={`rounded-xl border border-border bg-card p-4 sm:p-6 ${BAND_SECTION_CLASS}`} data-testid="band-exposure">
      <div className="flex flex-wrap items-center gap-3">
        <h2 id="bands-heading" className="text-lg font-semibold">
          Band exposure: what a steady fall would sell
        </h2>
        <fieldset className="ml-auto flex flex-wrap items-center gap-1 text-sm">
          <legend className="sr-only">Decline speed</legend>
          <span className="mr-1 text-muted" aria-hidden="true">
            Decline speed
          </span>
          {DECLINE_SPEEDS.map((s) => (
            <label
              key={s}
              className={`cursor-pointer rounded-md border px-2 py-1 has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-accent ${
                s === speed ? "border-accent bg-accent text-accent-fg" : "border-border"
              }`}
            >
              <input
                type="radio"
                name={groupId}
                value={s}
                checked={s === speed}
                onChange={() => setSpeed(s)}
                className="sr-only"
                data-testid={`speed-${s}`}
              />
              {s}%/h
            </label>
          ))}
        </fieldset>
      </div>
      <p className="mt-1 text-sm text-muted">
        Volatile collaterals fall together by {speed}% of today&apos;s price per hour; a prompt keeper flags, waits out
        the grace period and slices as the rules allow. Bars: debt repaid per price band; lines: the penalty paid on it (right axis).
        {policy && " This position has automatic protection on: the green series is the same fall with its policy executed first, at its own bonus."}
      </p>

      {!result.ok ? (
        <p className="mt-4 text-sm text-hard" role="alert">
          {result.message}
        </p>
      ) : (
        view && (
          <>
            <div
              className="mt-4 h-72 w-full sm:h-80"
              data-testid="band-chart"
              data-soft-sold={view.soft.totals.repaidValue.toString()}
              data-protected-sold={view.protectedWalk?.totals.repaidValue.toString() ?? ""}
              data-soft-start={view.softAtFall === null ? "" : pctOf(WAD - view.softAtFall)}
              role="img"
              aria-label={`Bar chart of collateral sold per price band: soft mode sells ${formatUsd(view.soft.totals.soldValue, 0)} with ${formatUsd(view.soft.totals.penalty, 0)} penalty; conventional sells ${formatUsd(view.conventional.totals.soldValue, 0)} with ${formatUsd(view.conventional.totals.penalty, 0)} penalty${
                view.protectedWalk
                  ? `; with automatic protection ${formatUsd(view.protectedWalk.totals.soldValue, 0)} with ${formatUsd(view.protectedWalk.totals.penalty, 0)} paid above the debt`
                  : ""
              }.`}
            >
              <BandChart
                rows={view.rows}
                softStartPct={view.softAtFall === null ? null : pctOf(WAD - view.softAtFall)}
                hardStartPct={milestonePct(view.soft.hardStart)}
                convStartPct={milestonePct(view.conventional.softStart)}
                bandWidthPct={STANDARD_DECLINE.depthPct / STANDARD_DECLINE.bandCount}
                protection={view.protectedWalk !== null}
              />
            </div>
            <ul className="mt-2 flex flex-wrap gap-x-4 gap-y-1 text-xs" data-testid="band-milestones">
              <li>
                <span aria-hidden="true" className="mr-1 inline-block h-3 w-0 border-l-2 border-fg align-middle" />
                now (100%)
              </li>
              {view.softAtFall !== null && (
                <li data-testid="milestone-soft">
                  <span aria-hidden="true" className="mr-1 inline-block h-3 w-0 border-l-2 border-dashed border-soft align-middle" />
                  {view.softAtFall === 0n ? "already in the soft zone" : `soft starts after a ${formatPercent(view.softAtFall, 1)} fall`}
                </li>
              )}
              <li data-testid="milestone-hard">
                <span aria-hidden="true" className="mr-1 inline-block h-3 w-0 border-l-2 border-dashed border-hard align-middle" />
                {view.soft.hardStart
                  ? `hard starts after a ${formatPercent(WAD - view.soft.hardStart.multiplier, 1)} fall (the slices lift health on the way)`
                  : "the slices keep it out of the hard zone"}
              </li>
              {view.conventional.softStart && (
                <li>
                  <span aria-hidden="true" className="mr-1 inline-block h-3 w-0 border-l-2 border-dotted border-[var(--chart-conv)] align-middle" />
                  conventional liquidation starts after a {formatPercent(WAD - view.conventional.softStart.multiplier, 1)} fall
                </li>
              )}
            </ul>
            <ExposureTotals comparison={result.comparison} protectedWalk={view.protectedWalk} />
            {advice && <BandAdvice snapshot={snapshot} />}
            <details className="mt-3 text-sm">
              <summary className="cursor-pointer text-accent">Bands as a table</summary>
              <div className="mt-2 overflow-x-auto">
                <table className="w-full min-w-[32rem] text-left text-xs">
                  <thead className="text-muted">
                    <tr>
                      <th scope="col" className="py-1 pr-2">Band</th>
                      <th scope="col" className="py-1 pr-2 text-right">Soft: sold</th>
                      <th scope="col" className="py-1 pr-2 text-right">Soft: penalty</th>
                      <th scope="col" className="py-1 pr-2 text-right">Conventional: sold</th>
                      <th scope="col" className={`py-1 text-right ${view.protectedWalk ? "pr-2" : ""}`}>Conventional: penalty</th>
                      {view.protectedWalk && (
                        <>
                          <th scope="col" className="py-1 pr-2 text-right">Protected: sold</th>
                          <th scope="col" className="py-1 text-right">Protected: bonus</th>
                        </>
                      )}
                    </tr>
                  </thead>
                  <tbody>
                    {view.rows.map((r) => (
                      <tr key={r.pct} className="border-t border-border">
                        <th scope="row" className="py-1 pr-2 font-normal">{r.label}</th>
                        <td className="py-1 pr-2 text-right">{formatUsdNumber(r.softRepaid + r.softPenalty)}</td>
                        <td className="py-1 pr-2 text-right">{formatUsdNumber(r.softPenalty)}</td>
                        <td className="py-1 pr-2 text-right">{formatUsdNumber(r.convRepaid + r.convPenalty)}</td>
                        <td className={`py-1 text-right ${view.protectedWalk ? "pr-2" : ""}`}>{formatUsdNumber(r.convPenalty)}</td>
                        {view.protectedWalk && (
                          <>
                            <td className="py-1 pr-2 text-right">{formatUsdNumber((r.protectedRepaid ?? 0) + (r.protectedPenalty ?? 0))}</td>
                            <td className="py-1 text-right">{formatUsdNumber(r.protectedPenalty ?? 0)}</td>
                          </>
                        )}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </details>
          </>
        )
      )}
    </section>
  );
}

function ExposureTotals({
  comparison,
  protectedWalk,
}: {
  comparison: Extract<ReturnType<typeof compareExposure>, { ok: true }>["comparison"];
  protectedWalk: Exposure | null;
}) {
  const { soft, conventional } = comparison;
  const times = (r: number) => (Number.isFinite(r) ? `${r.toFixed(r >= 10 ? 0 : 1)}×` : "∞×");
  return (
    <dl className={`mt-3 grid grid-cols-1 gap-3 text-sm ${protectedWalk ? "sm:grid-cols-3" : "sm:grid-cols-2"}`} data-testid="band-totals">
      <div className="rounded-md border border-border p-3">
        <dt className="font-semibold">Soft Landing</dt>
        <dd data-testid="soft-totals">
          sells {formatUsd(soft.totals.soldValue, 0)} in {soft.totals.softSlices} slices
          {soft.totals.hardLiquidations > 0 ? ` and ${soft.totals.hardLiquidations} hard liquidations` : ""}, penalty{" "}
          {formatUsd(soft.totals.penalty, 0)}
          {soft.totals.badDebt > 0n ? `, bad debt ${formatUsd(soft.totals.badDebt, 0)}` : ""}
        </dd>
      </div>
      <div className="rounded-md border border-border p-3">
        <dt className="font-semibold">Conventional lender</dt>
        <dd data-testid="conv-totals">
          sells {formatUsd(conventional.totals.soldValue, 0)} in {conventional.totals.hardLiquidations} liquidations,
          penalty {formatUsd(conventional.totals.penalty, 0)}
          {soft.totals.soldValue > 0n && (
            <>
              {" "}
              ({times(comparison.soldValueRatio)} the volume, {times(comparison.penaltyRatio)} the penalty)
            </>
          )}
        </dd>
      </div>
      {protectedWalk && <ProtectedTotals walk={protectedWalk} />}
    </dl>
  );
}

/** The walk with the account's policy: its executions first, and whatever the rules still sell after them. */
function ProtectedTotals({ walk }: { walk: Exposure }) {
  const t = walk.totals;
  const rules = t.softSlices + t.hardLiquidations;
  return (
    <div className="rounded-md border border-healthy p-3">
      <dt className="font-semibold">With its automatic protection</dt>
      <dd data-testid="protected-totals">
        sells {formatUsd(t.soldValue, 0)} in {t.policyExecutions} executions
        {rules > 0 ? ` and ${t.softSlices} slices${t.hardLiquidations > 0 ? `, ${t.hardLiquidations} hard liquidations` : ""}` : ""}, paying{" "}
        {formatUsd(t.penalty, 0)} above the debt repaid
        {walk.softStart ? "" : "; it never reaches the soft zone"}
        {t.badDebt > 0n ? `, bad debt ${formatUsd(t.badDebt, 0)}` : ""}
      </dd>
    </div>
  );
}

/** The chart's "so what": the same advice the forecast gives (one worker, one answer), in a sentence. */
function BandAdvice({ snapshot }: { snapshot: PositionSnapshot }) {
  const state = useAdvice(snapshot.debt > 0n ? snapshot : undefined);
  if (state.status !== "ready") return null;
  const { advice } = state;
  const limit = `${Math.round(advice.health.threshold * 100)}%`;
  const offers = adviceOffers(snapshot, advice);
  const repay = offers.find((o) => o.kind === "repay");
  return (
    <p className="mt-3 text-sm" data-testid="band-advice">
      {offers.length === 0 ? (
        <>What to do: nothing for now. The 7-day chance of soft liquidation is under your {limit} limit.</>
      ) : (
        <>
          What to do: to keep the 7-day chance of soft liquidation under your {limit} limit,{" "}
          {repay ? `repay ${repay.all ? "everything" : `${formatAmount(repay.amount, repay.decimals, 2)} ${repay.symbol}`} or top up` : "top up"} (amounts per
          collateral in the{" "}
          <a href="#forecast-heading" className="text-accent underline">
            forecast below
          </a>
          ).
        </>
      )}
    </p>
  );
}
