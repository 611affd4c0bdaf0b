/**
 * Keeper benchmark (`npm run bench:keeper`): the time of one full keeper scan — every `getPositions` batch read at
 * one block plus the risk engine's decision for every account — over 1,000 and 10,000 real positions on anvil.
 * Target (DESIGN §6): 10,000 accounts in < 1 s.
 *
 * Seeding is real: every account deposits collateral and borrows through the market (no storage writes). To make
 * 10,000 positions quick, anvil runs with auto-impersonation and no block gas limit, the transactions are queued with
 * automine off in JSON-RPC batches of 500, each batch mined as one block.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import { decodeFunctionResult, encodeFunctionData, getAddress, keccak256, numberToHex, parseUnits, toHex, type Address, type Hex } from "viem";
import { mockAggregatorAbi, mockErc20Abi, softLandingLensAbi, softLandingMarketAbi } from "../lib/chain/abis";
import type { Deployment } from "../lib/chain/deployment";
import { ANVIL_ACCOUNTS } from "../lib/chain/devnet";
import { decodePositionsView } from "../keeper";
import { createKeeper } from "../keeper";
import { ROOT, deployMarket, startAnvil } from "../lib/devnet/anvil";
import { parseFeedPrice, tokenAddress } from "../lib/devnet/chain-ops";

const SIZES = (process.env.BENCH_SIZES ?? "1000,10000").split(",").map(Number);
const debug = (m: string) => process.env.BENCH_DEBUG && console.log(`[${new Date().toISOString().slice(11, 23)}] ${m}`);
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const BATCH_SIZES = (process.env.BENCH_BATCH_SIZES ?? "500").split(",").map(Number);
/** getPositions calls in flight per scan, compared on the same chain. */
const READ_CONCURRENCIES = (process.env.BENCH_READ_CONCURRENCY ?? "1,2,4").split(",").map(Number);
const RPC_BATCH = 500;

let rpcUrl = "";
let nextId = 1;

