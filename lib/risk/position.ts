/**
 * Health, zone, borrow power, the largest safe borrow and withdrawal, and liquidation prices of a position,
 * computed from a Lens snapshot exactly as `SoftLandingMarket._health` and `SoftLandingLens.getPosition` do.
 */
import type { Address } from "viem";
import {
  MAX_BORROW_INDEX,
  MAX_UINT256,
  borrowRatePerSecond,
  compound,
  utilization,
  WAD,
  ceilDiv,
  collateralValue,
  debtFromScaled,
  debtValue,
  healthFactorOf,
  mulDivUp,
  pow10,
  searchLastTrue,
  zoneOf,
} from "./math";
import type { CollateralSnapshot, Health, MarketSnapshot, PositionSnapshot, Result } from "./types";
import { Zone } from "./types";

/** Finds a collateral by address (case-insensitive) or by its index in `market.collaterals`. */
export function collateralIndex(s: PositionSnapshot, asset: Address | number): number {
  if (typeof asset === "number") return asset >= 0 && asset < s.market.collaterals.length ? asset : -1;
  const lower = asset.toLowerCase();
  return s.market.collaterals.findIndex((c) => c.asset.toLowerCase() === lower);
}

/** Power (value · LT) of one collateral balance, rounded as the market does. */
export function powerOf(c: CollateralSnapshot, balance: bigint = c.balance): bigint {
  return (collateralValue(balance, c.price, c.decimals) * c.lt) / WAD;
}

/** Borrow power (value · LTV) of one collateral balance; paused collaterals give none. */
export function borrowPowerOf(c: CollateralSnapshot, balance: bigint = c.balance): bigint {
  if (c.paused) return 0n;
  return (collateralValue(balance, c.price, c.decimals) * c.ltv) / WAD;
}

/**
 * Health as the market computes it (`_health`, strict): every held collateral must have a price, and the loan
 * asset too when there is debt; otherwise `ok` is false (the market would revert with the oracle's error).
 */
export function health(s: PositionSnapshot): Health {
  const m = s.market;
  let ok = true;
  let value = 0n;
  let power = 0n;
  let borrowPower = 0n;
  for (const c of m.collaterals) {
    if (c.balance === 0n) continue;
    if (!c.priceOk) {
      ok = false;
      continue;
    }
    const v = collateralValue(c.balance, c.price, c.decimals);
    value += v;
    power += (v * c.lt) / WAD;
    if (!c.paused) borrowPower += (v * c.ltv) / WAD;
  }
  const debt = s.debt;
  if (debt === 0n) {
    return { ok: true, collateralValue: value, collateralPower: power, borrowPower, debt, debtValue: 0n, healthFactor: MAX_UINT256, zone: Zone.HEALTHY };
  }
  if (!m.loanPriceOk) ok = false;
  const dv = m.loanPriceOk ? debtValue(debt, m.loanPrice, m.loanDecimals) : 0n;
  const hf = ok ? healthFactorOf(power, dv) : 0n;
  return { ok, collateralValue: value, collateralPower: power, borrowPower, debt, debtValue: dv, healthFactor: hf, zone: ok ? zoneOf(hf, m.risk.hardHealth) : Zone.HEALTHY };
}

/** Health as `flag` and `liquidate` judge it (docs/liquidation.md R7), with what it adds to `Health`. */
export interface LiquidationHealth extends Health {
  /** Value of the account's largest collateral (WAD). */
  readonly maxCollateralValue: bigint;
}

/**
 * Health as `flag` and `liquidate` see it: every collateral at its last valid price (the Lens reports it in `price`
 * also when `priceOk` is false; 0 when there is none), except `seized`, which must be fresh, as must the loan asset.
 * `ok` false when one of those fresh prices is missing (the market would revert with the oracle's error).
 */
export function liquidationHealth(s: PositionSnapshot, seized: number = -1): LiquidationHealth {
  const m = s.market;
  let ok = m.loanPriceOk;
  let value = 0n;
  let maxValue = 0n;
  let power = 0n;
  let borrowPower = 0n;
  m.collaterals.forEach((c, i) => {
    if (c.balance === 0n) return;
    if (i === seized && !c.priceOk) ok = false;
    const v = collateralValue(c.balance, c.price, c.decimals);
    value += v;
    if (v > maxValue) maxValue = v;
    power += (v * c.lt) / WAD;
    if (!c.paused) borrowPower += (v * c.ltv) / WAD;
  });
  const debt = s.debt;
  if (debt === 0n) {
    return { ok, collateralValue: value, collateralPower: power, borrowPower, debt, debtValue: 0n, healthFactor: MAX_UINT256, zone: Zone.HEALTHY, maxCollateralValue: maxValue };
  }
  const dv = m.loanPriceOk ? debtValue(debt, m.loanPrice, m.loanDecimals) : 0n;
  const hf = ok ? healthFactorOf(power, dv) : 0n;
  return { ok, collateralValue: value, collateralPower: power, borrowPower, debt, debtValue: dv, healthFactor: hf, zone: ok ? zoneOf(hf, m.risk.hardHealth) : Zone.HEALTHY, maxCollateralValue: maxValue };
}

