/**
 * A decoder for `SoftLandingLens.getPositions` return data, specialised for the keeper's hot path.
 *
 * viem's generic decoder checksums every address (a keccak each) and walks the ABI per field; at 10,000 accounts
 * per block that alone costs most of a second. This one reads the fixed layout directly and reuses the addresses
 * the keeper asked for. `decode-positions.test.ts` pins it to viem's decoder over the generated ABI, so a change
 * to the Lens struct fails the test instead of silently misreading.
 */
import type { Address, Hex } from "viem";
import type { AccountSummary, PositionsView } from "./decide";

const WORD = 64; // hex chars per 32-byte word

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
    };
  }
  return { blockNumber: bigAt(base), timestamp: bigAt(base + 1), loanPrice: bigAt(base + 2), collateralPrices, accounts, collateralLastPrices };
}
