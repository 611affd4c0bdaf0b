/**
 * What the borrower typed → either a clear message (submit disabled) or the intent with the position after it.
 * The verdicts are lib/risk's (`judgeIntent`, `judgeDeposits`): this module parses the fields and words them.
 * Pure: it runs in the browser on each keystroke, against the last Lens snapshot and wallet balances.
 */
import { judgeDeposits, judgeIntent, Zone, type Intent, type Judgement, type PositionSnapshot, type Verdict } from "@/lib/risk";
import { parseAmount } from "@/lib/format/input";
import { formatAmount, formatHealth, formatPercent } from "@/lib/format/number";

export type FormKind = "topUp" | "repay" | "borrow" | "withdraw";

export type Checked =
  | { ok: true; action: Intent; after: PositionSnapshot; note?: string }
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

/** Which form asks: the same verdict reads a little differently on the position page and on /borrow. */
type Form = FormKind | "repayAll" | "open";

/** One sentence per verdict, naming the token and the numbers. */
export function describeVerdict(s: PositionSnapshot, verdict: Verdict, form: Form): string {
  const m = s.market;
  const tokenOf = (asset: number | "loan") =>
    asset === "loan" ? { symbol: m.loanSymbol, decimals: m.loanDecimals } : (m.collaterals[asset] ?? { symbol: "", decimals: 0 });
  const amount = (value: bigint, asset: number | "loan") => {
    const t = tokenOf(asset);
    return `${formatAmount(value, t.decimals)} ${t.symbol}`;
  };
  switch (verdict.reason) {
    case "NO_DEBT":
      return "This position has no debt to repay.";
    case "NO_COLLATERAL":
      return "Enter an amount for at least one collateral.";
    case "UNKNOWN_COLLATERAL":
      return "Choose a collateral.";
    case "ABOVE_DEBT":
      return `That is more than the debt (${amount(verdict.debt, "loan")}). Choose “Repay all” to close the debt.`;
    case "INSUFFICIENT_WALLET_BALANCE": {
      const { symbol, decimals } = tokenOf(verdict.asset);
      if (form === "repayAll") {
        return `Repaying everything needs ${amount(verdict.needed, "loan")}; your wallet holds ${formatAmount(verdict.held, decimals)}.`;
      }
      if (form === "open") return `${symbol}: your wallet holds only ${amount(verdict.held, verdict.asset)}.`;
      return `Your wallet holds only ${amount(verdict.held, verdict.asset)}.`;
    }
    case "INSUFFICIENT_BALANCE":
      return `The position holds only ${amount(verdict.balance, verdict.asset)}.`;
    case "BORROW_PAUSED":
      return form === "open"
        ? "Borrowing is paused on this market by its guardian."
        : "Borrowing is paused on this market by its guardian. Repaying and topping up still work.";
    case "WITHDRAW_PAUSED":
      return `Withdrawals of ${tokenOf(verdict.asset).symbol} are paused by the market's guardian. Repaying and topping up still work.`;
    case "STALE_PRICE": {
      const names = verdict.symbols.join(" and ");
      return form === "open"
        ? `The price of ${names} is stale, so the market refuses to lend against it until the feed updates.`
        : `The price of ${names} is stale, so the market refuses borrowing and withdrawals until the feed updates. Topping up and repaying still work.`;
    }
    case "INSUFFICIENT_LIQUIDITY":
      return `The market can lend only ${amount(verdict.available, "loan")} right now.`;
    case "BELOW_ONE": {
      const hf = formatHealth(verdict.healthFactor);
      const r = m.risk;
      if (verdict.zone === Zone.HARD) {
        const share = verdict.hardRepay > 0n ? ` up to ${formatPercent(verdict.hardShare, 0)} of the debt (${amount(verdict.hardRepay, "loan")})` : "";
        const bonus = verdict.hardRepay > 0n ? ` at a ${formatPercent(verdict.hardBonus, 1)} bonus` : "";
        return `This would leave health at ${hf}, below ${formatHealth(r.hardHealth)}: the position would be in the hard zone and could be liquidated at once,${share}${bonus}, with no grace period.`;
      }
      if (verdict.healthFactor < r.graceFloor) {
        return `This would leave health at ${hf}, below ${formatHealth(r.graceFloor)}: the position would be deep in the soft zone and could be sold in slices at once, with no grace period.`;
      }
      const grace = r.gracePeriod % 60 === 0 ? `${r.gracePeriod / 60} min` : `${r.gracePeriod} s`;
      return `This would leave health at ${hf}, below 1: the position would enter the soft zone, where it can be flagged and, after a ${grace} grace period, sold in slices.`;
    }
    case "ABOVE_MAX_BORROW":
      if (form === "open") return `With this collateral you can borrow at most ${amount(verdict.max, "loan")} (collateral × LTV).`;
      return verdict.max === 0n
        ? "Your collateral gives no more borrowing power: top up first."
        : `You can borrow at most ${amount(verdict.max, "loan")}: your borrowing power (collateral × LTV) must cover the debt.`;
    case "ABOVE_MAX_WITHDRAW":
      return `You can withdraw at most ${amount(verdict.max, verdict.asset)}: the rest backs your debt (borrowing power must cover it).`;
    case "REFUSED":
      return verdict.message;
  }
}

