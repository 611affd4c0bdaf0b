/**
 * The liquidation floor of one position along a price path: the collateral a prompt, bonus-free liquidator must
 * sell to keep the account at HF >= 1 after every price update, never selling more than it must.
 *
 * The model. At each update of the path, with the account's balances and debt as the floor's own earlier sales left
 * them: if HF >= 1 nothing is sold; otherwise collateral is sold at the oracle price of that update, at no bonus, and
 * every dollar sold repays a dollar of debt, until HF is back to 1 (the market's own health formula and rounding).
 * The sale goes through the collateral with the lowest liquidation threshold first, then the next lowest, and so on.
 * When the collateral is worth less than the debt (a price gap deeper than the margin), no sale can restore HF 1: the
 * floor sells all of it and the rest of the debt is bad debt (reported in `insolvency`).
 *
 * Why lowest LT first is least, at each update (proved, and checked by `floor.test.ts`). Selling value `v_i` of
 * collateral `i` at bonus `b_i >= 0` lowers collateral power by `v_i · LT_i` and debt by `v_i / (1 + b_i)`, so the
 * account is back at HF >= 1 only if `Σ v_i · (1/(1 + b_i) − LT_i) >= D − P` (D debt value, P power). Since
 * `1/(1 + b_i) <= 1`, any such sale also has `Σ v_i · (1 − LT_i) >= D − P`, and the least `Σ v_i` under that
 * constraint with `v_i` at most each collateral's value is a fractional knapsack: fill by the largest `1 − LT_i`,
 * i.e. the lowest LT first. So from a given state, no sale of any mix, bonus or size restores HF 1 with less value.
 *
 * What it is not: the least over every schedule along a whole path. Causal rules cannot be: a liquidator that sells
 * more than needed (or through a higher-LT collateral) while prices are still high leaves less to sell after a
 * further fall, and one that lets an account sit below HF 1 (a grace period) sells nothing if prices recover first.
 * Both can end below this floor (`floor.test.ts` shows one), so volume ÷ floor below 1 is possible and means one of
 * those. What holds along a path (proved in `floor.test.ts`'s comments, checked there): for a single collateral
 * and no interest, any schedule that, at each update where HF < 1, either restores exactly HF 1 or repays the whole
 * debt, at any bonuses >= 0, sells at least the floor.
 *
 * Interest: when path points carry timestamps, debt accrues as `projectBorrowIndex` predicts from the snapshot
 * (utilisation of the snapshot held); without timestamps the debt changes only by the floor's repayments.
 */
import { WAD, ceilDiv, collateralValue, debtFromScaled, debtValue, min, pow10 } from "./math";
import { projectBorrowIndex } from "./position";
import type { PositionSnapshot, Result } from "./types";

/** One price update of the path. */
export interface FloorPoint {
  /** USD price (WAD) of every collateral, in `market.collaterals` order (0 for an unavailable price). */
  readonly prices: readonly bigint[];
  /** USD price (WAD) of the loan asset; the snapshot's when omitted. */
  readonly loanPrice?: bigint;
  /** Time of the update (seconds); when given, debt accrues interest from the snapshot's time. */
  readonly timestamp?: bigint;
}

/** One sale the floor makes. */
export interface FloorSale {
  /** Index of the update in the path. */
  readonly step: number;
  /** Index of the collateral in `market.collaterals`. */
  readonly collateral: number;
  /** Base units sold. */
  readonly amount: bigint;
  /** USD value (WAD) at that update's price. */
  readonly value: bigint;
  /** Debt repaid, loan units. */
  readonly repaid: bigint;
}

export interface LiquidationFloor {
  /** Σ value sold (WAD USD, each sale at the price of its update). */
  readonly volume: bigint;
  /** The same, per collateral (`market.collaterals` order). */
  readonly volumeByCollateral: readonly bigint[];
  /** Σ debt repaid, loan units. */
  readonly repaid: bigint;
  /** Updates at which the floor had to sell. */
  readonly updatesWithSales: number;
  /** Every sale, in order (empty when `recordSales` is false). */
  readonly sales: readonly FloorSale[];
  /** The first update at which the collateral was worth less than the debt; the account was closed there. */
  readonly insolvency: { readonly step: number; readonly badDebt: bigint } | null;
  /** Balances after the path. */
  readonly balances: readonly bigint[];
  /** Debt after the path (loan units, accrued to the last timestamp given). */
  readonly debt: bigint;
}

export type FloorError = "PRICE_UNAVAILABLE" | "BAD_PATH";

/** Collateral indices in the order the floor sells them: lowest LT first (ties: lowest index). */
export function floorSaleOrder(s: PositionSnapshot): number[] {
  return s.market.collaterals
    .map((c, i) => ({ i, lt: c.lt }))
    .sort((a, b) => (a.lt === b.lt ? a.i - b.i : a.lt < b.lt ? -1 : 1))
    .map((x) => x.i);
}

/** Rounding can leave HF a hair under 1 after a pass; each further pass sells at least one base unit. */
const MAX_PASSES = 8;

/**
 * The floor for position `s` along `path` (see the module comment). Returns a typed error, never throws, when a
 * point has the wrong number of prices, time goes backwards, or a price the account needs is missing.
 */
