import { describe, expect, it } from "vitest";
import {
  assumeIntent,
  formatUnits,
  formatWad,
  intentActions,
  judgeDeposits,
  judgeIntent,
  maxBorrowForHealth,
  maxWithdrawForHealth,
  parseAmount,
  previewActions,
  previewIntent,
  repayForHealth,
  topUpForHealth,
} from "./actions";
import { DEVNET_COLLATERALS, makeSnapshot, units } from "./fixtures";
import { MAX_UINT256, WAD } from "./math";
import { health, maxBorrow, maxWithdraw, withChanges } from "./position";
import { Zone } from "./types";

const ETH = (n: number | bigint) => units(n, 18);
const BTC = (n: number | bigint) => units(n, 8);
const USDC = (n: number | bigint) => units(n, 6);
const base = makeSnapshot({ balances: { WETH: ETH(10) }, debt: USDC(20_000) }); // HF 1.275
const soft = makeSnapshot({ balances: { WETH: ETH(10) }, prices: { WETH: 2300n * WAD }, debt: USDC(20_000), flaggedAt: 1_799_999_000n }); // HF 0.9775

const DEVNET_STALE_WBTC = DEVNET_COLLATERALS.map((c) => (c.symbol === "WBTC" ? { ...c, priceOk: false } : c));

function ok<T extends { ok: boolean }>(r: T): Extract<T, { ok: true }> {
  if (!r.ok) throw new Error(JSON.stringify(r));
  return r as Extract<T, { ok: true }>;
}

