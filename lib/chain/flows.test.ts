/**
 * The declared flows, without a chain: which steps each borrower action produces (given the allowances the chain
 * would report), the calls they send, and what their verify accepts and refuses. A fake chain answers each call with
 * the logs the real contracts emit; lib/chain/write.test.ts runs the same pipeline on anvil.
 */
import {
  encodeAbiParameters,
  encodeEventTopics,
  maxUint256,
  type Abi,
  type Address,
  type Hex,
  type Log,
  type TransactionReceipt,
} from "viem";
import { describe, expect, it } from "vitest";
import { makeSnapshot, units } from "../risk/fixtures";
import type { PositionSnapshot } from "../risk";
import { eventsLibAbi, mockErc20Abi, softLandingMarketAbi } from "./abis";
import {
  batchSteps,
  borrowerFlow,
  callFlow,
  closeFlow,
  flowSteps,
  policyFlow,
  repayAllAllowance,
  type ContractCall,
  type Flow,
  type FlowIO,
  type FlowStep,
  type PullState,
  type TokenPull,
} from "./flows";

const ACCOUNT: Address = "0x90F79bf6EB2c4f870365E785982E1f101E93b906";
const ETH = (n: number) => units(n, 18);
const USDC = (n: number) => units(n, 6);

// WETH, wstETH, WBTC against USDC; 10 WETH and 20,000 USDC of debt, borrowing at 5% a year.
function position(): PositionSnapshot {
  const s = makeSnapshot({ balances: { WETH: ETH(10) }, debt: USDC(20_000) });
  return { ...s, market: { ...s.market, borrowRatePerYear: 5n * 10n ** 16n } };
}
const s = position();
const m = s.market;
const [WETH, WSTETH] = m.collaterals.map((c) => c.asset) as [Address, Address, Address];

const NONE: PullState = { allowance: 0n, permit: false };
const PERMIT: PullState = { allowance: 0n, permit: true };

/** Steps as "kind label → function(args)" lines, the way a reviewer reads a flow. */
function describeSteps(steps: readonly FlowStep[]): string[] {
  return steps.map((step) => {
    if (step.kind === "permit") return `permit ${step.label} → ${step.pull!.symbol} ${step.pull!.amount} to ${step.pull!.spender}`;
    const call = step.call!;
    const args = (call.args as readonly unknown[]).map(String).join(", ");
    return `${step.kind} ${step.label} → ${call.address === m.market ? "market" : call.address}.${call.functionName}(${args})`;
  });
}

const plan = (flow: Flow, state: readonly PullState[]) => describeSteps(flowSteps(flow, state));

