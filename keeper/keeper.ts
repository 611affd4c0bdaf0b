/**
 * The Soft Landing keeper: finds borrowers from market events, reads them in batches through the Lens on every new
 * block, and flags, slices, hard-liquidates and unflags as the risk engine decides.
 *
 * Its core is `step()`: one block's read → decide → send (settle the receipts of earlier sends, discover new
 * borrowers, read every account through `getPositions` in batches, decide each with `lib/risk` via `decide.ts`, send
 * the transactions) returning a report of what it sent, what the chain refused and what reverted. The keeper's own
 * loop (`start()`) calls it once per new block; the crash replay (`bench/crash.ts`) calls it directly, block by block
 * on a chain it mines itself, so the benchmark measures this code.
 *
 * Safety rules it keeps:
 * - one transaction in flight per account at a time, and nothing new for that account until the chain state the
 *   keeper reads already includes the last one (never double-sends);
 * - its own nonce counter, resynced from the chain after any failed send, reset or reconnect;
 * - every RPC failure is caught: it backs off (capped exponential) and carries on when the node is back, and a chain
 *   that was restarted underneath it (history replaced) is detected by block hash and rediscovered from scratch.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import pino, { type Logger } from "pino";
import {
  BaseError,
  ContractFunctionRevertedError,
  ExecutionRevertedError,
  RawContractError,
  TransactionNotFoundError,
  createPublicClient,
  createWalletClient,
  encodeFunctionData,
  getAbiItem,
  getAddress,
  http as httpTransport,
  type Address,
  type Block,
  type Chain,
  type Hex,
  type PublicClient,
  type Transport,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { errorsLibAbi, mockErc20Abi, softLandingLensAbi, softLandingMarketAbi } from "../lib/chain/abis";
import type { Deployment } from "../lib/chain/deployment";
import { chainFor } from "../lib/chain/devnet";
import { loadCheckpoint, saveCheckpoint } from "./checkpoint";
import { decodePositionsView, snapshotOf, type MarketView, type PositionsView } from "../lib/chain/positions";
import { DEFAULT_SEIZED_TOLERANCE_BPS, decide, type ActionKind, type Decision } from "./decide";

export interface KeeperOptions {
  rpcUrl: string;
  chainId: number;
  deployment: Deployment;
  /** Needed unless `dryRun`. The account must hold the loan asset to repay slices. */
  privateKey?: Hex;
  dryRun?: boolean;
  /** Accounts per `getPositions` call. */
  batchSize?: number;
  /** Concurrent `getPositions` calls per scan. */
  readConcurrency?: number;
  /** Where discovered borrowers and the last scanned block are kept; omit to keep them in memory only. */
  checkpointFile?: string;
  /** Status endpoint port (0 = any free port); omit for no endpoint. */
  statusPort?: number;
  pollIntervalMs?: number;
  /** Blocks per `eth_getLogs` request while discovering borrowers. */
  logChunkSize?: number;
  seizedToleranceBps?: bigint;
  /** Upper bound of the back-off between retries while the RPC is unreachable. */
  maxBackoffMs?: number;
  /**
   * Send every transaction with this gas limit instead of estimating it first. For chains mined by hand (the crash
   * replay), where the transaction lands at a later timestamp than the latest block an estimate would run against.
   * A transaction the chain then refuses reverts on-chain, and the next step reports it in `settled`.
   */
  gasLimit?: bigint;
  logger?: Logger;
}

export interface ScanReport {
  blockNumber: bigint;
  timestamp: bigint;
  accounts: number;
  /** Decisions that would send (or sent) a transaction, by kind. */
  decisions: Record<ActionKind, number>;
  waiting: number;
  priceUnavailable: number;
  /** `getPositions` batches that reverted this block (their accounts were skipped). */
  readErrors: number;
  /** The earliest time at which a waiting account's grace period or slice interval ends (null: none waits). */
  nextWakeAt: bigint | null;
  readMs: number;
  decideMs: number;
}

/** A transaction the keeper sent, with the decision behind it. */
export interface SentAction {
  account: Address;
  kind: ActionKind;
  hash: Hex;
  nonce: number;
  healthFactor: bigint;
  /** Liquidations only: the collateral, the repay previewed, `maxRepay`, the seizure expected and the bonus. */
  collateral?: Address;
  repay?: bigint;
  maxRepay?: bigint;
  expectedSeized?: bigint;
  minSeized?: bigint;
  bonus?: bigint;
}