describe("previewActions", () => {
  it("top up 1 WETH: HF 1.275 → 1.4025 and the soft-start price falls to 2139.04…", () => {
    const p = ok(previewActions(base, { kind: "topUp", asset: 0, amount: ETH(1) }));
    expect(p.before.healthFactor).toBe(1_275_000_000_000_000_000n);
    expect(p.after.healthFactor).toBe(1_402_500_000_000_000_000n);
    // 20,000 / (11 · 0.85) = 2139.0374331550802139…
    expect(p.after.liquidationPrices[0]!.softStart).toBe(2_139_037_433_155_080_213_904n);
  });

  it("repay 5,000: HF 1.7; a repay above the debt pulls only the debt and leaves HF infinite", () => {
    expect(ok(previewActions(base, { kind: "repay", amount: USDC(5000) })).after.healthFactor).toBe(17n * 10n ** 17n);
    const all = ok(previewActions(base, { kind: "repay", amount: MAX_UINT256 }));
    expect(all.repaid).toBe(USDC(20_000));
    expect(all.after.debt).toBe(0n);
    expect(all.after.healthFactor).toBe(MAX_UINT256);
  });

  it("borrow 4,000 reaches borrow power exactly (HF 1.0625); one micro-USDC more is refused", () => {
    const p = ok(previewActions(base, { kind: "borrow", amount: USDC(4000) }));
    expect(p.after.healthFactor).toBe(1_062_500_000_000_000_000n);
    expect(p.borrowed).toBe(USDC(4000));
    expect(previewActions(base, { kind: "borrow", amount: USDC(4000) + 1n })).toMatchObject({ ok: false, reason: "INSUFFICIENT_COLLATERAL" });
  });

  it("withdraw 1 WETH: HF 1.1475; 2 WETH would leave borrow power 19,200 < 20,000", () => {
    expect(ok(previewActions(base, { kind: "withdraw", asset: 0, amount: ETH(1) })).after.healthFactor).toBe(1_147_500_000_000_000_000n);
    expect(previewActions(base, { kind: "withdraw", asset: 0, amount: ETH(2) })).toMatchObject({ ok: false, reason: "INSUFFICIENT_COLLATERAL" });
    expect(previewActions(base, { kind: "withdraw", asset: 0, amount: ETH(11) })).toMatchObject({ ok: false, reason: "INSUFFICIENT_BALANCE" });
  });

  it("a combination: deposit 1 WBTC (8 decimals) then borrow 10,000 → HF 72,300 / 30,000 = 2.41", () => {
    const p = ok(
      previewActions(base, [
        { kind: "topUp", asset: 2, amount: BTC(1) },
        { kind: "borrow", amount: USDC(10_000) },
      ]),
    );
    expect(p.after.healthFactor).toBe(2_410_000_000_000_000_000n);
    // the same borrow without the top-up fails, and the message names the step
    const r = previewActions(base, [{ kind: "repay", amount: 1n }, { kind: "borrow", amount: USDC(10_000) }]);
    expect(r).toMatchObject({ ok: false, reason: "INSUFFICIENT_COLLATERAL" });
    expect(!r.ok && r.message).toMatch(/^Step 2 \(borrow\)/);
  });

  it("input validation returns typed reasons instead of throwing", () => {
    expect(previewActions(base, { kind: "repay", amount: 0n })).toMatchObject({ ok: false, reason: "ZERO_AMOUNT" });
    expect(previewActions(base, { kind: "repay", amount: -1n })).toMatchObject({ ok: false, reason: "NEGATIVE_AMOUNT" });
    expect(previewActions(base, { kind: "topUp", asset: 7, amount: 1n })).toMatchObject({ ok: false, reason: "UNKNOWN_COLLATERAL" });
    expect(previewActions(base, [])).toMatchObject({ ok: false, reason: "NO_ACTIONS" });
    expect(previewActions(makeSnapshot({ balances: { WETH: ETH(1) } }), { kind: "repay", amount: 1n })).toMatchObject({ ok: false, reason: "NO_DEBT" });
    expect(previewActions(makeSnapshot({ balances: { WETH: ETH(1) }, borrowPaused: true }), { kind: "borrow", amount: 1n })).toMatchObject({ ok: false, reason: "BORROW_PAUSED" });
    expect(previewActions(makeSnapshot({ balances: { WETH: ETH(1) }, availableLiquidity: 5n }), { kind: "borrow", amount: 6n })).toMatchObject({ ok: false, reason: "INSUFFICIENT_LIQUIDITY" });
    expect(previewActions(makeSnapshot({ balances: { WETH: ETH(1) }, withdrawPaused: true }), { kind: "withdraw", asset: 0, amount: 1n })).toMatchObject({ ok: false, reason: "WITHDRAW_PAUSED" });
  });

  it("wallet balances bound top-ups and repays, across the steps of a combination", () => {
    const wallet = { walletBalances: { WETH: ETH(1), USDC: USDC(100) } };
    expect(previewActions(base, { kind: "topUp", asset: 0, amount: ETH(1) + 1n }, wallet)).toMatchObject({ ok: false, reason: "INSUFFICIENT_WALLET_BALANCE" });
    expect(previewActions(base, { kind: "topUp", asset: 0, amount: ETH(1) }, wallet)).toMatchObject({ ok: true });
    const twice = previewActions(base, [{ kind: "repay", amount: USDC(60) }, { kind: "repay", amount: USDC(60) }], wallet);
    expect(twice).toMatchObject({ ok: false, reason: "INSUFFICIENT_WALLET_BALANCE" });
    // borrowed USDC can be repaid in the same combination
    expect(previewActions(base, [{ kind: "borrow", amount: USDC(100) }, { kind: "repay", amount: USDC(200) }], wallet)).toMatchObject({ ok: true });
  });

  it("a top-up or repay that restores HF >= 1 clears the flag; one that does not keeps it", () => {
    expect(ok(previewActions(soft, { kind: "repay", amount: USDC(450) })).after).toMatchObject({ flagged: false, healthFactor: WAD, zone: Zone.HEALTHY });
    expect(ok(previewActions(soft, { kind: "repay", amount: USDC(450) - 1n })).after).toMatchObject({ flagged: true, zone: Zone.SOFT });
  });
});

