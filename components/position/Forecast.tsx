"use client";

import dynamic from "next/dynamic";
import { useMemo } from "react";
import { ADVICE_PATHS, ASSUMED_CORRELATION, ASSUMED_VOLATILITY, type Advice, type PositionSnapshot } from "@/lib/risk";
import { ceilToPlaces, formatAmount, formatChance, formatHealth } from "@/lib/format/number";
import { adviceOffers, prefillHref, safeLimits } from "@/components/advice/offers";
import { SOFT_CHANCE_CHOICES, VOLATILITY_PRESETS, setRiskPreferences, useRiskPreferences, type VolatilityPreset } from "@/components/advice/preferences";
import { useAdvice } from "@/components/advice/useAdvice";
import type { ChanceRow } from "./charts/ChanceChart";
import { FORECAST_SECTION_CLASS, Frame, LoadingBlock } from "./frames";

const ChanceChart = dynamic(() => import("./charts/ChanceChart"), {
  ssr: false,
  loading: () => <LoadingBlock label="Loading the forecast chart…" heightClass="h-full" />,
});

const limitLabel = (p: number) => `${Math.round(p * 100)}%`;

/**
 * The chance of entering SOFT and HARD over the next 7 days (a seeded Monte Carlo from lib/risk, run in a Web Worker),
 * drawn against the borrower's own limit, and what to do about it: the smallest top-up or repay that brings the
 * chance under the limit, or how much more could be borrowed or withdrawn while staying under it.
 */
