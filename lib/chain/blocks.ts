/**
 * New-block notifications without spending HTTP requests: a `newHeads` subscription over the node's WebSocket
 * (anvil and most nodes serve it on the same host/port as HTTP). If no WebSocket is available it falls back to
 * polling `eth_blockNumber`. One shared connection per RPC URL, however many components listen.
 */

type Listener = (blockNumber: bigint) => void;

interface Watcher {
  listeners: Set<Listener>;
  stop(): void;
  /** Set while the watcher waits, without listeners, to be stopped. */
  lingering: ReturnType<typeof setTimeout> | null;
}

const watchers = new Map<string, Watcher>();

/** ws(s):// URL on the same host/port/path as the http(s):// RPC URL. */
export function webSocketUrlFor(rpcUrl: string): string | null {
  try {
    const url = new URL(rpcUrl);
    if (url.protocol !== "http:" && url.protocol !== "https:") return null;
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    return url.toString();
  } catch {
    return null;
  }
}

function startWatcher(rpcUrl: string, listeners: Set<Listener>, pollMs: number): () => void {
  let stopped = false;
  let socket: WebSocket | null = null;
  let pollTimer: ReturnType<typeof setInterval> | null = null;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let lastBlock = -1n;
  let wsFailures = 0;

  const emit = (blockNumber: bigint) => {
    if (blockNumber <= lastBlock) return;
    lastBlock = blockNumber;
    listeners.forEach((l) => l(blockNumber));
  };

  const poll = async () => {
    try {
      const res = await fetch(rpcUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_blockNumber", params: [] }),
      });
      const json = (await res.json()) as { result?: string };
      if (json.result) emit(BigInt(json.result));
    } catch {
      // The page shows the RPC state from the position query; polling just tries again.
    }
  };

  const startPolling = () => {
    if (pollTimer || stopped) return;
    pollTimer = setInterval(poll, pollMs);
  };

  const connect = () => {
    const wsUrl = webSocketUrlFor(rpcUrl);
    if (!wsUrl || typeof WebSocket === "undefined") return startPolling();
    socket = new WebSocket(wsUrl);
    socket.onopen = () => {
      wsFailures = 0;
      socket?.send(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_subscribe", params: ["newHeads"] }));
    };
    socket.onmessage = (event) => {
      try {
        const msg = JSON.parse(String(event.data)) as { method?: string; params?: { result?: { number?: string } } };
        const number = msg.params?.result?.number;
        if (msg.method === "eth_subscription" && number) emit(BigInt(number));
      } catch {
        // ignore malformed frames
      }
    };
    socket.onclose = () => {
      socket = null;
      if (stopped) return;
      wsFailures += 1;
      // After repeated failures the node has no usable WebSocket: poll instead, and keep retrying slowly.
      if (wsFailures >= 2) startPolling();
      retryTimer = setTimeout(connect, Math.min(30_000, 1_000 * 2 ** wsFailures));
    };
  };

  connect();
  return () => {
    stopped = true;
    socket?.close();
    if (pollTimer) clearInterval(pollTimer);
    if (retryTimer) clearTimeout(retryTimer);
  };
}

/** How long a watcher outlives its last listener: a component remounting (React's dev double mount, a route
 * change to another position) picks the open socket up again instead of closing one mid-handshake and opening another. */
const LINGER_MS = 2_000;

/** Calls `listener` with each new block number; returns an unsubscribe function. Browser only. */
export function watchNewBlocks(rpcUrl: string, listener: Listener, pollMs = 4_000): () => void {
  let watcher = watchers.get(rpcUrl);
  if (!watcher) {
    const listeners = new Set<Listener>();
    const stop = startWatcher(rpcUrl, listeners, pollMs);
    watcher = { listeners, stop, lingering: null };
    watchers.set(rpcUrl, watcher);
  }
  if (watcher.lingering) {
    clearTimeout(watcher.lingering);
    watcher.lingering = null;
  }
  watcher.listeners.add(listener);
  const current = watcher;
  return () => {
    current.listeners.delete(listener);
    if (current.listeners.size === 0 && !current.lingering) {
      current.lingering = setTimeout(() => {
        current.lingering = null;
        if (current.listeners.size > 0) return;
        current.stop();
        watchers.delete(rpcUrl);
      }, LINGER_MS);
    }
  };
}
