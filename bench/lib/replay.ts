import path from "node:path";
import { decodeFunctionResult, encodeFunctionData, maxUint256, type Address, type Hex } from "viem";
import { mockAggregatorAbi, mockErc20Abi, softLandingMarketAbi } from "../../lib/chain/abis";
import { ANVIL_ACCOUNTS } from "../../lib/chain/devnet";
import type { Deployment } from "../../lib/chain/deployment";
import { deployMarket, startAnvil } from "../../lib/devnet/anvil";
import { Chain, type Receipt, type TxRequest } from "./chain";
import { ModeMetrics, type ModeSummary } from "./metrics";
import { makePopulation, type Borrower } from "./population";
import { correlatedPath, interpolateCandles, readCandles, returnCorrelation } from "./pricePath";
import { PromptKeeper, ZONE, type KeeperAction, type MarketHandle, type PlannedTx } from "./promptKeeper";
import { Rpc } from "./rpc";

export const MODES = ["soft", "conventional"] as const;
export type Mode = (typeof MODES)[number];

export const RISK_PARAM_KEYS = [
  "softBonusMin",
  "softBonusMax",
  "hardBonus",
  "hardHealth",
  "targetHealth",
  "sliceCap",
  "hardCloseFactor",
  "gracePeriod",
  "sliceInterval",
] as const;
export type RiskParamKey = (typeof RISK_PARAM_KEYS)[number];
/** WAD fields are given as decimals (0.05 = 5%), durations as whole seconds. */
export type RiskOverrides = Partial<Record<RiskParamKey, number>>;

export interface ReplayOptions {
  csvFile: string;
  borrowers: number;
  seed: number;
  stepMinutes: number;
  /** Correlation of WBTC's log returns with ETH's. */
  rho: number;
  minHealth: number;
  maxHealth: number;
  minUsd: number;
  maxUsd: number;
  overrides: Record<Mode, RiskOverrides>;
  /** Stop after this many oracle updates (for quick checks); the whole file when undefined. */
  maxUpdates?: number;
  log?: (line: string) => void;
}

/** wstETH is priced at the devnet ratio 3500 / 3000 of ETH throughout (no depeg is modelled). */
export const WSTETH_PER_ETH = 3500 / 3000;
/** WBTC starts at the devnet price and follows its correlated path. */
export const WBTC_START_USD = 60_000;
/** The keeper's transactions land one Ethereum block (12 s) after the oracle update they react to. */
export const KEEPER_DELAY_S = 12;
const MAX_ROUNDS_PER_STEP = 25;

const DEPLOYER = ANVIL_ACCOUNTS[0]!.address;
const LENDER = ANVIL_ACCOUNTS[1]!.address;
const KEEPER = ANVIL_ACCOUNTS[2]!.address;
const COLLATERAL_SYMBOLS = ["WETH", "wstETH", "WBTC"] as const;

interface MarketSetup {
  mode: Mode;
  deployment: Deployment;
  handle: MarketHandle;
  keeper: PromptKeeper;
  metrics: ModeMetrics;
  /** token address (lowercase) → symbol */
  symbolOf: Map<string, string>;
  decimalsOf: Map<string, number>;
  ltv: Map<string, bigint>;
  lt: Map<string, bigint>;
  riskParams: Record<RiskParamKey, bigint | number>;
}

export interface ReplayResult {
  csvFile: string;
  window: { from: string; to: string; hours: number };
  path: {
    updates: number;
    stepMinutes: number;
    ethFirst: number;
    ethMin: number;
    ethMax: number;
    ethLast: number;
    ethMaxDrawdown: number;
    wbtcMin: number;
    wbtcLast: number;
    wbtcRealisedCorrelation: number;
  };
  population: {
    borrowers: number;
    collateralUsd: number;
    debtUsd: number;
    minHealth: number;
    maxHealth: number;
  };
  modes: Record<Mode, { riskParams: Record<string, string | number>; result: ModeSummary }>;
  keeperRounds: number;
  rpcRequests: number;
  wallSeconds: number;
}

