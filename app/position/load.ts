import { cache } from "react";
import type { Address } from "viem";
import { loadAppConfig, type AppConfig } from "@/lib/chain/config";
import { readHistoryPage, type HistoryPage } from "@/lib/chain/history";
import {
  diagnoseReadFailure,
  isEmptyPosition,
  parseAccount,
  readPosition,
  safeDecode,
  type PositionView,
  type ReadFailure,
} from "@/lib/chain/read";

export type PositionLoad =
  | { kind: "invalid-address"; input: string }
  | { kind: "config-error"; title: string; error: string }
  | { kind: "read-error"; account: Address; failure: ReadFailure }
  | { kind: "empty"; account: Address; config: AppConfig; position: PositionView }
  | { kind: "ok"; account: Address; config: AppConfig; position: PositionView };

/**
 * The server's one lens read for a position page. Wrapped in React `cache` so the page, its metadata and its
 * layout share a single `eth_call` per request.
 */
export const loadPosition = cache(async (rawAddress: string): Promise<PositionLoad> => {
  const account = parseAccount(rawAddress);
  if (!account) return { kind: "invalid-address", input: safeDecode(rawAddress) };
  const config = await loadAppConfig();
  if (!config.ok) return { kind: "config-error", title: config.title, error: config.error };
  try {
    const position = await readPosition(account, config.config.deployment);
    return isEmptyPosition(position)
      ? { kind: "empty", account, config: config.config, position }
      : { kind: "ok", account, config: config.config, position };
  } catch (error) {
    return { kind: "read-error", account, failure: await diagnoseReadFailure(error, config.config.deployment) };
  }
});

/** What liquidations did to an account, for the previews of a position without debt (closed by them, or repaid). */
export interface LiquidationSummary {
  softSlices: number;
  hardLiquidations: number;
  /** Debt repaid by liquidations, in loan units. */
  repaid: bigint;
  badDebt: bigint;
}

/**
 * The account's liquidations, read only for a position without debt (a live position's preview speaks of its health;
 * only a debt-free one needs its story to say whether it was repaid or liquidated). null: none, or unreadable.
 */
export const loadLiquidationSummary = cache(async (load: PositionLoad): Promise<LiquidationSummary | null> => {
  if ((load.kind !== "ok" && load.kind !== "empty") || load.position.debt !== 0n) return null;
  try {
    // Every page (a closed position's story is short; ten pages is a generous bound).
    const history = [];
    let before: string | null = null;
    for (let pages = 0; pages < 10; pages++) {
      const page: HistoryPage = await readHistoryPage(load.account, load.config.deployment, { watcherUrl: load.config.env.watcherUrl, before, timeoutMs: 3_000 });
      history.push(...page.entries);
      before = page.next;
      if (!before) break;
    }
    const summary: LiquidationSummary = { softSlices: 0, hardLiquidations: 0, repaid: 0n, badDebt: 0n };
    for (const e of history) {
      if (e.eventName === "Liquidated") {
        if (e.args.zone === 2) summary.hardLiquidations += 1;
        else summary.softSlices += 1;
        summary.repaid += e.args.repaid;
      } else if (e.eventName === "BadDebt") summary.badDebt += e.args.badDebt;
    }
    return summary.softSlices + summary.hardLiquidations > 0 ? summary : null;
  } catch {
    return null; // the preview then shows the state alone
  }
});
