/**
 * A borrower's transactions as declarative flows (the way Liquity v2's app declares them): a flow is a list of
 * declared steps, each with a label for the person, a `commit` that sends its transaction and a `verify` that reads
 * the receipt to check the step did what it was for. This is the one place that builds the market calls of every
 * borrower action (top up, withdraw, borrow, repay, repay all, open) and the allowances they need.
 *
 * Pure: the builders only describe. lib/chain/write runs the steps (simulate, wallet, receipt, toasts) through the
 * `FlowIO` it implements with wagmi; the unit tests run them with a fake.
 */
import {
  isAddressEqual,
  maxUint256,
  parseEventLogs,
  type Abi,
  type Address,
  type ContractFunctionArgs,
  type ContractFunctionName,
  type TransactionReceipt,
} from "viem";
import type { DeleveragePolicy, Intent, PositionSnapshot } from "../risk";
import { eventsLibAbi, mockErc20Abi, softLandingMarketAbi } from "./abis";

/** A token the market will pull with `transferFrom` during the action. */
export interface TokenPull {
  token: Address;
  symbol: string;
  /** Allowance the action needs (for a full repay: the debt plus an interest margin). */
  amount: bigint;
  spender: Address;
}

/** One contract call, typed against its ABI. */
export interface ContractCall<
  abi extends Abi = Abi,
  functionName extends ContractFunctionName<abi, "nonpayable" | "payable"> = ContractFunctionName<
    abi,
    "nonpayable" | "payable"
  >,
> {
  address: Address;
  abi: abi;
  functionName: functionName;
  args: ContractFunctionArgs<abi, "nonpayable" | "payable", functionName>;
}

/** What a step may do on the chain. lib/chain/write implements it for the connected wallet. */
export interface FlowIO {
  /** Simulates `call`, sends it from the borrower's wallet and waits for a successful receipt (throws otherwise). */
  send(call: ContractCall): Promise<TransactionReceipt>;
  /** Signs an EIP-2612 permit for `pull` and sends it as its own transaction (the market has no permit entry). */
  permit(pull: TokenPull): Promise<TransactionReceipt>;
}

export type StepKind = "permit" | "approve" | "call";

export interface FlowStep {
  kind: StepKind;
  /** What the person sees in the toast: "Permit WETH", "Top up 2 WETH", "Open position: … (2/3)". */
  label: string;
  /** The transaction, when it is known before signing (every step but a permit, whose arguments carry the signature). */
  call?: ContractCall;
  /** The allowance a permit or approve step grants. */
  pull?: TokenPull;
  /** Sends the step's transaction and returns its (successful) receipt. */
  commit(io: FlowIO): Promise<TransactionReceipt>;
  /** null when the receipt shows the step did what it was for; otherwise what is missing, in a sentence. */
  verify(receipt: TransactionReceipt): string | null;
}

/**
 * A flow before the chain is read: its calls, and the tokens they pull. Whether each pull needs a permit, an approve
 * or nothing depends on the borrower's allowance: `flowSteps` decides.
 */
export interface Flow {
  /** What the action does: "Top up 1 WETH". */
  title: string;
  pulls: readonly TokenPull[];
  calls: readonly FlowStep[];
}

/**
 * Closing a position in one action: repay everything (when there is debt), then withdraw every collateral balance.
 * Several transactions, so a wallet that batches (EIP-5792) asks once; lib/chain/write decides.
 */
export function closeFlow(position: PositionSnapshot, account: Address, title: string, nameCall?: (part: CloseCallPart) => string): Flow {
  const debt = position.scaledDebt > 0n ? borrowerFlow(position, account, { kind: "repayAll" }, nameCall?.({ kind: "repayAll" }) ?? title) : null;
  const withdrawals = position.market.collaterals.flatMap((c, i) =>
    c.balance > 0n ? [borrowerFlow(position, account, { kind: "withdraw", asset: i, amount: c.balance }, nameCall?.({ kind: "withdraw", asset: i, amount: c.balance }) ?? title)] : [],
  );
  const parts = [...(debt ? [debt] : []), ...withdrawals];
  const calls = parts.flatMap((f) => f.calls);
  return {
    title,
    pulls: debt ? debt.pulls : [],
    calls: calls.map((step, i) => ({ ...step, label: calls.length > 1 ? `${step.label} (${i + 1}/${calls.length})` : step.label })),
  };
}

