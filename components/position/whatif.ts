/**
 * What-if prices kept in the URL (`?WETH=2400&wstETH=3000`): parsing, validation and serialisation. Pure.
 */
import { parseUnits } from "viem";
import { formatPrice } from "@/lib/format/number";

export interface WhatIfCollateral {
  symbol: string;
  /** Live price (WAD). */
  price: bigint;
  /** Units the position holds; a what-if price of a collateral it does not hold changes nothing and is refused. */
  balance?: bigint;
}

/** A what-if price must lie within this factor of the live price either way: a scenario, not a typo. */
export const WHAT_IF_RANGE = 10n;

export interface WhatIfParse {
  /** symbol → what-if price (WAD), only for valid values that differ from nothing in particular. */
  prices: Record<string, bigint>;
  /** Human-readable reasons for ignored parameters, shown on the page. */
  ignored: string[];
}

const DECIMAL = /^\d{1,12}(\.\d{1,18})?$/;

/** Reads what-if prices from search params; unknown keys are left alone (other features may use the URL). */
export function parseWhatIf(
  params: Record<string, string | string[] | undefined>,
  collaterals: readonly WhatIfCollateral[],
): WhatIfParse {
  const prices: Record<string, bigint> = {};
  const ignored: string[] = [];
  for (const { symbol, price: live, balance } of collaterals) {
    const raw = params[symbol];
    if (raw === undefined) continue;
    const value = (Array.isArray(raw) ? raw[0] : raw)?.trim() ?? "";
    if (!DECIMAL.test(value)) {
      ignored.push(`${symbol}=${value || "(empty)"} is not a price in USD (use digits, e.g. ${symbol}=2500).`);
      continue;
    }
    const wad = parseUnits(value, 18);
    if (wad === 0n) {
      ignored.push(`${symbol}=${value}: a price must be above zero.`);
      continue;
    }
    if (balance === 0n) {
      ignored.push(`${symbol}=${value}: this position holds no ${symbol}, so its price changes nothing here.`);
      continue;
    }
    if (live > 0n && (wad * WHAT_IF_RANGE < live || wad > live * WHAT_IF_RANGE)) {
      const [now, low, high] = [live, live / WHAT_IF_RANGE, live * WHAT_IF_RANGE].map(formatPrice);
      ignored.push(`${symbol}=${value} is too far from today's ${now}: use a price between ${low} and ${high}.`);
      continue;
    }
    prices[symbol] = wad;
  }
  return { prices, ignored };
}

/** Plain decimal text of a WAD price for the URL (no trailing zeros, at most 2 decimals). */
export function priceParam(wad: bigint): string {
  const cents = wad / 10n ** 16n;
  const whole = cents / 100n;
  const fraction = cents % 100n;
  return fraction === 0n ? whole.toString() : `${whole}.${fraction.toString().padStart(2, "0").replace(/0$/, "")}`;
}

/** The search string for `prices`, keeping unrelated params of `current` untouched. */
export function whatIfSearch(current: string, collaterals: readonly WhatIfCollateral[], prices: Record<string, bigint>): string {
  const params = new URLSearchParams(current);
  for (const { symbol } of collaterals) {
    const price = prices[symbol];
    if (price === undefined) params.delete(symbol);
    else params.set(symbol, priceParam(price));
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}

/** Slider bounds for a collateral: from 10% to 150% of its live price, in cents. */
export function sliderRange(livePrice: bigint): { min: number; max: number; step: number } {
  const cents = Number(livePrice / 10n ** 16n);
  const step = Math.max(1, Math.round(cents / 400));
  return { min: Math.max(step, Math.round((cents * 0.1) / step) * step), max: Math.round((cents * 1.5) / step) * step, step };
}
