/**
 * Before → after previews of borrower actions (top up, repay, borrow, withdraw, or several in a row), applied to a
 * snapshot exactly as the market's functions would at the snapshot's block, and the amounts that reach a health
 * target. User input never throws: every failure is a typed reason with a sentence.
 */
import * as dn from "dnum";
import type { Address } from "viem";
import { MAX_UINT256, WAD, ceilDiv, debtFromScaled, mulDivUp, pow10, searchFirstTrue } from "./math";
import {
  borrowPowerOf,
  collateralIndex,
  health,
  liquidationPrices,
  maxBorrow,
  maxWithdraw,
  powerOf,
  withChanges,
  type LimitError,
  type LiquidationPrice,
} from "./position";
import { chooseLiquidationCollateral, quote } from "./liquidation";
import { Zone, type PositionSnapshot, type Result } from "./types";

export type Action =
  | { readonly kind: "topUp"; readonly asset: Address | number; readonly amount: bigint }
  /** `amount` at or above the debt (e.g. MAX_UINT256) repays everything, as the contract does. */
  | { readonly kind: "repay"; readonly amount: bigint }
  | { readonly kind: "borrow"; readonly amount: bigint }
  | { readonly kind: "withdraw"; readonly asset: Address | number; readonly amount: bigint };

export type ActionError =
  | "ZERO_AMOUNT"
  | "NEGATIVE_AMOUNT"
  | "UNKNOWN_COLLATERAL"
  | "NO_DEBT"
  | "BORROW_PAUSED"
  | "WITHDRAW_PAUSED"
  | "INSUFFICIENT_LIQUIDITY"
  | "INSUFFICIENT_COLLATERAL"
  | "INSUFFICIENT_BALANCE"
  | "INSUFFICIENT_WALLET_BALANCE"
  | "PRICE_UNAVAILABLE"
  | "NO_ACTIONS";

/** What the position page shows before and after an action. */
export interface PositionSummary {
  readonly healthFactor: bigint;
  readonly zone: Zone;
  readonly debt: bigint;
  readonly debtValue: bigint;
  readonly collateralValue: bigint;
  readonly borrowPower: bigint;
  readonly flagged: boolean;
  readonly liquidationPrices: readonly LiquidationPrice[];
}

export interface ActionPreview {
  readonly before: PositionSummary;
  readonly after: PositionSummary;
  /** The position after every action. */
  readonly snapshot: PositionSnapshot;
  /** Loan asset actually pulled by repay actions (a repay above the debt pulls only the debt). */
  readonly repaid: bigint;
  /** Loan asset received by borrow actions. */
  readonly borrowed: bigint;
}

export interface PreviewOptions {
  /**
   * The borrower's wallet balances, by token address (lower-case) or by collateral symbol / loan symbol; when given,
   * top-ups and repays beyond them are rejected.
   */
  readonly walletBalances?: Readonly<Record<string, bigint>>;
}

export function summarize(s: PositionSnapshot): PositionSummary {
  const h = health(s);
  return {
    healthFactor: h.healthFactor,
    zone: h.zone,
    debt: s.debt,
    debtValue: h.debtValue,
    collateralValue: h.collateralValue,
    borrowPower: h.borrowPower,
    flagged: s.flaggedAt !== 0n,
    liquidationPrices: liquidationPrices(s),
  };
}

type StepResult = Result<{ snapshot: PositionSnapshot; repaid: bigint; borrowed: bigint }, ActionError>;

const fail = (reason: ActionError, message: string): { ok: false; reason: ActionError; message: string } => ({ ok: false, reason, message });

/** The flag clears when a top-up or repay leaves HF >= 1 (prices read leniently: a bad price just keeps the flag). */
function clearFlagIfHealthy(s: PositionSnapshot): PositionSnapshot {
  if (s.flaggedAt === 0n) return s;
  const h = health(s);
  return h.ok && h.healthFactor >= WAD ? withChanges(s, { flaggedAt: 0n }) : s;
}

function walletBalance(s: PositionSnapshot, options: PreviewOptions, token: Address, symbol: string): bigint | undefined {
  const w = options.walletBalances;
  if (!w) return undefined;
  return w[token.toLowerCase()] ?? w[token] ?? w[symbol];
}

