import { MAX_UINT256, WAD, Zone } from "@/lib/risk";
import { formatAmount } from "./amount";

/** Health factor for people: three decimals, "∞" without debt, "—" when it cannot be computed. */
export function formatHealth(hf: bigint, ok = true): string {
  if (!ok) return "—";
  if (hf === MAX_UINT256) return "∞";
  const thousandths = hf / 10n ** 15n;
  return `${thousandths / 1000n}.${(thousandths % 1000n).toString().padStart(3, "0")}`;
}

export const ZONE_LABEL: Record<Zone, string> = {
  [Zone.HEALTHY]: "Healthy",
  [Zone.SOFT]: "Soft zone",
  [Zone.HARD]: "Hard zone",
};

export const ZONE_CLASS: Record<Zone, string> = {
  [Zone.HEALTHY]: "text-healthy",
  [Zone.SOFT]: "text-soft",
  [Zone.HARD]: "text-hard",
};

/** A WAD USD amount as "$1,234.56". */
export function formatUsd(wad: bigint): string {
  return `$${formatAmount(wad, 18, 2)}`;
}

/** A WAD USD price, with more digits for small prices. */
export function formatPrice(wad: bigint): string {
  return `$${formatAmount(wad, 18, wad < WAD * 10n ? 4 : 2)}`;
}

export function formatDuration(seconds: bigint | number): string {
  const s = Number(seconds);
  if (s <= 0) return "0 s";
  const m = Math.floor(s / 60);
  const rest = s % 60;
  if (m === 0) return `${rest} s`;
  if (m < 60) return `${m} min ${rest.toString().padStart(2, "0")} s`;
  const h = Math.floor(m / 60);
  return `${h} h ${(m % 60).toString().padStart(2, "0")} min`;
}
