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
  ISOLATED_DEFAULTS,
  KEEPER_DELAY_S,
  MODES,
  MODE_LABELS,
  WBTC_START_USD,
  WSTETH_PER_ETH,
  replayCrash,
  type Mode,
  type ReplayResult,
} from "./lib/replay";
import { RISK_PARAM_KEYS, parseRiskOverrides, type RiskOverrides } from "./lib/riskParams";
import { DEFAULT_BORROWER_MODEL, parseBorrowerModel, type BorrowerModel } from "./lib/borrowers";

const CRASH_DIR = path.resolve(ROOT, "../shared/data/eth-crashes");
const RESULTS_DIR = path.join(ROOT, "bench/results");

const HELP = `npm run bench:crash -- [options]

Replays real ETH crashes through three markets deployed side by side on a fresh anvil — soft liquidation (DESIGN
defaults), a conventional cross-margin lender (Aave-like: hardHealth 1, close factor 50%, bonus 8%) and a
conventional isolated lender (one account per collateral, close factor 100%, penalty 10%) — with the same seeded
borrowers and the shipped keeper (keeper/, stepped block by block) in each, computes the floor (the least
collateral a prompt, bonus-free liquidator must sell if nobody acted) for every borrower, and writes
bench/results/crash.{json,md}.

Borrowers follow the model in bench/lib/borrowers.ts, identically in every market: by default 30% never act, 40%
answer alerts (health below 1.10, then below 1; log-normal response time, median 15 min, sigma 1; a top-up to
health 1.30 when they hold spare collateral (80%), else a repay), 30% run a deleverage policy (trigger 1.10, target
1.25, bonus 0.3%, 25% of the debt per execution).

Options:
  --csv FILE               candle file (time_utc,open,high,low,close; hourly, consecutive); repeatable.
                           Default: every file in ../shared/data/eth-crashes/
  --borrowers N            borrowers per market (default 200, 1..5000)
  --seed S                 seed for the population and the WBTC path (default 1, integer >= 0)
  --step-minutes M         minutes between oracle updates, a divisor of 60 (default 5)
  --rho R                  correlation of WBTC log returns with ETH's (default 0.8, -1..1)
  --min-health H           lowest opening health factor (default 1.05)
  --max-health H           highest opening health factor (default 2.5)
  --soft-param KEY=VALUE   override a soft-market risk parameter after deploy; repeatable
  --conventional-param KEY=VALUE
                           same for the cross-margin conventional market
  --isolated-param KEY=VALUE
                           same for the isolated market (its defaults: ${Object.entries(ISOLATED_DEFAULTS).map(([k, v]) => `${k}=${v}`).join(", ")})
                           Keys (the market's RiskParams): ${RISK_PARAM_KEYS.join(", ")}.
                           64-bit fields are ratios as decimals (sliceCap=0.05); narrower ones whole numbers
                           (gracePeriod=300, in seconds).
  --l1-gwei G              gas price for the L1 liquidator-profit figures (default 20)
  --l2-gwei G              gas price for the L2 liquidator-profit figures (default 0.01)
  --max-updates N          stop each replay after N oracle updates (quick checks; results go to crash.custom.*
                           unless --variant is given)
  --speedup K              replay every path K times faster (each K hourly candles merged into one: first open,
                           highest high, lowest low, last close); default 1, at most 24
  --borrower-model KEY=VALUE
                           vary the borrower model; repeatable. Keys: neverAct, alertShare, policyShare (shares;
                           the acting borrowers split alertShare : policyShare), spareCollateral,
                           responseMedianMinutes, responseSigma, alertHealth, restoreHealth, policyTrigger,
                           policyTarget, policyBonus, policyShareOfDebt
  --soft-default-policy on|off
                           a protocol choice, not a borrower's: in the soft market only, every borrower who set no
                           policy of their own gets the model's policy when the position opens (a dapp that turns
                           protection on by default; borrowers could turn it off). Default off
  --sensitivity on|off     also replay with never-act shares 0 / 30 / 60 / 100% (everything else unchanged) and
                           report them; on by default for the full default run, off otherwise
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
  try {
    return parseRiskOverrides(flag, values);
  } catch (e) {
    fail((e as Error).message);
  }
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
        "isolated-param": { type: "string", multiple: true },
        "l1-gwei": { type: "string" },
        "l2-gwei": { type: "string" },
        variant: { type: "string" },
        "max-updates": { type: "string" },
        speedup: { type: "string" },
        "borrower-model": { type: "string", multiple: true },
        sensitivity: { type: "string" },
        "soft-default-policy": { type: "string" },
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
  let borrowerModel: BorrowerModel;
  try {
    borrowerModel = parseBorrowerModel(v["borrower-model"]);
  } catch (e) {
    fail((e as Error).message);
  }
  const softDefault = v["soft-default-policy"];
  if (softDefault !== undefined && softDefault !== "on" && softDefault !== "off") fail(`--soft-default-policy must be "on" or "off", got "${softDefault}"`);
  const softDefaultPolicy = softDefault === "on";
  const fullDefaultRun = defaults && v["max-updates"] === undefined && v.speedup === undefined && !softDefaultPolicy;
  if (v.sensitivity !== undefined && v.sensitivity !== "on" && v.sensitivity !== "off") fail(`--sensitivity must be "on" or "off", got "${v.sensitivity}"`);
  const sensitivity = v.sensitivity === undefined ? fullDefaultRun : v.sensitivity === "on";
  const overrides: Record<Mode, RiskOverrides> = {
    soft: parseOverrides("soft-param", v["soft-param"]),
    conventional: parseOverrides("conventional-param", v["conventional-param"]),
    isolated: parseOverrides("isolated-param", v["isolated-param"]),
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
    gasPrices: {
      l1Gwei: parseNumber("l1-gwei", v["l1-gwei"], 20, (n) => n >= 0 && n <= 100_000, "a gas price in gwei (>= 0)"),
      l2Gwei: parseNumber("l2-gwei", v["l2-gwei"], 0.01, (n) => n >= 0 && n <= 100_000, "a gas price in gwei (>= 0)"),
    },
    speedup: parseNumber("speedup", v.speedup, 1, (n) => Number.isInteger(n) && n >= 1 && n <= 24, "a whole number from 1 to 24"),
    maxUpdates: v["max-updates"] === undefined ? undefined : parseNumber("max-updates", v["max-updates"], 0, (n) => Number.isInteger(n) && n >= 1, "a whole number >= 1"),
    borrowerModel,
    softDefaultPolicy,
    sensitivity,
    outputName: v.variant
      ? `crash.variant-${v.variant}`
      : fullDefaultRun
        ? "crash"
        : "crash.custom",
    variant: v.variant ?? null,
  };
}

const usd = (n: number) => {
  const sign = n < 0 ? "−" : "";
  const a = Math.abs(n);
  return `${sign}${a >= 1e6 ? `$${(a / 1e6).toFixed(2)}M` : a >= 1e3 ? `$${(a / 1e3).toFixed(1)}k` : `$${a.toFixed(2)}`}`;
};
const ratio = (num: number, den: number) => (den === 0 ? (num === 0 ? "–" : "∞") : `${(num / den).toFixed(1)}×`);
const ratio2 = (num: number, den: number) => (den === 0 ? (num === 0 ? "–" : "∞") : (num / den).toFixed(2));
const share = (part: number, whole: number) => (whole === 0 ? "–" : `${((100 * part) / whole).toFixed(0)}%`);
const OTHERS = ["conventional", "isolated"] as const;
/** The never-act shares of the sensitivity table (issue 14). */
const SENSITIVITY_SHARES = [0, 0.3, 0.6, 1];

export function ratios(r: ReplayResult) {
  const div = (a: number, b: number) => (b === 0 ? (a === 0 ? null : Infinity) : a / b);
  const s = r.modes.soft.result;
  return Object.fromEntries(
    OTHERS.map((m) => {
      const c = r.modes[m].result;
      return [
        `${m}OverSoft`,
        {
          liquidatedVolume: div(c.liquidatedVolumeUsd, s.liquidatedVolumeUsd),
          allPenalties: div(c.allPenaltiesUsd, s.allPenaltiesUsd),
          automatedVolume: div(c.automatedVolumeUsd, s.automatedVolumeUsd),
          liquidationTxs: div(c.liquidationTxs, s.liquidationTxs),
          penalties: div(c.penaltiesUsd, s.penaltiesUsd),
          positionsFullyClosed: div(c.positionsFullyClosed, s.positionsFullyClosed),
          badDebt: div(c.badDebtUsd, s.badDebtUsd),
          keeperGas: div(c.keeperGas, s.keeperGas),
        },
      ];
    }),
  );
}

function markdownTable(r: ReplayResult, gwei: { l1: number; l2: number }): string {
  const x = (m: Mode) => r.modes[m].result;
  type Row = [string, (m: Mode) => string, ((m: Mode) => number) | null];
  const unpaid = (m: Mode, which: "profitL1" | "profitL2") => {
    const p = x(m)[which];
    return `${p.softSlices.unprofitable} of ${p.softSlices.liquidations} / ${p.hard.unprofitable} of ${p.hard.liquidations}`;
  };
  const rows: Row[] = [
    ["forced liquidation volume (collateral sold by liquidations, USD at oracle price)", (m) => usd(x(m).liquidatedVolumeUsd), (m) => x(m).liquidatedVolumeUsd],
    ["automated deleverage volume (borrowers' policies; txs)", (m) => `${usd(x(m).automatedVolumeUsd)} (${x(m).deleverageTxs})`, (m) => x(m).automatedVolumeUsd],
    ["borrower top-ups answering alerts (count)", (m) => `${usd(x(m).borrowerActions.topUpUsd)} (${x(m).borrowerActions.topUps})`, null],
    ["borrower repays answering alerts (count)", (m) => `${usd(x(m).borrowerActions.repayUsd)} (${x(m).borrowerActions.repays})`, null],
    ["alerts sent: health below the alert level / below 1 (policies set)", (m) => `${x(m).borrowerActions.alertsLow} / ${x(m).borrowerActions.alertsUnderwater} (${x(m).borrowerActions.policies}${x(m).borrowerActions.defaultPolicies > 0 ? ` + ${x(m).borrowerActions.defaultPolicies} on by default` : ""})`, null],
    ["forced volume ÷ floor if nobody acted (floor " + usd(r.floor.volumeUsd) + ")", (m) => (x(m).floor.ratio === null ? "–" : x(m).floor.ratio!.toFixed(2)), null],
    ["borrowers sold below their floor (shortfall)", (m) => `${x(m).floor.borrowersBelowFloor} (${usd(x(m).floor.shortfallUsd)})`, null],
    ["volume sold in the HARD zone (share)", (m) => `${usd(x(m).hardVolumeUsd)} (${share(x(m).hardVolumeUsd, x(m).liquidatedVolumeUsd)})`, null],
    ["liquidation txs (soft slices + hard)", (m) => `${x(m).liquidationTxs} (${x(m).softSlices} + ${x(m).hardLiquidations})`, (m) => x(m).liquidationTxs],
    ["mean liquidation size", (m) => usd(x(m).meanLiquidationUsd), (m) => x(m).meanLiquidationUsd],
    ["median liquidation size", (m) => usd(x(m).medianLiquidationUsd), (m) => x(m).medianLiquidationUsd],
    ["liquidation bonus paid by borrowers", (m) => usd(x(m).penaltiesUsd), (m) => x(m).penaltiesUsd],
    ["automation bonus paid by borrowers", (m) => usd(x(m).automationBonusUsd), (m) => x(m).automationBonusUsd],
    ["borrower penalties, all bonuses", (m) => usd(x(m).allPenaltiesUsd), (m) => x(m).allPenaltiesUsd],
    [
      "borrowers liquidated at least once (isolated accounts)",
      (m) => `${x(m).borrowersLiquidated}${m === "isolated" ? ` (${x(m).accountsLiquidated})` : ""}`,
      (m) => x(m).borrowersLiquidated,
    ],
    ["borrowers fully closed (no collateral left)", (m) => String(x(m).positionsFullyClosed), (m) => x(m).positionsFullyClosed],
    ["bad debt (BadDebt events)", (m) => `${usd(x(m).badDebtUsd)} (${x(m).badDebtEvents})`, (m) => x(m).badDebtUsd],
    ["keeper gas (flag + unflag + liquidate)", (m) => x(m).keeperGas.toLocaleString("en-US"), (m) => x(m).keeperGas],
    ["keeper txs flag / unflag / liquidate (reverted)", (m) => `${x(m).keeperTxsByAction.flag} / ${x(m).keeperTxsByAction.unflag} / ${x(m).liquidationTxs} (${x(m).keeperRevertedTxs})`, null],
    [`liquidator profit net of gas at ${gwei.l1} gwei (median per liquidation)`, (m) => `${usd(x(m).profitL1.all.netUsd)} (${usd(x(m).profitL1.all.medianNetUsd)})`, null],
    [`liquidations not paying their gas at ${gwei.l1} gwei: soft / hard`, (m) => unpaid(m, "profitL1"), null],
    [`liquidator profit net of gas at ${gwei.l2} gwei (median per liquidation)`, (m) => `${usd(x(m).profitL2.all.netUsd)} (${usd(x(m).profitL2.all.medianNetUsd)})`, null],
    [`liquidations not paying their gas at ${gwei.l2} gwei: soft / hard`, (m) => unpaid(m, "profitL2"), null],
    [`keeper gas earning no bonus (flags, unflags, reverts) at ${gwei.l1} / ${gwei.l2} gwei`, (m) => `${usd(x(m).profitL1.overheadUsd)} / ${usd(x(m).profitL2.overheadUsd)}`, null],
  ];
  return [
    `| per mode | ${MODES.map((m) => MODE_LABELS[m]).join(" | ")} | cross ÷ soft | isolated ÷ soft |`,
    "|---|---:|---:|---:|---:|---:|",
    ...rows.map(([label, cell, value]) => {
      const cells = MODES.map(cell);
      const ratios = value ? OTHERS.map((m) => ratio(value(m), value("soft"))) : ["", ""];
      return `| ${label} | ${cells.join(" | ")} | ${ratios.join(" | ")} |`;
    }),
  ].join("\n");
}

function describeRun(r: ReplayResult, gwei: { l1: number; l2: number }): string {
  const p = r.path;
  return [
    `### ${path.basename(r.csvFile)} — ${r.window.from.slice(0, 16)} → ${r.window.to.slice(0, 16)} UTC (${r.window.hours} h)`,
    "",
    `ETH ${p.ethFirst.toFixed(0)} → low ${p.ethMin.toFixed(0)} → ${p.ethLast.toFixed(0)} (max drawdown ${(p.ethMaxDrawdown * 100).toFixed(1)}%), ` +
      `${p.updates} oracle updates every ${p.stepMinutes} min; WBTC ${WBTC_START_USD} → low ${p.wbtcMin.toFixed(0)} → ${p.wbtcLast.toFixed(0)} ` +
      `(realised return correlation with ETH ${p.wbtcRealisedCorrelation.toFixed(2)}). ` +
      `${r.population.borrowers} borrowers (${r.population.isolatedAccounts} isolated accounts), ${usd(r.population.collateralUsd)} collateral, ${usd(r.population.debtUsd)} debt, ` +
      `opening HF ${r.population.minHealth.toFixed(3)}–${r.population.maxHealth.toFixed(3)}. ` +
      `Floor: ${usd(r.floor.volumeUsd)} sold for ${r.floor.borrowersWithSales} borrowers` +
      (r.floor.insolventBorrowers > 0 ? `, ${r.floor.insolventBorrowers} insolvent even so (${usd(r.floor.badDebtUsd)})` : "") +
      `. ${r.keeperSteps} keeper steps, ${r.keeperRounds} blocks with keeper transactions` +
      (r.roundCapHits > 0 ? ` (${r.roundCapHits} intervals hit the cap of keeper blocks per interval)` : "") +
      `. Wall time ${r.wallSeconds.toFixed(0)} s.`,
    "",
    markdownTable(r, gwei),
    "",
    ...MODES.map((m) => {
      const x = r.modes[m].result;
      const h = x.hardLiquidationHealthBefore;
      const cases = x.badDebtCases.map((c) => `${usd(c.badDebtUsd)} after a ${c.lastLiquidationZone === 2 ? "hard" : "soft"} liquidation at HF ${c.lastLiquidationHealthBefore?.toFixed(3) ?? "?"}`);
      return (
        `- ${MODE_LABELS[m]}: ${h ? `hard liquidations caught accounts at HF ${h.min.toFixed(3)}–${h.max.toFixed(3)} (median ${h.median.toFixed(3)})` : "no hard liquidations"}` +
        (x.floor.borrowersLiquidatedWithoutFloor > 0 ? `; ${x.floor.borrowersLiquidatedWithoutFloor} borrowers liquidated whom the floor never sold` : "") +
        (cases.length > 0 ? `; bad debt: ${cases.slice(0, 5).join(", ")}${cases.length > 5 ? ` and ${cases.length - 5} more` : ""}` : "")
      );
    }),
  ].join("\n");
}

