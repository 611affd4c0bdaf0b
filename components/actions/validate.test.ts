import { describe, expect, it } from "vitest";
import { WAD, health } from "@/lib/risk";
import { makeSnapshot, units } from "@/lib/risk/fixtures";
import { repayToLeaveSoft, topUpToLeaveSoft, unchecked as applyAction } from "./preview";
import { checkForm, checkOpen } from "./validate";

// 10 WETH ($30,000, LTV 0.80 / LT 0.85) against 20,000 USDC → HF 1.275, max borrow 24,000.
const position = () => makeSnapshot({ balances: { WETH: units(10, 18) }, debt: units(20_000, 6) });

describe("checkForm", () => {
  it("previews a borrow and refuses one above the borrowing power", () => {
    const ok = checkForm(position(), { kind: "borrow", asset: 0, text: "1000" });
    expect(ok.ok).toBe(true);
    const tooMuch = checkForm(position(), { kind: "borrow", asset: 0, text: "4000.000001" });
    expect(tooMuch).toMatchObject({ ok: false, message: expect.stringMatching(/at most 4,000 USDC/) });
  });

  it("refuses a result below health 1 with the health it would reach", () => {
    const r = checkForm(position(), { kind: "borrow", asset: 0, text: "30000" });
    expect(r).toMatchObject({ ok: false, message: expect.stringMatching(/health at 0\.510, below 1/) });
  });

  it("refuses paused markets and stale prices for borrow and withdraw, never for top up or repay", () => {
    const paused = makeSnapshot({ balances: { WETH: units(10, 18) }, debt: units(1_000, 6), borrowPaused: true, withdrawPaused: true });
    expect(checkForm(paused, { kind: "borrow", asset: 0, text: "1" })).toMatchObject({ ok: false, message: expect.stringMatching(/paused/) });
    expect(checkForm(paused, { kind: "withdraw", asset: 0, text: "1" })).toMatchObject({ ok: false, message: expect.stringMatching(/paused/) });
    expect(checkForm(paused, { kind: "topUp", asset: 0, text: "1" }).ok).toBe(true);
    expect(checkForm(paused, { kind: "repay", asset: 0, text: "1" }).ok).toBe(true);

    const stale = makeSnapshot({
      collaterals: [{ symbol: "WETH", decimals: 18, ltv: 8n * 10n ** 17n, lt: 85n * 10n ** 16n, price: 3000n * WAD, priceOk: false }],
      balances: [units(10, 18)],
      debt: units(1_000, 6),
    });
    expect(checkForm(stale, { kind: "borrow", asset: 0, text: "1" })).toMatchObject({ ok: false, message: expect.stringMatching(/stale/) });
    expect(checkForm(stale, { kind: "withdraw", asset: 0, text: "1" })).toMatchObject({ ok: false, message: expect.stringMatching(/stale/) });
    expect(checkForm(stale, { kind: "topUp", asset: 0, text: "1" }).ok).toBe(true);
  });

  it("checks the wallet and the position balance", () => {
    expect(checkForm(position(), { kind: "topUp", asset: 0, text: "2", walletBalance: units(1, 18) })).toMatchObject({
      ok: false,
      message: "Your wallet holds only 1 WETH.",
    });
    expect(checkForm(position(), { kind: "withdraw", asset: 0, text: "11" })).toMatchObject({
      ok: false,
      message: "The position holds only 10 WETH.",
    });
    expect(checkForm(position(), { kind: "repay", asset: 0, text: "20001" })).toMatchObject({ ok: false, message: expect.stringMatching(/Repay all/) });
    expect(checkForm(position(), { kind: "repay", asset: 0, text: "", repayAll: true, walletBalance: units(19_999, 6) })).toMatchObject({ ok: false });
    const all = checkForm(position(), { kind: "repay", asset: 0, text: "", repayAll: true, walletBalance: units(20_000, 6) });
    expect(all.ok && all.after.debt).toBe(0n);
  });

  it("passes the amount parser's messages through", () => {
    expect(checkForm(position(), { kind: "topUp", asset: 0, text: "-1" })).toMatchObject({ ok: false, message: "The amount cannot be negative." });
    expect(checkForm(position(), { kind: "borrow", asset: 0, text: "1.0000001" })).toMatchObject({ ok: false, message: expect.stringMatching(/6 decimals/) });
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

describe("checkOpen", () => {
  const empty = () => makeSnapshot();
  it("opens with two collaterals and refuses an over-borrow", () => {
    const ok = checkOpen(empty(), { deposits: ["1", "1", ""], borrow: "4000" });
    expect(ok.ok).toBe(true);
    // borrow power: 3000·0.80 + 3500·0.75 = 5,025
    const over = checkOpen(empty(), { deposits: ["1", "1", ""], borrow: "5100" });
    expect(over).toMatchObject({ ok: false, field: "borrow" });
    expect(checkOpen(empty(), { deposits: ["", "", ""], borrow: "1" })).toMatchObject({ ok: false, field: 0 });
    expect(checkOpen(empty(), { deposits: ["0.000000001", "", ""], borrow: "1", walletBalances: [0n, 0n, 0n] })).toMatchObject({ ok: false, field: 0 });
    expect(checkOpen(empty(), { deposits: ["", "", "0.000000001"], borrow: "1" })).toMatchObject({ ok: false, field: 2, message: expect.stringMatching(/WBTC has 8 decimals/) });
  });
});