describe("the steps of each borrower action", () => {
  it("top up with too little allowance: a permit where the token takes one, an exact approve otherwise, then the deposit", () => {
    const flow = borrowerFlow(s, ACCOUNT, { kind: "topUp", asset: 0, amount: ETH(2) }, "Top up 2 WETH");
    expect(flow.pulls).toEqual([{ token: WETH, symbol: "WETH", amount: ETH(2), spender: m.market }]);
    expect(plan(flow, [{ allowance: ETH(1), permit: true }])).toEqual([
      `permit Permit WETH → WETH ${ETH(2)} to ${m.market}`,
      `call Top up 2 WETH → market.depositCollateral(${WETH}, ${ETH(2)}, ${ACCOUNT})`,
    ]);
    expect(plan(flow, [NONE])).toEqual([
      `approve Approve WETH → ${WETH}.approve(${m.market}, ${ETH(2)})`,
      `call Top up 2 WETH → market.depositCollateral(${WETH}, ${ETH(2)}, ${ACCOUNT})`,
    ]);
  });

  it("top up already allowed: the deposit alone", () => {
    const flow = borrowerFlow(s, ACCOUNT, { kind: "topUp", asset: 0, amount: ETH(2) }, "Top up 2 WETH");
    expect(plan(flow, [{ allowance: ETH(2), permit: true }])).toEqual([
      `call Top up 2 WETH → market.depositCollateral(${WETH}, ${ETH(2)}, ${ACCOUNT})`,
    ]);
  });

  it("repay all: an allowance for the debt plus an hour of interest and one unit, then repay(max uint256)", () => {
    const flow = borrowerFlow(s, ACCOUNT, { kind: "repayAll" }, "Repay all USDC debt");
    // 20,000 USDC × 5% × 3,600 s / 1 year = 114.155251… → 0.114156 USDC rounded up, plus one unit.
    const allowance = USDC(20_000) + 114_156n + 1n;
    expect(repayAllAllowance(USDC(20_000), m.borrowRatePerYear)).toBe(allowance);
    expect(flow.pulls).toEqual([{ token: m.loanToken, symbol: "USDC", amount: allowance, spender: m.market }]);
    expect(plan(flow, [PERMIT])).toEqual([
      `permit Permit USDC → USDC ${allowance} to ${m.market}`,
      `call Repay all USDC debt → market.repay(${maxUint256}, ${ACCOUNT})`,
    ]);
  });

  it("close: repay all, then withdraw every collateral held, each call named and numbered", () => {
    const two = { ...s, market: { ...m, collaterals: m.collaterals.map((c, i) => (i === 2 ? { ...c, balance: 5_000_000n } : c)) } };
    const flow = closeFlow(two, ACCOUNT, "Close position", (part) => (part.kind === "repayAll" ? "Repay all USDC debt" : `Withdraw ${part.amount} #${part.asset}`));
    const allowance = repayAllAllowance(USDC(20_000), m.borrowRatePerYear);
    const WBTC = m.collaterals[2]!.asset;
    expect(plan(flow, [NONE])).toEqual([
      `approve Approve USDC → ${m.loanToken}.approve(${m.market}, ${allowance})`,
      `call Repay all USDC debt (1/3) → market.repay(${maxUint256}, ${ACCOUNT})`,
      `call Withdraw ${ETH(10)} #0 (2/3) → market.withdrawCollateral(${WETH}, ${ETH(10)}, ${ACCOUNT}, ${ACCOUNT})`,
      `call Withdraw 5000000 #2 (3/3) → market.withdrawCollateral(${WBTC}, 5000000, ${ACCOUNT}, ${ACCOUNT})`,
    ]);
    // as one EIP-5792 batch a permit cannot come first (its signature would be needed before the batch): approve
    expect(describeSteps(batchSteps(flow, [PERMIT]))[0]).toBe(`approve Approve USDC → ${m.loanToken}.approve(${m.market}, ${allowance})`);
    // without debt: the withdrawals alone, nothing to allow
    const noDebt = makeSnapshot({ balances: { WETH: ETH(1) } });
    expect(plan(closeFlow(noDebt, ACCOUNT, "Withdraw all collateral"), [])).toEqual([
      `call Withdraw all collateral → market.withdrawCollateral(${noDebt.market.collaterals[0]!.asset}, ${ETH(1)}, ${ACCOUNT}, ${ACCOUNT})`,
    ]);
  });

  it("partial repay: the exact amount allowed, then repay(amount)", () => {
    const flow = borrowerFlow(s, ACCOUNT, { kind: "repay", amount: USDC(500) }, "Repay 500 USDC");
    expect(plan(flow, [NONE])).toEqual([
      `approve Approve USDC → ${m.loanToken}.approve(${m.market}, ${USDC(500)})`,
      `call Repay 500 USDC → market.repay(${USDC(500)}, ${ACCOUNT})`,
    ]);
  });

  it("borrow and withdraw pull nothing: one call each, to and from the borrower's own account", () => {
    const borrow = borrowerFlow(s, ACCOUNT, { kind: "borrow", amount: USDC(1_000) }, "Borrow 1,000 USDC");
    expect(borrow.pulls).toEqual([]);
    expect(plan(borrow, [])).toEqual([`call Borrow 1,000 USDC → market.borrow(${USDC(1_000)}, ${ACCOUNT}, ${ACCOUNT})`]);
    const withdraw = borrowerFlow(s, ACCOUNT, { kind: "withdraw", asset: 0, amount: ETH(1) }, "Withdraw 1 WETH");
    expect(plan(withdraw, [])).toEqual([
      `call Withdraw 1 WETH → market.withdrawCollateral(${WETH}, ${ETH(1)}, ${ACCOUNT}, ${ACCOUNT})`,
    ]);
  });

  it("open with two collaterals: both allowances, then deposit, deposit, borrow, numbered", () => {
    const title = "Open position: borrow 8,000 USDC";
    const flow = borrowerFlow(s, ACCOUNT, { kind: "open", deposits: [ETH(2), ETH(2), 0n], borrow: USDC(8_000) }, title);
    expect(flow.pulls.map((p) => p.symbol)).toEqual(["WETH", "wstETH"]);
    expect(plan(flow, [PERMIT, NONE])).toEqual([
      `permit Permit WETH → WETH ${ETH(2)} to ${m.market}`,
      `approve Approve wstETH → ${WSTETH}.approve(${m.market}, ${ETH(2)})`,
      `call ${title} (1/3) → market.depositCollateral(${WETH}, ${ETH(2)}, ${ACCOUNT})`,
      `call ${title} (2/3) → market.depositCollateral(${WSTETH}, ${ETH(2)}, ${ACCOUNT})`,
      `call ${title} (3/3) → market.borrow(${USDC(8_000)}, ${ACCOUNT}, ${ACCOUNT})`,
    ]);
  });

  it("open with step names: each step says what it does, not the whole flow's title", () => {
    const intent = { kind: "open", deposits: [ETH(2), ETH(2), 0n], borrow: USDC(8_000) } as const;
    const names = { 0: "Deposit 2 WETH", 1: "Deposit 2 wstETH" } as Record<number, string>;
    const flow = borrowerFlow(s, ACCOUNT, intent, "Open position", (part) =>
      part.kind === "deposit" ? names[part.asset]! : "Borrow 8,000 USDC",
    );
    expect(flowSteps(flow, [NONE, NONE]).filter((step) => step.kind === "call").map((step) => step.label)).toEqual([
      "Deposit 2 WETH (1/3)",
      "Deposit 2 wstETH (2/3)",
      "Borrow 8,000 USDC (3/3)",
    ]);
  });

  it("ad-hoc calls (runAction): numbered when several, a zero pull needs no allowance", () => {
    const call = { address: m.market, abi: softLandingMarketAbi, functionName: "borrow", args: [1n, ACCOUNT, ACCOUNT] } as unknown as ContractCall;
    const pull: TokenPull = { token: WETH, symbol: "WETH", amount: 0n, spender: m.market };
    expect(flowSteps(callFlow("Two", [pull], [call, call]), [NONE]).map((step) => step.label)).toEqual(["Two (1/2)", "Two (2/2)"]);
  });
});

