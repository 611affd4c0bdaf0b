/**
 * Risk-engine benchmark (`npm run bench:risk`): the band walk of a 5-collateral position over 1,000 price steps and a
 * 10,000-path 7-day Monte Carlo forecast, each timed over repeated runs (median reported; targets < 5 ms and
 * < 150 ms), plus the per-keystroke action preview (DESIGN §6: < 1 ms). Pure CPU work in this process: no chain.
 * Writes bench/results/risk.json and bench/results/risk.md.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { bandExposure, compareExposure, forecast, forecastInput, previewActions, WAD, type PositionSnapshot } from "../lib/risk";
import { DEVNET_COLLATERALS, makeSnapshot, units, type FixtureCollateral } from "../lib/risk/fixtures";
import { machineInfo, machineMarkdown } from "./lib/machine";

const OUT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "results");
const WALK_RUNS = Number(process.env.BENCH_WALK_RUNS ?? 200);
const FORECAST_RUNS = Number(process.env.BENCH_FORECAST_RUNS ?? 25);
const PREVIEW_RUNS = Number(process.env.BENCH_PREVIEW_RUNS ?? 2000);

/** A 5-collateral market: the devnet's three plus two more (18 decimals), so 18- and 8-decimal assets mix. */
const COLLATERALS: FixtureCollateral[] = [
  ...DEVNET_COLLATERALS,
  { symbol: "cbETH", decimals: 18, ltv: 75n * 10n ** 16n, lt: 80n * 10n ** 16n, price: 3200n * WAD },
  { symbol: "LINK", decimals: 18, ltv: 60n * 10n ** 16n, lt: 70n * 10n ** 16n, price: 15n * WAD },
];

function position(): PositionSnapshot {
  return makeSnapshot({
    collaterals: COLLATERALS,
    // $15k WETH, $14k wstETH, $30k WBTC, $9.6k cbETH, $15k LINK; 60,000 USDC of debt: HF 1.083
    balances: [units(5, 18), units(4, 18), units(1, 8) / 2n, units(3, 18), units(1000, 18)],
    debt: units(60_000, 6),
  });
}

interface Timing {
  runs: number;
  medianMs: number;
  p90Ms: number;
  minMs: number;
  maxMs: number;
  /** Process CPU time per run (user + system), averaged over the timed runs: less sensitive to a busy machine. */
  cpuMsPerRun: number;
}

function time(runs: number, warmup: number, fn: () => void): Timing {
  for (let i = 0; i < warmup; i++) fn();
  const samples: number[] = [];
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    samples.push(performance.now() - t0);
  }
  const cpu = process.cpuUsage(cpu0);
  samples.sort((a, b) => a - b);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))]!;
  const round = (x: number) => Math.round(x * 1000) / 1000;
  return {
    runs,
    medianMs: round(at(0.5)),
    p90Ms: round(at(0.9)),
    minMs: round(samples[0]!),
    maxMs: round(samples.at(-1)!),
    cpuMsPerRun: round((cpu.user + cpu.system) / 1000 / runs),
  };
}

