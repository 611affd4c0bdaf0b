/**
 * The transaction pipeline against the real contracts on a real anvil, through the real devnet-wallet connector:
 * permit then action, decoded custom errors from simulation (nothing sent), repay-all without dust.
 */
import { rmSync } from "node:fs";
import path from "node:path";
import { createPublicClient, encodeFunctionData, http, parseUnits, type Abi, type Address, type Hex } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createConfig, createConnector, type Config, type CreateConnectorFn } from "wagmi";
import { connect } from "wagmi/actions";
import { ROOT, deployMarket, startAnvil, type AnvilHandle } from "../devnet/anvil";
import { mockAggregatorAbi, mockErc20Abi, softLandingLensAbi, softLandingMarketAbi } from "./abis";
import type { Deployment } from "./deployment";
import { ANVIL_ACCOUNTS, devnetChain } from "./devnet";
import { devnetWallet } from "./devnet-wallet";
import { callFlow, closeFlow, policyFlow } from "./flows";
import { readPosition } from "./read";
import { NO_POLICY, type DeleveragePolicy, type PositionSnapshot } from "../risk";
import { REPAY_ALL, repayAllAllowance, runAction, runFlow, walletBatchesAtomically, withGasHeadroom, type ContractCall, type TxUpdate } from "./write";

let anvil: AnvilHandle;
let deployment: Deployment;
let config: Config;
let deploymentDir: string | undefined;
const borrower = ANVIL_ACCOUNTS[7]!.address;

const client = () => createPublicClient({ chain: devnetChain(anvil.rpcUrl), transport: http(anvil.rpcUrl) });

/** Sends from an anvil account through eth_sendTransaction (anvil keeps its test accounts unlocked). */
async function sendFrom(from: Address, to: Address, abi: Abi, functionName: string, args: readonly unknown[]) {
  const c = client();
  const hash = await c.request({
    method: "eth_sendTransaction",
    params: [{ from, to, data: encodeFunctionData({ abi, functionName, args } as never) }],
  } as never);
  const receipt = await c.waitForTransactionReceipt({ hash: hash as Hex, pollingInterval: 50 });
  if (receipt.status !== "success") throw new Error(`${functionName} reverted`);
}

const operator = (to: Address, abi: Abi, functionName: string, args: readonly unknown[]) =>
  sendFrom(ANVIL_ACCOUNTS[0]!.address, to, abi, functionName, args);

beforeAll(async () => {
  anvil = await startAnvil();
  deploymentDir = path.join(ROOT, `deployments/.local/write-test-${anvil.port}`);
  deployment = await deployMarket({ rpcUrl: anvil.rpcUrl, deploymentFile: path.join(deploymentDir, "31337.json") });
  const chain = devnetChain(anvil.rpcUrl);
  config = createConfig({ chains: [chain], connectors: [devnetWallet(7)], transports: { [chain.id]: http(anvil.rpcUrl) } });
  await connect(config, { connector: config.connectors[0]! });

  // Liquidity from the lender, tokens for the borrower.
  const lender = ANVIL_ACCOUNTS[1]!.address;
  const liquidity = parseUnits("1000000", 6);
  await operator(deployment.tokens.USDC!, mockErc20Abi, "mint", [lender, liquidity]);
  await sendFrom(lender, deployment.tokens.USDC!, mockErc20Abi, "approve", [deployment.market, liquidity]);
  await sendFrom(lender, deployment.market, softLandingMarketAbi, "deposit", [liquidity, lender]);
  await operator(deployment.tokens.WETH!, mockErc20Abi, "mint", [borrower, parseUnits("10", 18)]);
  await operator(deployment.tokens.USDC!, mockErc20Abi, "mint", [borrower, parseUnits("1000", 6)]);
});

afterAll(async () => {
  await anvil?.stop();
  if (deploymentDir) rmSync(deploymentDir, { recursive: true, force: true });
});

/**
 * The devnet wallet with EIP-5792 atomic batches, as a smart wallet offers them: `wallet_sendCalls` runs the calls in
 * order on anvil and, if one reverts, reverts the chain to before the batch (evm_snapshot / evm_revert), so a batch
 * lands whole or not at all. (Anvil mines each transaction at once in these tests.)
 */
