import { getAddress, keccak256, toHex, type Address } from "viem";
import { Prng } from "./prng";

const WAD = 10n ** 18n;

export interface CollateralSpec {
  symbol: string;
  decimals: number;
  /** Liquidation threshold (WAD). */
  lt: bigint;
}

export interface Borrower {
  address: Address;
  /** Token units per collateral symbol. */
  collateral: Record<string, bigint>;
  /** Loan asset units (6 decimals). */
  debt: bigint;
  /** USD value of the collateral at opening prices. */
  collateralUsd: number;
  /** Health factor aimed for at opening (the realised one is a hair above: debt rounds down). */
  targetHealth: number;
}

export interface PopulationOptions {
  count: number;
  seed: number;
  minUsd: number;
  maxUsd: number;
  minHealth: number;
  maxHealth: number;
}

/** Deterministic, key-less borrower addresses (anvil impersonates them). */
export function borrowerAddress(seed: number, index: number): Address {
  return getAddress(keccak256(toHex(`soft-landing-bench:${seed}:${index}`)).slice(0, 42));
}

/**
 * The seeded borrower population: each holds 2 or 3 of the collaterals (random weights, none below ~15%), a total
 * collateral value log-uniform in [minUsd, maxUsd], and debt sized for an opening health uniform in
 * [minHealth, maxHealth]. Health is computed exactly as the market does (values round down).
 * @param pricesWad opening USD price (WAD) per collateral symbol.
 */
export function makePopulation(
  opts: PopulationOptions,
  collaterals: readonly CollateralSpec[],
  pricesWad: Record<string, bigint>,
  loanDecimals: number,
): Borrower[] {
  const rng = new Prng(opts.seed);
  const borrowers: Borrower[] = [];
  for (let i = 0; i < opts.count; i++) {
    const chosen = rng.pick(collaterals, rng.next() < 0.5 ? 2 : 3);
    const usd = Math.exp(rng.uniform(Math.log(opts.minUsd), Math.log(opts.maxUsd)));
    const weights = chosen.map(() => rng.uniform(0.3, 1));
    const weightSum = weights.reduce((s, w) => s + w, 0);
    const targetHealth = rng.uniform(opts.minHealth, opts.maxHealth);

    const collateral: Record<string, bigint> = {};
    let power = 0n;
    chosen.forEach((c, j) => {
      const price = pricesWad[c.symbol];
      if (price === undefined) throw new Error(`no opening price for ${c.symbol}`);
      const valueWad = BigInt(Math.floor((usd * weights[j]!) / weightSum * 1e6)) * 10n ** 12n;
      const amount = (valueWad * 10n ** BigInt(c.decimals)) / price;
      collateral[c.symbol] = amount;
      const value = (amount * price) / 10n ** BigInt(c.decimals);
      power += (value * c.lt) / WAD;
    });
    const healthWad = BigInt(Math.round(targetHealth * 1e6)) * 10n ** 12n;
    // debt value (WAD USD) = power / HF; the loan asset is priced at exactly $1.
    const debtValue = (power * WAD) / healthWad;
    const debt = (debtValue * 10n ** BigInt(loanDecimals)) / WAD;
    borrowers.push({ address: borrowerAddress(opts.seed, i), collateral, debt, collateralUsd: usd, targetHealth });
  }
  return borrowers;
}

/** A borrower's account in the isolated comparator: one collateral backing its own share of the debt. */
export interface IsolatedAccount {
  address: Address;
  /** Index of the borrower in the population. */
  borrower: number;
  symbol: string;
  amount: bigint;
  /** Loan asset units. */
  debt: bigint;
}

/** Deterministic address of borrower `index`'s isolated account for `symbol`. */
export function isolatedAddress(seed: number, index: number, symbol: string): Address {
  return getAddress(keccak256(toHex(`soft-landing-bench:${seed}:${index}:isolated:${symbol}`)).slice(0, 42));
}

/**
 * Splits each borrower into one account per collateral, as the same borrower would hold them in isolated markets
 * (Maker vaults, Morpho Blue or Liquity markets): each account holds one collateral and the share of the debt
 * proportional to that collateral's borrow power (value · LTV at opening prices), so every account uses the same
 * fraction of its borrowing limit. Shares round down; the last account takes the remainder, so the debts add up.
 * @param ltv devnet LTV (WAD) per collateral symbol.
 */
export function splitIsolated(
  population: readonly Borrower[],
  seed: number,
  collaterals: readonly CollateralSpec[],
  ltv: Record<string, bigint>,
  pricesWad: Record<string, bigint>,
): IsolatedAccount[] {
  const decimals = new Map(collaterals.map((c) => [c.symbol, c.decimals]));
  const out: IsolatedAccount[] = [];
  population.forEach((b, index) => {
    const legs = Object.entries(b.collateral).map(([symbol, amount]) => {
      const value = (amount * pricesWad[symbol]!) / 10n ** BigInt(decimals.get(symbol)!);
      return { symbol, amount, power: (value * ltv[symbol]!) / WAD };
    });
    const totalPower = legs.reduce((s, l) => s + l.power, 0n);
    let assigned = 0n;
    legs.forEach((leg, j) => {
      const debt = j === legs.length - 1 ? b.debt - assigned : (b.debt * leg.power) / totalPower;
      assigned += debt;
      out.push({ address: isolatedAddress(seed, index, leg.symbol), borrower: index, symbol: leg.symbol, amount: leg.amount, debt });
    });
  });
  return out;
}
