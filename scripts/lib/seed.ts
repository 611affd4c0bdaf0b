/**
 * Seeds a fresh devnet deployment with a lender and demo borrowers whose positions span every state the app shows.
 *
 * Soft liquidation needs a keeper: a position is only "being sliced" once a keeper sliced it. So the seeding moves
 * prices in two shocks and lets the (already running) keeper act (rules: docs/liquidation.md):
 *   1. wstETH -10%: a wstETH-only borrower falls into SOFT above the grace floor (0.97) and is flagged; it tops up
 *      and recovers.
 *   2. WETH -20%: each borrower's collateral mix lands them in a different zone — a WETH-only one deep enough for
 *      HARD (below 0.88: the keeper hard-liquidates it, just enough to restore the target health), a WETH/wstETH one
 *      below the grace floor (the keeper slices it at once; the slice takes all its WETH and leaves it in SOFT, so
 *      the next slice follows a few minutes later), a less leveraged WETH-only one in SOFT above the floor (flagged,
 *      grace running when the app opens), a WETH/WBTC one just above the threshold, a wstETH/WBTC one healthy.
 * The grace and slice clocks keep running once the app is open, so a newcomer watches the next slices happen live.
 */
import { getAddress, parseUnits, type Address } from "viem";
import { mockErc20Abi, softLandingMarketAbi } from "../../lib/chain/abis";
import type { Deployment } from "../../lib/chain/deployment";
import { ANVIL_ACCOUNTS } from "../../lib/chain/devnet";
import { liquidationState, marketEvents, mintAndDeposit, parseFeedPrice, sendAndWait, setFeedPrice, tokenAddress, waitFor, type ChainClients } from "../../lib/devnet/chain-ops";

const DECIMALS: Record<string, number> = { USDC: 6, WETH: 18, wstETH: 18, WBTC: 8 };

export type DemoState = "healthy" | "close to threshold" | "flagged, in grace" | "being sliced" | "hard-liquidated" | "recovered";

export interface DemoBorrower {
  accountIndex: number;
  state: DemoState;
  collateral: Record<string, string>;
  borrowUsdc: string;
  /** Collateral the borrower adds after being flagged (the "recovered" story). */
  topUpAfterFlag?: Record<string, string>;
  /** A deleverage policy the borrower sets right after borrowing (docs/liquidation.md R9): healths and ratios. */
  policy?: { triggerHealth: string; targetHealth: string; maxBonus: string; maxShare: string };
}

/**
 * Health factors at the seeded prices (WETH 3000 → 2400, wstETH 3500 → 3150, WBTC 60000), with the devnet rules
 * (hardHealth 0.88, graceFloor 0.97, target 1.02):
 * healthy 2.9; close 1.18 → 1.06; grace 1.23 → 0.986 (SOFT, above the grace floor: flagged, 10 min of grace);
 * sliced 1.07 → 1.03 → 0.908 (SOFT, below the grace floor: sliced at once, all its WETH, → ~0.96, still below the
 * floor and flagged; the next slice, through wstETH, interval(HF) ≈ 3.3 min later, restores ~1.02); hard 1.067 → 0.854 (HARD: the
 * keeper repays what restores 1.02, nearly all of the debt); recovered 1.085 → 0.977 (flagged) → 1.37 after its
 * top-up.
 */
export const DEMO_BORROWERS: readonly DemoBorrower[] = [
  // A cautious borrower: automatic protection keeps health near 2.8. No seeded shock reaches its trigger; a WBTC fall
  // of about 20% (npm run sim) does, and the keeper runs it.
  {
    accountIndex: 3,
    state: "healthy",
    collateral: { wstETH: "2", WBTC: "0.5" },
    borrowUsdc: "10000",
    policy: { triggerHealth: "2.50", targetHealth: "2.80", maxBonus: "0.003", maxShare: "0.25" },
  },
  { accountIndex: 4, state: "close to threshold", collateral: { WETH: "5", WBTC: "0.25" }, borrowUsdc: "20650" },
  { accountIndex: 5, state: "flagged, in grace", collateral: { WETH: "10" }, borrowUsdc: "20700" },
  { accountIndex: 6, state: "being sliced", collateral: { WETH: "4", wstETH: "3" }, borrowUsdc: "17320" },
  { accountIndex: 7, state: "hard-liquidated", collateral: { WETH: "10" }, borrowUsdc: "23900" },
  { accountIndex: 8, state: "recovered", collateral: { wstETH: "5" }, borrowUsdc: "12900", topUpAfterFlag: { wstETH: "2" } },
];

