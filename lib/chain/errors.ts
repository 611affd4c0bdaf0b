import {
  BaseError,
  ContractFunctionRevertedError,
  UserRejectedRequestError,
  decodeErrorResult,
  formatUnits,
  type Abi,
  type Address,
  type Hex,
} from "viem";
import { chainlinkOracleAbi, errorsLibAbi, mockErc20Abi, softLandingMarketAbi } from "./abis";
import { formatAmount, formatHealth, formatPercent, formatRatio, formatUsd } from "../format/number";

/**
 * Every custom error a borrower's transaction can hit: the market's own, the oracle's (they bubble up through the
 * market but are not in its ABI), and the token's (allowance, balance, permit).
 */
const ALL_ERRORS_ABI = dedupeErrors([
  ...errorsLibAbi,
  ...softLandingMarketAbi,
  ...chainlinkOracleAbi,
  ...mockErc20Abi,
]);

function dedupeErrors(items: readonly Abi[number][]): Abi {
  const seen = new Set<string>();
  const out: Abi[number][] = [];
  for (const item of items) {
    if (item.type !== "error") continue;
    const key = `${item.name}(${item.inputs.map((i) => i.type).join(",")})`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(item);
  }
  return out;
}

/** How to name and scale the assets an error mentions. */
export interface ErrorContext {
  loan?: { symbol: string; decimals: number };
  /** Collateral and loan tokens by lower-cased address. */
  tokens?: Record<string, { symbol: string; decimals: number }>;
}

export interface DecodedError {
  /** The contract's error name, when the revert carried one. */
  name?: string;
  /** One plain sentence for the borrower. */
  message: string;
  /** The user closed or refused the wallet prompt: show nothing alarming. */
  rejected: boolean;
}

const WAD_DECIMALS = 18;

function assetName(address: unknown, ctx: ErrorContext): string {
  if (typeof address !== "string") return "this asset";
  return ctx.tokens?.[address.toLowerCase()]?.symbol ?? `the asset at ${address.slice(0, 6)}…${address.slice(-4)}`;
}

function loanAmount(value: unknown, ctx: ErrorContext): string {
  if (typeof value !== "bigint") return String(value);
  if (!ctx.loan) return value.toString();
  return `${formatAmount(value, ctx.loan.decimals)} ${ctx.loan.symbol}`;
}

function usd(value: unknown): string {
  if (typeof value !== "bigint") return String(value);
  return formatUsd(value);
}

function ratio(value: unknown): string {
  if (typeof value !== "bigint") return String(value);
  return formatRatio(value, 4);
}

function percent(value: unknown): string {
  if (typeof value !== "bigint") return String(value);
  return formatPercent(value, 4);
}

function health(value: unknown): string {
  if (typeof value !== "bigint") return String(value);
  return formatHealth(value);
}

function time(value: unknown): string {
  if (typeof value !== "bigint") return String(value);
  return new Date(Number(value) * 1000).toISOString().replace(".000Z", " UTC").replace("T", " ");
}

/** Shortens a decimal string to at most `digits` fraction digits, without trailing zeros. */
type Sentence = (args: readonly unknown[], ctx: ErrorContext) => string;