/** A transaction of an earlier step whose receipt this step found. */
export interface SettledAction {
  account: Address;
  kind: ActionKind;
  hash: Hex;
  status: "success" | "reverted";
  blockNumber: bigint;
  gasUsed: bigint;
}

/** What one `step()` did: the scan, and every send, refusal, failure and receipt. */
export interface StepReport extends ScanReport {
  /** The time decisions were judged for (the landing block's, when the caller gave it; else the read block's). */
  decidedAt: bigint;
  sent: SentAction[];
  /** Decisions the chain refused at gas estimation (the state moved since the read); nothing was sent. */
  skipped: { account: Address; kind: ActionKind; reason: string }[];
  /** Sends that failed for another reason (RPC, nonce, funds); the nonce is resynced. */
  failed: { account: Address; kind: ActionKind; error: string }[];
  /** Receipts of earlier sends found during this step; `reverted` ones were refused on-chain. */
  settled: SettledAction[];
  /** Dry run: the decisions it would have sent. */
  wouldSend: Exclude<Decision, { kind: "none" | "wait" | "priceUnavailable" }>[];
}

export interface StepOptions {
  /**
   * Timestamp of the block the transactions are expected to land in. Grace periods, slice intervals (and any
   * time-dependent bonus) are judged for that time, so a slice is sent for the first block where it is allowed.
   * Default: the read block's timestamp (what a live keeper knows for sure).
   */
  landingTimestamp?: bigint;
}

interface InFlight {
  account: Address;
  kind: ActionKind;
  hash: Hex;
  nonce: number;
  sentAt: number;
  /** Block the decision was read at; the next action needs a read of a block that includes this transaction. */
  minedInBlock?: bigint;
}

export interface KeeperStatus {
  chainId: number;
  market: Address;
  keeper: Address | null;
  dryRun: boolean;
  running: boolean;
  rpc: { url: string; connected: boolean; consecutiveFailures: number; reconnects: number };
  accountsWatched: number;
  lastBlock: string | null;
  lastBlockTimestamp: string | null;
  lastScan: { accounts: number; readMs: number; decideMs: number } | null;
  actions: Record<ActionKind, number>;
  failedActions: Record<ActionKind, number>;
  /** Decisions the chain refused at gas estimation (state moved since the read); nothing was sent. */
  skippedActions: Record<ActionKind, number>;
  dryRunWouldSend: Record<ActionKind, number>;
  errors: { count: number; last: string | null; lastAt: string | null };
  inFlight: { account: Address; kind: ActionKind; hash: Hex; nonce: number; ageMs: number }[];
  chainResets: number;
}

export interface Keeper {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Discovers new borrowers up to the head, reads every one and decides, sending nothing. */
  scanOnce(): Promise<ScanReport>;
  /**
   * One block of the keeper's work: settle earlier sends, discover, read, decide, send (nothing in dry run).
   * Throws only when the RPC cannot be read (the loop backs off and retries); a revert, at estimation or on-chain,
   * is logged, reported and skipped.
   */
  step(options?: StepOptions): Promise<StepReport>;
  status(): KeeperStatus;
  /** URL of the status endpoint once started (when `statusPort` is set). */
  readonly statusUrl: string | undefined;
  readonly accounts: readonly Address[];
}

/** The market's functions plus the protocol's custom errors, so a refused liquidation says why. */
const marketAbi = [...softLandingMarketAbi, ...errorsLibAbi] as const;

/** The events that create a borrower: collateral locked for an account, or debt taken by it. */
const DISCOVERY_EVENTS = [
  getAbiItem({ abi: softLandingMarketAbi, name: "CollateralDeposited" }),
  getAbiItem({ abi: softLandingMarketAbi, name: "Borrowed" }),
] as const;

const ACTION_KINDS: ActionKind[] = ["flag", "unflag", "softSlice", "hardLiquidation", "deleverage"];
const zeroCounts = (): Record<ActionKind, number> => ({ flag: 0, unflag: 0, softSlice: 0, hardLiquidation: 0, deleverage: 0 });
/** After this long without a receipt, a transaction the node no longer knows (e.g. the devnet restarted) is dropped. */
const IN_FLIGHT_TIMEOUT_MS = 60_000;
const CHECKPOINT_EVERY_MS = 5_000;

