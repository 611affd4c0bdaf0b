/**
 * The watcher service: a thin loop around the parts. Each tick: index to the head (indexer.ts), decide alerts for the
 * new final blocks (alerts/pass.ts), deliver what is due (alerts/outbox.ts). The HTTP API answers throughout; until
 * the database is reachable it says so (/health 503) and the loop keeps retrying. A failure in one tick (node or
 * database away) is logged and retried on the next: every write is transactional, so nothing is half done.
 */
import { serve, type ServerType } from "@hono/node-server";
import { count } from "drizzle-orm";
import type { Logger } from "pino";
import { liquidationMap, type MapScenario } from "../lib/risk";
import { createApi } from "./api";
import { alertPass } from "./alerts/pass";
import { createOutbox, type Outbox } from "./alerts/outbox";
import { createChainSource, type ChainSource } from "./chain";
import type { WatcherConfig } from "./config";
import { openDatabase, schema, type Database } from "./db";
import { createIndexer, type Indexer, type PollReport } from "./indexer";
import { claimDatabase, knownAccounts, loadCursor } from "./store";

export interface Watcher {
  /** Resolves once the API listens (the database may still be coming up). */
  start(): Promise<{ url: string }>;
  /** Resolves once the database is open and the first poll finished. */
  ready(): Promise<void>;
  stop(): Promise<void>;
  /** Runs one tick now (tests and benchmarks drive the loop with it). */
  tick(): Promise<void>;
}