/** One call of a closing flow, for the app to word. */
export type CloseCallPart = { kind: "repayAll" } | { kind: "withdraw"; asset: number; amount: bigint };

/**
 * The steps of `flow` as one EIP-5792 batch: exact approves where the allowance falls short (a permit needs its
 * signature before the batch exists, so a batch approves instead), then the calls.
 */
export function batchSteps(flow: Flow, state: readonly PullState[]): FlowStep[] {
  return flowSteps(flow, state.map((s) => ({ ...s, permit: false })));
}

/** What the chain says about one pull. */
export interface PullState {
  allowance: bigint;
  /** The token publishes an EIP-712 domain and EIP-2612 nonces: a signature replaces the approve transaction. */
  permit: boolean;
}

/** `repay(type(uint256).max)` repays everything, interest included; the allowance must cover what accrues meanwhile. */
export const REPAY_ALL = maxUint256;

/**
 * Allowance for a full repay: the debt now plus the interest it can accrue in `seconds` (rounded up) and one unit,
 * so the repay still goes through when it is mined a little later than simulated.
 */
export function repayAllAllowance(debt: bigint, borrowRatePerYear: bigint, seconds = 3600n): bigint {
  const WAD = 10n ** 18n;
  const YEAR = 365n * 24n * 3600n;
  const numerator = debt * borrowRatePerYear * seconds;
  const denominator = WAD * YEAR;
  const interest = (numerator + denominator - 1n) / denominator;
  return debt + interest + 1n;
}

/** The steps to run, in order: a permit (or an exact approve) for each pull its allowance does not cover, then the calls. */
export function flowSteps(flow: Flow, state: readonly PullState[]): FlowStep[] {
  const allowances = flow.pulls.flatMap((pull, i) => {
    const s = state[i];
    if (pull.amount === 0n || (s && s.allowance >= pull.amount)) return [];
    return [s?.permit ? permitStep(pull) : approveStep(pull)];
  });
  return [...allowances, ...flow.calls];
}

/** Receipt check shared by permit and approve: the token logged an Approval of at least the amount. */
function approvalCheck(pull: TokenPull) {
  return (receipt: TransactionReceipt): string | null => {
    const approved = parseEventLogs({ abi: mockErc20Abi, eventName: "Approval", logs: receipt.logs }).some(
      (log) =>
        isAddressEqual(log.address, pull.token) &&
        isAddressEqual(log.args.spender, pull.spender) &&
        log.args.value >= pull.amount,
    );
    return approved ? null : `The ${pull.symbol} allowance was not set.`;
  };
}

function permitStep(pull: TokenPull): FlowStep {
  return {
    kind: "permit",
    label: `Permit ${pull.symbol}`,
    pull,
    commit: (io) => io.permit(pull),
    verify: approvalCheck(pull),
  };
}

function approveStep(pull: TokenPull): FlowStep {
  const call = {
    address: pull.token,
    abi: mockErc20Abi,
    functionName: "approve",
    args: [pull.spender, pull.amount],
  } as const satisfies ContractCall<typeof mockErc20Abi, "approve">;
  return {
    kind: "approve",
    label: `Approve ${pull.symbol}`,
    call: call as unknown as ContractCall,
    pull,
    commit: (io) => io.send(call as unknown as ContractCall),
    verify: approvalCheck(pull),
  };
}

/** One call whose receipt is its only check (the transaction succeeded). */
function callStep(label: string, call: ContractCall, verify: FlowStep["verify"] = () => null): FlowStep {
  return { kind: "call", label, call, commit: (io) => io.send(call), verify };
}