/** Issue 14's targets, per crash, with the default borrower model. */
function actingTargets(results: readonly ReplayResult[]): string {
  const lines = [
    "| crash | forced liquidation volume soft / cross | cross ÷ soft | all penalties soft / cross | cross ÷ soft | soft bad debt |",
    "|---|---:|---:|---:|---:|---:|",
    "| *target* | | *>= 10×* | | *>= 10×* | *$0* |",
  ];
  for (const r of results) {
    const s = r.modes.soft.result;
    const c = r.modes.conventional.result;
    lines.push(
      `| ${path.basename(r.csvFile, ".csv")} | ${usd(s.liquidatedVolumeUsd)} / ${usd(c.liquidatedVolumeUsd)} | ${ratio(c.liquidatedVolumeUsd, s.liquidatedVolumeUsd)} | ` +
        `${usd(s.allPenaltiesUsd)} / ${usd(c.allPenaltiesUsd)} | ${ratio(c.allPenaltiesUsd, s.allPenaltiesUsd)} | ${usd(s.badDebtUsd)} |`,
    );
  }
  return lines.join("\n");
}

/** The never-act sweep: the same replay with only the share of borrowers who never act changed. */
function sensitivityTable(rows: readonly { neverAct: number; result: ReplayResult }[]): string {
  const lines = [
    "| crash | never act | forced volume soft / cross / isolated | cross ÷ soft | automated volume soft / cross / isolated | all penalties soft / cross / isolated | cross ÷ soft | bad debt soft / cross / isolated |",
    "|---|---:|---:|---:|---:|---:|---:|---:|",
  ];
  for (const { neverAct, result: r } of rows) {
    const x = (m: Mode) => r.modes[m].result;
    const all = (f: (m: Mode) => string) => MODES.map(f).join(" / ");
    lines.push(
      `| ${path.basename(r.csvFile, ".csv")} | ${(neverAct * 100).toFixed(0)}% | ${all((m) => usd(x(m).liquidatedVolumeUsd))} | ${ratio(x("conventional").liquidatedVolumeUsd, x("soft").liquidatedVolumeUsd)} | ` +
        `${all((m) => usd(x(m).automatedVolumeUsd))} | ${all((m) => usd(x(m).allPenaltiesUsd))} | ${ratio(x("conventional").allPenaltiesUsd, x("soft").allPenaltiesUsd)} | ${all((m) => usd(x(m).badDebtUsd))} |`,
    );
  }
  return lines.join("\n");
}