export function liquidationFloor(
  s: PositionSnapshot,
  path: readonly FloorPoint[],
  options: { recordSales?: boolean } = {},
): Result<LiquidationFloor, FloorError> {
  const record = options.recordSales ?? true;
  const m = s.market;
  const cs = m.collaterals;
  const n = cs.length;
  const order = floorSaleOrder(s);
  const balances = cs.map((c) => c.balance);
  let scaled = s.scaledDebt;
  // A snapshot without scaled debt (hand-built) still carries its debt: index 1 on the debt itself.
  const useIndex = !(scaled === 0n && s.debt !== 0n);
  if (!useIndex) scaled = s.debt;
  let volume = 0n;
  let repaidTotal = 0n;
  let updatesWithSales = 0;
  let insolvency: LiquidationFloor["insolvency"] = null;
  const volumeByCollateral: bigint[] = new Array(n).fill(0n);
  const sales: FloorSale[] = [];
  let lastTime = s.timestamp;
  let debt = s.debt;

  for (let k = 0; k < path.length; k++) {
    const point = path[k]!;
    if (point.prices.length !== n) {
      return { ok: false, reason: "BAD_PATH", message: `Update ${k} has ${point.prices.length} prices for ${n} collaterals.` };
    }
    let index = m.borrowIndex;
    if (point.timestamp !== undefined) {
      if (point.timestamp < lastTime) {
        return { ok: false, reason: "BAD_PATH", message: `Update ${k} is at ${point.timestamp}, before the previous time ${lastTime}.` };
      }
      lastTime = point.timestamp;
      if (useIndex) index = projectBorrowIndex(m, point.timestamp);
    }
    debt = scaled === 0n ? 0n : useIndex ? debtFromScaled(scaled, index) : scaled;
    if (debt === 0n) continue;
    const loanPrice = point.loanPrice ?? m.loanPrice;
    if (loanPrice <= 0n) return { ok: false, reason: "PRICE_UNAVAILABLE", message: `Update ${k} has no loan-asset price.` };
    for (let i = 0; i < n; i++) {
      if (balances[i] !== 0n && point.prices[i]! <= 0n) {
        return { ok: false, reason: "PRICE_UNAVAILABLE", message: `Update ${k} has no price for ${cs[i]!.symbol}, which the account holds.` };
      }
    }

    const state = () => {
      let value = 0n;
      let power = 0n;
      const values: bigint[] = new Array(n);
      for (let i = 0; i < n; i++) {
        const v = balances[i] === 0n ? 0n : collateralValue(balances[i]!, point.prices[i]!, cs[i]!.decimals);
        values[i] = v;
        value += v;
        power += (v * cs[i]!.lt) / WAD;
      }
      return { values, value, power, debtValue: debtValue(debt, loanPrice, m.loanDecimals) };
    };

    /** Sells `amount` of collateral `i`, worth `value`, repaying `repay` loan units of debt (at most the debt). */
    const sell = (i: number, amount: bigint, value: bigint, repay: bigint) => {
      const repaid = min(debt, repay);
      balances[i] = balances[i]! - amount;
      if (repaid === debt) {
        scaled = 0n;
      } else if (useIndex) {
        const scaledRepaid = (repaid * WAD) / index;
        scaled = scaled > scaledRepaid ? scaled - scaledRepaid : 0n;
      } else {
        scaled -= repaid;
      }
      debt = scaled === 0n ? 0n : useIndex ? debtFromScaled(scaled, index) : scaled;
      volume += value;
      volumeByCollateral[i] = volumeByCollateral[i]! + value;
      repaidTotal += repaid;
      if (record) sales.push({ step: k, collateral: i, amount, value, repaid });
    };
    // No bonus: a sale of value v repays v of debt (loan units rounded down: the liquidator never overpays).
    const repayFor = (value: bigint) => (value * pow10(m.loanDecimals)) / loanPrice;

    let st = state();
    if (st.power >= st.debtValue) continue;
    updatesWithSales++;

    if (st.value < st.debtValue) {
      // Insolvent at this price: even selling everything cannot restore HF 1. The account is closed.
      const debtBefore = debt;
      let repaidHere = 0n;
      for (const i of order) {
        if (balances[i] === 0n) continue;
        const before = repaidTotal;
        sell(i, balances[i]!, st.values[i]!, repayFor(st.values[i]!));
        repaidHere += repaidTotal - before;
      }
      insolvency ??= { step: k, badDebt: debtBefore - repaidHere };
      scaled = 0n;
      debt = 0n;
      continue;
    }

    for (let pass = 0; pass < MAX_PASSES && st.power < st.debtValue && debt !== 0n; pass++) {
      let deficit = st.debtValue - st.power;
      for (const i of order) {
        if (deficit <= 0n || debt === 0n) break;
        const balance = balances[i]!;
        if (balance === 0n) continue;
        const c = cs[i]!;
        const price = point.prices[i]!;
        const room = WAD - c.lt; // power freed per unit of debt repaid, net
        // Debt to repay in whole loan units, rounded up so each sale makes progress; the collateral given for it
        // is rounded up to whole base units.
        const repay = ceilDiv(ceilDiv(deficit * WAD, room) * pow10(m.loanDecimals), loanPrice);
        const need = ceilDiv(repay * loanPrice, pow10(m.loanDecimals));
        if (need >= st.values[i]!) {
          sell(i, balance, st.values[i]!, repayFor(st.values[i]!));
          deficit -= (st.values[i]! * room) / WAD;
          continue;
        }
        let amount = ceilDiv(need * pow10(c.decimals), price);
        if (amount > balance) amount = balance;
        // the whole value of the base units sold repays debt (>= `repay`, as value >= need)
        const value = collateralValue(amount, price, c.decimals);
        sell(i, amount, value, repayFor(value));
        deficit = 0n;
      }
      st = state();
    }
  }

  return {
    ok: true,
    volume,
    volumeByCollateral,
    repaid: repaidTotal,
    updatesWithSales,
    sales,
    insolvency,
    balances,
    debt,
  };
}