describe("the forms' intents", () => {
  it("map to engine actions: repay all is a repay of MAX_UINT256; open deposits the non-zero amounts, then borrows", () => {
    expect(intentActions({ kind: "repayAll" })).toEqual([{ kind: "repay", amount: MAX_UINT256 }]);
    expect(intentActions({ kind: "open", deposits: [ETH(1), 0n, BTC(1)], borrow: USDC(100) })).toEqual([
      { kind: "topUp", asset: 0, amount: ETH(1) },
      { kind: "topUp", asset: 2, amount: BTC(1) },
      { kind: "borrow", amount: USDC(100) },
    ]);
    expect(intentActions({ kind: "borrow", amount: 5n })).toEqual([{ kind: "borrow", amount: 5n }]);
  });

  it("assumeIntent leaves the position a refused borrow or withdrawal would, and previews accepted ones", () => {
    // 30,000 more: debt 50,000 against 25,500 of power → HF 0.51, which the market refuses.
    const over = assumeIntent(base, { kind: "borrow", amount: USDC(30_000) });
    expect(over.debt).toBe(USDC(50_000));
    expect(health(over).healthFactor).toBe(51n * 10n ** 16n);
    expect(assumeIntent(base, { kind: "withdraw", asset: 0, amount: ETH(20) }).market.collaterals[0]!.balance).toBe(0n);
    const open = assumeIntent(makeSnapshot(), { kind: "open", deposits: [ETH(1), 0n, 0n], borrow: USDC(5_000) });
    expect([open.market.collaterals[0]!.balance, open.debt]).toEqual([ETH(1), USDC(5_000)]);
    expect(assumeIntent(base, { kind: "topUp", asset: 0, amount: ETH(1) })).toEqual(
      ok(previewIntent(base, { kind: "topUp", asset: 0, amount: ETH(1) })).snapshot,
    );
  });
});