function atomicBatchWallet(index: 7): CreateConnectorFn {
  const base = devnetWallet(index);
  return createConnector((cfg) => {
    const inner = base(cfg);
    const batches = new Map<string, Hex[]>();
    const rpc = (method: string, params: unknown[]) => client().request({ method, params } as never) as Promise<unknown>;
    const request = async ({ method, params }: { method: string; params?: unknown }): Promise<unknown> => {
      if (method === "wallet_getCapabilities") return { "0x7a69": { atomic: { status: "supported" } } };
      if (method === "wallet_sendCalls") {
        const [{ calls, from }] = params as [{ calls: { to: Address; data: Hex }[]; from: Address }];
        const snapshot = await rpc("evm_snapshot", []);
        const hashes: Hex[] = [];
        for (const call of calls) {
          const hash = (await rpc("eth_sendTransaction", [{ from, to: call.to, data: call.data }]).catch(async (e: unknown) => {
            await rpc("evm_revert", [snapshot]);
            throw e;
          })) as Hex;
          const receipt = await client().waitForTransactionReceipt({ hash, pollingInterval: 50 });
          if (receipt.status !== "success") {
            await rpc("evm_revert", [snapshot]);
            throw new Error("a call in the batch reverted: the batch was rolled back");
          }
          hashes.push(hash);
        }
        const id = `0x${(batches.size + 1).toString(16).padStart(64, "0")}`;
        batches.set(id, hashes);
        return { id };
      }
      if (method === "wallet_getCallsStatus") {
        const hashes = batches.get((params as [string])[0]) ?? [];
        const receipts = await Promise.all(hashes.map((hash) => rpc("eth_getTransactionReceipt", [hash])));
        return { version: "2.0.0", id: (params as [string])[0], chainId: "0x7a69", atomic: true, status: 200, receipts };
      }
      const provider = (await inner.getProvider()) as { request: (a: unknown) => Promise<unknown> };
      return provider.request({ method, params });
    };
    return {
      ...inner,
      id: "atomic-batch-wallet",
      async getProvider() {
        const provider = (await inner.getProvider()) as object;
        return new Proxy(provider, { get: (target, key) => (key === "request" ? request : Reflect.get(target, key)) });
      },
    } as typeof inner;
  }) as CreateConnectorFn;
}

function market(functionName: string, args: readonly unknown[]): ContractCall {
  return { address: deployment.market, abi: softLandingMarketAbi, functionName, args } as unknown as ContractCall;
}