async function call<T>(rpc: Rpc, to: Address, data: Hex, decode: (data: Hex) => T): Promise<T> {
  return decode(await rpc.call<Hex>("eth_call", [{ to, data }, "latest"]));
}

function toAnswer(usd: number): bigint {
  return BigInt(Math.round(usd * 1e8));
}

function maxDrawdown(prices: readonly number[]): number {
  let peak = prices[0]!;
  let worst = 0;
  for (const p of prices) {
    peak = Math.max(peak, p);
    worst = Math.max(worst, 1 - p / peak);
  }
  return worst;
}

function encodeRisk(p: Record<RiskParamKey, bigint | number>) {
  return {
    softBonusMin: BigInt(p.softBonusMin),
    softBonusMax: BigInt(p.softBonusMax),
    hardBonus: BigInt(p.hardBonus),
    hardHealth: BigInt(p.hardHealth),
    targetHealth: BigInt(p.targetHealth),
    sliceCap: BigInt(p.sliceCap),
    hardCloseFactor: BigInt(p.hardCloseFactor),
    gracePeriod: Number(p.gracePeriod),
    sliceInterval: Number(p.sliceInterval),
  };
}

function readableRisk(p: Record<RiskParamKey, bigint | number>): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const key of RISK_PARAM_KEYS) {
    out[key] = key === "gracePeriod" || key === "sliceInterval" ? Number(p[key]) : Number(p[key]) / 1e18;
  }
  return out;
}