describe("judgeIntent: the verdicts, with their numbers", () => {
  const verdict = (j: ReturnType<typeof judgeIntent>) => (j.ok ? undefined : j.verdict);

  it("accepts what the market accepts, with the preview and the position after", () => {
    const j = judgeIntent(base, { kind: "borrow", amount: USDC(1_000) });
    expect(j).toMatchObject({ ok: true, intent: { kind: "borrow", amount: USDC(1_000) } });
    expect(j.ok && j.after.debt).toBe(USDC(21_000));
    expect(j.ok && j.preview.borrowed).toBe(USDC(1_000));
  });

  it("repay: NO_DEBT, ABOVE_DEBT, then the wallet", () => {
    const none = makeSnapshot({ balances: { WETH: ETH(1) } });
    expect(verdict(judgeIntent(none, { kind: "repay", amount: 1n }))).toEqual({ reason: "NO_DEBT" });
    expect(verdict(judgeIntent(none, { kind: "repayAll" }))).toEqual({ reason: "NO_DEBT" });
    expect(verdict(judgeIntent(base, { kind: "repay", amount: USDC(20_001) }, { loan: 0n }))).toEqual({ reason: "ABOVE_DEBT", debt: USDC(20_000) });
    expect(verdict(judgeIntent(base, { kind: "repay", amount: USDC(10) }, { loan: USDC(5) }))).toEqual({
      reason: "INSUFFICIENT_WALLET_BALANCE",
      asset: "loan",
      needed: USDC(10),
      held: USDC(5),
    });
    expect(verdict(judgeIntent(base, { kind: "repayAll" }, { loan: USDC(19_999) }))).toEqual({
      reason: "INSUFFICIENT_WALLET_BALANCE",
      asset: "loan",
      needed: USDC(20_000),
      held: USDC(19_999),
    });
    expect(judgeIntent(base, { kind: "repayAll" }, { loan: USDC(20_000) }).ok).toBe(true);
  });

  it("top up: UNKNOWN_COLLATERAL and the wallet; never paused, never blocked by a stale price", () => {
    expect(verdict(judgeIntent(base, { kind: "topUp", asset: 9, amount: 1n }))).toEqual({ reason: "UNKNOWN_COLLATERAL" });
    expect(verdict(judgeIntent(base, { kind: "topUp", asset: 2, amount: BTC(2) }, { collaterals: [undefined, undefined, BTC(1)] }))).toEqual({
      reason: "INSUFFICIENT_WALLET_BALANCE",
      asset: 2,
      needed: BTC(2),
      held: BTC(1),
    });
    const paused = makeSnapshot({ balances: { WETH: ETH(10) }, debt: USDC(1_000), borrowPaused: true, withdrawPaused: true });
    expect(judgeIntent(paused, { kind: "topUp", asset: 0, amount: ETH(1) }).ok).toBe(true);
  });

  it("borrow: a pause first, then stale prices, then liquidity, then health 1, then the limit", () => {
    const troubled = (borrowPaused: boolean) =>
      makeSnapshot({
        collaterals: [{ symbol: "WETH", decimals: 18, ltv: 8n * 10n ** 17n, lt: 85n * 10n ** 16n, price: 3000n * WAD, priceOk: false }],
        balances: [ETH(10)],
        debt: USDC(1_000),
        borrowPaused,
        availableLiquidity: USDC(10),
      });
    expect(verdict(judgeIntent(troubled(true), { kind: "borrow", amount: USDC(100) }))).toEqual({ reason: "BORROW_PAUSED" });
    expect(verdict(judgeIntent(troubled(false), { kind: "borrow", amount: USDC(100) }))).toEqual({ reason: "STALE_PRICE", symbols: ["WETH"] });
    const dry = makeSnapshot({ balances: { WETH: ETH(10) }, debt: USDC(1_000), availableLiquidity: USDC(10) });
    expect(verdict(judgeIntent(dry, { kind: "borrow", amount: USDC(100) }))).toEqual({ reason: "INSUFFICIENT_LIQUIDITY", available: USDC(10) });

    const low = judgeIntent(base, { kind: "borrow", amount: USDC(30_000) });
    expect(low).toMatchObject({ ok: false, verdict: { reason: "BELOW_ONE", healthFactor: 51n * 10n ** 16n } });
    expect(!low.ok && low.after?.debt).toBe(USDC(50_000));
    const above = judgeIntent(base, { kind: "borrow", amount: USDC(4_000) + 1n });
    expect(above).toMatchObject({ ok: false, verdict: { reason: "ABOVE_MAX_BORROW", max: USDC(4_000) } });
    expect(!above.ok && above.after?.debt).toBe(USDC(24_000) + 1n);
  });

  it("withdraw: pause, balance, stale prices (only with debt), then health 1 and the limit", () => {
    const paused = makeSnapshot({ balances: { WETH: ETH(10) }, withdrawPaused: true });
    expect(verdict(judgeIntent(paused, { kind: "withdraw", asset: 0, amount: ETH(1) }))).toEqual({ reason: "WITHDRAW_PAUSED", asset: 0 });
    expect(verdict(judgeIntent(base, { kind: "withdraw", asset: 0, amount: ETH(11) }))).toEqual({ reason: "INSUFFICIENT_BALANCE", asset: 0, balance: ETH(10) });
    const staleCollaterals = [{ symbol: "WETH", decimals: 18, ltv: 8n * 10n ** 17n, lt: 85n * 10n ** 16n, price: 3000n * WAD, priceOk: false }];
    const staleDebt = makeSnapshot({ collaterals: staleCollaterals, balances: [ETH(10)], debt: USDC(1) });
    expect(verdict(judgeIntent(staleDebt, { kind: "withdraw", asset: 0, amount: ETH(1) }))).toEqual({ reason: "STALE_PRICE", symbols: ["WETH"] });
    const staleNoDebt = makeSnapshot({ collaterals: staleCollaterals, balances: [ETH(10)] });
    expect(judgeIntent(staleNoDebt, { kind: "withdraw", asset: 0, amount: ETH(1) }).ok).toBe(true);

    // 3 WETH left: 7,650 of power against 20,000 → health 0.3825.
    expect(judgeIntent(base, { kind: "withdraw", asset: 0, amount: ETH(7) })).toMatchObject({
      ok: false,
      verdict: { reason: "BELOW_ONE", healthFactor: 3825n * 10n ** 14n },
    });
    // 8.2 WETH left keep health 1.0455 but give 19,680 of borrowing power against 20,000: at most 1.6666… WETH.
    const limit = maxWithdraw(base, 0);
    const above = judgeIntent(base, { kind: "withdraw", asset: 0, amount: 18n * 10n ** 17n });
    expect(above).toMatchObject({ ok: false, verdict: { reason: "ABOVE_MAX_WITHDRAW", asset: 0, max: limit.ok ? limit.amount : -1n } });
    expect(limit.ok && limit.amount / 10n ** 12n).toBe(1_666_666n);
  });

  it("open: the collateral's verdicts first (judgeDeposits), then the borrow's against the collateral typed", () => {
    const fresh = makeSnapshot();
    expect(judgeDeposits(fresh, [0n, 0n, 0n])).toEqual({ reason: "NO_COLLATERAL" });
    expect(judgeDeposits(fresh, [ETH(2), 0n, 0n], { collaterals: [ETH(1)] })).toEqual({
      reason: "INSUFFICIENT_WALLET_BALANCE",
      asset: 0,
      needed: ETH(2),
      held: ETH(1),
    });
    expect(judgeDeposits(fresh, [ETH(1), 0n, 0n])).toBeUndefined();
    // A stale price counts only for a collateral that is (or would be) held; the loan's always (the open borrows).
    const staleWbtc = makeSnapshot({ collaterals: DEVNET_STALE_WBTC });
    expect(judgeDeposits(staleWbtc, [ETH(1), 0n, 0n])).toBeUndefined();
    expect(judgeDeposits(staleWbtc, [ETH(1), 0n, BTC(1)])).toEqual({ reason: "STALE_PRICE", symbols: ["WBTC"] });

    const open = (deposits: bigint[], borrow: bigint, s = fresh) => judgeIntent(s, { kind: "open", deposits, borrow });
    expect(verdict(open([0n, 0n, 0n], USDC(1)))).toEqual({ reason: "NO_COLLATERAL" });
    expect(verdict(open([ETH(1), 0n, 0n], USDC(1), makeSnapshot({ borrowPaused: true })))).toEqual({ reason: "BORROW_PAUSED" });
    expect(open([ETH(1), 0n, 0n], USDC(600), makeSnapshot({ availableLiquidity: USDC(500) }))).toMatchObject({
      ok: false,
      verdict: { reason: "INSUFFICIENT_LIQUIDITY", available: USDC(500) },
      after: { debt: USDC(600) },
    });
    expect(open([ETH(1), 0n, 0n], USDC(5_000))).toMatchObject({ ok: false, verdict: { reason: "BELOW_ONE", healthFactor: 51n * 10n ** 16n } });
    // 1 WETH + 1 wstETH: 2,400 + 2,625 = 5,025 of borrowing power.
    expect(open([ETH(1), ETH(1), 0n], USDC(5_100))).toMatchObject({ ok: false, verdict: { reason: "ABOVE_MAX_BORROW", max: USDC(5_025) } });
    const accepted = open([ETH(1), ETH(1), 0n], USDC(5_025));
    expect(accepted.ok && [accepted.after.debt, accepted.after.market.collaterals[1]!.balance]).toEqual([USDC(5_025), ETH(1)]);
  });
});