function main() {
  const loadAtStart = Math.round(os.loadavg()[0]! * 100) / 100;
  const s = position();
  const walkOptions = { speedPctPerHour: 5, stepPct: 0.06, steps: 1000, bandCount: 20 };
  const sample = bandExposure(s, walkOptions);
  if (!sample.ok) throw new Error(sample.message);
  // A fresh snapshot object each run: lib/risk remembers walks per snapshot, and a repeat would time the memo.
  const walk = time(WALK_RUNS, 20, () => {
    bandExposure({ ...s }, walkOptions);
  });
  const both = time(Math.ceil(WALK_RUNS / 2), 10, () => {
    compareExposure({ ...s }, walkOptions);
  });

  const input = forecastInput(s, { WETH: 0.75, wstETH: 0.75, WBTC: 0.6, cbETH: 0.75, LINK: 1.1 }, { correlation: 0.8, paths: 10_000, horizonsDays: [1, 7], seed: 1 });
  if (!input.ok) throw new Error(input.message);
  const result = forecast(input.input);
  if (!result.ok) throw new Error(result.message);
  const mc = time(FORECAST_RUNS, 3, () => {
    forecast(input.input);
  });

  const preview = time(PREVIEW_RUNS, 200, () => {
    previewActions(s, [
      { kind: "topUp", asset: 2, amount: 1_234_567n },
      { kind: "borrow", amount: units(500, 6) },
    ]);
  });

  const machine = { ...machineInfo(), loadAverage1mAtStart: loadAtStart, loadAverage1m: Math.round(os.loadavg()[0]! * 100) / 100 };
  const e = sample.exposure;
  const report = {
    machine,
    bandWalk: {
      description: "bandExposure of a 5-collateral position (HF 1.083, 60,000 USDC debt), 1,000 steps of 0.06% at 5%/h, soft mode",
      targetMs: 5,
      steps: e.steps,
      events: e.events.length,
      softSlices: e.totals.softSlices,
      hardLiquidations: e.totals.hardLiquidations,
      timing: walk,
      softAndConventional: both,
    },
    forecast: {
      description: "forecast over 5 correlated assets (ρ 0.8), 10,000 paths, horizons 1 and 7 days, 4 steps a day with Brownian-bridge correction",
      targetMs: 150,
      result: result.horizons,
      timing: mc,
    },
    actionPreview: {
      description: "previewActions: top up WBTC then borrow, with liquidation prices of all 5 collaterals before and after",
      targetMs: 1,
      timing: preview,
    },
  };
  mkdirSync(OUT, { recursive: true });
  writeFileSync(path.join(OUT, "risk.json"), JSON.stringify(report, null, 2) + "\n");
  const verdict = (ms: number, target: number) => (ms < target ? "met" : "missed");
  const row = (name: string, t: Timing, target: number) =>
    `| ${name} | ${t.runs} | **${t.medianMs} ms** | ${t.p90Ms} ms | ${t.minMs} ms | ${t.cpuMsPerRun} ms | < ${target} ms | ${verdict(t.medianMs, target)} | ${verdict(t.cpuMsPerRun, target)} |`;
  const md = [
    "# Risk engine benchmark",
    "",
    "Produced by `npm run bench:risk` (bench/risk.ts). Wall-clock time per run, median over repeated runs after a warm-up;",
    "CPU is the process's user+system time per run, which a busy shared machine inflates less than wall time.",
    "",
    "| what | runs | median | p90 | min | CPU/run | target | median vs target | CPU vs target |",
    "|---|---:|---:|---:|---:|---:|---:|---|---|",
    row("band walk, 5 collaterals, 1,000 steps (soft)", walk, 5),
    row("band walk soft + conventional (compareExposure)", both, 10),
    row("forecast, 10,000 paths, 7 days", mc, 150),
    row("action preview (top up + borrow)", preview, 1),
    "",
    `Band walk: ${e.steps} steps, ${e.events.length} liquidation transactions simulated (${e.totals.softSlices} soft slices, ${e.totals.hardLiquidations} hard).`,
    `Forecast result: ${result.horizons.map((h) => `${h.days} d: P(SOFT) ${(h.pSoft * 100).toFixed(2)}%, P(HARD) ${(h.pHard * 100).toFixed(2)}%`).join("; ")} (start HF ${result.startHealth.toFixed(3)}).`,
    "",
    "Machine:",
    "",
    machineMarkdown(machine),
    `- 1-minute load average: ${machine.loadAverage1mAtStart} at the start, ${machine.loadAverage1m} at the end, on ${machine.cores} cores (the machine is shared by several engineers; at a load of n per core a process gets about 1/n of a core, which is why wall time runs ~2–3× the CPU time here)`,
    "",
  ].join("\n");
  writeFileSync(path.join(OUT, "risk.md"), md);
  console.log(md);
}

main();
