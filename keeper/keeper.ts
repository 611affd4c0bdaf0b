/**
 * The Soft Landing keeper: finds borrowers from market events, reads them in batches through the Lens on every new
 * block, and flags, slices, hard-liquidates and unflags as the risk engine decides.
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
import { decodePositionsView } from "./decode-positions";
import {
  DEFAULT_SEIZED_TOLERANCE_BPS,
  decide,
  snapshotOf,
  type ActionKind,
  type Decision,
  type MarketView,
  type PositionsView,
} from "./decide";

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
  readMs: number;
  decideMs: number;
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
  /** Discovers new borrowers up to the head, reads every one and decides (and acts unless dry-run). */
  scanOnce(): Promise<ScanReport>;
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

const ACTION_KINDS: ActionKind[] = ["flag", "unflag", "softSlice", "hardLiquidation"];
const zeroCounts = (): Record<ActionKind, number> => ({ flag: 0, unflag: 0, softSlice: 0, hardLiquidation: 0 });
/** After this long without a receipt, a transaction the node no longer knows (e.g. the devnet restarted) is dropped. */
const IN_FLIGHT_TIMEOUT_MS = 60_000;
const CHECKPOINT_EVERY_MS = 5_000;

class ChainReset extends Error {}

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
  async function readAll(): Promise<{ market: MarketView; views: PositionsView[] }> {
    // Parameters and collateral configuration; prices come from each batch (see below).
    const marketView = client.readContract({ address: deployment.lens, abi: softLandingLensAbi, functionName: "getMarket", args: [market] });
    const batches: Address[][] = [];
    for (let i = 0; i < accountList.length; i += batchSize) batches.push(accountList.slice(i, i + batchSize));
    const views: PositionsView[] = new Array(batches.length);
    let next = 0;
    const worker = async () => {
      while (next < batches.length) {
        const i = next++;
        const batch = batches[i]!;
        // Read at "latest", not at the head's number: anvil answers a call pinned to a block number from a copy of
        // that block's state, which grows with the number of accounts (10,000 accounts: several times slower).
        // Each batch carries its own block, timestamp and prices, and decisions use only those, so a block arriving
        // mid-scan just makes later batches fresher.
        const { data } = await client.call({
          to: deployment.lens,
          data: encodeFunctionData({ abi: softLandingLensAbi, functionName: "getPositions", args: [market, batch] }),
        });
        if (!data || data === "0x") throw new Error(`lens.getPositions returned no data: is the lens deployed at ${deployment.lens}?`);
        views[i] = decodePositionsView(data, batch);
      }
    };
    await Promise.all(Array.from({ length: Math.min(readConcurrency, batches.length) }, worker));
    return { market: await marketView, views };
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
      await client.waitForTransactionReceipt({ hash, pollingInterval: Math.min(pollIntervalMs, 500), timeout: 60_000 });
      log.info({ hash, token: loanToken }, "approved the market to pull the loan asset");
    }
    approved = true;
  }

  async function send(decision: Exclude<Decision, { kind: "none" | "wait" | "priceUnavailable" }>, readBlock: bigint) {
    const n = await ensureNonce();
    const common = { nonce: n } as const;
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
      if (error instanceof BaseError && error.walk((e) => e instanceof ContractFunctionRevertedError)) {
        // The gas estimate reverted: the state moved since the read (price, a borrower's top-up, another keeper).
        // Nothing was sent; the next block's read decides again.
        counters.skipped[decision.kind]++;
        log.info({ account: decision.account, action: decision.kind, reason: shortError(error) }, "not sent: the chain no longer allows it");
        return;
      }
      counters.failed[decision.kind]++;
      const message = recordError(`${decision.kind} ${decision.account}`, error);
      log.warn({ account: decision.account, action: decision.kind, err: message }, "transaction not sent");
      return;
    }
    nonce = n + 1;
    inFlight.set(decision.account, { account: decision.account, kind: decision.kind, hash, nonce: n, sentAt: Date.now() });
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
  async function settleInFlight() {
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

  // ── one scan ──
  async function scanAt(head: { number: bigint; hash: Hex; timestamp: bigint }, act: boolean): Promise<ScanReport> {
    await discover(head.number);
    const t0 = performance.now();
    const { market: marketView, views } = await readAll();
    const t1 = performance.now();
    const report: ScanReport = {
      blockNumber: head.number,
      timestamp: head.timestamp,
      accounts: accountList.length,
      decisions: zeroCounts(),
      waiting: 0,
      priceUnavailable: 0,
      readMs: t1 - t0,
      decideMs: 0,
    };
    const toSend: Exclude<Decision, { kind: "none" | "wait" | "priceUnavailable" }>[] = [];
    for (const view of views) {
      for (const summary of view.accounts) {
        if (summary.debt === 0n && summary.flaggedAt === 0n) continue;
        const decision = decide(snapshotOf(marketView, view, summary), toleranceBps);
        if (decision.kind === "none") continue;
        if (decision.kind === "wait") {
          report.waiting++;
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
      await send(d, head.number);
    }
    return report;
  }

  async function headBlock() {
    const block = await client.getBlock({ blockTag: "latest" });
    return { block, head: { number: block.number, hash: block.hash, timestamp: block.timestamp } };
  }

  async function cycle(): Promise<ScanReport | undefined> {
    const { block, head } = await headBlock();
    if (lastBlock && head.number === lastBlock.number && head.hash === lastBlock.hash && lastScan) return undefined;
    try {
      await checkContinuity(block);
    } catch (error) {
      if (!(error instanceof ChainReset)) throw error;
      counters.chainResets++;
      log.warn({ reason: error.message }, "chain history changed: rediscovering borrowers from the deployment block");
      resetDiscovery();
    }
    if (!dryRun) await settleInFlight();
    clearSettled(head.number);
    const report = await scanAt(head, true);
    lastBlock = head;
    persist();
    return report;
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
      const { head } = await headBlock();
      const report = await scanAt(head, false);
      lastBlock = head;
      return report;
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
