/**
 * A PostgreSQL database that is away when the watcher starts, and one that goes away mid-run: the watcher says so
 * (/health 503, /status's last error), keeps retrying, and once the database is back delivers every alert about what
 * happened meanwhile exactly once. The server refuses connections to the test database (`ALLOW_CONNECTIONS false`)
 * and drops the open ones, as a restarting or failed-over server does. (PGlite runs inside the watcher's process:
 * it cannot go away on its own.)
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseUnits, type Address } from "viem";
import { freePort } from "../lib/devnet/anvil";
import { waitFor } from "../lib/devnet/chain-ops";
import { createWatcher, type Watcher } from "./service";
import { TEST_DATABASES } from "./testing/databases";
import { silentLog, startTestMarket, type TestMarket } from "./testing/market";
import { startWebhookSink, type WebhookSink } from "./testing/peers";

const serverUrl = process.env.WATCHER_TEST_DATABASE_URL;
const postgres = TEST_DATABASES.filter((d) => d.name === "PostgreSQL");

describe.each(postgres)("the database going away ($name)", (testDb) => {
  let market: TestMarket;
  let hook: WebhookSink;
  let watcher: Watcher | undefined;
  let drop: () => Promise<void>;
  let dbName: string;

  const admin = async (sql: string) => {
    const c = new pg.Client({ connectionString: serverUrl });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  const setAvailable = async (available: boolean) => {
    await admin(`alter database ${dbName} with allow_connections ${available}`);
    if (!available) await admin(`select pg_terminate_backend(pid) from pg_stat_activity where datname = '${dbName}' and pid <> pg_backend_pid()`);
  };

  beforeAll(async () => {
    market = await startTestMarket("watcher-outage");
    hook = await startWebhookSink();
    const created = await testDb.create();
    drop = created.drop;
    dbName = new URL((created.target as { url: string }).url).pathname.slice(1);
  });
  afterAll(async () => {
    await watcher?.stop();
    await setAvailable(true).catch(() => {});
    await drop?.();
    await hook?.close();
    await market?.stop();
  });

  it("starts without it, runs through an outage, and loses or repeats no alert", async () => {
    await market.setPrice("WETH", "3000");
    const borrower: Address = await market.openPosition(4, { WETH: parseUnits("10", 18) }, "22200"); // health 1.149
    const url = new URL(serverUrl!);
    url.pathname = `/${dbName}`;

    // Away at start: the API answers and says why; the watcher keeps trying.
    await setAvailable(false);
    const port = await freePort();
    watcher = createWatcher(market.config({ kind: "postgres", url: url.toString() }, { port, publicUrl: `http://127.0.0.1:${port}` }), silentLog);
    const api = (await watcher.start()).url;
    const health = async () => {
      const res = await fetch(`${api}/health`);
      return { status: res.status, body: (await res.json()) as { ok: boolean; error?: string } };
    };
    await waitFor("a 503 naming the database", async () => {
      const h = await health();
      return h.status === 503 && /not currently accepting connections|not reachable/.test(h.body.error ?? "") ? true : undefined;
    }, 20_000);
    const refused = await fetch(`${api}/subscriptions`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ account: borrower, webhook: hook.url }) });
    expect(refused.status).toBe(503);

    await setAvailable(true);
    await watcher.ready();
    expect((await health()).status).toBe(200);
    const sub = await fetch(`${api}/subscriptions`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ account: borrower, webhook: hook.url }) });
    expect(sub.status).toBe(201);

    // Away mid-run, while the position falls below 1.10 and is flagged.
    await setAvailable(false);
    await market.setPrice("WETH", "2600");
    await market.call(0, "flag", [borrower]);
    await waitFor("the outage noticed", async () => ((await health()).status === 503 ? true : undefined), 20_000);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(hook.calls.filter((c) => c.json.kind !== "ping")).toEqual([]);

    // Back: each alert once.
    await setAvailable(true);
    await waitFor("both alerts delivered", async () => (hook.answered.filter((c) => c.json.kind !== "ping").length >= 2 ? true : undefined), 30_000);
    await new Promise((r) => setTimeout(r, 1_500));
    const kinds = hook.answered.filter((c) => c.json.kind !== "ping").map((c) => c.json.kind);
    expect(kinds.sort()).toEqual(["flagged", "health"]);
    expect((await health()).status).toBe(200);
  });
});
