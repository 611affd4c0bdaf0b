/** The words of each alert kind, from the pure decision core and the renderer (no chain, no network). */
import { describe, expect, it } from "vitest";
import { WAD, Zone } from "../../lib/risk";
import { makeSnapshot, units } from "../../lib/risk/fixtures";
import { decideEventAlerts, decideHealthAlerts, type EventView, type SubscriptionView } from "./decide";
import { renderMail, renderWebhook } from "./render";

const account = "0x00000000000000000000000000000000000000aa";
// 10 WETH at $2,600 (LT 0.85) backing 22,200 USDC: health 0.9955.
const soft = { ...makeSnapshot({ balances: { WETH: units(10, 18) }, prices: { WETH: 2600n * WAD }, debt: units(22_200, 6), flaggedAt: 1_799_999_900n }), account: account as `0x${string}` };
const sub: SubscriptionView = { id: "s1", account, threshold: (WAD * 110n) / 100n, belowThreshold: false, healthEpisode: 0, fromBlock: 10n };
const ctx = { appUrl: "https://app.example", unsubscribeUrl: "https://w.example/unsubscribe?token=t", nowSeconds: 1_800_000_000 };
const event = (name: string, args: Record<string, string | number>, blockNumber = 20n): EventView => ({
  blockNumber,
  logIndex: 1,
  transactionHash: "0xabc",
  timestamp: 1_799_999_900n,
  name,
  account,
  args,
});