/** Replays one crash file through a soft and a conventional market on a fresh anvil. */
export async function replayCrash(opts: ReplayOptions): Promise<ReplayResult> {
  const log = opts.log ?? (() => {});
  const started = Date.now();
  const candles = readCandles(opts.csvFile);
  const eth = interpolateCandles(candles, opts.stepMinutes);
  const wbtc = correlatedPath(eth, WBTC_START_USD, opts.rho, opts.seed + 7919);
  const stepSeconds = opts.stepMinutes * 60;
  const pricesAt = (k: number): Record<string, number> => ({
    USDC: 1,
    WETH: eth[k]!,
    wstETH: eth[k]! * WSTETH_PER_ETH,
    WBTC: wbtc[k]!,
  });

  const anvil = await startAnvil({ args: ["--auto-impersonate", "--disable-block-gas-limit", "--order", "fifo"] });
  const rpc = new Rpc(anvil.rpcUrl);
  const chain = new Chain(rpc);
  // Ctrl-C or a kill must not leave anvil running.
  const onSignal = () => void anvil.stop().finally(() => process.exit(130));
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    const base = path.basename(opts.csvFile, path.extname(opts.csvFile));
    const markets: MarketSetup[] = [];
    for (const mode of MODES) {
      const deployment = await deployMarket({
        rpcUrl: anvil.rpcUrl,
        mode,
        deploymentFile: `deployments/.local/bench-crash-${base}-${mode}.json`,
      });
      markets.push(await inspectMarket(rpc, mode, deployment));
    }
    // From here on transactions queue up and are mined explicitly, each block at a chosen timestamp.
    await rpc.call("evm_setAutomine", [false]);
    let now = (await chain.latestTimestamp()) + 60;

    // Risk-parameter variants (owner = anvil account 0).
    const overrideTxs: TxRequest[] = [];
    for (const m of markets) {
      const overrides = opts.overrides[m.mode];
      if (Object.keys(overrides).length === 0) continue;
      for (const [key, value] of Object.entries(overrides) as [RiskParamKey, number][]) {
        m.riskParams[key] = key === "gracePeriod" || key === "sliceInterval" ? value : BigInt(Math.round(value * 1e6)) * 10n ** 12n;
      }
      overrideTxs.push({
        from: DEPLOYER,
        to: m.deployment.market,
        data: encodeFunctionData({ abi: softLandingMarketAbi, functionName: "setRiskParams", args: [encodeRisk(m.riskParams)] }),
      });
    }
    if (overrideTxs.length > 0) {
      try {
        await chain.sendAndMine(overrideTxs, now, "setRiskParams");
      } catch (e) {
        throw new Error(`The market rejected the risk parameters (see _validateRiskParams): ${(e as Error).message}`);
      }
    }
    for (const m of markets) {
      m.handle.gracePeriod = Number(m.riskParams.gracePeriod);
      m.handle.sliceInterval = Number(m.riskParams.sliceInterval);
    }

    // Opening prices.
    await chain.sendAndMine(priceTxs(markets, pricesAt(0)), now, "opening prices");
    const openingWad: Record<string, bigint> = {};
    for (const [symbol, usd] of Object.entries(pricesAt(0))) openingWad[symbol] = toAnswer(usd) * 10n ** 10n;

    const specs = COLLATERAL_SYMBOLS.map((symbol) => {
      const token = markets[0]!.deployment.tokens[symbol]!.toLowerCase();
      return { symbol, decimals: markets[0]!.decimalsOf.get(token)!, lt: markets[0]!.lt.get(token)! };
    });
    const population = makePopulation(
      {
        count: opts.borrowers,
        seed: opts.seed,
        minUsd: opts.minUsd,
        maxUsd: opts.maxUsd,
        minHealth: opts.minHealth,
        maxHealth: opts.maxHealth,
      },
      specs,
      openingWad,
      6,
    );
    const accounts = population.map((b) => b.address);
    for (const m of markets) {
      m.keeper = new PromptKeeper(m.handle, KEEPER, accounts);
    }
    await openPositions(chain, markets, population, now);
    log(`  ${population.length} borrowers opened in both markets`);

    // Both markets must start from the same positions.
    const startScans = await scanAll(rpc, markets);
    const startHealth = startScans[0]!.accounts.map((a) => Number(a.healthFactor) / 1e18);
    startScans.forEach((scan, i) => {
      scan.accounts.forEach((a, j) => {
        if (a.healthFactor !== startScans[0]!.accounts[j]!.healthFactor || a.zone !== ZONE.HEALTHY) {
          throw new Error(`${markets[i]!.mode}: borrower ${a.account} opened at HF ${a.healthFactor} (expected identical, healthy)`);
        }
      });
    });
    const collateralUsd = population.reduce((s, b) => s + b.collateralUsd, 0);
    const debtUsd = population.reduce((s, b) => s + Number(b.debt) / 1e6, 0);

    // The replay.
    let keeperRounds = 0;
    const t0 = now;
    const updates = Math.min(eth.length - 1, opts.maxUpdates ?? Infinity);
    for (let k = 1; k <= updates; k++) {
      now = t0 + k * stepSeconds;
      const prices = pricesAt(k);
      await chain.sendAndMine(priceTxs(markets, prices), now, `price update ${k}`);
      const pricesWad = new Map<string, bigint>();
      for (const m of markets) {
        for (const symbol of COLLATERAL_SYMBOLS) {
          pricesWad.set(m.deployment.tokens[symbol]!.toLowerCase(), toAnswer(prices[symbol]!) * 10n ** 10n);
        }
      }
      // The keeper reacts in the next block; it acts again within the step only when that can change something:
      // hard liquidations may follow each other block after block, and a soft timer may expire before the next update.
      const stepEnd = now + stepSeconds;
      let landing = now + KEEPER_DELAY_S;
      for (let round = 0; landing < stepEnd && round < MAX_ROUNDS_PER_STEP; round++) {
        const { hardLiquidations, sentAny, nextTimer } = await keeperRound(chain, markets, landing, pricesWad);
        if (sentAny) keeperRounds++;
        if (hardLiquidations > 0) landing += KEEPER_DELAY_S;
        else if (nextTimer !== null && nextTimer < stepEnd) landing = Math.max(nextTimer, landing + 1);
        else break;
      }
      if (k % 500 === 0) log(`  update ${k}/${eth.length - 1} ETH $${eth[k]!.toFixed(2)}`);
    }

    if (process.env.BENCH_PROFILE) {
      for (const [method, t] of rpc.timing) log(`  rpc ${method}: ${t.calls} calls, ${(t.ms / 1000).toFixed(1)} s`);
    }
    const endScans = await scanAll(rpc, markets);
    const ethReplayed = eth.slice(0, updates + 1);
    const wbtcReplayed = wbtc.slice(0, updates + 1);
    const modes = {} as ReplayResult["modes"];
    markets.forEach((m, i) => {
      const closed = endScans[i]!.accounts.filter((a) => a.balances.every((b) => b === 0n)).length;
      modes[m.mode] = {
        riskParams: readableRisk(m.riskParams),
        result: m.metrics.summary({ positionsFullyClosed: closed, borrowers: population.length, collateralUsdAtStart: collateralUsd }),
      };
    });
    return {
      csvFile: opts.csvFile,
      window: {
        from: candles[0]!.time.toISOString(),
        to: new Date(candles[candles.length - 1]!.time.getTime() + 3_600_000).toISOString(),
        hours: candles.length,
      },
      path: {
        updates: ethReplayed.length,
        stepMinutes: opts.stepMinutes,
        ethFirst: ethReplayed[0]!,
        ethMin: Math.min(...ethReplayed),
        ethMax: Math.max(...ethReplayed),
        ethLast: ethReplayed[ethReplayed.length - 1]!,
        ethMaxDrawdown: maxDrawdown(ethReplayed),
        wbtcMin: Math.min(...wbtcReplayed),
        wbtcLast: wbtcReplayed[wbtcReplayed.length - 1]!,
        wbtcRealisedCorrelation: returnCorrelation(ethReplayed, wbtcReplayed),
      },
      population: {
        borrowers: population.length,
        collateralUsd,
        debtUsd,
        minHealth: Math.min(...startHealth),
        maxHealth: Math.max(...startHealth),
      },
      modes,
      keeperRounds,
      rpcRequests: rpc.requests,
      wallSeconds: (Date.now() - started) / 1000,
    };
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    await anvil.stop();
  }
}

