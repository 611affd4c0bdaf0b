import { formatAmount, formatDuration, formatHealth, formatPercent, formatPrice, formatRatio, formatUsd } from "@/lib/format/number";
import type { Health, LiquidationTimers, PositionSnapshot } from "@/lib/risk";
import { protectionStatus } from "@/components/actions/protection";
import { statusMeaning, type PositionStatus } from "./status";
import { StatusPill } from "./StatusPill";


/** HF, zone and its meaning, the liquidation clock, and the position's totals. Server-renderable. */
export function HealthSummary({
  snapshot,
  health,
  timers,
  status,
  whatIf,
  live,
}: {
  snapshot: PositionSnapshot;
  health: Health;
  timers: LiquidationTimers;
  status: PositionStatus;
  whatIf: boolean;
  /** The live snapshot, when `snapshot` carries what-if prices: the banner names both. */
  live?: PositionSnapshot;
}) {
  const m = snapshot.market;
  const protection = protectionStatus(snapshot, health, whatIf);
  const changed = whatIf
    ? m.collaterals.flatMap((c, i) => {
        const livePrice = live?.market.collaterals[i]?.price;
        return livePrice !== undefined && livePrice !== c.price && c.balance > 0n
          ? [`${c.symbol} at ${formatPrice(c.price)} (live ${formatPrice(livePrice)})`]
          : [];
      })
    : [];
  return (
    <section aria-labelledby="health-heading" className="rounded-xl border border-border bg-card p-4 sm:p-6">
      <h2 id="health-heading" className="sr-only">
        Health
      </h2>
      {whatIf && (
        <p className="mb-4 rounded-md border-2 border-soft bg-soft-bg px-3 py-2 text-sm font-semibold" role="status" data-testid="whatif-health-banner">
          What-if, not live: {changed.length > 0 ? changed.join(", ") : "prices you set"}. The health and zone below use
          these prices; nothing has happened to this position.
        </p>
      )}
      <div className="flex flex-wrap items-start gap-x-8 gap-y-4">
        <div>
          <p className="text-sm text-muted">{whatIf ? "Health factor (what-if)" : "Health factor"}</p>
          <p
            className="text-5xl font-bold tracking-tight"
            data-testid="hf-value"
            data-hf-wad={health.healthFactor.toString()}
          >
            {health.ok ? formatHealth(health.healthFactor) : "—"}
          </p>
        </div>
        <div className="min-w-0 flex-1 basis-64">
          <StatusPill status={status} testId="zone-label" />
          <p className="mt-2 text-sm leading-relaxed" data-testid="zone-meaning">
            {statusMeaning(status, snapshot, timers)}
          </p>
          <p className="mt-2 text-sm" data-testid="protection-status" data-on={protection.on ? "true" : "false"}>
            {protection.text}
          </p>
        </div>
      </div>

      <dl className="mt-6 grid grid-cols-2 gap-4 sm:grid-cols-4">
        <Stat label="Debt" testId="debt-value">
          {formatAmount(snapshot.debt, m.loanDecimals, 2)} {m.loanSymbol}
        </Stat>
        <Stat label="Collateral value" testId="collateral-value">
          {formatUsd(health.collateralValue)}
        </Stat>
        <Stat label="Borrow rate (APR)" testId="borrow-rate">
          {formatPercent(m.borrowRatePerYear)}
        </Stat>
        <Stat label="Borrow power left" testId="borrow-power">
          {formatUsd(health.borrowPower > health.debtValue ? health.borrowPower - health.debtValue : 0n)}
        </Stat>
      </dl>

      <dl className="mt-4 grid grid-cols-1 gap-4 sm:grid-cols-2">
        <Stat label="Grace period" testId="grace-countdown">
          {timers.graceSkipped ? (
            `None below health ${formatRatio(m.risk.graceFloor)}`
          ) : timers.flagged ? (
            timers.graceRemaining > 0n ? (
              <>
                <span>{formatDuration(timers.graceRemaining)}</span> left
              </>
            ) : (
              "Over"
            )
          ) : (
            `Not flagged (${formatDuration(m.risk.gracePeriod)} once flagged)`
          )}
        </Stat>
        <Stat label="Next slice allowed" testId="slice-countdown">
          {timers.flagged || timers.graceSkipped
            ? timers.secondsUntilSlice > 0n
              ? `in ${formatDuration(timers.secondsUntilSlice)}`
              : "Now"
            : `— (after the grace; spaced ${formatDuration(m.risk.sliceInterval)} at health 1, less the lower it goes)`}
        </Stat>
      </dl>
      <p className="mt-4 text-xs text-muted">
        Block {snapshot.blockNumber.toString()} · debt value {formatUsd(health.debtValue)} · loan price{" "}
        {formatRatio(m.loanPrice, 4)} USD
      </p>
    </section>
  );
}

function Stat({ label, testId, children }: { label: string; testId: string; children: React.ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs uppercase tracking-wide text-muted">{label}</dt>
      <dd className="mt-1 truncate text-lg font-semibold" data-testid={testId}>
        {children}
      </dd>
    </div>
  );
}
