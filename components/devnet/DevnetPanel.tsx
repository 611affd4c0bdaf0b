"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { createPublicClient, createWalletClient, http, parseUnits, type Address } from "viem";
import { useConnection } from "wagmi";
import { mockAggregatorAbi, mockErc20Abi } from "@/lib/chain/abis";
import { useDeployment } from "@/lib/chain/deployment-context";
import { ANVIL_ACCOUNTS } from "@/lib/chain/devnet";
import { describeError } from "@/lib/chain/errors";
import { chainQueryKeys } from "@/lib/chain/read";
import { chain } from "@/lib/chain/wagmi";
import { withGasHeadroom } from "@/lib/chain/write";
import type { PositionSnapshot } from "@/lib/risk";
import { parseAmount } from "@/lib/format/input";
import { formatPrice } from "@/lib/format/number";

/** What "Get test tokens" mints, in whole tokens. */
const FAUCET: Record<string, string> = { USDC: "50000", WETH: "20", wstETH: "20", WBTC: "1" };
const TOKEN_DECIMALS: Record<string, number> = { USDC: 6, WETH: 18, wstETH: 18, WBTC: 8 };
/** Feed answers have 8 decimals; prices elsewhere are WADs. */
const FEED_TO_WAD = 10n ** 10n;
const TIME_STEPS = [
  { label: "+5 min", seconds: 300 },
  { label: "+10 min", seconds: 600 },
  { label: "+1 h", seconds: 3600 },
];

/**
 * Devnet-only controls (chain 31337): a faucet, price moves and time travel, so anyone can watch a position get
 * flagged, the grace period run out and a keeper slice. Transactions are sent from anvil account 0, which anvil
 * keeps unlocked (eth_sendTransaction): no key reaches the browser and the visitor's wallet is not involved.
 */
