/**
 * The liquidation floor: hand-checked cases, the per-update minimality theorem against arbitrary sales, the
 * path-level bound for single-collateral schedules, and a worked case of why no causal floor bounds every schedule.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEVNET_COLLATERALS, makeSnapshot, units } from "./fixtures";
import { liquidationFloor, floorSaleOrder, type FloorPoint, type LiquidationFloor } from "./floor";
import { WAD, collateralValue, debtValue } from "./math";
import { health } from "./position";
import type { PositionSnapshot } from "./types";

const SEED = 20260511;
const USDC = (n: number) => BigInt(Math.round(n * 1e6));
const usd = (wad: bigint) => Number(wad) / 1e18;
/** A path point with every collateral's price (WAD) given by symbol; others as in the snapshot. */
const at = (s: PositionSnapshot, prices: Record<string, number>, timestamp?: bigint): FloorPoint => ({
  prices: s.market.collaterals.map((c) => (prices[c.symbol] !== undefined ? BigInt(Math.round(prices[c.symbol]! * 1e6)) * 10n ** 12n : c.price)),
  ...(timestamp !== undefined ? { timestamp } : {}),
});

function floorOf(s: PositionSnapshot, path: readonly FloorPoint[]) {
  const r = liquidationFloor(s, path);
  if (!r.ok) throw new Error(r.message);
  return r;
}

/** HF (WAD) of balances and debt at a path point, with the market's formula. */
function healthAt(s: PositionSnapshot, balances: readonly bigint[], debt: bigint, prices: readonly bigint[]): bigint {
  let power = 0n;
  s.market.collaterals.forEach((c, i) => {
    if (balances[i] !== 0n) power += (collateralValue(balances[i]!, prices[i]!, c.decimals) * c.lt) / WAD;
  });
  const dv = debtValue(debt, s.market.loanPrice, s.market.loanDecimals);
  return dv === 0n ? 2n ** 256n - 1n : (power * WAD) / dv;
}

