/**
 * The lens's many-account read (`SoftLandingLens.getPositions`) and the bridge from its views to the risk engine's
 * snapshot: shared by the keeper (which acts on it) and the watcher (which alerts on it and maps the market).
 */
import type { Address, ContractFunctionReturnType, Hex } from "viem";
import { WAD, collateralValue, health, type PositionSnapshot } from "../risk";
import type { softLandingLensAbi } from "./abis";

export type MarketView = ContractFunctionReturnType<typeof softLandingLensAbi, "view", "getMarket">;
export type PositionsView = ContractFunctionReturnType<typeof softLandingLensAbi, "view", "getPositions">;
export type AccountSummary = PositionsView["accounts"][number];

/**
 * Builds the risk engine's position snapshot from a market view and one account summary (both read at one block).
 * The summary carries no scaled debt; nothing the keeper decides reads it, so it is derived from the debt.
 * The market view supplies parameters and collateral configuration only: prices, block and time are the batch's.
 */
export function snapshotOf(market: MarketView, prices: PositionsView, summary: AccountSummary): PositionSnapshot {
  // Prices come from the batch: fresh ones (0 for a stale or invalid feed; the oracle never returns 0) decide what
  // can be seized, the last valid ones value everything else, as `flag` and `liquidate` do (docs/liquidation.md R7).
  const collaterals = market.collaterals.map((c, i) => {
    const balance = summary.balances[i] ?? 0n;
    const fresh = prices.collateralPrices[i] ?? 0n;
    const priceOk = fresh !== 0n;
    const price = priceOk ? fresh : (prices.collateralLastPrices[i] ?? 0n);
    return { ...c, price, priceOk, balance, value: priceOk && balance !== 0n ? collateralValue(balance, price, c.decimals) : 0n };
  });
  const base: PositionSnapshot = {
    market: { ...market, collaterals, loanPrice: prices.loanPrice, loanPriceOk: prices.loanPrice !== 0n, timestamp: prices.timestamp },
    account: summary.account,
    debt: summary.debt,
    scaledDebt: market.borrowIndex === 0n ? 0n : (summary.debt * WAD) / market.borrowIndex,
    debtValue: 0n,
    collateralValue: 0n,
    collateralPower: 0n,
    borrowPower: 0n,
    healthFactor: 0n,
    healthOk: summary.healthOk,
    zone: 0,
    flaggedAt: summary.flaggedAt,
    lastSliceAt: summary.lastSliceAt,
    policy: summary.policy,
    policyVersion: summary.policyVersion,
    blockNumber: prices.blockNumber,
    timestamp: prices.timestamp,
  };
  const h = health(base);
  return {
    ...base,
    debtValue: h.debtValue,
    collateralValue: h.collateralValue,
    collateralPower: h.collateralPower,
    borrowPower: h.borrowPower,
    healthFactor: h.healthFactor,
    healthOk: h.ok,
    zone: h.zone,
  };
}

const WORD = 64; // hex chars per 32-byte word

/**
 * A decoder for `SoftLandingLens.getPositions` return data, specialised for the hot path (keeper and watcher).
 *
 * viem's generic decoder checksums every address (a keccak each) and walks the ABI per field; at 10,000 accounts
 * per block that alone costs most of a second. This one reads the fixed layout directly and reuses the addresses
 * the keeper asked for. `decode-positions.test.ts` pins it to viem's decoder over the generated ABI, so a change
 * to the Lens struct fails the test instead of silently misreading.
 */
export function decodePositionsView(data: Hex, requested: readonly Address[]): PositionsView {
  const hex = data.startsWith("0x") ? data.slice(2) : data;
  const words = hex.length / WORD;
  if (!Number.isInteger(words) || words < 1) throw new Error(`getPositions returned ${hex.length / 2} bytes, not whole words`);

  const bigAt = (word: number): bigint => {
    if (word >= words) throw new Error("getPositions result is truncated");
    return BigInt(`0x${hex.slice(word * WORD, (word + 1) * WORD)}`);
  };
  /** Small integers (offsets, lengths, bools, enums): the high bytes must be zero. */
  const intAt = (word: number): number => {
    if (word >= words) throw new Error("getPositions result is truncated");
    const start = word * WORD;
    for (let i = start; i < start + WORD - 12; i++) if (hex.charCodeAt(i) !== 48) throw new Error("getPositions: integer out of range");
    return parseInt(hex.slice(start + WORD - 12, start + WORD), 16);
  };
  const offsetWord = (baseWord: number, word: number): number => {
    const bytes = intAt(word);
    if (bytes % 32 !== 0) throw new Error("getPositions: unaligned offset");
    return baseWord + bytes / 32;
  };

  const base = offsetWord(0, 0);
  const pricesAt = offsetWord(base, base + 3);
  const accountsAt = offsetWord(base, base + 4);
  const lastPricesAt = offsetWord(base, base + 5);

  const priceCount = intAt(pricesAt);
  const collateralPrices: bigint[] = new Array(priceCount);
  for (let i = 0; i < priceCount; i++) collateralPrices[i] = bigAt(pricesAt + 1 + i);
  const lastCount = intAt(lastPricesAt);
  const collateralLastPrices: bigint[] = new Array(lastCount);
  for (let i = 0; i < lastCount; i++) collateralLastPrices[i] = bigAt(lastPricesAt + 1 + i);

  const count = intAt(accountsAt);
  if (count !== requested.length) throw new Error(`getPositions returned ${count} accounts for ${requested.length} requested`);
  const elements = accountsAt + 1;
  const accounts: AccountSummary[] = new Array(count);
  for (let k = 0; k < count; k++) {
    const at = offsetWord(elements, elements + k);
    const balancesAt = offsetWord(at, at + 7);
    const n = intAt(balancesAt);
    const balances: bigint[] = new Array(n);
    for (let i = 0; i < n; i++) balances[i] = bigAt(balancesAt + 1 + i);
    const account = requested[k]!;
    if (hex.slice(at * WORD + 24, (at + 1) * WORD).toLowerCase() !== account.slice(2).toLowerCase()) {
      throw new Error(`getPositions returned account ${k} out of order`);
    }
    accounts[k] = {
      account,
      debt: bigAt(at + 1),
      healthFactor: bigAt(at + 2),
      healthOk: intAt(at + 3) === 1,
      zone: intAt(at + 4),
      flaggedAt: bigAt(at + 5),
      lastSliceAt: bigAt(at + 6),
      balances,
      // DeleveragePolicy is all static words, so it sits inline in the tuple's head, after the balances' offset.
      policy: { triggerHealth: bigAt(at + 8), targetHealth: bigAt(at + 9), maxBonus: bigAt(at + 10), maxShare: bigAt(at + 11) },
      policyVersion: bigAt(at + 12),
    };
  }
  return { blockNumber: bigAt(base), timestamp: bigAt(base + 1), loanPrice: bigAt(base + 2), collateralPrices, accounts, collateralLastPrices };
}
