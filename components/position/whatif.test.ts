import { describe, expect, it } from "vitest";
import { parseWhatIf, priceParam, sliderRange, whatIfSearch } from "./whatif";

const WAD = 10n ** 18n;
const collaterals = [
  { symbol: "WETH", price: 3000n * WAD },
  { symbol: "wstETH", price: 3500n * WAD },
];

describe("what-if prices in the URL", () => {
  it("reads valid prices and explains the ones it ignores", () => {
    const parsed = parseWhatIf({ WETH: "2400.5", wstETH: "-3", other: "x" }, collaterals);
    expect(parsed.prices).toEqual({ WETH: 24005n * 10n ** 17n });
    expect(parsed.ignored).toHaveLength(1);
    expect(parsed.ignored[0]).toContain("wstETH=-3");
    expect(parseWhatIf({ WETH: "0" }, collaterals).ignored[0]).toContain("above zero");
    expect(parseWhatIf({ WETH: "1e5" }, collaterals).prices).toEqual({});
  });

  it("refuses prices far from today's and prices of a collateral the position does not hold", () => {
    const held = [
      { symbol: "WETH", price: 3000n * WAD, balance: 10n ** 18n },
      { symbol: "WBTC", price: 60_000n * WAD, balance: 0n },
    ];
    const absurd = parseWhatIf({ WETH: "100000000000" }, held);
    expect(absurd.prices).toEqual({});
    expect(absurd.ignored).toEqual(["WETH=100000000000 is too far from today's $3,000.00: use a price between $300.00 and $30,000.00."]);
    expect(parseWhatIf({ WETH: "299" }, held).prices).toEqual({});
    expect(parseWhatIf({ WETH: "300" }, held).prices).toEqual({ WETH: 300n * WAD });
    expect(parseWhatIf({ WETH: "30000" }, held).prices).toEqual({ WETH: 30_000n * WAD });
    const absent = parseWhatIf({ WBTC: "50000" }, held);
    expect(absent.prices).toEqual({});
    expect(absent.ignored).toEqual(["WBTC=50000: this position holds no WBTC, so its price changes nothing here."]);
  });

  it("writes prices back without touching unrelated params, and round-trips", () => {
    const search = whatIfSearch("?tab=chart&WETH=1", collaterals, { wstETH: 3150n * WAD + WAD / 4n });
    expect(search).toBe("?tab=chart&wstETH=3150.25");
    const back = parseWhatIf(Object.fromEntries(new URLSearchParams(search)), collaterals);
    expect(back.prices).toEqual({ wstETH: 3150n * WAD + WAD / 4n });
    expect(priceParam(2400n * WAD)).toBe("2400");
    expect(priceParam(24001n * 10n ** 17n)).toBe("2400.1");
  });

  it("gives sliders a range around the live price", () => {
    const r = sliderRange(3000n * WAD);
    expect(r.min).toBeLessThan(300_00 + r.step);
    expect(r.max).toBe(450_000);
  });
});