describe("liquidationFloor: hand-checked cases", () => {
  it("sells nothing while the account stays at HF >= 1", () => {
    const s = makeSnapshot({ balances: { WETH: units(10, 18) }, debt: USDC(20_000) }); // HF 1.275
    const r = floorOf(s, [at(s, { WETH: 2500 }), at(s, { WETH: 2400 }), at(s, { WETH: 3100 })]); // HF 1.0625, 1.02, 1.3175
    expect(r.volume).toBe(0n);
    expect(r.sales).toHaveLength(0);
    expect(r.updatesWithSales).toBe(0);
    expect(r.debt).toBe(USDC(20_000));
  });

  it("one collateral: restores HF 1 with deficit / (1 − LT) at each update that needs it", () => {
    // 10 WETH, LT 0.85, debt 25,000. At 2,900: power 24,650, deficit 350 → sell 350 / 0.15 = 2,333.33.
    // Then HF is exactly 1 at 2,900, so at 2,800 the deficit is debt · (1 − 28/29) = 22,666.67 / 29 = 781.61
    // → sell 781.61 / 0.15 = 5,210.73. At 3,000 in between nothing happens.
    const s = makeSnapshot({ balances: { WETH: units(10, 18) }, debt: USDC(25_000) });
    const r = floorOf(s, [at(s, { WETH: 2900 }), at(s, { WETH: 3000 }), at(s, { WETH: 2800 })]);
    expect(r.sales.map((x) => x.step)).toEqual([0, 2]);
    expect(usd(r.sales[0]!.value)).toBeCloseTo(2333.333333, 4);
    expect(usd(r.sales[1]!.value)).toBeCloseTo((25_000 - 7000 / 3) / 29 / 0.15, 3);
    expect(usd(r.volume)).toBeCloseTo(7000 / 3 + (25_000 - 7000 / 3) / 29 / 0.15, 3);
    // no bonus: every dollar sold repays a dollar
    expect(Number(r.repaid) / 1e6).toBeCloseTo(usd(r.volume), 4);
    // HF back to 1, not above (within a wei of rounding)
    const hf = healthAt(s, r.balances, r.debt, at(s, { WETH: 2800 }).prices);
    expect(hf).toBeGreaterThanOrEqual(WAD);
    expect(hf - WAD).toBeLessThan(10n ** 9n);
  });

  it("sells the lowest-LT collateral first (WBTC 0.78 before WETH 0.85)", () => {
    // 5 WETH ($15k, power 12,750) + 0.25 WBTC ($15k, power 11,700) = 24,450; debt 24,000 → HF 1.01875.
    // WETH −10% → 2,700: power 11,475 + 11,700 = 23,175, deficit 825 → through WBTC: 825 / 0.22 = 3,750.
    const s = makeSnapshot({ balances: { WETH: units(5, 18), WBTC: units(1, 8) / 4n }, debt: USDC(24_000) });
    expect(floorSaleOrder(s).map((i) => s.market.collaterals[i]!.symbol)).toEqual(["WBTC", "wstETH", "WETH"]);
    const r = floorOf(s, [at(s, { WETH: 2700 })]);
    expect(r.sales).toHaveLength(1);
    expect(s.market.collaterals[r.sales[0]!.collateral]!.symbol).toBe("WBTC");
    expect(usd(r.volume)).toBeCloseTo(3750, 4);
    // through WETH it would have taken 825 / 0.15 = 5,500
  });

  it("moves on to the next-lowest LT when the first runs out", () => {
    // 10 WETH ($30k, power 25,500) + 0.01 WBTC ($600, power 468); debt 25,800 → HF 1.0065.
    // WETH → 2,800: power 23,800 + 468 = 24,268, deficit 1,532. All WBTC ($600) covers 600 · 0.22 = 132;
    // the remaining 1,400 through WETH: 1,400 / 0.15 = 9,333.33. Total 9,933.33.
    const s = makeSnapshot({ balances: { WETH: units(10, 18), WBTC: units(1, 8) / 100n }, debt: USDC(25_800) });
    const r = floorOf(s, [at(s, { WETH: 2800 })]);
    expect(r.sales.map((x) => s.market.collaterals[x.collateral]!.symbol)).toEqual(["WBTC", "WETH"]);
    expect(r.sales[0]!.amount).toBe(units(1, 8) / 100n);
    expect(usd(r.volume)).toBeCloseTo(600 + 1400 / 0.15, 3);
    expect(r.balances[2]).toBe(0n);
  });

  it("closes an account whose collateral is worth less than its debt, and reports the bad debt", () => {
    // 10 WETH, debt 25,000. A gap to 2,400 ($24,000 of collateral): nothing restores HF 1.
    const s = makeSnapshot({ balances: { WETH: units(10, 18) }, debt: USDC(25_000) });
    const r = floorOf(s, [at(s, { WETH: 2400 }), at(s, { WETH: 1000 })]);
    expect(usd(r.volume)).toBeCloseTo(24_000, 6);
    expect(r.insolvency).toEqual({ step: 0, badDebt: USDC(1000) });
    expect(r.balances.every((b) => b === 0n)).toBe(true);
    expect(r.debt).toBe(0n);
    expect(r.sales).toHaveLength(1);
  });

  it("accrues interest when the path carries timestamps", () => {
    // Utilisation 80% → 4%/yr: a position at HF 1.0002 drifts below 1 in a month at unchanged prices.
    const base = makeSnapshot({ balances: { WETH: units(10, 18) }, debt: USDC(25_495) });
    const s: PositionSnapshot = { ...base, market: { ...base.market, totalDebt: USDC(80_000), totalAssets: USDC(100_000), cash: USDC(20_000) } };
    expect(health(s).healthFactor).toBeGreaterThan(WAD);
    const still = floorOf(s, [at(s, {}), at(s, {})]);
    expect(still.volume).toBe(0n);
    const month = floorOf(s, [at(s, {}, s.timestamp + 30n * 86_400n)]);
    // debt ≈ 25,495 · e^{0.04/12} = 25,580.1; deficit ≈ 80.1 → sells ≈ 534
    expect(usd(month.volume)).toBeGreaterThan(500);
    expect(usd(month.volume)).toBeLessThan(570);
    expect(month.debt).toBeLessThan(USDC(25_495));
  });

  it("returns typed errors for a malformed path", () => {
    const s = makeSnapshot({ balances: { WETH: units(10, 18) }, debt: USDC(25_000) });
    const short = liquidationFloor(s, [{ prices: [1n] }]);
    expect(short.ok || short.reason).toBe("BAD_PATH");
    const back = liquidationFloor(s, [at(s, {}, s.timestamp + 10n), at(s, {}, s.timestamp + 5n)]);
    expect(back.ok || back.reason).toBe("BAD_PATH");
    const missing = liquidationFloor(s, [{ prices: [0n, 3500n * WAD, 60_000n * WAD] }]);
    expect(missing.ok || missing.reason).toBe("PRICE_UNAVAILABLE");
    // a missing price of a collateral the account does not hold is fine
    expect(liquidationFloor(s, [{ prices: [3000n * WAD, 0n, 0n] }]).ok).toBe(true);
  });
});

