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

  private async nonceOf(address: Address): Promise<number> {
    const key = address.toLowerCase();
    let nonce = this.nonces.get(key);
    if (nonce === undefined) {
      nonce = Number(await this.rpc.call<Hex>("eth_getTransactionCount", [address, "pending"]));
    }
    return nonce;
  }

  /** Queues the transactions (unmined) and returns their hashes in order. Throws if anvil rejects one. */
  async send(txs: readonly TxRequest[]): Promise<Hex[]> {
    if (txs.length === 0) return [];
    const requests = [];
    for (const tx of txs) {
      const nonce = await this.nonceOf(tx.from);
      this.nonces.set(tx.from.toLowerCase(), nonce + 1);
      requests.push({
        method: "eth_sendTransaction",
        params: [{ from: tx.from, to: tx.to, data: tx.data, gas: toHex(tx.gas ?? DEFAULT_GAS), nonce: toHex(nonce) }],
      });
    }
    return this.rpc.batch<Hex>(requests);
  }

  /** Mines every queued transaction into one block stamped `timestamp`; returns that block's receipts. */
  async mine(timestamp: number): Promise<Receipt[]> {
    await this.rpc.call("evm_mine", [timestamp]);
    return this.rpc.call<Receipt[]>("eth_getBlockReceipts", ["latest"]);
  }

  /** Sends, mines and insists every transaction succeeded (for setup, where a failure means a broken benchmark). */
  async sendAndMine(txs: readonly TxRequest[], timestamp: number, what: string): Promise<Receipt[]> {
    const hashes = await this.send(txs);
    const receipts = await this.mine(timestamp);
    const byHash = new Map(receipts.map((r) => [r.transactionHash, r]));
    const failed = hashes.filter((h) => byHash.get(h)?.status !== "0x1");
    if (failed.length > 0) {
      throw new Error(`${what}: ${failed.length} of ${hashes.length} transactions failed or were not mined (first ${failed[0]})`);
    }
    return receipts;
  }

  async setBalances(addresses: readonly Address[], wei: bigint): Promise<void> {
    await this.rpc.batch(addresses.map((a) => ({ method: "anvil_setBalance", params: [a, toHex(wei)] })));
  }
}
