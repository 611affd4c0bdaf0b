"use client";

import { useQuery } from "@tanstack/react-query";
import dynamic from "next/dynamic";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useDeferredValue, useId, useMemo, useState } from "react";
import { zeroAddress, type Address } from "viem";
import { useConnection } from "wagmi";
import { useDeployment } from "@/lib/chain/deployment-context";
import { errorContextFrom } from "@/lib/chain/errors";
import { chainQueryKeys, isEmptyPosition, readPosition } from "@/lib/chain/read";
import { chain } from "@/lib/chain/wagmi";
import { parseAmount, toInputString } from "@/lib/format/input";
import { floorToPlaces, formatAmount, formatChance, formatHealth, formatPercent, formatRatio } from "@/lib/format/number";
import { assumeIntent, zoneThresholds, type PositionSnapshot } from "@/lib/risk";
import { flowFor } from "@/components/actions/flow";
import { useRunAction, useWalletBalances } from "@/components/actions/hooks";
import { safeBorrow, summarize } from "@/components/actions/preview";
import { safeLimits } from "@/components/advice/offers";
import { useAdvice } from "@/components/advice/useAdvice";
import { RiskPreview } from "@/components/actions/RiskPreview";
import { checkOpen } from "@/components/actions/validate";
import { DevnetPanelLazy } from "@/components/devnet/DevnetPanelLazy";
import { WrongNetworkNotice } from "@/components/wallet/WrongNetwork";

// The position page's band-exposure chart (recharts), loaded only when there is a position to chart.
const BandExposureChart = dynamic(() => import("@/components/position/BandExposure").then((m) => m.BandExposure), {
  ssr: false,
  loading: () => <p className="text-sm text-muted">Loading the band-exposure chart…</p>,
});

/**
 * Open a position: amounts of one or more collaterals and a borrow, with the health, zone and liquidation prices
 * of the position about to be opened computed in the browser as the borrower types.
 */
export function BorrowForm() {
  const deployment = useDeployment();
  const connection = useConnection();
  const account: Address = connection.status === "connected" ? connection.address : zeroAddress;
  const position = useQuery({
    queryKey: chainQueryKeys.position(chain.id, account),
    queryFn: () => readPosition(account, deployment),
    refetchInterval: 4_000,
  });

  if (position.isError) {
    return (
      <p role="alert" className="rounded-lg border border-hard bg-hard-bg p-4">
        The market could not be read: {position.error instanceof Error ? position.error.message : String(position.error)}
      </p>
    );
  }
  if (!position.data) {
    return (
      <p className="text-muted" aria-busy="true">
        Reading the market…
      </p>
    );
  }
  return <OpenPositionForm snapshot={position.data as unknown as PositionSnapshot} connected={connection.status === "connected"} />;
}

