import { describe, expect, it } from "vitest";
import { WAD, assumeIntent as applyAction, health, type Verdict, type VerdictReason } from "@/lib/risk";
import { makeSnapshot, units } from "@/lib/risk/fixtures";
import { repayToLeaveSoft, topUpToLeaveSoft } from "./preview";
import { checkForm, checkOpen, describeVerdict } from "./validate";

// 10 WETH ($30,000, LTV 0.80 / LT 0.85) against 20,000 USDC → HF 1.275, max borrow 4,000.
const position = () => makeSnapshot({ balances: { WETH: units(10, 18) }, debt: units(20_000, 6) });
const empty = () => makeSnapshot();
const staleWeth = (debt = units(1_000, 6)) =>
  makeSnapshot({
    collaterals: [{ symbol: "WETH", decimals: 18, ltv: 8n * 10n ** 17n, lt: 85n * 10n ** 16n, price: 3000n * WAD, priceOk: false }],
    balances: [units(10, 18)],
    debt,
  });

describe("checkForm words each of lib/risk's verdicts", () => {
  it("previews an accepted action and returns its intent", () => {
    const ok = checkForm(position(), { kind: "borrow", asset: 0, text: "1000" });
    expect(ok).toMatchObject({ ok: true, action: { kind: "borrow", amount: units(1_000, 6) } });
    const all = checkForm(position(), { kind: "repay", asset: 0, text: "", repayAll: true, walletBalance: units(20_000, 6) });
    expect(all).toMatchObject({ ok: true, action: { kind: "repayAll" }, note: expect.stringMatching(/no dust is left/) });
    expect(all.ok && all.after.debt).toBe(0n);
  });

  it("NO_DEBT, ABOVE_DEBT", () => {
    expect(checkForm(empty(), { kind: "repay", asset: 0, text: "1" })).toEqual({ ok: false, message: "This position has no debt to repay." });
    expect(checkForm(empty(), { kind: "repay", asset: 0, text: "", repayAll: true })).toEqual({ ok: false, message: "This position has no debt to repay." });
    expect(checkForm(position(), { kind: "repay", asset: 0, text: "20001" })).toEqual({
      ok: false,
      message: "That is more than the debt (20,000 USDC). Choose “Repay all” to close the debt.",
    });
  });

  it("INSUFFICIENT_WALLET_BALANCE, worded for top up, repay and repay all", () => {
    expect(checkForm(position(), { kind: "topUp", asset: 0, text: "2", walletBalance: units(1, 18) })).toEqual({
      ok: false,
      message: "Your wallet holds only 1 WETH.",
    });
    expect(checkForm(position(), { kind: "repay", asset: 0, text: "6", walletBalance: units(5, 6) })).toEqual({
      ok: false,
      message: "Your wallet holds only 5 USDC.",
    });
    expect(checkForm(position(), { kind: "repay", asset: 0, text: "", repayAll: true, walletBalance: units(19_999, 6) })).toEqual({
      ok: false,
      message: "Repaying everything needs 20,000 USDC; your wallet holds 19,999.",
    });
  });

  it("INSUFFICIENT_BALANCE, UNKNOWN_COLLATERAL", () => {
    expect(checkForm(position(), { kind: "withdraw", asset: 0, text: "11" })).toEqual({ ok: false, message: "The position holds only 10 WETH." });
    expect(checkForm(position(), { kind: "topUp", asset: 7, text: "1" })).toEqual({ ok: false, message: "Choose a collateral." });
  });

  it("BORROW_PAUSED and WITHDRAW_PAUSED, never for top up or repay", () => {
    const paused = makeSnapshot({ balances: { WETH: units(10, 18) }, debt: units(1_000, 6), borrowPaused: true, withdrawPaused: true });
    expect(checkForm(paused, { kind: "borrow", asset: 0, text: "1" })).toEqual({
      ok: false,
      message: "Borrowing is paused on this market by its guardian. Repaying and topping up still work.",
    });
    expect(checkForm(paused, { kind: "withdraw", asset: 0, text: "1" })).toEqual({
      ok: false,
      message: "Withdrawals of WETH are paused by the market's guardian. Repaying and topping up still work.",
    });
    expect(checkForm(paused, { kind: "topUp", asset: 0, text: "1" }).ok).toBe(true);
    expect(checkForm(paused, { kind: "repay", asset: 0, text: "1" }).ok).toBe(true);
  });

  it("STALE_PRICE for borrow and withdraw, never for top up", () => {
    const message =
      "The price of WETH is stale, so the market refuses borrowing and withdrawals until the feed updates. Topping up and repaying still work.";
    expect(checkForm(staleWeth(), { kind: "borrow", asset: 0, text: "1" })).toEqual({ ok: false, message });
    expect(checkForm(staleWeth(), { kind: "withdraw", asset: 0, text: "1" })).toEqual({ ok: false, message });
    expect(checkForm(staleWeth(), { kind: "topUp", asset: 0, text: "1" }).ok).toBe(true);
  });

  it("INSUFFICIENT_LIQUIDITY", () => {
    const dry = makeSnapshot({ balances: { WETH: units(10, 18) }, debt: units(1_000, 6), availableLiquidity: units(100, 6) });
    expect(checkForm(dry, { kind: "borrow", asset: 0, text: "101" })).toEqual({ ok: false, message: "The market can lend only 100 USDC right now." });
  });

  it("BELOW_ONE, in the words of the zone it would reach, and the position it would leave", () => {
    // power 25,500 against 26,020 → 0.980: soft, above the 0.97 grace floor
    expect(checkForm(position(), { kind: "borrow", asset: 0, text: "6020" })).toMatchObject({
      ok: false,
      message: "This would leave health at 0.980, below 1: the position would enter the soft zone, where it can be flagged and, after a 10 min grace period, sold in slices.",
    });
    // against 26,842 → 0.950: below the grace floor, no grace
    expect(checkForm(position(), { kind: "borrow", asset: 0, text: "6842" })).toMatchObject({
      ok: false,
      message: "This would leave health at 0.950, below 0.970: the position would be deep in the soft zone and could be sold in slices at once, with no grace period.",
    });
    // against 50,000 → 0.510, below hardHealth 0.88 and insolvent ($30,000 < $50,000): closed at the 1% soft ceiling,
    // the keeper repays what the WETH covers, 30,000 / 1.01 = 29,702.970297 USDC (59% of the debt)
    const r = checkForm(position(), { kind: "borrow", asset: 0, text: "30000" });
    expect(r).toMatchObject({
      ok: false,
      message: "This would leave health at 0.510, below 0.880: the position would be in the hard zone and could be liquidated at once, up to 59% of the debt (29,702.970297 USDC) at a 1% bonus, with no grace period.",
    });
    expect(!r.ok && r.after?.debt).toBe(units(50_000, 6));
  });

  it("ABOVE_MAX_BORROW and ABOVE_MAX_WITHDRAW, with the limit", () => {
    expect(checkForm(position(), { kind: "borrow", asset: 0, text: "4000.000001" })).toMatchObject({
      ok: false,
      message: "You can borrow at most 4,000 USDC: your borrowing power (collateral × LTV) must cover the debt.",
    });
    // Borrowing power 24,000 is used up, yet health is 1.0625: nothing more to borrow.
    const full = makeSnapshot({ balances: { WETH: units(10, 18) }, debt: units(24_000, 6) });
    expect(checkForm(full, { kind: "borrow", asset: 0, text: "1" })).toMatchObject({
      ok: false,
      message: "Your collateral gives no more borrowing power: top up first.",
    });
    // 8.2 WETH left would keep health at 1.045 but give only $19,680 of borrowing power against $20,000.
    expect(checkForm(position(), { kind: "withdraw", asset: 0, text: "1.8" })).toMatchObject({
      ok: false,
      message: "You can withdraw at most 1.666666 WETH: the rest backs your debt (borrowing power must cover it).",
    });
  });

  it("passes the amount parser's messages through", () => {
    expect(checkForm(position(), { kind: "topUp", asset: 0, text: "-1" })).toMatchObject({ ok: false, message: "The amount cannot be negative." });
    expect(checkForm(position(), { kind: "borrow", asset: 0, text: "1.0000001" })).toMatchObject({ ok: false, message: expect.stringMatching(/6 decimals/) });
  });
});

