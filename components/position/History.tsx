"use client";

import { memo } from "react";
import type { Address } from "viem";
import type { HistoryEntry, PositionView } from "@/lib/chain/read";
import { useHistory } from "@/lib/chain/usePosition";
import { formatAmount, formatHealth, formatPercent, shortAddress } from "@/lib/format/number";
import { POLICY_CHANGE_TITLE, policyChange } from "@/components/actions/protection";
import { policySummary } from "@/lib/format/policy";
import { Frame, HISTORY_SECTION_CLASS } from "./frames";

function when(timestamp: bigint | null, block: bigint | null): string {
  const blockText = block === null ? "" : `block ${block}`;
  if (timestamp === null) return blockText;
  const date = new Date(Number(timestamp) * 1000);
  return `${date.toISOString().replace("T", " ").slice(0, 19)} UTC · ${blockText}`;
}

type PolicySet = Extract<HistoryEntry, { eventName: "DeleveragePolicySet" }>;

/**
 * The setting a policy event replaced: the next older setting in the list; null when the list is complete and has
 * none (nothing was set before), undefined when an older page is not loaded.
 */
function previousPolicy(entries: readonly HistoryEntry[], index: number, complete: boolean) {
  const older = entries.slice(index + 1).find((e): e is PolicySet => e.eventName === "DeleveragePolicySet");
  return older ? older.args.policy : complete ? null : undefined;
}

/**
 * Flags, unflags, soft slices, hard liquidations, bad debt and the account's automatic protection (its settings and
 * executions), newest first, from events.
 */
export const History = memo(function History({ account, position }: { account: Address; position: PositionView }) {
  const history = useHistory(account, position);
  const m = position.market;
  const symbolOf = (asset: Address) => m.collaterals.find((c) => c.asset.toLowerCase() === asset.toLowerCase());
  const entries = history.data?.pages.flatMap((p) => p.entries) ?? [];
  return (
    <Frame title="Liquidation history" headingId="history-heading" className={HISTORY_SECTION_CLASS} testId="history">
      <div className="mt-3" aria-live="polite" aria-busy={history.isPending}>
        {history.isPending ? (
          <p className="text-sm text-muted">Loading events…</p>
        ) : history.isError ? (
          <p className="text-sm text-hard" role="alert">
            Could not load the history: {history.error instanceof Error ? history.error.message.split("\n")[0] : "unknown error"}
          </p>
        ) : history.data.pages[0]!.entries.length === 0 ? (
          <p className="text-sm text-muted" data-testid="history-empty">
            No flags, slices, liquidations or protection yet.
          </p>
        ) : (
          <ol className="space-y-3">
            {entries.map((e, index) => {
              const key = `${e.transactionHash}-${e.logIndex}`;
              const time = <span className="block text-xs text-muted">{when(e.timestamp, e.blockNumber)}</span>;
              switch (e.eventName) {
                case "Flagged":
                  return (
                    <li key={key} data-testid="history-flagged" className="border-l-4 border-soft pl-3 text-sm">
                      <strong>Flagged</strong> at health {formatHealth(e.args.healthFactor)} by {shortAddress(e.args.caller)}: grace
                      period started. {time}
                    </li>
                  );
                case "Unflagged":
                  return (
                    <li key={key} data-testid="history-unflagged" className="border-l-4 border-healthy pl-3 text-sm">
                      <strong>Flag cleared</strong> at health {formatHealth(e.args.healthFactor)}. {time}
                    </li>
                  );
                case "Liquidated": {
                  const c = symbolOf(e.args.collateral);
                  const soft = e.args.zone === 1;
                  return (
                    <li key={key} data-testid={soft ? "history-slice" : "history-hard"} className={`border-l-4 pl-3 text-sm ${soft ? "border-soft" : "border-hard"}`}>
                      <strong>{soft ? "Soft slice" : "Hard liquidation"}</strong>: repaid {formatAmount(e.args.repaid, m.loanDecimals, 2)}{" "}
                      {m.loanSymbol}, sold {c ? `${formatAmount(e.args.seized, c.decimals, 4)} ${c.symbol}` : e.args.seized.toString()} with a{" "}
                      {formatPercent(e.args.bonus)} bonus; health {formatHealth(e.args.healthBefore)} → {formatHealth(e.args.healthAfter)}. {time}
                    </li>
                  );
                }
                case "BadDebt":
                  return (
                    <li key={key} data-testid="history-bad-debt" className="border-l-4 border-hard pl-3 text-sm">
                      <strong>Bad debt</strong> of {formatAmount(e.args.badDebt, m.loanDecimals, 2)} {m.loanSymbol}:{" "}
                      {formatAmount(e.args.coveredByInsurance, m.loanDecimals, 2)} covered by insurance,{" "}
                      {formatAmount(e.args.socialised, m.loanDecimals, 2)} absorbed by lenders. {time}
                    </li>
                  );
                case "Deleveraged": {
                  const c = symbolOf(e.args.collateral);
                  return (
                    <li key={key} data-testid="history-deleveraged" className="border-l-4 border-healthy pl-3 text-sm">
                      <strong>Automatic protection ran</strong>: {shortAddress(e.args.executor)} repaid {formatAmount(e.args.repaid, m.loanDecimals, 2)}{" "}
                      {m.loanSymbol} and received {c ? `${formatAmount(e.args.seized, c.decimals, 4)} ${c.symbol}` : e.args.seized.toString()} with a{" "}
                      {formatPercent(e.args.bonus, 4)} bonus; health {formatHealth(e.args.healthBefore)} → {formatHealth(e.args.healthAfter)}. {time}
                    </li>
                  );
                }
                case "DeleveragePolicySet": {
                  const change = policyChange(e.args.policy, previousPolicy(entries, index, !history.hasNextPage), e.args.version);
                  const byManager = e.args.caller.toLowerCase() !== e.args.account.toLowerCase();
                  return (
                    <li key={key} data-testid={`history-protection-${change}`} className="border-l-4 border-accent pl-3 text-sm">
                      <strong>{POLICY_CHANGE_TITLE[change]}</strong>
                      {change === "off" ? "" : `: ${policySummary(e.args.policy)}`}
                      {byManager ? ` (by ${shortAddress(e.args.caller)})` : ""}. {time}
                    </li>
                  );
                }
                default:
                  return null;
              }
            })}
          </ol>
        )}
        {history.data?.pages[0]?.notice && (
          <p className="mt-3 text-xs text-muted" data-testid="history-notice">
            {history.data.pages[0].notice}
          </p>
        )}
        {history.hasNextPage && (
          <button
            type="button"
            className="mt-3 h-9 rounded-md border border-accent px-3 text-sm disabled:opacity-60"
            onClick={() => void history.fetchNextPage()}
            disabled={history.isFetchingNextPage}
            data-testid="history-older"
          >
            {history.isFetchingNextPage ? "Loading…" : "Show older events"}
          </button>
        )}
        {history.isFetchNextPageError && (
          <p className="mt-2 text-sm text-hard" role="alert">
            Could not load older events: {history.error instanceof Error ? history.error.message.split("\n")[0] : "unknown error"}
          </p>
        )}
      </div>
    </Frame>
  );
});
