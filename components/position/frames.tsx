import type { ReactNode } from "react";

/**
 * Fixed-size frames shared by the server placeholders and the live sections, so nothing below moves when the
 * interactive parts load (no layout shift).
 */
export const BAND_SECTION_CLASS = "min-h-[42rem] sm:min-h-[36rem]";
export const SHOCK_SECTION_CLASS = "min-h-[26rem]";
export const FORECAST_SECTION_CLASS = "min-h-[36rem] md:min-h-[25rem]";
export const HISTORY_SECTION_CLASS = "min-h-[12rem]";

/**
 * Space kept for the owner's actions panel while it loads: on the devnet it also carries the devnet controls
 * (faucet, prices, time), so it needs more room.
 */
export const ACTIONS_SLOT_CLASS = process.env.NEXT_PUBLIC_CHAIN_ID === undefined || process.env.NEXT_PUBLIC_CHAIN_ID === "31337" ? "min-h-[25rem]" : "min-h-[7rem]";

export function ActionsPlaceholder() {
  return (
    <div className={`rounded-xl border border-border bg-card p-4 ${ACTIONS_SLOT_CLASS}`} aria-hidden="true">
      <p className="text-lg font-semibold">Manage this position</p>
    </div>
  );
}

export function Frame({
  title,
  className = "",
  children,
  testId,
  headingId,
}: {
  title: ReactNode;
  className?: string;
  children?: ReactNode;
  testId?: string;
  headingId: string;
}) {
  return (
    <section aria-labelledby={headingId} className={`rounded-xl border border-border bg-card p-4 sm:p-6 ${className}`} data-testid={testId}>
      <h2 id={headingId} className="text-lg font-semibold">
        {title}
      </h2>
      {children}
    </section>
  );
}

export function LoadingBlock({ label, heightClass }: { label: string; heightClass: string }) {
  return (
    <div className={`mt-4 flex w-full items-center justify-center rounded-md bg-bg text-sm text-muted ${heightClass}`}>
      {label}
    </div>
  );
}

/** The chart sections' placeholders: the server render shows them, and the live view until each comes into view. */
export function BandPlaceholder() {
  return (
    <Frame title="Band exposure: what a steady fall would sell" headingId="bands-heading" className={BAND_SECTION_CLASS}>
      <LoadingBlock label="Loading the band-exposure chart…" heightClass="h-[32rem]" />
    </Frame>
  );
}

export function ShockPlaceholder() {
  return (
    <Frame title="Net risk: health under a market-wide shock" headingId="shock-heading" className={SHOCK_SECTION_CLASS}>
      <LoadingBlock label="Loading the shock curve…" heightClass="h-64" />
    </Frame>
  );
}

export function ForecastPlaceholder() {
  return (
    <Frame title="Forecast: chance of liquidation, and what to do" headingId="forecast-heading" className={FORECAST_SECTION_CLASS}>
      <LoadingBlock label="Loading the forecast…" heightClass="h-24" />
    </Frame>
  );
}
