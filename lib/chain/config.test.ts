import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadAppConfig, validatePublicEnv } from "./config";

const deployment = {
  chainId: 31337,
  mode: "soft",
  startBlock: 1,
  market: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
  oracle: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512",
  lens: "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0",
  tokens: { USDC: "0xCf7Ed3AccA5a467e9e704C703E8D87F634fB0Fc9" },
  feeds: { USDC: "0xDc64a140Aa3E981100a9becA4E685f962f0cF6C9" },
};

describe("public env validation", () => {
  it("defaults to the local devnet", () => {
    expect(validatePublicEnv({})).toEqual({
      ok: true,
      env: { chainId: 31337, rpcUrl: "http://127.0.0.1:8545", walletConnectProjectId: undefined },
    });
    expect(validatePublicEnv({ NEXT_PUBLIC_CHAIN_ID: " ", NEXT_PUBLIC_RPC_URL: "" }).ok).toBe(true);
  });

  it("names the variable that is wrong", () => {
    const badId = validatePublicEnv({ NEXT_PUBLIC_CHAIN_ID: "mainnet" });
    expect(badId.ok).toBe(false);
    if (!badId.ok) expect(badId.error).toContain("NEXT_PUBLIC_CHAIN_ID");
    const negative = validatePublicEnv({ NEXT_PUBLIC_CHAIN_ID: "-1" });
    expect(negative.ok).toBe(false);
    const badUrl = validatePublicEnv({ NEXT_PUBLIC_RPC_URL: "ws://127.0.0.1:8545" });
    expect(badUrl.ok).toBe(false);
    if (!badUrl.ok) expect(badUrl.error).toContain("NEXT_PUBLIC_RPC_URL");
  });

  it("keeps a WalletConnect project id when one is set", () => {
    const result = validatePublicEnv({ NEXT_PUBLIC_WALLETCONNECT_PROJECT_ID: "abc123" });
    expect(result.ok && result.env.walletConnectProjectId).toBe("abc123");
  });
});

describe("deployment loading", () => {
  let dir: string;
  const saved = process.env.DEPLOYMENTS_DIR;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), "sl-config-"));
    process.env.DEPLOYMENTS_DIR = dir;
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
    if (saved === undefined) delete process.env.DEPLOYMENTS_DIR;
    else process.env.DEPLOYMENTS_DIR = saved;
  });

  it("loads deployments/<chainId>.json from DEPLOYMENTS_DIR", async () => {
    writeFileSync(path.join(dir, "31337.json"), JSON.stringify(deployment));
    const result = await loadAppConfig({});
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.config.deployment.lens).toBe(deployment.lens);
  });

  it("explains a missing, unreadable or mismatched file instead of throwing", async () => {
    const missing = await loadAppConfig({});
    expect(missing).toMatchObject({ ok: false, title: "No deployment for this chain" });

    writeFileSync(path.join(dir, "31337.json"), "{ not json");
    expect(await loadAppConfig({})).toMatchObject({ ok: false, title: "Invalid deployment file" });

    writeFileSync(path.join(dir, "31337.json"), JSON.stringify({ ...deployment, lens: "0x123" }));
    const invalid = await loadAppConfig({});
    expect(invalid.ok).toBe(false);
    if (!invalid.ok) expect(invalid.error).toContain("lens");

    writeFileSync(path.join(dir, "5.json"), JSON.stringify(deployment));
    const otherChain = await loadAppConfig({ NEXT_PUBLIC_CHAIN_ID: "5" });
    expect(otherChain.ok).toBe(false);
    if (!otherChain.ok) expect(otherChain.error).toContain("chain 31337");
  });

  it("reports an invalid env before touching the disk", async () => {
    expect(await loadAppConfig({ NEXT_PUBLIC_CHAIN_ID: "x" })).toMatchObject({ ok: false, title: "Invalid configuration" });
  });
});
