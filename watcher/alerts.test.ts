/**
 * Subscriptions and alerts end to end, on each test database: the watcher service against real contracts on anvil,
 * a real SMTP server and a real loopback webhook. Double opt-in, bad input refused with nothing stored, a health alert
 * once per crossing (hysteresis), a flag alert whose remedy, once done, clears the flag, recovery, and one-click
 * unsubscribe.
 */
import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseUnits, type Address } from "viem";
import { mockErc20Abi, softLandingMarketAbi } from "../lib/chain/abis";
import { ANVIL_ACCOUNTS } from "../lib/chain/devnet";
import { freePort } from "../lib/devnet/anvil";
import { liquidationState, sendAndWait, tokenAddress, waitFor } from "../lib/devnet/chain-ops";
import { createWatcher, type Watcher } from "./service";
import { TEST_DATABASES } from "./testing/databases";
import { silentLog, startTestMarket, type TestMarket } from "./testing/market";
import { startMailSink, startWebhookSink, type MailSink, type WebhookSink } from "./testing/peers";

let market: TestMarket;
beforeAll(async () => {
  market = await startTestMarket("watcher-alerts");
});
afterAll(async () => {
  await market?.stop();
});

describe.each(TEST_DATABASES)("alerts on $name", (testDb) => {
  let mail: MailSink;
  let hook: WebhookSink;
  let watcher: Watcher;
  let api: string;
  let drop: () => Promise<void>;
  let borrower: Address;
  let snapshot: unknown;

  beforeAll(async () => {
    // Each database gets the same story from the same chain state.
    snapshot = await market.clients.publicClient.request({ method: "evm_snapshot" as never } as never);
    await market.setPrice("WETH", "3000");
    // 10 WETH at $3,000 (LT 0.85) backing 22,200 USDC: health 1.149.
    borrower = await market.openPosition(4, { WETH: parseUnits("10", 18) }, "22200");
    mail = await startMailSink();
    hook = await startWebhookSink();
    const created = await testDb.create();
    drop = created.drop;
    const port = await freePort();
    watcher = createWatcher(
      market.config(created.target, { port, publicUrl: `http://127.0.0.1:${port}`, smtpUrl: mail.url }),
      silentLog,
    );
    api = (await watcher.start()).url;
    await watcher.ready();
  });

  afterAll(async () => {
    await watcher?.stop();
    await mail?.close();
    await hook?.close();
    await drop?.();
    await market.clients.publicClient.request({ method: "evm_revert" as never, params: [snapshot] } as never);
  });

  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${api}${path}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: typeof body === "string" ? body : JSON.stringify(body) });
  const status = async () => (await (await fetch(`${api}/status`)).json()) as { subscriptions: Record<string, number>; alertedBlock: string };
  const caughtUp = async () => {
    const head = await market.clients.publicClient.getBlockNumber();
    await waitFor("the watcher to alert on the head", async () => (BigInt((await status()).alertedBlock ?? -1) >= head ? true : undefined), 20_000);
    await watcher.tick(); // and deliver
  };
  const mailsTo = (to: string, kind?: RegExp) => mail.mails.filter((m) => m.to === to && (!kind || kind.test(m.subject)));
  const linkIn = (text: string, path: string) => new RegExp(`(http://[^\\s]+${path.replace("?", "\\?")}[^\\s]*)`).exec(text)?.[1];

  it("refuses bad subscriptions with a 4xx that says why, storing nothing", async () => {
    const cases: [unknown, number, RegExp][] = [
      [{ account: "0x1234", email: "a@example.com" }, 400, /account: must be a 0x-prefixed 20-byte hex address/],
      [{ account: borrower, email: "not-an-email" }, 400, /email: must be an email address/],
      [{ account: borrower, email: "a@example.com", threshold: "0.95" }, 400, /threshold: must be above 1/],
      [{ account: borrower, email: "a@example.com", threshold: "lots" }, 400, /threshold: must be a number/],
      [{ account: borrower, email: "a@example.com", webhook: hook.url }, 400, /exactly one of email or webhook/],
      [{ account: borrower }, 400, /exactly one of email or webhook/],
      [{ account: ANVIL_ACCOUNTS[9]!.address, email: "a@example.com" }, 404, /has seen no position/],
      [{ account: borrower, webhook: "ftp://example.com/x" }, 400, /must be an https URL/],
      [{ account: borrower, webhook: "http://10.1.2.3/hook" }, 400, /private or reserved address/],
      [{ account: borrower, webhook: "http://169.254.169.254/latest" }, 400, /private or reserved address/],
      [{ account: borrower, webhook: "http://user:pw@127.0.0.1/x" }, 400, /user name or password/],
      [{ account: borrower, webhook: `http://127.0.0.1:${await freePort()}/nothing-listens` }, 422, /unreachable.*nothing was stored/],
      ["{not json", 400, /the body must be JSON/],
      [{ account: borrower, email: "a@example.com", extra: 1 }, 400, /Unrecognized key/i],
    ];
    for (const [body, code, message] of cases) {
      const res = await post("/subscriptions", body);
      const text = await res.text();
      expect([JSON.stringify(body), res.status]).toEqual([JSON.stringify(body), code]);
      expect(text).toMatch(message);
    }
    const huge = await post("/subscriptions", { account: borrower, email: `${"a".repeat(5000)}@example.com` });
    expect(huge.status).toBe(413);
    const badHistory = await fetch(`${api}/positions/0xnope/history`);
    expect([badHistory.status, (await badHistory.json()).error]).toEqual([400, expect.stringMatching(/not an address/)]);
    expect((await fetch(`${api}/positions/${borrower}/history?limit=0`)).status).toBe(400);
    expect((await fetch(`${api}/subscriptions/confirm?token=${"x".repeat(43)}`)).status).toBe(404);
    expect((await fetch(`${api}/subscriptions/confirm?token=short`)).status).toBe(400);
    expect((await status()).subscriptions).toEqual({});
    expect(mail.mails).toEqual([]);
    expect(hook.calls).toEqual([]);
  });

  it("email: nothing but the confirmation until confirmed; then health, flag and recovery alerts, each once", async () => {
    const me = "borrower@example.com";
    const res = await post("/subscriptions", { account: borrower, email: me });
    expect(res.status).toBe(202);
    expect((await post("/subscriptions", { account: borrower, email: me })).status).toBe(409);
    await waitFor("the confirmation mail", async () => (mailsTo(me).length > 0 ? true : undefined), 10_000);
    const [confirmMail] = mailsTo(me);
    expect(confirmMail!.subject).toMatch(/^Confirm alerts for position/);

    // Below the threshold before confirming: still nothing but the confirmation.
    await market.setPrice("WETH", "2850"); // health 1.091
    await caughtUp();
    expect(mailsTo(me)).toHaveLength(1);

    const confirm = linkIn(confirmMail!.text, "/subscriptions/confirm?token=")!;
    const confirmed = await fetch(confirm);
    expect([confirmed.status, await confirmed.text()]).toEqual([200, expect.stringContaining("Alerts confirmed")]);
    expect((await fetch(confirm)).status).toBe(410);

    // Health below 1.10: one alert, with the top-up that restores 1.10, linked prefilled.
    await market.setPrice("WETH", "2849");
    await caughtUp();
    const health = mailsTo(me, /below your 1.1/);
    expect(health).toHaveLength(1);
    expect(health[0]!.text).toMatch(/fell to 1\.09/);
    expect(health[0]!.text).toMatch(/#act=topUp&asset=WETH&amount=\d/);
    expect(health[0]!.headers.get("list-unsubscribe-post")).toBe("List-Unsubscribe=One-Click");

    // Wobbling around the threshold (never back to 1.13): no second alert. Back above 1.13 and down again: a second.
    for (const price of ["2880", "2860", "2885", "2850"]) await market.setPrice("WETH", price);
    await caughtUp();
    expect(mailsTo(me, /below your 1.1/)).toHaveLength(1);
    await market.setPrice("WETH", "3000");
    await caughtUp();
    await market.setPrice("WETH", "2850");
    await caughtUp();
    expect(mailsTo(me, /below your 1.1/)).toHaveLength(2);

    // Below 1 and flagged: the grace deadline and the exact top-up that clears it.
    await market.setPrice("WETH", "2600"); // health 0.9955: SOFT, above the grace floor
    await market.call(0, "flag", [borrower]);
    await caughtUp();
    const flagged = mailsTo(me, /^Flagged/);
    expect(flagged).toHaveLength(1);
    expect(flagged[0]!.subject).toMatch(/act before \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    expect(flagged[0]!.text).toMatch(/The grace period ends \d{4}-\d\d-\d\d \d\d:\d\d UTC \((10 min 00|9 min \d\d) s left\)/);
    const topUp = /#act=topUp&asset=WETH&amount=([\d.]+)/.exec(flagged[0]!.text)!;
    const repay = /#act=repay&amount=([\d.]+)/.exec(flagged[0]!.text)!;
    expect(topUp).not.toBeNull();
    expect(repay).not.toBeNull();

    // Doing exactly what the mail says clears the flag (the market emits Unflagged) and brings a "recovered" alert.
    const wallet = market.clients.wallet(ANVIL_ACCOUNTS[4]!.privateKey);
    const amount = parseUnits(topUp[1]!, 18);
    const weth = tokenAddress(market.deployment, "WETH");
    await sendAndWait(market.clients, wallet, { address: weth, abi: mockErc20Abi, functionName: "mint", args: [borrower, amount] });
    await sendAndWait(market.clients, wallet, { address: weth, abi: mockErc20Abi, functionName: "approve", args: [market.deployment.market, amount] });
    await sendAndWait(market.clients, wallet, { address: market.deployment.market, abi: softLandingMarketAbi, functionName: "depositCollateral", args: [weth, amount, borrower] });
    expect((await liquidationState(market.clients, market.deployment, borrower)).flaggedAt).toBe(0n);
    await caughtUp();
    expect(mailsTo(me, /^Recovered/)).toHaveLength(1);

    // Every alert went out once (distinct Message-IDs), and the one-click unsubscribe stops the rest.
    const ids = mailsTo(me).map((m) => m.messageId);
    expect(new Set(ids).size).toBe(ids.length);
    const unsubscribeUrl = /<([^>]+)>/.exec(health[0]!.headers.get("list-unsubscribe") ?? "")![1]!;
    expect((await fetch(unsubscribeUrl)).status).toBe(200); // a GET only asks
    const oneClick = await fetch(unsubscribeUrl, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "List-Unsubscribe=One-Click" });
    expect(oneClick.status).toBe(200);
    expect((await fetch(unsubscribeUrl, { method: "POST" })).status).toBe(410);
    const before = mailsTo(me).length;
    await market.setPrice("WETH", "2500");
    await market.call(0, "flag", [borrower]).catch(() => {});
    await caughtUp();
    expect(mailsTo(me)).toHaveLength(before);
  });

  it("webhook: checked when subscribing, signed, the secret shown once", async () => {
    await market.setPrice("WETH", "3000");
    await caughtUp();
    const res = await post("/subscriptions", { account: borrower, webhook: hook.url, threshold: "1.12" });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { secret: string; status: string };
    expect(body.status).toBe("active");
    expect(body.secret).toMatch(/^[0-9a-f]{64}$/);
    expect(hook.calls.map((c) => c.json.kind)).toEqual(["ping"]);

    await market.setPrice("WETH", "2900"); // health 1.111 < 1.12
    await caughtUp();
    const alerts = hook.calls.filter((c) => c.json.kind === "health");
    expect(alerts).toHaveLength(1);
    const call = alerts[0]!;
    const [t, v1] = String(call.headers["x-soft-landing-signature"]).split(",").map((p) => p.split("=")[1]);
    expect(v1).toBe(createHmac("sha256", body.secret).update(`${t}.${call.body}`).digest("hex"));
    expect(call.json).toMatchObject({ kind: "health", account: borrower.toLowerCase(), threshold: "1120000000000000000" });
    expect(call.headers["x-soft-landing-delivery"]).toMatch(/^\d+$/);
  });

  it("webhook: a target that keeps failing is retried with backoff, then marked failing", async () => {
    const bad = await startWebhookSink();
    try {
      expect((await post("/subscriptions", { account: borrower, webhook: bad.url, threshold: "1.5" })).status).toBe(201);
      bad.status = 500;
      // Health is judged block by block: the next block brings the alert.
      await market.clients.publicClient.request({ method: "anvil_mine" as never, params: ["0x1"] } as never);
      await caughtUp();
      // Three attempts (the test watcher's WATCHER_WEBHOOK_MAX_ATTEMPTS), 1 s then 2 s apart.
      await waitFor("the subscription marked failing", async () => ((await status()).subscriptions.failing === 1 ? true : undefined), 20_000);
      const attempts = bad.calls.filter((c) => c.json.kind === "health");
      expect(attempts).toHaveLength(3);
      expect(attempts[1]!.receivedAt - attempts[0]!.receivedAt).toBeGreaterThanOrEqual(900);
      expect(attempts[2]!.receivedAt - attempts[1]!.receivedAt).toBeGreaterThanOrEqual(1_900);
      expect(new Set(attempts.map((c) => c.headers["x-soft-landing-delivery"])).size).toBe(1);
    } finally {
      await bad.close();
    }
  });
});
