/**
 * The borrower's flow for an intent the forms accepted (lib/chain/flows builds the steps), titled in words for
 * the toasts: "Top up 2 WETH", "Repay all USDC debt", "Open position: borrow 8,000 USDC".
 */
import type { Address } from "viem";
import { borrowerFlow, type Flow } from "@/lib/chain/flows";
import { formatAmount } from "@/lib/format/number";
import type { Intent, PositionSnapshot } from "@/lib/risk";

export function intentTitle(s: PositionSnapshot, intent: Intent): string {
  const m = s.market;
  const loan = (amount: bigint) => `${formatAmount(amount, m.loanDecimals)} ${m.loanSymbol}`;
  const collateral = (asset: number, amount: bigint) => {
    const c = m.collaterals[asset];
    return c ? `${formatAmount(amount, c.decimals)} ${c.symbol}` : formatAmount(amount, 0);
  };
  switch (intent.kind) {
    case "topUp":
      return `Top up ${collateral(intent.asset, intent.amount)}`;
    case "withdraw":
      return `Withdraw ${collateral(intent.asset, intent.amount)}`;
    case "borrow":
      return `Borrow ${loan(intent.amount)}`;
    case "repay":
      return `Repay ${loan(intent.amount)}`;
    case "repayAll":
      return `Repay all ${m.loanSymbol} debt`;
    case "open":
      return `Open position: borrow ${loan(intent.borrow)}`;
  }
}

/** What each market call of a multi-call intent does, in order: "Deposit 2 WETH", …, "Borrow 8,000 USDC". */
export function intentStepNames(s: PositionSnapshot, intent: Intent): string[] | undefined {
  if (intent.kind !== "open") return undefined;
  const m = s.market;
  const deposits = intent.deposits.flatMap((amount, i) => {
    const c = m.collaterals[i];
    return amount > 0n && c ? [`Deposit ${formatAmount(amount, c.decimals)} ${c.symbol}`] : [];
  });
  return [...deposits, ...(intent.borrow > 0n ? [`Borrow ${formatAmount(intent.borrow, m.loanDecimals)} ${m.loanSymbol}`] : [])];
}

/** The flow that carries out `intent` for `account`, on the market of the snapshot the form judged. */
export function flowFor(s: PositionSnapshot, account: Address, intent: Intent): Flow {
  return borrowerFlow(s, account, intent, intentTitle(s, intent), intentStepNames(s, intent));
}
