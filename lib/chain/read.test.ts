import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPublicClient, http, type PublicClient } from "viem";
import { ROOT, freePort, startAnvil, type AnvilHandle } from "../devnet/anvil";
import type { Deployment } from "./deployment";
import { devnetChain } from "./devnet";
import { diagnoseReadFailure, parseAccount, readPosition } from "./read";

/** A deployment whose lens and market have no code on a fresh anvil. */
const nowhere: Deployment = {
  chainId: 31337,
  mode: "soft",
  startBlock: 0,
  market: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
  oracle: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512",
  lens: "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0",
  tokens: {},
  feeds: {},
};
const someone = "0x90F79bf6EB2c4f870365E785982E1f101E93b906";

const clientFor = (rpcUrl: string) =>
  createPublicClient({ chain: devnetChain(rpcUrl), transport: http(rpcUrl, { retryCount: 0, timeout: 3_000 }) }) as PublicClient;

async function failure(deployment: Deployment, client: PublicClient) {
  try {
    await readPosition(someone, deployment, client);
  } catch (error) {
    return diagnoseReadFailure(error, deployment, client);
  }
  throw new Error("expected the read to fail");
}

/** anvil serving another chain id (startAnvil always uses 31337). */
async function anvilOnChain(chainId: number): Promise<{ rpcUrl: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(path.join(ROOT, "node_modules/.bin/anvil"), ["--port", String(port), "--chain-id", String(chainId), "--silent"], {
    stdio: "ignore",
  });
  const rpcUrl = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 150; i++) {
    try {
      await clientFor(rpcUrl).getChainId();
      return { rpcUrl, child };
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  child.kill("SIGKILL");
  throw new Error("anvil did not start");
}

describe("reading a position when something is wrong (real anvil)", () => {
  let devnet: AnvilHandle;
  let otherChain: { rpcUrl: string; child: ChildProcess };
  beforeAll(async () => {
    devnet = await startAnvil();
    otherChain = await anvilOnChain(4242);
  }, 30_000);
  afterAll(async () => {
    await devnet?.stop();
    otherChain?.child.kill("SIGTERM");
  });

  it("says the RPC is unreachable when nothing listens", async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    expect(await failure(nowhere, clientFor(url))).toMatchObject({ kind: "rpc-down" });
  });

  it("tells a wrong chain from a stale deployment", async () => {
    const wrong = await failure(nowhere, clientFor(otherChain.rpcUrl));
    expect(wrong.kind).toBe("wrong-chain");
    expect(wrong.message).toContain("4242");
    expect(await failure(nowhere, clientFor(devnet.rpcUrl))).toMatchObject({ kind: "no-contract" });
  });
});

describe("account parsing", () => {
  it("accepts any-case hex addresses and rejects the rest", () => {
    expect(parseAccount(someone.toLowerCase())).toBe(someone);
    expect(parseAccount(` ${someone} `)).toBe(someone);
    expect(parseAccount("0x1234")).toBeNull();
    expect(parseAccount("vitalik.eth")).toBeNull();
    expect(parseAccount("%E0%A4%A")).toBeNull();
  });
});
