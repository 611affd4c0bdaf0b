"use client";

import { useEffect, useId, useMemo, useRef, useState, type ReactNode } from "react";
import type { Address } from "viem";
import { useConnection } from "wagmi";
import { errorContextFrom } from "@/lib/chain/errors";
import type { PositionView } from "@/lib/chain/read";
import { chain } from "@/lib/chain/wagmi";
import { toInputString } from "@/lib/format/input";
import { ceilToPlaces, formatAmount, formatChance, formatDuration, formatHealth, minimumPlaces } from "@/lib/format/number";
import { liquidationTimers, type PositionSnapshot } from "@/lib/risk";
import { adviceOffers, safeLimits, type AdviceOffer } from "@/components/advice/offers";
import { useAdvice } from "@/components/advice/useAdvice";
import { WrongNetworkNotice } from "@/components/wallet/WrongNetwork";
import { closeFlowFor, flowFor } from "./flow";
import { useRunAction, useWalletBalances } from "./hooks";
import { parsePrefill, type Prefill } from "./prefill";
import { ProtectionPanel } from "./ProtectionPanel";
import { repayToLeaveSoft, safeBorrow, safeWithdraw, summarize, topUpToLeaveSoft } from "./preview";
import { RiskPreview } from "./RiskPreview";
import { checkForm, type FormKind } from "./validate";

const TAB_LABEL: Record<FormKind, string> = {
  topUp: "Top up",
  repay: "Repay",
  borrow: "Borrow more",
  withdraw: "Withdraw",
};

/** Chain time now, from the snapshot's block time plus the wall-clock time since it arrived (devnets skip time). */
export function useChainNow(blockTimestamp: bigint): bigint {
  const [clock, setClock] = useState<{ chain: bigint; anchor: number; now: number } | null>(null);
  useEffect(() => {
    const anchor = Date.now();
    const tick = () => setClock({ chain: blockTimestamp, anchor, now: Date.now() });
    const first = setTimeout(tick, 0);
    const timer = setInterval(tick, 1000);
    return () => {
      clearTimeout(first);
      clearInterval(timer);
    };
  }, [blockTimestamp]);
  if (!clock || clock.chain !== blockTimestamp) return blockTimestamp;
  return blockTimestamp + BigInt(Math.max(0, Math.floor((clock.now - clock.anchor) / 1000)));
}

/**
 * The owner's actions on their position page: top up, repay, borrow more, withdraw, each with a before → after
 * preview computed in the browser, and automatic protection (a deleverage policy) below them. Flagged positions get "top up" and "repay" first, with the amounts that leave
 * the soft zone and the grace time left. Others viewing the page see a short note instead. `children` go at the end
 * of the panel, for whoever composes it (the position page adds the devnet controls there).
 */
export function ActionsPanel({ position, children }: { position: PositionView; children?: ReactNode }) {
  const connection = useConnection();
  const snapshot = position as unknown as PositionSnapshot;
  const isOwner =
    connection.status === "connected" && connection.address.toLowerCase() === position.account.toLowerCase();

  return (
    <section aria-labelledby="actions-title" data-testid="actions-panel" className="space-y-4 rounded-xl border border-border bg-card p-4">
      <h2 id="actions-title" className="text-lg font-semibold">
        Manage this position
      </h2>
      {connection.status !== "connected" ? (
        <p className="text-sm text-muted">Connect the owner&apos;s wallet to top up, repay, borrow or withdraw.</p>
      ) : !isOwner ? (
        <p className="text-sm text-muted" data-testid="not-owner">
          The connected wallet does not own this position: only its owner can act on it.
        </p>
      ) : connection.chainId !== chain.id ? (
        <WrongNetworkNotice />
      ) : (
        <OwnerActions snapshot={snapshot} account={connection.address} />
      )}
      {children}
    </section>
  );
}

