/**
 * Watcher CLI: `npm run watcher`. Configuration from the environment (README "Watcher"): RPC_URL, CHAIN_ID,
 * DEPLOYMENT_FILE, DATABASE_URL or WATCHER_DATA_DIR, WATCHER_HOST, WATCHER_PORT, WATCHER_PUBLIC_URL, APP_URL,
 * WATCHER_PAGE_SIZE, WATCHER_CONFIRMATIONS, WATCHER_POLL_INTERVAL_MS, SMTP_URL, MAIL_FROM,
 * WATCHER_WEBHOOK_MAX_ATTEMPTS, WATCHER_ALLOW_LOOPBACK_WEBHOOKS, LOG_LEVEL.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import pino from "pino";
import { ConfigError, loadWatcherConfig } from "./config";
import { createWatcher } from "./service";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

async function main() {
  let config;
  try {
    config = loadWatcherConfig(process.env, ROOT);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  const logger = pino({ name: "watcher", level: config.logLevel });
  const watcher = createWatcher(config, logger);
  try {
    const { url } = await watcher.start();
    logger.info({ url, database: config.database.kind, chainId: config.chainId, market: config.deployment.market }, "watcher API listening");
  } catch (error) {
    console.error(`watcher: cannot listen on ${config.host}:${config.port}: ${(error as Error).message}`);
    process.exit(1);
  }
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "stopping");
    await watcher.stop();
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
}

void main();
