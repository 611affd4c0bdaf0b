import { describe, expect, it } from "vitest";
import { makeSnapshot, units } from "./fixtures";
import { MAX_UINT256, WAD } from "./math";
import { health, liquidationHealth, liquidationPrices, maxBorrow, maxWithdraw, projectBorrowIndex, projectDebt, thresholdPrice, withChanges } from "./position";
import { Zone } from "./types";

const ETH = (n: number | bigint) => units(n, 18);
const BTC = (n: number | bigint) => units(n, 8);
const USDC = (n: number | bigint) => units(n, 6);

describe("health", () => {
  it("10 WETH at $3000 against 20,000 USDC: HF 1.275, borrow power 24,000", () => {
    const s = makeSnapshot({ balances: { WETH: ETH(10) }, debt: USDC(20_000) });
    const h = health(s);
    expect(h.collateralValue).toBe(30_000n * WAD);
    expect(h.collateralPower).toBe(25_500n * WAD);
    expect(h.borrowPower).toBe(24_000n * WAD);
    expect(h.debtValue).toBe(20_000n * WAD);
    expect(h.healthFactor).toBe(1_275_000_000_000_000_000n);
    expect(h.zone).toBe(Zone.HEALTHY);
    // the snapshot's derived fields agree with the engine
    expect(s.healthFactor).toBe(h.healthFactor);
  });

  it("mixes 18- and 8-decimal collateral: 1 WETH + 0.5 WBTC against 20,000 USDC", () => {
    const s = makeSnapshot({ balances: { WETH: ETH(1), WBTC: BTC(1) / 2n }, debt: USDC(20_000) });
    const h = health(s);
    // 3000·0.85 + 30000·0.78 = 2550 + 23400 = 25950
    expect(h.collateralPower).toBe(25_950n * WAD);
    expect(h.borrowPower).toBe((3000n * 80n + 30_000n * 73n) * WAD / 100n);
    expect(h.healthFactor).toBe(1_297_500_000_000_000_000n);
  });

  it("rounds a 1-satoshi WBTC value down and 1 micro-USDC of debt up", () => {
    const s = makeSnapshot({ balances: { WBTC: 1n }, debt: 1n, prices: { WBTC: 60_000n * WAD + 7n } });
    const h = health(s);
    // 1 sat = 60000.000…007 / 1e8 USD = 6e14 + 0 (7e-8 wei rounds away)
    expect(h.collateralValue).toBe(600_000_000_000_000n);
    expect(h.debtValue).toBe(10n ** 12n);
    expect(h.collateralPower).toBe(468_000_000_000_000n);
    expect(h.healthFactor).toBe(468n * WAD);
  });

  it("no debt: HF is uint256 max and HEALTHY", () => {
    const h = health(makeSnapshot({ balances: { WETH: ETH(1) } }));
    expect(h.healthFactor).toBe(MAX_UINT256);
    expect(h.zone).toBe(Zone.HEALTHY);
  });

  it("zone boundaries: HF exactly 1 is HEALTHY, one micro-USDC more debt is SOFT", () => {
    const at = makeSnapshot({ balances: { WETH: ETH(10) }, prices: { WETH: 2000n * WAD }, debt: USDC(17_000) });
    expect(health(at).healthFactor).toBe(WAD);
    expect(health(at).zone).toBe(Zone.HEALTHY);
    const below = makeSnapshot({ balances: { WETH: ETH(10) }, prices: { WETH: 2000n * WAD }, debt: USDC(17_000) + 1n });
    expect(health(below).healthFactor).toBe(999_999_999_941_176_470n);
    expect(health(below).zone).toBe(Zone.SOFT);
  });

  it("zone boundaries: HF exactly hardHealth (0.88) is SOFT, one micro-USDC more is HARD", () => {
    // 1 WBTC at $88,000: power 68,640 = 0.88 · 78,000
    const at = makeSnapshot({ balances: { WBTC: BTC(1) }, prices: { WBTC: 88_000n * WAD }, debt: USDC(78_000) });
    expect(health(at).healthFactor).toBe(88n * 10n ** 16n);
    expect(health(at).zone).toBe(Zone.SOFT);
    const below = makeSnapshot({ balances: { WBTC: BTC(1) }, prices: { WBTC: 88_000n * WAD }, debt: USDC(78_000) + 1n });
    // 68,640 / 78,000.000001 = 0.879999999988717…
    expect(health(below).healthFactor).toBe(879_999_999_988_717_948n);
    expect(health(below).zone).toBe(Zone.HARD);
  });

  it("a paused collateral keeps its liquidation power but gives no borrow power", () => {
    const s = makeSnapshot({
      collaterals: [{ symbol: "WETH", decimals: 18, ltv: 8n * 10n ** 17n, lt: 85n * 10n ** 16n, price: 3000n * WAD, paused: true }],
      balances: [ETH(1)],
      debt: USDC(1000),
    });
    expect(health(s).collateralPower).toBe(2550n * WAD);
    expect(health(s).borrowPower).toBe(0n);
  });

  it("a stale price of a held collateral makes health unavailable, like the market's revert", () => {
    const s = makeSnapshot({
      collaterals: [{ symbol: "WETH", decimals: 18, ltv: 8n * 10n ** 17n, lt: 85n * 10n ** 16n, price: 3000n * WAD, priceOk: false }],
      balances: [ETH(1)],
      debt: USDC(1000),
    });
    expect(health(s).ok).toBe(false);
    expect(s.healthOk).toBe(false);
  });

  it("liquidationHealth values a stale collateral at its last price; only the collateral being seized must be fresh", () => {
    // 1 WETH (last price $3000, feed stale) + 0.1 WBTC at $60,000 (fresh) against 7,000 USDC:
    // value 3,000 + 6,000 = 9,000, power 2,550 + 4,680 = 7,230 → HF 1.032857…; the largest collateral is WBTC (6,000)
    const s = makeSnapshot({
      collaterals: [
        { symbol: "WETH", decimals: 18, ltv: 8n * 10n ** 17n, lt: 85n * 10n ** 16n, price: 3000n * WAD, priceOk: false },
        { symbol: "WBTC", decimals: 8, ltv: 73n * 10n ** 16n, lt: 78n * 10n ** 16n, price: 60_000n * WAD },
      ],
      balances: [ETH(1), BTC(1) / 10n],
      debt: USDC(7000),
    });
    expect(health(s).ok).toBe(false);
    const h = liquidationHealth(s);
    expect(h).toMatchObject({ ok: true, collateralValue: 9000n * WAD, collateralPower: 7230n * WAD, debtValue: 7000n * WAD, maxCollateralValue: 6000n * WAD });
    expect(h.healthFactor).toBe(1_032_857_142_857_142_857n);
    // seizing WBTC (fresh) is fine; seizing the stale WETH is not
    expect(liquidationHealth(s, 1).ok).toBe(true);
    expect(liquidationHealth(s, 0).ok).toBe(false);
  });

  it("debt follows the borrow index, rounded up", () => {
    const s = makeSnapshot({ balances: { WETH: ETH(10) }, debt: USDC(20_000), borrowIndex: 1_050_000_000_000_000_001n });
    // scaled = ceil(2e10·1e18/1.05e18…) = 19047619048, debt = ceil(19047619048·1.050…001) = 20000000001
    expect(s.scaledDebt).toBe(19_047_619_048n);
    expect(s.debt).toBe(20_000_000_001n);
    expect(health(s).debtValue).toBe(20_000_000_001n * 10n ** 12n);
  });
});

