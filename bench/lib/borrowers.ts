/**
 * The crash replay's borrower model (issue 14): who acts, on what, and how fast. Applied identically to every market
 * compared: a borrower's behaviour, its spare collateral and each response time are drawn from the seed and the
 * borrower's index alone, never from the market, so the soft, cross-margin and isolated markets see the same people.
 *
 * Default (fixed by the issue; vary it with options, never by editing these numbers):
 * - 30% never act;
 * - 40% act on alerts: alerted when health first falls below 1.10 and again when it first falls below 1 (the soft
 *   market flags then; conventional lenders' users get the same alerts), each answered after a log-normal response
 *   time (median 15 min, sigma 1.0) with a top-up that restores health 1.30 when they hold spare collateral (80% of
 *   them), else a repay that does;
 * - 30% run a deleverage policy (trigger 1.10, target 1.25, bonus 0.3%, 25% of the debt per execution): on-chain in
 *   every market (the conventional deployments run the same contract, where the policy plays the part of the
 *   automation services their users buy, e.g. DeFi Saver's automatic repay).
 */
import { Prng } from "./prng";

export type Behaviour = "never" | "alerts" | "policy";
export type AlertKind = "low" | "underwater";

export interface BorrowerModel {
  /** Share of borrowers who never act. The rest split between alerts and policies as `alertShare : policyShare`. */
  neverAct: number;
  /** Weights of the acting borrowers (their shares when `neverAct` is the default 0.3). */
  alertShare: number;
  policyShare: number;
  /** Share of alert-driven borrowers who hold spare collateral (they top up; the others repay). */
  spareCollateral: number;
  responseMedianMinutes: number;
  responseSigma: number;
  /** The first alert: health below this. The second: health below 1. */
  alertHealth: number;
  /** A responding borrower tops up or repays to this health. */
  restoreHealth: number;
  /** Health an alert must come back above before it can fire again (the watcher's hysteresis). */
  rearmMargin: number;
  policy: { triggerHealth: number; targetHealth: number; maxBonus: number; maxShare: number };
}

export const DEFAULT_BORROWER_MODEL: BorrowerModel = {
  neverAct: 0.3,
  alertShare: 0.4,
  policyShare: 0.3,
  spareCollateral: 0.8,
  responseMedianMinutes: 15,
  responseSigma: 1.0,
  alertHealth: 1.1,
  restoreHealth: 1.3,
  rearmMargin: 0.03,
  policy: { triggerHealth: 1.1, targetHealth: 1.25, maxBonus: 0.003, maxShare: 0.25 },
};

export interface BorrowerPlan {
  behaviour: Behaviour;
  /** Alert-driven only: holds spare collateral, so answers with a top-up rather than a repay. */
  spare: boolean;
}

/**
 * Each borrower's behaviour: whether it acts at all (`neverAct`), and if so whether by alerts or by a policy (in the
 * proportion `alertShare : policyShare`). With the same seed, raising `neverAct` only moves borrowers into "never"
 * (a clean sensitivity).
 */
export function planBorrowers(count: number, seed: number, model: BorrowerModel): BorrowerPlan[] {
  const rng = new Prng(seed ^ 0x5a17_b0b);
  const acting = model.alertShare + model.policyShare;
  const alertsAmongActing = acting === 0 ? 0 : model.alertShare / acting;
  return Array.from({ length: count }, () => {
    // Separate draws for "acts at all" and "how", so the never-act share moves no one between alerts and policies.
    const acts = rng.next() >= model.neverAct;
    const how = rng.next();
    const spare = rng.next() < model.spareCollateral;
    const behaviour: Behaviour = !acts ? "never" : how < alertsAmongActing ? "alerts" : "policy";
    return { behaviour, spare };
  });
}

/**
 * Seconds between the `occurrence`-th alert of `kind` to `borrower` and its answer: log-normal with the model's median
 * and sigma, from a stream keyed by (seed, borrower, kind, occurrence) so every market draws the same delay.
 */
export function responseDelaySeconds(seed: number, borrower: number, kind: AlertKind, occurrence: number, model: BorrowerModel): number {
  const key = (seed * 1_000_003 + borrower * 7_919 + (kind === "low" ? 1 : 2) * 104_729 + occurrence * 1_299_709) >>> 0;
  const z = new Prng(key).normal();
  return Math.max(1, Math.round(model.responseMedianMinutes * 60 * Math.exp(model.responseSigma * z)));
}