/** Account 9 opens nothing: it is the clean wallet a newcomer can use to open a position from /borrow. */
export const FRESH_WALLET_INDEX = 9;

export const SHOCKS = { first: { wstETH: "3150" }, second: { WETH: "2400" } } as const;

const LENDER_DEPOSIT = "1000000";
/** Tokens each demo account holds after seeding, so the devnet wallet can top up and repay without a faucet trip. */
const WALLET_FLOAT: Record<string, string> = { USDC: "50000", WETH: "20", wstETH: "20", WBTC: "1" };
const KEEPER_FLOAT_USDC = "5000000";

function units(symbol: string, amount: string): bigint {
  return parseUnits(amount, DECIMALS[symbol] ?? 18);
}

export interface SeedLog {
  (message: string): void;
}

/** Funds the lender, the keeper and the demo wallets and opens every demo position at the deploy prices. */
export async function openDemoPositions(clients: ChainClients, deployment: Deployment, log: SeedLog = () => {}) {
  const deployer = clients.wallet(ANVIL_ACCOUNTS[0]!.privateKey);
  const market = deployment.market;

  const lender = clients.wallet(ANVIL_ACCOUNTS[1]!.privateKey);
  const usdc = tokenAddress(deployment, "USDC");
  const deposit = units("USDC", LENDER_DEPOSIT);
  await sendAndWait(clients, lender, { address: usdc, abi: mockErc20Abi, functionName: "mint", args: [lender.account.address, deposit] });
  await sendAndWait(clients, lender, { address: usdc, abi: mockErc20Abi, functionName: "approve", args: [market, deposit] });
  await sendAndWait(clients, lender, {
    address: market,
    abi: softLandingMarketAbi,
    functionName: "deposit",
    args: [deposit, lender.account.address],
  });
  log(`lender ${lender.account.address} supplied ${LENDER_DEPOSIT} USDC`);

  // The keeper repays debt in slices, so it must hold the loan asset; on the devnet it comes from the faucet.
  await sendAndWait(clients, deployer, {
    address: usdc,
    abi: mockErc20Abi,
    functionName: "mint",
    args: [ANVIL_ACCOUNTS[2]!.address, units("USDC", KEEPER_FLOAT_USDC)],
  });

  for (const index of [...DEMO_BORROWERS.map((b) => b.accountIndex), FRESH_WALLET_INDEX]) {
    const to = ANVIL_ACCOUNTS[index]!.address;
    for (const [symbol, amount] of Object.entries(WALLET_FLOAT)) {
      await sendAndWait(clients, deployer, {
        address: tokenAddress(deployment, symbol),
        abi: mockErc20Abi,
        functionName: "mint",
        args: [to, units(symbol, amount)],
      });
    }
  }

  for (const borrower of DEMO_BORROWERS) {
    const wallet = clients.wallet(ANVIL_ACCOUNTS[borrower.accountIndex]!.privateKey);
    await depositCollateral(clients, wallet, deployment, borrower.collateral);
    await sendAndWait(clients, wallet, {
      address: market,
      abi: softLandingMarketAbi,
      functionName: "borrow",
      args: [units("USDC", borrower.borrowUsdc), wallet.account.address, wallet.account.address],
    });
    log(`borrower #${borrower.accountIndex} ${wallet.account.address}: ${describe(borrower.collateral)}, borrowed ${borrower.borrowUsdc} USDC`);
    if (borrower.policy) {
      const p = borrower.policy;
      const wad = (x: string) => parseUnits(x, 18);
      await sendAndWait(clients, wallet, {
        address: market,
        abi: softLandingMarketAbi,
        functionName: "setDeleveragePolicy",
        args: [wallet.account.address, { triggerHealth: wad(p.triggerHealth), targetHealth: wad(p.targetHealth), maxBonus: wad(p.maxBonus), maxShare: wad(p.maxShare) }],
      });
      log(`borrower #${borrower.accountIndex} turned on automatic protection: below ${p.triggerHealth} → back to ${p.targetHealth}`);
    }
  }
}

