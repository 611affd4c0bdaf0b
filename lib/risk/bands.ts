/**
 * Band exposure: walk a steady price decline and apply the protocol's liquidation rules as a prompt keeper would,
 * then group what was sold into price bands. Every slice goes through `applyLiquidation`, so each one is exactly
 * what the contract would do at that price and time.
 *
 * Keeper model (the one `keeper/` implements with `chooseLiquidationCollateral`):
 * - prices move once per step; the keeper acts at the step's time and until the next step;
 * - it flags as soon as HF < 1 and unflags as soon as HF >= 1 (so a new dip starts a new grace period);
 * - SOFT: it slices the moment one is allowed (after the grace period unless below the grace floor, then every
 *   interval(depth)), at the auction's opening bonus, while still SOFT and before the next price step, repaying
 *   the full repay cap (docs/liquidation.md R1–R3);
 * - HARD: it liquidates at once, repeatedly, just enough to restore the target, until the account leaves HARD;
 * - collateral: the held asset with the largest USD value that the market accepts (ties: lowest index);
 * - with a deleverage policy (`options.policy`, docs/liquidation.md R9): before anything else, it executes the policy
 *   whenever the market allows (HF below the trigger, not HARD), again and again at once, as `keeper/` does with
 *   `choosePolicyCollateral`; the liquidation rules take over only where the policy cannot act.
 * Interest is NOT accrued during the walk: over hours it is far below a wei of HF per step at devnet rates, and a
 * snapshot cannot project the market's index exactly. Time still passes for grace periods and slice intervals.
 */
import type { Address } from "viem";
import { MAX_UINT256, WAD, collateralValue, debtValue, healthFactorOf, zoneOf } from "./math";
import { applyFlag, applyLiquidation, chooseLiquidationCollateral, flagLive, liquidationTimers } from "./liquidation";
import { applyDeleverage, choosePolicyCollateral, hasPolicy, validatePolicy } from "./policy";
import { collateralIndex, health, withChanges } from "./position";
import type { DeleveragePolicy, PositionSnapshot, RiskParams } from "./types";
import { Zone } from "./types";

export interface DeclineOptions {
  /** How fast the moving prices fall, in % of their starting value per hour (linear). */
  readonly speedPctPerHour: number;
  /** Price step in % of the starting price (default 0.1). */
  readonly stepPct?: number;
  /** Number of steps (default: enough to fall `depthPct`). */
  readonly steps?: number;
  /** How far the walk goes in % of the starting price when `steps` is not given (default 90). */
  readonly depthPct?: number;
  /** Collaterals whose price falls (default: every collateral that is not a USD stablecoin). */
  readonly assets?: readonly (Address | number)[];
  /** Number of price bands in the result (default 20). */
  readonly bandCount?: number;
  /** Risk parameters to walk under (default: the snapshot's). See `conventionalRisk`. */
  readonly risk?: RiskParams;
  /** Stop once bad debt has been written off (default true). */
  readonly stopAtBadDebt?: boolean;
  /**
   * A deleverage policy the keeper executes before anything else (R9). Default: none, so the walk shows what the
   * liquidation rules alone would sell, even for an account that has a policy (the page draws both).
   */
  readonly policy?: DeleveragePolicy;
}

/**
 * The one decline every page describes (preview, band chart, share page): 10% per hour in 0.25% steps down to −90%,
 * in 18 bands. Pages that say "37 slices sell $32,622" all walk this, so they print the same figures.
 */
export const STANDARD_DECLINE = { speedPctPerHour: 10, stepPct: 0.25, depthPct: 90, bandCount: 18 } as const;

/** One liquidation transaction in the walk: a soft slice, a hard liquidation or an execution of the policy. */
export interface WalkEvent {
  readonly kind: "soft" | "hard" | "policy";
  readonly step: number;
  readonly time: bigint;
  /** Price multiplier of the moving assets, WAD (1e18 = start). */
  readonly multiplier: bigint;
  /** The zone the account was in (a policy runs while HEALTHY or SOFT, never HARD). */
  readonly zone: Zone;
  readonly collateral: number;
  readonly repaid: bigint;
  readonly seized: bigint;
  readonly bonus: bigint;
  /** USD value (WAD) of the seized collateral at the moment of sale. */
  readonly soldValue: bigint;
  /** USD value (WAD) of the debt repaid. */
  readonly repaidValue: bigint;
  /** soldValue − repaidValue: what the borrower paid the liquidator above the debt. */
  readonly penalty: bigint;
  readonly healthBefore: bigint;
  readonly healthAfter: bigint;
  readonly badDebt: bigint;
}

