/** Property tests (fast-check) over random devnet-like positions: 18- and 8-decimal collateral, 6-decimal debt. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseAmount, previewActions, type Action } from "./actions";
import { bandExposure, compareExposure } from "./bands";
import { makeSnapshot } from "./fixtures";
import { applyLiquidation } from "./liquidation";
import { WAD } from "./math";
import { health, withChanges } from "./position";
import type { PositionSnapshot } from "./types";
import { Zone } from "./types";

const SEED = 424242;
const params = (numRuns: number) => ({ seed: SEED, numRuns });

/** Balances worth roughly $0–$300k per asset, prices within ±60% of the devnet's, debt as a share of borrow power. */
const position = (opts: { maxLeverage?: number; flaggedAgo?: boolean } = {}) =>
  fc
    .record({
      weth: fc.bigInt(0n, 100n * 10n ** 18n),
      wsteth: fc.bigInt(0n, 100n * 10n ** 18n),
      wbtc: fc.bigInt(0n, 5n * 10n ** 8n),
      wethPrice: fc.bigInt(1200n, 4800n),
      wstethPrice: fc.bigInt(1400n, 5600n),
      wbtcPrice: fc.bigInt(24_000n, 96_000n),
      leverage: fc.integer({ min: 1, max: Math.round((opts.maxLeverage ?? 1) * 1000) }),
      lowDigits: fc.bigInt(0n, 10n ** 18n - 1n),
    })
    .filter((r) => r.weth + r.wsteth + r.wbtc > 0n)
    .map((r) => {
      const prices = { WETH: r.wethPrice * WAD + r.lowDigits, wstETH: r.wstethPrice * WAD, WBTC: r.wbtcPrice * WAD };
      const empty = makeSnapshot({ balances: { WETH: r.weth, wstETH: r.wsteth, WBTC: r.wbtc }, prices });
      // debt = leverage ‰ of borrow power (above 1000‰ the position starts below its borrow power)
      const debt = (health(empty).borrowPower * BigInt(r.leverage)) / 1000n / 10n ** 12n;
      return makeSnapshot({
        balances: { WETH: r.weth, wstETH: r.wsteth, WBTC: r.wbtc },
        prices,
        debt,
        flaggedAt: opts.flaggedAgo ? 1_799_990_000n : 0n,
        timestamp: 1_800_000_000n,
      });
    });

const priceDrop = fc.record({ asset: fc.integer({ min: 0, max: 2 }), permille: fc.integer({ min: 1, max: 999 }) });

function drop(s: PositionSnapshot, asset: number, permille: number): PositionSnapshot {
  const prices = s.market.collaterals.map((c, i) => (i === asset ? (c.price * BigInt(1000 - permille)) / 1000n : c.price));
  return withChanges(s, { prices });
}