function applyStep(s: PositionSnapshot, action: Action, options: PreviewOptions): StepResult {
  if (action.amount < 0n) return fail("NEGATIVE_AMOUNT", "The amount cannot be negative.");
  if (action.amount === 0n) return fail("ZERO_AMOUNT", "Enter an amount above zero.");
  const m = s.market;
  switch (action.kind) {
    case "topUp": {
      const i = collateralIndex(s, action.asset);
      const c = m.collaterals[i];
      if (!c) return fail("UNKNOWN_COLLATERAL", "This asset is not a collateral of the market.");
      const wallet = walletBalance(s, options, c.asset, c.symbol);
      if (wallet !== undefined && action.amount > wallet) {
        return fail("INSUFFICIENT_WALLET_BALANCE", `Your wallet holds only ${formatUnits(wallet, c.decimals)} ${c.symbol}.`);
      }
      const balances = m.collaterals.map((x, k) => (k === i ? x.balance + action.amount : x.balance));
      return { ok: true, snapshot: clearFlagIfHealthy(withChanges(s, { balances })), repaid: 0n, borrowed: 0n };
    }
    case "repay": {
      if (s.scaledDebt === 0n) return fail("NO_DEBT", "There is no debt to repay.");
      const debt = s.debt;
      const repaid = action.amount >= debt ? debt : action.amount;
      const wallet = walletBalance(s, options, m.loanToken, m.loanSymbol);
      if (wallet !== undefined && repaid > wallet) {
        return fail("INSUFFICIENT_WALLET_BALANCE", `Your wallet holds only ${formatUnits(wallet, m.loanDecimals)} ${m.loanSymbol}.`);
      }
      const scaledRepaid = action.amount >= debt ? s.scaledDebt : (action.amount * WAD) / m.borrowIndex;
      const next = withChanges(s, { scaledDebt: s.scaledDebt - scaledRepaid, cashDelta: repaid });
      return { ok: true, snapshot: clearFlagIfHealthy(next), repaid, borrowed: 0n };
    }
    case "borrow": {
      if (m.borrowPaused) return fail("BORROW_PAUSED", "Borrowing is paused on this market.");
      if (action.amount > m.availableLiquidity) {
        return fail("INSUFFICIENT_LIQUIDITY", `The market can lend only ${formatUnits(m.availableLiquidity, m.loanDecimals)} ${m.loanSymbol} now.`);
      }
      const scaledDebt = s.scaledDebt + mulDivUp(action.amount, WAD, m.borrowIndex);
      const next = withChanges(s, { scaledDebt, cashDelta: -action.amount });
      const h = health(next);
      if (!h.ok) return fail("PRICE_UNAVAILABLE", "A price feed is stale or invalid; borrowing would revert.");
      if (h.borrowPower < h.debtValue) {
        return fail("INSUFFICIENT_COLLATERAL", "This would take the debt above your borrowing power.");
      }
      return { ok: true, snapshot: next.flaggedAt !== 0n ? withChanges(next, { flaggedAt: 0n }) : next, repaid: 0n, borrowed: action.amount };
    }
    case "withdraw": {
      const i = collateralIndex(s, action.asset);
      const c = m.collaterals[i];
      if (!c) return fail("UNKNOWN_COLLATERAL", "This asset is not a collateral of the market.");
      if (m.withdrawPaused || c.paused) return fail("WITHDRAW_PAUSED", `Withdrawals of ${c.symbol} are paused.`);
      if (action.amount > c.balance) {
        return fail("INSUFFICIENT_BALANCE", `Only ${formatUnits(c.balance, c.decimals)} ${c.symbol} is deposited.`);
      }
      const balances = m.collaterals.map((x, k) => (k === i ? x.balance - action.amount : x.balance));
      const next = withChanges(s, { balances });
      if (next.scaledDebt !== 0n) {
        const h = health(next);
        if (!h.ok) return fail("PRICE_UNAVAILABLE", "A price feed is stale or invalid; withdrawing would revert.");
        if (h.borrowPower < h.debtValue) return fail("INSUFFICIENT_COLLATERAL", "Your borrowing power would fall below your debt.");
      }
      return { ok: true, snapshot: next, repaid: 0n, borrowed: 0n };
    }
  }
}

