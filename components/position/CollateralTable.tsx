import { formatAmount, formatPercent, formatPrice, formatUsd } from "@/lib/format/number";
import type { LiquidationPrice, PositionSnapshot } from "@/lib/risk";

/** Each held collateral: amount, value, LT, and the prices at which soft and hard liquidation start. */
export function CollateralTable({
  snapshot,
  prices,
}: {
  snapshot: PositionSnapshot;
  prices: readonly LiquidationPrice[];
}) {
  const held = snapshot.market.collaterals
    .map((c, i) => ({ c, lp: prices[i] }))
    .filter(({ c }) => c.balance > 0n);
  return (
    <section aria-labelledby="collateral-heading" className="rounded-xl border border-border bg-card p-4 sm:p-6">
      <h2 id="collateral-heading" className="mb-3 text-lg font-semibold">
        Collateral and liquidation prices
      </h2>
      <ul className="space-y-3 sm:hidden">
        {held.map(({ c, lp }) => (
          <li key={c.asset} className="rounded-lg border border-border p-3 text-sm" data-testid={`collateral-card-${c.symbol}`}>
            <p className="font-semibold">
              {formatAmount(c.balance, c.decimals, 4)} {c.symbol}
              {c.paused && <span className="ml-2 text-xs font-normal text-soft">paused</span>}
            </p>
            <dl className="mt-2 grid grid-cols-2 gap-x-3 gap-y-1">
              <dt className="text-muted">Price</dt>
              <dd className="text-right">{c.priceOk ? formatPrice(c.price) : "stale"}</dd>
              <dt className="text-muted">Value</dt>
              <dd className="text-right">{formatUsd(c.value)}</dd>
              <dt className="text-muted">LT / LTV</dt>
              <dd className="text-right">
                {formatPercent(c.lt)} / {formatPercent(c.ltv)}
              </dd>
              <dt className="text-muted">Soft starts below</dt>
              <dd className="text-right font-semibold">{lp?.softStart != null ? formatPrice(lp.softStart) : "never"}</dd>
              <dt className="text-muted">Hard starts below</dt>
              <dd className="text-right font-semibold">{lp?.hardStart != null ? formatPrice(lp.hardStart) : "never"}</dd>
            </dl>
          </li>
        ))}
      </ul>
      <div className="hidden overflow-x-auto sm:block">
        <table className="w-full min-w-[36rem] text-left text-sm">
          <caption className="sr-only">
            Each collateral with its amount, value, liquidation threshold, and the price at which soft and hard
            liquidation start (other prices fixed)
          </caption>
          <thead className="text-xs uppercase tracking-wide text-muted">
            <tr>
              <th scope="col" className="py-2 pr-3">Asset</th>
              <th scope="col" className="py-2 pr-3 text-right">Amount</th>
              <th scope="col" className="py-2 pr-3 text-right">Price</th>
              <th scope="col" className="py-2 pr-3 text-right">Value</th>
              <th scope="col" className="py-2 pr-3 text-right">LT / LTV</th>
              <th scope="col" className="py-2 pr-3 text-right">Soft starts below</th>
              <th scope="col" className="py-2 text-right">Hard starts below</th>
            </tr>
          </thead>
          <tbody>
            {held.map(({ c, lp }) => (
              <tr key={c.asset} className="border-t border-border" data-testid={`collateral-row-${c.symbol}`}>
                <th scope="row" className="py-2 pr-3 font-semibold">
                  {c.symbol}
                  {c.paused && <span className="ml-2 text-xs font-normal text-soft">paused</span>}
                </th>
                <td className="py-2 pr-3 text-right">{formatAmount(c.balance, c.decimals, 4)}</td>
                <td className="py-2 pr-3 text-right">{c.priceOk ? formatPrice(c.price) : "stale"}</td>
                <td className="py-2 pr-3 text-right">{formatUsd(c.value)}</td>
                <td className="py-2 pr-3 text-right">
                  {formatPercent(c.lt)} / {formatPercent(c.ltv)}
                </td>
                <td className="py-2 pr-3 text-right" data-testid={`soft-start-${c.symbol}`}>
                  {lp?.softStart != null ? formatPrice(lp.softStart) : "never"}
                </td>
                <td className="py-2 text-right" data-testid={`hard-start-${c.symbol}`}>
                  {lp?.hardStart != null ? formatPrice(lp.hardStart) : "never"}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="mt-2 text-xs text-muted">
        A liquidation price moves only that asset; with several collaterals the others are held at today&apos;s
        prices. &ldquo;Never&rdquo;: the other collaterals alone keep health above the threshold.
      </p>
    </section>
  );
}
