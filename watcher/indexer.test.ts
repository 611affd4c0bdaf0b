/**
 * The indexer against real contracts on a real anvil, on each test database: every market event stored once, in
 * pages the node accepts (halving on refusal), resumed from the checkpoint by a new process, and rolled back when
 * the chain reorganises (evm_revert, then other blocks at the same heights).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseUnits, type Address } from "viem";
import { softLandingMarketAbi } from "../lib/chain/abis";
import type { Deployment } from "../lib/chain/deployment";
import { ANVIL_ACCOUNTS } from "../lib/chain/devnet";
import { deployMarket, startAnvil, type AnvilHandle } from "../lib/devnet/anvil";
import { connect, mintAndDeposit, sendAndWait, type ChainClients } from "../lib/devnet/chain-ops";
import { RangeRefusedError, createChainSource, type ChainSource } from "./chain";
import { createIndexer } from "./indexer";
import { historyPage, loadCursor } from "./store";
import { TEST_DATABASES } from "./testing/databases";
import { schema } from "./db";

let anvil: AnvilHandle;
let clients: ChainClients;
let deployment: Deployment;
const BORROWER = ANVIL_ACCOUNTS[4]!;
const OTHER = ANVIL_ACCOUNTS[5]!;

beforeAll(async () => {
  anvil = await startAnvil();
  deployment = await deployMarket({ rpcUrl: anvil.rpcUrl, deploymentFile: `deployments/.local/watcher-indexer-test-${process.pid}.json` });
  clients = await connect(anvil.rpcUrl, { pollingInterval: 50 });
  const wallet = clients.wallet(BORROWER.privateKey);
  await mintAndDeposit(clients, wallet, deployment, "WETH", parseUnits("10", 18));
  await mintAndDeposit(clients, wallet, deployment, "WBTC", parseUnits("1", 8));
});

afterAll(async () => {
  await anvil?.stop();
});

/** Every market log on the chain now, as (block, logIndex) keys: what the database must hold. */
async function chainLogKeys(): Promise<string[]> {
  const logs = await clients.publicClient.getLogs({ address: deployment.market, fromBlock: BigInt(deployment.startBlock) });
  return logs.map((l) => `${l.blockNumber}:${l.logIndex}`);
}

/** A node that refuses any range wider than `maxBlocks`, as public RPCs do. */
function refusing(source: ChainSource, maxBlocks: bigint, refusals: { count: number }): ChainSource {
  return {
    ...source,
    async events(from, to) {
      if (to - from + 1n > maxBlocks) {
        refusals.count += 1;
        throw new RangeRefusedError(`block range ${from}…${to} exceeds ${maxBlocks}`);
      }
      return source.events(from, to);
    },
  };
}

