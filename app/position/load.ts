import { cache } from "react";
import type { Address } from "viem";
import { loadAppConfig, type AppConfig } from "@/lib/chain/config";
import { diagnoseReadFailure, isEmptyPosition, parseAccount, readPosition, safeDecode, type PositionView, type ReadFailure } from "@/lib/chain/read";

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