describe("alert words", () => {
  const subs = new Map([[account, [sub]]]);
  const positions = new Map([[account, soft]]);
  const alertOf = (e: EventView) => decideEventAlerts([e], subs, positions)[0]!;
  const mailOf = (e: EventView) => {
    const a = alertOf(e);
    return renderMail({ id: "7", kind: a.kind, account, blockNumber: a.blockNumber, payload: a.payload }, ctx);
  };

  it("a slice: repaid, sold, bonus, health before and after, and what stops the next", () => {
    const weth = soft.market.collaterals[0]!.asset;
    const mail = mailOf(event("Liquidated", { zone: Zone.SOFT, collateral: weth, repaid: "1000000000", seized: "390000000000000000", bonus: "5000000000000000", healthBefore: "990000000000000000", healthAfter: "1010000000000000000" }));
    expect(mail.subject).toBe("Soft slice: 1,000 USDC repaid (position 0x0000…00aa)");
    expect(mail.text).toContain("sold 0.39 WETH with a 0.5% bonus");
    expect(mail.text).toContain("Health 0.990 → 1.010");
    expect(mail.text).toMatch(/Any one of these would stop further slices:\n {2}- Add [\d.]+ WETH: https:\/\/app\.example\/position\/0x0+aa#act=topUp&asset=WETH&amount=/);
    expect(mail.text).toContain("Stop these alerts: https://w.example/unsubscribe?token=t");
  });

  it("a hard liquidation and bad debt say so", () => {
    const weth = soft.market.collaterals[0]!.asset;
    expect(mailOf(event("Liquidated", { zone: Zone.HARD, collateral: weth, repaid: "20000000000", seized: "7000000000000000000", bonus: "30000000000000000", healthBefore: "850000000000000000", healthAfter: "1020000000000000000" })).subject).toBe(
      "Hard liquidation: 20,000 USDC repaid (position 0x0000…00aa)",
    );
    expect(mailOf(event("BadDebt", { badDebt: "5000000", coveredByInsurance: "5000000", socialised: "0" })).text).toContain("5 USDC of debt was written off");
  });

  it("a policy execution: what it repaid and sold, at what bonus, and the rule that ran", () => {
    const weth = soft.market.collaterals[0]!.asset;
    const policy = { triggerHealth: (WAD * 110n) / 100n, targetHealth: (WAD * 125n) / 100n, maxBonus: (WAD * 3n) / 1000n, maxShare: WAD / 4n };
    const args = { collateral: weth, version: "2", repaid: "2500000000", seized: "960000000000000000", bonus: "3000000000000000", healthBefore: "1050000000000000000", healthAfter: "1150000000000000000" };
    const withRule = decideEventAlerts([event("Deleveraged", args)], subs, new Map([[account, { ...soft, policy, policyVersion: 2n }]]))[0]!;
    expect(withRule.kind).toBe("protection");
    const mail = renderMail({ id: "8", kind: withRule.kind, account, blockNumber: withRule.blockNumber, payload: withRule.payload }, ctx);
    expect(mail.subject).toBe("Automatic protection ran: 2,500 USDC repaid (position 0x0000…00aa)");
    expect(mail.text).toContain("sold 0.96 WETH with a 0.3% bonus");
    expect(mail.text).toContain("Health 1.050 → 1.150");
    expect(mail.text).toContain("Its rule: below 1.10 → back to 1.25, 0.3% bonus, at most 25% of the debt per execution.");
    // A policy changed since that execution: its rule is not the one that ran, so the mail does not quote it.
    const changed = decideEventAlerts([event("Deleveraged", args)], subs, new Map([[account, { ...soft, policy, policyVersion: 3n }]]))[0]!;
    expect(renderMail({ id: "9", kind: changed.kind, account, blockNumber: 20n, payload: changed.payload }, ctx).text).not.toContain("Its rule");
  });

  it("a policy change says what is now in force, and who set it when it was not the borrower", () => {
    const policy = JSON.stringify({ triggerHealth: "1100000000000000000", targetHealth: "1250000000000000000", maxBonus: "3000000000000000", maxShare: "250000000000000000" });
    const manager = "0x00000000000000000000000000000000000000bb";
    const byManager = mailOf(event("DeleveragePolicySet", { caller: manager, policy, version: "4" }));
    expect(byManager.subject).toBe("Automatic protection set: below 1.10 → back to 1.25, 0.3% bonus, at most 25% of the debt per execution (position 0x0000…00aa)");
    expect(byManager.text).toContain("is now version 4. If health falls below 1.10, anyone may repay up to 25% of your debt");
    expect(byManager.text).toContain(`It was set by ${manager}, a manager this position authorised.`);
    const zeros = JSON.stringify({ triggerHealth: "0", targetHealth: "0", maxBonus: "0", maxShare: "0" });
    const off = mailOf(event("DeleveragePolicySet", { caller: account, policy: zeros, version: "5" }));
    expect(off.subject).toBe("Automatic protection turned off (position 0x0000…00aa)");
    expect(off.text).not.toContain("manager");
  });

  it("events before the subscription, and other events, alert nobody", () => {
    expect(decideEventAlerts([event("Flagged", { healthFactor: "990000000000000000", caller: account }, 10n)], subs, positions)).toEqual([]);
    expect(decideEventAlerts([event("CollateralDeposited", { amount: "1" })], subs, positions)).toEqual([]);
  });

  it("the health alert re-arms only 0.03 above the threshold", () => {
    const first = decideHealthAlerts([sub], positions, 30n);
    expect(first.drafts.map((d) => d.eventKey)).toEqual(["health:1"]);
    const after = { ...sub, belowThreshold: true, healthEpisode: 1 };
    // 1.12: above 1.10 but below 1.13: still disarmed. 1.14: re-armed.
    const at = (priceUsd: bigint) => new Map([[account, { ...makeSnapshot({ balances: { WETH: units(10, 18) }, prices: { WETH: priceUsd * WAD }, debt: units(22_200, 6) }), account: account as `0x${string}` }]]);
    expect(decideHealthAlerts([after], at(2925n), 31n)).toEqual({ drafts: [], changes: [] });
    expect(decideHealthAlerts([after], at(2990n), 32n).changes).toEqual([{ id: "s1", belowThreshold: false, healthEpisode: 1 }]);
  });

  it("the webhook body carries the same facts as numbers", () => {
    const a = decideHealthAlerts([sub], positions, 30n).drafts[0]!;
    const body = renderWebhook({ id: "9", kind: a.kind, account, blockNumber: 30n, payload: a.payload }, ctx);
    expect(body).toMatchObject({ id: "9", kind: "health", account, blockNumber: "30", threshold: "1100000000000000000", positionUrl: `https://app.example/position/${account}` });
    expect(body.summary).toBe("Health 0.995 is below your 1.100 alert: position 0x0000…00aa");
  });
});
