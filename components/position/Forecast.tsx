"use client";

import { useEffect, useMemo, useRef, useState } from "react";
import { forecastInput, type ForecastResult, type PositionSnapshot } from "@/lib/risk";
import { FORECAST_SECTION_CLASS, Frame } from "./frames";

/** Annualised volatility assumptions for the devnet's assets (ETH-like ~80%, BTC-like ~60%). */
const VOLATILITY_PRESETS = {
  calm: { label: "Calm (×0.6)", factor: 0.6 },
  normal: { label: "Typical", factor: 1 },
  stressed: { label: "Stressed (×1.6)", factor: 1.6 },
} as const;
type Preset = keyof typeof VOLATILITY_PRESETS;

const BASE_VOLATILITY: Record<string, number> = { WETH: 0.8, wstETH: 0.8, WBTC: 0.6 };
const DEFAULT_VOLATILITY = 0.9;
const CORRELATION = 0.8;
const PATHS = 20_000;

const pct = (p: number) => (p === 0 ? "0%" : p < 0.001 ? "< 0.1%" : `${(p * 100).toFixed(1)}%`);

/**
 * Probability of entering the SOFT and HARD zones within 1 and 7 days: a seeded Monte Carlo from lib/risk, run in
 * a Web Worker so typing and sliding never wait for it.
 */
export function Forecast({ snapshot }: { snapshot: PositionSnapshot }) {
  const [preset, setPreset] = useState<Preset>("normal");
  const built = useMemo(() => {
    const factor = VOLATILITY_PRESETS[preset].factor;
    const vols: Record<string, number> = {};
    for (const c of snapshot.market.collaterals) vols[c.symbol] = (BASE_VOLATILITY[c.symbol] ?? DEFAULT_VOLATILITY) * factor;
    return forecastInput(snapshot, vols, { correlation: CORRELATION, paths: PATHS, seed: 7, horizonsDays: [1, 7] });
  }, [snapshot, preset]);

  const worker = useRef<Worker | null>(null);
  const requestId = useRef(0);
  // Which input each request was for, so a late answer for an old slider position is never shown as current.
  const requests = useRef(new Map<number, typeof built>());
  const [result, setResult] = useState<{ input: typeof built; result: ForecastResult } | null>(null);
  const [workerError, setWorkerError] = useState<string | null>(null);

  useEffect(() => {
    const w = new Worker(new URL("./forecast.worker.ts", import.meta.url), { type: "module" });
    const pending = requests.current;
    w.onmessage = (e: MessageEvent<{ id: number; result: ForecastResult; ms: number }>) => {
      const input = pending.get(e.data.id);
      pending.delete(e.data.id);
      if (input) setResult({ input, result: e.data.result });
    };
    w.onerror = (e) => setWorkerError(e.message || "the forecast worker failed");
    worker.current = w;
    return () => w.terminate();
  }, []);

  useEffect(() => {
    if (!built.ok || !worker.current) return;
    requestId.current += 1;
    requests.current.set(requestId.current, built);
    worker.current.postMessage({ id: requestId.current, input: built.input });
  }, [built]);

  // While a new run computes, the previous answer stays (dimmed) so the section never jumps.
  const current = result?.result ?? null;
  const stale = result !== null && result.input !== built;
  return (
    <Frame title="Forecast: chance of liquidation" headingId="forecast-heading" className={FORECAST_SECTION_CLASS} testId="forecast">
      <div className="mt-1 flex flex-wrap items-center gap-3 text-sm">
        <label htmlFor="forecast-vol" className="text-muted">
          Volatility
        </label>
        <select
          id="forecast-vol"
          value={preset}
          onChange={(e) => setPreset(e.currentTarget.value as Preset)}
          className="h-8 rounded-md border border-border bg-bg px-2"
        >
          {Object.entries(VOLATILITY_PRESETS).map(([key, p]) => (
            <option key={key} value={key}>
              {p.label}
            </option>
          ))}
        </select>
      </div>
      <div className="mt-3 min-h-24" aria-live="polite">
        {!built.ok ? (
          <p className="text-sm text-muted">{built.message}</p>
        ) : workerError ? (
          <p className="text-sm text-hard" role="alert">
            Forecast unavailable: {workerError}
          </p>
        ) : !current ? (
          <p className="text-sm text-muted">Simulating {PATHS.toLocaleString("en-US")} price paths…</p>
        ) : !current.ok ? (
          <p className="text-sm text-hard">{current.message}</p>
        ) : (
          <table
            className={`w-full max-w-lg text-left text-sm ${stale ? "opacity-60" : ""}`}
            data-testid="forecast-table"
            data-stale={stale ? "true" : "false"}
          >
            <caption className="sr-only">Probability of entering each zone within the horizon</caption>
            <thead className="text-xs uppercase tracking-wide text-muted">
              <tr>
                <th scope="col" className="py-1">Within</th>
                <th scope="col" className="py-1 text-right">Soft zone (HF &lt; 1)</th>
                <th scope="col" className="py-1 text-right">Hard zone</th>
              </tr>
            </thead>
            <tbody>
              {current.horizons.map((h) => (
                <tr key={h.days} className="border-t border-border">
                  <th scope="row" className="py-1 font-semibold">
                    {h.days === 1 ? "1 day" : `${h.days} days`}
                  </th>
                  <td className="py-1 text-right" data-testid={`forecast-soft-${h.days}d`}>
                    {pct(h.pSoft)}
                  </td>
                  <td className="py-1 text-right" data-testid={`forecast-hard-${h.days}d`}>
                    {pct(h.pHard)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      <p className="mt-2 text-xs text-muted">
        Correlated random price paths (volatility {Object.entries(BASE_VOLATILITY).map(([s, v]) => `${s} ${Math.round(v * 100 * VOLATILITY_PRESETS[preset].factor)}%`).join(", ")} a year, correlation {CORRELATION}); debt held constant. An estimate, not a promise.
      </p>
    </Frame>
  );
}
