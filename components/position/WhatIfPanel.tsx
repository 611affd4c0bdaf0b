"use client";

import { useId, useState } from "react";
import type { CollateralSnapshot } from "@/lib/risk";
import { formatPrice } from "./format";
import { sliderRange } from "./whatif";

/**
 * One price slider per held collateral. Moving one recomputes the whole page in the browser (lib/risk, no RPC);
 * the values live in the URL so the what-if can be shared.
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
  onChange: (symbol: string, price: bigint) => void;
  onReset: () => void;
}) {
  const held = collaterals.filter((c) => c.balance > 0n && c.priceOk);
  const active = Object.keys(prices).length > 0;
  return (
    <section aria-labelledby="whatif-heading" className="rounded-xl border border-border bg-card p-4 sm:p-6">
      <div className="mb-3 flex flex-wrap items-center gap-3">
        <h2 id="whatif-heading" className="text-lg font-semibold">
          What if prices move?
        </h2>
        <div className="ml-auto flex gap-2">
          <button
            type="button"
            onClick={onReset}
            disabled={!active}
            className="h-9 rounded-md border border-border px-3 text-sm enabled:hover:border-accent disabled:opacity-60"
          >
            Reset to live prices
          </button>
          <CopyLinkButton />
        </div>
      </div>
      {active && (
        <p className="mb-3 rounded-md border border-soft bg-soft-bg px-3 py-2 text-sm" role="status" data-testid="whatif-banner">
          What-if view: the numbers below use the prices you set, not the live ones.
        </p>
      )}
      {ignored.length > 0 && (
        <ul className="mb-3 list-inside list-disc text-sm text-hard" data-testid="whatif-ignored">
          {ignored.map((m) => (
            <li key={m}>Ignored: {m}</li>
          ))}
        </ul>
      )}
      <div className="grid gap-4 sm:grid-cols-2">
        {held.map((c) => (
          <PriceSlider key={c.asset} collateral={c} value={prices[c.symbol]} onChange={(p) => onChange(c.symbol, p)} />
        ))}
      </div>
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
  onChange: (price: bigint) => void;
}) {
  const id = useId();
  const range = sliderRange(collateral.price);
  const current = value ?? collateral.price;
  const cents = Number(current / 10n ** 16n);
  const change = ((cents - Number(collateral.price / 10n ** 16n)) / Number(collateral.price / 10n ** 16n)) * 100;
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
        type="range"
        min={range.min}
        max={range.max}
        step={range.step}
        value={Math.min(range.max, Math.max(range.min, cents))}
        aria-valuetext={`${formatPrice(current)} per ${collateral.symbol}`}
        onChange={(e) => onChange(BigInt(e.currentTarget.value) * 10n ** 16n)}
        className="mt-2 w-full accent-[var(--accent)]"
        data-testid={`whatif-slider-${collateral.symbol}`}
      />
      <p className="text-xs text-muted">Live: {formatPrice(collateral.price)}</p>
    </div>
  );
}

function CopyLinkButton() {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  return (
    <>
      <button
        type="button"
        data-testid="copy-link"
        onClick={async () => {
          try {
            await navigator.clipboard.writeText(window.location.href);
            setState("copied");
          } catch {
            setState("failed");
          }
          setTimeout(() => setState("idle"), 2_500);
        }}
        className="h-9 w-28 rounded-md bg-accent px-3 text-sm font-semibold text-accent-fg hover:opacity-90"
      >
        {state === "copied" ? "Copied" : "Copy link"}
      </button>
      <span role="status" className="sr-only">
        {state === "copied" ? "Link copied to the clipboard" : state === "failed" ? "Could not copy; copy the address bar instead" : ""}
      </span>
    </>
  );
}
