/**
 * Borrower actions expressed as changes to a Lens snapshot; every number (HF, zone, limits, liquidation prices)
 * comes from lib/risk. Pure and synchronous: the forms call it on every keystroke without touching the network.
 */
import {
  WAD,
  health,
  liquidationPrices,
  maxBorrow,
  maxWithdraw,
  mulDivDown,
  mulDivUp,
  withChanges,
  type LiquidationPrice,
  type PositionSnapshot,
  type Zone,
} from "@/lib/risk";

export type Action =
  | { kind: "topUp"; asset: number; amount: bigint }
  | { kind: "withdraw"; asset: number; amount: bigint }
  | { kind: "borrow"; amount: bigint }
  | { kind: "repay"; amount: bigint }
  | { kind: "repayAll" }
  | { kind: "open"; deposits: readonly bigint[]; borrow: bigint };

/** The position after `action`, as the market would record it (deposits add, repays round against the payer). */
export function applyAction(s: PositionSnapshot, action: Action): PositionSnapshot {
  const balances = s.market.collaterals.map((c) => c.balance);
  const index = s.market.borrowIndex;
  switch (action.kind) {
    case "topUp":
      balances[action.asset] = (balances[action.asset] ?? 0n) + action.amount;
      return withChanges(s, { balances });
    case "withdraw": {
      const current = balances[action.asset] ?? 0n;
      balances[action.asset] = current > action.amount ? current - action.amount : 0n;
      return withChanges(s, { balances });
    }
    case "borrow":
      return withChanges(s, {
        scaledDebt: s.scaledDebt + mulDivUp(action.amount, WAD, index),
        cashDelta: -action.amount,
      });
    case "repay": {
      if (action.amount >= s.debt) return withChanges(s, { scaledDebt: 0n, cashDelta: s.debt });
      const scaledRepaid = mulDivDown(action.amount, WAD, index);
      return withChanges(s, {
        scaledDebt: s.scaledDebt > scaledRepaid ? s.scaledDebt - scaledRepaid : 0n,
        cashDelta: action.amount,
      });
    }
    case "repayAll":
      return withChanges(s, { scaledDebt: 0n, cashDelta: s.debt });
    case "open": {
      const deposited = action.deposits.map((d, i) => (balances[i] ?? 0n) + d);
      const afterDeposits = withChanges(s, { balances: deposited });
      return action.borrow > 0n ? applyAction(afterDeposits, { kind: "borrow", amount: action.borrow }) : afterDeposits;
    }
  }
}

export interface RiskSummary {
  /** false when a price the position needs is stale or invalid. */
  ok: boolean;
  hasDebt: boolean;
  healthFactor: bigint;
  zone: Zone;
  borrowPower: bigint;
  debtValue: bigint;
  collateralValue: bigint;
  prices: LiquidationPrice[];
}

export function summarize(s: PositionSnapshot): RiskSummary {
  const h = health(s);
  return {
    ok: h.ok,
    hasDebt: s.debt > 0n,
    healthFactor: h.healthFactor,
    zone: h.zone,
    borrowPower: h.borrowPower,
    debtValue: h.debtValue,
    collateralValue: h.collateralValue,
    prices: liquidationPrices(s),
  };
}

/** Smallest x in [lo, hi] with pred(x) true, for a monotone pred; undefined when even hi fails. */
function firstTrue(lo: bigint, hi: bigint, pred: (x: bigint) => boolean): bigint | undefined {
  if (lo > hi || !pred(hi)) return undefined;
  while (lo < hi) {
    const mid = (lo + hi) / 2n;
    if (pred(mid)) hi = mid;
    else lo = mid + 1n;
  }
  return lo;
}

const backToHealthy = (s: PositionSnapshot) => {
  const h = health(s);
  return h.ok && h.healthFactor >= WAD;
};

/**
 * Least top-up of collateral `asset` that brings HF back to >= 1 (the flag then clears in the same transaction),
 * searched over the risk engine's health; undefined when the price is unavailable or the asset cannot do it alone
 * within `ceiling`.
 */
export function topUpToLeaveSoft(s: PositionSnapshot, asset: number, ceiling: bigint): bigint | undefined {
  const c = s.market.collaterals[asset];
  if (!c || !c.priceOk || s.debt === 0n) return undefined;
  if (backToHealthy(s)) return 0n;
  return firstTrue(1n, ceiling, (x) => backToHealthy(applyAction(s, { kind: "topUp", asset, amount: x })));
}

/** Least partial repay that brings HF back to >= 1; at most the whole debt (which always does). */
export function repayToLeaveSoft(s: PositionSnapshot): bigint | undefined {
  if (s.debt === 0n) return undefined;
  if (backToHealthy(s)) return 0n;
  return firstTrue(1n, s.debt, (x) => backToHealthy(applyAction(s, { kind: "repay", amount: x })));
}

/** Largest borrow the market accepts now (borrow power covers the debt, liquidity allows), or the reason why not. */
export function safeBorrow(s: PositionSnapshot) {
  return maxBorrow(s);
}

export function safeWithdraw(s: PositionSnapshot, asset: number) {
  return maxWithdraw(s, asset);
}