/**
 * Alert state of one account, as the watcher keeps it: each alert fires when health first crosses below its level
 * and re-arms once health is back `rearmMargin` above it. `observe` returns the alerts that fire at this reading.
 */
export class AlertState {
  private armed: Record<AlertKind, boolean> = { low: true, underwater: true };
  readonly sent: Record<AlertKind, number> = { low: 0, underwater: 0 };

  constructor(private readonly model: BorrowerModel) {}

  observe(health: number): AlertKind[] {
    const fired: AlertKind[] = [];
    const levels: [AlertKind, number][] = [
      ["low", this.model.alertHealth],
      ["underwater", 1],
    ];
    for (const [kind, level] of levels) {
      if (this.armed[kind] && health < level) {
        this.armed[kind] = false;
        this.sent[kind]++;
        fired.push(kind);
      } else if (!this.armed[kind] && health >= level + this.model.rearmMargin) {
        this.armed[kind] = true;
      }
    }
    return fired;
  }
}

/** Parses `--borrower-model KEY=VALUE` overrides onto the default. Throws with the key and the rule on bad input. */
export function parseBorrowerModel(values: readonly string[] | undefined): BorrowerModel {
  const model: BorrowerModel = { ...DEFAULT_BORROWER_MODEL, policy: { ...DEFAULT_BORROWER_MODEL.policy } };
  const share = (n: number) => n >= 0 && n <= 1;
  const rules: Record<string, [(n: number) => boolean, string, (n: number) => void]> = {
    neverAct: [share, "a share from 0 to 1", (n) => (model.neverAct = n)],
    alertShare: [share, "a share from 0 to 1", (n) => (model.alertShare = n)],
    policyShare: [share, "a share from 0 to 1", (n) => (model.policyShare = n)],
    spareCollateral: [share, "a share from 0 to 1", (n) => (model.spareCollateral = n)],
    responseMedianMinutes: [(n) => n > 0 && n <= 7 * 24 * 60, "minutes, above 0 and at most a week", (n) => (model.responseMedianMinutes = n)],
    responseSigma: [(n) => n >= 0 && n <= 5, "from 0 to 5", (n) => (model.responseSigma = n)],
    alertHealth: [(n) => n > 1 && n <= 3, "a health above 1 and at most 3", (n) => (model.alertHealth = n)],
    restoreHealth: [(n) => n > 1 && n <= 5, "a health above 1 and at most 5", (n) => (model.restoreHealth = n)],
    policyTrigger: [(n) => n > 1 && n <= 3, "a health above 1 and at most 3", (n) => (model.policy.triggerHealth = n)],
    policyTarget: [(n) => n > 1 && n <= 5, "a health above 1 and at most 5", (n) => (model.policy.targetHealth = n)],
    policyBonus: [(n) => n >= 0 && n <= 0.05, "a ratio from 0 to 0.05", (n) => (model.policy.maxBonus = n)],
    policyShareOfDebt: [(n) => n > 0 && n <= 1, "a ratio above 0 and at most 1", (n) => (model.policy.maxShare = n)],
  };
  for (const raw of values ?? []) {
    const eq = raw.indexOf("=");
    const key = eq < 0 ? raw : raw.slice(0, eq);
    const rule = rules[key];
    if (!rule) throw new Error(`--borrower-model: unknown key "${key}" (keys: ${Object.keys(rules).join(", ")})`);
    const text = eq < 0 ? "" : raw.slice(eq + 1);
    const n = Number(text);
    if (text.trim() === "" || !Number.isFinite(n) || !rule[0](n)) throw new Error(`--borrower-model ${key} must be ${rule[1]}, got "${text}"`);
    rule[2](n);
  }
  if (model.policy.targetHealth <= model.policy.triggerHealth) throw new Error("--borrower-model policyTarget must be above policyTrigger");
  if (model.alertShare + model.policyShare === 0 && model.neverAct < 1) throw new Error("--borrower-model alertShare and policyShare cannot both be 0 unless neverAct=1");
  return model;
}
