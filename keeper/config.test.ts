import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ANVIL_ACCOUNTS } from "../lib/chain/devnet";
import { ConfigError, loadKeeperConfig } from "./config";

const deployment = {
  chainId: 11155111,
  mode: "soft",
  startBlock: 123,
  market: "0xdc64a140aa3e981100a9beca4e685f962f0cf6c9",
  oracle: "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0",
  lens: "0x5FC8d32690cc91D4c39d9d3abcBD16989F875707",
  tokens: { USDC: "0x5FbDB2315678afecb367f032d93F642f64180aa3" },
  feeds: { USDC: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512" },
};

function root(files: Record<string, unknown>) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "keeper-config-"));
  for (const [name, json] of Object.entries(files)) writeFileSync(path.join(dir, name), typeof json === "string" ? json : JSON.stringify(json));
  return dir;
}

const key = "0x" + "11".repeat(32);

describe("keeper configuration", () => {
  it("reads a complete environment for another chain", () => {
    const dir = root({ "sepolia.json": deployment });
    const config = loadKeeperConfig(
      { RPC_URL: "https://rpc.example/v1", CHAIN_ID: "11155111", KEEPER_PRIVATE_KEY: key, DEPLOYMENT_FILE: "sepolia.json", KEEPER_BATCH_SIZE: "200", KEEPER_DRY_RUN: "false" },
      dir,
    );
    expect(config).toMatchObject({ rpcUrl: "https://rpc.example/v1", chainId: 11155111, privateKey: key, batchSize: 200, dryRun: false, statusPort: 8550 });
    expect(config.deployment.market).toBe("0xDc64a140Aa3E981100a9becA4E685f962f0cF6C9");
    expect(config.checkpointFile).toBe(path.join(dir, "deployments/.local/keeper-checkpoint-11155111.json"));
  });

  it("uses anvil's keeper account only on the devnet chain", () => {
    const dir = root({ "d.json": { ...deployment, chainId: 31337 } });
    expect(loadKeeperConfig({ DEPLOYMENT_FILE: "d.json" }, dir).privateKey).toBe(ANVIL_ACCOUNTS[2]!.privateKey);
    const other = root({ "d.json": deployment });
    expect(() => loadKeeperConfig({ CHAIN_ID: "11155111", DEPLOYMENT_FILE: "d.json" }, other)).toThrow(/KEEPER_PRIVATE_KEY: required on chain 11155111/);
    expect(loadKeeperConfig({ CHAIN_ID: "11155111", DEPLOYMENT_FILE: "d.json", KEEPER_DRY_RUN: "true" }, other).privateKey).toBeUndefined();
  });

  it("lists every bad variable by name", () => {
    const dir = root({ "d.json": deployment });
    let error: unknown;
    try {
      loadKeeperConfig({ RPC_URL: "ws://x", CHAIN_ID: "-1", KEEPER_PRIVATE_KEY: "0x12", KEEPER_BATCH_SIZE: "0", KEEPER_DRY_RUN: "maybe", KEEPER_STATUS_PORT: "70000" }, dir);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    for (const name of ["RPC_URL", "CHAIN_ID", "KEEPER_PRIVATE_KEY", "KEEPER_BATCH_SIZE", "KEEPER_DRY_RUN", "KEEPER_STATUS_PORT"]) {
      expect(message).toContain(`${name}:`);
    }
  });

  it("explains a missing, broken or mismatched deployment file", () => {
    const dir = root({ "broken.json": "{", "bad.json": { ...deployment, market: "nope" }, "d.json": deployment });
    const env = { CHAIN_ID: "11155111", KEEPER_PRIVATE_KEY: key };
    expect(() => loadKeeperConfig(env, dir)).toThrow(/deployments\/11155111.json does not exist/);
    expect(() => loadKeeperConfig({ ...env, DEPLOYMENT_FILE: "broken.json" }, dir)).toThrow(/is not valid JSON/);
    expect(() => loadKeeperConfig({ ...env, DEPLOYMENT_FILE: "bad.json" }, dir)).toThrow(/market: must be a 0x-prefixed 20-byte hex address/);
    expect(() => loadKeeperConfig({ ...env, CHAIN_ID: "1", DEPLOYMENT_FILE: "d.json" }, dir)).toThrow(/is for chain 11155111, but CHAIN_ID is 1/);
  });
});
