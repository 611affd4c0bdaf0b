/**
 * One crash file replayed through three markets deployed side by side on a fresh anvil — soft liquidation, a
 * conventional cross-margin lender (Aave-like) and a conventional isolated lender (one account per collateral, as in
 * Maker vaults, Morpho Blue or Liquity markets) — with the same borrowers, the same oracle prices and, in each
 * market, the keeper that ships (`keeper/`, through its public core `step()`), stepped block by block on a chain this
 * module mines by hand. The floor (`lib/risk/floor.ts`) is computed for every borrower on the same path.
 */
import path from "node:path";
import pino from "pino";
import { decodeFunctionResult, encodeFunctionData, maxUint256, type Address, type Hex } from "viem";
import { createKeeper, snapshotOf, type ActionKind, type Keeper, type MarketView, type PositionsView, type StepReport } from "../../keeper";
import { mockAggregatorAbi, mockErc20Abi, softLandingLensAbi, softLandingMarketAbi } from "../../lib/chain/abis";
import type { Deployment } from "../../lib/chain/deployment";
import { ANVIL_ACCOUNTS } from "../../lib/chain/devnet";
import { deployMarket, startAnvil } from "../../lib/devnet/anvil";
import { liquidationFloor, type FloorPoint } from "../../lib/risk/floor";
import { collateralValue, repayForHealth, topUpForHealth, type PositionSnapshot } from "../../lib/risk";
import { AlertState, planBorrowers, responseDelaySeconds, type AlertKind, type BorrowerModel, type BorrowerPlan } from "./borrowers";
import { Chain, type Receipt, type TxRequest } from "./chain";
import { ModeMetrics, type GasPrices, type ModeSummary } from "./metrics";
import { makePopulation, splitIsolated, type Borrower, type IsolatedAccount } from "./population";
import { correlatedPath, interpolateCandles, readCandles, returnCorrelation, speedUpCandles } from "./pricePath";
import {
  applyRiskOverrides,
  readableRisk,
  riskKind,
  unknownKeys,
  type RiskOverrides,
  type RiskParamsValue,
} from "./riskParams";
import { Rpc } from "./rpc";

export const MODES = ["soft", "conventional", "isolated"] as const;
export type Mode = (typeof MODES)[number];
export const MODE_LABELS: Record<Mode, string> = {
  soft: "soft",
  conventional: "conventional cross-margin",
  isolated: "conventional isolated",
};

/**
 * The isolated comparator: the conventional deployment (hardHealth 1: no soft zone) with the terms of isolated
 * lending markets: a 100% close factor (Maker, Morpho Blue and Liquity all let one liquidation close the position)
 * and a 10% penalty (Maker ETH-A 13%, Liquity up to 10%, Morpho Blue's LIF 4.4–7.1% at these LLTVs). Applied only
 * for keys the market's RiskParams has; `--isolated-param` overrides them.
 */
export const ISOLATED_DEFAULTS: RiskOverrides = { hardCloseFactor: 1, hardBonus: 0.1 };

/** wstETH is priced at the devnet ratio 3500 / 3000 of ETH throughout (no depeg is modelled). */
export const WSTETH_PER_ETH = 3500 / 3000;
/** WBTC starts at the devnet price and follows its correlated path. */
export const WBTC_START_USD = 60_000;
/** The keeper's transactions land one Ethereum block (12 s) after the block it read. */
export const KEEPER_DELAY_S = 12;
/** Gas limit of every keeper transaction: a chain mined by hand cannot be estimated against the landing block. */
export const KEEPER_GAS_LIMIT = 1_500_000n;
/** Keeper blocks per oracle interval at most; the rest waits for the next update (counted in `roundCapHits`). */
const MAX_ROUNDS_PER_STEP = 60;
/** While positions open, LTV = LT / 1.03 (the lowest opening HF, 1.05, split by collateral, goes down to ~1.044). */
const OPENING_LTV_DIVISOR = 1030n;
/** The market stores ratios in whole millionths (PackedLib.PPM) and refuses anything finer. */
const PPM = 10n ** 12n;

function openingLtv(lt: bigint): bigint {
  return ((lt * 1000n) / OPENING_LTV_DIVISOR / PPM) * PPM;
}

const DEPLOYER = ANVIL_ACCOUNTS[0]!.address;
const LENDER = ANVIL_ACCOUNTS[1]!.address;
const KEEPER_ACCOUNTS: Record<Mode, (typeof ANVIL_ACCOUNTS)[number]> = {
  soft: ANVIL_ACCOUNTS[2]!,
  conventional: ANVIL_ACCOUNTS[3]!,
  isolated: ANVIL_ACCOUNTS[4]!,
};
const COLLATERAL_SYMBOLS = ["WETH", "wstETH", "WBTC"] as const;

