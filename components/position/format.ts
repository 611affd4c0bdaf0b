/**
 * Display formatting only (bigint fixed point → text). No risk math here: every number shown comes from the lens
 * or from lib/risk; these helpers just print it.
 */
import { formatUnits } from "viem";

const WAD_DECIMALS = 18;
const MAX_UINT256 = 2n ** 256n - 1n;

/** Truncates (never rounds up) a fixed-point value to `places` decimals, so 0.99996 prints 0.9999, not 1.0000. */
export function truncate(value: bigint, decimals: number, places: number): string {
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const unit = 10n ** BigInt(decimals);
  const whole = abs / unit;
  if (places === 0) return `${negative ? "-" : ""}${whole}`;
  const fraction = ((abs % unit) * 10n ** BigInt(places)) / unit;
  return `${negative ? "-" : ""}${whole}.${fraction.toString().padStart(places, "0")}`;
}

/** Decimals the health factor is shown with (tests compare against on-chain HF at this precision). */
export const HF_DECIMALS = 3;

/** Health factor, truncated; "∞" without debt. */
export function formatHealth(hf: bigint): string {
  if (hf >= MAX_UINT256 / 2n) return "∞";
  return truncate(hf, WAD_DECIMALS, HF_DECIMALS);
}

function groupThousands(text: string): string {
  const [whole = "0", fraction] = text.split(".");
  const negative = whole.startsWith("-");
  const digits = negative ? whole.slice(1) : whole;
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${negative ? "-" : ""}${grouped}${fraction !== undefined ? `.${fraction}` : ""}`;
}

/** A WAD ratio such as a health threshold: 0.95e18 → "0.95". */
export function formatRatio(wad: bigint, places = 2): string {
  return truncate(wad, WAD_DECIMALS, places);
}

/** USD from a WAD value: "$12,345.67". */
export function formatUsd(wad: bigint, places = 2): string {
  const negative = wad < 0n;
  return `${negative ? "-" : ""}$${groupThousands(truncate(negative ? -wad : wad, WAD_DECIMALS, places))}`;
}

/** A price in USD per whole token with sensible precision for its size. */
export function formatPrice(wad: bigint): string {
  const places = wad >= 1000n * 10n ** 18n ? 2 : wad >= 10n ** 18n ? 3 : 4;
  return formatUsd(wad, places);
}

/** A token amount in base units: up to `maxPlaces` decimals, trailing zeros dropped. */
export function formatAmount(amount: bigint, decimals: number, maxPlaces = 4): string {
  const text = truncate(amount, decimals, Math.min(maxPlaces, decimals));
  const trimmed = text.includes(".") ? text.replace(/0+$/, "").replace(/\.$/, "") : text;
  return groupThousands(trimmed);
}

/** A WAD ratio as a percentage: 0.85e18 → "85%". */
export function formatPercent(wad: bigint, places = 2): string {
  const text = truncate(wad * 100n, WAD_DECIMALS, places);
  const trimmed = text.includes(".") ? text.replace(/0+$/, "").replace(/\.$/, "") : text;
  return `${trimmed}%`;
}

/** WAD → JS number for charts and sliders (display only; precision loss past 15 digits is irrelevant there). */
export function wadToNumber(wad: bigint): number {
  return Number(formatUnits(wad, WAD_DECIMALS));
}

/** Seconds → "9 min 05 s", "1 h 02 min", "0 s". */
export function formatDuration(seconds: bigint | number): string {
  const s = Math.max(0, Math.floor(Number(seconds)));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (h > 0) return `${h} h ${String(m).padStart(2, "0")} min`;
  if (m > 0) return `${m} min ${String(sec).padStart(2, "0")} s`;
  return `${sec} s`;
}

export function shortAddress(address: string): string {
  return `${address.slice(0, 6)}…${address.slice(-4)}`;
}