class ChainReset extends Error {}

type Actionable = Exclude<Decision, { kind: "none" | "wait" | "priceUnavailable" }>;

/** True when the node executed the call or transaction and it reverted (as opposed to an RPC failure). */
function isRevert(error: unknown): boolean {
  return (
    error instanceof BaseError &&
    error.walk((e) => e instanceof ContractFunctionRevertedError || e instanceof ExecutionRevertedError || e instanceof RawContractError) !== null
  );
}

export function createKeeper(options: KeeperOptions): Keeper {
  const log = options.logger ?? pino({ name: "keeper" });
  const deployment = options.deployment;
  const market = deployment.market;
  const batchSize = options.batchSize ?? 500;
  const readConcurrency = options.readConcurrency ?? 4;
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  const logChunkSize = BigInt(options.logChunkSize ?? 10_000);
  const toleranceBps = options.seizedToleranceBps ?? DEFAULT_SEIZED_TOLERANCE_BPS;
  const maxBackoffMs = options.maxBackoffMs ?? 30_000;
  const dryRun = options.dryRun ?? false;
  const gasLimit = options.gasLimit;
  if (!dryRun && !options.privateKey) throw new Error("createKeeper: privateKey is required unless dryRun is set");

  const chain: Chain = chainFor(options.chainId, options.rpcUrl);
  // Retries are the keeper's own (back-off loop); viem's would hide an outage for seconds per call.
  const transport: Transport = httpTransport(options.rpcUrl, { retryCount: 0, timeout: 10_000, batch: false });
  const client: PublicClient<Transport, Chain> = createPublicClient({ chain, transport });
  const signer = options.privateKey ? privateKeyToAccount(options.privateKey) : undefined;
  const wallet = signer ? createWalletClient({ chain, transport, account: signer }) : undefined;

  // ── state ──
  const accountSet = new Set<Address>();
  const accountList: Address[] = [];
  let logsScannedTo = BigInt(deployment.startBlock) - 1n;
  let lastBlock: { number: bigint; hash: Hex; timestamp: bigint } | undefined;
  let checkpointDirty = false;
  let lastCheckpointAt = 0;
  let nonce: number | undefined;
  let approved = false;
  const inFlight = new Map<Address, InFlight>();
  const dryRunSeen = new Map<Address, string>();
  const counters = {
    actions: zeroCounts(),
    failed: zeroCounts(),
    skipped: zeroCounts(),
    wouldSend: zeroCounts(),
    errors: 0,
    lastError: null as string | null,
    lastErrorAt: null as string | null,
    consecutiveFailures: 0,
    reconnects: 0,
    chainResets: 0,
  };
  let lastScan: KeeperStatus["lastScan"] = null;
  let running = false;
  let loop: Promise<void> | undefined;
  let wake: (() => void) | undefined;
  let server: http.Server | undefined;
  let statusUrl: string | undefined;

  function addAccount(a: Address) {
    if (accountSet.has(a)) return;
    accountSet.add(a);
    accountList.push(a);
    checkpointDirty = true;
  }

  function resetDiscovery() {
    accountSet.clear();
    accountList.length = 0;
    logsScannedTo = BigInt(deployment.startBlock) - 1n;
    lastBlock = undefined;
    inFlight.clear();
    nonce = undefined;
    approved = false;
    checkpointDirty = true;
  }

  if (options.checkpointFile) {
    const { checkpoint, problem } = loadCheckpoint(options.checkpointFile, options.chainId, market);
    if (problem) log.warn({ file: options.checkpointFile }, problem);
    if (checkpoint) {
      checkpoint.accounts.forEach(addAccount);
      logsScannedTo = checkpoint.lastBlock;
      lastBlock = { number: checkpoint.lastBlock, hash: checkpoint.lastBlockHash, timestamp: 0n };
      checkpointDirty = false;
      log.info({ accounts: accountList.length, fromBlock: String(checkpoint.lastBlock + 1n) }, "resuming from checkpoint");
    }
  }

  function persist(force = false) {
    if (!options.checkpointFile || !lastBlock) return;
    if (!checkpointDirty && !force && Date.now() - lastCheckpointAt < CHECKPOINT_EVERY_MS) return;
    saveCheckpoint(options.checkpointFile, {
      chainId: options.chainId,
      market,
      lastBlock: logsScannedTo,
      lastBlockHash: lastBlock.hash,
      accounts: accountList,
    });
    checkpointDirty = false;
    lastCheckpointAt = Date.now();
  }

  function recordError(context: string, error: unknown) {
    const message = shortError(error);
    counters.errors++;
    counters.lastError = `${context}: ${message}`;
    counters.lastErrorAt = new Date().toISOString();
    return message;
  }

  // ── chain continuity ──
  /** Checks that `head` extends the history the keeper has seen; throws ChainReset when it does not. */
  async function checkContinuity(head: Block<bigint, false, "latest">) {
    if (!lastBlock) return;
    if (head.number === lastBlock.number + 1n && head.parentHash === lastBlock.hash) return;
    if (head.number === lastBlock.number && head.hash === lastBlock.hash) return;
    if (head.number < lastBlock.number) throw new ChainReset(`head ${head.number} is behind the last seen block ${lastBlock.number}`);
    const seen = await client.getBlock({ blockNumber: lastBlock.number }).catch(() => undefined);
    if (!seen || seen.hash !== lastBlock.hash) {
      throw new ChainReset(`block ${lastBlock.number} changed (chain restarted or reorganised)`);
    }
  }

  // ── discovery ──
  /**
   * Reads borrower events up to `toBlock`. RPCs cap log responses (by block range, count or bytes), so a refused or
   * failed range is halved and retried, and the range grows back after successes.
   */
  async function discover(toBlock: bigint) {
    let chunk = logChunkSize;
    while (logsScannedTo < toBlock) {
      const from = logsScannedTo + 1n;
      const to = from + chunk - 1n < toBlock ? from + chunk - 1n : toBlock;
      let logs;
      try {
        logs = await client.getLogs({ address: market, events: DISCOVERY_EVENTS, fromBlock: from, toBlock: to });
      } catch (error) {
        if (to === from) throw error;
        chunk = (to - from + 1n) / 2n;
        log.debug({ from: String(from), to: String(to), err: shortError(error) }, "log range refused; halving it");
        continue;
      }
      for (const entry of logs) {
        if (entry.args.onBehalf) addAccount(getAddress(entry.args.onBehalf));
      }
      logsScannedTo = to;
      checkpointDirty = true;
      if (chunk < logChunkSize) chunk = chunk * 2n < logChunkSize ? chunk * 2n : logChunkSize;
    }
  }

  // ── reads ──
  async function readAll(): Promise<{ market: MarketView; views: PositionsView[]; readErrors: number }> {
    // Parameters and collateral configuration; prices come from each batch (see below).
    const marketView = client.readContract({ address: deployment.lens, abi: softLandingLensAbi, functionName: "getMarket", args: [market] });
    const batches: Address[][] = [];
    for (let i = 0; i < accountList.length; i += batchSize) batches.push(accountList.slice(i, i + batchSize));
    const views: (PositionsView | undefined)[] = new Array(batches.length);
    let readErrors = 0;
    let next = 0;
    const worker = async () => {
      while (next < batches.length) {
        const i = next++;
        const batch = batches[i]!;
        // Read at "latest", not at the head's number: anvil answers a call pinned to a block number from a copy of
        // that block's state, which grows with the number of accounts (10,000 accounts: several times slower).
        // Each batch carries its own block, timestamp and prices, and decisions use only those, so a block arriving
        // mid-scan just makes later batches fresher.
        let data: Hex | undefined;
        try {
          ({ data } = await client.call({
            to: deployment.lens,
            data: encodeFunctionData({ abi: softLandingLensAbi, functionName: "getPositions", args: [market, batch] }),
          }));
        } catch (error) {
          if (!isRevert(error)) throw error;
          // One account the Lens cannot read must not blind the keeper to the others: skip this batch this block.
          readErrors++;
          recordError(`getPositions batch ${i}`, error);
          log.warn({ batch: i, accounts: batch.length, first: batch[0], reason: shortError(error) }, "getPositions reverted; batch skipped this block");
          continue;
        }
        if (!data || data === "0x") throw new Error(`lens.getPositions returned no data: is the lens deployed at ${deployment.lens}?`);
        views[i] = decodePositionsView(data, batch);
      }
    };
    // Awaited together: when a batch read fails (the node went away), the market read's own failure is still handled,
    // never left as an unhandled rejection while the error from the batch propagates.
    const [marketResult] = await Promise.all([marketView, Promise.all(Array.from({ length: Math.min(readConcurrency, batches.length) }, worker))]);
    return { market: marketResult, views: views.filter((v): v is PositionsView => v !== undefined), readErrors };
  }

  // ── writes ──
  async function ensureNonce(): Promise<number> {
    if (nonce === undefined) nonce = await client.getTransactionCount({ address: signer!.address, blockTag: "pending" });
    return nonce;
  }

  async function ensureApproval(loanToken: Address) {
    if (approved || !wallet) return;
    const allowance = await client.readContract({
      address: loanToken,
      abi: mockErc20Abi,
      functionName: "allowance",
      args: [signer!.address, market],
    });
    if (allowance < 2n ** 255n) {
      const n = await ensureNonce();
      const hash = await wallet.writeContract({
        address: loanToken,
        abi: mockErc20Abi,
        functionName: "approve",
        args: [market, 2n ** 256n - 1n],
        nonce: n,
      });
      nonce = n + 1;
      // Liquidations are estimated against the approval, so a live keeper waits for it. With a fixed gas limit
      // nothing is estimated, and the approval's lower nonce puts it before them in the same block: no wait (a chain
      // mined by hand would never mine it while the keeper waited).
      if (gasLimit === undefined) {
        await client.waitForTransactionReceipt({ hash, pollingInterval: Math.min(pollIntervalMs, 500), timeout: 60_000 });
      }
      log.info({ hash, token: loanToken }, "approved the market to pull the loan asset");
    }
    approved = true;
  }

  async function send(decision: Actionable, readBlock: bigint, report: StepReport) {
    const n = await ensureNonce();
    const common = gasLimit !== undefined ? ({ nonce: n, gas: gasLimit } as const) : ({ nonce: n } as const);
    let hash: Hex;
    try {
      if (decision.kind === "flag" || decision.kind === "unflag") {
        hash = await wallet!.writeContract({
          ...common,
          address: market,
          abi: marketAbi,
          functionName: decision.kind,
          args: [decision.account],
        });
      } else if (decision.kind === "deleverage") {
        hash = await wallet!.writeContract({
          ...common,
          address: market,
          abi: marketAbi,
          functionName: "deleverage",
          args: [decision.account, decision.collateral, decision.maxRepay, decision.minSeized, decision.version],
        });
      } else {
        hash = await wallet!.writeContract({
          ...common,
          address: market,
          abi: marketAbi,
          functionName: "liquidate",
          args: [decision.account, decision.collateral, decision.maxRepay, decision.minSeized],
        });
      }
    } catch (error) {
      nonce = undefined;
      if (isRevert(error)) {
        // The gas estimate reverted: the state moved since the read (price, a borrower's top-up, another keeper).
        // Nothing was sent; the next block's read decides again.
        counters.skipped[decision.kind]++;
        const reason = shortError(error);
        report.skipped.push({ account: decision.account, kind: decision.kind, reason });
        log.info({ account: decision.account, action: decision.kind, reason }, "not sent: the chain no longer allows it");
        return;
      }
      counters.failed[decision.kind]++;
      const message = recordError(`${decision.kind} ${decision.account}`, error);
      report.failed.push({ account: decision.account, kind: decision.kind, error: message });
      log.warn({ account: decision.account, action: decision.kind, err: message }, "transaction not sent");
      return;
    }
    nonce = n + 1;
    inFlight.set(decision.account, { account: decision.account, kind: decision.kind, hash, nonce: n, sentAt: Date.now() });
    report.sent.push({
      account: decision.account,
      kind: decision.kind,
      hash,
      nonce: n,
      healthFactor: decision.healthFactor,
      ...("repay" in decision
        ? {
            collateral: decision.collateral,
            repay: decision.repay,
            maxRepay: decision.maxRepay,
            expectedSeized: decision.expectedSeized,
            minSeized: decision.minSeized,
            bonus: decision.bonus,
          }
        : {}),
    });
    log.info(
      {
        action: decision.kind,
        account: decision.account,
        hash,
        nonce: n,
        readBlock: String(readBlock),
        healthFactor: formatWad(decision.healthFactor),
        ...("repay" in decision
          ? { collateral: decision.collateralSymbol, repay: String(decision.repay), minSeized: String(decision.minSeized), bonus: formatWad(decision.bonus) }
          : {}),
      },
      "transaction sent",
    );
  }

  /** Settles in-flight transactions whose receipts exist; drops ones the chain has forgotten. */
  async function settleInFlight(settled: SettledAction[]) {
    if (inFlight.size === 0) return;
    await Promise.all(
      [...inFlight.values()].map(async (tx) => {
        if (tx.minedInBlock !== undefined) return;
        const receipt = await client.getTransactionReceipt({ hash: tx.hash }).catch((error: unknown) => {
          if (error instanceof Error && /could not be found|not found/i.test(error.message)) return undefined;
          throw error;
        });
        if (receipt) {
          tx.minedInBlock = receipt.blockNumber;
          settled.push({
            account: tx.account,
            kind: tx.kind,
            hash: tx.hash,
            status: receipt.status === "success" ? "success" : "reverted",
            blockNumber: receipt.blockNumber,
            gasUsed: receipt.gasUsed,
          });
          if (receipt.status === "success") {
            counters.actions[tx.kind]++;
            log.info({ action: tx.kind, account: tx.account, hash: tx.hash, block: String(receipt.blockNumber), gasUsed: String(receipt.gasUsed) }, "transaction mined");
          } else {
            counters.failed[tx.kind]++;
            recordError(`${tx.kind} ${tx.account}`, new Error(`transaction ${tx.hash} reverted`));
            log.warn({ action: tx.kind, account: tx.account, hash: tx.hash }, "transaction reverted");
          }
        } else if (Date.now() - tx.sentAt > IN_FLIGHT_TIMEOUT_MS) {
          // Still known to the node (pending, e.g. underpriced on a busy chain): keep waiting rather than risk a
          // second transaction for the same account. Only a transaction the node has forgotten is dropped.
          const known = await client.getTransaction({ hash: tx.hash }).catch((error: unknown) => {
            if (error instanceof TransactionNotFoundError) return undefined;
            throw error;
          });
          if (known) return;
          inFlight.delete(tx.account);
          nonce = undefined;
          counters.failed[tx.kind]++;
          recordError(`${tx.kind} ${tx.account}`, new Error(`transaction ${tx.hash} unknown to the node after ${IN_FLIGHT_TIMEOUT_MS / 1000} s; dropped`));
          log.warn({ action: tx.kind, account: tx.account, hash: tx.hash }, "transaction dropped; nonce will be resynced");
        }
      }),
    );
  }

  function clearSettled(readBlock: bigint) {
    for (const [account, tx] of inFlight) {
      if (tx.minedInBlock !== undefined && tx.minedInBlock <= readBlock) inFlight.delete(account);
    }
  }

  // ── one step ──
  /** Reads every account at `head` and decides each for time `decidedAt`; sends when `act` (nothing in dry run). */
  async function scanAt(head: { number: bigint; hash: Hex; timestamp: bigint }, act: boolean, decidedAt?: bigint): Promise<StepReport> {
    await discover(head.number);
    const t0 = performance.now();
    const { market: marketView, views, readErrors } = await readAll();
    const t1 = performance.now();
    const report: StepReport = {
      blockNumber: head.number,
      timestamp: head.timestamp,
      accounts: accountList.length,
      decisions: zeroCounts(),
      waiting: 0,
      priceUnavailable: 0,
      readErrors,
      nextWakeAt: null,
      readMs: t1 - t0,
      decideMs: 0,
      decidedAt: decidedAt ?? head.timestamp,
      sent: [],
      skipped: [],
      failed: [],
      settled: [],
      wouldSend: [],
    };
    const toSend: Actionable[] = [];
    for (const view of views) {
      // Decisions are judged for the caller's landing time, or for this batch's own block time.
      const now = decidedAt !== undefined && decidedAt > view.timestamp ? decidedAt : view.timestamp;
      for (const summary of view.accounts) {
        if (summary.debt === 0n && summary.flaggedAt === 0n) continue;
        const decision = decide(snapshotOf(marketView, view, summary), toleranceBps, now);
        if (decision.kind === "none") continue;
        if (decision.kind === "wait") {
          report.waiting++;
          if (report.nextWakeAt === null || decision.until < report.nextWakeAt) report.nextWakeAt = decision.until;
          continue;
        }
        if (decision.kind === "priceUnavailable") {
          report.priceUnavailable++;
          continue;
        }
        report.decisions[decision.kind]++;
        toSend.push(decision);
      }
    }
    report.decideMs = performance.now() - t1;
    lastScan = { accounts: report.accounts, readMs: Math.round(report.readMs), decideMs: Math.round(report.decideMs * 100) / 100 };
    if (report.priceUnavailable > 0) log.debug({ accounts: report.priceUnavailable }, "prices unavailable; those accounts are skipped this block");

    if (!act) return report;
    if (dryRun) {
      report.wouldSend = toSend;
      for (const d of toSend) {
        const key = `${d.kind}:${"repay" in d ? d.repay : ""}`;
        if (dryRunSeen.get(d.account) === key) continue;
        dryRunSeen.set(d.account, key);
        counters.wouldSend[d.kind]++;
        log.info({ action: d.kind, account: d.account, healthFactor: formatWad(d.healthFactor), ...("repay" in d ? { repay: String(d.repay), collateral: d.collateralSymbol } : {}) }, "dry run: would send");
      }
      return report;
    }
    if (toSend.length > 0) await ensureApproval(marketView.loanToken);
    for (const d of toSend) {
      if (inFlight.has(d.account)) continue;
      await send(d, head.number, report);
    }
    return report;
  }

  async function headBlock() {
    const block = await client.getBlock({ blockTag: "latest" });
    return { block, head: { number: block.number, hash: block.hash, timestamp: block.timestamp } };
  }

  /** The core: settle, check the chain's continuity, then read → decide → send at the current head. */
  async function stepAt(block: Block<bigint, false, "latest">, options: StepOptions): Promise<StepReport> {
    const head = { number: block.number, hash: block.hash, timestamp: block.timestamp };
    try {
      await checkContinuity(block);
    } catch (error) {
      if (!(error instanceof ChainReset)) throw error;
      counters.chainResets++;
      log.warn({ reason: error.message }, "chain history changed: rediscovering borrowers from the deployment block");
      resetDiscovery();
    }
    const settled: SettledAction[] = [];
    if (!dryRun) await settleInFlight(settled);
    clearSettled(head.number);
    const report = await scanAt(head, true, options.landingTimestamp);
    report.settled = settled;
    lastBlock = head;
    persist();
    return report;
  }

  /** Steps and loop turns never overlap: they share the nonce counter and the in-flight table. */
  let queue: Promise<unknown> = Promise.resolve();
  function serial<T>(fn: () => Promise<T>): Promise<T> {
    const result = queue.then(fn, fn);
    queue = result.catch(() => undefined);
    return result;
  }

  async function cycle(): Promise<StepReport | undefined> {
    return serial(async () => {
      const { block, head } = await headBlock();
      if (lastBlock && head.number === lastBlock.number && head.hash === lastBlock.hash && lastScan) return undefined;
      return stepAt(block, {});
    });
  }

  async function run() {
    while (running) {
      try {
        await cycle();
        if (counters.consecutiveFailures > 0) {
          counters.reconnects++;
          log.info({ after: counters.consecutiveFailures }, "RPC reachable again; resuming");
          nonce = undefined;
        }
        counters.consecutiveFailures = 0;
        await sleep(pollIntervalMs);
      } catch (error) {
        counters.consecutiveFailures++;
        const message = recordError("cycle", error);
        const backoff = Math.min(maxBackoffMs, pollIntervalMs * 2 ** Math.min(counters.consecutiveFailures - 1, 16));
        log.warn({ err: message, failures: counters.consecutiveFailures, retryInMs: backoff }, "keeper cycle failed; backing off");
        await sleep(backoff);
      }
    }
  }

  function sleep(ms: number) {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        wake = undefined;
        resolve();
      }, ms);
      wake = () => {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      };
    });
  }

  function status(): KeeperStatus {
    return {
      chainId: options.chainId,
      market,
      keeper: signer?.address ?? null,
      dryRun,
      running,
      rpc: {
        url: redactUrl(options.rpcUrl),
        connected: counters.consecutiveFailures === 0,
        consecutiveFailures: counters.consecutiveFailures,
        reconnects: counters.reconnects,
      },
      accountsWatched: accountList.length,
      lastBlock: lastBlock ? String(lastBlock.number) : null,
      lastBlockTimestamp: lastBlock && lastBlock.timestamp > 0n ? String(lastBlock.timestamp) : null,
      lastScan,
      actions: { ...counters.actions },
      failedActions: { ...counters.failed },
      skippedActions: { ...counters.skipped },
      dryRunWouldSend: { ...counters.wouldSend },
      errors: { count: counters.errors, last: counters.lastError, lastAt: counters.lastErrorAt },
      inFlight: [...inFlight.values()].map((t) => ({ account: t.account, kind: t.kind, hash: t.hash, nonce: t.nonce, ageMs: Date.now() - t.sentAt })),
      chainResets: counters.chainResets,
    };
  }

  async function startServer(port: number) {
    server = http.createServer((req, res) => {
      const url = req.url ?? "/";
      if (req.method !== "GET" || !["/", "/status", "/health"].includes(url.split("?")[0]!)) {
        res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: "not found: try GET /status" }));
        return;
      }
      const body = url.startsWith("/health")
        ? { ok: running && counters.consecutiveFailures === 0 }
        : status();
      res.writeHead(url.startsWith("/health") && !(body as { ok: boolean }).ok ? 503 : 200, { "content-type": "application/json" });
      res.end(JSON.stringify(body, null, 2));
    });
    await new Promise<void>((resolve, reject) => {
      server!.once("error", (error: NodeJS.ErrnoException) =>
        reject(error.code === "EADDRINUSE" ? new Error(`KEEPER_STATUS_PORT ${port} is already in use: choose another port`) : error),
      );
      server!.listen(port, "127.0.0.1", () => resolve());
    });
    statusUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/status`;
  }

  return {
    get statusUrl() {
      return statusUrl;
    },
    get accounts() {
      return accountList;
    },
    status,
    async scanOnce() {
      return serial(async () => {
        const { head } = await headBlock();
        const { sent: _sent, skipped: _skipped, failed: _failed, settled: _settled, wouldSend: _wouldSend, decidedAt: _decidedAt, ...report } = await scanAt(head, false);
        lastBlock = head;
        return report;
      });
    },
    async step(stepOptions: StepOptions = {}) {
      return serial(async () => {
        const { block } = await headBlock();
        return stepAt(block, stepOptions);
      });
    },
    async start() {
      if (running) return;
      const nodeChainId = await client.getChainId().catch((error: unknown) => {
        throw new Error(`Cannot reach the RPC at ${redactUrl(options.rpcUrl)}: ${shortError(error)}`);
      });
      if (nodeChainId !== options.chainId) {
        throw new Error(`CHAIN_ID is ${options.chainId} but the node at ${redactUrl(options.rpcUrl)} is chain ${nodeChainId}`);
      }
      if (options.statusPort !== undefined) await startServer(options.statusPort);
      running = true;
      log.info(
        { chainId: options.chainId, market, keeper: signer?.address, dryRun, batchSize, status: statusUrl },
        dryRun ? "keeper started (dry run: no transactions)" : "keeper started",
      );
      loop = run();
    },
    async stop() {
      if (!running) return;
      running = false;
      wake?.();
      await loop;
      try {
        persist(true);
      } catch (error) {
        log.warn({ err: shortError(error) }, "could not write the checkpoint");
      }
      if (server) await new Promise<void>((resolve) => server!.close(() => resolve()));
      server = undefined;
      log.info({ actions: counters.actions }, "keeper stopped");
    },
  };
}

export function formatWad(value: bigint): string {
  if (value >= 2n ** 255n) return "inf";
  const scaled = (value * 10_000n) / 10n ** 18n;
  return `${scaled / 10_000n}.${(scaled % 10_000n).toString().padStart(4, "0")}`;
}

function shortError(error: unknown): string {
  if (error && typeof error === "object" && "shortMessage" in error && typeof error.shortMessage === "string") {
    const details = "details" in error && typeof error.details === "string" ? ` (${error.details})` : "";
    return `${error.shortMessage}${details}`.slice(0, 500);
  }
  return (error instanceof Error ? error.message : String(error)).split("\n")[0]!.slice(0, 500);
}

/** Hides credentials some RPC providers put in the URL path or query. */
function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.username || u.password) u.username = u.password = "***";
    if (u.pathname.length > 20) u.pathname = u.pathname.slice(0, 8) + "…";
    u.search = "";
    return u.toString();
  } catch {
    return "(invalid url)";
  }
}

export { ACTION_KINDS };