/** Issue 11's targets, per crash: soft bad debt, HARD share, penalties ratio, volume ÷ floor. */
function targets(results: readonly ReplayResult[]): string {
  const lines = [
    "| crash | ETH max drawdown | soft bad debt | soft volume in HARD zone | penalties cross ÷ soft | penalties isolated ÷ soft | soft volume ÷ floor |",
    "|---|---:|---:|---:|---:|---:|---:|",
    "| *target* | | *$0* | *<= 10%* | *>= 10×* | | *<= 1.2* |",
  ];
  for (const r of results) {
    const s = r.modes.soft.result;
    lines.push(
      `| ${path.basename(r.csvFile, ".csv")} | −${(r.path.ethMaxDrawdown * 100).toFixed(1)}% | ${usd(s.badDebtUsd)} | ${share(s.hardVolumeUsd, s.liquidatedVolumeUsd)} | ` +
        `${ratio(r.modes.conventional.result.penaltiesUsd, s.penaltiesUsd)} | ${ratio(r.modes.isolated.result.penaltiesUsd, s.penaltiesUsd)} | ` +
        `${s.floor.ratio === null ? "–" : s.floor.ratio.toFixed(2)} |`,
    );
  }
  return lines.join("\n");
}

function headline(results: readonly ReplayResult[], gwei: { l1: number; l2: number }): string {
  const lines = [
    `| crash | liquidated soft / cross / isolated | floor | volume ÷ floor soft / cross / isolated | penalties soft / cross / isolated | bad debt soft / cross / isolated | soft slices not paying gas at ${gwei.l1} / ${gwei.l2} gwei | keeper gas soft / cross / isolated |`,
    "|---|---:|---:|---:|---:|---:|---:|---:|",
  ];
  for (const r of results) {
    const all = (f: (m: Mode) => string) => MODES.map(f).join(" / ");
    const x = (m: Mode) => r.modes[m].result;
    const s = x("soft");
    lines.push(
      `| ${path.basename(r.csvFile, ".csv")} | ${all((m) => usd(x(m).liquidatedVolumeUsd))} | ${usd(r.floor.volumeUsd)} | ` +
        `${all((m) => ratio2(x(m).liquidatedVolumeUsd, r.floor.volumeUsd))} | ${all((m) => usd(x(m).penaltiesUsd))} | ${all((m) => usd(x(m).badDebtUsd))} | ` +
        `${s.profitL1.softSlices.unprofitable} / ${s.profitL2.softSlices.unprofitable} of ${s.softSlices} | ${all((m) => `${(x(m).keeperGas / 1e6).toFixed(1)}M`)} |`,
    );
  }
  return lines.join("\n");
}