/**
 * Labels the calls "title (1/3)", "title (2/3)"… when there are several, "title" alone otherwise; a call that carries
 * its own `name` (worded by the app: "Deposit 2 WETH") says what it does instead: "Deposit 2 WETH (1/3)".
 */
function labelled(title: string, calls: readonly { call: ContractCall; verify?: FlowStep["verify"]; name?: string }[]): FlowStep[] {
  return calls.map(({ call, verify, name = title }, i) =>
    callStep(calls.length > 1 ? `${name} (${i + 1}/${calls.length})` : name, call, verify),
  );
}

/** One market call of a multi-call intent, for the app to word (lib/chain does not format numbers). */
export type FlowCallPart = { kind: "deposit"; asset: number; amount: bigint } | { kind: "borrow"; amount: bigint };

/** A flow of arbitrary calls, each checked by its receipt alone: what `runAction` sends. */
export function callFlow(title: string, pulls: readonly TokenPull[], calls: readonly ContractCall[]): Flow {
  return { title, pulls, calls: labelled(title, calls.map((call) => ({ call }))) };
}

type MarketFunction = ContractFunctionName<typeof softLandingMarketAbi, "nonpayable">;

function marketCall<F extends MarketFunction>(
  market: Address,
  functionName: F,
  args: ContractFunctionArgs<typeof softLandingMarketAbi, "nonpayable", F>,
): ContractCall {
  return { address: market, abi: softLandingMarketAbi, functionName, args } as unknown as ContractCall;
}

/** Events of the market in a receipt, decoded. */
function marketEvents(receipt: TransactionReceipt, market: Address) {
  return parseEventLogs({ abi: softLandingMarketAbi, logs: receipt.logs }).filter((log) => isAddressEqual(log.address, market));
}

/**
 * The flow that carries out `intent` for `account` on the market of `position` (the snapshot the form judged).
 * `title` is the action in words ("Top up 2 WETH"): the app words amounts, lib/chain does not format numbers.
 * Every call pays or receives for the borrower's own account.
 */
