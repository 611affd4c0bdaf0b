import {
  encodeFunctionData,
  parseSignature,
  type Address,
  type Hash,
  type TransactionReceipt,
} from "viem";
import type { Config } from "wagmi";
import {
  estimateGas,
  getBlock,
  getCapabilities,
  readContract,
  sendCalls,
  signTypedData,
  simulateContract,
  waitForCallsStatus,
  waitForTransactionReceipt,
  writeContract,
} from "wagmi/actions";
import { mockErc20Abi } from "./abis";
import { describeError, type DecodedError, type ErrorContext } from "./errors";
import { batchSteps, callFlow, flowSteps, type ContractCall, type Flow, type FlowIO, type FlowStep, type PullState, type TokenPull } from "./flows";

export { REPAY_ALL, repayAllAllowance, type ContractCall, type TokenPull } from "./flows";

/** What the borrower sees happen to one transaction. */
export type TxPhase = "signing" | "wallet" | "pending" | "confirmed" | "failed";

export interface TxUpdate {
  /** Short name of the step: "Approve USDC", "Repay 100 USDC". */
  label: string;
  phase: TxPhase;
  hash?: Hash;
  error?: DecodedError;
}

/** Who sends, where, and how the steps report. */
interface RunContext {
  config: Config;
  account: Address;
  chainId: number;
  errorContext?: ErrorContext;
  onUpdate: (update: TxUpdate) => void;
}

/** A declared flow (lib/chain/flows) to run for `account`. */
export interface FlowRequest extends RunContext {
  flow: Flow;
}

/** Ad-hoc calls as a flow: `label` names them, `pulls` are allowed first. */
export interface ActionRequest extends RunContext {
  /** What the action does, for the lifecycle messages: "Top up 1 WETH". */
  label: string;
  /** Tokens to allow first (permit where the token supports EIP-2612, exact approve otherwise). */
  pulls?: readonly TokenPull[];
  /** The calls of the action itself, sent one after the other (each simulated first). */
  calls: readonly ContractCall[];
}

export type ActionResult =
  | { ok: true; receipts: TransactionReceipt[] }
  | { ok: false; error: DecodedError };

/** Thrown inside the pipeline so one catch reports the failure with the step that failed. */
class StepFailed extends Error {
  constructor(
    readonly label: string,
    readonly decoded: DecodedError,
  ) {
    super(decoded.message);
  }
}