/**
 * Applies one action or several in order (as separate transactions at the snapshot's block) and returns the
 * before/after summaries. A failing step returns its reason, prefixed by its position when there are several.
 */
export function previewActions(
  s: PositionSnapshot,
  actions: Action | readonly Action[],
  options: PreviewOptions = {},
): Result<ActionPreview, ActionError> {
  const list = Array.isArray(actions) ? (actions as readonly Action[]) : [actions as Action];
  if (list.length === 0) return fail("NO_ACTIONS", "Nothing to preview.");
  let current = s;
  let repaid = 0n;
  let borrowed = 0n;
  const spent = new Map<string, bigint>();
  for (const [n, action] of list.entries()) {
    // wallet balances shrink with each top-up / repay in a combination
    const remaining = options.walletBalances ? remainingWallet(current, options.walletBalances, spent) : undefined;
    const r = applyStep(current, action, remaining ? { walletBalances: remaining } : options);
    if (!r.ok) return list.length > 1 ? { ...r, message: `Step ${n + 1} (${action.kind}): ${r.message}` } : r;
    trackSpending(current, action, r.repaid, spent);
    current = r.snapshot;
    repaid += r.repaid;
    borrowed += r.borrowed;
  }
  return { ok: true, before: summarize(s), after: summarize(current), snapshot: current, repaid, borrowed };
}

function trackSpending(s: PositionSnapshot, action: Action, repaid: bigint, spent: Map<string, bigint>) {
  if (action.kind === "topUp") {
    const c = s.market.collaterals[collateralIndex(s, action.asset)];
    if (c) spent.set(c.asset.toLowerCase(), (spent.get(c.asset.toLowerCase()) ?? 0n) + action.amount);
  } else if (action.kind === "repay") {
    const key = s.market.loanToken.toLowerCase();
    spent.set(key, (spent.get(key) ?? 0n) + repaid);
  } else if (action.kind === "borrow") {
    const key = s.market.loanToken.toLowerCase();
    spent.set(key, (spent.get(key) ?? 0n) - action.amount);
  }
}

function remainingWallet(s: PositionSnapshot, w: Readonly<Record<string, bigint>>, spent: Map<string, bigint>): Record<string, bigint> {
  const out: Record<string, bigint> = {};
  const tokens = [
    ...s.market.collaterals.map((c) => ({ asset: c.asset, symbol: c.symbol })),
    { asset: s.market.loanToken, symbol: s.market.loanSymbol },
  ];
  for (const t of tokens) {
    const start = w[t.asset.toLowerCase()] ?? w[t.asset] ?? w[t.symbol];
    if (start !== undefined) out[t.asset.toLowerCase()] = start - (spent.get(t.asset.toLowerCase()) ?? 0n);
  }
  return out;
}

// ───────────────────────────── the forms' intents and their verdicts ─────────────────────────────

/**
 * What a borrower asks for in one go, as the app's forms offer it. Each maps to one or more engine actions and, in
 * lib/chain/flows, to the transactions that carry it out. Collaterals are indices in `market.collaterals`.
 */
export type Intent =
  | { readonly kind: "topUp"; readonly asset: number; readonly amount: bigint }
  | { readonly kind: "withdraw"; readonly asset: number; readonly amount: bigint }
  | { readonly kind: "borrow"; readonly amount: bigint }
  | { readonly kind: "repay"; readonly amount: bigint }
  /** Repay everything, interest included (`repay(type(uint256).max)`): no dust is left. */
  | { readonly kind: "repayAll" }
  /** Open a position (or add to one): a deposit per collateral in market order (0: none), then one borrow. */
  | { readonly kind: "open"; readonly deposits: readonly bigint[]; readonly borrow: bigint };

/** The engine actions an intent performs, in order. */
export function intentActions(intent: Intent): Action[] {
  switch (intent.kind) {
    case "repayAll":
      // The engine, like the market, treats any amount at or above the debt as "repay everything".
      return [{ kind: "repay", amount: MAX_UINT256 }];
    case "open": {
      const steps: Action[] = [];
      intent.deposits.forEach((amount, asset) => amount > 0n && steps.push({ kind: "topUp", asset, amount }));
      if (intent.borrow > 0n) steps.push({ kind: "borrow", amount: intent.borrow });
      return steps;
    }
    default:
      return [intent];
  }
}

