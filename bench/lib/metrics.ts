import { decodeEventLog, type Address, type Hex } from "viem";
import { eventsLibAbi } from "../../lib/chain/abis";
import type { ActionKind } from "../../keeper";
import type { Receipt } from "./chain";

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
  /** Gas the liquidation used, and the ETH price (USD) of that moment, for its cost at a stated gas price. */
  gasUsed: number;
  ethUsd: number;
}

/** Gas prices (gwei) at which liquidator profit net of gas is reported. */
export interface GasPrices {
  l1Gwei: number;
  l2Gwei: number;
}

export interface BadDebtCase {
  account: Address;
  badDebtUsd: number;
  /** Zone and health before the liquidation that took the last collateral. */
  lastLiquidationZone: number | null;
  lastLiquidationHealthBefore: number | null;
}

/** One execution of a borrower's deleverage policy (docs/liquidation.md R9). */
export interface DeleverageRecord {
  account: Address;
  valueUsd: number;
  repaidUsd: number;
  /** The automation bonus the borrower paid: seized value − repaid value, USD. */
  bonusUsd: number;
}

/** Everything one market's keeper did and what it cost borrowers and lenders. */
export class ModeMetrics {
  readonly liquidations: LiquidationRecord[] = [];
  readonly deleverages: DeleverageRecord[] = [];
  /** What the borrowers did themselves, answering alerts (bench/lib/borrowers.ts). */
  readonly borrowerActions = { topUps: 0, topUpUsd: 0, repays: 0, repayUsd: 0, alertsLow: 0, alertsUnderwater: 0, policies: 0, defaultPolicies: 0 };
  keeperGas = 0n;
  readonly gasByAction: Record<ActionKind, bigint> = { flag: 0n, unflag: 0n, softSlice: 0n, hardLiquidation: 0n, deleverage: 0n };
  readonly txsByAction: Record<ActionKind, number> = { flag: 0, unflag: 0, softSlice: 0, hardLiquidation: 0, deleverage: 0 };
  revertedTxs = 0;
  /** Σ gas × ETH price (USD) of the keeper's transactions that earn no bonus (flags, unflags, reverted ones). */
  overheadGasEth = 0;
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
    sent: ReadonlyMap<Hex, { market: Address; action: ActionKind }>,
    pricesWad: ReadonlyMap<string, bigint>,
    decimals: ReadonlyMap<string, number>,
    ethUsd: number,
  ): void {
    const mine = this.market.toLowerCase();
    /** USD value of `amount` of `collateral` at this step's oracle price. */
    const valueAt = (collateral: Address, amount: bigint): number => {
      const key = collateral.toLowerCase();
      const price = pricesWad.get(key);
      const dec = decimals.get(key);
      if (price === undefined || dec === undefined) throw new Error(`no price for collateral ${collateral}`);
      return Number((amount * price) / 10n ** BigInt(dec)) / WAD;
    };
    for (const r of receipts) {
      const tx = sent.get(r.transactionHash);
      if (!tx || tx.market.toLowerCase() !== mine) continue;
      const gas = BigInt(r.gasUsed);
      this.keeperGas += gas;
      this.gasByAction[tx.action] += gas;
      this.txsByAction[tx.action] += 1;
      if (r.status !== "0x1" || tx.action === "flag" || tx.action === "unflag") this.overheadGasEth += Number(gas) * ethUsd;
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
          const valueUsd = valueAt(collateral, seized);
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
            gasUsed: Number(gas),
            ethUsd,
          });
        } else if (event.eventName === "Deleveraged") {
          const { account, collateral, repaid, seized } = event.args;
          const valueUsd = valueAt(collateral, seized);
          const repaidUsd = Number(repaid) / 10 ** this.loanDecimals;
          this.deleverages.push({ account, valueUsd, repaidUsd, bonusUsd: valueUsd - repaidUsd });
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

  /**
   * Liquidator profit net of gas at `gwei`: each liquidation's bonus (seized value − repaid value) minus its gas at
   * that price and the ETH price of its moment. The keeper's flags, unflags and reverted transactions earn nothing:
   * their gas is reported apart (`overheadUsd`).
   */
  profitAt(gwei: number) {
    const net = this.liquidations.map((l) => ({ zone: l.zone, net: l.penaltyUsd - l.gasUsed * gwei * 1e-9 * l.ethUsd }));
    const of = (zone: number | null) => {
      const list = net.filter((x) => zone === null || x.zone === zone).map((x) => x.net).sort((a, b) => a - b);
      return {
        liquidations: list.length,
        netUsd: list.reduce((s, x) => s + x, 0),
        medianNetUsd: list.length === 0 ? 0 : list[Math.floor(list.length / 2)]!,
        unprofitable: list.filter((x) => x < 0).length,
      };
    };
    return { gwei, all: of(null), softSlices: of(1), hard: of(2), overheadUsd: this.overheadGasEth * gwei * 1e-9 };
  }

  summary(extra: { positionsFullyClosed: number; borrowers: number; collateralUsdAtStart: number; gasPrices: GasPrices }) {
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
      /** Liquidator profit net of gas at the L1 and L2 gas prices. */
      profitL1: this.profitAt(extra.gasPrices.l1Gwei),
      profitL2: this.profitAt(extra.gasPrices.l2Gwei),
      flags: this.flagEvents,
      unflags: this.unflagEvents,
      /** Collateral sold by borrowers' own deleverage policies (not forced), and the bonus they paid for it. */
      automatedVolumeUsd: this.deleverages.reduce((s, d) => s + d.valueUsd, 0),
      automatedRepaidUsd: this.deleverages.reduce((s, d) => s + d.repaidUsd, 0),
      automationBonusUsd: this.deleverages.reduce((s, d) => s + d.bonusUsd, 0),
      deleverageTxs: this.deleverages.length,
      /** Liquidation bonus plus automation bonus: everything borrowers paid over the debt repaid for them. */
      allPenaltiesUsd: penalties + this.deleverages.reduce((s, d) => s + d.bonusUsd, 0),
      borrowerActions: { ...this.borrowerActions },
    };
  }
}

export type ModeSummary = ReturnType<ModeMetrics["summary"]>;
