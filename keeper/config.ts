/**
 * Keeper configuration from the environment, validated with zod so a bad value stops the keeper with a message
 * that names the variable, never a stack trace.
 */
import path from "node:path";
import { z } from "zod";
import type { Hex } from "viem";
import type { Deployment } from "../lib/chain/deployment";
import { ANVIL_ACCOUNTS, DEVNET_CHAIN_ID } from "../lib/chain/devnet";
import { ConfigError, booleanFlag, integer, loadDeploymentFile, logLevel, parseEnv } from "../lib/service/env";

export { ConfigError };

export const keeperEnvSchema = z.object({
  RPC_URL: z.url({ protocol: /^https?$/, message: "must be an http(s) URL" }).default("http://127.0.0.1:8545"),
  CHAIN_ID: integer(1, 2 ** 53 - 1).default(DEVNET_CHAIN_ID),
  KEEPER_PRIVATE_KEY: z
    .string()
    .regex(/^0x[0-9a-fA-F]{64}$/, "must be a 0x-prefixed 32-byte hex private key")
    .optional(),
  DEPLOYMENT_FILE: z.string().min(1).optional(),
  KEEPER_DRY_RUN: booleanFlag.default(false),
  KEEPER_STATUS_PORT: integer(0, 65535).default(8550),
  KEEPER_BATCH_SIZE: integer(1, 5000).default(500),
  KEEPER_CHECKPOINT_FILE: z.string().min(1).optional(),
  KEEPER_POLL_INTERVAL_MS: integer(50, 600_000).default(1000),
  LOG_LEVEL: logLevel,
});

export interface KeeperConfig {
  rpcUrl: string;
  chainId: number;
  privateKey?: Hex;
  deployment: Deployment;
  deploymentFile: string;
  dryRun: boolean;
  statusPort: number;
  batchSize: number;
  checkpointFile: string;
  pollIntervalMs: number;
  logLevel: string;
}

/** Reads and validates the keeper's environment; throws `ConfigError` listing every problem at once. */
export function loadKeeperConfig(env: Record<string, string | undefined>, root: string): KeeperConfig {
  const e = parseEnv(keeperEnvSchema, env, "keeper");

  let privateKey = e.KEEPER_PRIVATE_KEY as Hex | undefined;
  if (!privateKey && e.CHAIN_ID === DEVNET_CHAIN_ID) {
    // anvil account 2 is the devnet keeper; its key is public, so it is never used on another chain.
    privateKey = ANVIL_ACCOUNTS[2]!.privateKey;
  }
  if (!privateKey && !e.KEEPER_DRY_RUN) {
    throw new ConfigError(
      `Invalid keeper configuration:\n  KEEPER_PRIVATE_KEY: required on chain ${e.CHAIN_ID} (or set KEEPER_DRY_RUN=true to only watch)`,
    );
  }

  const { deployment, deploymentFile } = loadDeploymentFile(root, e.DEPLOYMENT_FILE, e.CHAIN_ID, "keeper");

  return {
    rpcUrl: e.RPC_URL,
    chainId: e.CHAIN_ID,
    privateKey,
    deployment,
    deploymentFile,
    dryRun: e.KEEPER_DRY_RUN,
    statusPort: e.KEEPER_STATUS_PORT,
    batchSize: e.KEEPER_BATCH_SIZE,
    checkpointFile: path.resolve(root, e.KEEPER_CHECKPOINT_FILE ?? `deployments/.local/keeper-checkpoint-${e.CHAIN_ID}.json`),
    pollIntervalMs: e.KEEPER_POLL_INTERVAL_MS,
    logLevel: e.LOG_LEVEL,
  };
}