describe("maxBorrow / maxWithdraw", () => {
  const s = makeSnapshot({ balances: { WETH: ETH(10) }, debt: USDC(20_000) });

  it("max borrow fills borrow power exactly: 24,000 − 20,000", () => {
    const r = maxBorrow(s);
    expect(r.ok && r.amount).toBe(USDC(4000));
    expect(r.ok && r.limitedBy).toBe("collateral");
  });

  it("max borrow is limited by market liquidity", () => {
    const r = maxBorrow(makeSnapshot({ balances: { WETH: ETH(10) }, debt: USDC(20_000), availableLiquidity: USDC(100) }));
    expect(r.ok && r.amount).toBe(USDC(100));
    expect(r.ok && r.limitedBy).toBe("liquidity");
  });

  it("max borrow with a non-unit index never lets debt value pass borrow power", () => {
    const t = makeSnapshot({ balances: { WBTC: 12_345_678n }, debt: USDC(1000), borrowIndex: 1_234_567_890_123_456_789n });
    const r = maxBorrow(t);
    if (!r.ok) throw new Error(r.message);
    // hand check: borrow power = floor(0.12345678·60000·0.73) = 5407.40696… USD → max debt 5407.406964 USDC
    expect(health(t).borrowPower).toBe(5_407_406_964_000_000_000_000n);
    const after = (amount: bigint) => {
      const scaled = t.scaledDebt + (amount * WAD + t.market.borrowIndex - 1n) / t.market.borrowIndex;
      return withChanges(t, { scaledDebt: scaled });
    };
    expect(after(r.amount).debtValue).toBeLessThanOrEqual(after(r.amount).borrowPower);
    expect(after(r.amount + 1n).debtValue).toBeGreaterThan(after(r.amount + 1n).borrowPower);
  });

  it("borrow paused: a typed reason, no throw", () => {
    const r = maxBorrow(makeSnapshot({ balances: { WETH: ETH(1) }, borrowPaused: true }));
    expect(r).toMatchObject({ ok: false, reason: "BORROW_PAUSED" });
  });

  it("max withdraw of WETH leaves exactly 8.333…334 ETH", () => {
    const r = maxWithdraw(s, 0);
    expect(r.ok && r.amount).toBe(1_666_666_666_666_666_666n);
  });

  it("max withdraw without debt is the whole balance; unknown asset and paused give reasons", () => {
    const free = makeSnapshot({ balances: { WBTC: BTC(2) } });
    expect(maxWithdraw(free, 2)).toMatchObject({ ok: true, amount: BTC(2) });
    expect(maxWithdraw(free, "0x0000000000000000000000000000000000000001")).toMatchObject({ ok: false, reason: "UNKNOWN_COLLATERAL" });
    expect(maxWithdraw(makeSnapshot({ balances: { WBTC: BTC(2) }, withdrawPaused: true }), 2)).toMatchObject({ ok: false, reason: "WITHDRAW_PAUSED" });
  });

  it("an account already below its borrow power can withdraw nothing", () => {
    const soft = makeSnapshot({ balances: { WETH: ETH(10) }, prices: { WETH: 2300n * WAD }, debt: USDC(20_000) });
    expect(maxWithdraw(soft, 0)).toMatchObject({ ok: true, amount: 0n });
    expect(maxBorrow(soft)).toMatchObject({ ok: true, amount: 0n });
  });
});