function OpenPositionForm({ snapshot, connected }: { snapshot: PositionSnapshot; connected: boolean }) {
  const m = snapshot.market;
  const router = useRouter();
  const connection = useConnection();
  const account = connection.status === "connected" ? connection.address : undefined;
  const tokens = useMemo(() => m.collaterals.map((c) => c.asset), [m.collaterals]);
  const balances = useWalletBalances(account, tokens);
  const [deposits, setDeposits] = useState<string[]>(() => m.collaterals.map(() => ""));
  const [borrow, setBorrow] = useState("");
  const { run, busy, lastError } = useRunAction();
  const formId = useId();
  const onRightChain = connection.status === "connected" && connection.chainId === chain.id;
  const existing = !isEmptyPosition(snapshot as never);

  const checked = checkOpen(snapshot, { deposits, borrow, walletBalances: balances.data });
  const typed = deposits.some((d) => d.trim() !== "") || borrow.trim() !== "";
  // Once the borrower has typed anything, messages stay visible, including "Enter an amount." for a cleared field.
  const [touched, setTouched] = useState(false);
  const [opened, setOpened] = useState(false);
  const before = summarize(snapshot);

  // The borrow "max safe" follows the collateral typed so far (blank or invalid amounts count as none).
  const depositsSoFar = useMemo(
    () =>
      m.collaterals.map((c, i) => {
        const parsed = parseAmount(deposits[i] ?? "", c.decimals, c.symbol);
        return parsed.ok ? parsed.value : 0n;
      }),
    [m.collaterals, deposits],
  );
  // Kept by identity between renders: the advice below is asked of it, and re-asks only when it changes.
  const collateralOnly = useMemo(() => assumeIntent(snapshot, { kind: "open", deposits: depositsSoFar, borrow: 0n }), [snapshot, depositsSoFar]);
  const marketMax = safeBorrow(collateralOnly);
  // "Max safe" is the advice's: the largest first borrow that keeps the 7-day chance of SOFT under the borrower's
  // limit, worked out off the main thread while they type (the previous answer stays until the new one is in).
  const advice = useAdvice(useDeferredValue(collateralOnly));
  const adviceNow = advice.status === "ready" ? advice.advice : null;
  const maxBorrow = adviceNow && marketMax.ok ? { ok: true as const, amount: safeLimits(collateralOnly, adviceNow).borrow } : null;
  const limitPct = adviceNow ? Math.round(adviceNow.health.threshold * 100) : null;
  // Before a borrow amount is typed, the preview shows the collateral alone (its borrowing power), not nothing.
  const awaitingBorrow = borrow.trim() === "" && depositsSoFar.some((d) => d > 0n);
  const previewSnapshot = checked.after ?? (awaitingBorrow ? collateralOnly : undefined);
  const after = previewSnapshot ? summarize(previewSnapshot) : undefined;

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    if (!checked.ok || !account || busy) return;
    const intent = { kind: "open", deposits: checked.deposits, borrow: checked.borrow } as const;
    const result = await run(flowFor(snapshot, account, intent), errorContextFrom(m));
    if (result?.ok) {
      // The market now holds the new position, so the same inputs would read as "too much": say what happened instead.
      setOpened(true);
      router.push(`/position/${account}`);
    }
  }

  // The chart walks a whole decline: it follows the typed amounts a beat behind instead of blocking the keyboard.
  const chartSnapshot = useDeferredValue(checked.ok ? checked.after : undefined);
  // The position about to be opened, judged like every other: its 7-day chance of SOFT against the borrower's limit.
  const opening = useAdvice(chartSnapshot);
  const openingAdvice = opening.status === "ready" ? opening.advice : opening.status === "computing" ? opening.previous : null;
  const overLimit =
    after && checked.ok && after.hasDebt && openingAdvice && openingAdvice.health.pSoft >= openingAdvice.health.threshold ? openingAdvice : null;
  // The common fall in collateral prices (a WAD fraction) that takes health from where it starts down to 1: the
  // exact threshold the preview and the position page quote too.
  const softAtFall = previewSnapshot && after?.ok && after.hasDebt ? zoneThresholds(previewSnapshot).softAtFall : null;
  const dropToSoft = softAtFall !== null && softAtFall > 0n ? softAtFall : undefined;
  // An empty borrow field while collateral is typed is the next step, not a mistake: a hint, not an error.
  const hint = !opened && awaitingBorrow && !checked.ok && checked.field === "borrow";
  const message = !opened && !hint && (typed || touched) && !checked.ok ? checked.message : null;

  return (
    <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_minmax(0,22rem)]">
      <form onSubmit={submit} noValidate className="space-y-4 rounded-xl border border-border bg-card p-4" data-testid="open-form">
        {existing && account && (
          <p className="rounded-lg border border-border bg-bg p-3 text-sm" data-testid="existing-position">
            This wallet already has a position: what you add here joins it.{" "}
            <Link href={`/position/${account}`} className="text-accent underline">
              View your position
            </Link>
          </p>
        )}
        <fieldset className="space-y-3">
          <legend className="mb-1 font-semibold">Collateral</legend>
          {m.collaterals.map((c, i) => {
            const id = `${formId}-c-${i}`;
            const wallet = balances.data?.[i];
            return (
              <div key={c.asset} className="grid grid-cols-[5rem_minmax(0,1fr)_auto] items-center gap-2">
                <label htmlFor={id} className="font-medium">
                  {c.symbol}
                </label>
                <input
                  id={id}
                  data-testid={`deposit-${c.symbol}`}
                  inputMode="decimal"
                  autoComplete="off"
                  placeholder="0.0"
                  value={deposits[i] ?? ""}
                  aria-invalid={!checked.ok && checked.field === i}
                  onChange={(e) => {
                    setTouched(true);
                    setDeposits((d) => d.map((v, j) => (j === i ? e.target.value : v)));
                  }}
                  className="min-w-0 rounded-lg border border-border bg-bg px-3 py-2 font-mono"
                />
                <button
                  type="button"
                  disabled={!wallet}
                  onClick={() => wallet && setDeposits((d) => d.map((v, j) => (j === i ? toInputString(wallet, c.decimals) : v)))}
                  className="rounded border border-border px-2 py-1 text-xs hover:bg-bg disabled:opacity-40"
                  title="Use the whole wallet balance"
                >
                  {wallet === undefined ? "—" : `${formatAmount(wallet, c.decimals, 4)} max`}
                </button>
                <p className="col-span-3 -mt-1 text-xs text-muted">
                  LTV {formatPercent(c.ltv)} · liquidation threshold {formatPercent(c.lt)}
                  {!c.priceOk && <span className="text-hard"> · price stale</span>}
                </p>
              </div>
            );
          })}
        </fieldset>
        <div>
          <div className="flex items-baseline justify-between">
            <label htmlFor={`${formId}-borrow`} className="font-semibold">
              Borrow ({m.loanSymbol})
            </label>
            {maxBorrow && maxBorrow.amount > 0n && (
              <button
                type="button"
                data-testid="borrow-max"
                onClick={() => setBorrow(toInputString(floorToPlaces(maxBorrow.amount, m.loanDecimals, 2), m.loanDecimals))}
                className="text-xs text-accent underline"
              >
                Max safe {formatAmount(maxBorrow.amount, m.loanDecimals, 2)}
              </button>
            )}
          </div>
          <input
            id={`${formId}-borrow`}
            data-testid="borrow-amount"
            inputMode="decimal"
            autoComplete="off"
            placeholder="0.0"
            value={borrow}
            aria-invalid={!checked.ok && checked.field === "borrow"}
            onChange={(e) => {
              setTouched(true);
              setBorrow(e.target.value);
            }}
            className="mt-1 w-full rounded-lg border border-border bg-bg px-3 py-2 font-mono"
          />
          {collateralOnly.market.collaterals.some((c) => c.balance > 0n) && (
            <p className="mt-1 text-xs text-muted" data-testid="borrow-max-safe" aria-live="polite">
              {maxBorrow && limitPct !== null
                ? `Max safe: ${formatAmount(maxBorrow.amount, m.loanDecimals, 2)} ${m.loanSymbol}, which keeps the 7-day chance of soft liquidation under your ${limitPct}% limit`
                : advice.status === "failed" || advice.status === "unavailable"
                  ? `Max safe unavailable: ${advice.message}`
                  : "Max safe: working out the borrow that keeps the 7-day chance of soft liquidation under your limit…"}
              {marketMax.ok && ` (the market allows up to ${formatAmount(marketMax.amount, m.loanDecimals, 2)} ${m.loanSymbol}).`}
            </p>
          )}
          <p className="mt-1 text-xs text-muted">
            Available to borrow in the market: {formatAmount(m.availableLiquidity, m.loanDecimals, 2)} {m.loanSymbol}
          </p>
        </div>
        {hint && (
          <p role="status" data-testid="open-hint" className="text-sm text-muted">
            Now enter how much {m.loanSymbol} to borrow
            {maxBorrow && maxBorrow.amount > 0n && limitPct !== null
              ? ` (up to ${formatAmount(maxBorrow.amount, m.loanDecimals, 2)} keeps the 7-day chance of soft liquidation under ${limitPct}%)`
              : ""}
            .
          </p>
        )}
        {message && (
          <p role="alert" data-testid="open-error" className="text-sm text-hard">
            {message}
          </p>
        )}
        {opened && (
          <p role="status" data-testid="open-done" className="text-sm text-healthy">
            Position opened: taking you to its page…
          </p>
        )}
        {overLimit && after && (
          <p role="status" data-testid="near-soft-warning" className="rounded-lg border border-soft bg-soft-bg p-3 text-sm">
            This position would start with a {formatChance(overLimit.health.pSoft)} chance of entering the soft zone within 7
            days, above your {Math.round(overLimit.health.threshold * 100)}% limit (health {formatHealth(after.healthFactor)}
            {dropToSoft !== undefined && `: a ${formatPercent(dropToSoft, 1)} fall in collateral prices would put it there`}).{" "}
            {maxBorrow && maxBorrow.amount > 0n
              ? `Borrow at most ${formatAmount(maxBorrow.amount, m.loanDecimals, 2)} ${m.loanSymbol} or add collateral.`
              : "Add collateral or borrow less."}
          </p>
        )}
        {lastError && (
          <p role="alert" data-testid="tx-error" className="text-sm text-hard">
            {lastError}
          </p>
        )}
        {!connected ? (
          <p className="text-sm text-muted">Connect a wallet (top right) to open the position.</p>
        ) : !onRightChain ? (
          <WrongNetworkNotice />
        ) : null}
        <button
          type="submit"
          data-testid="open-submit"
          disabled={!checked.ok || busy || !onRightChain}
          className="w-full rounded-lg bg-accent px-4 py-2 font-semibold text-accent-fg disabled:cursor-not-allowed disabled:opacity-50"
        >
          {busy ? "Working…" : "Open position"}
        </button>
        <p className="text-xs text-muted">
          Each collateral is allowed and deposited, then the loan is borrowed. A wallet that batches calls (EIP-5792)
          signs it all once and it lands all or nothing; other wallets ask once per step (a permit signature where the
          token supports it).
        </p>
      </form>
      <aside className="space-y-4">
        <h2 className="font-semibold">The position you are about to open</h2>
        <RiskPreview
          before={before.hasDebt ? before : undefined}
          after={typed ? after : undefined}
          bands={{ before: before.hasDebt ? snapshot : undefined, after: typed ? previewSnapshot : undefined }}
        />
        {dropToSoft !== undefined && checked.ok && (
          <p className="text-sm text-muted" data-testid="soft-distance">
            Soft liquidation starts if collateral prices fall {formatPercent(dropToSoft, 1)} together; then, after a{" "}
            {Math.round(m.risk.gracePeriod / 60)}-minute grace period (none below health {formatRatio(m.risk.graceFloor)}),
            slices from {formatPercent(m.risk.sliceCap)} of the debt, larger the lower health falls, are sold at an auction
            bonus of {formatPercent(m.risk.softBonusMin)}–{formatPercent(m.risk.softBonusMax)}, up to{" "}
            {Math.round(m.risk.sliceInterval / 60)} minutes apart.
          </p>
        )}
        <DevnetPanelLazy position={snapshot} />
      </aside>
      {chartSnapshot && (
        <section className="lg:col-span-2" aria-label="Band exposure of the new position" data-testid="open-band-chart">
          <BandExposureChart snapshot={chartSnapshot} />
        </section>
      )}
    </div>
  );
}