/** What liquidations sold and cost over a band, or over the whole walk. */
export interface WalkTotals {
  /** Collateral units sold, in collateral order. */
  readonly soldUnits: readonly bigint[];
  readonly soldValue: bigint;
  readonly repaid: bigint;
  readonly repaidValue: bigint;
  readonly penalty: bigint;
  readonly badDebt: bigint;
  readonly softSlices: number;
  readonly hardLiquidations: number;
  /** Executions of the deleverage policy (0 without `options.policy`). */
  readonly policyExecutions: number;
}

export interface Band extends WalkTotals {
  /** Multipliers (WAD) bounding the band: prices from `fromMultiplier` down to `toMultiplier`. */
  readonly fromMultiplier: bigint;
  readonly toMultiplier: bigint;
  /** Moving assets' prices at the band's edges, in collateral order (fixed assets repeat their price). */
  readonly fromPrices: readonly bigint[];
  readonly toPrices: readonly bigint[];
  readonly startTime: bigint;
  readonly endTime: bigint;
  /** HF at the band's first price before any action, and after the band's last action. */
  readonly healthStart: bigint;
  readonly healthEnd: bigint;
  readonly zoneEnd: Zone;
}

export interface Milestone {
  readonly step: number;
  readonly multiplier: bigint;
  readonly time: bigint;
  /** Prices of every collateral at that point. */
  readonly prices: readonly bigint[];
}

export interface BandExposure {
  readonly risk: RiskParams;
  readonly moving: readonly number[];
  readonly stepSeconds: number;
  readonly steps: number;
  readonly bands: readonly Band[];
  readonly events: readonly WalkEvent[];
  /**
   * HF after the keeper's actions at every step where it acted (`acted`), and at the last step of every band, in
   * walk order: enough for a line chart (between two points nothing happens but the price falling).
   */
  readonly path: readonly { multiplier: bigint; time: bigint; healthFactor: bigint; zone: Zone; acted?: boolean }[];
  readonly totals: WalkTotals;
  /** Where HF first fell below 1, below hardHealth, and where bad debt was first written off (null: never). */
  readonly softStart: Milestone | null;
  readonly hardStart: Milestone | null;
  readonly badDebtStart: Milestone | null;
  readonly final: PositionSnapshot;
}

const STABLE = /^(USDC|USDT|DAI|USDS|FRAX|LUSD|GHO|PYUSD|CRVUSD|USDE|TUSD|FDUSD|SUSD)/i;

/** Heuristic used when the caller does not say which assets move: USD stablecoins stay at their price. */
export function isStablecoin(symbol: string): boolean {
  return STABLE.test(symbol);
}

/**
 * DESIGN §2.4.7: the same market as a conventional lender (no soft zone, 50% close factor, 8% bonus; an insolvent
 * account closed at 2%), as `DevnetConfig.conventionalRiskParams()` derives it.
 */
export function conventionalRisk(risk: RiskParams): RiskParams {
  return {
    ...risk,
    softBonusMin: 5n * 10n ** 15n,
    softBonusMax: 2n * 10n ** 16n,
    bonusRamp: 600,
    hardHealth: WAD,
    graceFloor: WAD,
    hardCloseFactor: 5n * 10n ** 17n,
    hardBonus: 8n * 10n ** 16n,
  };
}

/** Percent (a float such as 0.1) → WAD fraction (1e15), rounded to 1e-12 %. */
function pctToWad(pct: number): bigint {
  return BigInt(Math.round(pct * 1e6)) * 10n ** 10n;
}

export function movingAssets(s: PositionSnapshot, assets?: readonly (Address | number)[]): number[] {
  if (assets) return assets.map((a) => collateralIndex(s, a)).filter((i) => i >= 0);
  return s.market.collaterals.map((c, i) => (isStablecoin(c.symbol) ? -1 : i)).filter((i) => i >= 0);
}

