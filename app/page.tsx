import type { Metadata } from "next";
import { ErrorPanel } from "@/components/ErrorPanel";
import { YourPositionLink } from "@/components/YourPositionLink";
import { LiquidationMapIsland } from "@/components/market/LiquidationMapIsland";
import { loadAppConfig } from "@/lib/chain/config";
import { diagnoseReadFailure, readMarket } from "@/lib/chain/read";
import { formatAmount, formatPercent, formatPrice, formatRatio, formatUsd } from "@/lib/format/number";

export const metadata: Metadata = {
  title: "Markets",
  description: "Soft Landing markets: collaterals, prices, loan-to-value and liquidation thresholds, liquidity and rates.",
};

export default async function MarketsPage() {
  const config = await loadAppConfig();
  if (!config.ok) {
    return (
      <ErrorPanel title={config.title} testId="config-error">
        <p>{config.error}</p>
      </ErrorPanel>
    );
  }
  const { deployment } = config.config;
  let market;
  try {
    market = await readMarket(deployment);
  } catch (error) {
    const failure = await diagnoseReadFailure(error, deployment);
    return (
      <ErrorPanel title={failure.kind === "rpc-down" ? "The chain is not reachable" : "Could not read the market"} testId={`read-error-${failure.kind}`}>
        <p>{failure.message}</p>
      </ErrorPanel>
    );
  }
  const loan = (amount: bigint) => `${formatAmount(amount, market.loanDecimals, 0)} ${market.loanSymbol}`;
  const r = market.risk;
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end gap-4">
        <div>
          <h1 className="text-2xl font-semibold">Markets</h1>
          <p className="text-sm text-muted">
            Borrow {market.loanSymbol} against several collaterals at once. Below health 1 a position is flagged and
            gets a {Math.round(r.gracePeriod / 60)}-minute grace period; after it, slices sized to how far health has
            fallen are sold, never more than brings it back to {formatRatio(r.targetHealth, 4)}.
          </p>
        </div>
        <YourPositionLink />
      </div>

      <section aria-labelledby="market-heading" className="rounded-xl border border-border bg-card p-4 sm:p-6">
        <h2 id="market-heading" className="mb-4 text-lg font-semibold">
          {market.loanSymbol} market <span className="text-sm font-normal text-muted">({deployment.mode} mode)</span>
        </h2>
        <dl className="grid grid-cols-2 gap-4 sm:grid-cols-3 lg:grid-cols-6">
          <Stat label="Supplied">{loan(market.totalAssets)}</Stat>
          <Stat label="Borrowed">{loan(market.totalDebt)}</Stat>
          <Stat label="Available">{loan(market.availableLiquidity)}</Stat>
          <Stat label="Utilisation">{formatPercent(market.utilization)}</Stat>
          <Stat label="Borrow APR">{formatPercent(market.borrowRatePerYear)}</Stat>
          <Stat label="Supply APR">{formatPercent(market.supplyRatePerYear)}</Stat>
        </dl>
        {(market.borrowPaused || market.withdrawPaused) && (
          <p role="status" className="mt-4 rounded-md border border-soft bg-soft-bg px-3 py-2 text-sm">
            Paused: {[market.borrowPaused && "borrowing", market.withdrawPaused && "collateral withdrawals"].filter(Boolean).join(" and ")}.
            Repaying, topping up and liquidations always work.
          </p>
        )}
      </section>

      <section aria-labelledby="collaterals-heading" className="rounded-xl border border-border bg-card p-4 sm:p-6">
        <h2 id="collaterals-heading" className="mb-3 text-lg font-semibold">
          Collaterals
        </h2>
        <div className="overflow-x-auto">
          <table className="w-full min-w-[30rem] text-left text-sm" data-testid="collaterals-table">
            <thead className="text-xs uppercase tracking-wide text-muted">
              <tr>
                <th scope="col" className="py-2 pr-3">Asset</th>
                <th scope="col" className="py-2 pr-3 text-right">Price</th>
                <th scope="col" className="py-2 pr-3 text-right">Max LTV</th>
                <th scope="col" className="py-2 pr-3 text-right">Liquidation threshold</th>
                <th scope="col" className="py-2 text-right">Status</th>
              </tr>
            </thead>
            <tbody>
              {market.collaterals.map((c) => (
                <tr key={c.asset} className="border-t border-border">
                  <th scope="row" className="py-2 pr-3 font-semibold">{c.symbol}</th>
                  <td className="py-2 pr-3 text-right">{c.priceOk ? formatPrice(c.price) : "stale price"}</td>
                  <td className="py-2 pr-3 text-right">{formatPercent(c.ltv)}</td>
                  <td className="py-2 pr-3 text-right">{formatPercent(c.lt)}</td>
                  <td className="py-2 text-right">{c.paused ? "paused" : "active"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <LiquidationMapIsland />

      <section aria-labelledby="rules-heading" className="rounded-xl border border-border bg-card p-4 sm:p-6">
        <h2 id="rules-heading" className="mb-3 text-lg font-semibold">
          Liquidation rules
        </h2>
        <dl className="grid grid-cols-1 gap-4 text-sm sm:grid-cols-3">
          <Stat label="Soft zone">
            health {formatRatio(r.hardHealth, 4)} – 1; auction bonus {formatPercent(r.softBonusMin)}–{formatPercent(r.softBonusMax)},
            rising with depth and with time; no grace below {formatRatio(r.graceFloor, 4)}
          </Stat>
          <Stat label="Slices">
            {formatPercent(r.sliceCap)} of debt at health 1 up to 100% at {formatRatio(r.hardHealth, 4)}, spaced{" "}
            {Math.round(r.sliceInterval / 60)} min down to none, to health {formatRatio(r.targetHealth, 4)}
          </Stat>
          <Stat label="Hard zone">
            below {formatRatio(r.hardHealth, 4)}: just enough to restore {formatRatio(r.targetHealth, 4)}, bonus up to{" "}
            {formatPercent(r.hardBonus)} while health still rises
          </Stat>
        </dl>
        <p className="mt-4 text-xs text-muted">
          Insurance fund {loan(market.insuranceFund)} · socialised bad debt so far {formatUsd(market.totalSocialisedBadDebt * 10n ** BigInt(18 - market.loanDecimals))} · block {market.blockNumber.toString()}
        </p>
      </section>

      <form action="/position" method="get" className="rounded-xl border border-border bg-card p-4 sm:p-6">
        <label htmlFor="lookup" className="mb-2 block text-lg font-semibold">
          Look up a position
        </label>
        <div className="flex flex-wrap gap-2">
          <input
            id="lookup"
            name="address"
            required
            placeholder="0x…"
            autoComplete="off"
            spellCheck={false}
            className="h-10 min-w-0 flex-1 basis-64 rounded-md border border-border bg-bg px-3 font-mono text-sm"
          />
          <button type="submit" className="h-10 rounded-md bg-accent px-4 text-sm font-semibold text-accent-fg">
            Show health
          </button>
        </div>
      </form>
    </div>
  );
}

function Stat({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs uppercase tracking-wide text-muted">{label}</dt>
      <dd className="mt-1 font-semibold">{children}</dd>
    </div>
  );
}
