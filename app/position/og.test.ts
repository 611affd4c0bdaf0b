import { describe, expect, it } from "vitest";
import type { Address } from "viem";
import type { PositionView } from "@/lib/chain/read";
import { makeSnapshot, units } from "@/lib/risk/fixtures";
import { ogContent, ogImagePath } from "./og";

const account = "0x90F79bf6EB2c4f870365E785982E1f101E93b906" as Address;
const T0 = 1_800_000_000n;
const { ETH, USDC } = { ETH: (n: number) => units(n, 18), USDC: (n: number) => units(n, 6) };
// The lens's PositionView and lib/risk's snapshot are the same shape (lib/risk/snapshot-type.test.ts pins it).
const view = (o: Parameters<typeof makeSnapshot>[0]) => makeSnapshot({ timestamp: T0, ...o }) as unknown as PositionView;
const ok = (position: PositionView) => ({ kind: "ok", account, config: {} as never, position }) as const;

describe("share image", () => {
  it("versions its URL by zone, health to a hundredth, flag and block, so previews refresh when the state changes", () => {
    const healthy = view({ balances: { WETH: ETH(10) }, debt: USDC(20_000) });
    const url = ogImagePath(account, healthy);
    expect(url).toMatch(new RegExp(`^/position/${account}/og\\?v=0-127-0-\\d+$`));
    const lower = view({ balances: { WETH: ETH(10) }, prices: { WETH: units(2500, 18) }, debt: USDC(20_000) });
    expect(ogImagePath(account, lower)).not.toBe(url);
    const flagged = view({ balances: { WETH: ETH(10) }, prices: { WETH: units(2300, 18) }, debt: USDC(20_000), flaggedAt: T0 - 60n });
    expect(ogImagePath(account, flagged)).toContain(`/og?v=1-97-${T0 - 60n}-`);
  });

  it("says when a flagged position's grace period ends, in UTC", () => {
    const flagged = view({ balances: { WETH: ETH(10) }, prices: { WETH: units(2330, 18) }, debt: USDC(20_000), flaggedAt: T0 - 60n });
    const c = ogContent(ok(flagged));
    expect(c.zone).toBe("SOFT");
    // flagged at T0 - 60 s, grace 600 s: ends at T0 + 540 s = 2027-01-15 08:09 UTC
    expect(c.clock).toBe("Flagged: grace period until 2027-01-15 08:09 UTC, then sliced");
  });

  it("a what-if link previews the what-if, marked as one, with its prices and the live health", () => {
    const live = view({ balances: { WETH: ETH(10) }, debt: USDC(20_000) }); // HF 1.275
    const whatIf = { WETH: units(2000, 18) }; // 10 × 2,000 × 0.85 / 20,000 = 0.85: HARD
    expect(ogImagePath(account, live, whatIf)).toMatch(/\/og\?v=0-127-0-\d+&WETH=2000$/);
    expect(ogContent(ok(live), whatIf)).toEqual({
      headline: "WHAT-IF - 0x90F7...b906",
      hf: "0.850",
      zone: "HARD",
      detail: "Live health 1.275: nothing has happened to this position",
      clock: "If WETH $2,000.00 (live $3,000.00)",
    });
  });

  it("words every other state, and never repeats the brand in the title line", () => {
    expect(ogContent(ok(view({ balances: { WETH: ETH(10) }, prices: { WETH: units(2300, 18) }, debt: USDC(20_000) }))).clock).toBe(
      "Below health 1: can be flagged at any moment",
    );
    expect(ogContent(ok(view({ balances: { WETH: ETH(10) }, prices: { WETH: units(2000, 18) }, debt: USDC(20_000) }))).clock).toBe(
      "Below the hard-zone health: can be hard-liquidated now",
    );
    expect(ogContent(ok(view({ balances: { WETH: ETH(1) } })))).toMatchObject({ hf: "no debt", zone: "HEALTHY", clock: "" });
    expect(ogContent({ kind: "invalid-address", input: "0x12" })).toMatchObject({ headline: "", detail: "Not a valid address." });
  });
});

describe("share image of a position liquidations emptied", () => {
  it("says hard-liquidated with what was repaid, never 'no debt · HEALTHY'", () => {
    const rest = view({ balances: { WETH: ETH(1) } }); // debt gone, 1 WETH left
    const c = ogContent(ok(rest), {}, { softSlices: 3, hardLiquidations: 1, repaid: USDC(12_000), badDebt: 0n });
    expect(c.zone).toBe("HARD-LIQUIDATED");
    expect(c.hf).toBe("no debt");
    expect(c.detail).toBe("1 hard liquidation and 3 soft slices repaid $12,000 of debt; $3,000 of WETH left");
    // only slices: soft-liquidated; and without liquidations a repaid position stays a plain healthy one
    expect(ogContent(ok(rest), {}, { softSlices: 2, hardLiquidations: 0, repaid: USDC(500), badDebt: 0n }).zone).toBe("SOFT-LIQUIDATED");
    expect(ogContent(ok(rest)).zone).toBe("HEALTHY");
  });

  it("an emptied account still tells its story, bad debt included", () => {
    const empty = view({});
    const load = { kind: "empty", account, config: {} as never, position: empty } as const;
    expect(ogContent(load, {}, { softSlices: 0, hardLiquidations: 2, repaid: USDC(9_000), badDebt: USDC(150) })).toMatchObject({
      zone: "HARD-LIQUIDATED",
      detail: "2 hard liquidations repaid $9,000 of debt, $150 bad debt; nothing left in this market",
    });
  });
});