describe("describeVerdict", () => {
  it("has a sentence for every verdict; an engine refusal keeps lib/risk's own", () => {
    const s = position();
    const samples: Record<VerdictReason, Verdict> = {
      NO_DEBT: { reason: "NO_DEBT" },
      NO_COLLATERAL: { reason: "NO_COLLATERAL" },
      UNKNOWN_COLLATERAL: { reason: "UNKNOWN_COLLATERAL" },
      ABOVE_DEBT: { reason: "ABOVE_DEBT", debt: units(20_000, 6) },
      INSUFFICIENT_WALLET_BALANCE: { reason: "INSUFFICIENT_WALLET_BALANCE", asset: 1, needed: units(2, 18), held: units(1, 18) },
      INSUFFICIENT_BALANCE: { reason: "INSUFFICIENT_BALANCE", asset: 0, balance: units(10, 18) },
      BORROW_PAUSED: { reason: "BORROW_PAUSED" },
      WITHDRAW_PAUSED: { reason: "WITHDRAW_PAUSED", asset: 2 },
      STALE_PRICE: { reason: "STALE_PRICE", symbols: ["WETH", "USDC"] },
      INSUFFICIENT_LIQUIDITY: { reason: "INSUFFICIENT_LIQUIDITY", available: units(1_234_567, 6) },
      BELOW_ONE: { reason: "BELOW_ONE", healthFactor: 987_654_321_000_000_000n, zone: 1, hardRepay: 0n, hardShare: 0n, hardBonus: 0n },
      ABOVE_MAX_BORROW: { reason: "ABOVE_MAX_BORROW", max: units(4_000, 6) },
      ABOVE_MAX_WITHDRAW: { reason: "ABOVE_MAX_WITHDRAW", asset: 2, max: units(1, 7) },
      REFUSED: { reason: "REFUSED", error: "PRICE_UNAVAILABLE", message: "A price feed is stale or invalid." },
    };
    const worded = Object.fromEntries(Object.entries(samples).map(([reason, v]) => [reason, describeVerdict(s, v, "borrow")]));
    expect(worded).toEqual({
      NO_DEBT: "This position has no debt to repay.",
      NO_COLLATERAL: "Enter an amount for at least one collateral.",
      UNKNOWN_COLLATERAL: "Choose a collateral.",
      ABOVE_DEBT: "That is more than the debt (20,000 USDC). Choose “Repay all” to close the debt.",
      INSUFFICIENT_WALLET_BALANCE: "Your wallet holds only 1 wstETH.",
      INSUFFICIENT_BALANCE: "The position holds only 10 WETH.",
      BORROW_PAUSED: "Borrowing is paused on this market by its guardian. Repaying and topping up still work.",
      WITHDRAW_PAUSED: "Withdrawals of WBTC are paused by the market's guardian. Repaying and topping up still work.",
      STALE_PRICE:
        "The price of WETH and USDC is stale, so the market refuses borrowing and withdrawals until the feed updates. Topping up and repaying still work.",
      INSUFFICIENT_LIQUIDITY: "The market can lend only 1,234,567 USDC right now.",
      BELOW_ONE: "This would leave health at 0.987, below 1: the position would enter the soft zone, where it can be flagged and, after a 10 min grace period, sold in slices.",
      ABOVE_MAX_BORROW: "You can borrow at most 4,000 USDC: your borrowing power (collateral × LTV) must cover the debt.",
      ABOVE_MAX_WITHDRAW: "You can withdraw at most 0.1 WBTC: the rest backs your debt (borrowing power must cover it).",
      REFUSED: "A price feed is stale or invalid.",
    });
  });
});