export function borrowerFlow(
  position: PositionSnapshot,
  account: Address,
  intent: Intent,
  title: string,
  /** Words one call of a multi-call intent ("open"); each step is labelled with the title when absent. */
  nameCall?: (part: FlowCallPart) => string,
): Flow {
  const m = position.market;
  const market = m.market;
  const mine = (a: Address) => isAddressEqual(a, account);
  const collateral = (i: number) => {
    const c = m.collaterals[i];
    if (!c) throw new RangeError(`collateral ${i} is not listed in this market`);
    return c;
  };
  const pullOf = (token: Address, symbol: string, amount: bigint): TokenPull => ({ token, symbol, amount, spender: market });

  const deposit = (i: number, amount: bigint) => {
    const c = collateral(i);
    return {
      call: marketCall(market, "depositCollateral", [c.asset, amount, account]),
      verify: (receipt: TransactionReceipt) =>
        marketEvents(receipt, market).some(
          (e) => e.eventName === "CollateralDeposited" && mine(e.args.onBehalf) && isAddressEqual(e.args.asset, c.asset) && e.args.amount === amount,
        )
          ? null
          : `The market did not record the deposit of ${c.symbol}.`,
    };
  };
  const borrow = (amount: bigint) => ({
    call: marketCall(market, "borrow", [amount, account, account]),
    verify: (receipt: TransactionReceipt) =>
      marketEvents(receipt, market).some(
        (e) => e.eventName === "Borrowed" && mine(e.args.onBehalf) && mine(e.args.receiver) && e.args.assets === amount,
      )
        ? null
        : `The market did not record the borrow of ${m.loanSymbol}.`,
  });

  switch (intent.kind) {
    case "topUp": {
      const c = collateral(intent.asset);
      return { title, pulls: [pullOf(c.asset, c.symbol, intent.amount)], calls: labelled(title, [deposit(intent.asset, intent.amount)]) };
    }
    case "withdraw": {
      const c = collateral(intent.asset);
      const call = marketCall(market, "withdrawCollateral", [c.asset, intent.amount, account, account]);
      const verify = (receipt: TransactionReceipt) =>
        marketEvents(receipt, market).some(
          (e) =>
            e.eventName === "CollateralWithdrawn" &&
            mine(e.args.onBehalf) &&
            mine(e.args.receiver) &&
            isAddressEqual(e.args.asset, c.asset) &&
            e.args.amount === intent.amount,
        )
          ? null
          : `The market did not record the withdrawal of ${c.symbol}.`;
      return { title, pulls: [], calls: labelled(title, [{ call, verify }]) };
    }
    case "borrow":
      return { title, pulls: [], calls: labelled(title, [borrow(intent.amount)]) };
    case "repay": {
      const call = marketCall(market, "repay", [intent.amount, account]);
      // All of `amount`, or less when the debt had shrunk below it by then (a keeper's slice): then nothing is left.
      const verify = (receipt: TransactionReceipt) =>
        marketEvents(receipt, market).some(
          (e) => e.eventName === "Repaid" && mine(e.args.onBehalf) && (e.args.assets === intent.amount || e.args.debtAfter === 0n),
        )
          ? null
          : `The market did not record the repayment of ${m.loanSymbol}.`;
      return { title, pulls: [pullOf(m.loanToken, m.loanSymbol, intent.amount)], calls: labelled(title, [{ call, verify }]) };
    }
    case "repayAll": {
      // The allowance covers the interest that accrues until the transaction is mined; the market pulls only the debt.
      const pull = pullOf(m.loanToken, m.loanSymbol, repayAllAllowance(position.debt, m.borrowRatePerYear));
      const call = marketCall(market, "repay", [REPAY_ALL, account]);
      const verify = (receipt: TransactionReceipt) =>
        marketEvents(receipt, market).some((e) => e.eventName === "Repaid" && mine(e.args.onBehalf) && e.args.debtAfter === 0n)
          ? null
          : `The market did not record the debt as repaid in full.`;
      return { title, pulls: [pull], calls: labelled(title, [{ call, verify }]) };
    }
    case "open": {
      const deposits = intent.deposits.flatMap((amount, i) => (amount > 0n ? [{ i, amount }] : []));
      return {
        title,
        pulls: deposits.map(({ i, amount }) => pullOf(collateral(i).asset, collateral(i).symbol, amount)),
        calls: labelled(title, [
          ...deposits.map(({ i, amount }) => ({ ...deposit(i, amount), name: nameCall?.({ kind: "deposit", asset: i, amount }) })),
          ...(intent.borrow > 0n ? [{ ...borrow(intent.borrow), name: nameCall?.({ kind: "borrow", amount: intent.borrow }) }] : []),
        ]),
      };
    }
  }
}

/**
 * Sets, changes or revokes (all zeros) `account`'s deleverage policy (docs/liquidation.md R9): one call, nothing to
 * allow. `title` words it ("Turn on automatic protection"). Verified by the market's `DeleveragePolicySet` log for
 * this account carrying exactly this policy (the event is declared by the market's policy library, so it is decoded
 * with the events ABI, but it is logged at the market's address).
 */
export function policyFlow(position: PositionSnapshot, account: Address, policy: DeleveragePolicy, title: string): Flow {
  const market = position.market.market;
  const { triggerHealth, targetHealth, maxBonus, maxShare } = policy;
  const call = marketCall(market, "setDeleveragePolicy", [account, { triggerHealth, targetHealth, maxBonus, maxShare }]);
  const verify = (receipt: TransactionReceipt) =>
    parseEventLogs({ abi: eventsLibAbi, eventName: "DeleveragePolicySet", logs: receipt.logs }).some(
      (e) =>
        isAddressEqual(e.address, market) &&
        isAddressEqual(e.args.account, account) &&
        e.args.policy.triggerHealth === triggerHealth &&
        e.args.policy.targetHealth === targetHealth &&
        e.args.policy.maxBonus === maxBonus &&
        e.args.policy.maxShare === maxShare,
    )
      ? null
      : "The market did not record the new protection policy.";
  return { title, pulls: [], calls: labelled(title, [{ call, verify }]) };
}
