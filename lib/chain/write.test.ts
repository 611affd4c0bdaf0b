/**
 * The transaction pipeline against the real contracts on a real anvil, through the real devnet-wallet connector:
 * permit then action, decoded custom errors from simulation (nothing sent), repay-all without dust.
 */
import { rmSync } from "node:fs";
import path from "node:path";
import { createPublicClient, encodeFunctionData, http, parseUnits, type Abi, type Address, type Hex } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createConfig, type Config } from "wagmi";
import { connect } from "wagmi/actions";
import { ROOT, deployMarket, startAnvil, type AnvilHandle } from "../devnet/anvil";
import { mockAggregatorAbi, mockErc20Abi, softLandingMarketAbi } from "./abis";
import type { Deployment } from "./deployment";
import { ANVIL_ACCOUNTS, devnetChain } from "./devnet";
import { devnetWallet } from "./devnet-wallet";
import { REPAY_ALL, repayAllAllowance, runAction, withGasHeadroom, type ContractCall, type TxUpdate } from "./write";

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
    expect(result.error.message).toMatch(/^Not enough collateral: after this, your borrowing power \(\$4800\) would be below your debt \(\$5000/);
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
    const rate = await c.readContract({ address: deployment.market, abi: softLandingMarketAbi, functionName: "borrowRatePerYear" });

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

  it("adds gas headroom over the estimate", () => {
    expect(withGasHeadroom(100_000n)).toBe(145_000n);
  });
});
