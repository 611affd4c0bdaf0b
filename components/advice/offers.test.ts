import { describe, expect, it } from "vitest";
import { adviceAmounts, adviceQuestion, adviseHealth, assumedPathModel, simulatePaths, type Advice, type PathSet } from "@/lib/risk";
import { makeSnapshot, units } from "@/lib/risk/fixtures";
import { adviceOffers, prefillHref, safeLimits } from "./offers";

function adviceFor(s: ReturnType<typeof makeSnapshot>): Advice {
  const set = simulatePaths(assumedPathModel(s, { paths: 2_000 })) as PathSet;
  const q = adviceQuestion(s, 0.05);
  if (!q.ok) throw new Error(q.message);
  return adviceAmounts(s, adviseHealth(set, q.question));
}

describe("advice offers", () => {
  // 2 WETH for 4,500 USDC: HF 1.133, far above a 5% chance of SOFT in a week
  const risky = makeSnapshot({ balances: { WETH: units(2, 18) }, debt: units(4500, 6) });
  const advice = adviceFor(risky);

  it("offers each remedy rounded UP for display (4 decimals of a collateral, cents of the loan): still enough", () => {
    const offers = adviceOffers(risky, advice);
    expect(offers.map((o) => `${o.kind}:${o.symbol}`)).toEqual(["topUp:WETH", "topUp:wstETH", "topUp:WBTC", "repay:USDC"]);
    for (const o of offers) {
      const raw = o.kind === "repay" ? advice.repay : advice.topUp[o.asset]!;
      expect(o.amount).toBeGreaterThanOrEqual(raw);
      const step = 10n ** BigInt(o.decimals - (o.kind === "repay" ? 2 : 4));
      expect(o.amount % step).toBe(0n);
      expect(o.amount - raw).toBeLessThan(step);
    }
    expect(prefillHref("repay", offers[3]!.amount, 6)).toMatch(/^#act=repay&amount=\d+(\.\d{1,2})?$/);
  });

  it("offers nothing when the chance is already under the limit, and the safe maximums round DOWN", () => {
    const safe = makeSnapshot({ balances: { WETH: units(10, 18) }, debt: units(4500, 6) });
    const a = adviceFor(safe);
    expect(adviceOffers(safe, a)).toEqual([]);
    const limits = safeLimits(safe, a);
    expect(limits.borrow).toBeLessThanOrEqual(a.maxBorrow);
    expect(limits.borrow % 10_000n).toBe(0n); // cents of a 6-decimal token
    expect(limits.withdraw[0]!).toBeLessThanOrEqual(a.maxWithdraw[0]!);
  });
});
