/**
 * What the keeper does about one account, decided by the risk engine (`lib/risk`) from the same numbers the market
 * will use: the Lens `getMarket` view plus the account's `getPositions` summary, read at one block.
 */
import type { Address, ContractFunctionReturnType } from "viem";
import type { softLandingLensAbi } from "../lib/chain/abis";
import {
  WAD,
  Zone,
  chooseLiquidationCollateral,
  collateralValue,
  flagLive,
  health,
  liquidationHealth,
  liquidationTimers,
  previewLiquidation,
  type PositionSnapshot,
} from "../lib/risk";

export type MarketView = ContractFunctionReturnType<typeof softLandingLensAbi, "view", "getMarket">;
export type PositionsView = ContractFunctionReturnType<typeof softLandingLensAbi, "view", "getPositions">;
export type AccountSummary = PositionsView["accounts"][number];

export type ActionKind = "flag" | "unflag" | "softSlice" | "hardLiquidation";

export type Decision =
  | { kind: "none" }
  | { kind: "priceUnavailable" }
  /** Flagged and SOFT, but the grace period or slice interval still runs. */
  | { kind: "wait"; until: bigint }
  | { kind: "flag"; account: Address; healthFactor: bigint }
  | { kind: "unflag"; account: Address; healthFactor: bigint }
  | {
      kind: "softSlice" | "hardLiquidation";
      account: Address;
      healthFactor: bigint;
      collateral: Address;
      collateralSymbol: string;
      /** The repay the preview allows at the read block. */
      repay: bigint;
      /** Sent as `maxRepay`: a little above `repay`, because the cap grows with the interest accrued until the
       * transaction lands; the market never takes more than its own cap. */
      maxRepay: bigint;
      expectedSeized: bigint;
      minSeized: bigint;
      bonus: bigint;
    };

/** The collateral a liquidation may yield below the preview (interest accrues and prices move before it lands). */
export const DEFAULT_SEIZED_TOLERANCE_BPS = 100n;
/** Headroom on `maxRepay` for interest accrued between the read and the transaction (0.1%). Without it a full
 * hard liquidation leaves a few wei of debt behind. */
const INTEREST_HEADROOM_BPS = 10n;

/**
 * Builds the risk engine's position snapshot from a market view and one account summary (both read at one block).
 * The summary carries no scaled debt; nothing the keeper decides reads it, so it is derived from the debt.
 * The market view supplies parameters and collateral configuration only: prices, block and time are the batch's.
 */
export function snapshotOf(market: MarketView, prices: PositionsView, summary: AccountSummary): PositionSnapshot {
  // Prices come from the batch: fresh ones (0 for a stale or invalid feed; the oracle never returns 0) decide what
  // can be seized, the last valid ones value everything else, as `flag` and `liquidate` do (docs/liquidation.md R7).
  const collaterals = market.collaterals.map((c, i) => {
    const balance = summary.balances[i] ?? 0n;
    const fresh = prices.collateralPrices[i] ?? 0n;
    const priceOk = fresh !== 0n;
    const price = priceOk ? fresh : (prices.collateralLastPrices[i] ?? 0n);
    return { ...c, price, priceOk, balance, value: priceOk && balance !== 0n ? collateralValue(balance, price, c.decimals) : 0n };
  });
  const base: PositionSnapshot = {
    market: { ...market, collaterals, loanPrice: prices.loanPrice, loanPriceOk: prices.loanPrice !== 0n, timestamp: prices.timestamp },
    account: summary.account,
    debt: summary.debt,
    scaledDebt: market.borrowIndex === 0n ? 0n : (summary.debt * WAD) / market.borrowIndex,
    debtValue: 0n,
    collateralValue: 0n,
    collateralPower: 0n,
    borrowPower: 0n,
    healthFactor: 0n,
    healthOk: summary.healthOk,
    zone: 0,
    flaggedAt: summary.flaggedAt,
    lastSliceAt: summary.lastSliceAt,
    blockNumber: prices.blockNumber,
    timestamp: prices.timestamp,
  };
  const h = health(base);
  return {
    ...base,
    debtValue: h.debtValue,
    collateralValue: h.collateralValue,
    collateralPower: h.collateralPower,
    borrowPower: h.borrowPower,
    healthFactor: h.healthFactor,
    healthOk: h.ok,
    zone: h.zone,
  };
}

/**
 * The one action worth sending for this account now, if any:
 * HEALTHY and flagged → unflag; SOFT and not flagged → flag; SOFT, flagged and past grace and interval → a slice
 * through the collateral the engine chooses; HARD → a hard liquidation. Timers (and anything else that depends on
 * time) are judged at `now`: by default the read block's timestamp, so a slice is only sent once the chain itself
 * says it is allowed; a caller that knows when its transaction will land (the crash replay) passes that time.
 */
export function decide(
  snapshot: PositionSnapshot,
  toleranceBps: bigint = DEFAULT_SEIZED_TOLERANCE_BPS,
  now: bigint = snapshot.timestamp,
): Decision {
  const account = snapshot.account;
  if (snapshot.debt === 0n) {
    // A flag left on an account without debt (HF = max) is cleared like any recovered account.
    return snapshot.flaggedAt !== 0n ? { kind: "unflag", account, healthFactor: 2n ** 256n - 1n } : { kind: "none" };
  }
  // Judged as `flag` and `liquidate` judge it: a stale collateral at its last price (R7).
  const h = liquidationHealth(snapshot);
  if (!h.ok) return { kind: "priceUnavailable" };

  if (h.zone === Zone.HEALTHY) {
    // `unflag` reads every price fresh: a recovered account with a stale feed waits for it.
    if (snapshot.flaggedAt === 0n) return { kind: "none" };
    return health(snapshot).ok ? { kind: "unflag", account, healthFactor: h.healthFactor } : { kind: "priceUnavailable" };
  }
  if (h.zone === Zone.SOFT) {
    // Below the grace floor `liquidate` flags by itself; above it, a flag (a new one once the old lapsed) comes first.
    const live = flagLive(snapshot, now);
    if (!live && h.healthFactor >= snapshot.market.risk.graceFloor) return { kind: "flag", account, healthFactor: h.healthFactor };
    const timers = liquidationTimers(snapshot, now);
    if (live && timers.secondsUntilSlice > 0n) return { kind: "wait", until: timers.sliceAllowedAt };
  }

  const index = chooseLiquidationCollateral(snapshot, now);
  if (index < 0) return { kind: "none" };
  const preview = previewLiquidation(snapshot, index, now);
  if (!preview.ok) return { kind: "priceUnavailable" };
  if (!preview.allowed) return preview.allowedAt > 0n ? { kind: "wait", until: preview.allowedAt } : { kind: "none" };
  const collateral = snapshot.market.collaterals[index]!;
  return {
    kind: h.zone === Zone.HARD ? "hardLiquidation" : "softSlice",
    account,
    healthFactor: h.healthFactor,
    collateral: collateral.asset,
    collateralSymbol: collateral.symbol,
    repay: preview.repayCap,
    maxRepay: preview.repayCap + (preview.repayCap * INTEREST_HEADROOM_BPS) / 10_000n + 1n,
    expectedSeized: preview.seized,
    minSeized: (preview.seized * (10_000n - toleranceBps)) / 10_000n,
    bonus: preview.bonus,
  };
}