function OwnerActions({ snapshot, account }: { snapshot: PositionSnapshot; account: Address }) {
  const m = snapshot.market;
  const tokens = useMemo(() => [m.loanToken, ...m.collaterals.map((c) => c.asset)], [m.loanToken, m.collaterals]);
  const balances = useWalletBalances(account, tokens);
  const now = useChainNow(snapshot.timestamp);
  const flagged = snapshot.flaggedAt !== 0n;
  const before = useMemo(() => summarize(snapshot), [snapshot]);
  const inTrouble = flagged || (before.ok && before.hasDebt && before.zone !== 0);
  const order: FormKind[] = inTrouble ? ["topUp", "repay", "borrow", "withdraw"] : ["topUp", "borrow", "repay", "withdraw"];
  const [tab, setTab] = useState<FormKind>(order[0]!);
  const [prefill, setPrefill] = useState<(Prefill & { nonce: number }) | null>(null);
  const [linkError, setLinkError] = useState<string | null>(null);
  const tabsId = useId();
  const latest = useRef(snapshot);
  useEffect(() => {
    latest.current = snapshot;
  }, [snapshot]);

  // A prefill link (#act=topUp&asset=WETH&amount=1.25, from the advice or an alert) fills the form it names. The
  // fragment is then dropped so the same link clicked again fills the form again.
  useEffect(() => {
    const apply = () => {
      const result = parsePrefill(window.location.hash, latest.current);
      if (result === null) return;
      window.history.replaceState(window.history.state, "", `${window.location.pathname}${window.location.search}`);
      if (!result.ok) {
        setLinkError(result.message);
        return;
      }
      setLinkError(null);
      setTab(result.prefill.kind);
      setPrefill({ ...result.prefill, nonce: Date.now() });
      document.getElementById("actions-title")?.scrollIntoView({ block: "start" });
    };
    apply();
    window.addEventListener("hashchange", apply);
    return () => window.removeEventListener("hashchange", apply);
  }, []);

  const walletOf = (token: Address): bigint | undefined => {
    const i = tokens.indexOf(token);
    return balances.data?.[i];
  };

  return (
    <div className="space-y-4">
      {inTrouble && (
        <FlaggedCallout
          snapshot={snapshot}
          now={now}
          onPick={(kind, asset, text) => {
            setTab(kind);
            setPrefill({ kind, asset, text, repayAll: false, nonce: Date.now() });
          }}
        />
      )}
      {linkError && (
        <p role="alert" data-testid="prefill-error" className="rounded-md border border-hard bg-hard-bg px-3 py-2 text-sm">
          {linkError}
        </p>
      )}
      <div role="tablist" aria-label="Actions" className="flex flex-wrap gap-1 border-b border-border">
        {order.map((kind) => (
          <button
            key={kind}
            type="button"
            role="tab"
            id={`${tabsId}-${kind}`}
            aria-selected={tab === kind}
            aria-controls={`${tabsId}-${kind}-panel`}
            data-testid={`tab-${kind}`}
            onClick={() => setTab(kind)}
            className={`-mb-px rounded-t-lg border px-3 py-2 text-sm font-medium ${
              tab === kind ? "border-border border-b-card bg-card" : "border-transparent text-muted hover:text-fg"
            }`}
          >
            {TAB_LABEL[kind]}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`${tabsId}-${tab}-panel`} aria-labelledby={`${tabsId}-${tab}`}>
        <ActionForm
          key={`${tab}-${prefill?.kind === tab ? prefill.nonce : 0}`}
          kind={tab}
          snapshot={snapshot}
          account={account}
          walletOf={walletOf}
          initialAsset={prefill?.kind === tab ? prefill.asset : undefined}
          initialText={prefill?.kind === tab ? prefill.text : undefined}
          initialRepayAll={prefill?.kind === tab ? prefill.repayAll : undefined}
        />
        {tab === "withdraw" && <CloseAll snapshot={snapshot} account={account} loanInWallet={walletOf(m.loanToken)} />}
      </div>
      {/* keyed by the policy's version: after a change (here or by a manager) the form starts from what is in force */}
      <ProtectionPanel key={snapshot.policyVersion.toString()} snapshot={snapshot} account={account} />
    </div>
  );
}

function FlaggedCallout({
  snapshot,
  now,
  onPick,
}: {
  snapshot: PositionSnapshot;
  now: bigint;
  onPick: (kind: FormKind, asset: number, text: string) => void;
}) {
  const m = snapshot.market;
  const timers = liquidationTimers(snapshot, now);
  // The least amounts that reach health 1 (the flag clears in the same transaction), rounded up to cents / 4 decimals
  // so they stay true and steady while interest accrues block by block.
  const loanUp = (v: bigint | undefined) => (v === undefined ? v : ceilToPlaces(v, m.loanDecimals, minimumPlaces(m.loanDecimals, true)));
  const repayLeast = loanUp(repayToLeaveSoft(snapshot));
  const least = m.collaterals
    .map((c, i) => ({ c, i, amount: topUpToLeaveSoft(snapshot, i) }))
    .filter((t) => t.amount !== undefined && t.amount > 0n)
    .map((t) => ({ ...t, amount: ceilToPlaces(t.amount!, t.c.decimals, minimumPlaces(t.c.decimals, false)) }));
  const needed = [
    ...least.map(({ c, amount }) => `${formatAmount(amount, c.decimals)} ${c.symbol}`),
    ...(repayLeast ? [`a repay of ${formatAmount(repayLeast, m.loanDecimals)} ${m.loanSymbol}`] : []),
  ];
  // Two kinds of one-click suggestion: leave the soft zone now (health to the market's target, a small margin above 1),
  // or stay out of it (the advice: the 7-day chance of SOFT under the borrower's limit, as the forecast offers).
  const target = m.risk.targetHealth;
  const suggestions = [
    ...m.collaterals.flatMap((c, i) => {
      const amount = topUpToLeaveSoft(snapshot, i, target);
      return amount ? [{ kind: "topUp" as const, asset: i, symbol: c.symbol, decimals: c.decimals, amount: ceilToPlaces(amount, c.decimals, minimumPlaces(c.decimals, false)) }] : [];
    }),
    ...((v) => (v ? [{ kind: "repay" as const, asset: 0, symbol: m.loanSymbol, decimals: m.loanDecimals, amount: v }] : []))(loanUp(repayToLeaveSoft(snapshot, target))),
  ];
  const advice = useAdvice(snapshot);
  const limit = advice.status === "ready" ? Math.round(advice.advice.health.threshold * 100) : null;
  const staying = advice.status === "ready" ? adviceOffers(snapshot, advice.advice) : [];
  return (
    <div role="alert" data-testid="flagged-callout" className="rounded-lg border border-soft bg-soft-bg p-3 text-sm">
      <p className="font-semibold">
        {timers.flagged ? "Your position is flagged for soft liquidation." : "Your position is below health 1."}
      </p>
      {timers.flagged && (
        <p data-testid="grace-left">
          {timers.graceRemaining > 0n
            ? `Grace period: ${formatDuration(timers.graceRemaining)} left before the first slice can be taken.`
            : timers.secondsUntilSlice > 0n
              ? `Next slice possible in ${formatDuration(timers.secondsUntilSlice)}.`
              : "The grace period is over: a keeper may sell a slice of collateral at any moment."}
        </p>
      )}
      {needed.length > 0 && (
        <p className="mt-1" data-testid="leave-soft-needed">
          To leave the soft zone you need at least {needed.join(", or ")}. A top-up or repay that brings health back
          to 1 clears the flag in the same transaction.
        </p>
      )}
      <SuggestionRow
        title={`Leave the soft zone (health ${formatHealth(target)}):`}
        testId="leave-soft-options"
        prefix="leave-soft"
        suggestions={suggestions}
        onPick={onPick}
      />
      {limit !== null && staying.length > 0 && (
        <SuggestionRow
          title={`Stay out for a week (7-day chance of soft liquidation under your ${limit}% limit):`}
          testId="stay-out-options"
          prefix="stay-out"
          suggestions={staying}
          onPick={onPick}
        />
      )}
    </div>
  );
}

/** A one-click remedy: the advice's offer shape, without its "repay everything" flag. */
type Suggestion = Omit<AdviceOffer, "all">;

function SuggestionRow({
  title,
  testId,
  prefix,
  suggestions,
  onPick,
}: {
  title: string;
  testId: string;
  prefix: string;
  suggestions: readonly Suggestion[];
  onPick: (kind: FormKind, asset: number, text: string) => void;
}) {
  if (suggestions.length === 0) return null;
  return (
    <div className="mt-2" data-testid={testId}>
      <p className="text-xs text-muted">{title}</p>
      <ul className="mt-1 flex flex-wrap gap-2">
        {suggestions.map((o) => (
          <li key={`${o.kind}-${o.asset}`}>
            <button
              type="button"
              data-testid={o.kind === "repay" ? `${prefix}-repay` : `${prefix}-topup-${o.symbol}`}
              onClick={() => onPick(o.kind, o.asset, toInputString(o.amount, o.decimals))}
              className="rounded border border-soft px-2 py-1 hover:bg-card"
            >
              {o.kind === "repay" ? "Repay" : "Top up"} {formatAmount(o.amount, o.decimals)} {o.symbol}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

/**
 * Everything out in one action: repay all the debt (interest included) and withdraw every collateral. Several
 * transactions; a wallet with EIP-5792 batches signs them once, others one after the other.
 */
function CloseAll({ snapshot, account, loanInWallet }: { snapshot: PositionSnapshot; account: Address; loanInWallet: bigint | undefined }) {
  const m = snapshot.market;
  const { run, busy, lastError } = useRunAction();
  const held = m.collaterals.filter((c) => c.balance > 0n);
  if (held.length === 0) return null;
  const hasDebt = snapshot.scaledDebt > 0n;
  // Repaying everything pulls the debt plus the interest accrued until the transaction is mined.
  const short = hasDebt && loanInWallet !== undefined && loanInWallet < snapshot.debt;
  const calls = held.length + (hasDebt ? 1 : 0);
  return (
    <div className="mt-4 border-t border-border pt-3 text-sm" data-testid="close-all">
      <p className="font-medium">{hasDebt ? "Close the position" : "Withdraw everything"}</p>
      <p className="text-muted">
        {hasDebt ? `Repays all ${formatAmount(snapshot.debt, m.loanDecimals)} ${m.loanSymbol} of debt and returns ` : "Returns "}
        {held.map((c) => `${formatAmount(c.balance, c.decimals)} ${c.symbol}`).join(", ")} to your wallet
        {calls > 1 ? `: ${calls} calls, signed once if your wallet batches calls (EIP-5792), else one after the other.` : "."}
      </p>
      {short && (
        <p role="alert" className="mt-1 text-hard" data-testid="close-all-short">
          Your wallet holds {formatAmount(loanInWallet, m.loanDecimals)} {m.loanSymbol}; repaying everything needs{" "}
          {formatAmount(snapshot.debt, m.loanDecimals)} {m.loanSymbol} plus interest.
        </p>
      )}
      {lastError && (
        <p role="alert" className="mt-1 text-hard" data-testid="close-all-error">
          {lastError}
        </p>
      )}
      <button
        type="button"
        data-testid="close-all-button"
        disabled={busy || short || (loanInWallet === undefined && hasDebt)}
        onClick={() => void run(closeFlowFor(snapshot, account), errorContextFrom(m))}
        className="mt-2 w-full rounded-lg border border-accent px-4 py-2 font-semibold text-accent disabled:cursor-not-allowed disabled:opacity-50"
      >
        {busy ? "Working…" : hasDebt ? "Repay everything and withdraw all" : "Withdraw all collateral"}
      </button>
    </div>
  );
}

function ActionForm({
  kind,
  snapshot,
  account,
  walletOf,
  initialAsset,
  initialText,
  initialRepayAll,
}: {
  kind: FormKind;
  snapshot: PositionSnapshot;
  account: Address;
  walletOf: (token: Address) => bigint | undefined;
  initialAsset?: number;
  initialText?: string;
  initialRepayAll?: boolean;
}) {
  const m = snapshot.market;
  const held = m.collaterals.findIndex((c) => c.balance > 0n);
  const [chosenAsset, setAsset] = useState(initialAsset ?? Math.max(held, 0));
  // A withdrawal that emptied the chosen collateral moves the form on to one the position still holds.
  const asset =
    kind === "withdraw" && (m.collaterals[chosenAsset]?.balance ?? 0n) === 0n && held >= 0 ? held : chosenAsset;
  const [text, setText] = useState(initialText ?? "");
  const [repayAll, setRepayAll] = useState(initialRepayAll ?? false);
  // Messages appear once the borrower has typed, and stay when the field is emptied again ("Enter an amount.").
  const [touched, setTouched] = useState(initialText !== undefined);
  const { run, busy, lastError } = useRunAction();
  const inputId = useId();
  const messageId = useId();

  const collateral = m.collaterals[asset];
  const usesCollateral = kind === "topUp" || kind === "withdraw";
  const token = usesCollateral && collateral
    ? { address: collateral.asset, symbol: collateral.symbol, decimals: collateral.decimals }
    : { address: m.loanToken, symbol: m.loanSymbol, decimals: m.loanDecimals };
  const walletBalance = kind === "topUp" || kind === "repay" ? walletOf(token.address) : undefined;

  const checked = checkForm(snapshot, { kind, asset, text, repayAll, walletBalance });
  const before = summarize(snapshot);
  const afterSnapshot = checked.after;
  const after = afterSnapshot ? summarize(afterSnapshot) : undefined;
  const typed = text.trim() !== "" || repayAll;
  const showMessage = touched || repayAll;

  // "Max safe": the largest amount the market accepts that keeps the 7-day chance of SOFT under the borrower's limit
  // (the advice, worked out off the main thread); the market's own limit is said beside it.
  const advice = useAdvice(kind === "borrow" || kind === "withdraw" ? snapshot : undefined);
  const safe = advice.status === "ready" ? safeLimits(snapshot, advice.advice) : undefined;
  const limitPct = advice.status === "ready" ? Math.round(advice.advice.health.threshold * 100) : null;
  let max: bigint | undefined;
  let marketMax: bigint | undefined;
  let maxLabel = "Max";
  if (kind === "topUp") max = walletBalance;
  if (kind === "repay") {
    max = walletBalance === undefined ? undefined : walletBalance < snapshot.debt ? walletBalance : snapshot.debt;
  }
  if (kind === "borrow") {
    const limit = safeBorrow(snapshot);
    marketMax = limit.ok ? limit.amount : undefined;
    max = safe?.borrow;
    maxLabel = "Max safe";
  }
  if (kind === "withdraw") {
    const limit = safeWithdraw(snapshot, asset);
    marketMax = limit.ok ? limit.amount : undefined;
    max = safe?.withdraw[asset];
    maxLabel = "Max safe";
  }

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    if (!checked.ok || busy) return;
    const result = await run(flowFor(snapshot, account, checked.action), errorContextFrom(m));
    if (result?.ok) {
      setText("");
      setTouched(false);
      setRepayAll(false);
    }
  }

  const message = showMessage && !checked.ok ? checked.message : null;
  const canSubmit = checked.ok && !busy;

  return (
    <form onSubmit={submit} noValidate className="space-y-3" data-testid={`form-${kind}`}>
      {usesCollateral && (
        <div className="flex flex-wrap items-center gap-2 text-sm">
          <label htmlFor={`${inputId}-asset`} className="text-muted">
            Collateral
          </label>
          <select
            id={`${inputId}-asset`}
            data-testid="asset-select"
            value={asset}
            onChange={(e) => setAsset(Number(e.target.value))}
            className="rounded border border-border bg-card px-2 py-1"
          >
            {m.collaterals.map((c, i) => (
              <option key={c.asset} value={i} disabled={kind === "withdraw" && c.balance === 0n}>
                {c.symbol}
                {kind === "withdraw" ? ` (${formatAmount(c.balance, c.decimals)} in position)` : ""}
              </option>
            ))}
          </select>
        </div>
      )}
      {kind === "repay" && (
        <label className="flex items-center gap-2 text-sm">
          <input
            type="checkbox"
            data-testid="repay-all"
            checked={repayAll}
            onChange={(e) => setRepayAll(e.target.checked)}
          />
          Repay all ({formatAmount(snapshot.debt, m.loanDecimals)} {m.loanSymbol} + interest until mined)
        </label>
      )}
      {!repayAll && (
        <div>
          <div className="flex items-baseline justify-between text-sm">
            <label htmlFor={inputId} className="font-medium">
              Amount ({token.symbol})
            </label>
            {walletBalance !== undefined && (
              <span className="text-muted" data-testid="wallet-balance">
                Wallet: {formatAmount(walletBalance, token.decimals)} {token.symbol}
              </span>
            )}
          </div>
          <div className="mt-1 flex gap-2">
            <input
              id={inputId}
              data-testid="amount-input"
              inputMode="decimal"
              autoComplete="off"
              placeholder="0.0"
              value={text}
              aria-invalid={!!message}
              aria-describedby={message ? messageId : undefined}
              onChange={(e) => {
                setText(e.target.value);
                setTouched(true);
              }}
              className="min-w-0 flex-1 rounded-lg border border-border bg-bg px-3 py-2 font-mono"
            />
            {max !== undefined && max > 0n && (
              <button
                type="button"
                data-testid="max-button"
                onClick={() => {
                  setText(toInputString(max, token.decimals));
                  setTouched(true);
                }}
                className="rounded-lg border border-border px-3 text-sm hover:bg-bg"
                title={`${formatAmount(max, token.decimals)} ${token.symbol}`}
              >
                {maxLabel}
              </button>
            )}
          </div>
          {(kind === "borrow" || kind === "withdraw") && (
            <p className="mt-1 text-xs text-muted" data-testid="max-safe" aria-live="polite">
              {max !== undefined && limitPct !== null && advice.status === "ready"
                ? advice.advice.health.pSoft >= advice.advice.health.threshold
                  ? `Max safe: none: the 7-day chance of soft liquidation is already ${formatChance(advice.advice.health.pSoft)}, above your ${limitPct}% limit`
                  : `Max safe: ${formatAmount(max, token.decimals)} ${token.symbol}, which keeps the 7-day chance of soft liquidation under your ${limitPct}% limit`
                : advice.status === "failed" || advice.status === "unavailable"
                  ? `Max safe unavailable: ${advice.message}`
                  : "Max safe: working out the amount that keeps the 7-day chance of soft liquidation under your limit…"}
              {marketMax !== undefined && ` (the market allows up to ${formatAmount(marketMax, token.decimals)} ${token.symbol}).`}
            </p>
          )}
        </div>
      )}
      {message && (
        <p id={messageId} role="alert" data-testid="action-error" className="text-sm text-hard">
          {message}
        </p>
      )}
      {checked.ok && checked.note && <p className="text-xs text-muted">{checked.note}</p>}
      <RiskPreview
        before={before}
        after={typed ? after : undefined}
        bands={{ before: snapshot, after: typed ? afterSnapshot : undefined }}
      />
      {lastError && (
        <p role="alert" data-testid="tx-error" className="text-sm text-hard">
          {lastError}
        </p>
      )}
      <button
        type="submit"
        data-testid="submit-action"
        disabled={!canSubmit}
        className="w-full rounded-lg bg-accent px-4 py-2 font-semibold text-accent-fg disabled:cursor-not-allowed disabled:opacity-50"
      >
        {busy ? "Working…" : repayAll ? "Repay all" : TAB_LABEL[kind]}
      </button>
    </form>
  );
}