export function healthFactor(s: PositionSnapshot): bigint {
  return health(s).healthFactor;
}

export function zone(s: PositionSnapshot): Zone {
  return health(s).zone;
}

export function borrowPower(s: PositionSnapshot): bigint {
  return health(s).borrowPower;
}

/** Changes to apply to a snapshot; derived fields are recomputed as the Lens would. */
export interface SnapshotChanges {
  /** New balances, in `market.collaterals` order. */
  balances?: readonly bigint[];
  /** New collateral prices (WAD), in `market.collaterals` order. */
  prices?: readonly bigint[];
  loanPrice?: bigint;
  scaledDebt?: bigint;
  flaggedAt?: bigint;
  lastSliceAt?: bigint;
  timestamp?: bigint;
  risk?: PositionSnapshot["market"]["risk"];
  /** Loan asset added to (positive) or taken from (negative) the market's cash. */
  cashDelta?: bigint;
}

/**
 * A new snapshot with `changes` applied and every derived field (values, powers, debt, HF, zone) recomputed with
 * the Lens's formulas. Market aggregates other than cash (total debt, utilisation, rates) are left as they were.
 */
export function withChanges(s: PositionSnapshot, changes: SnapshotChanges): PositionSnapshot {
  const m = s.market;
  const { balances, prices } = changes;
  const collaterals =
    balances || prices
      ? m.collaterals.map((c, i) => {
          const balance = balances?.[i] ?? c.balance;
          const newPrice = prices?.[i];
          if (balance === c.balance && (newPrice === undefined || newPrice === c.price)) return c;
          const price = newPrice ?? c.price;
          const priceOk = newPrice !== undefined ? price > 0n : c.priceOk;
          const value = balance !== 0n && priceOk ? collateralValue(balance, price, c.decimals) : 0n;
          return { ...c, balance, price, priceOk, value };
        })
      : m.collaterals;
  const loanPrice = changes.loanPrice ?? m.loanPrice;
  const loanPriceOk = changes.loanPrice !== undefined ? loanPrice > 0n : m.loanPriceOk;
  const cash = m.cash + (changes.cashDelta ?? 0n);
  const timestamp = changes.timestamp ?? s.timestamp;
  const market = {
    ...m,
    collaterals,
    loanPrice,
    loanPriceOk,
    risk: changes.risk ?? m.risk,
    cash,
    availableLiquidity: changes.cashDelta !== undefined ? (cash > m.insuranceFund ? cash - m.insuranceFund : 0n) : m.availableLiquidity,
    timestamp: changes.timestamp !== undefined ? timestamp : m.timestamp,
  };
  const scaledDebt = changes.scaledDebt ?? s.scaledDebt;
  const debt = changes.scaledDebt !== undefined ? debtFromScaled(scaledDebt, m.borrowIndex) : s.debt;
  const next: Mutable<PositionSnapshot> = {
    ...s,
    market,
    scaledDebt,
    debt,
    flaggedAt: changes.flaggedAt ?? s.flaggedAt,
    lastSliceAt: changes.lastSliceAt ?? s.lastSliceAt,
    timestamp,
  };
  // always recomputed: the input's derived fields may come from anywhere (a hand-built or partial snapshot)
  writeDerived(next);
  return next;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Recomputes the Lens-derived fields (collateralValue, power, borrowPower, debtValue, HF, zone, healthOk). */
export function refreshDerived(s: PositionSnapshot): PositionSnapshot {
  const next: Mutable<PositionSnapshot> = { ...s };
  writeDerived(next);
  return next;
}

/** Fills the derived fields of a snapshot this module just created (never one it was given). */
function writeDerived(s: Mutable<PositionSnapshot>): void {
  const m = s.market;
  let pricesOk = m.loanPriceOk || s.debt === 0n;
  let value = 0n;
  let power = 0n;
  let bp = 0n;
  for (const c of m.collaterals) {
    if (c.balance === 0n) continue;
    if (!c.priceOk) {
      pricesOk = false;
      continue;
    }
    value += c.value;
    power += (c.value * c.lt) / WAD;
    if (!c.paused) bp += (c.value * c.ltv) / WAD;
  }
  const dv = m.loanPriceOk ? debtValue(s.debt, m.loanPrice, m.loanDecimals) : 0n;
  const hf = pricesOk ? healthFactorOf(power, dv) : 0n;
  s.collateralValue = value;
  s.collateralPower = power;
  s.borrowPower = bp;
  s.debtValue = dv;
  s.healthOk = pricesOk;
  s.healthFactor = hf;
  s.zone = pricesOk ? zoneOf(hf, m.risk.hardHealth) : 0;
}

export type LimitError = "PRICE_UNAVAILABLE" | "BORROW_PAUSED" | "WITHDRAW_PAUSED" | "UNKNOWN_COLLATERAL";

/**
 * Largest `assets` that `borrow(assets, …)` accepts now: borrow power stays >= debt value after the debt grows
 * by `mulDivUp(assets, WAD, index)` scaled units, and the market has the liquidity.
 */
export function maxBorrow(s: PositionSnapshot): Result<{ amount: bigint; limitedBy: "collateral" | "liquidity" }, LimitError> {
  const m = s.market;
  if (m.borrowPaused) return { ok: false, reason: "BORROW_PAUSED", message: "Borrowing is paused on this market." };
  const h = health(s);
  if (!h.ok || !m.loanPriceOk) return { ok: false, reason: "PRICE_UNAVAILABLE", message: "A price feed is stale or invalid." };
  const idx = m.borrowIndex;
  const maxDebt = (h.borrowPower * pow10(m.loanDecimals)) / m.loanPrice;
  const fits = (a: bigint) => debtFromScaled(s.scaledDebt + mulDivUp(a, WAD, idx), idx) <= maxDebt;
  const byCollateral = maxDebt > s.debt ? (searchLastTrue(0n, maxDebt - s.debt, fits) ?? 0n) : 0n;
  return byCollateral > m.availableLiquidity
    ? { ok: true, amount: m.availableLiquidity, limitedBy: "liquidity" }
    : { ok: true, amount: byCollateral, limitedBy: "collateral" };
}

/** Largest amount of `asset` that `withdrawCollateral` accepts now (borrow power stays >= debt value). */
export function maxWithdraw(s: PositionSnapshot, asset: Address | number): Result<{ amount: bigint }, LimitError> {
  const i = collateralIndex(s, asset);
  const c = s.market.collaterals[i];
  if (!c) return { ok: false, reason: "UNKNOWN_COLLATERAL", message: "This asset is not a collateral of the market." };
  if (s.market.withdrawPaused || c.paused) {
    return { ok: false, reason: "WITHDRAW_PAUSED", message: `Withdrawals of ${c.symbol} are paused.` };
  }
  if (s.debt === 0n) return { ok: true, amount: c.balance };
  const h = health(s);
  if (!h.ok) return { ok: false, reason: "PRICE_UNAVAILABLE", message: "A price feed is stale or invalid." };
  const others = h.borrowPower - borrowPowerOf(c);
  const amount = searchLastTrue(0n, c.balance, (a) => others + borrowPowerOf(c, c.balance - a) >= h.debtValue) ?? 0n;
  return { ok: true, amount };
}

/** Liquidation prices of one collateral with every other price fixed. */
export interface LiquidationPrice {
  readonly asset: Address;
  readonly symbol: string;
  /** Current price (WAD). */
  readonly price: bigint;
  /** Lowest price (WAD) at which HF >= 1; any lower price puts the account in SOFT or worse. null: never. */
  readonly softStart: bigint | null;
  /** Lowest price (WAD) at which HF >= hardHealth; any lower price puts the account in HARD. null: never. */
  readonly hardStart: bigint | null;
}

/**
 * Lowest price of collateral `i` at which HF >= `threshold` (others fixed), exactly under the contract's
 * rounding: HF >= h ⇔ power >= ceil(h · debtValue / WAD). null when no price of this asset can move HF across
 * the threshold (no balance, no debt, or the other collaterals alone suffice).
 */
export function thresholdPrice(s: PositionSnapshot, i: number, threshold: bigint): bigint | null {
  const c = s.market.collaterals[i];
  if (!c || c.balance === 0n || s.debt === 0n || !s.market.loanPriceOk) return null;
  const h = health(s);
  if (!h.ok) return null;
  const required = ceilDiv(threshold * h.debtValue, WAD);
  const needed = required - (h.collateralPower - powerOf(c));
  if (needed <= 0n) return null;
  const value = ceilDiv(needed * WAD, c.lt);
  return ceilDiv(value * pow10(c.decimals), c.balance);
}

export function liquidationPrices(s: PositionSnapshot): LiquidationPrice[] {
  return s.market.collaterals.map((c, i) => ({
    asset: c.asset,
    symbol: c.symbol,
    price: c.price,
    softStart: thresholdPrice(s, i, WAD),
    hardStart: thresholdPrice(s, i, s.market.risk.hardHealth),
  }));
}

/**
 * The market's borrow index at a later `timestamp`, as `_pendingState` would compute it. Exact when the market last
 * accrued at the snapshot's block (any borrow, repay, deposit-when-flagged or liquidation in that block accrues);
 * otherwise the market compounds from its older accrual at the utilisation of then, and this is an estimate.
 */
export function projectBorrowIndex(m: MarketSnapshot, timestamp: bigint): bigint {
  const elapsed = timestamp - m.timestamp;
  if (elapsed <= 0n || m.totalDebt === 0n) return m.borrowIndex;
  const supplied = m.totalAssets ?? m.cash + m.totalDebt - m.insuranceFund;
  const rate = borrowRatePerSecond(m.rateModel, utilization(m.totalDebt, supplied));
  const index = mulDivUp(m.borrowIndex, compound(rate, elapsed), WAD);
  return index > MAX_BORROW_INDEX ? MAX_BORROW_INDEX : index;
}

/** The account's debt at a later `timestamp` (see `projectBorrowIndex` for when it is exact). */
export function projectDebt(s: PositionSnapshot, timestamp: bigint): bigint {
  return debtFromScaled(s.scaledDebt, projectBorrowIndex(s.market, timestamp));
}
