import { describe, expect, it } from "vitest";
import { makeSnapshot, units } from "@/lib/risk/fixtures";
import { prefillHref } from "@/components/advice/offers";
import { parsePrefill } from "./prefill";

const s = makeSnapshot({ balances: { WETH: units(2, 18) }, debt: units(3000, 6) });

describe("prefill links", () => {
  it("round-trips what the advice offers: a top-up of a named collateral, a repay, a repay of everything", () => {
    expect(parsePrefill(prefillHref("topUp", 1_250_000_000_000_000_000n, 18, "WBTC"), s)).toEqual({
      ok: true,
      prefill: { kind: "topUp", asset: 2, text: "1.25", repayAll: false },
    });
    expect(parsePrefill(prefillHref("repay", 2_300_500_000n, 6), s)).toEqual({
      ok: true,
      prefill: { kind: "repay", asset: 0, text: "2300.5", repayAll: false },
    });
    expect(parsePrefill(prefillHref("repay", 0n, 6, undefined, true), s)).toEqual({
      ok: true,
      prefill: { kind: "repay", asset: 0, text: "", repayAll: true },
    });
    // collateral symbols match whatever the case, as people type them in mails and chats
    expect(parsePrefill("#act=withdraw&asset=weth&amount=0.5", s)).toMatchObject({ ok: true, prefill: { kind: "withdraw", asset: 0 } });
  });

  it("ignores fragments that are not prefills", () => {
    expect(parsePrefill("", s)).toBeNull();
    expect(parsePrefill("#history", s)).toBeNull();
  });

  it("refuses a bad link with the reason instead of filling something else", () => {
    const message = (hash: string) => {
      const r = parsePrefill(hash, s);
      return r && !r.ok ? r.message : "accepted";
    };
    expect(message("#act=liquidate&amount=1")).toMatch(/unknown action "liquidate"/);
    expect(message("#act=topUp&asset=DOGE&amount=1")).toMatch(/does not take \("DOGE"\): WETH, wstETH, WBTC/);
    expect(message("#act=topUp&amount=1")).toMatch(/does not take/);
    expect(message("#act=borrow&amount=1.1234567")).toMatch(/USDC has 6 decimals/);
    expect(message("#act=borrow&amount=-5")).not.toBe("accepted");
    expect(message("#act=topUp&asset=WETH&amount=all")).toMatch(/Only a repay/);
  });
});
