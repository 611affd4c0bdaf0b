import { describe, expect, it } from "vitest";
import { DEVNET_SOFT_RISK, makeSnapshot, units } from "./fixtures";
import { WAD, healthAtMultiplier, liquidationMap, withChanges, zoneThresholds } from "./index";

const weth = (n: number) => units(n, 18);
const usdc = (n: number) => units(n, 6);

// 1 WETH at $3,000 (LT 0.85): power 2,550. Debt 2,000 → HF 1.275: SOFT after a ~21.6% fall.
const ethOnly = makeSnapshot({ balances: { WETH: weth(1) }, debt: usdc(2_000) });
// 1 WBTC at $60,000 (LT 0.78): power 46,800. Debt 30,000 → HF 1.56.
const btcOnly = makeSnapshot({ balances: { WBTC: units(1, 8) }, debt: usdc(30_000) });
const noDebt = makeSnapshot({ balances: { WETH: weth(5) } });

describe("liquidationMap", () => {
  const map = liquidationMap([ethOnly, btcOnly, noDebt], { stepPct: 5, toPct: 60 });
  const scenario = (key: string) => map.find((s) => s.key === key)!;

  it("has a market-wide scenario and one per volatile collateral, from 0% in steps", () => {
    expect(map.map((s) => s.key)).toEqual(["market", "WETH", "wstETH", "WBTC"]);
    expect(scenario("WETH").steps.map((s) => s.fallPct)).toEqual([0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60]);
    expect(scenario("WETH").steps[0]).toMatchObject({ softDebt: 0n, hardDebt: 0n, soldValue: 0n });
  });

  it("puts each position in the zone its own health would be in at that fall", () => {
    for (const sc of map) {
      for (const step of sc.steps) {
        const multiplier = (WAD * BigInt(100 - step.fallPct)) / 100n;
        let soft = 0n;
        let hard = 0n;
        for (const [s, moves] of [
          [ethOnly, sc.key === "market" || sc.key === "WETH"],
          [btcOnly, sc.key === "market" || sc.key === "WBTC"],
        ] as const) {
          const hf = healthAtMultiplier(s, moves ? [0, 1, 2] : [], multiplier);
          if (hf < DEVNET_SOFT_RISK.hardHealth) hard += s.debtValue;
          else if (hf < WAD) soft += s.debtValue;
        }
        expect([sc.key, step.fallPct, step.softDebt, step.hardDebt]).toEqual([sc.key, step.fallPct, soft, hard]);
      }
    }
  });

  it("agrees with the single position's own soft threshold", () => {
    const { softAtFall } = zoneThresholds(ethOnly, [0]);
    const softAtPct = Number(softAtFall!) / 1e16;
    const firstSoft = scenario("WETH").steps.find((s) => s.softDebt + s.hardDebt > 0n)!;
    expect(firstSoft.fallPct).toBeGreaterThanOrEqual(softAtPct);
    expect(firstSoft.fallPct - 5).toBeLessThan(softAtPct);
  });

  it("sells what restores the target health, never more than the collateral", () => {
    const step = scenario("WETH").steps.find((s) => s.fallPct === 25)!;
    expect(step.softPositions + step.hardPositions).toBe(1);
    expect(step.soldAmount).toBeGreaterThan(0n);
    expect(step.soldAmount).toBeLessThanOrEqual(weth(1));
    // Selling it (and repaying sold / (1 + bonus)) brings the position to about the target health.
    const price = (3000n * WAD * 75n) / 100n;
    const bonus = step.hardPositions ? DEVNET_SOFT_RISK.hardBonus : DEVNET_SOFT_RISK.softBonusMin;
    const repay = (step.soldValue * WAD) / (WAD + bonus);
    const after = withChanges(withChanges(ethOnly, { prices: [price, 3500n * WAD, 60000n * WAD] }), {
      balances: [weth(1) - step.soldAmount, 0n, 0n],
      scaledDebt: ethOnly.scaledDebt - repay / 10n ** 12n,
    });
    expect(Number(after.healthFactor) / 1e18).toBeCloseTo(Number(DEVNET_SOFT_RISK.targetHealth) / 1e18, 2);
    // Deep falls sell at most everything.
    for (const s of scenario("WETH").steps) expect(s.soldAmount).toBeLessThanOrEqual(weth(1));
  });

  it("refuses a malformed range", () => {
    expect(() => liquidationMap([ethOnly], { stepPct: 0 })).toThrow(RangeError);
    expect(() => liquidationMap([ethOnly], { toPct: 100 })).toThrow(RangeError);
    expect(liquidationMap([])).toEqual([]);
  });
});
