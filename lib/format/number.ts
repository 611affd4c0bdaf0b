/**
 * The app's one number formatter: bigint fixed point → text for people. Display only: every number comes from the
 * lens or from lib/risk, these helpers just print it. One set of rules everywhere:
 *
 * - Truncate, never round up: a health factor of 0.9999 prints 0.999 (not 1.000) and a "max" never overstates.
 * - Money is in dollars with cents: "$1,234.50", "-$5.00"; prices keep more digits when they are small
 *   ("$3,150.00", "$995.02", "$0.9998").
 * - Health factors have three decimals ("1.267"), "∞" without debt and "—" when a price is unusable.
 * - Token amounts, ratios and percentages drop trailing zeros ("2", "0.95", "0.5%").
 * - Amounts and money group thousands with commas.
 */
import { MAX_UINT256, WAD } from "../risk/math";

const WAD_DECIMALS = 18;

/** Truncates (never rounds up) a fixed-point value to exactly `places` decimals: 0.99996 → "0.9999". */
export function truncate(value: bigint, decimals: number, places: number): string {
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const unit = 10n ** BigInt(decimals);
  const whole = abs / unit;
  if (places === 0) return `${negative ? "-" : ""}${whole}`;
  const fraction = ((abs % unit) * 10n ** BigInt(places)) / unit;
  return `${negative ? "-" : ""}${whole}.${fraction.toString().padStart(places, "0")}`;
}

function dropTrailingZeros(text: string): string {
  return text.includes(".") ? text.replace(/0+$/, "").replace(/\.$/, "") : text;
}

function groupThousands(text: string): string {
  const [whole = "0", fraction] = text.split(".");
  const negative = whole.startsWith("-");
  const digits = negative ? whole.slice(1) : whole;
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${negative ? "-" : ""}${grouped}${fraction !== undefined ? `.${fraction}` : ""}`;
}

/** Token base units for display: at most `maxPlaces` decimals (never more than the token has), no trailing zeros. */
export function formatAmount(value: bigint, decimals: number, maxPlaces = 6): string {
  return groupThousands(dropTrailingZeros(truncate(value, decimals, Math.min(maxPlaces, decimals))));
}

/**
 * A minimum ("you need at least …") rounded UP to `places` decimals, so it stays true and stops flickering as interest
 * accrues block by block: 0.1234561 WETH at 4 places → 0.1235. Returns base units (what a prefill button submits).
 */
export function ceilToPlaces(value: bigint, decimals: number, places: number): bigint {
  if (places >= decimals || value <= 0n) return value;
  const step = 10n ** BigInt(decimals - places);
  return ((value + step - 1n) / step) * step;
}

/** A maximum rounded DOWN to `places` decimals, so it stays within the limit: 32,099.999999 USDC at 2 → 32,099.99. */
export function floorToPlaces(value: bigint, decimals: number, places: number): bigint {
  if (places >= decimals || value <= 0n) return value;
  const step = 10n ** BigInt(decimals - places);
  return (value / step) * step;
}

/** Places a stable "at least" amount is shown with: cents for the loan asset, 4 decimals for a collateral. */
export function minimumPlaces(decimals: number, isLoan: boolean): number {
  return Math.min(decimals, isLoan ? 2 : 4);
}

/** A probability (0–1, a Monte Carlo estimate) for people: "0%", "< 0.1%", "37.2%", "100%". */
export function formatChance(p: number): string {
  if (!(p > 0)) return "0%";
  if (p < 0.001) return "< 0.1%";
  return `${(Math.min(p, 1) * 100).toFixed(1).replace(/\.0$/, "")}%`;
}

/** Decimals the health factor is shown with (tests compare against on-chain HF at this precision). */
export const HF_DECIMALS = 3;

/** Health factor: three decimals, "∞" without debt, "—" when it cannot be computed (`ok` false: a stale price). */
export function formatHealth(hf: bigint, ok = true): string {
  if (!ok) return "—";
  if (hf >= MAX_UINT256 / 2n) return "∞";
  return truncate(hf, WAD_DECIMALS, HF_DECIMALS);
}

/** USD from a WAD value, with `places` decimals (cents by default): "$12,345.67". */
export function formatUsd(wad: bigint, places = 2): string {
  const negative = wad < 0n;
  return `${negative ? "-" : ""}$${groupThousands(truncate(negative ? -wad : wad, WAD_DECIMALS, places))}`;
}

/** A WAD price in USD per whole token: cents from $1 up ("$3,150.00", "$995.02"), four decimals below ("$0.9998"). */
export function formatPrice(wad: bigint): string {
  return formatUsd(wad, wad >= WAD ? 2 : 4);
}

/** A float dollar figure from a chart (already rounded by the walk): "$13,585", grouped like every other amount. */
export function formatUsdNumber(value: number, places = 0): string {
  const negative = value < 0;
  const text = Math.abs(value).toFixed(places);
  return `${negative ? "-" : ""}$${groupThousands(text)}`;
}

/** A WAD ratio such as a health threshold: 0.95e18 → "0.95" (at most `places` decimals). */
export function formatRatio(wad: bigint, places = 2): string {
  return dropTrailingZeros(truncate(wad, WAD_DECIMALS, places));
}

/**
 * A health someone chose rather than one measured (a protection policy's trigger or target): at least two decimals,
 * at most six (the market stores whole millionths), never rounded: 1.1e18 → "1.10", 1.2345e18 → "1.2345".
 */
export function formatHealthSetting(wad: bigint): string {
  const [whole, fraction = ""] = formatRatio(wad, 6).split(".");
  return `${whole}.${fraction.padEnd(2, "0")}`;
}

/** A WAD ratio as a percentage: 0.85e18 → "85%", 0.005e18 → "0.5%" (at most `places` decimals). */
export function formatPercent(wad: bigint, places = 2): string {
  return `${dropTrailingZeros(truncate(wad * 100n, WAD_DECIMALS, places))}%`;
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

/** "0x90F7…b906". */
export function shortAddress(address: string): string {
  return `${address.slice(0, 6)}…${address.slice(-4)}`;
}

/** WAD → JS number for charts and sliders (display only; precision past 15 digits is irrelevant there). */
export function wadToNumber(wad: bigint): number {
  return Number(truncate(wad, WAD_DECIMALS, WAD_DECIMALS));
}
