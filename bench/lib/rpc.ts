/**
 * A minimal JSON-RPC client for anvil that sends many requests in one HTTP POST.
 * The benchmark issues thousands of transactions; viem's per-call overhead (and its gas estimation, which runs
 * against the latest block and so fails for transactions that depend on still-pending ones) would dominate.
 */
export interface RpcRequest {
  method: string;
  params: unknown[];
}

export class RpcError extends Error {
  constructor(
    message: string,
    readonly method: string,
    readonly data?: unknown,
  ) {
    super(message);
  }
}

interface RpcResponse {
  id: number;
  result?: unknown;
  error?: { code: number; message: string; data?: unknown };
}

/** Anvil accepts large batches, but very large bodies slow JSON parsing on both sides. */
const MAX_BATCH = 500;

export class Rpc {
  private nextId = 1;
  requests = 0;
  httpCalls = 0;
  /** Wall time per method (the first method of each HTTP batch), for profiling the benchmark itself. */
  readonly timing = new Map<string, { calls: number; ms: number }>();

  constructor(readonly url: string) {}

  async call<T = unknown>(method: string, params: unknown[] = []): Promise<T> {
    const [result] = await this.batch<T>([{ method, params }]);
    return result as T;
  }

  /** Sends every request (in chunks of MAX_BATCH) and returns results in order; throws on the first error. */
  async batch<T = unknown>(requests: RpcRequest[]): Promise<T[]> {
    const settled = await this.batchSettled<T>(requests);
    return settled.map((r, i) => {
      if (r.ok) return r.value;
      throw new RpcError(`${requests[i]!.method} failed: ${r.error.message}`, requests[i]!.method, r.error.data);
    });
  }

  /** Like `batch`, but returns each request's error instead of throwing. */
  async batchSettled<T = unknown>(
    requests: RpcRequest[],
  ): Promise<({ ok: true; value: T } | { ok: false; error: { message: string; data?: unknown } })[]> {
    const out: ({ ok: true; value: T } | { ok: false; error: { message: string; data?: unknown } })[] = [];
    for (let start = 0; start < requests.length; start += MAX_BATCH) {
      const chunk = requests.slice(start, start + MAX_BATCH);
      const firstId = this.nextId;
      this.nextId += chunk.length;
      const body = chunk.map((r, i) => ({ jsonrpc: "2.0", id: firstId + i, method: r.method, params: r.params }));
      this.requests += chunk.length;
      this.httpCalls += 1;
      const t0 = performance.now();
      const res = await fetch(this.url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      if (!res.ok) throw new Error(`RPC ${this.url} answered HTTP ${res.status}: ${(await res.text()).slice(0, 500)}`);
      const json = (await res.json()) as RpcResponse[] | RpcResponse;
      const list = Array.isArray(json) ? json : [json];
      const stat = this.timing.get(chunk[0]!.method) ?? { calls: 0, ms: 0 };
      stat.calls += 1;
      stat.ms += performance.now() - t0;
      this.timing.set(chunk[0]!.method, stat);
      const byId = new Map(list.map((r) => [r.id, r]));
      for (let i = 0; i < chunk.length; i++) {
        const r = byId.get(firstId + i);
        if (!r) out.push({ ok: false, error: { message: `no response for ${chunk[i]!.method}` } });
        else if (r.error) out.push({ ok: false, error: { message: r.error.message, data: r.error.data } });
        else out.push({ ok: true, value: r.result as T });
      }
    }
    return out;
  }
}

export const toHex = (n: bigint | number): `0x${string}` => `0x${n.toString(16)}`;