/** `previewActions` of an intent: the position after it, checked as the market would check it. */
export function previewIntent(s: PositionSnapshot, intent: Intent, options: PreviewOptions = {}): Result<ActionPreview, ActionError> {
  return previewActions(s, intentActions(intent), options);
}

/**
 * The position an intent would leave even when the market would refuse it, so a form can show how far below
 * health 1 a too-large borrow or withdrawal would go. Only balances and scaled debt change (the engine recomputes
 * the rest); intents the market accepts give the same position as `previewIntent`.
 */
export function assumeIntent(s: PositionSnapshot, intent: Intent): PositionSnapshot {
  const balances = s.market.collaterals.map((c) => c.balance);
  switch (intent.kind) {
    case "withdraw": {
      const current = balances[intent.asset] ?? 0n;
      balances[intent.asset] = current > intent.amount ? current - intent.amount : 0n;
      return withChanges(s, { balances });
    }
    case "borrow":
      // Debt recorded as `borrow` records it: scaled, rounded up.
      return withChanges(s, { scaledDebt: s.scaledDebt + mulDivUp(intent.amount, WAD, s.market.borrowIndex) });
    case "open": {
      const deposited = withChanges(s, { balances: balances.map((b, i) => b + (intent.deposits[i] ?? 0n)) });
      return assumeIntent(deposited, { kind: "borrow", amount: intent.borrow });
    }
    default: {
      const r = previewIntent(s, intent);
      return r.ok ? r.snapshot : s;
    }
  }
}

/**
 * Why an intent cannot be sent, with the numbers a sentence needs. The app words these (components/actions/
 * validate); the checks and their order live here only. `asset` is a collateral index, or "loan".
 */
export type Verdict =
  | { readonly reason: "NO_DEBT" }
  /** /borrow: no collateral typed and none in the position. */
  | { readonly reason: "NO_COLLATERAL" }
  | { readonly reason: "UNKNOWN_COLLATERAL" }
  /** A partial repay above the debt (a full repay is the `repayAll` intent). */
  | { readonly reason: "ABOVE_DEBT"; readonly debt: bigint }
  | { readonly reason: "INSUFFICIENT_WALLET_BALANCE"; readonly asset: number | "loan"; readonly needed: bigint; readonly held: bigint }
  /** A withdrawal above what the position holds. */
  | { readonly reason: "INSUFFICIENT_BALANCE"; readonly asset: number; readonly balance: bigint }
  | { readonly reason: "BORROW_PAUSED" }
  | { readonly reason: "WITHDRAW_PAUSED"; readonly asset: number }
  /** Prices the market would need are stale: borrowing and withdrawing wait for the feeds. */
  | { readonly reason: "STALE_PRICE"; readonly symbols: readonly string[] }
  | { readonly reason: "INSUFFICIENT_LIQUIDITY"; readonly available: bigint }
  /**
   * The position would end below health 1. `zone` says where; in HARD, `hardRepay` (and `hardShare`, the share of the
   * debt after the action, a WAD) and `hardBonus` are what a keeper could repay at once, and at what bonus, through the
   * collateral it would pick (0 when none can be taken).
   */
  | {
      readonly reason: "BELOW_ONE";
      readonly healthFactor: bigint;
      readonly zone: Zone;
      readonly hardRepay: bigint;
      readonly hardShare: bigint;
      readonly hardBonus: bigint;
    }
  | { readonly reason: "ABOVE_MAX_BORROW"; readonly max: bigint }
  | { readonly reason: "ABOVE_MAX_WITHDRAW"; readonly asset: number; readonly max: bigint }
  /** Anything else the engine refuses, with its reason and its own sentence. */
  | { readonly reason: "REFUSED"; readonly error: ActionError | LimitError; readonly message: string };

export type VerdictReason = Verdict["reason"];

export type Judgement =
  | { readonly ok: true; readonly intent: Intent; readonly preview: ActionPreview; readonly after: PositionSnapshot }
  /** `after`: the position a refused intent would leave, when there is one worth showing. */
  | { readonly ok: false; readonly verdict: Verdict; readonly after?: PositionSnapshot };

