/**
 * Advice turned into what a borrower can click: amounts rounded the safe way for display (a needed top-up or repay
 * up, a safe maximum down, both steady as interest accrues) and links that open the owner's form prefilled.
 */
import { ceilToPlaces, floorToPlaces, minimumPlaces } from "@/lib/format/number";
import { toInputString } from "@/lib/format/input";
import type { Advice, PositionSnapshot } from "@/lib/risk";

export type PrefillKind = "topUp" | "repay" | "borrow" | "withdraw";

export interface AdviceOffer {
  readonly kind: "topUp" | "repay";
  readonly asset: number;
  readonly symbol: string;
  readonly decimals: number;
  readonly amount: bigint;
  /** The repay is the whole debt. */
  readonly all: boolean;
}

/** Each single action that brings the chance under the limit, smallest first within its kind; [] when already under. */
export function adviceOffers(s: PositionSnapshot, advice: Advice): AdviceOffer[] {
  if (advice.health.pSoft < advice.health.threshold || s.debt === 0n) return [];
  const m = s.market;
  const offers: AdviceOffer[] = [];
  for (const [i, amount] of advice.topUp.entries()) {
    const c = m.collaterals[i]!;
    if (amount === null || amount === 0n) continue;
    offers.push({ kind: "topUp", asset: i, symbol: c.symbol, decimals: c.decimals, amount: ceilToPlaces(amount, c.decimals, minimumPlaces(c.decimals, false)), all: false });
  }
  const repay = ceilToPlaces(advice.repay, m.loanDecimals, minimumPlaces(m.loanDecimals, true));
  if (advice.repay > 0n) {
    const all = advice.repayAll || repay >= s.debt;
    offers.push({ kind: "repay", asset: 0, symbol: m.loanSymbol, decimals: m.loanDecimals, amount: all ? s.debt : repay, all });
  }
  return offers;
}

export interface SafeLimits {
  readonly borrow: bigint;
  /** Per collateral; the whole balance stays exact so "all of it" can be taken. */
  readonly withdraw: readonly bigint[];
}

export function safeLimits(s: PositionSnapshot, advice: Advice): SafeLimits {
  const m = s.market;
  return {
    borrow: floorToPlaces(advice.maxBorrow, m.loanDecimals, minimumPlaces(m.loanDecimals, true)),
    withdraw: advice.maxWithdraw.map((a, i) => {
      const c = m.collaterals[i]!;
      return a === c.balance ? a : floorToPlaces(a, c.decimals, minimumPlaces(c.decimals, false));
    }),
  };
}

/**
 * A link to the owner's form with the action filled in: `#act=topUp&asset=WETH&amount=1.25`. A fragment, so following
 * it never reloads the page or reaches the server; the actions panel reads it (components/actions/prefill.ts).
 */
export function prefillHref(kind: PrefillKind, amount: bigint, decimals: number, symbol?: string, all = false): string {
  const params = new URLSearchParams({ act: kind });
  if (symbol && (kind === "topUp" || kind === "withdraw")) params.set("asset", symbol);
  params.set("amount", all ? "all" : toInputString(amount, decimals));
  return `#${params.toString()}`;
}