async function inspectMarket(rpc: Rpc, mode: Mode, deployment: Deployment): Promise<MarketSetup> {
  const market = deployment.market;
  const collaterals = await call(rpc, market, encodeFunctionData({ abi: softLandingMarketAbi, functionName: "collaterals" }), (data) =>
    decodeFunctionResult({ abi: softLandingMarketAbi, functionName: "collaterals", data }),
  );
  const symbolOf = new Map<string, string>();
  for (const [symbol, token] of Object.entries(deployment.tokens)) symbolOf.set(token.toLowerCase(), symbol);
  const decimalsOf = new Map<string, number>();
  const ltv = new Map<string, bigint>();
  const lt = new Map<string, bigint>();
  const decimals: number[] = [];
  for (const c of collaterals) {
    const cfg = await call(
      rpc,
      market,
      encodeFunctionData({ abi: softLandingMarketAbi, functionName: "collateralConfig", args: [c] }),
      (data) => decodeFunctionResult({ abi: softLandingMarketAbi, functionName: "collateralConfig", data }),
    );
    decimalsOf.set(c.toLowerCase(), cfg.decimals);
    ltv.set(c.toLowerCase(), cfg.ltv);
    lt.set(c.toLowerCase(), cfg.lt);
    decimals.push(cfg.decimals);
  }
  for (const symbol of COLLATERAL_SYMBOLS) {
    if (!deployment.tokens[symbol] || !deployment.feeds[symbol]) throw new Error(`deployment has no ${symbol} token or feed`);
  }
  const risk = await call(rpc, market, encodeFunctionData({ abi: softLandingMarketAbi, functionName: "riskParams" }), (data) =>
    decodeFunctionResult({ abi: softLandingMarketAbi, functionName: "riskParams", data }),
  );
  const riskParams = { ...risk } as Record<RiskParamKey, bigint | number>;
  const handle: MarketHandle = {
    label: mode,
    market,
    lens: deployment.lens,
    collaterals,
    decimals,
    gracePeriod: Number(risk.gracePeriod),
    sliceInterval: Number(risk.sliceInterval),
  };
  return {
    mode,
    deployment,
    handle,
    keeper: new PromptKeeper(handle, KEEPER, []),
    metrics: new ModeMetrics(market, 6),
    symbolOf,
    decimalsOf,
    ltv,
    lt,
    riskParams,
  };
}