// ───────────────────────── running the steps against a fake chain ─────────────────────────

function logOf(abi: Abi, address: Address, eventName: string, args: Record<string, unknown>): Log {
  const event = abi.find((x) => x.type === "event" && x.name === eventName);
  if (!event || event.type !== "event") throw new Error(eventName);
  const data = event.inputs.filter((i) => !i.indexed);
  return {
    address,
    topics: encodeEventTopics({ abi, eventName, args } as never) as [Hex, ...Hex[]],
    data: encodeAbiParameters(data, data.map((i) => args[i.name!])),
    blockHash: null,
    blockNumber: null,
    logIndex: null,
    transactionHash: null,
    transactionIndex: null,
    removed: false,
  } as Log;
}

const receiptOf = (logs: Log[]) => ({ status: "success", logs, transactionHash: "0x01" }) as unknown as TransactionReceipt;

/** What the contracts log for each call (the market's debt after a repay: 0 when it covered the debt). */
function honestLogs(call: ContractCall): Log[] {
  const a = call.args as readonly unknown[];
  switch (call.functionName) {
    case "approve":
      return [logOf(mockErc20Abi, call.address, "Approval", { owner: ACCOUNT, spender: a[0], value: a[1] })];
    case "depositCollateral":
      return [logOf(softLandingMarketAbi, call.address, "CollateralDeposited", { caller: ACCOUNT, onBehalf: a[2], asset: a[0], amount: a[1] })];
    case "withdrawCollateral":
      return [
        logOf(softLandingMarketAbi, call.address, "CollateralWithdrawn", { caller: ACCOUNT, onBehalf: a[2], asset: a[0], amount: a[1], receiver: a[3] }),
      ];
    case "borrow":
      return [logOf(softLandingMarketAbi, call.address, "Borrowed", { caller: ACCOUNT, onBehalf: a[1], receiver: a[2], assets: a[0], debtAfter: 1n })];
    case "setDeleveragePolicy":
      return [logOf(eventsLibAbi, call.address, "DeleveragePolicySet", { account: a[0], caller: ACCOUNT, policy: a[1], version: 2n })];
    case "repay": {
      const amount = a[0] as bigint;
      const repaid = amount >= s.debt ? s.debt : amount;
      return [logOf(softLandingMarketAbi, call.address, "Repaid", { caller: ACCOUNT, onBehalf: a[1], assets: repaid, debtAfter: s.debt - repaid })];
    }
    default:
      return [];
  }
}