describe("leaving the soft zone", () => {
  // WETH at $2,300: power 10 × 2300 × 0.85 = 19,550 < 20,000 → HF 0.9775 (SOFT).
  const soft = () => makeSnapshot({ balances: { WETH: units(10, 18) }, prices: { WETH: 2300n * WAD }, debt: units(20_000, 6), flaggedAt: 1n });

  it("finds the least top-up and repay that bring health back to 1", () => {
    const s = soft();
    const topUp = topUpToLeaveSoft(s, 0)!;
    expect(health(applyAction(s, { kind: "topUp", asset: 0, amount: topUp })).healthFactor).toBeGreaterThanOrEqual(WAD);
    expect(health(applyAction(s, { kind: "topUp", asset: 0, amount: topUp - 1n })).healthFactor).toBeLessThan(WAD);
    const repay = repayToLeaveSoft(s)!;
    expect(health(applyAction(s, { kind: "repay", amount: repay })).healthFactor).toBeGreaterThanOrEqual(WAD);
    expect(health(applyAction(s, { kind: "repay", amount: repay - 1n })).healthFactor).toBeLessThan(WAD);
  });
});

describe("checkOpen words the /borrow verdicts and points at the field", () => {
  it("opens with two collaterals", () => {
    expect(checkOpen(empty(), { deposits: ["1", "1", ""], borrow: "4000" })).toMatchObject({
      ok: true,
      deposits: [units(1, 18), units(1, 18), 0n],
      borrow: units(4_000, 6),
    });
  });

  it("per collateral: parse errors, the wallet, nothing to lend against", () => {
    expect(checkOpen(empty(), { deposits: ["", "", "0.000000001"], borrow: "1" })).toEqual({
      ok: false,
      field: 2,
      message: "WBTC: WBTC has 8 decimals: use at most 8 digits after the point.",
    });
    expect(checkOpen(empty(), { deposits: ["", "2", ""], borrow: "1", walletBalances: [0n, units(1, 18), 0n] })).toEqual({
      ok: false,
      field: 1,
      message: "wstETH: your wallet holds only 1 wstETH.",
    });
    expect(checkOpen(empty(), { deposits: ["", "", ""], borrow: "1" })).toEqual({
      ok: false,
      field: 0,
      message: "Enter an amount for at least one collateral.",
    });
  });

  it("stale prices before the borrow amount is even read", () => {
    expect(checkOpen(staleWeth(0n), { deposits: ["1"], borrow: "" })).toEqual({
      ok: false,
      message: "The price of WETH is stale, so the market refuses to lend against it until the feed updates.",
    });
  });

  it("the borrow: its parse error, a pause, liquidity, health 1 and the limit", () => {
    expect(checkOpen(empty(), { deposits: ["1", "", ""], borrow: "" })).toEqual({ ok: false, field: "borrow", message: "Borrow: Enter an amount." });
    expect(checkOpen(makeSnapshot({ borrowPaused: true }), { deposits: ["1", "", ""], borrow: "1" })).toEqual({
      ok: false,
      field: "borrow",
      message: "Borrowing is paused on this market by its guardian.",
    });
    expect(checkOpen(makeSnapshot({ availableLiquidity: units(500, 6) }), { deposits: ["1", "", ""], borrow: "600" })).toMatchObject({
      ok: false,
      field: "borrow",
      message: "The market can lend only 500 USDC right now.",
    });
    // 1 WETH: power $2,550 against 5,000 → health 0.510.
    const low = checkOpen(empty(), { deposits: ["1", "", ""], borrow: "5000" });
    expect(low).toMatchObject({ ok: false, field: "borrow", message: expect.stringMatching(/^This would leave health at 0\.510, below 0\.880: the position would be in the hard zone/) });
    expect(!low.ok && low.after?.debt).toBe(units(5_000, 6));
    // borrowing power: 3000·0.80 + 3500·0.75 = 5,025
    expect(checkOpen(empty(), { deposits: ["1", "1", ""], borrow: "5100" })).toMatchObject({
      ok: false,
      field: "borrow",
      message: "With this collateral you can borrow at most 5,025 USDC (collateral × LTV).",
    });
  });
});
