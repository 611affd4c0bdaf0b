/**
 * What the borrower typed → either a clear message (submit disabled) or the action with the position after it.
 * Pure: every check runs in the browser on each keystroke, against the last Lens snapshot and wallet balances.
 */
import { WAD, health, type PositionSnapshot } from "@/lib/risk";
import { parseAmount } from "@/lib/format/input";
import { formatAmount, formatHealth } from "@/lib/format/number";
import { preview, safeBorrow, safeWithdraw, unchecked, type Action } from "./preview";

export type FormKind = "topUp" | "repay" | "borrow" | "withdraw";

export type Checked =
  | { ok: true; action: Action; after: PositionSnapshot; note?: string }
  | { ok: false; message: string; after?: PositionSnapshot };

export interface FormInput {
  kind: FormKind;
  /** Collateral index in `market.collaterals` (top up, withdraw). */
  asset: number;
  text: string;
  /** Repay everything, interest included (the amount field is ignored). */
  repayAll?: boolean;
  /** Wallet balance of the token the action spends (collateral for top up, loan asset for repay). */
  walletBalance?: bigint;
}

function stalePriceMessage(s: PositionSnapshot): string | undefined {
  const stale = s.market.collaterals.filter((c) => c.balance > 0n && !c.priceOk).map((c) => c.symbol);
  if (s.debt > 0n && !s.market.loanPriceOk) stale.push(s.market.loanSymbol);
  if (stale.length === 0) return undefined;
  return `The price of ${stale.join(" and ")} is stale, so the market refuses borrowing and withdrawals until the feed updates. Topping up and repaying still work.`;
}

function belowOne(after: PositionSnapshot): string | undefined {
  const h = health(after);
  if (after.debt > 0n && h.ok && h.healthFactor < WAD) {
    return `This would leave health at ${formatHealth(h.healthFactor)}, below 1: the position would enter the soft zone and could be liquidated.`;
  }
  return undefined;
}

export function checkForm(s: PositionSnapshot, input: FormInput): Checked {
  const m = s.market;
  const loan = { symbol: m.loanSymbol, decimals: m.loanDecimals };

  if (input.kind === "repay" && input.repayAll) {
    if (s.debt === 0n) return { ok: false, message: "This position has no debt to repay." };
    if (input.walletBalance !== undefined && input.walletBalance < s.debt) {
      return {
        ok: false,
        message: `Repaying everything needs ${formatAmount(s.debt, loan.decimals)} ${loan.symbol}; your wallet holds ${formatAmount(input.walletBalance, loan.decimals)}.`,
      };
    }
    const action: Action = { kind: "repayAll" };
    const r = preview(s, action);
    if (!r.ok) return { ok: false, message: r.message };
    return {
      ok: true,
      action,
      after: r.snapshot,
      note: "Repays the whole debt, including the interest accrued until the transaction is mined: no dust is left.",
    };
  }

  const collateral = m.collaterals[input.asset];
  const token = input.kind === "topUp" || input.kind === "withdraw" ? collateral : loan;
  if (!token) return { ok: false, message: "Choose a collateral." };
  const parsed = parseAmount(input.text, token.decimals, token.symbol);
  if (!parsed.ok) return parsed;
  const amount = parsed.value;
  const fmt = (v: bigint) => `${formatAmount(v, token.decimals)} ${token.symbol}`;

  switch (input.kind) {
    case "topUp": {
      if (input.walletBalance !== undefined && amount > input.walletBalance) {
        return { ok: false, message: `Your wallet holds only ${fmt(input.walletBalance)}.` };
      }
      const action: Action = { kind: "topUp", asset: input.asset, amount };
      const r = preview(s, action);
      return r.ok ? { ok: true, action, after: r.snapshot } : { ok: false, message: r.message };
    }
    case "repay": {
      if (s.debt === 0n) return { ok: false, message: "This position has no debt to repay." };
      if (amount > s.debt) {
        return { ok: false, message: `That is more than the debt (${fmt(s.debt)}). Choose “Repay all” to close the debt.` };
      }
      if (input.walletBalance !== undefined && amount > input.walletBalance) {
        return { ok: false, message: `Your wallet holds only ${fmt(input.walletBalance)}.` };
      }
      const action: Action = { kind: "repay", amount };
      const r = preview(s, action);
      return r.ok ? { ok: true, action, after: r.snapshot } : { ok: false, message: r.message };
    }
    case "borrow": {
      if (m.borrowPaused) {
        return { ok: false, message: "Borrowing is paused on this market by its guardian. Repaying and topping up still work." };
      }
      const stale = stalePriceMessage(s);
      if (stale) return { ok: false, message: stale };
      if (amount > m.availableLiquidity) {
        return { ok: false, message: `The market can lend only ${fmt(m.availableLiquidity)} right now.` };
      }
      const action: Action = { kind: "borrow", amount };
      const r = preview(s, action);
      if (r.ok) return { ok: true, action, after: r.snapshot };
      const after = unchecked(s, action);
      const low = belowOne(after);
      if (low) return { ok: false, message: low, after };
      const limit = safeBorrow(s);
      if (!limit.ok) return { ok: false, message: limit.message, after };
      if (amount > limit.amount) {
        return {
          ok: false,
          message:
            limit.amount === 0n
              ? "Your collateral gives no more borrowing power: top up first."
              : `You can borrow at most ${fmt(limit.amount)}: your borrowing power (collateral × LTV) must cover the debt.`,
          after,
        };
      }
      return { ok: false, message: r.message, after };
    }
    case "withdraw": {
      if (!collateral) return { ok: false, message: "Choose a collateral." };
      if (m.withdrawPaused || collateral.paused) {
        return {
          ok: false,
          message: `Withdrawals of ${collateral.symbol} are paused by the market's guardian. Repaying and topping up still work.`,
        };
      }
      if (amount > collateral.balance) {
        return { ok: false, message: `The position holds only ${fmt(collateral.balance)}.` };
      }
      if (s.debt > 0n) {
        const stale = stalePriceMessage(s);
        if (stale) return { ok: false, message: stale };
      }
      const action: Action = { kind: "withdraw", asset: input.asset, amount };
      const r = preview(s, action);
      if (r.ok) return { ok: true, action, after: r.snapshot };
      const after = unchecked(s, action);
      const low = belowOne(after);
      if (low) return { ok: false, message: low, after };
      const limit = safeWithdraw(s, input.asset);
      if (!limit.ok) return { ok: false, message: limit.message, after };
      if (amount > limit.amount) {
        return {
          ok: false,
          message: `You can withdraw at most ${fmt(limit.amount)}: the rest backs your debt (borrowing power must cover it).`,
          after,
        };
      }
      return { ok: false, message: r.message, after };
    }
  }
}