function priceTxs(markets: readonly MarketSetup[], prices: Record<string, number>): TxRequest[] {
  const txs: TxRequest[] = [];
  for (const m of markets) {
    for (const [symbol, usd] of Object.entries(prices)) {
      const feed = m.deployment.feeds[symbol];
      if (!feed) throw new Error(`deployment has no ${symbol} feed`);
      txs.push({
        from: DEPLOYER,
        to: feed,
        data: encodeFunctionData({ abi: mockAggregatorAbi, functionName: "setAnswer", args: [toAnswer(usd)] }),
        gas: 200_000n,
      });
    }
  }
  return txs;
}

/**
 * Lender liquidity, keeper funds and every borrower's position in both markets. Opening health may be as low as
 * 1.05, below what the devnet LTVs allow (LT/LTV ≈ 1.063–1.068), so LTVs are loosened to LT/1.049 while positions
 * open and restored right after; nothing else about the markets differs from the deployment.
 */
async function openPositions(chain: Chain, markets: readonly MarketSetup[], population: readonly Borrower[], now: number) {
  const totalDebt = population.reduce((s, b) => s + b.debt, 0n);
  const lenderDeposit = totalDebt * 2n + 1_000_000n * 10n ** 6n;
  const keeperFloat = totalDebt * 2n + 1_000_000n * 10n ** 6n;
  await chain.setBalances([...population.map((b) => b.address), KEEPER, LENDER, DEPLOYER], 10n ** 24n);

  const setup: TxRequest[] = [];
  for (const m of markets) {
    const usdc = m.deployment.tokens.USDC!;
    const market = m.deployment.market;
    setup.push(
      { from: LENDER, to: usdc, data: encodeFunctionData({ abi: mockErc20Abi, functionName: "mint", args: [LENDER, lenderDeposit] }) },
      { from: LENDER, to: usdc, data: encodeFunctionData({ abi: mockErc20Abi, functionName: "approve", args: [market, lenderDeposit] }) },
      { from: LENDER, to: market, data: encodeFunctionData({ abi: softLandingMarketAbi, functionName: "deposit", args: [lenderDeposit, LENDER] }) },
      { from: KEEPER, to: usdc, data: encodeFunctionData({ abi: mockErc20Abi, functionName: "mint", args: [KEEPER, keeperFloat] }) },
      { from: KEEPER, to: usdc, data: encodeFunctionData({ abi: mockErc20Abi, functionName: "approve", args: [market, maxUint256] }) },
    );
    for (const symbol of COLLATERAL_SYMBOLS) {
      const token = m.deployment.tokens[symbol]!;
      const lt = m.lt.get(token.toLowerCase())!;
      setup.push({
        from: DEPLOYER,
        to: market,
        data: encodeFunctionData({ abi: softLandingMarketAbi, functionName: "setCollateralParams", args: [token, (lt * 1000n) / 1049n, lt] }),
      });
    }
  }
  await chain.sendAndMine(setup, now, "lender, keeper and LTV setup");

  const borrows: TxRequest[] = [];
  for (const m of markets) {
    const market = m.deployment.market;
    for (const b of population) {
      for (const [symbol, amount] of Object.entries(b.collateral)) {
        const token = m.deployment.tokens[symbol]!;
        borrows.push(
          { from: b.address, to: token, data: encodeFunctionData({ abi: mockErc20Abi, functionName: "mint", args: [b.address, amount] }), gas: 200_000n },
          { from: b.address, to: token, data: encodeFunctionData({ abi: mockErc20Abi, functionName: "approve", args: [market, amount] }), gas: 200_000n },
          {
            from: b.address,
            to: market,
            data: encodeFunctionData({ abi: softLandingMarketAbi, functionName: "depositCollateral", args: [token, amount, b.address] }),
            gas: 400_000n,
          },
        );
      }
      borrows.push({
        from: b.address,
        to: market,
        data: encodeFunctionData({ abi: softLandingMarketAbi, functionName: "borrow", args: [b.debt, b.address, b.address] }),
        gas: 600_000n,
      });
    }
  }
  await chain.sendAndMine(borrows, now, "opening borrower positions");

  const restore: TxRequest[] = [];
  for (const m of markets) {
    for (const symbol of COLLATERAL_SYMBOLS) {
      const token = m.deployment.tokens[symbol]!;
      const key = token.toLowerCase();
      restore.push({
        from: DEPLOYER,
        to: m.deployment.market,
        data: encodeFunctionData({
          abi: softLandingMarketAbi,
          functionName: "setCollateralParams",
          args: [token, m.ltv.get(key)!, m.lt.get(key)!],
        }),
      });
    }
  }
  await chain.sendAndMine(restore, now, "restoring LTVs");
}

