import { formatUnits } from "viem";

export type AmountResult = { ok: true; value: bigint } | { ok: false; message: string };

const NUMBER = /^\d*\.?\d*$/;

/**
 * Parses what a borrower typed into token base units, exactly (no floating point). Every refusal says what to fix.
 * Accepts "1", "1.5", ".5", "1." and a comma as the decimal mark; rejects signs, exponents and other text.
 */
export function parseAmount(input: string, decimals: number, symbol: string): AmountResult {
  const text = input.trim().replace(",", ".");
  if (text === "") return { ok: false, message: "Enter an amount." };
  if (/^-/.test(text)) return { ok: false, message: "The amount cannot be negative." };
  if (!NUMBER.test(text) || text === ".") return { ok: false, message: "Enter a number, like 1.5." };
  const [whole = "", fraction = ""] = text.split(".");
  if (fraction.length > decimals) {
    return {
      ok: false,
      message:
        decimals === 0
          ? `${symbol} has no decimals: enter a whole number.`
          : `${symbol} has ${decimals} decimals: use at most ${decimals} digits after the point.`,
    };
  }
  const value = BigInt((whole || "0") + fraction.padEnd(decimals, "0"));
  if (value === 0n) return { ok: false, message: "Enter an amount greater than zero." };
  return { ok: true, value };
}

/** Formats base units for display, keeping at most `maxFraction` digits and no trailing zeros. */
export function formatAmount(value: bigint, decimals: number, maxFraction = 6): string {
  const text = formatUnits(value, decimals);
  const [whole = "0", fraction = ""] = text.split(".");
  const cut = fraction.slice(0, maxFraction).replace(/0+$/, "");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return cut ? `${grouped}.${cut}` : grouped;
}

/** Base units as a plain decimal string that `parseAmount` reads back exactly (for "max" buttons). */
export function toInputString(value: bigint, decimals: number): string {
  const text = formatUnits(value, decimals);
  return text.includes(".") ? text.replace(/0+$/, "").replace(/\.$/, "") : text;
}
