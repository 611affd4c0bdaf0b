import { decodeEventLog, type Address, type Hex } from "viem";
import { eventsLibAbi } from "../../lib/chain/abis";
import type { Receipt } from "./chain";
import type { KeeperAction } from "./promptKeeper";

const WAD = 1e18;

export interface LiquidationRecord {
  account: Address;
  zone: number;
  /** Seized collateral at the oracle price of that moment, USD. */
  valueUsd: number;
  repaidUsd: number;
  /** What the borrower paid over the debt repaid: seized value − repaid value, USD. */
  penaltyUsd: number;
  bonus: number;
  healthBefore: number;
  healthAfter: number;
}

export interface BadDebtCase {
  account: Address;
  badDebtUsd: number;
  /** Zone and health before the liquidation that took the last collateral. */
  lastLiquidationZone: number | null;
  lastLiquidationHealthBefore: number | null;
}

/** Everything one market's keeper did and what it cost borrowers and lenders. */
export class ModeMetrics {
  readonly liquidations: LiquidationRecord[] = [];
  keeperGas = 0n;
  readonly gasByAction: Record<KeeperAction, bigint> = { flag: 0n, unflag: 0n, softSlice: 0n, hardLiquidation: 0n };
  readonly txsByAction: Record<KeeperAction, number> = { flag: 0, unflag: 0, softSlice: 0, hardLiquidation: 0 };
  revertedTxs = 0;
  flagEvents = 0;
  unflagEvents = 0;
  badDebtEvents = 0;
  badDebtUsd = 0;
  badDebtSocialisedUsd = 0;
  readonly badDebtCases: BadDebtCase[] = [];

  constructor(
    readonly market: Address,
    readonly loanDecimals: number,
  ) {}

  /**
   * Books the keeper's receipts for this market. `pricesWad` maps collateral address (lowercase) to the price the
   * oracle published for this step, and `decimals` its token decimals.
   */
  record(
    receipts: readonly Receipt[],
    sent: ReadonlyMap<Hex, { market: Address; action: KeeperAction }>,
    pricesWad: ReadonlyMap<string, bigint>,
    decimals: ReadonlyMap<string, number>,
  ): void {
    const mine = this.market.toLowerCase();
    for (const r of receipts) {
      const tx = sent.get(r.transactionHash);
      if (!tx || tx.market.toLowerCase() !== mine) continue;
      const gas = BigInt(r.gasUsed);
      this.keeperGas += gas;
      this.gasByAction[tx.action] += gas;
      this.txsByAction[tx.action] += 1;
      if (r.status !== "0x1") {
        this.revertedTxs += 1;
        continue;
      }
      const pendingBadDebt: { account: Address; badDebtUsd: number }[] = [];
      for (const log of r.logs) {
        if (log.address.toLowerCase() !== mine) continue;
        let event;
        try {
          event = decodeEventLog({ abi: eventsLibAbi, data: log.data, topics: log.topics as [Hex, ...Hex[]] });
        } catch {
          continue; // ERC-20 transfers and other events not in EventsLib
        }
        if (event.eventName === "Liquidated") {
          const { account, collateral, zone, repaid, seized, bonus, healthBefore, healthAfter } = event.args;
          const key = collateral.toLowerCase();
          const price = pricesWad.get(key);
          const dec = decimals.get(key);
          if (price === undefined || dec === undefined) throw new Error(`no price for collateral ${collateral}`);
          const valueUsd = Number((seized * price) / 10n ** BigInt(dec)) / WAD;
          const repaidUsd = Number(repaid) / 10 ** this.loanDecimals;
          this.liquidations.push({
            account,
            zone,
            valueUsd,
            repaidUsd,
            penaltyUsd: valueUsd - repaidUsd,
            bonus: Number(bonus) / WAD,
            healthBefore: Number(healthBefore) / WAD,
            // type(uint256).max after a bad-debt write-off
            healthAfter: healthAfter > 10n ** 30n ? Infinity : Number(healthAfter) / WAD,
          });
        } else if (event.eventName === "BadDebt") {
          this.badDebtEvents += 1;
          this.badDebtUsd += Number(event.args.badDebt) / 10 ** this.loanDecimals;
          this.badDebtSocialisedUsd += Number(event.args.socialised) / 10 ** this.loanDecimals;
          // The market writes the debt off before it emits the Liquidated event of the same transaction, so the
          // liquidation is attached once the whole receipt has been read.
          pendingBadDebt.push({ account: event.args.account, badDebtUsd: Number(event.args.badDebt) / 10 ** this.loanDecimals });
        } else if (event.eventName === "Flagged") {
          this.flagEvents += 1;
        } else if (event.eventName === "Unflagged") {
          this.unflagEvents += 1;
        }
      }
      for (const bad of pendingBadDebt) {
        const last = [...this.liquidations].reverse().find((l) => l.account === bad.account);
        this.badDebtCases.push({
          ...bad,
          lastLiquidationZone: last?.zone ?? null,
          lastLiquidationHealthBefore: last?.healthBefore ?? null,
        });
      }
    }
  }