async function scanAll(rpc: Rpc, markets: readonly MarketSetup[]) {
  const requests = markets.map((m) => m.keeper.scanRequests());
  const flat = await rpc.batch<Hex>(requests.flat());
  let offset = 0;
  return markets.map((m, i) => {
    const slice = flat.slice(offset, offset + requests[i]!.length);
    offset += requests[i]!.length;
    return m.keeper.parseScan(slice);
  });
}

/** One keeper pass over both markets: read, decide, send, mine at `landing`; books the receipts. */
async function keeperRound(
  chain: Chain,
  markets: readonly MarketSetup[],
  landing: number,
  pricesWad: ReadonlyMap<string, bigint>,
): Promise<{ hardLiquidations: number; sentAny: boolean; nextTimer: number | null }> {
  const scans = await scanAll(chain.rpc, markets);
  const plans = markets.map((m, i) => m.keeper.plan(scans[i]!, landing));
  const timers = plans.map((p) => p.nextTimer).filter((t): t is number => t !== null);
  const nextTimer = timers.length === 0 ? null : Math.min(...timers);
  const previewRequests = markets.map((m, i) => m.keeper.previewRequests(plans[i]!.candidates));
  const previews = await chain.rpc.batch<Hex>(previewRequests.flat());
  const txs: (PlannedTx & { market: Address })[] = [];
  let offset = 0;
  markets.forEach((m, i) => {
    const mine = previews.slice(offset, offset + previewRequests[i]!.length);
    offset += previewRequests[i]!.length;
    for (const tx of plans[i]!.txs) txs.push({ ...tx, market: m.deployment.market });
    for (const tx of m.keeper.liquidations(plans[i]!.candidates, mine, landing)) txs.push({ ...tx, market: m.deployment.market });
  });
  if (txs.length === 0) return { hardLiquidations: 0, sentAny: false, nextTimer };

  const hashes = await chain.send(txs);
  const receipts: Receipt[] = await chain.mine(landing, hashes);
  const sent = new Map<Hex, { market: Address; action: KeeperAction }>();
  hashes.forEach((h, i) => sent.set(h, { market: txs[i]!.market, action: txs[i]!.action }));
  const decimals = new Map<string, number>();
  for (const m of markets) for (const [k, v] of m.decimalsOf) decimals.set(k, v);
  for (const m of markets) m.metrics.record(receipts, sent, pricesWad, decimals);
  return { hardLiquidations: txs.filter((t) => t.action === "hardLiquidation").length, sentAny: true, nextTimer };
}