export type WalkError = "INVALID_SPEED" | "INVALID_STEP" | "PRICE_UNAVAILABLE" | "INVALID_POLICY";

type WalkResult = { ok: true; exposure: BandExposure } | { ok: false; reason: WalkError; message: string };

/**
 * Walks already done, per snapshot (snapshots are immutable; a new read is a new object) and options: the preview
 * line and the band chart describe the same decline of the same position, and walk it once between them.
 */
const walks = new WeakMap<PositionSnapshot, Map<string, WalkResult>>();
const optionsKey = (options: DeclineOptions) =>
  JSON.stringify(options, (_key, value: unknown) => (typeof value === "bigint" ? value.toString() : value));

/** Walks the decline and returns bands, events and milestones, or a typed error for bad options. */
export function bandExposure(s: PositionSnapshot, options: DeclineOptions): WalkResult {
  let done = walks.get(s);
  if (!done) walks.set(s, (done = new Map()));
  const key = optionsKey(options);
  const known = done.get(key);
  if (known) return known;
  const result = walkDecline(s, options);
  done.set(key, result);
  return result;
}

function walkDecline(s: PositionSnapshot, options: DeclineOptions): WalkResult {
  const speed = options.speedPctPerHour;
  const stepPct = options.stepPct ?? 0.1;
  if (!(speed > 0) || !Number.isFinite(speed)) return { ok: false, reason: "INVALID_SPEED", message: "The decline speed must be a positive number of % per hour." };
  if (!(stepPct > 0) || stepPct >= 100) return { ok: false, reason: "INVALID_STEP", message: "The step must be between 0 and 100 %." };
  const stepWad = pctToWad(stepPct);
  const maxSteps = Number((WAD - 1n) / stepWad);
  const steps = Math.min(options.steps ?? Math.floor((options.depthPct ?? 90) / stepPct), maxSteps);
  if (!(steps >= 1)) return { ok: false, reason: "INVALID_STEP", message: "The walk needs at least one step." };
  if (!health(s).ok) return { ok: false, reason: "PRICE_UNAVAILABLE", message: "A price feed is stale or invalid." };
  // Judged against the market's own parameters: that is where the policy is stored, whatever `risk` the walk uses.
  const policy = options.policy && hasPolicy(options.policy) ? options.policy : null;
  if (policy) {
    const valid = validatePolicy(policy, s.market.risk);
    if (!valid.ok) return { ok: false, reason: "INVALID_POLICY", message: valid.message };
  }

  const risk = options.risk ?? s.market.risk;
  const moving = movingAssets(s, options.assets);
  const isMoving = s.market.collaterals.map((_, i) => moving.includes(i));
  const startPrices = s.market.collaterals.map((c) => c.price);
  const pricesAt = (m: bigint) => startPrices.map((p, i) => (isMoving[i] ? (p * m) / WAD : p));
  const stepSeconds = (stepPct / speed) * 3600;
  const t0 = s.timestamp;
  const timeAt = (k: number) => t0 + BigInt(Math.round(k * stepSeconds));
  const bandCount = Math.max(1, Math.min(options.bandCount ?? 20, steps));
  const stopAtBadDebt = options.stopAtBadDebt ?? true;
  const n = s.market.collaterals.length;

  // The walked account carries the policy to execute, under its current version (as a keeper would send it).
  let state = withChanges(policy ? { ...s, policy } : s, { risk });
  const events: WalkEvent[] = [];
  const path: BandExposure["path"][number][] = [];
  let softStart: Milestone | null = null;
  let hardStart: Milestone | null = null;
  let badDebtStart: Milestone | null = null;
  const bandStartHealth: bigint[] = new Array(bandCount).fill(0n);
  const bandEndHealth: bigint[] = new Array(bandCount).fill(0n);
  const bandEndZone: Zone[] = new Array(bandCount).fill(Zone.HEALTHY);
  const bandOf = (k: number) => Math.min(bandCount - 1, Math.floor(((k - 1) * bandCount) / steps));
  let lastStep = 0;

  // Most steps need no transaction. Between two keeper actions the balances and debt are fixed and prices only
  // fall, so HF only falls: the next step where the keeper must act (HF < 1 unflagged, HF < hardHealth, or the
  // next allowed slice) is found by binary search, and the steps in between are only looked at on band edges.
  const cols = s.market.collaterals;
  const healthAtStep = (k: number): { healthFactor: bigint; zone: Zone } => {
    if (state.debt === 0n) return { healthFactor: MAX_UINT256, zone: Zone.HEALTHY };
    const m = WAD - BigInt(k) * stepWad;
    let power = 0n;
    const held = state.market.collaterals;
    for (let i = 0; i < held.length; i++) {
      const c = held[i]!;
      if (c.balance === 0n) continue;
      const price = isMoving[i] ? (startPrices[i]! * m) / WAD : startPrices[i]!;
      power += (collateralValue(c.balance, price, cols[i]!.decimals) * c.lt) / WAD;
    }
    const hf = healthFactorOf(power, state.debtValue);
    return { healthFactor: hf, zone: zoneOf(hf, risk.hardHealth) };
  };
  // Between actions HF is (fixed power + A · multiplier) / debtValue up to rounding, so a float solves for the step
  // where it crosses a threshold and two or three exact evaluations around it settle the rounding.
  let lineFor: PositionSnapshot | null = null;
  let fixedPower = 0;
  let slope = 0;
  let debtF = 1;
  const line = () => {
    if (lineFor === state) return;
    lineFor = state;
    fixedPower = 0;
    slope = 0;
    state.market.collaterals.forEach((c, i) => {
      if (c.balance === 0n) return;
      const power = ((Number(c.balance) * Number(startPrices[i]!)) / 10 ** c.decimals) * (Number(c.lt) / 1e18);
      if (isMoving[i]) slope += power;
      else fixedPower += power;
    });
    debtF = Number(state.debtValue);
  };
  /** First step in [from, to] whose HF is below `threshold`, or to + 1. */
  const firstBelow = (from: number, to: number, threshold: bigint): number => {
    if (from > to) return to + 1;
    line();
    let k: number;
    if (slope <= 0) k = from;
    else {
      const crossing = ((Number(threshold) / 1e18) * debtF - fixedPower) / slope; // multiplier where HF = threshold
      const guess = Math.floor((1 - crossing) / (Number(stepWad) / 1e18)) + 1;
      k = Number.isFinite(guess) ? Math.min(Math.max(guess, from), to + 1) : from;
    }
    // exact: HF falls with k, so step back while the previous step is already below, forward while k is not
    while (k > from && healthAtStep(k - 1).healthFactor < threshold) k--;
    while (k <= to && healthAtStep(k).healthFactor >= threshold) k++;
    return k;
  };
  // While flagged the slice clock depends on the depth of every step (spacing and grace floor), so each step is
  // examined; before that, the walk jumps to the first step below HF 1, or below the policy's trigger (above 1).
  const actsBelow = policy ? policy.triggerHealth : WAD;
  const nextActionStep = (k: number): number => {
    if (state.debt === 0n) return steps + 1;
    if (!flagLive(state, timeAt(k))) return firstBelow(k, steps, actsBelow);
    return k;
  };
  const firstStepOfBand = (b: number) => Math.ceil((b * steps) / bandCount) + 1;
  const lastStepOfBand = (b: number) => Math.ceil(((b + 1) * steps) / bandCount);
  /** Band bookkeeping for the idle steps [from, to]: HF at band edges only. */
  const idle = (from: number, to: number) => {
    if (from > to) return;
    for (let b = bandOf(from); b <= bandOf(to); b++) {
      const first = firstStepOfBand(b);
      if (first >= from && first <= to) bandStartHealth[b] = healthAtStep(first).healthFactor;
      const last = Math.min(lastStepOfBand(b), to);
      const h = healthAtStep(last);
      bandEndHealth[b] = h.healthFactor;
      bandEndZone[b] = h.zone;
      if (last === lastStepOfBand(b)) path.push({ multiplier: WAD - BigInt(last) * stepWad, time: timeAt(last), healthFactor: h.healthFactor, zone: h.zone });
    }
    lastStep = to;
  };
  /** Adds one transaction to `events`, valued at the prices it happened at (the state before it). */
  const record = (
    kind: WalkEvent["kind"],
    step: number,
    time: bigint,
    multiplier: bigint,
    zone: Zone,
    collateral: number,
    r: Pick<WalkEvent, "repaid" | "seized" | "bonus" | "healthBefore" | "healthAfter" | "badDebt">,
  ) => {
    const col = state.market.collaterals[collateral]!;
    const soldValue = collateralValue(r.seized, col.price, col.decimals);
    const repaidValue = debtValue(r.repaid, state.market.loanPrice, state.market.loanDecimals);
    const { repaid, seized, bonus, healthBefore, healthAfter, badDebt } = r;
    events.push({ kind, step, time, multiplier, zone, collateral, repaid, seized, bonus, soldValue, repaidValue, penalty: soldValue - repaidValue, healthBefore, healthAfter, badDebt });
  };
  let prices: bigint[] = startPrices;
  let now = t0;

  for (let k = 1; k <= steps; k++) {
    const next = nextActionStep(k);
    idle(k, Math.min(next, steps + 1) - 1);
    if (next > steps) break;
    k = next;
    const multiplier = WAD - BigInt(k) * stepWad;
    now = timeAt(k);
    const until = timeAt(k + 1);
    prices = pricesAt(multiplier);
    const b = bandOf(k);
    const before = healthAtStep(k);
    if (k === firstStepOfBand(b)) bandStartHealth[b] = before.healthFactor;
    if (!softStart && before.healthFactor < WAD) softStart = { step: k, multiplier, time: now, prices };
    if (!hardStart && before.zone === Zone.HARD) hardStart = { step: k, multiplier, time: now, prices };
    lastStep = k;
    state = withChanges(state, { prices, timestamp: now });

    let t = now;
    for (let guard = 0; guard < 10_000; guard++) {
      // The borrower's standing order comes first; where it cannot act (HARD, nothing to repay) the rules below do.
      if (policy) {
        const p = choosePolicyCollateral(state);
        const r = p >= 0 ? applyDeleverage(state, p, { at: t }) : null;
        if (r?.ok) {
          record("policy", k, t, multiplier, zoneOf(r.healthBefore, risk.hardHealth), p, { ...r, badDebt: 0n });
          state = r.snapshot;
          if (state.debt === 0n) break;
          continue;
        }
      }
      // every state here comes from withChanges, whose derived HF and zone are the market's
      const h = { zone: state.zone as Zone, healthFactor: state.healthFactor };
      if (h.zone === Zone.HEALTHY) {
        if (state.flaggedAt !== 0n) state = withChanges(state, { flaggedAt: 0n });
        break;
      }
      if (!flagLive(state, t)) {
        const f = applyFlag(state, t);
        if (!f.ok) break;
        state = f.snapshot;
      }
      if (h.zone === Zone.SOFT) {
        const allowedAt = liquidationTimers(state, t).sliceAllowedAt;
        if (allowedAt === 0n) break;
        if (allowedAt > t) t = allowedAt;
        if (t >= until) break;
      }
      const c = chooseLiquidationCollateral(state, t);
      if (c < 0) break;
      const r = applyLiquidation(state, c, { at: t });
      if (!r.ok) break;
      record(r.zone === Zone.SOFT ? "soft" : "hard", k, t, multiplier, r.zone, c, r);
      if (!hardStart && r.zone === Zone.HARD) hardStart = { step: k, multiplier, time: now, prices };
      if (r.badDebt > 0n && !badDebtStart) badDebtStart = { step: k, multiplier, time: now, prices };
      state = r.snapshot;
      if (r.badDebt > 0n || state.debt === 0n) break;
    }
    const after = { healthFactor: state.healthFactor, zone: state.zone as Zone };
    path.push({ multiplier, time: now, healthFactor: after.healthFactor, zone: after.zone, acted: true });
    bandEndHealth[b] = after.healthFactor;
    bandEndZone[b] = after.zone;
    if ((stopAtBadDebt && badDebtStart) || state.debt === 0n) break;
  }
  // the final position at the last price walked
  if (lastStep > 0) {
    const m = WAD - BigInt(lastStep) * stepWad;
    const end = timeAt(lastStep);
    state = withChanges(state, { prices: pricesAt(m), timestamp: state.timestamp > end ? state.timestamp : end });
  }

  const empty = () => ({
    soldUnits: new Array<bigint>(n).fill(0n),
    soldValue: 0n,
    repaid: 0n,
    repaidValue: 0n,
    penalty: 0n,
    badDebt: 0n,
    softSlices: 0,
    hardLiquidations: 0,
    policyExecutions: 0,
  });
  const sums = Array.from({ length: bandCount }, empty);
  for (const e of events) {
    const sum = sums[bandOf(e.step)]!;
    sum.soldUnits[e.collateral] = sum.soldUnits[e.collateral]! + e.seized;
    sum.soldValue += e.soldValue;
    sum.repaid += e.repaid;
    sum.repaidValue += e.repaidValue;
    sum.penalty += e.penalty;
    sum.badDebt += e.badDebt;
    if (e.kind === "policy") sum.policyExecutions++;
    else if (e.kind === "soft") sum.softSlices++;
    else sum.hardLiquidations++;
  }
  const usedBands = lastStep === 0 ? 0 : bandOf(lastStep) + 1;
  const bands: Band[] = sums.slice(0, usedBands).map((sum, b) => {
    const firstStep = Math.ceil((b * steps) / bandCount) + 1;
    const lastOfBand = Math.min(lastStep, Math.ceil(((b + 1) * steps) / bandCount));
    const from = WAD - BigInt(firstStep - 1) * stepWad;
    const to = WAD - BigInt(lastOfBand) * stepWad;
    return {
      fromMultiplier: from,
      toMultiplier: to,
      fromPrices: pricesAt(from),
      toPrices: pricesAt(to),
      startTime: timeAt(firstStep - 1),
      endTime: timeAt(lastOfBand),
      ...sum,
      healthStart: bandStartHealth[b]!,
      healthEnd: bandEndHealth[b]!,
      zoneEnd: bandEndZone[b]!,
    };
  });
  const totals = empty();
  for (const e of events) {
    totals.soldUnits[e.collateral] = totals.soldUnits[e.collateral]! + e.seized;
    totals.soldValue += e.soldValue;
    totals.repaid += e.repaid;
    totals.repaidValue += e.repaidValue;
    totals.penalty += e.penalty;
    totals.badDebt += e.badDebt;
    if (e.kind === "policy") totals.policyExecutions++;
    else if (e.kind === "soft") totals.softSlices++;
    else totals.hardLiquidations++;
  }
  return {
    ok: true,
    exposure: { risk, moving, stepSeconds, steps: lastStep, bands, events, path, totals, softStart, hardStart, badDebtStart, final: state },
  };
}