export interface ReplayOptions {
  csvFile: string;
  /** Replay the path this many times faster (`speedUpCandles`); 1 when absent. */
  speedup?: number;
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
  gasPrices: GasPrices;
  /** Who acts, on what, how fast (bench/lib/borrowers.ts); the same in every market. */
  borrowerModel: BorrowerModel;
  /**
   * A protocol choice: the soft market turns the model's policy on for every borrower who set none (as a dapp that
   * opens positions with protection on by default would). The conventional markets are unchanged.
   */
  softDefaultPolicy?: boolean;
  /** Stop after this many oracle updates (for quick checks); the whole file when undefined. */
  maxUpdates?: number;
  log?: (line: string) => void;
}

interface MarketSetup {
  mode: Mode;
  deployment: Deployment;
  metrics: ModeMetrics;
  decimalsOf: Map<string, number>;
  ltv: Map<string, bigint>;
  lt: Map<string, bigint>;
  riskParams: RiskParamsValue;
  /** Accounts holding positions in this market, and the borrower (population index) each belongs to. */
  accounts: Address[];
  owner: Map<string, number>;
  keeper?: Keeper;
}

/** How one market's liquidations compare with the floor. */
export interface FloorComparison {
  /** liquidated volume ÷ floor volume */
  ratio: number | null;
  /** Borrowers this market sold less than their floor (grace periods outlasting a dip, or early over-selling). */
  borrowersBelowFloor: number;
  shortfallUsd: number;
  /** Borrowers this market liquidated although the floor sold nothing for them. */
  borrowersLiquidatedWithoutFloor: number;
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
    isolatedAccounts: number;
    collateralUsd: number;
    debtUsd: number;
    minHealth: number;
    maxHealth: number;
  };
  floor: {
    volumeUsd: number;
    borrowersWithSales: number;
    /** Borrowers whose collateral a price gap left worth less than their debt even under the floor. */
    insolventBorrowers: number;
    badDebtUsd: number;
  };
  modes: Record<
    Mode,
    { riskParams: Record<string, string | number | boolean>; result: ModeSummary & { accountsLiquidated: number; floor: FloorComparison } }
  >;
  /** Blocks in which a keeper sent something. */
  keeperRounds: number;
  /** `step()` calls, all keepers. */
  keeperSteps: number;
  /** Oracle intervals in which the keepers still had work after MAX_ROUNDS_PER_STEP blocks (0 expected). */
  roundCapHits: number;
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

