import type { Address, Hex } from "viem";
import { Rpc, toHex } from "./rpc";

export interface TxRequest {
  from: Address;
  to: Address;
  data: Hex;
  /** Gas limit; explicit because anvil would otherwise estimate against the latest block, not the pending one. */
  gas?: bigint;
}

export interface Receipt {
  transactionHash: Hex;
  status: Hex;
  gasUsed: Hex;
  logs: { address: Address; topics: Hex[]; data: Hex }[];
}

const DEFAULT_GAS = 1_500_000n;

/**
 * Drives an anvil started with `--auto-impersonate` in manual-mining mode: queues many transactions in one HTTP
 * batch (nonces tracked here, so order inside a block is nonce order per sender and arrival order overall with
 * `--order fifo`), then mines them into one block at a chosen timestamp.
 */
export class Chain {
  private nonces = new Map<string, number>();

  constructor(readonly rpc: Rpc) {}

  async latestTimestamp(): Promise<number> {
    const block = await this.rpc.call<{ timestamp: Hex }>("eth_getBlockByNumber", ["latest", false]);
    return Number(block.timestamp);
  }

  /** Queues the transactions (unmined) and returns their hashes in order. Throws if anvil rejects one. */
  async send(txs: readonly TxRequest[]): Promise<Hex[]> {
    if (txs.length === 0) return [];
    const unknown = [...new Set(txs.map((t) => t.from.toLowerCase()))].filter((a) => !this.nonces.has(a));
    const counts = await this.rpc.batch<Hex>(unknown.map((a) => ({ method: "eth_getTransactionCount", params: [a, "pending"] })));
    unknown.forEach((a, i) => this.nonces.set(a, Number(counts[i])));
    const requests = txs.map((tx) => {
      const key = tx.from.toLowerCase();
      const nonce = this.nonces.get(key)!;
      this.nonces.set(key, nonce + 1);
      return {
        method: "eth_sendTransaction",
        params: [{ from: tx.from, to: tx.to, data: tx.data, gas: toHex(tx.gas ?? DEFAULT_GAS), nonce: toHex(nonce) }],
      };
    });
    return this.rpc.batch<Hex>(requests);
  }

  /**
   * Mines every queued transaction into one block stamped `timestamp` and returns the receipts of `hashes`
   * (fetched one by one in a batch: anvil's eth_getBlockReceipts takes ~200 ms per call on a long chain).
   */
  async mine(timestamp: number, hashes: readonly Hex[]): Promise<Receipt[]> {
    await this.rpc.call("evm_mine", [timestamp]);
    if (hashes.length === 0) return [];
    const receipts = await this.rpc.batch<Receipt | null>(
      hashes.map((h) => ({ method: "eth_getTransactionReceipt", params: [h] })),
    );
    return receipts.filter((r): r is Receipt => r !== null);
  }

  /**
   * Sends, mines and insists every transaction succeeded (for setup, where a failure means a broken benchmark).
   * Large batches are split over several blocks at the same timestamp: anvil builds each receipt by walking its
   * block, so one block of thousands of transactions makes fetching its receipts quadratic.
   */
  async sendAndMine(txs: readonly TxRequest[], timestamp: number, what: string, perBlock = 250): Promise<Receipt[]> {
    const receipts: Receipt[] = [];
    for (let start = 0; start < txs.length; start += perBlock) {
      const hashes = await this.send(txs.slice(start, start + perBlock));
      const mined = await this.mine(timestamp, hashes);
      const byHash = new Map(mined.map((r) => [r.transactionHash, r]));
      const failed = hashes.filter((h) => byHash.get(h)?.status !== "0x1");
      if (failed.length > 0) {
        throw new Error(`${what}: ${failed.length} of ${hashes.length} transactions failed or were not mined (first ${failed[0]})`);
      }
      receipts.push(...mined);
    }
    return receipts;
  }

  async setBalances(addresses: readonly Address[], wei: bigint): Promise<void> {
    await this.rpc.batch(addresses.map((a) => ({ method: "anvil_setBalance", params: [a, toHex(wei)] })));
  }
}
