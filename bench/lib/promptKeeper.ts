import { decodeFunctionResult, encodeFunctionData, type Address, type Hex } from "viem";
import { softLandingLensAbi, softLandingMarketAbi } from "../../lib/chain/abis";
import type { TxRequest } from "./chain";
import type { RpcRequest } from "./rpc";

export const ZONE = { HEALTHY: 0, SOFT: 1, HARD: 2 } as const;

export interface MarketHandle {
  label: string;
  market: Address;
  lens: Address;
  /** Listed collaterals in `collaterals()` order (the order of `AccountSummary.balances`). */
  collaterals: readonly Address[];
  decimals: readonly number[];
  gracePeriod: number;
  sliceInterval: number;
}

export interface AccountSummary {
  account: Address;
  debt: bigint;
  healthFactor: bigint;
  healthOk: boolean;
  zone: number;
  flaggedAt: bigint;
  lastSliceAt: bigint;
  balances: readonly bigint[];
}

export interface Scan {
  timestamp: bigint;
  collateralPrices: readonly bigint[];
  accounts: AccountSummary[];
}

export type KeeperAction = "flag" | "unflag" | "softSlice" | "hardLiquidation";

export interface PlannedTx extends TxRequest {
  action: KeeperAction;
  account: Address;
}

interface Candidate {
  account: Address;
  collateral: Address;
  zone: number;
}

const GAS = { flag: 300_000n, unflag: 300_000n, liquidate: 800_000n };

/**
 * A prompt keeper for one market, equivalent to the bot DESIGN §5 describes but driven step by step by the
 * benchmark: read every borrower through `Lens.getPositions` in batches, flag accounts that entered SOFT, unflag
 * recovered ones, slice each flagged SOFT account as soon as its grace period and slice interval allow (repay =
 * `previewLiquidation.repayCap`, through the collateral holding the most value), and liquidate HARD accounts at
 * once. It knows the timestamp of the block its transactions will land in, so "allowed" is judged for that block.
 */
export class PromptKeeper {
  constructor(
    readonly handle: MarketHandle,
    readonly keeper: Address,
    readonly accounts: readonly Address[],
    readonly batchSize = 100,
  ) {}

  scanRequests(): RpcRequest[] {
    const requests: RpcRequest[] = [];
    for (let i = 0; i < this.accounts.length; i += this.batchSize) {
      const data = encodeFunctionData({
        abi: softLandingLensAbi,
        functionName: "getPositions",
        args: [this.handle.market, this.accounts.slice(i, i + this.batchSize)],
      });
      requests.push({ method: "eth_call", params: [{ to: this.handle.lens, data }, "latest"] });
    }
    return requests;
  }

  parseScan(results: readonly Hex[]): Scan {
    let timestamp = 0n;
    let collateralPrices: readonly bigint[] = [];
    const accounts: AccountSummary[] = [];
    for (const data of results) {
      const view = decodeFunctionResult({ abi: softLandingLensAbi, functionName: "getPositions", data });
      timestamp = view.timestamp;
      collateralPrices = view.collateralPrices;
      accounts.push(...view.accounts);
    }
    return { timestamp, collateralPrices, accounts };
  }

  /**
   * Flags and unflags to send now, the accounts whose liquidation should be previewed, and the earliest later time
   * at which a waiting soft account's timers expire (a prompt keeper acts in the first block at or after it).
   */
  plan(scan: Scan, nextTimestamp: number): { txs: PlannedTx[]; candidates: Candidate[]; nextTimer: number | null } {
    const txs: PlannedTx[] = [];
    const candidates: Candidate[] = [];
    const next = BigInt(nextTimestamp);
    let nextTimer: number | null = null;
    const wakeAt = (t: bigint) => {
      if (t > next && (nextTimer === null || Number(t) < nextTimer)) nextTimer = Number(t);
    };
    for (const a of scan.accounts) {
      if (!a.healthOk || a.debt === 0n) continue;
      if (a.zone === ZONE.HEALTHY) {
        if (a.flaggedAt !== 0n) txs.push(this.tx("unflag", a.account, "unflag"));
        continue;
      }
      if (a.zone === ZONE.SOFT) {
        if (a.flaggedAt === 0n) {
          txs.push(this.tx("flag", a.account, "flag"));
          wakeAt(next + BigInt(this.handle.gracePeriod));
          continue;
        }
        const graceEnd = a.flaggedAt + BigInt(this.handle.gracePeriod);
        const nextSlice = a.lastSliceAt + BigInt(this.handle.sliceInterval);
        if (next < graceEnd || next < nextSlice) {
          wakeAt(graceEnd > nextSlice ? graceEnd : nextSlice);
          continue;
        }
        // If this slice leaves the account in SOFT, the next one is due an interval later.
        wakeAt(next + BigInt(this.handle.sliceInterval));
      }
      const collateral = this.richestCollateral(a, scan.collateralPrices);
      if (collateral) candidates.push({ account: a.account, collateral, zone: a.zone });
    }
    return { txs, candidates, nextTimer };
  }

  previewRequests(candidates: readonly Candidate[]): RpcRequest[] {
    return candidates.map((c) => ({
      method: "eth_call",
      params: [
        {
          to: this.handle.market,
          data: encodeFunctionData({
            abi: softLandingMarketAbi,
            functionName: "previewLiquidation",
            args: [c.account, c.collateral],
          }),
        },
        "latest",
      ],
    }));
  }

  /** Liquidations to send for the previewed candidates (repay = the preview's cap, no minimum seized). */
  liquidations(candidates: readonly Candidate[], previews: readonly Hex[], nextTimestamp: number): PlannedTx[] {
    const txs: PlannedTx[] = [];
    candidates.forEach((c, i) => {
      const p = decodeFunctionResult({ abi: softLandingMarketAbi, functionName: "previewLiquidation", data: previews[i]! });
      if (p.repayCap === 0n) return;
      const allowed = p.zone === ZONE.HARD || p.allowed || (p.zone === ZONE.SOFT && p.allowedAt !== 0n && p.allowedAt <= BigInt(nextTimestamp));
      if (!allowed || p.zone === ZONE.HEALTHY) return;
      const data = encodeFunctionData({
        abi: softLandingMarketAbi,
        functionName: "liquidate",
        args: [c.account, c.collateral, p.repayCap, 0n],
      });
      txs.push({
        from: this.keeper,
        to: this.handle.market,
        data,
        gas: GAS.liquidate,
        action: p.zone === ZONE.HARD ? "hardLiquidation" : "softSlice",
        account: c.account,
      });
    });
    return txs;
  }

  private tx(functionName: "flag" | "unflag", account: Address, action: KeeperAction): PlannedTx {
    return {
      from: this.keeper,
      to: this.handle.market,
      data: encodeFunctionData({ abi: softLandingMarketAbi, functionName, args: [account] }),
      gas: GAS[functionName],
      action,
      account,
    };
  }

  private richestCollateral(a: AccountSummary, prices: readonly bigint[]): Address | undefined {
    let best: Address | undefined;
    let bestValue = 0n;
    a.balances.forEach((balance, i) => {
      const value = (balance * (prices[i] ?? 0n)) / 10n ** BigInt(this.handle.decimals[i]!);
      if (balance > 0n && (best === undefined || value > bestValue)) {
        best = this.handle.collaterals[i];
        bestValue = value;
      }
    });
    return best;
  }
}