describe.each(TEST_DATABASES)("indexer on $name", (testDb) => {
  it("stores every event once, halving refused ranges, and resumes from its checkpoint", async () => {
    const created = await testDb.create();
    const database = await created.open();
    try {
      const { db } = database;
      const source = createChainSource(anvil.rpcUrl, clients.chain.id, deployment);
      const refusals = { count: 0 };
      const indexer = createIndexer({
        db,
        source: refusing(source, 4n, refusals),
        startBlock: BigInt(deployment.startBlock),
        pageSize: 10,
        confirmations: 2,
      });
      const first = await indexer.poll();
      expect(refusals.count).toBeGreaterThan(0);
      expect(first.pageSize).toBeLessThanOrEqual(10);
      const head = await clients.publicClient.getBlockNumber();
      expect(first.indexedBlock).toBe(head);
      expect(first.finalBlock).toBe(head - 2n);
      const stored = await db.select().from(schema.events);
      expect(stored.map((e) => `${e.blockNumber}:${e.logIndex}`).sort()).toEqual((await chainLogKeys()).sort());
      const deposits = stored.filter((e) => e.name === "CollateralDeposited" && e.account === BORROWER.address.toLowerCase());
      // The set-up deposits (other tests on this chain add more): decoded with their exact amounts.
      expect(deposits.map((e) => e.args.amount)).toEqual(expect.arrayContaining([parseUnits("10", 18).toString(), parseUnits("1", 8).toString()]));
      expect(deposits.every((e) => e.timestamp > 0n)).toBe(true);

      // More activity, then a second indexer on the same database (a restarted process): only the new blocks.
      const wallet = clients.wallet(BORROWER.privateKey);
      await sendAndWait(clients, wallet, {
        address: deployment.market,
        abi: softLandingMarketAbi,
        functionName: "borrow",
        args: [parseUnits("100", 6), BORROWER.address, BORROWER.address],
      }).catch(() => {
        // No lender liquidity in this market: a reverted borrow mines nothing; a deposit is activity enough.
      });
      await mintAndDeposit(clients, clients.wallet(OTHER.privateKey), deployment, "WETH", parseUnits("1", 18));
      const restarted = createIndexer({ db, source, startBlock: BigInt(deployment.startBlock), pageSize: 1000, confirmations: 0 });
      const second = await restarted.poll();
      expect(second.pages).toBe(1);
      const after = await db.select().from(schema.events);
      expect(after.map((e) => `${e.blockNumber}:${e.logIndex}`).sort()).toEqual((await chainLogKeys()).sort());
      expect((await db.select().from(schema.accounts)).map((a) => a.address)).toEqual(
        expect.arrayContaining([BORROWER.address.toLowerCase(), OTHER.address.toLowerCase()]),
      );
      // Nothing new: a poll reads no page.
      expect((await restarted.poll()).pages).toBe(0);
    } finally {
      await database.close();
      await created.drop();
    }
  });

  it("rolls back the blocks a reorg replaced and indexes the new ones", async () => {
    const created = await testDb.create();
    const database = await created.open();
    try {
      const { db } = database;
      const source = createChainSource(anvil.rpcUrl, clients.chain.id, deployment);
      const indexer = createIndexer({ db, source, startBlock: BigInt(deployment.startBlock), pageSize: 1000, confirmations: 0 });
      await indexer.poll();
      const snapshot = await clients.publicClient.request({ method: "evm_snapshot" as never } as never);
      const forkHeight = await clients.publicClient.getBlockNumber();

      // The branch that will vanish: two deposits for OTHER.
      await mintAndDeposit(clients, clients.wallet(OTHER.privateKey), deployment, "WBTC", parseUnits("2", 8));
      await indexer.poll();
      const orphan = (await historyPage(db, OTHER.address, 100)).events.filter((e) => e.blockNumber > forkHeight);
      expect(orphan.length).toBeGreaterThan(0);

      // Reorg: back to the fork point, then a different history at the same heights (and one block more).
      await clients.publicClient.request({ method: "evm_revert" as never, params: [snapshot] } as never);
      await mintAndDeposit(clients, clients.wallet(BORROWER.privateKey), deployment, "WETH", parseUnits("3", 18));
      await clients.publicClient.request({ method: "anvil_mine" as never, params: ["0x1"] } as never);

      const report = await indexer.poll();
      expect(report.reorg).not.toBeNull();
      expect(report.reorg!.keptUpTo).toBeLessThanOrEqual(forkHeight);
      const stored = await db.select().from(schema.events);
      expect(stored.map((e) => `${e.blockNumber}:${e.logIndex}`).sort()).toEqual((await chainLogKeys()).sort());
      const otherNow = (await historyPage(db, OTHER.address, 100)).events.filter((e) => e.blockNumber > forkHeight);
      expect(otherNow).toEqual([]);
      const cursor = await loadCursor(db);
      expect(cursor!.blockHash).toBe((await clients.publicClient.getBlock()).hash);
    } finally {
      await database.close();
      await created.drop();
    }
  });

  it("pages a position's history newest first", async () => {
    const created = await testDb.create();
    const database = await created.open();
    try {
      const { db } = database;
      const source = createChainSource(anvil.rpcUrl, clients.chain.id, deployment);
      await createIndexer({ db, source, startBlock: BigInt(deployment.startBlock), pageSize: 1000, confirmations: 0 }).poll();
      const all: string[] = [];
      let before: { block: bigint; logIndex: number } | undefined;
      for (;;) {
        const page = await historyPage(db, BORROWER.address as Address, 1, before);
        all.push(...page.events.map((e) => `${e.blockNumber}:${e.logIndex}`));
        if (!page.next) break;
        before = page.next;
      }
      const expected = (await db.select().from(schema.events))
        .filter((e) => e.account === BORROWER.address.toLowerCase())
        .sort((a, b) => (a.blockNumber === b.blockNumber ? b.logIndex - a.logIndex : a.blockNumber > b.blockNumber ? -1 : 1))
        .map((e) => `${e.blockNumber}:${e.logIndex}`);
      expect(all).toEqual(expected);
      expect(all.length).toBeGreaterThanOrEqual(2);
    } finally {
      await database.close();
      await created.drop();
    }
  });
});