// ───────────── schedules to compare with ─────────────

interface Book {
  balances: bigint[];
  debt: bigint;
  volume: bigint;
}

/**
 * Sells through collaterals in `order`, at bonus `bonus` (WAD), until HF >= 1 is restored, then `overshoot` (WAD,
 * >= 1) times the value each collateral had to give. A collateral whose sale cannot raise health at that bonus
 * (1/(1+b) <= LT) is skipped. Returns false when the account cannot be restored this way (nothing applied).
 */
function restore(s: PositionSnapshot, book: Book, prices: readonly bigint[], order: readonly number[], bonus: bigint, overshoot = WAD): boolean {
  const cs = s.market.collaterals;
  const next: Book = { balances: [...book.balances], debt: book.debt, volume: book.volume };
  for (const i of order) {
    if (healthAt(s, next.balances, next.debt, prices) >= WAD) break;
    const c = cs[i]!;
    const net = (WAD * WAD) / (WAD + bonus) - c.lt; // debt repaid minus power lost, per unit of value sold
    if (net <= 0n || next.balances[i] === 0n) continue;
    let power = 0n;
    cs.forEach((x, j) => (power += (collateralValue(next.balances[j]!, prices[j]!, x.decimals) * x.lt) / WAD));
    const deficit = debtValue(next.debt, s.market.loanPrice, s.market.loanDecimals) - power;
    const value = (((deficit * WAD) / net + 1n) * overshoot) / WAD;
    let amount = (value * 10n ** BigInt(c.decimals)) / prices[i]! + 1n;
    if (amount > next.balances[i]!) amount = next.balances[i]!;
    const sold = collateralValue(amount, prices[i]!, c.decimals);
    const repaid = (sold * WAD) / (WAD + bonus) / 10n ** 12n;
    next.balances[i] = next.balances[i]! - amount;
    next.debt = repaid >= next.debt ? 0n : next.debt - repaid;
    next.volume += sold;
  }
  if (healthAt(s, next.balances, next.debt, prices) < WAD) return false;
  Object.assign(book, next);
  return true;
}

/** Repays the whole debt at `bonus` (a 100% close factor), or sells everything when the collateral is short. */
function closeAll(s: PositionSnapshot, book: Book, prices: readonly bigint[], bonus: bigint) {
  const cs = s.market.collaterals;
  for (let i = 0; i < cs.length && book.debt > 0n; i++) {
    if (book.balances[i] === 0n) continue;
    const value = collateralValue(book.balances[i]!, prices[i]!, cs[i]!.decimals);
    const wanted = (book.debt * 10n ** 12n * (WAD + bonus)) / WAD; // seized value for the whole debt
    if (wanted >= value) {
      book.debt -= (value * WAD) / (WAD + bonus) / 10n ** 12n;
      book.balances[i] = 0n;
      book.volume += value;
    } else {
      const amount = (wanted * 10n ** BigInt(cs[i]!.decimals)) / prices[i]!;
      book.balances[i] = book.balances[i]! - amount;
      book.volume += collateralValue(amount, prices[i]!, cs[i]!.decimals);
      book.debt = 0n;
    }
  }
  if (book.balances.every((b) => b === 0n)) book.debt = 0n; // written off
}

const sellEverything = (s: PositionSnapshot, book: Book, prices: readonly bigint[]) => {
  s.market.collaterals.forEach((c, i) => (book.volume += collateralValue(book.balances[i]!, prices[i]!, c.decimals)));
  book.balances = book.balances.map(() => 0n);
  book.debt = 0n;
};

/**
 * Rounding slack: the floor sells whole base units, rounded up, so each of its sales may exceed the exact least
 * value by up to one base unit (for WBTC, 8 decimals, $0.0006 at $60k).
 */