async function rpcBatch(calls: { method: string; params: unknown[] }[]): Promise<unknown[]> {
  const body = calls.map((c) => ({ jsonrpc: "2.0", id: nextId++, method: c.method, params: c.params }));
  const res = await fetch(rpcUrl, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const replies = (await res.json()) as { id: number; result?: unknown; error?: { message: string } }[];
  const byId = new Map(replies.map((r) => [r.id, r]));
  return body.map((b) => {
    const r = byId.get(b.id);
    if (!r || r.error) throw new Error(`${b.method} failed: ${r?.error?.message ?? "no reply"}`);
    return r.result;
  });
}

async function rpc(method: string, params: unknown[] = []) {
  return (await rpcBatch([{ method, params }]))[0];
}

/** Deterministic, ordinary-looking borrower addresses (never a precompile or a known account). */
function borrowerAddress(i: number): Address {
  return getAddress(`0x${keccak256(toHex(`soft-landing-bench-${i}`)).slice(26)}`);
}

interface Tx {
  from: Address;
  to: Address;
  data: Hex;
}

/**
 * Queues transactions (automine is off) in JSON-RPC batches, mines each batch as a block and checks every receipt.
 * Nonces are explicit: anvil would hand the same pending nonce to two requests of one batch.
 */
async function sendAndMine(txs: Tx[]) {
  const hashes: Hex[] = [];
  const nonces = new Map<Address, number>();
  const senders = [...new Set(txs.map((t) => t.from))];
  for (let i = 0; i < senders.length; i += RPC_BATCH) {
    const chunk = senders.slice(i, i + RPC_BATCH);
    const counts = await rpcBatch(chunk.map((from) => ({ method: "eth_getTransactionCount", params: [from, "pending"] })));
    chunk.forEach((from, k) => nonces.set(from, Number(counts[k])));
  }
  for (let i = 0; i < txs.length; i += RPC_BATCH) {
    const chunk = txs.slice(i, i + RPC_BATCH).map((tx) => {
      const nonce = nonces.get(tx.from)!;
      nonces.set(tx.from, nonce + 1);
      return { ...tx, nonce: numberToHex(nonce), gas: numberToHex(1_000_000), gasPrice: "0x0" };
    });
    const results = await rpcBatch(chunk.map((tx) => ({ method: "eth_sendTransaction", params: [tx] })));
    hashes.push(...(results as Hex[]));
    // Mining every chunk keeps anvil's pool small; a pool of thousands makes each insert slower.
    await rpc("evm_mine");
  }
  debug(`mined ${hashes.length}`);
  for (let i = 0; i < hashes.length; i += RPC_BATCH) {
    const receipts = (await rpcBatch(hashes.slice(i, i + RPC_BATCH).map((h) => ({ method: "eth_getTransactionReceipt", params: [h] })))) as
      | { status: Hex }[]
      | null[];
    receipts.forEach((r, k) => {
      if (!r || (r as { status: Hex }).status !== "0x1") throw new Error(`seeding transaction ${hashes[i + k]} failed`);
    });
  }
}

const COLLATERAL_MIX: { symbol: string; amount: string }[][] = [
  [{ symbol: "WETH", amount: "2" }],
  [{ symbol: "wstETH", amount: "2" }],
  [{ symbol: "WBTC", amount: "0.1" }],
  [
    { symbol: "WETH", amount: "1" },
    { symbol: "WBTC", amount: "0.05" },
  ],
  [
    { symbol: "WETH", amount: "1" },
    { symbol: "wstETH", amount: "1" },
    { symbol: "WBTC", amount: "0.02" },
  ],
];
const DECIMALS: Record<string, number> = { WETH: 18, wstETH: 18, WBTC: 8 };
const USD_VALUE: Record<string, number> = { WETH: 3000, wstETH: 3500, WBTC: 60000 };
const LTV: Record<string, number> = { WETH: 0.8, wstETH: 0.75, WBTC: 0.73 };

/** Opens positions for borrowers [from, to): collateral deposited by a funder on their behalf, then each borrows. */
async function seed(deployment: Deployment, from: number, to: number) {
  const funder = ANVIL_ACCOUNTS[0]!.address;
  const deposits: Tx[] = [];
  const borrows: Tx[] = [];
  for (let i = from; i < to; i++) {
    const borrower = borrowerAddress(i);
    const mix = COLLATERAL_MIX[i % COLLATERAL_MIX.length]!;
    let borrowPowerUsd = 0;
    for (const { symbol, amount } of mix) {
      deposits.push({
        from: funder,
        to: deployment.market,
        data: encodeFunctionData({
          abi: softLandingMarketAbi,
          functionName: "depositCollateral",
          args: [tokenAddress(deployment, symbol), parseUnits(amount, DECIMALS[symbol]!), borrower],
        }),
      });
      borrowPowerUsd += Number(amount) * USD_VALUE[symbol]! * LTV[symbol]!;
    }
    // 55%–99% of borrow power: health factors from ~1.07 to ~1.9, so a modest shock puts some into SOFT and HARD.
    const utilisation = 0.55 + 0.44 * ((i * 0.6180339887) % 1); // golden-ratio spread: even, deterministic
    borrows.push({
      from: borrower,
      to: deployment.market,
      data: encodeFunctionData({
        abi: softLandingMarketAbi,
        functionName: "borrow",
        args: [parseUnits((borrowPowerUsd * utilisation).toFixed(6), 6), borrower, borrower],
      }),
    });
  }
  await sendAndMine(deposits);
  await sendAndMine(borrows);
}

function median(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const round = (ms: number) => Math.round(ms * 10) / 10;

interface Row {
  accounts: number;
  state: string;
  batchSize: number;
  readConcurrency: number;
  runs: number;
  medianScanMs: number;
  minScanMs: number;
  maxScanMs: number;
  medianReadMs: number;
  medianDecideMs: number;
  /** One getPositions batch: the node executing it, this keeper's decoder, viem's generic decoder. */
  oneBatchNodeMs: number;
  oneBatchDecodeMs: number;
  oneBatchViemDecodeMs: number;
  decisions: Record<string, number>;
  waiting: number;
}

/** Median of RUNS full scans (dry run: decisions, no transactions) after one discovery scan. */
async function measure(deployment: Deployment, size: number, batchSize: number, readConcurrency: number, state: string): Promise<Row> {
  const keeper = createKeeper({
    rpcUrl,
    chainId: 31337,
    deployment,
    dryRun: true,
    batchSize,
    readConcurrency,
    logger: pino({ level: "silent" }),
  });
  // The first scan also discovers the borrowers from events; it is not part of the per-block cost.
  const discovery = await keeper.scanOnce();
  if (discovery.accounts !== size) throw new Error(`keeper discovered ${discovery.accounts} accounts, expected ${size}`);
  const totals: number[] = [];
  const reads: number[] = [];
  const decides: number[] = [];
  let last = discovery;
  for (let r = 0; r < RUNS; r++) {
    const t = performance.now();
    last = await keeper.scanOnce();
    totals.push(performance.now() - t);
    reads.push(last.readMs);
    decides.push(last.decideMs);
  }
  const batch = keeper.accounts.slice(0, batchSize);
  const callData = encodeFunctionData({ abi: softLandingLensAbi, functionName: "getPositions", args: [deployment.market, batch] });
  const nodeMs: number[] = [];
  const decodeMs: number[] = [];
  const viemDecodeMs: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const t1 = performance.now();
    const raw = (await rpc("eth_call", [{ to: deployment.lens, data: callData }, "latest"])) as Hex;
    const t2 = performance.now();
    decodePositionsView(raw, batch);
    const t3 = performance.now();
    decodeFunctionResult({ abi: softLandingLensAbi, functionName: "getPositions", data: raw });
    nodeMs.push(t2 - t1);
    decodeMs.push(t3 - t2);
    viemDecodeMs.push(performance.now() - t3);
  }
  const row: Row = {
    accounts: size,
    state,
    batchSize,
    readConcurrency,
    runs: RUNS,
    medianScanMs: round(median(totals)),
    minScanMs: round(Math.min(...totals)),
    maxScanMs: round(Math.max(...totals)),
    medianReadMs: round(median(reads)),
    medianDecideMs: round(median(decides)),
    oneBatchNodeMs: round(median(nodeMs)),
    oneBatchDecodeMs: round(median(decodeMs)),
    oneBatchViemDecodeMs: round(median(viemDecodeMs)),
    decisions: last.decisions,
    waiting: last.waiting,
  };
  console.log(JSON.stringify(row));
  return row;
}

async function main() {
  const anvil = await startAnvil({ args: ["--auto-impersonate", "--disable-block-gas-limit", "--order", "fifo", "--base-fee", "0", "--gas-price", "0"] });
  rpcUrl = anvil.rpcUrl;
  const deploymentFile = `deployments/.local/bench-keeper-${anvil.port}.json`;
  const results: Row[] = [];
  try {
    const deployment = await deployMarket({ rpcUrl, deploymentFile });
    await rpc("evm_setAutomine", [false]);
    const funder = ANVIL_ACCOUNTS[0]!.address;
    const huge = (symbol: string) => parseUnits("1000000000", DECIMALS[symbol] ?? 6);
    const setup: Tx[] = [];
    for (const symbol of ["WETH", "wstETH", "WBTC", "USDC"]) {
      const token = tokenAddress(deployment, symbol);
      setup.push({ from: funder, to: token, data: encodeFunctionData({ abi: mockErc20Abi, functionName: "mint", args: [funder, huge(symbol)] }) });
      setup.push({ from: funder, to: token, data: encodeFunctionData({ abi: mockErc20Abi, functionName: "approve", args: [deployment.market, huge(symbol)] }) });
    }
    setup.push({
      from: funder,
      to: deployment.market,
      data: encodeFunctionData({ abi: softLandingMarketAbi, functionName: "deposit", args: [parseUnits("500000000", 6), funder] }),
    });
    await sendAndMine(setup);

    let seeded = 0;
    for (const size of SIZES) {
      const t0 = performance.now();
      await seed(deployment, seeded, size);
      seeded = size;
      console.log(`seeded ${size} positions (${Math.round(performance.now() - t0)} ms)`);
      for (const batchSize of BATCH_SIZES) {
        for (const c of READ_CONCURRENCIES) results.push(await measure(deployment, size, batchSize, c, "healthy"));
      }
    }

    // After a market-wide shock the decisions are real work: accounts to flag and to hard-liquidate.
    const shock: Tx[] = (
      [
        ["WETH", "2550"],
        ["wstETH", "3000"],
        ["WBTC", "52000"],
      ] as const
    ).map(([symbol, price]) => ({
      from: funder,
      to: deployment.feeds[symbol]!,
      data: encodeFunctionData({ abi: mockAggregatorAbi, functionName: "setAnswer", args: [parseFeedPrice(price)] }),
    }));
    await sendAndMine(shock);
    for (const batchSize of BATCH_SIZES) {
      for (const c of READ_CONCURRENCIES) {
        results.push(await measure(deployment, seeded, batchSize, c, "after shock (WETH −15%, wstETH −14%, WBTC −13%)"));
      }
    }
  } finally {
    await anvil.stop();
    rmSync(path.join(ROOT, deploymentFile), { force: true });
  }

  const anvilVersion = execFileSync(path.join(ROOT, "node_modules/.bin/anvil"), ["--version"]).toString().split("\n")[0];
  const machine = {
    cpu: os.cpus()[0]?.model ?? "unknown",
    cores: os.cpus().length,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    anvil: anvilVersion,
    loadAverage1m: Math.round(os.loadavg()[0]! * 100) / 100,
  };
  const out = { date: new Date().toISOString(), target: "10,000 accounts in < 1 s per scan", machine, results };
  mkdirSync(path.join(ROOT, "bench/results"), { recursive: true });
  writeFileSync(path.join(ROOT, "bench/results/keeper.json"), JSON.stringify(out, null, 2) + "\n");
  const lines = [
    "# Keeper scan benchmark",
    "",
    `One full keeper scan = every \`lens.getPositions\` batch read at the latest block on a local anvil (no block is mined during a scan here), decoded, plus the \`lib/risk\` decision (health, zone, timers, slice preview) for every account with debt — what the keeper does on each new block. Median of ${RUNS} scans after a discovery scan; dry run (no transactions). Positions are real (deposited and borrowed through the market). Produced by \`npm run bench:keeper\` on ${out.date.slice(0, 10)}.`,
    "",
    "| accounts | state | batch | calls in flight | median scan | min | max | read (median) | decide (median) | one batch: node / decode (viem) | decisions |",
    "|---:|---|---:|---:|---:|---:|---:|---:|---:|---|---|",
    ...results.map((r) => {
      const decisions = Object.entries(r.decisions).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`).join(", ") || "none";
      return `| ${r.accounts.toLocaleString("en-US")} | ${r.state} | ${r.batchSize} | ${r.readConcurrency} | **${r.medianScanMs} ms** | ${r.minScanMs} ms | ${r.maxScanMs} ms | ${r.medianReadMs} ms | ${r.medianDecideMs} ms | ${r.oneBatchNodeMs} ms / ${r.oneBatchDecodeMs} ms (${r.oneBatchViemDecodeMs} ms) | ${decisions} |`;
    }),
    "",
    `Target: 10,000 accounts in < 1 s. Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGb} GB, ${machine.os}, Node ${machine.node}, ${machine.anvil}. 1-minute load average at the end: ${machine.loadAverage1m} (a shared machine; the node's share of the CPU varies with it).`,
    "",
  ];
  writeFileSync(path.join(ROOT, "bench/results/keeper.md"), lines.join("\n"));
  console.log("wrote bench/results/keeper.json and bench/results/keeper.md");
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