export function Forecast({ snapshot }: { snapshot: PositionSnapshot }) {
  const prefs = useRiskPreferences();
  const state = useAdvice(snapshot);
  const advice = state.status === "ready" ? state.advice : state.status === "computing" ? state.previous : null;
  const stale = state.status === "computing";
  const factor = VOLATILITY_PRESETS[prefs.volatility].factor;
  const rows = useMemo<ChanceRow[]>(
    () => (advice ? advice.health.curve.map((p) => ({ day: p.day, soft: p.pSoft * 100, hard: p.pHard * 100 })) : []),
    [advice],
  );

  return (
    <Frame title="Forecast: chance of liquidation, and what to do" headingId="forecast-heading" className={FORECAST_SECTION_CLASS} testId="forecast">
      <div className="mt-1 flex flex-wrap items-center gap-x-4 gap-y-2 text-sm">
        <label className="flex items-center gap-2">
          <span className="text-muted">Volatility</span>
          <select
            value={prefs.volatility}
            data-testid="forecast-volatility"
            onChange={(e) => setRiskPreferences({ volatility: e.currentTarget.value as VolatilityPreset })}
            className="h-8 rounded-md border border-border bg-bg px-2"
          >
            {Object.entries(VOLATILITY_PRESETS).map(([key, p]) => (
              <option key={key} value={key}>
                {p.label}
              </option>
            ))}
          </select>
        </label>
        <label className="flex items-center gap-2">
          <span className="text-muted">Keep the 7-day chance of soft liquidation under</span>
          <select
            value={prefs.softChance}
            data-testid="forecast-limit"
            onChange={(e) => setRiskPreferences({ softChance: Number(e.currentTarget.value) })}
            className="h-8 rounded-md border border-border bg-bg px-2"
          >
            {SOFT_CHANCE_CHOICES.map((p) => (
              <option key={p} value={p}>
                {limitLabel(p)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="mt-3" aria-live="polite" aria-busy={stale}>
        {state.status === "unavailable" ? (
          <p className="text-sm text-muted">{state.message}</p>
        ) : state.status === "failed" ? (
          <p className="text-sm text-hard" role="alert">
            Forecast unavailable: {state.message}
          </p>
        ) : snapshot.debt === 0n ? (
          <p className="text-sm text-muted">Without debt the position cannot be liquidated.</p>
        ) : !advice ? (
          <p className="text-sm text-muted">Simulating {ADVICE_PATHS.toLocaleString("en-US")} price paths…</p>
        ) : (
          <div className={stale ? "opacity-60" : ""} data-stale={stale ? "true" : "false"} data-testid="forecast-result">
            <AdviceText snapshot={snapshot} advice={advice} />
            <div className="mt-3 grid gap-4 md:grid-cols-[minmax(0,1fr)_14rem]">
              <div
                className="h-52 w-full"
                role="img"
                aria-label={`Chance of soft liquidation rising to ${formatChance(advice.health.pSoft)} and of hard liquidation to ${formatChance(advice.health.pHard)} over 7 days, against a limit of ${limitLabel(advice.health.threshold)}.`}
              >
                <ChanceChart rows={rows} limitPct={advice.health.threshold * 100} />
              </div>
              <ChanceTable advice={advice} />
            </div>
          </div>
        )}
      </div>
      <p className="mt-2 text-xs text-muted">
        Correlated random price paths (volatility{" "}
        {Object.entries(ASSUMED_VOLATILITY)
          .map(([s, v]) => `${s} ${Math.round(v * 100 * factor)}%`)
          .join(", ")}{" "}
        a year, correlation {ASSUMED_CORRELATION}; stablecoins fixed); debt held constant. An estimate, not a promise.
      </p>
    </Frame>
  );
}

function ChanceTable({ advice }: { advice: Advice }) {
  const at = (day: number) => advice.health.curve.find((p) => p.day === day);
  return (
    <table className="w-full self-start text-left text-sm" data-testid="forecast-table">
      <caption className="sr-only">Chance of entering each zone within the horizon</caption>
      <thead className="text-xs uppercase tracking-wide text-muted">
        <tr>
          <th scope="col" className="py-1">Within</th>
          <th scope="col" className="py-1 text-right">
            <span aria-hidden="true" className="mr-1 inline-block h-2 w-3 rounded-sm bg-soft align-middle" />
            Soft
          </th>
          <th scope="col" className="py-1 text-right">
            <span aria-hidden="true" className="mr-1 inline-block h-2 w-3 rounded-sm bg-hard align-middle" />
            Hard
          </th>
        </tr>
      </thead>
      <tbody>
        {[1, 7].map((d) => (
          <tr key={d} className="border-t border-border">
            <th scope="row" className="py-1 font-semibold">
              {d === 1 ? "1 day" : `${d} days`}
            </th>
            <td className="py-1 text-right" data-testid={`forecast-soft-${d}d`}>
              {formatChance(at(d)?.pSoft ?? 0)}
            </td>
            <td className="py-1 text-right" data-testid={`forecast-hard-${d}d`}>
              {formatChance(at(d)?.pHard ?? 0)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The advice in words, with each remedy a link that fills the owner's form. */
function AdviceText({ snapshot, advice }: { snapshot: PositionSnapshot; advice: Advice }) {
  const m = snapshot.market;
  const h = advice.health;
  const limit = limitLabel(h.threshold);
  const offers = adviceOffers(snapshot, advice);
  const over = h.pSoft >= h.threshold;
  const limits = safeLimits(snapshot, advice);
  const withdrawable = m.collaterals
    .map((c, i) => ({ c, amount: limits.withdraw[i]! }))
    .filter(({ c, amount }) => c.balance > 0n && amount > 0n);
  return (
    <div className="space-y-2 text-sm" data-testid="advice">
      <p>
        Chance of entering the soft zone within 7 days:{" "}
        <strong className={over ? "text-soft" : ""} data-testid="forecast-soft-7d-headline">
          {formatChance(h.pSoft)}
        </strong>{" "}
        ({over ? "above" : "under"} your {limit} limit); of hard liquidation: {formatChance(h.pHard)}.
      </p>
      {over ? (
        <>
          <p>Any one of these brings it under {limit}:</p>
          <ul className="flex flex-wrap gap-2" data-testid="advice-offers">
            {offers.map((o) => (
              <li key={`${o.kind}-${o.asset}`}>
                <a
                  href={prefillHref(o.kind, o.amount, o.decimals, o.symbol, o.all)}
                  data-testid={o.kind === "repay" ? "advice-repay" : `advice-topup-${o.symbol}`}
                  className="inline-block rounded-md border border-soft px-2 py-1 hover:bg-soft-bg"
                >
                  {o.kind === "repay"
                    ? o.all
                      ? `Repay everything (${formatAmount(o.amount, o.decimals, 2)} ${o.symbol})`
                      : `Repay ${formatAmount(o.amount, o.decimals, 2)} ${o.symbol}`
                    : `Top up ${formatAmount(o.amount, o.decimals, 4)} ${o.symbol}`}
                </a>
              </li>
            ))}
          </ul>
        </>
      ) : (
        <p data-testid="advice-headroom">
          Staying under {limit}, you could still borrow up to{" "}
          <strong>
            {formatAmount(limits.borrow, m.loanDecimals, 2)} {m.loanSymbol}
          </strong>
          {withdrawable.length > 0 && (
            <>
              {" "}
              or withdraw up to{" "}
              {withdrawable.map(({ c, amount }, k) => (
                <span key={c.asset}>
                  {k > 0 ? (k === withdrawable.length - 1 ? " or " : ", ") : ""}
                  <strong>
                    {formatAmount(amount, c.decimals, 4)} {c.symbol}
                  </strong>
                </span>
              ))}
            </>
          )}
          .
        </p>
      )}
      <p className="text-xs text-muted" data-testid="advice-debt-health">
        With this collateral mix, borrowing or repaying alone stays under {limit} at health {formatHealth(ceilToPlaces(advice.debtHealth, 18, 3))} or above.
      </p>
    </div>
  );
}