  summary(extra: { positionsFullyClosed: number; borrowers: number; collateralUsdAtStart: number }) {
    const sizes = this.liquidations.map((l) => l.valueUsd).sort((a, b) => a - b);
    const volume = sizes.reduce((s, x) => s + x, 0);
    const median =
      sizes.length === 0
        ? 0
        : sizes.length % 2 === 1
          ? sizes[(sizes.length - 1) / 2]!
          : (sizes[sizes.length / 2 - 1]! + sizes[sizes.length / 2]!) / 2;
    const penalties = this.liquidations.reduce((s, l) => s + l.penaltyUsd, 0);
    const soft = this.liquidations.filter((l) => l.zone === 1);
    const hard = this.liquidations.filter((l) => l.zone === 2);
    const hardHealth = hard.map((l) => l.healthBefore).sort((a, b) => a - b);
    return {
      liquidatedVolumeUsd: volume,
      liquidationTxs: this.liquidations.length,
      softSlices: soft.length,
      hardLiquidations: hard.length,
      softVolumeUsd: soft.reduce((s, l) => s + l.valueUsd, 0),
      hardVolumeUsd: hard.reduce((s, l) => s + l.valueUsd, 0),
      meanLiquidationUsd: sizes.length === 0 ? 0 : volume / sizes.length,
      medianLiquidationUsd: median,
      penaltiesUsd: penalties,
      penaltyShareOfStartCollateral: penalties / extra.collateralUsdAtStart,
      debtRepaidUsd: this.liquidations.reduce((s, l) => s + l.repaidUsd, 0),
      borrowersLiquidated: new Set(this.liquidations.map((l) => l.account)).size,
      positionsFullyClosed: extra.positionsFullyClosed,
      badDebtUsd: this.badDebtUsd,
      badDebtSocialisedUsd: this.badDebtSocialisedUsd,
      badDebtEvents: this.badDebtEvents,
      badDebtCases: this.badDebtCases,
      /** Health factor just before each hard liquidation: how deep accounts were when the hard zone caught them. */
      hardLiquidationHealthBefore:
        hardHealth.length === 0
          ? null
          : { min: hardHealth[0]!, median: hardHealth[Math.floor(hardHealth.length / 2)]!, max: hardHealth[hardHealth.length - 1]! },
      keeperGas: Number(this.keeperGas),
      keeperGasByAction: Object.fromEntries(Object.entries(this.gasByAction).map(([k, v]) => [k, Number(v)])),
      keeperTxsByAction: { ...this.txsByAction },
      keeperRevertedTxs: this.revertedTxs,
      flags: this.flagEvents,
      unflags: this.unflagEvents,
    };
  }
}

export type ModeSummary = ReturnType<ModeMetrics["summary"]>;