function fakeChain(logsFor: (call: ContractCall) => Log[] = honestLogs) {
  const sent: string[] = [];
  const io: FlowIO = {
    async send(call) {
      sent.push(call.functionName);
      return receiptOf(logsFor(call));
    },
    async permit(pull) {
      sent.push(`permit ${pull.symbol}`);
      return receiptOf([logOf(mockErc20Abi, pull.token, "Approval", { owner: ACCOUNT, spender: pull.spender, value: pull.amount })]);
    },
  };
  return { sent, io };
}

async function run(steps: readonly FlowStep[], io: FlowIO): Promise<(string | null)[]> {
  const problems: (string | null)[] = [];
  for (const step of steps) problems.push(step.verify(await step.commit(io)));
  return problems;
}

describe("commit sends the declared transaction, verify reads its receipt", () => {
  it("an open runs permit, approve, deposits and borrow in order, each verified", async () => {
    const flow = borrowerFlow(s, ACCOUNT, { kind: "open", deposits: [ETH(2), ETH(2), 0n], borrow: USDC(8_000) }, "Open");
    const chain = fakeChain();
    expect(await run(flowSteps(flow, [PERMIT, NONE]), chain.io)).toEqual([null, null, null, null, null]);
    expect(chain.sent).toEqual(["permit WETH", "approve", "depositCollateral", "depositCollateral", "borrow"]);
  });

  it("every single action verifies against what the contracts log", async () => {
    for (const intent of [
      { kind: "topUp", asset: 1, amount: ETH(1) },
      { kind: "withdraw", asset: 0, amount: ETH(1) },
      { kind: "borrow", amount: USDC(10) },
      { kind: "repay", amount: USDC(10) },
      { kind: "repayAll" },
    ] as const) {
      const steps = flowSteps(borrowerFlow(s, ACCOUNT, intent, intent.kind), [NONE]);
      expect(await run(steps, fakeChain().io), intent.kind).toEqual(steps.map(() => null));
    }
  });

  it("a receipt without the step's effect is caught: wrong amount, another contract, no approval, debt left", async () => {
    const topUp = flowSteps(borrowerFlow(s, ACCOUNT, { kind: "topUp", asset: 0, amount: ETH(2) }, "Top up"), [NONE]);
    const short = fakeChain((call) => honestLogs(call.functionName === "depositCollateral" ? { ...call, args: [WETH, ETH(1), ACCOUNT] } : call));
    expect(await run(topUp, short.io)).toEqual([null, "The market did not record the deposit of WETH."]);
    const elsewhere = fakeChain((call) => honestLogs({ ...call, address: call.functionName === "approve" ? call.address : WSTETH }));
    expect(await run(topUp, elsewhere.io)).toEqual([null, "The market did not record the deposit of WETH."]);
    const noApproval = fakeChain((call) => (call.functionName === "approve" ? [] : honestLogs(call)));
    expect(await run(topUp, noApproval.io)).toEqual(["The WETH allowance was not set.", null]);

    const repayAll = flowSteps(borrowerFlow(s, ACCOUNT, { kind: "repayAll" }, "Repay all"), [{ allowance: maxUint256, permit: false }]);
    const dust = fakeChain((call) => [
      logOf(softLandingMarketAbi, call.address, "Repaid", { caller: ACCOUNT, onBehalf: ACCOUNT, assets: s.debt - 1n, debtAfter: 1n }),
    ]);
    expect(await run(repayAll, dust.io)).toEqual(["The market did not record the debt as repaid in full."]);

    // A partial repay that pulled less than asked is fine only if it cleared the debt (a slice shrank it meanwhile).
    const repay = flowSteps(borrowerFlow(s, ACCOUNT, { kind: "repay", amount: USDC(500) }, "Repay"), [{ allowance: maxUint256, permit: false }]);
    const repaidLess = (debtAfter: bigint) =>
      fakeChain((call) => [
        logOf(softLandingMarketAbi, call.address, "Repaid", { caller: ACCOUNT, onBehalf: ACCOUNT, assets: USDC(400), debtAfter }),
      ]).io;
    expect(await run(repay, repaidLess(0n))).toEqual([null]);
    expect(await run(repay, repaidLess(USDC(100)))).toEqual(["The market did not record the repayment of USDC."]);

    const borrow = flowSteps(borrowerFlow(s, ACCOUNT, { kind: "borrow", amount: USDC(10) }, "Borrow"), []);
    const toSomeoneElse = fakeChain((call) => [
      logOf(softLandingMarketAbi, call.address, "Borrowed", { caller: ACCOUNT, onBehalf: ACCOUNT, receiver: WETH, assets: USDC(10), debtAfter: 1n }),
    ]);
    expect(await run(borrow, toSomeoneElse.io)).toEqual(["The market did not record the borrow of USDC."]);
  });
});