describe("amounts that reach a health target", () => {
  it("repay needed to leave SOFT: 450 USDC (debt down to the 19,550 of power)", () => {
    expect(ok(repayForHealth(soft)).amount).toBe(USDC(450));
    expect(ok(repayForHealth(base)).amount).toBe(0n);
    // to HF 1.275 again: 19,550 / 1.275 = 15,333.333… → repay 4,666.666667
    expect(ok(repayForHealth(soft, 1_275_000_000_000_000_000n)).amount).toBe(4_666_666_667n);
  });

  it("top-up needed to leave SOFT: 0.2301… WETH or 0.00961539 WBTC", () => {
    expect(ok(topUpForHealth(soft, 0)).amount).toBe(230_179_028_132_992_328n);
    expect(ok(topUpForHealth(soft, 2)).amount).toBe(961_539n);
    const after = withChanges(soft, { balances: [ETH(10), 0n, 961_539n] });
    expect(health(after).zone).toBe(Zone.HEALTHY);
    expect(health(withChanges(soft, { balances: [ETH(10), 0n, 961_538n] })).zone).toBe(Zone.SOFT);
  });

  it("largest withdrawal and borrow keeping HF >= 1.2", () => {
    // 20,000 · 1.2 / 0.85 = 28,235.29… of WETH value → keep 9.4117647… WETH
    const w = ok(maxWithdrawForHealth(base, 0, 12n * 10n ** 17n));
    expect(w.amount).toBe(ETH(10) - 9_411_764_705_882_352_942n);
    // 25,500 / 1.2 = 21,250 → borrow 1,250
    expect(ok(maxBorrowForHealth(base, 12n * 10n ** 17n)).amount).toBe(USDC(1250));
    // with target 1 the borrow-power limit binds: same as maxBorrow
    const mb = maxBorrow(base);
    expect(ok(maxBorrowForHealth(base, WAD)).amount).toBe(mb.ok ? mb.amount : -1n);
  });
});