export interface ExposureComparison {
  readonly soft: BandExposure;
  readonly conventional: BandExposure;
  /** conventional ÷ soft as floats for display (Infinity when soft is 0 and conventional is not). */
  readonly soldValueRatio: number;
  readonly penaltyRatio: number;
}

/** The same decline under the snapshot's (soft) parameters and under the conventional mode, side by side. */
export function compareExposure(
  s: PositionSnapshot,
  options: Omit<DeclineOptions, "risk">,
): { ok: true; comparison: ExposureComparison } | { ok: false; reason: WalkError; message: string } {
  const soft = bandExposure(s, options);
  if (!soft.ok) return soft;
  const conventional = bandExposure(s, { ...options, risk: conventionalRisk(s.market.risk) });
  if (!conventional.ok) return conventional;
  const ratio = (a: bigint, b: bigint) => (b === 0n ? (a === 0n ? 1 : Infinity) : Number((a * 1_000_000n) / b) / 1e6);
  return {
    ok: true,
    comparison: {
      soft: soft.exposure,
      conventional: conventional.exposure,
      soldValueRatio: ratio(conventional.exposure.totals.soldValue, soft.exposure.totals.soldValue),
      penaltyRatio: ratio(conventional.exposure.totals.penalty, soft.exposure.totals.penalty),
    },
  };
}