/** Replays one crash file through the three markets on a fresh anvil. */
export async function replayCrash(opts: ReplayOptions): Promise<ReplayResult> {
  const log = opts.log ?? (() => {});
  const started = Date.now();
  const candles = speedUpCandles(readCandles(opts.csvFile), opts.speedup ?? 1);
  const eth = interpolateCandles(candles, opts.stepMinutes);
  const wbtc = correlatedPath(eth, WBTC_START_USD, opts.rho, opts.seed + 7919);
  const stepSeconds = opts.stepMinutes * 60;
  const pricesAt = (k: number): Record<string, number> => ({
    USDC: 1,
    WETH: eth[k]!,
    wstETH: eth[k]! * WSTETH_PER_ETH,
    WBTC: wbtc[k]!,
  });
  const updates = Math.min(eth.length - 1, opts.maxUpdates ?? Infinity);

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
        mode: mode === "soft" ? "soft" : "conventional",
        deploymentFile: `deployments/.local/bench-crash-${base}-${mode}.json`,
      });
      markets.push(await inspectMarket(rpc, mode, deployment));
    }
    // From here on transactions queue up and are mined explicitly, each block at a chosen timestamp.
    await rpc.call("evm_setAutomine", [false]);
    let now = (await chain.latestTimestamp()) + 60;

    // Risk parameters: the isolated terms, then the command line's (owner = anvil account 0). `setRiskParams` only
    // proposes (docs/liquidation.md R5): the replay moves its clock past the market's paramDelay and accepts.
    const overrideTxs: TxRequest[] = [];
    const proposed: MarketSetup[] = [];
    for (const m of markets) {
      const defaults = m.mode === "isolated" ? ISOLATED_DEFAULTS : {};
      const missing = unknownKeys(defaults);
      if (missing.length > 0) log(`  note: the market's RiskParams has no ${missing.join(", ")}; the isolated comparator keeps the conventional value`);
      const overrides = { ...Object.fromEntries(Object.entries(defaults).filter(([k]) => riskKind(k))), ...opts.overrides[m.mode] };
      if (Object.keys(overrides).length === 0) continue;
      proposed.push(m);
      overrideTxs.push({
        from: DEPLOYER,
        to: m.deployment.market,
        data: encodeFunctionData({
          abi: softLandingMarketAbi,
          functionName: "setRiskParams",
          args: [applyRiskOverrides(m.riskParams, overrides) as never],
        }),
      });
    }
    if (overrideTxs.length > 0) {
      try {
        await chain.sendAndMine(overrideTxs, now, "setRiskParams");
      } catch (e) {
        throw new Error(`The market rejected the risk parameters (its configuration validation): ${(e as Error).message}`);
      }
      const delays = await Promise.all(proposed.map((m) => readParamDelay(rpc, m.deployment.market)));
      now += Math.max(...delays);
      const accepts = proposed.map((m) => ({
        from: DEPLOYER,
        to: m.deployment.market,
        data: encodeFunctionData({ abi: softLandingMarketAbi, functionName: "acceptRiskParams" }),
      }));
      await chain.sendAndMine(accepts, now, "acceptRiskParams");
      // What the chain holds now, not what was asked for.
      for (const m of markets) m.riskParams = await readRiskParams(rpc, m.deployment.market);
    }

    // Opening prices.
    await chain.sendAndMine(priceTxs(markets, pricesAt(0)), now, "opening prices");
    const openingWad: Record<string, bigint> = {};
    for (const [symbol, usd] of Object.entries(pricesAt(0))) openingWad[symbol] = toAnswer(usd) * 10n ** 10n;

    const first = markets[0]!;
    const specs = COLLATERAL_SYMBOLS.map((symbol) => {
      const token = first.deployment.tokens[symbol]!.toLowerCase();
      return { symbol, decimals: first.decimalsOf.get(token)!, lt: first.lt.get(token)! };
    });
    const population = makePopulation(
      { count: opts.borrowers, seed: opts.seed, minUsd: opts.minUsd, maxUsd: opts.maxUsd, minHealth: opts.minHealth, maxHealth: opts.maxHealth },
      specs,
      openingWad,
      6,
    );
    const ltvBySymbol = Object.fromEntries(COLLATERAL_SYMBOLS.map((s) => [s, first.ltv.get(first.deployment.tokens[s]!.toLowerCase())!]));
    const isolated = splitIsolated(population, opts.seed, specs, ltvBySymbol, openingWad);
    for (const m of markets) {
      const list = m.mode === "isolated" ? isolated.map((a) => ({ address: a.address, borrower: a.borrower })) : population.map((b, i) => ({ address: b.address, borrower: i }));
      m.accounts = list.map((a) => a.address);
      for (const a of list) m.owner.set(a.address.toLowerCase(), a.borrower);
    }
    await openPositions(chain, markets, population, isolated, now);
    log(`  ${population.length} borrowers opened in each market (${isolated.length} isolated accounts)`);

    // Same positions: identical HF per borrower in the cross-margin markets; every isolated account healthy.
    const start = await Promise.all(markets.map((m) => readPositions(rpc, m)));
    const startHealth = start[0]!.accounts.map((a) => Number(a.healthFactor) / 1e18);
    markets.forEach((m, i) => {
      start[i]!.accounts.forEach((a, j) => {
        const same = m.mode === "isolated" || a.healthFactor === start[0]!.accounts[j]!.healthFactor;
        if (!same || a.zone !== 0 || !a.healthOk) {
          throw new Error(`${m.mode}: account ${a.account} opened at HF ${a.healthFactor} (expected ${m.mode === "isolated" ? "healthy" : "identical, healthy"})`);
        }
      });
    });
    const collateralUsd = population.reduce((s, b) => s + b.collateralUsd, 0);
    const debtUsd = population.reduce((s, b) => s + Number(b.debt) / 1e6, 0);

    // The borrower model: the same plan for a borrower in every market (each of its isolated accounts follows it).
    const plans = planBorrowers(population.length, opts.seed, opts.borrowerModel);
    const planOf = (m: MarketSetup, account: Address): BorrowerPlan => plans[m.owner.get(account.toLowerCase())!]!;
    await setPolicies(chain, markets, planOf, opts.borrowerModel, now, opts.softDefaultPolicy ?? false);
    const borrowers = new BorrowerResponses(rpc, chain, markets, planOf, opts);

    // The floor of every borrower along the path the oracles will publish (interest accrues with the timestamps).
    const t0 = now;
    const floors = await computeFloors(rpc, first, start[0]!, updates, (k) => pricesAt(k), t0, stepSeconds);

    // The shipped keeper, one per market, each with its own account.
    for (const m of markets) {
      m.keeper = createKeeper({
        rpcUrl: anvil.rpcUrl,
        chainId: 31337,
        deployment: m.deployment,
        privateKey: KEEPER_ACCOUNTS[m.mode].privateKey,
        gasLimit: KEEPER_GAS_LIMIT,
        logger: pino({ name: `keeper-${m.mode}`, level: process.env.BENCH_KEEPER_LOG ?? "silent" }),
      });
    }

    // The replay.
    let keeperRounds = 0;
    let keeperSteps = 0;
    let roundCapHits = 0;
    for (let k = 1; k <= updates; k++) {
      now = t0 + k * stepSeconds;
      const prices = pricesAt(k);
      await chain.sendAndMine(priceTxs(markets, prices), now, `price update ${k}`);
      borrowers.lastMined = now;
      await borrowers.observe(now);
      const pricesWad = new Map<string, bigint>();
      const decimals = new Map<string, number>();
      for (const m of markets) {
        for (const symbol of COLLATERAL_SYMBOLS) {
          const token = m.deployment.tokens[symbol]!.toLowerCase();
          pricesWad.set(token, toAnswer(prices[symbol]!) * 10n ** 10n);
          decimals.set(token, m.decimalsOf.get(token)!);
        }
      }
      // Each keeper steps for a block 12 s after the update. Within the interval it steps again only when that can
      // change something: right after it sent anything (a hard liquidation may be followed by another, a flag starts
      // a grace period), or at the moment a soft timer expires (the first block where the slice is allowed).
      const stepEnd = now + stepSeconds;
      let landing = now + KEEPER_DELAY_S;
      for (let round = 0; landing < stepEnd; round++) {
        if (round === MAX_ROUNDS_PER_STEP) {
          roundCapHits++;
          break;
        }
        await borrowers.respondUntil(landing - 1);
        const reports = await Promise.all(markets.map((m) => m.keeper!.step({ landingTimestamp: BigInt(landing) })));
        keeperSteps += reports.length;
        const sent = reports.flatMap((r, i) => r.sent.map((s) => ({ market: markets[i]!.deployment.market, hash: s.hash, action: s.kind })));
        const wakes = reports.map((r) => r.nextWakeAt).filter((t): t is bigint => t !== null);
        const wake = wakes.length === 0 ? null : Number(wakes.reduce((a, b) => (a < b ? a : b)));
        reportProblems(reports, markets, log);
        if (sent.length > 0) {
          keeperRounds++;
          const receipts: Receipt[] = await chain.mine(landing, sent.map((s) => s.hash));
          borrowers.lastMined = landing;
          if (receipts.length !== sent.length) throw new Error(`block ${landing}: ${sent.length - receipts.length} keeper transactions were not mined`);
          const byHash = new Map<Hex, { market: Address; action: ActionKind }>(sent.map((s) => [s.hash, { market: s.market, action: s.action }]));
          for (const m of markets) m.metrics.record(receipts, byHash, pricesWad, decimals, prices.WETH!);
          // The next block, or sooner if a timer expires first.
          landing = wake !== null && wake < landing + KEEPER_DELAY_S ? Math.max(wake, landing + 1) : landing + KEEPER_DELAY_S;
        } else if (wake !== null && wake < stepEnd) {
          landing = Math.max(wake, landing + 1);
        } else {
          break;
        }
      }
      await borrowers.respondUntil(stepEnd - 1);
      if (k % 500 === 0) log(`  update ${k}/${updates} ETH $${eth[k]!.toFixed(2)}`);
    }

    if (process.env.BENCH_PROFILE) {
      for (const [method, t] of rpc.timing) log(`  rpc ${method}: ${t.calls} calls, ${(t.ms / 1000).toFixed(1)} s`);
    }
    const end = await Promise.all(markets.map((m) => readPositions(rpc, m)));
    const ethReplayed = eth.slice(0, updates + 1);
    const wbtcReplayed = wbtc.slice(0, updates + 1);
    const modes = {} as ReplayResult["modes"];
    markets.forEach((m, i) => {
      // A borrower is fully closed when none of its accounts has collateral left.
      const open = new Set<number>();
      for (const a of end[i]!.accounts) if (a.balances.some((b) => b !== 0n)) open.add(m.owner.get(a.account.toLowerCase())!);
      const summary = m.metrics.summary({
        positionsFullyClosed: population.length - open.size,
        borrowers: population.length,
        collateralUsdAtStart: collateralUsd,
        gasPrices: opts.gasPrices,
      });
      // Borrowers, not accounts: an isolated borrower liquidated in two of its accounts counts once.
      const liquidatedAccounts = new Set(m.metrics.liquidations.map((l) => l.account.toLowerCase()));
      const borrowersLiquidated = new Set([...liquidatedAccounts].map((a) => m.owner.get(a))).size;
      modes[m.mode] = {
        riskParams: readableRisk(m.riskParams),
        result: {
          ...summary,
          borrowersLiquidated,
          accountsLiquidated: liquidatedAccounts.size,
          floor: compareWithFloor(m, floors.perBorrower, floors.volumeUsd),
        },
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
        isolatedAccounts: isolated.length,
        collateralUsd,
        debtUsd,
        minHealth: Math.min(...startHealth),
        maxHealth: Math.max(...startHealth),
      },
      floor: {
        volumeUsd: floors.volumeUsd,
        borrowersWithSales: floors.perBorrower.filter((v) => v > 0).length,
        insolventBorrowers: floors.insolvent,
        badDebtUsd: floors.badDebtUsd,
      },
      modes,
      keeperRounds,
      keeperSteps,
      roundCapHits,
      rpcRequests: rpc.requests,
      wallSeconds: (Date.now() - started) / 1000,
    };
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    await anvil.stop();
  }
}

