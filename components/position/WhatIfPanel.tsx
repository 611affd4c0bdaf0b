import { parseUnits } from "viem";
import { formatPrice, wadToNumber } from "@/lib/format/number";
import type { CollateralSnapshot } from "@/lib/risk";
import { CopyLinkButton } from "./CopyLinkButton";
import { sliderRange } from "./whatif";

/**
 * One price slider per held collateral. Moving one recomputes the whole page in the browser (lib/risk, no RPC);
 * the values live in the URL so the what-if can be shared. Without JavaScript the sliders still work as a GET
 * form ("Apply"), which the server renders the same way.
 */
export function WhatIfPanel({
  collaterals,
  prices,
  ignored,
  onChange,
  onReset,
}: {
  collaterals: readonly CollateralSnapshot[];
  prices: Record<string, bigint>;
  ignored: readonly string[];
  /** Absent when rendered on the server: the form then submits as a plain GET. */
  onChange?: (symbol: string, price: bigint) => void;
  onReset?: () => void;
}) {
  const held = collaterals.filter((c) => c.balance > 0n && c.priceOk);
  const active = Object.keys(prices).length > 0;
  return (
    <section aria-labelledby="whatif-heading" className="rounded-xl border border-border bg-card p-4 sm:p-6" data-testid="whatif">
      <form method="get" onSubmit={onChange ? (e) => e.preventDefault() : undefined}>
        <div className="mb-3 flex flex-wrap items-center gap-3">
          <h2 id="whatif-heading" className="text-lg font-semibold">
            What if prices move?
          </h2>
          <div className="ml-auto flex gap-2">
            {onReset ? (
              <button
                type="button"
                onClick={onReset}
                disabled={!active}
                className="h-9 rounded-md border border-border px-3 text-sm enabled:hover:border-accent disabled:opacity-60"
              >
                Reset to live prices
              </button>
            ) : (
              <a href="?" className="inline-flex h-9 items-center rounded-md border border-border px-3 text-sm">
                Reset to live prices
              </a>
            )}
            <noscript>
              <button type="submit" className="h-9 rounded-md border border-accent px-3 text-sm">
                Apply
              </button>
            </noscript>
            <CopyLinkButton />
          </div>
        </div>
        <div>
          {active && (
            <p className="mb-3 rounded-md border border-soft bg-soft-bg px-3 py-2 text-sm" role="status" data-testid="whatif-banner">
              What-if view: the numbers on this page use the prices you set, not the live ones.
            </p>
          )}
          {ignored.length > 0 && (
            <ul className="mb-3 list-inside list-disc text-sm text-hard" data-testid="whatif-ignored">
              {ignored.map((m) => (
                <li key={m}>Ignored: {m}</li>
              ))}
            </ul>
          )}
        </div>
        <div className="grid gap-4 sm:grid-cols-2">
          {held.map((c) => (
            <PriceSlider
              key={c.asset}
              collateral={c}
              value={prices[c.symbol]}
              onChange={onChange ? (p) => onChange(c.symbol, p) : undefined}
            />
          ))}
        </div>
      </form>
    </section>
  );
}

function PriceSlider({
  collateral,
  value,
  onChange,
}: {
  collateral: CollateralSnapshot;
  value: bigint | undefined;
  onChange?: (price: bigint) => void;
}) {
  const id = `whatif-${collateral.symbol}`;
  const range = sliderRange(collateral.price);
  const current = value ?? collateral.price;
  const live = wadToNumber(collateral.price);
  const dollars = wadToNumber(current);
  const change = ((dollars - live) / live) * 100;
  const clamped = Math.min(range.max, Math.max(range.min, Math.round(dollars * 100))) / 100;
  return (
    <div>
      <div className="flex items-baseline justify-between gap-2">
        <label htmlFor={id} className="text-sm font-semibold">
          {collateral.symbol} price
        </label>
        <span className="text-sm" data-testid={`whatif-value-${collateral.symbol}`}>
          {formatPrice(current)}{" "}
          <span className={change < 0 ? "text-hard" : change > 0 ? "text-healthy" : "text-muted"}>
            ({change >= 0 ? "+" : ""}
            {change.toFixed(1)}%)
          </span>
        </span>
      </div>
      <input
        id={id}
        name={collateral.symbol}
        type="range"
        min={range.min / 100}
        max={range.max / 100}
        step={range.step / 100}
        {...(onChange
          ? { value: clamped, onChange: (e) => onChange(parseUnits(e.currentTarget.value, 18)) }
          : { defaultValue: clamped })}
        aria-valuetext={`${formatPrice(current)} per ${collateral.symbol}`}
        className="mt-2 w-full accent-[var(--accent)]"
        data-testid={`whatif-slider-${collateral.symbol}`}
      />
      <p className="text-xs text-muted">Live: {formatPrice(collateral.price)}</p>
    </div>
  );
}
