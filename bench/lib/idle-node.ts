/**
 * A JSON-RPC node serving an idle chain of any height: every block exists (deterministic hashes, one per 12 s), no
 * block has logs, and like public RPCs it refuses an eth_getLogs over more than `maxRange` blocks. anvil mines about
 * 200 blocks a second (a million would take over an hour) and keeps their states on disk (tens of GB), so the
 * million-block indexing figure is measured against this node; everything else in bench:watcher runs on anvil.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { keccak256, toHex } from "viem";

export interface IdleNode {
  url: string;
  requests: Record<string, number>;
  close(): Promise<void>;
}

export async function startIdleNode(opts: { height: bigint; chainId: number; maxRange: bigint }): Promise<IdleNode> {
  const requests: Record<string, number> = {};
  const hashOf = (n: bigint) => keccak256(toHex(n, { size: 32 }));
  const block = (n: bigint) => ({
    number: toHex(n),
    hash: hashOf(n),
    parentHash: n === 0n ? `0x${"0".repeat(64)}` : hashOf(n - 1n),
    timestamp: toHex(1_700_000_000n + n * 12n),
    nonce: "0x0000000000000000",
    sha3Uncles: `0x${"0".repeat(64)}`,
    logsBloom: `0x${"0".repeat(512)}`,
    transactionsRoot: `0x${"0".repeat(64)}`,
    stateRoot: `0x${"0".repeat(64)}`,
    receiptsRoot: `0x${"0".repeat(64)}`,
    miner: `0x${"0".repeat(40)}`,
    difficulty: "0x0",
    totalDifficulty: "0x0",
    extraData: "0x",
    size: "0x0",
    gasLimit: "0x1c9c380",
    gasUsed: "0x0",
    baseFeePerGas: "0x1",
    transactions: [],
    uncles: [],
  });
  const answer = (method: string, params: unknown[]): { result?: unknown; error?: { code: number; message: string } } => {
    requests[method] = (requests[method] ?? 0) + 1;
    switch (method) {
      case "eth_chainId":
        return { result: toHex(opts.chainId) };
      case "eth_blockNumber":
        return { result: toHex(opts.height) };
      case "eth_getBlockByNumber": {
        const tag = params[0] as string;
        const n = tag === "latest" ? opts.height : BigInt(tag);
        return { result: n > opts.height ? null : block(n) };
      }
      case "eth_getLogs": {
        const filter = params[0] as { fromBlock: string; toBlock: string };
        const range = BigInt(filter.toBlock) - BigInt(filter.fromBlock) + 1n;
        if (range > opts.maxRange) return { error: { code: -32005, message: `query exceeds max block range ${opts.maxRange}` } };
        return { result: [] };
      }
      default:
        return { error: { code: -32601, message: `method ${method} not served by the idle node` } };
    }
  };
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", () => {
      const parsed = JSON.parse(body) as { id: number; method: string; params: unknown[] } | { id: number; method: string; params: unknown[] }[];
      const one = (r: { id: number; method: string; params: unknown[] }) => ({ jsonrpc: "2.0", id: r.id, ...answer(r.method, r.params ?? []) });
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(Array.isArray(parsed) ? parsed.map(one) : one(parsed)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