/** What the borrower's wallet holds of each collateral (market order) and of the loan asset; unknown: unchecked. */
export interface WalletHoldings {
  readonly collaterals?: readonly (bigint | undefined)[];
  readonly loan?: bigint;
}

const refuse = (verdict: Verdict, after?: PositionSnapshot): Judgement =>
  after ? { ok: false, verdict, after } : { ok: false, verdict };

/** Symbols whose price is stale among the collaterals held after the action (`balances`) and the loan asset. */
function stalePrices(s: PositionSnapshot, balances: readonly bigint[], loanNeeded: boolean): string[] {
  const stale = s.market.collaterals.filter((c, i) => (balances[i] ?? 0n) > 0n && !c.priceOk).map((c) => c.symbol);
  if (loanNeeded && !s.market.loanPriceOk) stale.push(s.market.loanSymbol);
  return stale;
}

function belowOne(after: PositionSnapshot): Verdict | undefined {
  const h = health(after);
  if (after.debt === 0n || !h.ok || h.healthFactor >= WAD) return undefined;
  const verdict = { reason: "BELOW_ONE", healthFactor: h.healthFactor, zone: Zone.SOFT as Zone, hardRepay: 0n, hardShare: 0n, hardBonus: 0n } as const;
  if (h.healthFactor >= after.market.risk.hardHealth) return verdict;
  // In HARD nothing waits: what the keeper would take right away, as the engine quotes it.
  const i = chooseLiquidationCollateral(after);
  const q = i >= 0 ? quote(after, i) : undefined;
  return q?.ok
    ? { ...verdict, zone: Zone.HARD, hardRepay: q.repayCap, hardShare: (q.repayCap * WAD) / after.debt, hardBonus: q.bonus }
    : { ...verdict, zone: Zone.HARD };
}

function accepted(s: PositionSnapshot, intent: Intent): Judgement {
  const r = previewIntent(s, intent);
  return r.ok ? { ok: true, intent, preview: r, after: r.snapshot } : refuse({ reason: "REFUSED", error: r.reason, message: r.message });
}

/**
 * A borrow or withdrawal the quick checks passed: accepted, or refused with the most useful reason (below health 1,
 * then above the limit), together with the position it would leave.
 */
function limited(
  s: PositionSnapshot,
  intent: Intent,
  amount: bigint,
  limit: Result<{ amount: bigint }, LimitError>,
  above: (max: bigint) => Verdict,
): Judgement {
  const r = previewIntent(s, intent);
  if (r.ok) return { ok: true, intent, preview: r, after: r.snapshot };
  const after = assumeIntent(s, intent);
  const low = belowOne(after);
  if (low) return refuse(low, after);
  if (!limit.ok) return refuse({ reason: "REFUSED", error: limit.reason, message: limit.message }, after);
  if (amount > limit.amount) return refuse(above(limit.amount), after);
  return refuse({ reason: "REFUSED", error: r.reason, message: r.message }, after);
}

/** /borrow's collateral part on its own (wallet, something to lend against, fresh prices), checked before the borrow. */
export function judgeDeposits(s: PositionSnapshot, deposits: readonly bigint[], wallet: WalletHoldings = {}): Verdict | undefined {
  const m = s.market;
  for (const [i, amount] of deposits.entries()) {
    const held = wallet.collaterals?.[i];
    if (held !== undefined && amount > held) return { reason: "INSUFFICIENT_WALLET_BALANCE", asset: i, needed: amount, held };
  }
  const balances = m.collaterals.map((c, i) => c.balance + (deposits[i] ?? 0n));
  if (!balances.some((b) => b > 0n)) return { reason: "NO_COLLATERAL" };
  const stale = stalePrices(s, balances, true);
  return stale.length > 0 ? { reason: "STALE_PRICE", symbols: stale } : undefined;
}

/**
 * The verdict on an intent, with the checks in the order a borrower should hear about them: what stops everything
 * (no debt, pauses, stale prices, the wallet, the market's liquidity) before what depends on the amount (health 1,
 * the borrow / withdraw limit). Never throws.
 */