describe("parsing and formatting", () => {
  it("parses typed amounts into base units", () => {
    expect(parseAmount("1.5", 6)).toMatchObject({ ok: true, amount: 1_500_000n });
    expect(parseAmount(" 1,000.25 ", 6)).toMatchObject({ ok: true, amount: 1_000_250_000n });
    expect(parseAmount(".5", 18)).toMatchObject({ ok: true, amount: 5n * 10n ** 17n });
    expect(parseAmount("7.", 6)).toMatchObject({ ok: true, amount: 7_000_000n });
    expect(parseAmount("0.00000001", 8)).toMatchObject({ ok: true, amount: 1n });
    expect(parseAmount("", 6)).toMatchObject({ ok: false, reason: "EMPTY" });
    expect(parseAmount("abc", 6)).toMatchObject({ ok: false, reason: "NOT_A_NUMBER" });
    expect(parseAmount("1e5", 6)).toMatchObject({ ok: false, reason: "NOT_A_NUMBER" });
    expect(parseAmount("-1", 6)).toMatchObject({ ok: false, reason: "NEGATIVE_AMOUNT" });
    expect(parseAmount("1.0000001", 6)).toMatchObject({ ok: false, reason: "TOO_MANY_DECIMALS" });
  });

  it("never misreads a decimal comma: 1,5 is 1.5, grouping by three is thousands, and 1,500 alone is refused", () => {
    expect(parseAmount("1,5", 6)).toMatchObject({ ok: true, amount: 1_500_000n });
    expect(parseAmount("0,25", 18)).toMatchObject({ ok: true, amount: 25n * 10n ** 16n });
    expect(parseAmount("1,50", 6)).toMatchObject({ ok: true, amount: 1_500_000n });
    expect(parseAmount("1,", 6)).toMatchObject({ ok: true, amount: 1_000_000n });
    expect(parseAmount("1,234,567", 6)).toMatchObject({ ok: true, amount: 1_234_567_000_000n });
    expect(parseAmount("12,345.5", 6)).toMatchObject({ ok: true, amount: 12_345_500_000n });
    expect(parseAmount("1 000,5", 6)).toMatchObject({ ok: true, amount: 1_000_500_000n });
    for (const ambiguous of ["1,500", "1.234,5", "1,00.5", "12,34,567"]) {
      expect(parseAmount(ambiguous, 6), ambiguous).toMatchObject({ ok: false, reason: "AMBIGUOUS_SEPARATOR" });
    }
  });

  it("formats base units and WADs", () => {
    expect(formatUnits(1_500_000n, 6)).toBe("1.5");
    expect(formatWad(1_275_000_000_000_000_000n)).toBe("1.275");
    expect(formatWad(MAX_UINT256)).toBe("∞");
  });
});