const PERMIT_TYPES = {
  Permit: [
    { name: "owner", type: "address" },
    { name: "spender", type: "address" },
    { name: "value", type: "uint256" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
} as const;

/** How long a permit signature stays valid: enough for a slow wallet, short enough to be harmless if leaked. */
const PERMIT_LIFETIME_SECONDS = 30n * 60n;

interface PermitDomain {
  name: string;
  version: string;
  chainId: bigint;
  verifyingContract: Address;
}

/** The token's EIP-712 domain (EIP-5267), or undefined when it does not publish one (then: approve). */
async function permitDomain(config: Config, token: Address, chainId: number): Promise<PermitDomain | undefined> {
  try {
    const [, name, version, domainChainId, verifyingContract] = await readContract(config, {
      address: token,
      abi: mockErc20Abi,
      functionName: "eip712Domain",
      chainId,
    });
    // The nonces() call proves the token also has EIP-2612's permit, not just an EIP-712 domain.
    await readContract(config, { address: token, abi: mockErc20Abi, functionName: "nonces", args: [token], chainId });
    return { name, version, chainId: domainChainId, verifyingContract };
  } catch {
    return undefined;
  }
}

/** Simulates, sends and awaits one call, reporting wallet → pending; throws StepFailed with the decoded reason. */
async function send(ctx: RunContext, label: string, call: ContractCall): Promise<TransactionReceipt> {
  const { config, account, chainId, onUpdate } = ctx;
  let hash: Hash | undefined;
  try {
    // Simulation first: a call that would revert is refused here with the contract's reason, before the wallet.
    const { request } = await simulateContract(config, { ...call, account, chainId } as Parameters<
      typeof simulateContract
    >[1]);
    // The node estimates against the latest block, but the transaction runs in a later one, where the market first
    // accrues interest (extra storage writes): without headroom a tight estimate runs out of gas.
    const estimate = await estimateGas(config, {
      account,
      chainId,
      to: call.address,
      data: encodeFunctionData({ abi: call.abi, functionName: call.functionName, args: call.args } as never),
    });
    onUpdate({ label, phase: "wallet" });
    hash = await writeContract(config, {
      ...(request as Parameters<typeof writeContract>[1]),
      gas: withGasHeadroom(estimate),
    });
    onUpdate({ label, phase: "pending", hash });
    const receipt = await waitForTransactionReceipt(config, { hash, chainId });
    if (receipt.status !== "success") {
      // The chain state moved between simulation and inclusion: replay the call to learn why.
      const reason = await simulateContract(config, { ...call, account, chainId } as Parameters<
        typeof simulateContract
      >[1]).then(
        () => ({ message: "The transaction reverted on-chain.", rejected: false }) as DecodedError,
        (e: unknown) => describeError(e, ctx.errorContext),
      );
      throw new StepFailed(label, reason);
    }
    return receipt;
  } catch (error) {
    if (error instanceof StepFailed) throw error;
    throw new StepFailed(label, describeError(error, ctx.errorContext));
  }
}

/** Signs an EIP-2612 permit for `pull` and sends it (the market pulls with transferFrom and has no permit entry point). */
async function permit(ctx: RunContext, label: string, pull: TokenPull, domain: PermitDomain): Promise<TransactionReceipt> {
  const { config, account, chainId, onUpdate } = ctx;
  const [nonce, block] = await Promise.all([
    readContract(config, { address: pull.token, abi: mockErc20Abi, functionName: "nonces", args: [account], chainId }),
    getBlock(config, { chainId }),
  ]);
  const deadline = block.timestamp + PERMIT_LIFETIME_SECONDS;
  onUpdate({ label, phase: "signing" });
  let signature: `0x${string}`;
  try {
    signature = await signTypedData(config, {
      account,
      domain,
      types: PERMIT_TYPES,
      primaryType: "Permit",
      message: { owner: account, spender: pull.spender, value: pull.amount, nonce, deadline },
    });
  } catch (error) {
    throw new StepFailed(label, describeError(error, ctx.errorContext));
  }
  const { v, r, s, yParity } = parseSignature(signature);
  return send(ctx, label, {
    address: pull.token,
    abi: mockErc20Abi,
    functionName: "permit",
    args: [account, pull.spender, pull.amount, deadline, v === undefined ? 27 + (yParity ?? 0) : Number(v), r, s],
  } as ContractCall);
}

/** The borrower's allowance for `pull` and, when it falls short, whether the token takes a permit instead of an approve. */
async function readPull(ctx: RunContext, pull: TokenPull): Promise<PullState & { domain?: PermitDomain }> {
  if (pull.amount === 0n) return { allowance: 0n, permit: false };
  const allowance = await readContract(ctx.config, {
    address: pull.token,
    abi: mockErc20Abi,
    functionName: "allowance",
    args: [ctx.account, pull.spender],
    chainId: ctx.chainId,
  });
  if (allowance >= pull.amount) return { allowance, permit: false };
  const domain = await permitDomain(ctx.config, pull.token, ctx.chainId);
  return domain ? { allowance, permit: true, domain } : { allowance, permit: false };
}

/**
 * Runs a declared flow end to end: reads the allowances, then each step in turn (permit or exact approve where the
 * allowance falls short, then the calls): committed (simulated, signed, sent, receipt awaited), then verified against
 * its receipt. Every step reports its phase; a refusal in the wallet ends the run quietly (`rejected`).
 */
export async function runFlow(req: FlowRequest): Promise<ActionResult> {
  const { flow } = req;
  try {
    const state = await Promise.all(flow.pulls.map((pull) => readPull(req, pull)));
    // Several transactions and a wallet that runs a batch atomically (EIP-5792): one prompt, all or nothing.
    const batch = batchSteps(flow, state);
    if (batch.length > 1 && (await walletBatchesAtomically(req))) return { ok: true, receipts: await runBatch(req, batch) };
    const domains = new Map(flow.pulls.map((pull, i) => [pull, state[i]?.domain]));
    const receipts: TransactionReceipt[] = [];
    for (const step of flowSteps(flow, state)) {
      const io: FlowIO = {
        send: (call) => send(req, step.label, call),
        permit: async (pull) => {
          const domain = domains.get(pull);
          if (!domain) throw new StepFailed(step.label, { message: `${pull.symbol} does not support permits.`, rejected: false });
          return permit(req, step.label, pull, domain);
        },
      };
      const receipt = await step.commit(io);
      const problem = step.verify(receipt);
      if (problem) throw new StepFailed(step.label, { message: problem, rejected: false });
      req.onUpdate({ label: step.label, phase: "confirmed", hash: receipt.transactionHash });
      if (step.kind === "call") receipts.push(receipt);
    }
    return { ok: true, receipts };
  } catch (error) {
    const decoded = error instanceof StepFailed ? error.decoded : describeError(error, req.errorContext);
    const label = error instanceof StepFailed ? error.label : flow.title;
    req.onUpdate({ label, phase: "failed", error: decoded });
    return { ok: false, error: decoded };
  }
}

/**
 * Whether the connected wallet runs a batch of calls atomically on this chain (EIP-5792 `atomic` capability,
 * "supported" or "ready" after an upgrade it performs itself). Wallets without EIP-5792 refuse the request: sequential.
 */
export async function walletBatchesAtomically(ctx: RunContext): Promise<boolean> {
  try {
    const capabilities = (await getCapabilities(ctx.config, { account: ctx.account, chainId: ctx.chainId })) as { atomic?: { status?: string } };
    return capabilities.atomic?.status === "supported" || capabilities.atomic?.status === "ready";
  } catch {
    return false;
  }
}

/**
 * Sends the steps as one atomic EIP-5792 batch and waits for it; each step is verified against the batch's logs
 * (a smart wallet may put every call in one transaction). A failed batch changed nothing.
 */
async function runBatch(ctx: FlowRequest, steps: readonly FlowStep[]): Promise<TransactionReceipt[]> {
  const { config, account, chainId, onUpdate, flow } = ctx;
  const label = `${flow.title} (${steps.length} calls, one signature)`;
  let receipts: TransactionReceipt[];
  try {
    onUpdate({ label, phase: "wallet" });
    const { id } = await sendCalls(config, {
      account,
      chainId,
      forceAtomic: true,
      calls: steps.map((step) => ({
        to: step.call!.address,
        data: encodeFunctionData({ abi: step.call!.abi, functionName: step.call!.functionName, args: step.call!.args } as never),
      })),
    });
    onUpdate({ label, phase: "pending" });
    const status = await waitForCallsStatus(config, { id, timeout: 10 * 60_000 });
    if (status.status !== "success") {
      throw new StepFailed(label, { message: "The batch did not go through: none of its calls took effect.", rejected: false });
    }
    receipts = (status.receipts ?? []) as unknown as TransactionReceipt[];
  } catch (error) {
    if (error instanceof StepFailed) throw error;
    throw new StepFailed(label, describeError(error, ctx.errorContext));
  }
  const last = receipts[receipts.length - 1];
  if (!last) throw new StepFailed(label, { message: "The wallet reported the batch done without a receipt.", rejected: false });
  const all = { ...last, logs: receipts.flatMap((r) => r.logs) } as TransactionReceipt;
  for (const step of steps) {
    const problem = step.verify(all);
    if (problem) throw new StepFailed(step.label, { message: problem, rejected: false });
  }
  onUpdate({ label, phase: "confirmed", hash: last.transactionHash });
  return receipts;
}

/** Runs ad-hoc calls (labelled "label (1/n)" when several) after their pulls' allowances, as a flow. */
export function runAction(req: ActionRequest): Promise<ActionResult> {
  const { label, pulls = [], calls, ...ctx } = req;
  return runFlow({ ...ctx, flow: callFlow(label, pulls, calls) });
}

/** Estimate + 25% + 20k gas: covers interest accrual and refund effects between estimation and inclusion. */
export function withGasHeadroom(estimate: bigint): bigint {
  return (estimate * 125n) / 100n + 20_000n;
}
