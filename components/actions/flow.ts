/**
 * The borrower's flow for an intent the forms accepted (lib/chain/flows builds the steps), titled in words for
 * the toasts: "Top up 2 WETH", "Repay all USDC debt", "Open position: borrow 8,000 USDC".
 */
import type { Address } from "viem";
import { borrowerFlow, closeFlow, policyFlow, type CloseCallPart, type Flow, type FlowCallPart } from "@/lib/chain/flows";
import { formatAmount } from "@/lib/format/number";
import type { DeleveragePolicy, Intent, PositionSnapshot } from "@/lib/risk";
import { protectionTitle } from "./protection";

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

/** What one market call of a multi-call intent does: "Deposit 2 WETH", "Borrow 8,000 USDC". */
export function callName(s: PositionSnapshot, part: FlowCallPart): string {
  const m = s.market;
  if (part.kind === "borrow") return `Borrow ${formatAmount(part.amount, m.loanDecimals)} ${m.loanSymbol}`;
  const c = m.collaterals[part.asset];
  return c ? `Deposit ${formatAmount(part.amount, c.decimals)} ${c.symbol}` : `Deposit ${formatAmount(part.amount, 0)}`;
}

/** The flow that carries out `intent` for `account`, on the market of the snapshot the form judged. */
export function flowFor(s: PositionSnapshot, account: Address, intent: Intent): Flow {
  return borrowerFlow(s, account, intent, intentTitle(s, intent), (part) => callName(s, part));
}

/**
 * Repay everything (when there is debt) and withdraw every collateral: "Close position" / "Withdraw all collateral",
 * each call named ("Repay all USDC debt", "Withdraw 2 WETH").
 */
export function closeFlowFor(s: PositionSnapshot, account: Address): Flow {
  const title = s.scaledDebt > 0n ? "Close position" : "Withdraw all collateral";
  return closeFlow(s, account, title, (part: CloseCallPart) =>
    part.kind === "repayAll" ? intentTitle(s, { kind: "repayAll" }) : intentTitle(s, { kind: "withdraw", asset: part.asset, amount: part.amount }),
  );
}

/** Sets, changes or (all zeros) revokes the owner's protection policy: one call, titled by what it does. */
export function protectionFlowFor(s: PositionSnapshot, account: Address, policy: DeleveragePolicy): Flow {
  return policyFlow(s, account, policy, protectionTitle(s, policy));
}
