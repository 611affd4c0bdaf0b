/**
 * Keeper CLI: `npm run keeper`. Configuration comes from the environment (see README "Keeper"):
 * RPC_URL, CHAIN_ID, KEEPER_PRIVATE_KEY, DEPLOYMENT_FILE, KEEPER_DRY_RUN, KEEPER_STATUS_PORT, KEEPER_BATCH_SIZE,
 * KEEPER_CHECKPOINT_FILE (and KEEPER_POLL_INTERVAL_MS, LOG_LEVEL).
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import pino from "pino";
import { ConfigError, loadKeeperConfig } from "./config";
import { createKeeper } from "./keeper";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

async function main() {
  let config;
  try {
    config = loadKeeperConfig(process.env, ROOT);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  const logger = pino({ name: "keeper", level: config.logLevel });
  const keeper = createKeeper({
    rpcUrl: config.rpcUrl,
    chainId: config.chainId,
    deployment: config.deployment,
    privateKey: config.privateKey,
    dryRun: config.dryRun,
    batchSize: config.batchSize,
    checkpointFile: config.checkpointFile,
    statusPort: config.statusPort,
    pollIntervalMs: config.pollIntervalMs,
    logger,
  });
  try {
    await keeper.start();
  } catch (error) {
    console.error(`keeper: ${(error as Error).message}`);
    process.exit(1);
  }
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "stopping");
    await keeper.stop();
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
}

void main();