describe("the protection policy flow", () => {
  const ppm = (n: number) => BigInt(n) * 10n ** 12n;
  const policy = { triggerHealth: ppm(1_100_000), targetHealth: ppm(1_250_000), maxBonus: ppm(3_000), maxShare: ppm(250_000) };

  it("is one call, nothing to allow, verified by the market's DeleveragePolicySet log for this account and policy", async () => {
    const flow = policyFlow(s, ACCOUNT, policy, "Turn on automatic protection");
    expect(flow.pulls).toEqual([]);
    const steps = flowSteps(flow, []);
    expect(steps.map((step) => `${step.label} → ${step.call!.functionName}`)).toEqual(["Turn on automatic protection → setDeleveragePolicy"]);
    expect(steps[0]!.call!.args).toEqual([ACCOUNT, policy]);
    expect(await run(steps, fakeChain().io)).toEqual([null]);
  });

  it("a receipt with another policy, another account or no event is caught", async () => {
    const steps = flowSteps(policyFlow(s, ACCOUNT, policy, "Change automatic protection"), []);
    const logged = (account: Address, logged: typeof policy) =>
      fakeChain((call) => [logOf(eventsLibAbi, call.address, "DeleveragePolicySet", { account, caller: ACCOUNT, policy: logged, version: 3n })]).io;
    const problem = "The market did not record the new protection policy.";
    expect(await run(steps, logged(ACCOUNT, { ...policy, maxShare: ppm(500_000) }))).toEqual([problem]);
    expect(await run(steps, logged(WETH, policy))).toEqual([problem]);
    expect(await run(steps, fakeChain(() => []).io)).toEqual([problem]);
  });
});