function worded(s: PositionSnapshot, judgement: Judgement, form: Form, note?: string): Checked {
  if (judgement.ok) return { ok: true, action: judgement.intent, after: judgement.after, ...(note ? { note } : {}) };
  const message = describeVerdict(s, judgement.verdict, form);
  return judgement.after ? { ok: false, message, after: judgement.after } : { ok: false, message };
}

export function checkForm(s: PositionSnapshot, input: FormInput): Checked {
  const m = s.market;
  const wallet = input.walletBalance;

  if (input.kind === "repay" && input.repayAll) {
    return worded(
      s,
      judgeIntent(s, { kind: "repayAll" }, { loan: wallet }),
      "repayAll",
      "Repays the whole debt, including the interest accrued until the transaction is mined: no dust is left.",
    );
  }

  const usesCollateral = input.kind === "topUp" || input.kind === "withdraw";
  const token = usesCollateral ? m.collaterals[input.asset] : { symbol: m.loanSymbol, decimals: m.loanDecimals };
  if (!token) return { ok: false, message: describeVerdict(s, { reason: "UNKNOWN_COLLATERAL" }, input.kind) };
  const parsed = parseAmount(input.text, token.decimals, token.symbol);
  if (!parsed.ok) return parsed;
  const amount = parsed.value;

  const collaterals = m.collaterals.map((_, i) => (i === input.asset ? wallet : undefined));
  switch (input.kind) {
    case "topUp":
      return worded(s, judgeIntent(s, { kind: "topUp", asset: input.asset, amount }, { collaterals }), input.kind);
    case "withdraw":
      return worded(s, judgeIntent(s, { kind: "withdraw", asset: input.asset, amount }), input.kind);
    case "repay":
      return worded(s, judgeIntent(s, { kind: "repay", amount }, { loan: wallet }), input.kind);
    case "borrow":
      return worded(s, judgeIntent(s, { kind: "borrow", amount }), input.kind);
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

/** The field a /borrow verdict points at: a collateral's amount, the borrow amount, or none (stale prices). */
function openField(verdict: Verdict): number | "borrow" | undefined {
  switch (verdict.reason) {
    case "INSUFFICIENT_WALLET_BALANCE":
      return verdict.asset === "loan" ? "borrow" : verdict.asset;
    case "NO_COLLATERAL":
      return 0;
    case "STALE_PRICE":
      return undefined;
    default:
      return "borrow";
  }
}

/** The /borrow form: several collateral amounts and one borrow, checked together. */
export function checkOpen(s: PositionSnapshot, input: OpenInput): CheckedOpen {
  const m = s.market;
  const deposits: bigint[] = m.collaterals.map(() => 0n);
  for (const [i, c] of m.collaterals.entries()) {
    const text = input.deposits[i] ?? "";
    if (text.trim() === "") continue;
    const parsed = parseAmount(text, c.decimals, c.symbol);
    if (!parsed.ok) return { ok: false, message: `${c.symbol}: ${parsed.message}`, field: i };
    deposits[i] = parsed.value;
  }
  const refused = (verdict: Verdict, after?: PositionSnapshot): CheckedOpen => {
    const field = openField(verdict);
    return {
      ok: false,
      message: describeVerdict(s, verdict, "open"),
      ...(field !== undefined ? { field } : {}),
      ...(after ? { after } : {}),
    };
  };
  const wallet = { collaterals: input.walletBalances };
  // The collateral's verdict comes first: it does not need a borrow amount yet.
  const collateral = judgeDeposits(s, deposits, wallet);
  if (collateral) return refused(collateral);

  const parsedBorrow = parseAmount(input.borrow, m.loanDecimals, m.loanSymbol);
  if (!parsedBorrow.ok) return { ok: false, message: `Borrow: ${parsedBorrow.message}`, field: "borrow" };
  const borrow = parsedBorrow.value;
  const judged = judgeIntent(s, { kind: "open", deposits, borrow }, wallet);
  if (!judged.ok) return refused(judged.verdict, judged.after);
  return { ok: true, deposits, borrow, after: judged.after };
}
