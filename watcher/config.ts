/**
 * Watcher configuration from the environment (README "Watcher"), validated with zod: a bad value stops the watcher
 * with a message naming the variable. Devnet defaults (chain 31337) need nothing set.
 */
import path from "node:path";
import { z } from "zod";
import type { Deployment } from "../lib/chain/deployment";
import { DEVNET_CHAIN_ID } from "../lib/chain/devnet";
import { ConfigError, booleanFlag, integer, loadDeploymentFile, logLevel, parseEnv } from "../lib/service/env";
import type { DatabaseTarget } from "./db";

export { ConfigError };

const httpUrl = z.url({ protocol: /^https?$/, message: "must be an http(s) URL" });

export const watcherEnvSchema = z.object({
  RPC_URL: httpUrl.default("http://127.0.0.1:8545"),
  CHAIN_ID: integer(1, 2 ** 53 - 1).default(DEVNET_CHAIN_ID),
  DEPLOYMENT_FILE: z.string().min(1).optional(),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, message: "must be a postgres:// or postgresql:// URL" }).optional(),
  WATCHER_DATA_DIR: z.string().min(1).optional(),
  WATCHER_HOST: z.string().min(1).default("127.0.0.1"),
  WATCHER_PORT: integer(0, 65535).default(8560),
  /** Where the watcher's own pages (confirm, unsubscribe) are reached from a mail: its public base URL. */
  WATCHER_PUBLIC_URL: httpUrl.optional(),
  /** The web app, for links to a position page in alerts (and the only origin the API answers CORS for). */
  APP_URL: httpUrl.default("http://localhost:3000"),
  WATCHER_PAGE_SIZE: integer(1, 1_000_000).default(5_000),
  WATCHER_CONFIRMATIONS: integer(0, 1_000).optional(),
  WATCHER_POLL_INTERVAL_MS: integer(20, 600_000).default(1_000),
  SMTP_URL: z.url({ protocol: /^smtps?$/, message: "must be an smtp:// or smtps:// URL" }).optional(),
  MAIL_FROM: z.email({ message: "must be an email address" }).default("alerts@soft-landing.invalid"),
  WATCHER_WEBHOOK_MAX_ATTEMPTS: integer(1, 20).default(6),
  WATCHER_ALLOW_LOOPBACK_WEBHOOKS: booleanFlag.optional(),
  LOG_LEVEL: logLevel,
});

export interface WatcherConfig {
  rpcUrl: string;
  chainId: number;
  deployment: Deployment;
  database: DatabaseTarget;
  host: string;
  port: number;
  publicUrl: string;
  appUrl: string;
  pageSize: number;
  confirmations: number;
  pollIntervalMs: number;
  /** null: no SMTP server configured, email subscriptions are refused with a 503. */
  smtpUrl: string | null;
  mailFrom: string;
  webhookMaxAttempts: number;
  /** Webhooks to 127.0.0.0/8 and ::1 over plain http (the devnet's); every other private range is always refused. */
  allowLoopbackWebhooks: boolean;
  logLevel: string;
}

export function loadWatcherConfig(env: Record<string, string | undefined>, root: string): WatcherConfig {
  const e = parseEnv(watcherEnvSchema, env, "watcher");
  const { deployment } = loadDeploymentFile(root, e.DEPLOYMENT_FILE, e.CHAIN_ID, "watcher");
  const devnet = e.CHAIN_ID === DEVNET_CHAIN_ID;
  return {
    rpcUrl: e.RPC_URL,
    chainId: e.CHAIN_ID,
    deployment,
    database: e.DATABASE_URL
      ? { kind: "postgres", url: e.DATABASE_URL }
      : { kind: "pglite", dataDir: path.resolve(root, e.WATCHER_DATA_DIR ?? `deployments/.local/watcher-db-${e.CHAIN_ID}`) },
    host: e.WATCHER_HOST,
    port: e.WATCHER_PORT,
    publicUrl: (e.WATCHER_PUBLIC_URL ?? `http://${e.WATCHER_HOST === "0.0.0.0" ? "127.0.0.1" : e.WATCHER_HOST}:${e.WATCHER_PORT}`).replace(/\/$/, ""),
    appUrl: e.APP_URL.replace(/\/$/, ""),
    pageSize: e.WATCHER_PAGE_SIZE,
    // anvil mines on demand and never reorganises by itself: alerts go out at once. Elsewhere wait a few blocks.
    confirmations: e.WATCHER_CONFIRMATIONS ?? (devnet ? 0 : 3),
    pollIntervalMs: e.WATCHER_POLL_INTERVAL_MS,
    smtpUrl: e.SMTP_URL ?? (devnet ? "smtp://127.0.0.1:1025" : null),
    mailFrom: e.MAIL_FROM,
    webhookMaxAttempts: e.WATCHER_WEBHOOK_MAX_ATTEMPTS,
    allowLoopbackWebhooks: e.WATCHER_ALLOW_LOOPBACK_WEBHOOKS ?? devnet,
    logLevel: e.LOG_LEVEL,
  };
}