function riskLine(params: Record<string, string | number | boolean>): string {
  return Object.entries(params)
    .map(([k, v]) => `${k} ${v}`)
    .join(", ");
}

async function main() {
  const cli = parseCli();
  const gwei = { l1: cli.gasPrices.l1Gwei, l2: cli.gasPrices.l2Gwei };
  const results: ReplayResult[] = [];
  const started = Date.now();
  const replay = (csvFile: string, borrowerModel: BorrowerModel) =>
    replayCrash({
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
      gasPrices: cli.gasPrices,
      maxUpdates: cli.maxUpdates,
      speedup: cli.speedup,
      borrowerModel,
      softDefaultPolicy: cli.softDefaultPolicy,
      log: (line) => console.log(line),
    });
  for (const csvFile of cli.csvFiles) {
    console.log(`replaying ${csvFile}`);
    const result = await replay(csvFile, cli.borrowerModel);
    results.push(result);
    console.log(`\n${describeRun(result, gwei)}\n`);
  }
  // The never-act sweep: every other setting as in the main run.
  const sweep: { neverAct: number; result: ReplayResult }[] = [];
  if (cli.sensitivity) {
    for (const [i, csvFile] of cli.csvFiles.entries()) {
      for (const neverAct of SENSITIVITY_SHARES) {
        if (neverAct === cli.borrowerModel.neverAct) {
          sweep.push({ neverAct, result: results[i]! });
          continue;
        }
        console.log(`replaying ${csvFile} with ${neverAct * 100}% of borrowers never acting`);
        sweep.push({ neverAct, result: await replay(csvFile, { ...cli.borrowerModel, neverAct }) });
      }
    }
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
      speedup: cli.speedup,
      wbtcCorrelation: cli.rho,
      openingHealth: [cli.minHealth, cli.maxHealth],
      collateralUsd: [1_000, 1_000_000],
      wstEthPerEth: WSTETH_PER_ETH,
      keeperDelaySeconds: KEEPER_DELAY_S,
      gasPricesGwei: cli.gasPrices,
      isolatedDefaults: ISOLATED_DEFAULTS,
      overrides: cli.overrides,
      maxUpdates: cli.maxUpdates ?? null,
      borrowerModel: cli.borrowerModel,
      softDefaultPolicy: cli.softDefaultPolicy,
      borrowerModelIsDefault: JSON.stringify(cli.borrowerModel) === JSON.stringify(DEFAULT_BORROWER_MODEL),
    },
    riskParams: Object.fromEntries(MODES.map((m) => [m, first.modes[m].riskParams])),
    totalWallSeconds: (Date.now() - started) / 1000,
    runs: results.map((r) => ({ ...r, csvFile: path.relative(ROOT, r.csvFile), ratios: ratios(r) })),
    sensitivity: sweep.map(({ neverAct, result: r }) => ({
      csvFile: path.relative(ROOT, r.csvFile),
      neverAct,
      modes: Object.fromEntries(MODES.map((m) => [m, r.modes[m].result])),
      ratios: ratios(r),
    })),
  };
  const md = [
    `# Crash replay: soft vs conventional (cross-margin and isolated) and the floor${cli.variant ? ` — variant \`${cli.variant}\`` : ""}`,
    "",
    "Generated by `npm run bench:crash" +
      (process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(" ")}` : "") +
      "`. Method and assumptions: [bench/README.md](../README.md).",
    "",
    `- ${cli.borrowers} seeded borrowers (seed ${cli.seed}), 2–3 collaterals each among WETH/wstETH/WBTC, $1k–$1M, opening HF ${cli.minHealth}–${cli.maxHealth}; ` +
      "in the isolated market each borrower is one account per collateral, debt split by borrow power",
    `- borrower model (bench/lib/borrowers.ts${JSON.stringify(cli.borrowerModel) === JSON.stringify(DEFAULT_BORROWER_MODEL) ? ", the issue's default" : ", varied"}): ` +
      `${(cli.borrowerModel.neverAct * 100).toFixed(0)}% never act; of the rest, alert-driven : policy = ${cli.borrowerModel.alertShare} : ${cli.borrowerModel.policyShare}; ` +
      `alerts below ${cli.borrowerModel.alertHealth} and below 1 (re-armed ${cli.borrowerModel.rearmMargin} above), answered after a log-normal delay (median ${cli.borrowerModel.responseMedianMinutes} min, sigma ${cli.borrowerModel.responseSigma}) ` +
      `with a top-up (${(cli.borrowerModel.spareCollateral * 100).toFixed(0)}% hold spare collateral) or a repay to health ${cli.borrowerModel.restoreHealth}; ` +
      `policies: trigger ${cli.borrowerModel.policy.triggerHealth}, target ${cli.borrowerModel.policy.targetHealth}, bonus ${(cli.borrowerModel.policy.maxBonus * 100).toFixed(1)}%, ${(cli.borrowerModel.policy.maxShare * 100).toFixed(0)}% of the debt per execution, in every market` +
      (cli.softDefaultPolicy ? "; **in the soft market the same policy is on by default for every other borrower** (`--soft-default-policy on`)" : ""),
    ...(cli.speedup > 1 ? [`- every path replayed ${cli.speedup}× faster: each ${cli.speedup} hourly candles merged into one hour (first open, highest high, lowest low, last close)`] : []),
    `- oracle update every ${cli.stepMinutes} min${cli.maxUpdates ? ` (first ${cli.maxUpdates} updates only)` : ""}; wstETH = ${WSTETH_PER_ETH.toFixed(4)} × ETH; WBTC log returns correlated ρ = ${cli.rho} with ETH's; USDC = $1`,
    `- the shipped keeper (keeper/, \`step()\`) in each market, its transactions landing ${KEEPER_DELAY_S} s after the block it read, or in the first block where a slice is allowed`,
    ...MODES.map((m) => `- ${MODE_LABELS[m]} risk params: ${riskLine(first.modes[m].riskParams)}`),
    `- liquidator profit = bonus value − gas × gas price × ETH price of the moment, at ${gwei.l1} gwei (L1) and ${gwei.l2} gwei (L2 execution only)`,
    `- total wall time ${json.totalWallSeconds.toFixed(0)} s`,
    "",
    "## Targets: borrowers who act (issue 14)",
    "",
    actingTargets(results),
    "",
    ...(sweep.length > 0
      ? ["## Sensitivity: share of borrowers who never act", "", "Everything else as in the main run.", "", sensitivityTable(sweep), ""]
      : []),
    "## Targets: issue 11 (slices, HARD share, floor)",
    "",
    targets(results),
    "",
    "## Headline",
    "",
    headline(results, gwei),
    "",
    "## Per crash",
    "",
    results.map((r) => describeRun(r, gwei)).join("\n\n"),
    "",
    "## Machine",
    "",
    machineMarkdown(machine),
    "",
  ].join("\n");
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(path.join(RESULTS_DIR, `${cli.outputName}.json`), JSON.stringify(json, null, 2) + "\n");
  writeFileSync(path.join(RESULTS_DIR, `${cli.outputName}.md`), md);
  console.log(actingTargets(results));
  if (sweep.length > 0) console.log(`\n${sensitivityTable(sweep)}`);
  console.log("");
  console.log(targets(results));
  console.log("");
  console.log(headline(results, gwei));
  console.log(`\nwrote bench/results/${cli.outputName}.json and .md (${json.totalWallSeconds.toFixed(0)} s)`);
}

main().catch((e: unknown) => {
  console.error(`bench:crash failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