/** Sends that failed or were refused are the keeper's to log; the replay prints them so a broken run is visible. */
function reportProblems(reports: readonly StepReport[], markets: readonly MarketSetup[], log: (line: string) => void) {
  reports.forEach((r, i) => {
    for (const f of r.failed) log(`  ${markets[i]!.mode} keeper: ${f.kind} ${f.account} not sent: ${f.error}`);
    for (const s of r.skipped) log(`  ${markets[i]!.mode} keeper: ${s.kind} ${s.account} refused: ${s.reason}`);
    if (r.readErrors > 0) log(`  ${markets[i]!.mode} keeper: ${r.readErrors} getPositions batches reverted`);
  });
}

async function readRiskParams(rpc: Rpc, market: Address): Promise<RiskParamsValue> {
  const risk = await call(rpc, market, encodeFunctionData({ abi: softLandingMarketAbi, functionName: "riskParams" }), (data) =>
    decodeFunctionResult({ abi: softLandingMarketAbi, functionName: "riskParams", data }),
  );
  return { ...(risk as unknown as RiskParamsValue) };
}

/** Seconds between proposing a parameter change and the first block that may accept it (R5). */
async function readParamDelay(rpc: Rpc, market: Address): Promise<number> {
  const delay = await call(rpc, market, encodeFunctionData({ abi: softLandingMarketAbi, functionName: "paramDelay" }), (data) =>
    decodeFunctionResult({ abi: softLandingMarketAbi, functionName: "paramDelay", data }),
  );
  return Number(delay);
}