export function judgeIntent(s: PositionSnapshot, intent: Intent, wallet: WalletHoldings = {}): Judgement {
  const m = s.market;
  switch (intent.kind) {
    case "repayAll": {
      if (s.debt === 0n) return refuse({ reason: "NO_DEBT" });
      if (wallet.loan !== undefined && wallet.loan < s.debt) {
        return refuse({ reason: "INSUFFICIENT_WALLET_BALANCE", asset: "loan", needed: s.debt, held: wallet.loan });
      }
      return accepted(s, intent);
    }
    case "repay": {
      if (s.debt === 0n) return refuse({ reason: "NO_DEBT" });
      if (intent.amount > s.debt) return refuse({ reason: "ABOVE_DEBT", debt: s.debt });
      if (wallet.loan !== undefined && intent.amount > wallet.loan) {
        return refuse({ reason: "INSUFFICIENT_WALLET_BALANCE", asset: "loan", needed: intent.amount, held: wallet.loan });
      }
      return accepted(s, intent);
    }
    case "topUp": {
      if (!m.collaterals[intent.asset]) return refuse({ reason: "UNKNOWN_COLLATERAL" });
      const held = wallet.collaterals?.[intent.asset];
      if (held !== undefined && intent.amount > held) {
        return refuse({ reason: "INSUFFICIENT_WALLET_BALANCE", asset: intent.asset, needed: intent.amount, held });
      }
      return accepted(s, intent);
    }
    case "borrow": {
      if (m.borrowPaused) return refuse({ reason: "BORROW_PAUSED" });
      const stale = stalePrices(s, m.collaterals.map((c) => c.balance), s.debt > 0n);
      if (stale.length > 0) return refuse({ reason: "STALE_PRICE", symbols: stale });
      if (intent.amount > m.availableLiquidity) return refuse({ reason: "INSUFFICIENT_LIQUIDITY", available: m.availableLiquidity });
      return limited(s, intent, intent.amount, maxBorrow(s), (max) => ({ reason: "ABOVE_MAX_BORROW", max }));
    }
    case "withdraw": {
      const c = m.collaterals[intent.asset];
      if (!c) return refuse({ reason: "UNKNOWN_COLLATERAL" });
      if (m.withdrawPaused || c.paused) return refuse({ reason: "WITHDRAW_PAUSED", asset: intent.asset });
      if (intent.amount > c.balance) return refuse({ reason: "INSUFFICIENT_BALANCE", asset: intent.asset, balance: c.balance });
      if (s.debt > 0n) {
        const stale = stalePrices(s, m.collaterals.map((x) => x.balance), true);
        if (stale.length > 0) return refuse({ reason: "STALE_PRICE", symbols: stale });
      }
      const asset = intent.asset;
      return limited(s, intent, intent.amount, maxWithdraw(s, asset), (max) => ({ reason: "ABOVE_MAX_WITHDRAW", asset, max }));
    }
    case "open": {
      const collateral = judgeDeposits(s, intent.deposits, wallet);
      if (collateral) return refuse(collateral);
      if (m.borrowPaused) return refuse({ reason: "BORROW_PAUSED" });
      const depositsOnly = previewIntent(s, { kind: "open", deposits: intent.deposits, borrow: 0n });
      const afterDeposits = depositsOnly.ok ? depositsOnly.snapshot : s;
      const full = previewIntent(s, intent);
      const after = full.ok ? full.snapshot : assumeIntent(s, intent);
      if (intent.borrow > m.availableLiquidity) {
        return refuse({ reason: "INSUFFICIENT_LIQUIDITY", available: m.availableLiquidity }, after);
      }
      const low = belowOne(after);
      if (low) return refuse(low, after);
      const limit = maxBorrow(afterDeposits);
      if (!limit.ok) return refuse({ reason: "REFUSED", error: limit.reason, message: limit.message }, after);
      if (intent.borrow > limit.amount) return refuse({ reason: "ABOVE_MAX_BORROW", max: limit.amount }, after);
      if (!full.ok) return refuse({ reason: "REFUSED", error: full.reason, message: full.message }, after);
      return { ok: true, intent, preview: full, after: full.snapshot };
    }
  }
}