describe("runAction on anvil", () => {
  it("tops up through an EIP-2612 permit, reporting each phase", async () => {
    const updates: TxUpdate[] = [];
    const amount = parseUnits("2", 18);
    const result = await runAction({
      config,
      account: borrower,
      chainId: 31337,
      label: "Top up 2 WETH",
      pulls: [{ token: deployment.tokens.WETH!, symbol: "WETH", amount, spender: deployment.market }],
      calls: [market("depositCollateral", [deployment.tokens.WETH!, amount, borrower])],
      onUpdate: (u) => updates.push(u),
    });
    expect(result.ok).toBe(true);
    expect(updates.map((u) => `${u.label}:${u.phase}`)).toEqual([
      "Permit WETH:signing",
      "Permit WETH:wallet",
      "Permit WETH:pending",
      "Permit WETH:confirmed",
      "Top up 2 WETH:wallet",
      "Top up 2 WETH:pending",
      "Top up 2 WETH:confirmed",
    ]);
    const c = client();
    expect(await c.readContract({ address: deployment.market, abi: softLandingMarketAbi, functionName: "collateralOf", args: [borrower, deployment.tokens.WETH!] })).toBe(amount);
    // The permit allowed exactly the amount, and the deposit used it all.
    expect(await c.readContract({ address: deployment.tokens.WETH!, abi: mockErc20Abi, functionName: "allowance", args: [borrower, deployment.market] })).toBe(0n);
  });

  it("refuses a borrow beyond the borrowing power in simulation, with the contract's reason, sending nothing", async () => {
    const c = client();
    const nonce = await c.getTransactionCount({ address: borrower });
    const updates: TxUpdate[] = [];
    // 2 WETH × $3,000 × LTV 0.80 = $4,800 of borrowing power.
    const result = await runAction({
      config,
      account: borrower,
      chainId: 31337,
      label: "Borrow 5,000 USDC",
      calls: [market("borrow", [parseUnits("5000", 6), borrower, borrower])],
      errorContext: { loan: { symbol: "USDC", decimals: 6 } },
      onUpdate: (u) => updates.push(u),
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.name).toBe("InsufficientCollateral");
    expect(result.error.message).toMatch(/^Not enough collateral: after this, your borrowing power \(\$4,800\.00\) would be below your debt \(\$5,000\.\d\d/);
    expect(updates.at(-1)?.phase).toBe("failed");
    expect(await c.getTransactionCount({ address: borrower })).toBe(nonce);
  });

  it("decodes a stale price that bubbles up from the oracle", async () => {
    const c = client();
    const block = await c.getBlock();
    await operator(deployment.feeds.WETH!, mockAggregatorAbi, "setAnswerAt", [300_000_000_000n, block.timestamp - 7200n]);
    const result = await runAction({
      config,
      account: borrower,
      chainId: 31337,
      label: "Borrow 10 USDC",
      calls: [market("borrow", [parseUnits("10", 6), borrower, borrower])],
      errorContext: { tokens: { [deployment.tokens.WETH!.toLowerCase()]: { symbol: "WETH", decimals: 18 } } },
      onUpdate: () => undefined,
    });
    await operator(deployment.feeds.WETH!, mockAggregatorAbi, "refresh", []);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatchObject({ name: "StalePrice", message: expect.stringMatching(/price of WETH is out of date/) });
  });

  it("borrows, then repays everything with interest and leaves no dust", async () => {
    const borrowed = await runAction({
      config,
      account: borrower,
      chainId: 31337,
      label: "Borrow 3,000 USDC",
      calls: [market("borrow", [parseUnits("3000", 6), borrower, borrower])],
      onUpdate: () => undefined,
    });
    expect(borrowed.ok).toBe(true);
    const c = client();
    await c.request({ method: "evm_increaseTime", params: [30 * 24 * 3600] } as never);
    await c.request({ method: "evm_mine", params: [] } as never);
    const debt = await c.readContract({ address: deployment.market, abi: softLandingMarketAbi, functionName: "debtOf", args: [borrower] });
    expect(debt).toBeGreaterThan(parseUnits("3000", 6));
    const rate = (await c.readContract({ address: deployment.lens, abi: softLandingLensAbi, functionName: "getMarket", args: [deployment.market] })).borrowRatePerYear;

    const repaid = await runAction({
      config,
      account: borrower,
      chainId: 31337,
      label: "Repay all",
      pulls: [{ token: deployment.tokens.USDC!, symbol: "USDC", amount: repayAllAllowance(debt, rate), spender: deployment.market }],
      calls: [market("repay", [REPAY_ALL, borrower])],
      onUpdate: () => undefined,
    });
    expect(repaid.ok).toBe(true);
    expect(await c.readContract({ address: deployment.market, abi: softLandingMarketAbi, functionName: "debtOf", args: [borrower] })).toBe(0n);
  });

  it("turns protection on and off, each verified by the market's own log; a policy it refuses is decoded in simulation", async () => {
    const c = client();
    const ppm = (n: number) => BigInt(n) * 10n ** 12n;
    const policy: DeleveragePolicy = { triggerHealth: ppm(1_100_000), targetHealth: ppm(1_250_000), maxBonus: ppm(3_000), maxShare: ppm(250_000) };
    const position = async () => (await readPosition(borrower, deployment, c as never)) as unknown as PositionSnapshot;
    const send = async (p: DeleveragePolicy) =>
      runFlow({ config, account: borrower, chainId: 31337, onUpdate: () => undefined, flow: policyFlow(await position(), borrower, p, "Protection") });

    expect(await send(policy)).toMatchObject({ ok: true });
    const versionOn = (await position()).policyVersion;
    expect(await position()).toMatchObject({ policy });
    // The devnet's lowest soft bonus is 0.3%: one millionth more is refused before the wallet, nothing sent.
    const nonce = await c.getTransactionCount({ address: borrower });
    expect(await send({ ...policy, maxBonus: ppm(3_001) })).toMatchObject({
      ok: false,
      error: { name: "PolicyBonusTooHigh", message: "A protection bonus of 0.3001% is above 0.3%, the lowest bonus a soft slice pays on this market." },
    });
    expect(await c.getTransactionCount({ address: borrower })).toBe(nonce);
    expect(await send(NO_POLICY)).toMatchObject({ ok: true });
    expect(await position()).toMatchObject({ policy: NO_POLICY, policyVersion: versionOn + 1n });
  });

  it("a wallet without EIP-5792 batches runs a flow step by step", async () => {
    expect(await walletBatchesAtomically({ config, account: borrower, chainId: 31337, onUpdate: () => undefined })).toBe(false);
  });

  describe("with a wallet that batches atomically (EIP-5792)", () => {
    let batching: Config;
    beforeAll(async () => {
      const chain = devnetChain(anvil.rpcUrl);
      batching = createConfig({ chains: [chain], connectors: [atomicBatchWallet(7)], transports: { [chain.id]: http(anvil.rpcUrl) } });
      await connect(batching, { connector: batching.connectors[0]! });
    });
    const debtOf = () => client().readContract({ address: deployment.market, abi: softLandingMarketAbi, functionName: "debtOf", args: [borrower] });
    const wethIn = () =>
      client().readContract({ address: deployment.market, abi: softLandingMarketAbi, functionName: "collateralOf", args: [borrower, deployment.tokens.WETH!] });

    it("a batch whose second call reverts changes nothing: the borrow before it is undone too", async () => {
      expect(await walletBatchesAtomically({ config: batching, account: borrower, chainId: 31337, onUpdate: () => undefined })).toBe(true);
      const before = await debtOf();
      const weth = await wethIn();
      const updates: TxUpdate[] = [];
      const result = await runFlow({
        config: batching,
        account: borrower,
        chainId: 31337,
        onUpdate: (u) => updates.push(u),
        flow: callFlow("Borrow, then take all the collateral", [], [
          market("borrow", [parseUnits("100", 6), borrower, borrower]),
          market("withdrawCollateral", [deployment.tokens.WETH!, weth, borrower, borrower]),
        ]),
      });
      expect(result.ok).toBe(false);
      expect(updates.map((u) => u.phase)).toEqual(["wallet", "failed"]);
      expect(await debtOf()).toBe(before);
      expect(await wethIn()).toBe(weth);
    });

    it("closes a position (approve, repay all, withdraw every collateral) in one batch, one signature", async () => {
      // a month has passed in the test before: every price must be fresh again to borrow
      for (const feed of Object.values(deployment.feeds)) await operator(feed, mockAggregatorAbi, "refresh", []);
      const borrowed = await runAction({
        config,
        account: borrower,
        chainId: 31337,
        label: "Borrow 500 USDC",
        calls: [market("borrow", [parseUnits("500", 6), borrower, borrower])],
        onUpdate: () => undefined,
      });
      expect(borrowed.ok).toBe(true);
      const position = (await readPosition(borrower, deployment, client() as never)) as unknown as PositionSnapshot;
      expect(position.debt).toBeGreaterThan(0n);
      const updates: TxUpdate[] = [];
      const result = await runFlow({ config: batching, account: borrower, chainId: 31337, onUpdate: (u) => updates.push(u), flow: closeFlow(position, borrower, "Close position") });
      expect(result.ok).toBe(true);
      // one wallet prompt for the approve, the repay and the withdrawal
      expect(updates.filter((u) => u.phase === "wallet")).toHaveLength(1);
      expect(updates.at(-1)).toMatchObject({ phase: "confirmed", label: "Close position (3 calls, one signature)" });
      expect(await debtOf()).toBe(0n);
      expect(await wethIn()).toBe(0n);
    });
  });

  it("adds gas headroom over the estimate", () => {
    expect(withGasHeadroom(100_000n)).toBe(145_000n);
  });
});