export function DevnetPanel({ position }: { position?: PositionSnapshot }) {
  const deployment = useDeployment();
  const connection = useConnection();
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // The market's collateral order when the position is known; the deployment's feeds otherwise.
  const collateralSymbols =
    position?.market.collaterals.map((c) => c.symbol) ?? Object.keys(deployment.feeds).filter((s) => s !== "USDC");
  const [symbol, setSymbol] = useState(collateralSymbols[0] ?? "");
  const [priceText, setPriceText] = useState("");

  const rpcUrl = chain.rpcUrls.default.http[0]!;
  const operator = ANVIL_ACCOUNTS[0]!.address;
  const publicClient = createPublicClient({ chain, transport: http(rpcUrl) });
  const wallet = createWalletClient({ chain, transport: http(rpcUrl), account: operator });

  const currentPrice = position?.market.collaterals.find((c) => c.symbol === symbol)?.price;

  async function task(description: string, work: () => Promise<void>) {
    setBusy(true);
    setError(null);
    setStatus(`${description}…`);
    try {
      await work();
      setStatus(`${description}: done.`);
    } catch (e) {
      setStatus(null);
      setError(describeError(e).message);
    } finally {
      await queryClient.invalidateQueries({ queryKey: chainQueryKeys.all });
      setBusy(false);
    }
  }

  async function sendAndWait(request: Parameters<typeof wallet.writeContract>[0]) {
    // Same headroom as the borrower's transactions: an estimate made against the latest block can fall short in the
    // next one (a feed's timestamp slot that was unchanged at estimation is written at inclusion).
    const estimate = await publicClient.estimateContractGas({ ...request, account: operator } as never);
    const hash = await wallet.writeContract({ ...request, gas: withGasHeadroom(estimate) });
    const receipt = await publicClient.waitForTransactionReceipt({ hash, pollingInterval: 200 });
    if (receipt.status !== "success") throw new Error(`Devnet transaction ${hash} reverted.`);
  }

  const mintAll = (to: Address) =>
    task("Minting test tokens", async () => {
      for (const [sym, amount] of Object.entries(FAUCET)) {
        const token = deployment.tokens[sym];
        if (!token) continue;
        await sendAndWait({
          address: token,
          abi: mockErc20Abi,
          functionName: "mint",
          args: [to, parseUnits(amount, TOKEN_DECIMALS[sym] ?? 18)],
          chain,
          account: operator,
        });
      }
    });

  const setPrice = (usd: bigint) =>
    task(`Setting ${symbol} to ${formatPrice(usd * FEED_TO_WAD)}`, async () => {
      const feed = deployment.feeds[symbol];
      if (!feed) throw new Error(`No price feed for ${symbol} in this deployment.`);
      await sendAndWait({ address: feed, abi: mockAggregatorAbi, functionName: "setAnswer", args: [usd], chain, account: operator });
    });

  const movePrice = (percent: number) => {
    if (currentPrice === undefined) return;
    // WAD → 8-decimal feed answer, moved by `percent`.
    const answer = (currentPrice / FEED_TO_WAD) * BigInt(100 + percent) / 100n;
    return setPrice(answer);
  };

  const advance = (seconds: number) =>
    task(`Advancing time by ${seconds} s`, async () => {
      await publicClient.request({ method: "evm_increaseTime" as never, params: [seconds] as never });
      await publicClient.request({ method: "evm_mine" as never, params: [] as never });
      // Re-publish every feed at the new time, or prices would go stale past their heartbeat.
      for (const feed of Object.values(deployment.feeds)) {
        await sendAndWait({ address: feed, abi: mockAggregatorAbi, functionName: "refresh", chain, account: operator });
      }
    });

  const parsedPrice = parseAmount(priceText, 8, "USD");
  const connected = connection.status === "connected";

  return (
    <details className="rounded-lg border border-dashed border-border p-3 text-sm" data-testid="devnet-panel" open>
      <summary className="cursor-pointer font-semibold">Devnet controls</summary>
      <p className="mt-1 text-xs text-muted">
        Only on the local devnet (chain {chain.id}). Sent from anvil&apos;s account 0; your wallet is not asked.
      </p>
      <div className="mt-3 space-y-3">
        <div>
          <button
            type="button"
            data-testid="devnet-faucet"
            disabled={busy || !connected}
            onClick={() => connected && mintAll(connection.address)}
            className="rounded border border-border px-3 py-1.5 font-medium hover:bg-bg disabled:opacity-50"
          >
            Get test tokens
          </button>
          <span className="ml-2 text-xs text-muted">
            {connected
              ? Object.entries(FAUCET).map(([s, a]) => `${a} ${s}`).join(", ")
              : "Connect a wallet to receive them."}
          </span>
        </div>
        <fieldset className="space-y-2">
          <legend className="font-medium">Move a price</legend>
          <div className="flex flex-wrap items-center gap-2">
            <label className="sr-only" htmlFor="devnet-price-asset">
              Collateral
            </label>
            <select
              id="devnet-price-asset"
              data-testid="devnet-price-asset"
              value={symbol}
              onChange={(e) => setSymbol(e.target.value)}
              className="rounded border border-border bg-card px-2 py-1"
            >
              {collateralSymbols.map((s) => (
                <option key={s}>{s}</option>
              ))}
            </select>
            {currentPrice !== undefined && <span className="font-mono text-muted">now {formatPrice(currentPrice)}</span>}
            {currentPrice !== undefined &&
              [-10, -5, 5].map((p) => (
                <button
                  key={p}
                  type="button"
                  disabled={busy}
                  data-testid={`devnet-price-${p}`}
                  onClick={() => movePrice(p)}
                  className="rounded border border-border px-2 py-1 hover:bg-bg disabled:opacity-50"
                >
                  {p > 0 ? `+${p}` : p}%
                </button>
              ))}
          </div>
          <form
            className="flex flex-wrap items-center gap-2"
            onSubmit={(e) => {
              e.preventDefault();
              if (parsedPrice.ok) setPrice(parsedPrice.value);
            }}
          >
            <label htmlFor="devnet-price-input">New price (USD)</label>
            <input
              id="devnet-price-input"
              data-testid="devnet-price-input"
              inputMode="decimal"
              value={priceText}
              onChange={(e) => setPriceText(e.target.value)}
              className="w-32 rounded border border-border bg-bg px-2 py-1 font-mono"
            />
            <button
              type="submit"
              data-testid="devnet-price-set"
              disabled={busy || !parsedPrice.ok}
              className="rounded border border-border px-2 py-1 hover:bg-bg disabled:opacity-50"
            >
              Set price
            </button>
            {priceText.trim() !== "" && !parsedPrice.ok && <span className="text-hard">{parsedPrice.message}</span>}
          </form>
        </fieldset>
        <div className="flex flex-wrap items-center gap-2">
          <span className="font-medium">Advance time</span>
          {TIME_STEPS.map((step) => (
            <button
              key={step.seconds}
              type="button"
              disabled={busy}
              data-testid={`devnet-time-${step.seconds}`}
              onClick={() => advance(step.seconds)}
              className="rounded border border-border px-2 py-1 hover:bg-bg disabled:opacity-50"
            >
              {step.label}
            </button>
          ))}
        </div>
        <p aria-live="polite" data-testid="devnet-status" className="min-h-5 text-xs text-muted">
          {status}
        </p>
        {error && (
          <p role="alert" data-testid="devnet-error" className="text-xs text-hard">
            {error}
          </p>
        )}
      </div>
    </details>
  );
}