export type TargetError = "PRICE_UNAVAILABLE" | "UNKNOWN_COLLATERAL" | "NO_DEBT" | "UNREACHABLE";

/**
 * Smallest repay after which HF >= `target` (default 1: leaves SOFT/HARD). 0 when already there; the whole debt
 * when nothing less suffices. Exact under the contract's rounding (a partial repay cancels floor(amount/index)).
 */
export function repayForHealth(s: PositionSnapshot, target: bigint = WAD): Result<{ amount: bigint }, TargetError> {
  const h = health(s);
  if (!h.ok) return { ok: false, reason: "PRICE_UNAVAILABLE", message: "A price feed is stale or invalid." };
  if (s.scaledDebt === 0n) return { ok: true, amount: 0n };
  if (h.healthFactor >= target) return { ok: true, amount: 0n };
  const m = s.market;
  const reaches = (a: bigint) => {
    if (a >= s.debt) return true;
    const debt = debtFromScaled(s.scaledDebt - (a * WAD) / m.borrowIndex, m.borrowIndex);
    const dv = mulDivUp(debt, m.loanPrice, pow10(m.loanDecimals));
    return dv === 0n || (h.collateralPower * WAD) / dv >= target;
  };
  return { ok: true, amount: searchFirstTrue(1n, s.debt, reaches) ?? s.debt };
}

/** Smallest deposit of `asset` after which HF >= `target` (default 1). Closed form, exact under rounding. */
export function topUpForHealth(
  s: PositionSnapshot,
  asset: Address | number,
  target: bigint = WAD,
): Result<{ amount: bigint }, TargetError> {
  const i = collateralIndex(s, asset);
  const c = s.market.collaterals[i];
  if (!c) return { ok: false, reason: "UNKNOWN_COLLATERAL", message: "This asset is not a collateral of the market." };
  const h = health(s);
  if (!h.ok || !c.priceOk) return { ok: false, reason: "PRICE_UNAVAILABLE", message: "A price feed is stale or invalid." };
  if (h.healthFactor >= target) return { ok: true, amount: 0n };
  const needed = ceilDiv(target * h.debtValue, WAD) - (h.collateralPower - powerOf(c));
  const value = ceilDiv(needed * WAD, c.lt);
  const balance = ceilDiv(value * pow10(c.decimals), c.price);
  return { ok: true, amount: balance > c.balance ? balance - c.balance : 0n };
}

/** Largest withdrawal of `asset` that keeps HF >= `target` (and borrow power >= debt value, as the market requires). */
export function maxWithdrawForHealth(s: PositionSnapshot, asset: Address | number, target: bigint): Result<{ amount: bigint }, TargetError> {
  const i = collateralIndex(s, asset);
  const c = s.market.collaterals[i];
  if (!c) return { ok: false, reason: "UNKNOWN_COLLATERAL", message: "This asset is not a collateral of the market." };
  if (s.debt === 0n) return { ok: true, amount: c.balance };
  const h = health(s);
  if (!h.ok) return { ok: false, reason: "PRICE_UNAVAILABLE", message: "A price feed is stale or invalid." };
  const otherPower = h.collateralPower - powerOf(c);
  const otherBorrow = h.borrowPower - borrowPowerOf(c);
  const keeps = (a: bigint) => {
    const rest = c.balance - a;
    const power = otherPower + powerOf(c, rest);
    return otherBorrow + borrowPowerOf(c, rest) >= h.debtValue && (power * WAD) / h.debtValue >= target;
  };
  if (!keeps(0n)) return { ok: true, amount: 0n };
  let lo = 0n;
  let hi = c.balance;
  while (lo < hi) {
    const mid = (lo + hi + 1n) / 2n;
    if (keeps(mid)) lo = mid;
    else hi = mid - 1n;
  }
  return { ok: true, amount: lo };
}

