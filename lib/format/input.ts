/**
 * Amount fields: what a borrower types ↔ token base units. Parsing is lib/risk's (exact, no floating point, "," and
 * "_" as thousands separators); this module only words its verdicts, naming the token.
 */
import { parseAmount as parseTokenAmount } from "../risk/actions";
import { truncate } from "./number";

export type AmountResult = { ok: true; value: bigint } | { ok: false; message: string };

/** Parses a typed amount into base units. Zero is refused: no action takes a zero amount. */
export function parseAmount(input: string, decimals: number, symbol: string): AmountResult {
  // "7." is a number a person types on the way to "7.5"; lib/risk's parser (dnum) throws on it, so it is trimmed here.
  const text = input.trim().replace(/^(\d+)\.$/, "$1");
  let parsed: ReturnType<typeof parseTokenAmount>;
  try {
    parsed = parseTokenAmount(text, decimals);
  } catch {
    return { ok: false, message: "Enter a number, like 1.5." };
  }
  if (!parsed.ok) {
    switch (parsed.reason) {
      case "NOT_A_NUMBER":
        return { ok: false, message: "Enter a number, like 1.5." };
      case "TOO_MANY_DECIMALS":
        return {
          ok: false,
          message:
            decimals === 0
              ? `${symbol} has no decimals: enter a whole number.`
              : `${symbol} has ${decimals} decimals: use at most ${decimals} digits after the point.`,
        };
      default:
        return { ok: false, message: parsed.message };
    }
  }
  if (parsed.amount === 0n) return { ok: false, message: "Enter an amount greater than zero." };
  return { ok: true, value: parsed.amount };
}

/** Base units as a plain decimal string that `parseAmount` reads back exactly (for "max" buttons): no grouping. */
export function toInputString(value: bigint, decimals: number): string {
  const text = truncate(value, decimals, decimals);
  return text.includes(".") ? text.replace(/0+$/, "").replace(/\.$/, "") : text;
}
