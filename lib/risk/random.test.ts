import { describe, expect, it } from "vitest";
import { makeSnapshot, units } from "./fixtures";
import { collateralIndex } from "./position";
import { createRng } from "./random";

describe("createRng", () => {
  it("is deterministic per seed and differs across seeds", () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const seqA = Array.from({ length: 5 }, () => a.nextUint32());
    expect(Array.from({ length: 5 }, () => b.nextUint32())).toEqual(seqA);
    expect(Array.from({ length: 5 }, () => c.nextUint32())).not.toEqual(seqA);
  });

  it("uniforms in [0, 1) with mean ½; normals with mean 0 and variance 1; ints and bigints in range", () => {
    const r = createRng(1);
    let sum = 0;
    let sumN = 0;
    let sumN2 = 0;
    const n = 100_000;
    for (let i = 0; i < n; i++) {
      const u = r.next();
      expect(u >= 0 && u < 1).toBe(true);
      sum += u;
      const z = r.normal();
      sumN += z;
      sumN2 += z * z;
    }
    // 5 standard errors: 1/√(12n) for the uniform mean, 1/√n for the normal mean, √(2/n) for its variance
    expect(Math.abs(sum / n - 0.5)).toBeLessThan(5 / Math.sqrt(12 * n));
    expect(Math.abs(sumN / n)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(sumN2 / n - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
    for (let i = 0; i < 1000; i++) {
      const k = r.int(-3, 3);
      expect(k >= -3 && k <= 3 && Number.isInteger(k)).toBe(true);
      const big = r.bigint(10n ** 20n, 10n ** 20n + 5n);
      expect(big >= 10n ** 20n && big <= 10n ** 20n + 5n).toBe(true);
    }
    expect(["a", "b"]).toContain(r.pick(["a", "b"]));
  });
});

describe("collateralIndex", () => {
  it("finds a collateral by address in any case, or by index; −1 otherwise", () => {
    const s = makeSnapshot({ balances: { WBTC: units(1, 8) } });
    const wbtc = s.market.collaterals[2]!.asset;
    expect(collateralIndex(s, wbtc)).toBe(2);
    expect(collateralIndex(s, wbtc.toUpperCase().replace("0X", "0x") as `0x${string}`)).toBe(2);
    expect(collateralIndex(s, 1)).toBe(1);
    expect(collateralIndex(s, 3)).toBe(-1);
    expect(collateralIndex(s, "0x00000000000000000000000000000000000000ff")).toBe(-1);
  });
});