describe("properties", () => {
  it("health never rises when any price falls", () => {
    fc.assert(
      fc.property(position({ maxLeverage: 1.5 }), priceDrop, (s, d) => {
        expect(health(drop(s, d.asset, d.permille)).healthFactor).toBeLessThanOrEqual(health(s).healthFactor);
      }),
      params(500),
    );
  });

  it("a top-up never lowers health", () => {
    fc.assert(
      fc.property(position({ maxLeverage: 1.5 }), fc.integer({ min: 0, max: 2 }), fc.bigInt(1n, 10n ** 20n), (s, asset, amount) => {
        const r = previewActions(s, { kind: "topUp", asset, amount });
        if (!r.ok) throw new Error(r.message);
        expect(r.after.healthFactor).toBeGreaterThanOrEqual(r.before.healthFactor);
      }),
      params(500),
    );
  });

  it("a slice never raises debt, and a soft slice never lowers health (DESIGN §2.4.4)", () => {
    fc.assert(
      fc.property(position({ maxLeverage: 1.4, flaggedAgo: true }), fc.integer({ min: 0, max: 2 }), fc.bigInt(1n, 10n ** 12n), (s, asset, maxRepay) => {
        for (const repay of [maxRepay, 2n ** 256n - 1n]) {
          const r = applyLiquidation(s, asset, { maxRepay: repay });
          if (!r.ok) continue;
          expect(r.snapshot.debt).toBeLessThanOrEqual(s.debt);
          if (r.zone === Zone.SOFT) expect(r.healthAfter).toBeGreaterThanOrEqual(r.healthBefore);
        }
      }),
      params(500),
    );
  });

  it("band totals equal the simulated totals and the change in the position", () => {
    fc.assert(
      fc.property(
        position({ maxLeverage: 1 }),
        fc.double({ min: 0.5, max: 200, noNaN: true }),
        fc.double({ min: 0.05, max: 2, noNaN: true }),
        fc.integer({ min: 1, max: 40 }),
        (s, speed, stepPct, bandCount) => {
          const r = bandExposure(s, { speedPctPerHour: speed, stepPct, depthPct: 80, bandCount });
          if (!r.ok) throw new Error(r.message);
          const { bands, events, totals, final } = r.exposure;
          const sum = (f: (x: (typeof bands)[number]) => bigint) => bands.reduce((a, b) => a + f(b), 0n);
          expect(sum((b) => b.repaid)).toBe(totals.repaid);
          expect(sum((b) => b.soldValue)).toBe(totals.soldValue);
          expect(sum((b) => b.penalty)).toBe(totals.penalty);
          expect(sum((b) => b.badDebt)).toBe(totals.badDebt);
          expect(bands.reduce((a, b) => a + b.softSlices + b.hardLiquidations, 0)).toBe(events.length);
          s.market.collaterals.forEach((c, i) => {
            expect(sum((b) => b.soldUnits[i]!)).toBe(totals.soldUnits[i]);
            expect(c.balance - final.market.collaterals[i]!.balance).toBe(totals.soldUnits[i]);
          });
          // borrow index 1: debt falls by exactly what was repaid plus what was written off
          expect(s.debt - final.debt).toBe(totals.repaid + totals.badDebt);
        },
      ),
      params(150),
    );
  });

  // The v1 statement was "when the soft path never reaches HARD, the conventional path sells at least as much". It is
  // not a theorem under v2, and it fails on real-sized positions, not only on dust: sold value = debt repaid + penalty,
  // and the two paths repay different amounts of debt by the time a finite walk stops. The conventional path repays
  // 50% at the first HF < 1 (HF ≈ 1.15 afterwards) and then nothing until that buffer is used up; the soft path
  // restores HF 1.02 at every dip, so it deleverages continuously. Counterexample (seed 424242): WETH + WBTC at HF 2.18,
  // 3.6%/h, walk stopped at −60%: conventional repaid 63,465 (one liquidation at 8%), soft 68,275 in four slices at
  // 0.69–0.73%; soft sold 0.0686 vs 0.0685 USD. Scaled up 10^9 (~$340M of collateral) the same path sells $69.26M soft
  // vs $68.54M conventional, so it is not rounding. Repaying debt with collateral at the market price costs the borrower
  // nothing; the penalty is what it loses. What is provable:
  //  - every soft bonus is at most softBonusMax (2%) and the seized amount rounds down, so a soft slice's penalty is at
  //    most 2% of what it repaid, plus less than (1 + 2%) micro-USDC when it takes a whole balance (the collateral cap
  //    rounds down to the micro-USDC), plus a wei for rounding the total;
  //  - both paths see HF < 1 first at the same step; there the conventional path repays max(R_T, 50% of the debt) at
  //    8% (HF · 0.999 / LT − 1 ≥ 8% for HF ≥ 0.92 and LT ≤ 0.85; 0.2% steps cross 1 at HF ≥ 0.99), or the whole of
  //    its largest collateral, worth ≥ V / 3 ≥ (0.99 · D / 0.85) / 3: at least 0.35 · D repaid, a penalty ≥ 2.8% of
  //    the debt D; the soft path repays at most D (no interest in the walk) at ≤ 2%. So conventional penalty ≥ soft
  //    penalty (and if HF never falls below 1 neither path sells anything), and
  //    soft sells more only by repaying more: soldSoft − soldConv ≤ max(0, repaidSoft − repaidConv);
  //  - per dollar repaid the soft path sells less (its average bonus ≤ 2% < conventional's 8%).
  // Rounding can break the comparisons with the conventional path on dust: with a few satoshi of WBTC, a liquidation of a few micro-USDC seizes
  // 0 units and has a negative "penalty" (rounding favours the borrower). They are checked for debts of at least 1 USDC,
  // where one base unit of collateral (≤ $0.001) is far below 2.8% − 2% of the debt.
  it("when the soft path never reaches HARD, it pays less penalty than the conventional path and sells more only by repaying more", () => {
    let compared = 0;
    let comparedAboveDust = 0;
    fc.assert(
      fc.property(position({ maxLeverage: 1 }), fc.double({ min: 0.5, max: 20, noNaN: true }), (s, speed) => {
        const r = compareExposure(s, { speedPctPerHour: speed, stepPct: 0.2, depthPct: 60 });
        if (!r.ok) throw new Error(r.message);
        const { soft, conventional } = r.comparison;
        if (soft.hardStart !== null) return;
        compared++;
        const b1 = s.market.risk.softBonusMax;
        expect(soft.totals.penalty).toBeLessThanOrEqual((soft.totals.repaidValue * b1) / WAD + BigInt(soft.events.length) * 1_020_000_000_001n);
        if (s.debt < 1_000_000n) return;
        comparedAboveDust++;
        const s_ = soft.totals;
        const c = conventional.totals;
        expect(c.penalty).toBeGreaterThanOrEqual(s_.penalty);
        const extraRepaid = s_.repaidValue > c.repaidValue ? s_.repaidValue - c.repaidValue : 0n;
        expect(s_.soldValue - c.soldValue).toBeLessThanOrEqual(extraRepaid);
        // sold / repaid: soft ≤ conventional (cross-multiplied)
        expect(s_.soldValue * c.repaidValue).toBeLessThanOrEqual(c.soldValue * s_.repaidValue);
      }),
      params(150),
    );
    expect(compared).toBeGreaterThan(50);
    expect(comparedAboveDust).toBeGreaterThan(50);
  });

  it("user input never throws: any typed string parses or returns a reason; any action previews or returns a reason", () => {
    fc.assert(
      fc.property(fc.string(), fc.integer({ min: 0, max: 30 }), (text, decimals) => {
        const r = parseAmount(text, decimals);
        if (r.ok) expect(r.amount).toBeGreaterThanOrEqual(0n);
        else expect(r.message.length).toBeGreaterThan(0);
      }),
      params(1000),
    );
    const action: fc.Arbitrary<Action> = fc.oneof(
      fc.record({ kind: fc.constant("topUp" as const), asset: fc.integer({ min: -1, max: 4 }), amount: fc.bigInt(-5n, 10n ** 30n) }),
      fc.record({ kind: fc.constant("withdraw" as const), asset: fc.integer({ min: -1, max: 4 }), amount: fc.bigInt(-5n, 10n ** 30n) }),
      fc.record({ kind: fc.constant("borrow" as const), amount: fc.bigInt(-5n, 10n ** 30n) }),
      fc.record({ kind: fc.constant("repay" as const), amount: fc.bigInt(-5n, 2n ** 256n) }),
    );
    fc.assert(
      fc.property(position({ maxLeverage: 1.3 }), fc.array(action, { minLength: 0, maxLength: 4 }), (s, actions) => {
        const r = previewActions(s, actions);
        if (r.ok) expect(r.after.debt).toBeGreaterThanOrEqual(0n);
        else expect(r.message.length).toBeGreaterThan(0);
      }),
      params(500),
    );
  });
});