/** One sentence per error a borrower can meet; configuration errors fall back to their name. */
const SENTENCES: Record<string, Sentence> = {
  ZeroAmount: () => "Enter an amount greater than zero.",
  ZeroAddress: () => "The transaction names the zero address as an account or receiver.",
  Unauthorized: ([caller, onBehalf]) =>
    `${String(caller)} may not act for ${String(onBehalf)}: only the owner or an authorised manager can borrow or withdraw.`,
  CollateralNotListed: ([asset], ctx) => `${assetName(asset, ctx)} is not accepted as collateral by this market.`,
  BorrowPaused: () => "Borrowing is paused on this market by its guardian. Repaying and topping up still work.",
  WithdrawPaused: ([asset], ctx) =>
    `Withdrawals of ${assetName(asset, ctx)} are paused by the market's guardian. Repaying and topping up still work.`,
  InsufficientLiquidity: ([requested, available], ctx) =>
    `The market can lend only ${loanAmount(available, ctx)} right now, less than the ${loanAmount(requested, ctx)} asked for.`,
  InsufficientCollateral: ([power, debt]) =>
    `Not enough collateral: after this, your borrowing power (${usd(power)}) would be below your debt (${usd(debt)}).`,
  InsufficientBalance: ([requested, balance]) =>
    `You asked for more collateral than the position holds (${String(requested)} > ${String(balance)} units).`,
  NoDebt: () => "This position has no debt to repay.",
  DebtTooLarge: () => "The debt would exceed what the market can record.",
  HealthyAccount: ([hf]) => `The position is healthy (health ${health(hf)}), so it cannot be liquidated or flagged.`,
  UnhealthyAccount: ([hf]) => `The position is still below health 1 (health ${health(hf)}).`,
  AlreadyFlagged: ([at]) => `The position was already flagged at ${time(at)}.`,
  NotFlagged: () => "The position is not flagged.",
  FlagLapsed: ([at]) =>
    `The position's flag lapsed at ${time(at)} (nothing was sliced in time); it must be flagged again, which starts a new grace period.`,
  GracePeriodActive: ([at]) => `The grace period runs until ${time(at)}; no slice can be taken before then.`,
  SliceIntervalActive: ([at]) => `The next slice is allowed at ${time(at)}.`,
  NothingToLiquidate: () => "There is nothing to liquidate.",
  SliceTooSmall: ([repaid, minimum], ctx) =>
    `A soft slice must repay at least ${loanAmount(minimum, ctx)} (half of what the position's largest collateral could repay now), not ${loanAmount(repaid, ctx)}.`,
  LiquidationLowersHealth: ([before, after]) =>
    `This liquidation would lower the position's health (${health(before)} → ${health(after)}), so the market refuses it.`,
  CannotRaiseHealth: ([asset, hf, lt], ctx) =>
    `At health ${health(hf)}, selling ${assetName(asset, ctx)} (liquidation threshold ${ratio(lt)}) would lower health even without a bonus; liquidate another collateral.`,
  FeedReverted: ([asset], ctx) => `The price feed of ${assetName(asset, ctx)} does not answer.`,
  UnsupportedDecimals: ([asset, decimals], ctx) => `${assetName(asset, ctx)} uses ${String(decimals)} decimals, more than the market supports (36).`,
  RatioNotWholePpm: ([value]) =>
    `${typeof value === "bigint" ? formatUnits(value, WAD_DECIMALS) : String(value)} is finer than the market stores: ratios are set in whole millionths (such as 0.825 or 0.004125).`,
  InvalidGraceFloor: ([floor]) => `The grace floor ${health(floor)} must lie between the hard-zone health and 1.`,
  InvalidParamDelay: ([delay, minimum]) =>
    `A parameter delay of ${String(delay)} s is too short: changes that can lower health wait at least ${String(minimum)} s.`,
  NoPendingChange: () => "There is no proposed change to apply or cancel.",
  ChangeNotReady: ([at]) => `The proposed change can be applied from ${time(at)}, after its public delay.`,
  PolicyTriggerTooLow: ([trigger]) =>
    `The protection trigger (health ${ratio(trigger)}) must be above 1: below 1 the position is in the soft zone, where the market's own slices apply.`,
  PolicyTargetTooLow: ([target, trigger]) => `The protection target (health ${ratio(target)}) must be above its trigger (${ratio(trigger)}).`,
  PolicyBonusTooHigh: ([bonus, maximum]) =>
    `A protection bonus of ${percent(bonus)} is above ${percent(maximum)}, the lowest bonus a soft slice pays on this market.`,
  PolicyShareOutOfRange: ([share]) => `The share of the debt per execution must be above 0% and at most 100%, not ${percent(share)}.`,
  NoPolicy: () => "This position has no automatic protection (deleverage policy) to execute.",
  PolicyChanged: ([expected, current]) =>
    `The position's protection changed (version ${String(expected)} was sent, ${String(current)} is in force), so the old one is not executed.`,
  PolicyNotTriggered: ([hf, trigger]) =>
    `Health ${health(hf)} is not below the protection trigger (${ratio(trigger)}), or it is in the hard zone: the policy cannot run now.`,
  SeizedBelowMinimum: () => "The liquidation would receive less collateral than the minimum asked for.",
  FeedNotSet: ([asset], ctx) => `There is no price feed for ${assetName(asset, ctx)}.`,
  StalePrice: ([asset], ctx) =>
    `The price of ${assetName(asset, ctx)} is out of date, so actions that depend on it are stopped until the feed updates.`,
  InvalidPrice: ([asset], ctx) => `The price feed of ${assetName(asset, ctx)} reports an invalid price.`,
  NotOwner: () => "Only the market owner may do this.",
  NotGuardian: () => "Only the market guardian may do this.",
  ERC20InsufficientAllowance: ([, allowance, needed]) =>
    `The market is not allowed to take enough of your tokens (allowance ${String(allowance)}, needed ${String(needed)} units). Approve again.`,
  ERC20InsufficientBalance: ([, balance, needed]) =>
    `Your wallet holds too few tokens (${String(balance)} units, needed ${String(needed)}).`,
  SafeERC20FailedOperation: ([token], ctx) => `The token transfer of ${assetName(token, ctx)} failed.`,
  ERC2612ExpiredSignature: () => "The permit signature expired before it was used. Try again.",
  ERC2612InvalidSigner: () => "The permit was signed by a different account than the one sending it.",
  InvalidAccountNonce: () => "The permit signature was already used. Try again.",
  ReentrancyGuardReentrantCall: () => "The market refused a re-entrant call.",
};