export interface OpenInput {
  /** Text typed per collateral, in `market.collaterals` order; blank means none of that one. */
  deposits: readonly string[];
  borrow: string;
  /** Wallet balances per collateral, same order. */
  walletBalances?: readonly bigint[];
}

export type CheckedOpen =
  | { ok: true; deposits: bigint[]; borrow: bigint; after: PositionSnapshot }
  | { ok: false; message: string; field?: number | "borrow"; after?: PositionSnapshot };

/** The /borrow form: several collateral amounts and one borrow, checked together. */
export function checkOpen(s: PositionSnapshot, input: OpenInput): CheckedOpen {
  const m = s.market;
  const deposits: bigint[] = m.collaterals.map(() => 0n);
  for (const [i, c] of m.collaterals.entries()) {
    const text = input.deposits[i] ?? "";
    if (text.trim() === "") continue;
    const parsed = parseAmount(text, c.decimals, c.symbol);
    if (!parsed.ok) return { ok: false, message: `${c.symbol}: ${parsed.message}`, field: i };
    const wallet = input.walletBalances?.[i];
    if (wallet !== undefined && parsed.value > wallet) {
      return {
        ok: false,
        message: `${c.symbol}: your wallet holds only ${formatAmount(wallet, c.decimals)} ${c.symbol}.`,
        field: i,
      };
    }
    deposits[i] = parsed.value;
  }
  const hasCollateral = deposits.some((d) => d > 0n) || m.collaterals.some((c) => c.balance > 0n);
  if (!hasCollateral) return { ok: false, message: "Enter an amount for at least one collateral.", field: 0 };

  const staleChosen = m.collaterals.filter((c, i) => (deposits[i]! > 0n || c.balance > 0n) && !c.priceOk);
  if (staleChosen.length > 0 || !m.loanPriceOk) {
    const names = staleChosen.map((c) => c.symbol);
    if (!m.loanPriceOk) names.push(m.loanSymbol);
    return {
      ok: false,
      message: `The price of ${names.join(" and ")} is stale, so the market refuses to lend against it until the feed updates.`,
    };
  }

  const parsedBorrow = parseAmount(input.borrow, m.loanDecimals, m.loanSymbol);
  if (!parsedBorrow.ok) return { ok: false, message: `Borrow: ${parsedBorrow.message}`, field: "borrow" };
  const borrow = parsedBorrow.value;
  if (m.borrowPaused) {
    return { ok: false, message: "Borrowing is paused on this market by its guardian.", field: "borrow" };
  }
  const depositsOnly = preview(s, { kind: "open", deposits, borrow: 0n });
  const afterDeposits = depositsOnly.ok ? depositsOnly.snapshot : s;
  const checkedOpen = preview(s, { kind: "open", deposits, borrow });
  const after = checkedOpen.ok ? checkedOpen.snapshot : unchecked(s, { kind: "open", deposits, borrow });
  if (borrow > m.availableLiquidity) {
    return {
      ok: false,
      message: `The market can lend only ${formatAmount(m.availableLiquidity, m.loanDecimals)} ${m.loanSymbol} right now.`,
      field: "borrow",
      after,
    };
  }
  const low = belowOne(after);
  if (low) return { ok: false, message: low, field: "borrow", after };
  const limit = safeBorrow(afterDeposits);
  if (!limit.ok) return { ok: false, message: limit.message, field: "borrow", after };
  if (borrow > limit.amount) {
    return {
      ok: false,
      message: `With this collateral you can borrow at most ${formatAmount(limit.amount, m.loanDecimals)} ${m.loanSymbol} (collateral × LTV).`,
      field: "borrow",
      after,
    };
  }
  if (!checkedOpen.ok) return { ok: false, message: checkedOpen.message, field: "borrow", after };
  return { ok: true, deposits, borrow, after };
}