async function depositCollateral(
  clients: ChainClients,
  wallet: ReturnType<ChainClients["wallet"]>,
  deployment: Deployment,
  collateral: Record<string, string>,
) {
  for (const [symbol, amount] of Object.entries(collateral)) {
    // Minted on top of the wallet float, so the seeded position leaves the float intact.
    await mintAndDeposit(clients, wallet, deployment, symbol, units(symbol, amount));
  }
}

function describe(collateral: Record<string, string>): string {
  return Object.entries(collateral)
    .map(([symbol, amount]) => `${amount} ${symbol}`)
    .join(" + ");
}

async function flaggedAt(clients: ChainClients, deployment: Deployment, account: Address): Promise<bigint> {
  return (await liquidationState(clients, deployment, account)).flaggedAt;
}

async function liquidationCount(clients: ChainClients, deployment: Deployment, account: Address): Promise<number> {
  return (await marketEvents(clients, deployment, "Liquidated", { account })).length;
}

const byState = (state: DemoState) => {
  const borrower = DEMO_BORROWERS.find((b) => b.state === state)!;
  return { ...borrower, address: getAddress(ANVIL_ACCOUNTS[borrower.accountIndex]!.address) };
};

/**
 * Applies the two price shocks and waits for the keeper (which must already be watching the chain) to flag, slice
 * and hard-liquidate. Requires an automining devnet (anvil default): each transaction is its own block. No time is
 * skipped: the slice comes at once below the grace floor, and the flagged position's grace runs when the app opens.
 */
export async function playDemoShocks(
  clients: ChainClients,
  deployment: Deployment,
  opts: { log?: SeedLog; keeperTimeoutMs?: number } = {},
) {
  const log = opts.log ?? (() => {});
  const timeout = opts.keeperTimeoutMs ?? 60_000;
  const driver = clients.wallet(ANVIL_ACCOUNTS[0]!.privateKey);
  const sliced = byState("being sliced");
  const recovered = byState("recovered");
  const grace = byState("flagged, in grace");
  const hard = byState("hard-liquidated");

  for (const [symbol, price] of Object.entries(SHOCKS.first)) await setFeedPrice(clients, driver, deployment, symbol, parseFeedPrice(price));
  log(`shock 1: ${describe(SHOCKS.first)} — waiting for the keeper to flag #${recovered.accountIndex}`);
  await waitFor(
    `the keeper to flag ${recovered.address}`,
    async () => ((await flaggedAt(clients, deployment, recovered.address)) !== 0n ? true : undefined),
    timeout,
  );

  const recoveredWallet = clients.wallet(ANVIL_ACCOUNTS[recovered.accountIndex]!.privateKey);
  await depositCollateral(clients, recoveredWallet, deployment, recovered.topUpAfterFlag ?? {});
  if ((await flaggedAt(clients, deployment, recovered.address)) !== 0n) throw new Error(`top-up did not clear the flag of ${recovered.address}`);
  log(`#${recovered.accountIndex} topped up ${describe(recovered.topUpAfterFlag ?? {})} and recovered (flag cleared)`);

  for (const [symbol, price] of Object.entries(SHOCKS.second)) await setFeedPrice(clients, driver, deployment, symbol, parseFeedPrice(price));
  log(
    `shock 2: ${describe(SHOCKS.second)} — waiting for the keeper to flag #${grace.accountIndex}, slice #${sliced.accountIndex} ` +
      `and hard-liquidate #${hard.accountIndex}`,
  );
  await waitFor(`the keeper to flag ${grace.address}`, async () => ((await flaggedAt(clients, deployment, grace.address)) !== 0n ? true : undefined), timeout);
  await waitFor(`the keeper to slice ${sliced.address}`, async () => ((await liquidationCount(clients, deployment, sliced.address)) > 0 ? true : undefined), timeout);
  await waitFor(`the keeper to hard-liquidate ${hard.address}`, async () => ((await liquidationCount(clients, deployment, hard.address)) > 0 ? true : undefined), timeout);
  // The slice flagged it; it must still be flagged, and below the grace floor (no grace holds the next slice back),
  // for the app to show it being sliced.
  if ((await flaggedAt(clients, deployment, sliced.address)) === 0n) throw new Error(`${sliced.address} left SOFT with its first slice`);
}
