/**
 * Risk parameters as the market's ABI defines them, so a field added to `RiskParams` needs no change here: the keys
 * come from the `riskParams()` output in `lib/chain/abis.ts`; integer fields narrower than 64 bits (durations such
 * as `gracePeriod`, `sliceInterval`) are whole numbers, 64 bits and wider are WAD ratios given as decimals
 * (`sliceCap=0.05`), and booleans are `true`/`false`.
 */
import { getAbiItem } from "viem";
import { softLandingMarketAbi } from "../../lib/chain/abis";

interface AbiField {
  name: string;
  type: string;
}

const riskParamsItem = getAbiItem({ abi: softLandingMarketAbi, name: "riskParams" }) as unknown as {
  outputs: readonly { components?: readonly AbiField[] }[];
};

/** Every field of the market's `RiskParams`, in ABI order. */
export const RISK_FIELDS: readonly AbiField[] = riskParamsItem.outputs[0]?.components ?? [];
export const RISK_PARAM_KEYS: readonly string[] = RISK_FIELDS.map((f) => f.name);

export type RiskKind = "wad" | "integer" | "bool";

export function riskKind(key: string): RiskKind | undefined {
  const field = RISK_FIELDS.find((f) => f.name === key);
  if (!field) return undefined;
  if (field.type === "bool") return "bool";
  const bits = /^u?int(\d+)$/.exec(field.type);
  return bits && Number(bits[1]) < 64 ? "integer" : "wad";
}

/** The risk parameters as viem decodes and encodes them (bigint for >= 64-bit integers, number below). */
export type RiskParamsValue = Record<string, bigint | number | boolean>;
/** Overrides as the command line gives them: decimals for WAD fields, whole numbers, booleans. */
export type RiskOverrides = Record<string, number | boolean>;

/** Parses `KEY=VALUE` items; throws a message naming the flag, the key and the rule. */
export function parseRiskOverrides(flag: string, items: readonly string[] | undefined): RiskOverrides {
  const out: RiskOverrides = {};
  for (const item of items ?? []) {
    const match = /^([A-Za-z][A-Za-z0-9]*)=(.+)$/.exec(item);
    if (!match) throw new Error(`--${flag} expects KEY=VALUE, got "${item}"`);
    const [, key, raw] = match as unknown as [string, string, string];
    const kind = riskKind(key);
    if (!kind) throw new Error(`--${flag}: unknown key "${key}"; the market's RiskParams has ${RISK_PARAM_KEYS.join(", ")}`);
    if (kind === "bool") {
      if (raw !== "true" && raw !== "false") throw new Error(`--${flag}: ${key} must be true or false, got "${raw}"`);
      out[key] = raw === "true";
      continue;
    }
    const value = Number(raw);
    if (kind === "integer" && (!Number.isInteger(value) || value < 0 || value > 2 ** 32 - 1)) {
      throw new Error(`--${flag}: ${key} must be a whole number (seconds for durations), got "${raw}"`);
    }
    if (kind === "wad" && (!Number.isFinite(value) || value < 0 || value > 1000)) {
      throw new Error(`--${flag}: ${key} must be a decimal ratio such as 0.05, got "${raw}"`);
    }
    if (kind === "wad" && Math.abs(value * 1e6 - Math.round(value * 1e6)) > 1e-6) {
      throw new Error(`--${flag}: ${key} must be a whole number of millionths (the market stores ratios so), got "${raw}"`);
    }
    out[key] = value;
  }
  return out;
}

/** `params` with `overrides` applied, in the types `setRiskParams` expects. Unknown keys are ignored (see `unknownKeys`). */
export function applyRiskOverrides(params: RiskParamsValue, overrides: RiskOverrides): RiskParamsValue {
  const out: RiskParamsValue = { ...params };
  for (const [key, value] of Object.entries(overrides)) {
    const kind = riskKind(key);
    if (kind === "bool") out[key] = Boolean(value);
    else if (kind === "integer") out[key] = Number(value);
    else if (kind === "wad") out[key] = BigInt(Math.round(Number(value) * 1e6)) * 10n ** 12n; // whole millionths
  }
  return out;
}

export function unknownKeys(overrides: RiskOverrides): string[] {
  return Object.keys(overrides).filter((k) => !riskKind(k));
}

/** For reports: WAD fields as decimals, the rest as they are. */
export function readableRisk(params: RiskParamsValue): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const key of RISK_PARAM_KEYS) {
    const value = params[key];
    if (value === undefined) continue;
    out[key] = riskKind(key) === "wad" ? Number(value) / 1e18 : typeof value === "bigint" ? Number(value) : value;
  }
  return out;
}