function sentenceFor(name: string, args: readonly unknown[], ctx: ErrorContext): string {
  const sentence = SENTENCES[name];
  return sentence ? sentence(args, ctx) : `The contract refused the transaction (${name}).`;
}

/** Decodes raw revert data against every protocol, oracle and token error. */
export function decodeRevertData(data: Hex, ctx: ErrorContext = {}): DecodedError | undefined {
  try {
    const decoded = decodeErrorResult({ abi: ALL_ERRORS_ABI, data });
    return { name: decoded.errorName, message: sentenceFor(decoded.errorName, decoded.args ?? [], ctx), rejected: false };
  } catch {
    return undefined;
  }
}

function isUserRejection(error: unknown): boolean {
  if (error instanceof BaseError) {
    const found = error.walk((e) => e instanceof UserRejectedRequestError || (e as { code?: unknown }).code === 4001);
    if (found) return true;
  }
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 4001 || code === "ACTION_REJECTED") return true;
  const message = error instanceof Error ? error.message : String(error);
  return /user (rejected|denied|cancelled)|rejected the request/i.test(message);
}

function findRevertData(error: unknown): Hex | undefined {
  let current: unknown = error;
  for (let depth = 0; current && depth < 10; depth++) {
    const c = current as { raw?: unknown; data?: unknown; cause?: unknown };
    if (typeof c.raw === "string" && c.raw.startsWith("0x") && c.raw.length >= 10) return c.raw as Hex;
    if (typeof c.data === "string" && c.data.startsWith("0x") && c.data.length >= 10) return c.data as Hex;
    if (c.data && typeof c.data === "object" && typeof (c.data as { data?: unknown }).data === "string") {
      const inner = (c.data as { data: string }).data;
      if (inner.startsWith("0x") && inner.length >= 10) return inner as Hex;
    }
    current = c.cause;
  }
  return undefined;
}

/**
 * Turns anything a wallet, viem or the contracts throw into one plain sentence. A refused wallet prompt is
 * reported as `rejected` so the caller can stay quiet about it.
 */
export function describeError(error: unknown, ctx: ErrorContext = {}): DecodedError {
  if (isUserRejection(error)) return { message: "You cancelled the request in your wallet.", rejected: true };

  if (error instanceof BaseError) {
    const reverted = error.walk((e) => e instanceof ContractFunctionRevertedError) as
      | ContractFunctionRevertedError
      | null;
    if (reverted?.data?.errorName && reverted.data.errorName !== "Error" && reverted.data.errorName !== "Panic") {
      return {
        name: reverted.data.errorName,
        message: sentenceFor(reverted.data.errorName, reverted.data.args ?? [], ctx),
        rejected: false,
      };
    }
    if (reverted?.reason) return { message: `The contract refused the transaction: ${reverted.reason}.`, rejected: false };
  }

  const raw = findRevertData(error);
  if (raw) {
    const decoded = decodeRevertData(raw, ctx);
    if (decoded) return decoded;
  }

  if (error instanceof BaseError) {
    if (/out ?of ?gas/i.test(error.message) || /out ?of ?gas/i.test(String(error.details ?? ""))) {
      return { message: "The transaction ran out of gas and was reverted; nothing changed. Try again.", rejected: false };
    }
    if (/insufficient funds/i.test(error.message)) {
      return { message: "Your wallet has too little ETH to pay for gas.", rejected: false };
    }
    if (/fetch failed|HTTP request failed|Failed to fetch|ECONNREFUSED/i.test(error.message)) {
      return { message: "The network node did not answer. Check that the RPC is running and try again.", rejected: false };
    }
    return { message: error.shortMessage || error.message, rejected: false };
  }
  if (error instanceof Error) return { message: error.message, rejected: false };
  return { message: "Something went wrong with the transaction.", rejected: false };
}

/** Builds the error context from the lens' market view. */
export function errorContextFrom(market: {
  loanToken: Address;
  loanSymbol: string;
  loanDecimals: number;
  collaterals: readonly { asset: Address; symbol: string; decimals: number }[];
}): ErrorContext {
  const tokens: Record<string, { symbol: string; decimals: number }> = {
    [market.loanToken.toLowerCase()]: { symbol: market.loanSymbol, decimals: market.loanDecimals },
  };
  for (const c of market.collaterals) tokens[c.asset.toLowerCase()] = { symbol: c.symbol, decimals: c.decimals };
  return { loan: { symbol: market.loanSymbol, decimals: market.loanDecimals }, tokens };
}