function slack(s: PositionSnapshot, floor: LiquidationFloor, path: readonly FloorPoint[]): bigint {
  return floor.sales.reduce((sum, x) => sum + collateralValue(1n, path[x.step]!.prices[x.collateral]!, s.market.collaterals[x.collateral]!.decimals) + 1n, 0n);
}

describe("liquidationFloor: properties", () => {
  /** A devnet-like position (1–3 collaterals) and a price drop that puts it below HF 1 but leaves it solvent. */
  const belowOne = fc
    .record({
      weth: fc.bigInt(0n, 100n * 10n ** 18n),
      wsteth: fc.bigInt(0n, 100n * 10n ** 18n),
      wbtc: fc.bigInt(0n, 5n * 10n ** 8n),
      health: fc.integer({ min: 1001, max: 1500 }), // opening HF in ‰
      drops: fc.tuple(fc.integer({ min: 0, max: 400 }), fc.integer({ min: 0, max: 400 }), fc.integer({ min: 0, max: 400 })), // ‰
    })
    .filter((r) => collateralValue(r.weth, 3000n * WAD, 18) + collateralValue(r.wsteth, 3500n * WAD, 18) + collateralValue(r.wbtc, 60_000n * WAD, 8) > 100n * WAD)
    .map((r) => {
      const balances = { WETH: r.weth, wstETH: r.wsteth, WBTC: r.wbtc };
      const power = health(makeSnapshot({ balances })).collateralPower;
      const s = makeSnapshot({ balances, debt: (power * 1000n) / BigInt(r.health) / 10n ** 12n });
      const prices = s.market.collaterals.map((c, i) => (c.price * BigInt(1000 - r.drops[i]!)) / 1000n);
      return { s, prices };
    })
    .filter(({ s, prices }) => {
      const hf = healthAt(s, s.market.collaterals.map((c) => c.balance), s.debt, prices);
      let value = 0n;
      s.market.collaterals.forEach((c, i) => (value += collateralValue(c.balance, prices[i]!, c.decimals)));
      return hf < WAD && value > debtValue(s.debt, WAD, 6);
    });

  it("at one update, no sale of any mix, order, bonus or size that restores HF 1 sells less than the floor (to a base unit)", () => {
    fc.assert(
      fc.property(
        belowOne,
        fc.shuffledSubarray([0, 1, 2], { minLength: 3, maxLength: 3 }),
        fc.integer({ min: 0, max: 150 }), // bonus ‰
        fc.integer({ min: 1000, max: 3000 }), // overshoot ‰
        ({ s, prices }, order, bonusPermille, overshootPermille) => {
          const floor = floorOf(s, [{ prices }]);
          const book: Book = { balances: s.market.collaterals.map((c) => c.balance), debt: s.debt, volume: 0n };
          const restored = restore(s, book, prices, order, (BigInt(bonusPermille) * WAD) / 1000n, (BigInt(overshootPermille) * WAD) / 1000n);
          fc.pre(restored);
          expect(floor.insolvency).toBeNull();
          expect(book.volume + slack(s, floor, [{ prices }])).toBeGreaterThanOrEqual(floor.volume);
          // and the floor itself restores HF 1
          expect(healthAt(s, floor.balances, floor.debt, prices)).toBeGreaterThanOrEqual(WAD);
        },
      ),
      { seed: SEED, numRuns: 400 },
    );
  });

  /**
   * One collateral, no interest. Claim: any schedule that, at each update where HF < 1, either restores exactly
   * HF 1 or repays the whole debt (selling everything if that is short), at any bonuses >= 0, sells at least the
   * floor. Proof sketch: with one collateral, HF = a·p·LT / D is the same for (a, D) and (λa, λD). Both schedules
   * start on the same ray; restoring exactly HF 1 from the same ray keeps them on one ray at the same price, and by
   * the per-update theorem the schedule repays at least the floor's repayment scaled by λ, so λ only falls
   * (λ <= 1). With no bonus the floor's volume is the debt it repaid, D0 − D_f (plus, if it closes an insolvent
   * account, collateral worth less than D_f); the schedule's volume is at least the debt it repaid, D0 − λ·D_f,
   * which is larger. A full close sells at least the whole remaining debt: at least D0 in total, and the floor never
   * sells more than D0 when it stays solvent (nor when it closes, as its collateral is then worth less than its debt).
   */
  it("along a path, single-collateral schedules that restore exactly HF 1 or close fully, at any bonus, sell at least the floor", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 }),
        fc.integer({ min: 1005, max: 1300 }),
        fc.array(fc.integer({ min: 850, max: 1080 }), { minLength: 2, maxLength: 60 }), // price moves ‰
        fc.array(fc.record({ bonus: fc.integer({ min: 0, max: 150 }), close: fc.boolean() }), { minLength: 60, maxLength: 60 }),
        (asset, healthPermille, moves, choices) => {
          const c = DEVNET_COLLATERALS[asset]!;
          const balance = c.decimals === 8 ? units(2, 8) : units(40, 18);
          const balances = DEVNET_COLLATERALS.map((_, i) => (i === asset ? balance : 0n));
          const power = health(makeSnapshot({ balances })).collateralPower;
          const s = makeSnapshot({ balances, debt: (power * 1000n) / BigInt(healthPermille) / 10n ** 12n });
          const path: FloorPoint[] = [];
          let price = c.price;
          for (const m of moves) {
            price = (price * BigInt(m)) / 1000n;
            path.push({ prices: s.market.collaterals.map((_, i) => (i === asset ? price : s.market.collaterals[i]!.price)) });
          }
          const floor = floorOf(s, path);
          const book: Book = { balances: [...balances], debt: s.debt, volume: 0n };
          path.forEach((p, k) => {
            if (book.debt === 0n || healthAt(s, book.balances, book.debt, p.prices) >= WAD) return;
            const bonus = (BigInt(choices[k]!.bonus) * WAD) / 1000n;
            if (choices[k]!.close) closeAll(s, book, p.prices, bonus);
            else if (!restore(s, book, p.prices, [asset], bonus)) sellEverything(s, book, p.prices);
          });
          expect(book.volume + slack(s, floor, path)).toBeGreaterThanOrEqual(floor.volume);
        },
      ),
      { seed: SEED, numRuns: 300 },
    );
  });

  it("is not a bound on schedules that sell more than needed early: one that over-sells at $3,000 ends below it", () => {
    // 10 WETH at $3,000 (power 25,500), debt 25,757.58: HF 0.99. Then ETH −10% to $2,700.
    // Floor: 257.58 / 0.15 = 1,717.2 at $3,000, then 2,404.0 / 0.15 = 16,027 at $2,700: 17,744 in all.
    // A liquidator that sells at $3,000 enough to stay above HF 1 at $2,700 (0.235·y >= 2,807.6 → y = 11,947)
    // sells a third less; even at an 8% bonus it needs y = 17,449, still below the floor.
    const s = makeSnapshot({ balances: { WETH: units(10, 18) }, debt: USDC(25_757.58) });
    const path = [at(s, { WETH: 3000 }), at(s, { WETH: 2700 })];
    const floor = floorOf(s, path);
    expect(usd(floor.volume)).toBeCloseTo(17_744, -1);
    const sale = (bonus: bigint, amount: bigint) => {
      const value = collateralValue(amount, 3000n * WAD, 18);
      return { value, balances: [units(10, 18) - amount, 0n, 0n], debt: s.debt - (value * WAD) / (WAD + bonus) / 10n ** 12n };
    };
    for (const [bonus, expected] of [
      [0n, 11_947],
      [8n * 10n ** 16n, 17_449],
    ] as const) {
      // the least amount sold at $3,000 that keeps HF >= 1 at $2,700 (bisection on base units)
      let lo = 0n;
      let hi = units(10, 18);
      while (lo < hi) {
        const mid = (lo + hi) / 2n;
        const x = sale(bonus, mid);
        if (healthAt(s, x.balances, x.debt, path[1]!.prices) >= WAD) hi = mid;
        else lo = mid + 1n;
      }
      const overSale = sale(bonus, lo);
      expect(healthAt(s, overSale.balances, overSale.debt, path[0]!.prices)).toBeGreaterThan(WAD); // restored at $3,000
      expect(usd(overSale.value)).toBeCloseTo(expected, -1);
      expect(overSale.value).toBeLessThan(floor.volume);
    }
  });
});
