import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadWatcherConfig } from "./config";

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

function root() {
  const dir = mkdtempSync(path.join(os.tmpdir(), "watcher-config-"));
  writeFileSync(path.join(dir, "sepolia.json"), JSON.stringify(deployment));
  writeFileSync(path.join(dir, "devnet.json"), JSON.stringify({ ...deployment, chainId: 31337 }));
  return dir;
}

describe("watcher configuration", () => {
  it("reads another chain's settings: PostgreSQL, confirmations, no mail unless configured", () => {
    const config = loadWatcherConfig(
      { CHAIN_ID: "11155111", RPC_URL: "https://rpc.example", DEPLOYMENT_FILE: "sepolia.json", DATABASE_URL: "postgres://u:p@db:5432/w", WATCHER_PAGE_SIZE: "2000" },
      root(),
    );
    expect(config).toMatchObject({
      chainId: 11155111,
      database: { kind: "postgres", url: "postgres://u:p@db:5432/w" },
      confirmations: 3,
      smtpUrl: null,
      allowLoopbackWebhooks: false,
      pageSize: 2000,
      publicUrl: "http://127.0.0.1:8560",
    });
  });

  it("on the devnet: embedded PGlite, no confirmations, the local mail catcher, loopback webhooks", () => {
    const dir = root();
    const config = loadWatcherConfig({ DEPLOYMENT_FILE: "devnet.json" }, dir);
    expect(config).toMatchObject({
      chainId: 31337,
      database: { kind: "pglite", dataDir: path.join(dir, "deployments/.local/watcher-db-31337") },
      confirmations: 0,
      smtpUrl: "smtp://127.0.0.1:1025",
      allowLoopbackWebhooks: true,
    });
  });

  it("refuses bad values, naming every variable at once", () => {
    const attempt = () =>
      loadWatcherConfig(
        { DEPLOYMENT_FILE: "devnet.json", DATABASE_URL: "mysql://x", WATCHER_PORT: "99999", SMTP_URL: "http://mail", WATCHER_CONFIRMATIONS: "-1", MAIL_FROM: "nobody" },
        root(),
      );
    expect(attempt).toThrow(ConfigError);
    const message = (() => {
      try {
        attempt();
      } catch (e) {
        return (e as Error).message;
      }
    })();
    expect(message).toMatch(/DATABASE_URL: must be a postgres:\/\//);
    expect(message).toMatch(/WATCHER_PORT: must be between 0 and 65535/);
    expect(message).toMatch(/SMTP_URL: must be an smtp:\/\//);
    expect(message).toMatch(/WATCHER_CONFIRMATIONS: must be a whole number/);
    expect(message).toMatch(/MAIL_FROM: must be an email address/);
  });

  it("refuses a deployment for another chain", () => {
    expect(() => loadWatcherConfig({ CHAIN_ID: "1", DEPLOYMENT_FILE: "sepolia.json" }, root())).toThrow(/is for chain 11155111, but CHAIN_ID is 1/);
  });
});
