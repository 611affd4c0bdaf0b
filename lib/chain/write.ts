import {
  encodeFunctionData,
  maxUint256,
  parseSignature,
  type Abi,
  type Address,
  type ContractFunctionArgs,
  type ContractFunctionName,
  type Hash,
  type TransactionReceipt,
} from "viem";
import type { Config } from "wagmi";
import {
  estimateGas,
  getBlock,
  readContract,
  signTypedData,
  simulateContract,
  waitForTransactionReceipt,
  writeContract,
} from "wagmi/actions";
import { mockErc20Abi } from "./abis";
import { describeError, type DecodedError, type ErrorContext } from "./errors";

/** What the borrower sees happen to one transaction. */
export type TxPhase = "signing" | "wallet" | "pending" | "confirmed" | "failed";

export interface TxUpdate {
  /** Short name of the step: "Approve USDC", "Repay 100 USDC". */
  label: string;
  phase: TxPhase;
  hash?: Hash;
  error?: DecodedError;
}

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

export interface ActionRequest {
  config: Config;
  account: Address;
  chainId: number;
  /** What the action does, for the lifecycle messages: "Top up 1 WETH". */
  label: string;
  /** Tokens to allow first (permit where the token supports EIP-2612, exact approve otherwise). */
  pulls?: readonly TokenPull[];
  /** The calls of the action itself, sent one after the other (each simulated first). */
  calls: readonly ContractCall[];
  errorContext?: ErrorContext;
  onUpdate: (update: TxUpdate) => void;
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

async function send(
  req: ActionRequest,
  label: string,
  call: ContractCall,
): Promise<TransactionReceipt> {
  const { config, account, chainId, onUpdate } = req;
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
        (e: unknown) => describeError(e, req.errorContext),
      );
      throw new StepFailed(label, reason);
    }
    onUpdate({ label, phase: "confirmed", hash });
    return receipt;
  } catch (error) {
    if (error instanceof StepFailed) throw error;
    throw new StepFailed(label, describeError(error, req.errorContext));
  }
}

/** Makes sure the market may pull `pull.amount`: nothing, a signed permit, or an exact approve. */
async function ensureAllowance(req: ActionRequest, pull: TokenPull): Promise<void> {
  const { config, account, chainId, onUpdate } = req;
  const allowance = await readContract(config, {
    address: pull.token,
    abi: mockErc20Abi,
    functionName: "allowance",
    args: [account, pull.spender],
    chainId,
  });
  if (allowance >= pull.amount) return;

  const domain = await permitDomain(config, pull.token, chainId);
  if (domain) {
    const label = `Permit ${pull.symbol}`;
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
      throw new StepFailed(label, describeError(error, req.errorContext));
    }
    const { v, r, s, yParity } = parseSignature(signature);
    // The market pulls with transferFrom and has no permit entry point, so the permit is its own transaction.
    await send(req, label, {
      address: pull.token,
      abi: mockErc20Abi,
      functionName: "permit",
      args: [account, pull.spender, pull.amount, deadline, v === undefined ? 27 + (yParity ?? 0) : Number(v), r, s],
    } as ContractCall);
    return;
  }

  await send(req, `Approve ${pull.symbol}`, {
    address: pull.token,
    abi: mockErc20Abi,
    functionName: "approve",
    args: [pull.spender, pull.amount],
  } as ContractCall);
}

/**
 * Runs one borrower action end to end: allowances (permit or approve), then each call simulated and sent, each
 * receipt awaited. Every step reports its phase; a refusal in the wallet ends the run quietly (`rejected`).
 */
export async function runAction(req: ActionRequest): Promise<ActionResult> {
  try {
    for (const pull of req.pulls ?? []) {
      if (pull.amount > 0n) await ensureAllowance(req, pull);
    }
    const receipts: TransactionReceipt[] = [];
    for (const [i, call] of req.calls.entries()) {
      const label = req.calls.length > 1 ? `${req.label} (${i + 1}/${req.calls.length})` : req.label;
      receipts.push(await send(req, label, call));
    }
    return { ok: true, receipts };
  } catch (error) {
    const decoded =
      error instanceof StepFailed ? error.decoded : describeError(error, req.errorContext);
    const label = error instanceof StepFailed ? error.label : req.label;
    req.onUpdate({ label, phase: "failed", error: decoded });
    return { ok: false, error: decoded };
  }
}

/** Estimate + 25% + 20k gas: covers interest accrual and refund effects between estimation and inclusion. */
export function withGasHeadroom(estimate: bigint): bigint {
  return (estimate * 125n) / 100n + 20_000n;
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
