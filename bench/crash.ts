/**
 * Crash replay: the same borrowers in a soft-liquidation market and a conventional one, through a real ETH crash.
 * Usage: npm run bench:crash -- [--csv FILE]... [--borrowers N] [--seed S] [--step-minutes M] [options]
 * See bench/README.md for the method and assumptions.
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { ROOT } from "../lib/devnet/anvil";
import { machineInfo, machineMarkdown } from "./lib/machine";
import { readCandles } from "./lib/pricePath";
import {
  KEEPER_DELAY_S,
  MODES,
  RISK_PARAM_KEYS,
  WBTC_START_USD,
  WSTETH_PER_ETH,
  replayCrash,
  type Mode,
  type ReplayResult,
  type RiskOverrides,
  type RiskParamKey,
} from "./lib/replay";

const CRASH_DIR = path.resolve(ROOT, "../shared/data/eth-crashes");
const RESULTS_DIR = path.join(ROOT, "bench/results");

const HELP = `npm run bench:crash -- [options]

Replays real ETH crashes through two markets deployed side by side on a fresh anvil — soft liquidation (DESIGN
defaults) and conventional (hardHealth 1, close factor 50%, bonus 8%) — with the same seeded borrowers and a prompt
keeper in both, and writes bench/results/crash.{json,md}.

Options:
  --csv FILE               candle file (time_utc,open,high,low,close; hourly); repeatable.
                           Default: every file in ../shared/data/eth-crashes/
  --borrowers N            borrowers per market (default 200, 1..5000)
  --seed S                 seed for the population and the WBTC path (default 1, integer >= 0)
  --step-minutes M         minutes between oracle updates, a divisor of 60 (default 5)
  --rho R                  correlation of WBTC log returns with ETH's (default 0.8, -1..1)
  --min-health H           lowest opening health factor (default 1.05)
  --max-health H           highest opening health factor (default 2.5)
  --soft-param KEY=VALUE   override a soft-market risk parameter after deploy; repeatable
  --conventional-param KEY=VALUE
                           same for the conventional market. Keys: ${RISK_PARAM_KEYS.join(", ")}.
                           Ratios as decimals (sliceCap=0.05), gracePeriod/sliceInterval in seconds.
  --max-updates N          stop each replay after N oracle updates (quick checks; results go to crash.custom.*
                           unless --variant is given)
  --variant NAME           label the run; results go to bench/results/crash.variant-NAME.{json,md}
                           (runs with --csv and no --variant go to crash.custom.*)
  --help                   show this help
`;

function fail(message: string): never {
  console.error(`bench:crash: ${message}\nRun with --help for usage.`);
  process.exit(2);
}

function parseNumber(name: string, raw: string | undefined, fallback: number, check: (n: number) => boolean, rule: string): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (raw.trim() === "" || !Number.isFinite(n) || !check(n)) fail(`--${name} must be ${rule}, got "${raw}"`);
  return n;
}

function parseOverrides(flag: string, values: string[] | undefined): RiskOverrides {
  const out: RiskOverrides = {};
  for (const item of values ?? []) {
    const match = /^([A-Za-z]+)=(.+)$/.exec(item);
    if (!match) fail(`--${flag} expects KEY=VALUE, got "${item}"`);
    const [, key, raw] = match;
    if (!(RISK_PARAM_KEYS as readonly string[]).includes(key!)) {
      fail(`--${flag}: unknown key "${key}"; use one of ${RISK_PARAM_KEYS.join(", ")}`);
    }
    const value = Number(raw);
    const isDuration = key === "gracePeriod" || key === "sliceInterval";
    if (!Number.isFinite(value) || value < 0 || (isDuration ? !Number.isInteger(value) || value > 604800 : value > 10)) {
      fail(`--${flag}: ${key} must be ${isDuration ? "whole seconds (0..604800)" : "a decimal ratio such as 0.05"}, got "${raw}"`);
    }
    out[key as RiskParamKey] = value;
  }
  return out;
}

function parseCli() {
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        csv: { type: "string", multiple: true },
        borrowers: { type: "string" },
        seed: { type: "string" },
        "step-minutes": { type: "string" },
        rho: { type: "string" },
        "min-health": { type: "string" },
        "max-health": { type: "string" },
        "soft-param": { type: "string", multiple: true },
        "conventional-param": { type: "string", multiple: true },
        variant: { type: "string" },
        "max-updates": { type: "string" },
        help: { type: "boolean" },
      },
      allowPositionals: false,
      strict: true,
    });
  } catch (e) {
    fail((e as Error).message);
  }
  const v = parsed.values;
  if (v.help) {
    console.log(HELP);
    process.exit(0);
  }
  const csvFiles = (v.csv ?? []).map((f) => path.resolve(f));
  for (const f of csvFiles) if (!existsSync(f)) fail(`--csv: no such file ${f}`);
  const defaults = csvFiles.length === 0;
  if (defaults) {
    if (!existsSync(CRASH_DIR)) fail(`no --csv given and the default crash folder ${CRASH_DIR} does not exist`);
    csvFiles.push(...readdirSync(CRASH_DIR).filter((f) => f.endsWith(".csv")).sort().map((f) => path.join(CRASH_DIR, f)));
    if (csvFiles.length === 0) fail(`no .csv files in ${CRASH_DIR}`);
  }
  // Every file is validated before any chain starts, so a bad file fails in a second, not after a replay.
  for (const f of csvFiles) {
    try {
      readCandles(f);
    } catch (e) {
      fail((e as Error).message);
    }
  }
  const stepMinutes = parseNumber("step-minutes", v["step-minutes"], 5, (n) => Number.isInteger(n) && n >= 1 && 60 % n === 0, "a whole divisor of 60 (1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60)");
  const minHealth = parseNumber("min-health", v["min-health"], 1.05, (n) => n >= 1.05 && n < 100, "a number >= 1.05 (the loosened opening LTV allows no less)");
  const maxHealth = parseNumber("max-health", v["max-health"], 2.5, (n) => n >= minHealth && n < 100, `a number >= --min-health (${minHealth})`);
  if (v.variant !== undefined && !/^[a-z0-9][a-z0-9-]{0,40}$/.test(v.variant)) {
    fail(`--variant must be lowercase letters, digits and dashes (e.g. slicecap-5), got "${v.variant}"`);
  }
  const overrides: Record<Mode, RiskOverrides> = {
    soft: parseOverrides("soft-param", v["soft-param"]),
    conventional: parseOverrides("conventional-param", v["conventional-param"]),
  };
  return {
    csvFiles,
    borrowers: parseNumber("borrowers", v.borrowers, 200, (n) => Number.isInteger(n) && n >= 1 && n <= 5000, "a whole number from 1 to 5000"),
    seed: parseNumber("seed", v.seed, 1, (n) => Number.isInteger(n) && n >= 0 && n <= 2 ** 31, "a whole number >= 0"),
    stepMinutes,
    rho: parseNumber("rho", v.rho, 0.8, (n) => n >= -1 && n <= 1, "a number from -1 to 1"),
    minHealth,
    maxHealth,
    overrides,
    maxUpdates: v["max-updates"] === undefined ? undefined : parseNumber("max-updates", v["max-updates"], 0, (n) => Number.isInteger(n) && n >= 1, "a whole number >= 1"),
    outputName: v.variant ? `crash.variant-${v.variant}` : defaults && v["max-updates"] === undefined ? "crash" : "crash.custom",
    variant: v.variant ?? null,
  };
}

const usd = (n: number) =>
  n >= 1e6 ? `$${(n / 1e6).toFixed(2)}M` : n >= 1e3 ? `$${(n / 1e3).toFixed(1)}k` : `$${n.toFixed(2)}`;
const ratio = (conv: number, soft: number) => (soft === 0 ? (conv === 0 ? "–" : "∞") : `${(conv / soft).toFixed(1)}×`);

export function ratios(r: ReplayResult) {
  const s = r.modes.soft.result;
  const c = r.modes.conventional.result;
  const div = (a: number, b: number) => (b === 0 ? (a === 0 ? null : Infinity) : a / b);
  return {
    liquidatedVolume: div(c.liquidatedVolumeUsd, s.liquidatedVolumeUsd),
    liquidationTxs: div(c.liquidationTxs, s.liquidationTxs),
    penalties: div(c.penaltiesUsd, s.penaltiesUsd),
    positionsFullyClosed: div(c.positionsFullyClosed, s.positionsFullyClosed),
    badDebt: div(c.badDebtUsd, s.badDebtUsd),
    keeperGas: div(c.keeperGas, s.keeperGas),
  };
}

function markdownTable(r: ReplayResult): string {
  const s = r.modes.soft.result;
  const c = r.modes.conventional.result;
  const rows: [string, string, string, string][] = [
    ["liquidated collateral (USD at oracle price)", usd(s.liquidatedVolumeUsd), usd(c.liquidatedVolumeUsd), ratio(c.liquidatedVolumeUsd, s.liquidatedVolumeUsd)],
    ["liquidation txs (soft slices + hard)", `${s.liquidationTxs} (${s.softSlices} + ${s.hardLiquidations})`, `${c.liquidationTxs} (${c.softSlices} + ${c.hardLiquidations})`, ratio(c.liquidationTxs, s.liquidationTxs)],
    ["  of which hard-zone volume", usd(s.hardVolumeUsd), usd(c.hardVolumeUsd), ""],
    ["mean liquidation size", usd(s.meanLiquidationUsd), usd(c.meanLiquidationUsd), ratio(c.meanLiquidationUsd, s.meanLiquidationUsd)],
    ["median liquidation size", usd(s.medianLiquidationUsd), usd(c.medianLiquidationUsd), ratio(c.medianLiquidationUsd, s.medianLiquidationUsd)],
    ["borrower penalties (bonus value)", usd(s.penaltiesUsd), usd(c.penaltiesUsd), ratio(c.penaltiesUsd, s.penaltiesUsd)],
    ["borrowers liquidated at least once", String(s.borrowersLiquidated), String(c.borrowersLiquidated), ratio(c.borrowersLiquidated, s.borrowersLiquidated)],
    ["positions fully closed (no collateral left)", String(s.positionsFullyClosed), String(c.positionsFullyClosed), ratio(c.positionsFullyClosed, s.positionsFullyClosed)],
    ["bad debt (BadDebt events)", `${usd(s.badDebtUsd)} (${s.badDebtEvents})`, `${usd(c.badDebtUsd)} (${c.badDebtEvents})`, ratio(c.badDebtUsd, s.badDebtUsd)],
    ["keeper gas (flag + unflag + liquidate)", s.keeperGas.toLocaleString("en-US"), c.keeperGas.toLocaleString("en-US"), ratio(c.keeperGas, s.keeperGas)],
    ["keeper txs flag / unflag / liquidate (reverted)", `${s.keeperTxsByAction.flag} / ${s.keeperTxsByAction.unflag} / ${s.liquidationTxs} (${s.keeperRevertedTxs})`, `${c.keeperTxsByAction.flag} / ${c.keeperTxsByAction.unflag} / ${c.liquidationTxs} (${c.keeperRevertedTxs})`, ""],
  ];
  return [
    "| per mode | soft | conventional | conventional ÷ soft |",
    "|---|---:|---:|---:|",
    ...rows.map((row) => `| ${row.join(" | ")} |`),
  ].join("\n");
}

function describeRun(r: ReplayResult): string {
  const p = r.path;
  return [
    `### ${path.basename(r.csvFile)} — ${r.window.from.slice(0, 16)} → ${r.window.to.slice(0, 16)} UTC (${r.window.hours} h)`,
    "",
    `ETH ${p.ethFirst.toFixed(0)} → low ${p.ethMin.toFixed(0)} → ${p.ethLast.toFixed(0)} (max drawdown ${(p.ethMaxDrawdown * 100).toFixed(1)}%), ` +
      `${p.updates} oracle updates every ${p.stepMinutes} min; WBTC ${WBTC_START_USD} → low ${p.wbtcMin.toFixed(0)} → ${p.wbtcLast.toFixed(0)} ` +
      `(realised return correlation with ETH ${p.wbtcRealisedCorrelation.toFixed(2)}). ` +
      `${r.population.borrowers} borrowers, ${usd(r.population.collateralUsd)} collateral, ${usd(r.population.debtUsd)} debt, ` +
      `opening HF ${r.population.minHealth.toFixed(3)}–${r.population.maxHealth.toFixed(3)}. Wall time ${r.wallSeconds.toFixed(0)} s.`,
    "",
    markdownTable(r),
    "",
    ...MODES.map((m) => {
      const x = r.modes[m].result;
      const h = x.hardLiquidationHealthBefore;
      const cases = x.badDebtCases.map((c) => `${usd(c.badDebtUsd)} after a ${c.lastLiquidationZone === 2 ? "hard" : "soft"} liquidation at HF ${c.lastLiquidationHealthBefore?.toFixed(3) ?? "?"}`);
      return (
        `- ${m}: ${h ? `hard liquidations caught accounts at HF ${h.min.toFixed(3)}–${h.max.toFixed(3)} (median ${h.median.toFixed(3)})` : "no hard liquidations"}` +
        (cases.length > 0 ? `; bad debt: ${cases.slice(0, 5).join(", ")}${cases.length > 5 ? ` and ${cases.length - 5} more` : ""}` : "")
      );
    }),
  ].join("\n");
}

function headline(results: readonly ReplayResult[]): string {
  const lines = [
    "| crash | ETH max drawdown | liquidated soft / conv | volume conv ÷ soft | soft volume in HARD zone | penalties soft / conv | penalties conv ÷ soft | bad debt soft / conv | keeper gas soft / conv |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
  ];
  for (const r of results) {
    const s = r.modes.soft.result;
    const c = r.modes.conventional.result;
    lines.push(
      `| ${path.basename(r.csvFile, ".csv")} | −${(r.path.ethMaxDrawdown * 100).toFixed(1)}% | ${usd(s.liquidatedVolumeUsd)} / ${usd(c.liquidatedVolumeUsd)} | ` +
        `${ratio(c.liquidatedVolumeUsd, s.liquidatedVolumeUsd)} | ${s.liquidatedVolumeUsd === 0 ? "–" : `${((100 * s.hardVolumeUsd) / s.liquidatedVolumeUsd).toFixed(0)}%`} | ${usd(s.penaltiesUsd)} / ${usd(c.penaltiesUsd)} | ${ratio(c.penaltiesUsd, s.penaltiesUsd)} | ` +
        `${usd(s.badDebtUsd)} / ${usd(c.badDebtUsd)} | ${(s.keeperGas / 1e6).toFixed(1)}M / ${(c.keeperGas / 1e6).toFixed(1)}M |`,
    );
  }
  return lines.join("\n");
}

function riskLine(params: Record<string, string | number>): string {
  return Object.entries(params)
    .map(([k, v]) => `${k} ${v}`)
    .join(", ");
}

async function main() {
  const cli = parseCli();
  const results: ReplayResult[] = [];
  const started = Date.now();
  for (const csvFile of cli.csvFiles) {
    console.log(`replaying ${csvFile}`);
    const result = await replayCrash({
      csvFile,
      borrowers: cli.borrowers,
      seed: cli.seed,
      stepMinutes: cli.stepMinutes,
      rho: cli.rho,
      minHealth: cli.minHealth,
      maxHealth: cli.maxHealth,
      minUsd: 1_000,
      maxUsd: 1_000_000,
      overrides: cli.overrides,
      maxUpdates: cli.maxUpdates,
      log: (line) => console.log(line),
    });
    results.push(result);
    console.log(`\n${describeRun(result)}\n`);
  }
  const machine = machineInfo();
  const first = results[0]!;
  const json = {
    benchmark: "crash-replay",
    variant: cli.variant,
    machine,
    settings: {
      borrowers: cli.borrowers,
      seed: cli.seed,
      stepMinutes: cli.stepMinutes,
      wbtcCorrelation: cli.rho,
      openingHealth: [cli.minHealth, cli.maxHealth],
      collateralUsd: [1_000, 1_000_000],
      wstEthPerEth: WSTETH_PER_ETH,
      keeperDelaySeconds: KEEPER_DELAY_S,
      overrides: cli.overrides,
    },
    riskParams: Object.fromEntries(MODES.map((m) => [m, first.modes[m].riskParams])),
    totalWallSeconds: (Date.now() - started) / 1000,
    runs: results.map((r) => ({ ...r, csvFile: path.relative(ROOT, r.csvFile), ratios: ratios(r) })),
  };
  const md = [
    `# Crash replay: soft vs conventional${cli.variant ? ` — variant \`${cli.variant}\`` : ""}`,
    "",
    "Generated by `npm run bench:crash" +
      (process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(" ")}` : "") +
      "`. Method and assumptions: [bench/README.md](../README.md).",
    "",
    `- ${cli.borrowers} seeded borrowers (seed ${cli.seed}), 2–3 collaterals each among WETH/wstETH/WBTC, $1k–$1M, opening HF ${cli.minHealth}–${cli.maxHealth}`,
    `- oracle update every ${cli.stepMinutes} min; wstETH = ${WSTETH_PER_ETH.toFixed(4)} × ETH; WBTC log returns correlated ρ = ${cli.rho} with ETH's; USDC = $1`,
    `- soft risk params: ${riskLine(first.modes.soft.riskParams)}`,
    `- conventional risk params: ${riskLine(first.modes.conventional.riskParams)}`,
    `- total wall time ${json.totalWallSeconds.toFixed(0)} s`,
    "",
    "## Headline",
    "",
    headline(results),
    "",
    "DESIGN §6 targets: liquidated volume conventional ÷ soft >= 10×, penalties conventional ÷ soft >= 10×, bad debt in soft mode 0.",
    "",
    "## Per crash",
    "",
    results.map(describeRun).join("\n\n"),
    "",
    "## Machine",
    "",
    machineMarkdown(machine),
    "",
  ].join("\n");
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(path.join(RESULTS_DIR, `${cli.outputName}.json`), JSON.stringify(json, null, 2) + "\n");
  writeFileSync(path.join(RESULTS_DIR, `${cli.outputName}.md`), md);
  console.log(headline(results));
  console.log(`\nwrote bench/results/${cli.outputName}.json and .md (${json.totalWallSeconds.toFixed(0)} s)`);
}

main().catch((e: unknown) => {
  console.error(`bench:crash failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