async function inspectMarket(rpc: Rpc, mode: Mode, deployment: Deployment): Promise<MarketSetup> {
  const market = deployment.market;
  const collaterals = await call(rpc, market, encodeFunctionData({ abi: softLandingMarketAbi, functionName: "collaterals" }), (data) =>
    decodeFunctionResult({ abi: softLandingMarketAbi, functionName: "collaterals", data }),
  );
  const decimalsOf = new Map<string, number>();
  const ltv = new Map<string, bigint>();
  const lt = new Map<string, bigint>();
  for (const c of collaterals) {
    const cfg = await call(rpc, market, encodeFunctionData({ abi: softLandingMarketAbi, functionName: "collateralConfig", args: [c] }), (data) =>
      decodeFunctionResult({ abi: softLandingMarketAbi, functionName: "collateralConfig", data }),
    );
    decimalsOf.set(c.toLowerCase(), cfg.decimals);
    ltv.set(c.toLowerCase(), cfg.ltv);
    lt.set(c.toLowerCase(), cfg.lt);
  }
  for (const symbol of COLLATERAL_SYMBOLS) {
    if (!deployment.tokens[symbol] || !deployment.feeds[symbol]) throw new Error(`deployment has no ${symbol} token or feed`);
  }
  return {
    mode,
    deployment,
    metrics: new ModeMetrics(market, 6),
    decimalsOf,
    ltv,
    lt,
    riskParams: await readRiskParams(rpc, market),
    accounts: [],
    owner: new Map(),
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
 * Lender liquidity, keeper funds and every position: the borrowers themselves in the soft and cross-margin markets,
 * their per-collateral accounts in the isolated one. Opening health may be as low as 1.05 (a little lower for an
 * isolated account), below what the devnet LTVs allow (LT/LTV ≈ 1.063–1.068), so LTVs are loosened to LT/1.03 while
 * positions open and restored right after; nothing else about the markets differs from the deployment. Only LTVs
 * change (thresholds stay), so both changes apply at once: only a lower threshold waits for paramDelay (R5).
 */
async function openPositions(
  chain: Chain,
  markets: readonly MarketSetup[],
  population: readonly Borrower[],
  isolated: readonly IsolatedAccount[],
  now: number,
) {
  const totalDebt = population.reduce((s, b) => s + b.debt, 0n);
  const lenderDeposit = totalDebt * 2n + 1_000_000n * 10n ** 6n;
  const keeperFloat = totalDebt * 2n + 1_000_000n * 10n ** 6n;
  const keepers = MODES.map((m) => KEEPER_ACCOUNTS[m].address);
  await chain.setBalances([...population.map((b) => b.address), ...isolated.map((a) => a.address), ...keepers, LENDER, DEPLOYER], 10n ** 24n);

  const setup: TxRequest[] = [];
  for (const m of markets) {
    const usdc = m.deployment.tokens.USDC!;
    const market = m.deployment.market;
    const keeper = KEEPER_ACCOUNTS[m.mode].address;
    setup.push(
      { from: LENDER, to: usdc, data: encodeFunctionData({ abi: mockErc20Abi, functionName: "mint", args: [LENDER, lenderDeposit] }) },
      { from: LENDER, to: usdc, data: encodeFunctionData({ abi: mockErc20Abi, functionName: "approve", args: [market, lenderDeposit] }) },
      { from: LENDER, to: market, data: encodeFunctionData({ abi: softLandingMarketAbi, functionName: "deposit", args: [lenderDeposit, LENDER] }) },
      { from: keeper, to: usdc, data: encodeFunctionData({ abi: mockErc20Abi, functionName: "mint", args: [keeper, keeperFloat] }) },
      // The keeper would approve on its first liquidation; doing it here keeps its gas out of the figures.
      { from: keeper, to: usdc, data: encodeFunctionData({ abi: mockErc20Abi, functionName: "approve", args: [market, maxUint256] }) },
    );
    for (const symbol of COLLATERAL_SYMBOLS) {
      const token = m.deployment.tokens[symbol]!;
      const lt = m.lt.get(token.toLowerCase())!;
      setup.push({
        from: DEPLOYER,
        to: market,
        data: encodeFunctionData({ abi: softLandingMarketAbi, functionName: "setCollateralParams", args: [token, openingLtv(lt), lt] }),
      });
    }
  }
  await chain.sendAndMine(setup, now, "lender, keeper and LTV setup");

  const opening: TxRequest[] = [];
  const open = (m: MarketSetup, account: Address, collateral: Record<string, bigint>, debt: bigint) => {
    const market = m.deployment.market;
    for (const [symbol, amount] of Object.entries(collateral)) {
      const token = m.deployment.tokens[symbol]!;
      opening.push(
        { from: account, to: token, data: encodeFunctionData({ abi: mockErc20Abi, functionName: "mint", args: [account, amount] }), gas: 200_000n },
        { from: account, to: token, data: encodeFunctionData({ abi: mockErc20Abi, functionName: "approve", args: [market, amount] }), gas: 200_000n },
        {
          from: account,
          to: market,
          data: encodeFunctionData({ abi: softLandingMarketAbi, functionName: "depositCollateral", args: [token, amount, account] }),
          gas: 400_000n,
        },
      );
    }
    opening.push({
      from: account,
      to: market,
      data: encodeFunctionData({ abi: softLandingMarketAbi, functionName: "borrow", args: [debt, account, account] }),
      gas: 600_000n,
    });
  };
  for (const m of markets) {
    if (m.mode === "isolated") for (const a of isolated) open(m, a.address, { [a.symbol]: a.amount }, a.debt);
    else for (const b of population) open(m, b.address, b.collateral, b.debt);
  }
  await chain.sendAndMine(opening, now, "opening borrower positions");

  const restore: TxRequest[] = [];
  for (const m of markets) {
    for (const symbol of COLLATERAL_SYMBOLS) {
      const token = m.deployment.tokens[symbol]!;
      const key = token.toLowerCase();
      restore.push({
        from: DEPLOYER,
        to: m.deployment.market,
        data: encodeFunctionData({ abi: softLandingMarketAbi, functionName: "setCollateralParams", args: [token, m.ltv.get(key)!, m.lt.get(key)!] }),
      });
    }
  }
  await chain.sendAndMine(restore, now, "restoring LTVs");
}

/** Every account of the market through the Lens (the benchmark's own check, not the keeper's read). */
async function readPositions(rpc: Rpc, m: MarketSetup): Promise<PositionsView> {
  const requests = [];
  for (let i = 0; i < m.accounts.length; i += 200) {
    const data = encodeFunctionData({ abi: softLandingLensAbi, functionName: "getPositions", args: [m.deployment.market, m.accounts.slice(i, i + 200)] });
    requests.push({ method: "eth_call", params: [{ to: m.deployment.lens, data }, "latest"] });
  }
  const views = (await rpc.batch<Hex>(requests)).map((data) => decodeFunctionResult({ abi: softLandingLensAbi, functionName: "getPositions", data }));
  return { ...views[0]!, accounts: views.flatMap((v) => v.accounts) };
}

/** The floor of every borrower (population order), from its opening position in the soft market. */
async function computeFloors(
  rpc: Rpc,
  market: MarketSetup,
  positions: PositionsView,
  updates: number,
  pricesAt: (k: number) => Record<string, number>,
  t0: number,
  stepSeconds: number,
) {
  const view: MarketView = await call(
    rpc,
    market.deployment.lens,
    encodeFunctionData({ abi: softLandingLensAbi, functionName: "getMarket", args: [market.deployment.market] }),
    (data) => decodeFunctionResult({ abi: softLandingLensAbi, functionName: "getMarket", data }),
  );
  const symbolOf = new Map(Object.entries(market.deployment.tokens).map(([symbol, token]) => [token.toLowerCase(), symbol]));
  const symbols = view.collaterals.map((c) => symbolOf.get(c.asset.toLowerCase())!);
  const path: FloorPoint[] = [];
  for (let k = 1; k <= updates; k++) {
    const p = pricesAt(k);
    path.push({ prices: symbols.map((s) => toAnswer(p[s]!) * 10n ** 10n), timestamp: BigInt(t0 + k * stepSeconds) });
  }
  const perBorrower: number[] = [];
  let insolvent = 0;
  let badDebtUsd = 0;
  for (const summary of positions.accounts) {
    const floor = liquidationFloor(snapshotOf(view, positions, summary), path, { recordSales: false });
    if (!floor.ok) throw new Error(`floor of ${summary.account}: ${floor.message}`);
    perBorrower.push(Number(floor.volume) / 1e18);
    if (floor.insolvency) {
      insolvent++;
      badDebtUsd += Number(floor.insolvency.badDebt) / 1e6;
    }
  }
  return { perBorrower, volumeUsd: perBorrower.reduce((s, v) => s + v, 0), insolvent, badDebtUsd };
}

function compareWithFloor(m: MarketSetup, floorPerBorrower: readonly number[], floorVolume: number): FloorComparison {
  const sold = floorPerBorrower.map(() => 0);
  for (const l of m.metrics.liquidations) {
    const owner = m.owner.get(l.account.toLowerCase());
    if (owner !== undefined) sold[owner] = sold[owner]! + l.valueUsd;
  }
  let below = 0;
  let shortfall = 0;
  let withoutFloor = 0;
  floorPerBorrower.forEach((floor, i) => {
    // a cent of slack for the oracle-price rounding of the two sides
    if (sold[i]! < floor - 0.01) {
      below++;
      shortfall += floor - sold[i]!;
    }
    if (floor === 0 && sold[i]! > 0) withoutFloor++;
  });
  const volume = sold.reduce((s, v) => s + v, 0);
  return {
    ratio: floorVolume === 0 ? null : volume / floorVolume,
    borrowersBelowFloor: below,
    shortfallUsd: shortfall,
    borrowersLiquidatedWithoutFloor: withoutFloor,
  };
}


const ppmWad = (x: number): bigint => BigInt(Math.round(x * 1e6)) * PPM;

/**
 * Every policy borrower's accounts set the model's deleverage policy, in every market (docs/liquidation.md R9); with
 * `softDefault`, every other account in the soft market gets it too (counted as `defaultPolicies`).
 */
async function setPolicies(
  chain: Chain,
  markets: readonly MarketSetup[],
  planOf: (m: MarketSetup, account: Address) => BorrowerPlan,
  model: BorrowerModel,
  now: number,
  softDefault: boolean,
) {
  const policy = {
    triggerHealth: ppmWad(model.policy.triggerHealth),
    targetHealth: ppmWad(model.policy.targetHealth),
    maxBonus: ppmWad(model.policy.maxBonus),
    maxShare: ppmWad(model.policy.maxShare),
  };
  const txs: TxRequest[] = [];
  for (const m of markets) {
    for (const account of m.accounts) {
      if (planOf(m, account).behaviour === "policy") m.metrics.borrowerActions.policies++;
      else if (softDefault && m.mode === "soft") m.metrics.borrowerActions.defaultPolicies++;
      else continue;
      txs.push({
        from: account,
        to: m.deployment.market,
        data: encodeFunctionData({ abi: softLandingMarketAbi, functionName: "setDeleveragePolicy", args: [account, policy] }),
        gas: 300_000n,
      });
    }
  }
  try {
    await chain.sendAndMine(txs, now, "deleverage policies");
  } catch (e) {
    throw new Error(`A market refused the borrower model's policy (trigger, target, bonus <= softBonusMin, share): ${(e as Error).message}`);
  }
}

interface PendingResponse {
  market: MarketSetup;
  account: Address;
  due: number;
  kind: AlertKind;
}

/**
 * The alert-driven borrowers: at each oracle update their accounts' health is read (as a watcher would), alerts fire
 * (bench/lib/borrowers.ts), and each is answered after the borrower's response time with a top-up (spare collateral:
 * the account's largest collateral) or a repay that restores the model's health, computed with lib/risk on the
 * position as it is when the answer lands, and mined in a block at that moment.
 */
class BorrowerResponses {
  lastMined = 0;
  private readonly alerting: Map<MarketSetup, Address[]>;
  private readonly states = new Map<string, AlertState>();
  private pending: PendingResponse[] = [];
  private readonly restore: bigint;

  constructor(
    private readonly rpc: Rpc,
    private readonly chain: Chain,
    private readonly markets: readonly MarketSetup[],
    private readonly planOf: (m: MarketSetup, account: Address) => BorrowerPlan,
    private readonly opts: ReplayOptions,
  ) {
    this.alerting = new Map(markets.map((m) => [m, m.accounts.filter((a) => planOf(m, a).behaviour === "alerts")]));
    this.restore = ppmWad(opts.borrowerModel.restoreHealth);
  }

  /** Reads the alert-driven accounts' health at the latest block and schedules the answers to what fires. */
  async observe(now: number) {
    for (const m of this.markets) {
      const accounts = this.alerting.get(m)!;
      if (accounts.length === 0) continue;
      const view = await readPositions(this.rpc, { ...m, accounts });
      for (const a of view.accounts) {
        if (!a.healthOk || a.debt === 0n) continue;
        const key = `${m.mode}:${a.account.toLowerCase()}`;
        let state = this.states.get(key);
        if (!state) this.states.set(key, (state = new AlertState(this.opts.borrowerModel)));
        for (const kind of state.observe(Number(a.healthFactor) / 1e18)) {
          if (kind === "low") m.metrics.borrowerActions.alertsLow++;
          else m.metrics.borrowerActions.alertsUnderwater++;
          const borrower = m.owner.get(a.account.toLowerCase())!;
          const delay = responseDelaySeconds(this.opts.seed, borrower, kind, state.sent[kind], this.opts.borrowerModel);
          this.pending.push({ market: m, account: a.account, due: now + delay, kind });
        }
      }
    }
  }

  /** Answers every alert due by `until`, each in a block at its moment (never before the last mined block). */
  async respondUntil(until: number) {
    for (;;) {
      const due = this.pending.filter((p) => p.due <= until);
      if (due.length === 0) return;
      const at = Math.max(Math.min(...due.map((p) => p.due)), this.lastMined);
      const batch = due.filter((p) => Math.max(p.due, this.lastMined) <= at);
      this.pending = this.pending.filter((p) => !batch.includes(p));
      const txs: TxRequest[] = [];
      for (const p of batch) txs.push(...(await this.answer(p)));
      if (txs.length > 0) await this.chain.sendAndMine(txs, at, "borrower answers to alerts");
      this.lastMined = at;
    }
  }

  private async answer(p: PendingResponse): Promise<TxRequest[]> {
    const m = p.market;
    const s = await call(
      this.rpc,
      m.deployment.lens,
      encodeFunctionData({ abi: softLandingLensAbi, functionName: "getPosition", args: [m.deployment.market, p.account] }),
      (data) => decodeFunctionResult({ abi: softLandingLensAbi, functionName: "getPosition", data }) as PositionSnapshot,
    );
    if (s.debt === 0n || !s.healthOk || s.healthFactor >= this.restore) return [];
    const market = m.deployment.market;
    const from = p.account;
    const mint = (token: Address, amount: bigint): TxRequest[] => [
      { from, to: token, data: encodeFunctionData({ abi: mockErc20Abi, functionName: "mint", args: [from, amount] }), gas: 200_000n },
      { from, to: token, data: encodeFunctionData({ abi: mockErc20Abi, functionName: "approve", args: [market, amount] }), gas: 200_000n },
    ];
    if (this.planOf(m, p.account).spare) {
      // Spare collateral of the kind the account already holds most of (by value).
      let best = -1;
      let bestValue = -1n;
      s.market.collaterals.forEach((c, i) => {
        const v = c.priceOk && c.balance !== 0n ? collateralValue(c.balance, c.price, c.decimals) : 0n;
        if (c.balance !== 0n && v > bestValue) [best, bestValue] = [i, v];
      });
      if (best >= 0) {
        const top = topUpForHealth(s, best, this.restore);
        if (top.ok && top.amount > 0n) {
          const c = s.market.collaterals[best]!;
          m.metrics.borrowerActions.topUps++;
          m.metrics.borrowerActions.topUpUsd += Number(collateralValue(top.amount, c.price, c.decimals)) / 1e18;
          return [
            ...mint(c.asset, top.amount),
            {
              from,
              to: market,
              data: encodeFunctionData({ abi: softLandingMarketAbi, functionName: "depositCollateral", args: [c.asset, top.amount, from] }),
              gas: 400_000n,
            },
          ];
        }
      }
    }
    const repay = repayForHealth(s, this.restore);
    if (!repay.ok || repay.amount === 0n) return [];
    m.metrics.borrowerActions.repays++;
    m.metrics.borrowerActions.repayUsd += Number(repay.amount) / 10 ** s.market.loanDecimals;
    return [
      ...mint(s.market.loanToken, repay.amount),
      { from, to: market, data: encodeFunctionData({ abi: softLandingMarketAbi, functionName: "repay", args: [repay.amount, from] }), gas: 400_000n },
    ];
  }
}