/** Largest borrow that keeps HF >= `target` (and within borrow power and liquidity). */
export function maxBorrowForHealth(s: PositionSnapshot, target: bigint): Result<{ amount: bigint }, TargetError> {
  const h = health(s);
  if (!h.ok) return { ok: false, reason: "PRICE_UNAVAILABLE", message: "A price feed is stale or invalid." };
  const m = s.market;
  const fits = (a: bigint) => {
    const debt = debtFromScaled(s.scaledDebt + mulDivUp(a, WAD, m.borrowIndex), m.borrowIndex);
    const dv = mulDivUp(debt, m.loanPrice, pow10(m.loanDecimals));
    return dv === 0n || (dv <= h.borrowPower && (h.collateralPower * WAD) / dv >= target);
  };
  if (m.borrowPaused || !fits(0n)) return { ok: true, amount: 0n };
  let lo = 0n;
  let hi = m.availableLiquidity;
  while (lo < hi) {
    const mid = (lo + hi + 1n) / 2n;
    if (fits(mid)) lo = mid;
    else hi = mid - 1n;
  }
  return { ok: true, amount: lo };
}

export type ParseError = "EMPTY" | "NOT_A_NUMBER" | "NEGATIVE_AMOUNT" | "TOO_MANY_DECIMALS" | "TOO_LARGE" | "AMBIGUOUS_SEPARATOR";

/** Thousands grouping: 1–3 digits, then groups of exactly 3, each after a comma. */
const GROUPED = /^\d{1,3}(,\d{3})+$/;

/**
 * Resolves the comma, which people write both as a thousands separator ("1,000.25") and as a decimal mark ("1,5"):
 * never a silent 10× misreading. A comma is a thousands separator only where it groups digits by three before a
 * point or across several groups; a single comma followed by anything but three digits is a decimal mark; "1,500"
 * alone could be either, so it is refused with a message. Returns the text with a point as the only mark, or null.
 */
function resolveCommas(text: string): string | null {
  if (!text.includes(",")) return text;
  const [whole = "", fraction, ...rest] = text.split(".");
  if (rest.length > 0) return text; // several points: not a number, said by the caller
  if (fraction !== undefined) return GROUPED.test(whole) ? `${whole.replace(/,/g, "")}.${fraction}` : null;
  const parts = whole.split(",");
  if (parts.length === 2) {
    const [int = "", dec = ""] = parts;
    return dec.length === 3 ? null : `${int}.${dec}`;
  }
  return GROUPED.test(whole) ? whole.replace(/,/g, "") : null;
}

/** Parses what a user typed ("1.5", "1,000.25", "max" is the caller's business) into base units of a token. */
export function parseAmount(input: string, decimals: number): Result<{ amount: bigint }, ParseError> {
  const typed = input.trim().replace(/[_\s]/g, "");
  if (typed === "") return { ok: false, reason: "EMPTY", message: "Enter an amount." };
  if (typed.startsWith("-")) return { ok: false, reason: "NEGATIVE_AMOUNT", message: "The amount cannot be negative." };
  const text = resolveCommas(typed);
  if (text === null) {
    return {
      ok: false,
      reason: "AMBIGUOUS_SEPARATOR",
      message: `"${input.trim()}" could be read two ways: use a point for decimals and no thousands separator, like 1500 or 1.5.`,
    };
  }
  if (!/^\d*\.?\d*$/.test(text) || text === ".") return { ok: false, reason: "NOT_A_NUMBER", message: `"${input}" is not a number.` };
  const fraction = text.split(".")[1] ?? "";
  if (fraction.length > decimals) {
    return { ok: false, reason: "TOO_MANY_DECIMALS", message: `At most ${decimals} decimal places.` };
  }
  // dnum wants digits on both sides of the point: "7." and ".5" are what people type on the way to "7.5" and "0.5"
  const normalised = (text.startsWith(".") ? `0${text}` : text).replace(/\.$/, "");
  const amount = dn.from(normalised, decimals)[0];
  if (amount > MAX_UINT256) return { ok: false, reason: "TOO_LARGE", message: "The amount is too large." };
  return { ok: true, amount };
}

/** Base units → a decimal string (dnum), trimmed to `digits` fraction digits. */
export function formatUnits(amount: bigint, decimals: number, digits = 6): string {
  return dn.format([amount, decimals], { digits, trailingZeros: false });
}

/** A WAD (HF, price, USD value) → a decimal string. */
export function formatWad(value: bigint, digits = 4): string {
  if (value === MAX_UINT256) return "∞";
  return dn.format([value, 18], { digits, trailingZeros: false });
}