describe("liquidation prices", () => {
  const s = makeSnapshot({ balances: { WETH: ETH(10) }, debt: USDC(20_000) });

  it("soft start $2352.94…295 and hard start $2070.58…059 for 10 WETH against 20,000 USDC", () => {
    const [weth] = liquidationPrices(s);
    expect(weth!.softStart).toBe(2_352_941_176_470_588_235_295n);
    // HF >= 0.88 ⇔ power >= 17,600 ⇔ value >= 17,600 / 0.85 = 20,705.882352941176470588235… (rounded up to the wei:
    // …470589) ⇔ price >= 2,070.58823529411764705889 (rounded up to the wei: …647059)
    expect(weth!.hardStart).toBe(2_070_588_235_294_117_647_059n);
    // exactness: at the price HF >= 1, one wei lower HF < 1
    const at = withChanges(s, { prices: [weth!.softStart!] });
    const below = withChanges(s, { prices: [weth!.softStart! - 1n] });
    expect(health(at).zone).toBe(Zone.HEALTHY);
    expect(health(below).zone).toBe(Zone.SOFT);
    const hardAt = withChanges(s, { prices: [weth!.hardStart!] });
    const hardBelow = withChanges(s, { prices: [weth!.hardStart! - 1n] });
    expect(health(hardAt).zone).toBe(Zone.SOFT);
    expect(health(hardBelow).zone).toBe(Zone.HARD);
  });

  it("an 8-decimal collateral with the rest fixed; null where the other collateral alone suffices", () => {
    const mixed = makeSnapshot({ balances: { WETH: ETH(10), WBTC: BTC(1) }, debt: USDC(50_000) });
    const prices = liquidationPrices(mixed);
    // WBTC: needs 50,000 − 25,500 = 24,500 power → value 31,410.256… → price ceil(31410.2564…·1e8 / 1e8)
    expect(prices[2]!.softStart).toBe(31_410_256_410_256_410_256_411n);
    expect(health(withChanges(mixed, { prices: [3000n * WAD, 3500n * WAD, prices[2]!.softStart! - 1n] })).zone).toBe(Zone.SOFT);
    expect(prices[1]!.softStart).toBeNull(); // no wstETH held
    const overCollateralised = makeSnapshot({ balances: { WETH: ETH(10), WBTC: BTC(1) }, debt: USDC(20_000) });
    expect(thresholdPrice(overCollateralised, 0, WAD)).toBeNull(); // WBTC alone covers 20,000
  });

  it("above the current price when the account is already SOFT", () => {
    const soft = makeSnapshot({ balances: { WETH: ETH(10) }, prices: { WETH: 2300n * WAD }, debt: USDC(20_000) });
    expect(liquidationPrices(soft)[0]!.softStart).toBe(2_352_941_176_470_588_235_295n);
  });
});

describe("interest projection", () => {
  it("60% utilisation → 3%/year → 951,293,759 wei per second on the index", () => {
    const s = makeSnapshot({ balances: { WETH: ETH(10) }, debt: USDC(60), availableLiquidity: USDC(40) });
    expect(s.market.totalAssets).toBe(USDC(100));
    expect(projectBorrowIndex(s.market, s.timestamp)).toBe(WAD);
    expect(projectBorrowIndex(s.market, s.timestamp + 1n)).toBe(WAD + 951_293_759n);
    // (1 + r)² with r² / WAD rounding to 0
    expect(projectBorrowIndex(s.market, s.timestamp + 2n)).toBe(WAD + 1_902_587_518n);
    // one year of 3% compounded per second ≈ e^0.03 − 1 = 3.0454%: 60 USDC → 61.827…
    const debt = projectDebt(s, s.timestamp + 31_536_000n);
    expect(debt).toBeGreaterThan(61_827_000n);
    expect(debt).toBeLessThan(61_828_000n);
  });
});