export function createWatcher(config: WatcherConfig, log: Logger, overrides: { source?: ChainSource; loop?: boolean } = {}): Watcher {
  const source = overrides.source ?? createChainSource(config.rpcUrl, config.chainId, config.deployment);
  let database: Database | null = null;
  let indexer: Indexer | null = null;
  let outbox: Outbox | null = null;
  let server: ServerType | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let stopped = false;
  let lastPoll: PollReport | null = null;
  let lastError: { at: string; message: string } | null = null;
  let ticking: Promise<void> | null = null;
  const startedAt = new Date().toISOString();
  let resolveReady!: () => void;
  const readyPromise = new Promise<void>((r) => (resolveReady = r));
  let mapCache: { key: string; value: { block: bigint; positions: number; scenarios: MapScenario[] } } | null = null;

  const fail = (where: string, error: unknown) => {
    const message = error instanceof Error ? error.message.split("\n")[0]! : String(error);
    lastError = { at: new Date().toISOString(), message: `${where}: ${message}` };
    log.warn({ where, error: message }, "tick step failed; retrying next tick");
  };

  async function connect(): Promise<void> {
    let delay = 1_000;
    while (!stopped && !database) {
      try {
        const db = await openDatabase(config.database);
        await claimDatabase(db.db, config.chainId, config.deployment.market);
        database = db;
        log.info({ database: db.describe }, "database ready");
      } catch (error) {
        fail("database", error);
        log.error({ retryInMs: delay }, `database unavailable: ${(error as Error).message}`);
        await new Promise((r) => setTimeout(r, delay));
        delay = Math.min(delay * 2, 30_000);
      }
    }
    if (!database) return;
    indexer = createIndexer({
      db: database.db,
      source,
      startBlock: BigInt(config.deployment.startBlock),
      pageSize: config.pageSize,
      confirmations: config.confirmations,
      log,
    });
    outbox = createOutbox({
      db: database.db,
      smtpUrl: config.smtpUrl,
      mailFrom: config.mailFrom,
      appUrl: config.appUrl,
      publicUrl: config.publicUrl,
      webhookMaxAttempts: config.webhookMaxAttempts,
      allowLoopbackWebhooks: config.allowLoopbackWebhooks,
      log,
    });
  }

  async function runTick(): Promise<void> {
    if (!database || !indexer || !outbox) return;
    const db = database.db;
    try {
      lastPoll = await indexer.poll();
      if (lastPoll.pages > 0 || lastPoll.reorg) {
        log.debug({ indexedBlock: String(lastPoll.indexedBlock), events: lastPoll.events }, "indexed");
      }
    } catch (error) {
      fail("indexer", error);
    }
    if (lastPoll) {
      try {
        for (;;) {
          const pass = await alertPass({ db, readPositions: source.positions, finalBlock: lastPoll.finalBlock, head: lastPoll.head });
          if (!pass) break;
          if (pass.alerts > 0) log.info({ toBlock: String(pass.toBlock), alerts: pass.alerts }, "alerts decided");
          if (pass.toBlock >= lastPoll.finalBlock) break;
        }
      } catch (error) {
        fail("alerts", error);
      }
    }
    try {
      await outbox.deliverDue();
    } catch (error) {
      fail("outbox", error);
    }
  }

  function tick(): Promise<void> {
    // One tick at a time: the loop and a caller's tick() share it.
    ticking ??= runTick().finally(() => (ticking = null));
    return ticking;
  }

  function schedule() {
    if (stopped || overrides.loop === false) return;
    timer = setTimeout(() => void tick().then(schedule), config.pollIntervalMs);
  }

  async function status() {
    const db = database?.db;
    const cursor = db ? await loadCursor(db) : null;
    const countBy = async <T extends typeof schema.subscriptions | typeof schema.alerts>(table: T) =>
      db ? Object.fromEntries((await db.select({ status: table.status, n: count() }).from(table as typeof schema.alerts).groupBy(table.status)).map((r) => [r.status, r.n])) : {};
    return {
      chainId: config.chainId,
      market: config.deployment.market,
      database: database?.describe ?? "not connected",
      head: lastPoll?.head ?? null,
      indexedBlock: cursor?.block ?? null,
      finalBlock: lastPoll?.finalBlock ?? null,
      confirmations: config.confirmations,
      lagBlocks: lastPoll && cursor ? lastPoll.head - cursor.block : null,
      alertedBlock: cursor?.alertedBlock ?? null,
      pageSize: lastPoll?.pageSize ?? config.pageSize,
      subscriptions: await countBy(schema.subscriptions),
      alerts: await countBy(schema.alerts),
      mail: config.smtpUrl ? "configured" : "off",
      lastError,
      startedAt,
    };
  }

  const api = createApi({
    get db() {
      if (!database) throw new Error("the database is not connected yet");
      return database.db;
    },
    appUrl: config.appUrl,
    mailEnabled: config.smtpUrl !== null,
    allowLoopbackWebhooks: config.allowLoopbackWebhooks,
    async ping() {
      if (!database) throw new Error(lastError?.message ?? "not connected yet");
      await database.ping();
    },
    status,
    progress: () => ({ indexedBlock: lastPoll?.indexedBlock ?? null, finalBlock: lastPoll?.finalBlock ?? null }),
    async liquidationMap(stepPct, toPct) {
      if (!database) throw new Error("the database is not connected yet");
      const block = lastPoll?.head ?? (await source.head());
      const key = `${block}:${stepPct}:${toPct}`;
      if (mapCache?.key === key) return mapCache.value;
      const accounts = await knownAccounts(database.db);
      const positions = [...(await source.positions(accounts, "latest")).values()];
      const value = { block, positions: positions.filter((p) => p.debt > 0n).length, scenarios: liquidationMap(positions, { stepPct, toPct }) };
      mapCache = { key, value };
      return value;
    },
  });

  return {
    async start() {
      server = await new Promise<ServerType>((resolve, reject) => {
        const s = serve({ fetch: api.fetch, port: config.port, hostname: config.host }, () => resolve(s));
        s.once("error", reject);
      });
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : config.port;
      void connect().then(async () => {
        if (stopped) return;
        await tick();
        resolveReady();
        schedule();
      });
      return { url: `http://${config.host}:${port}` };
    },
    ready: () => readyPromise,
    tick,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await ticking?.catch(() => {});
      outbox?.close();
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
      await database?.close().catch(() => {});
    },
  };
}

