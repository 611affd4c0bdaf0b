"use client";

import { useSyncExternalStore } from "react";
import { DEFAULT_SOFT_CHANCE } from "@/lib/risk";

/** Volatility assumptions a borrower can pick: multiples of the assumed volatilities (lib/risk ASSUMED_VOLATILITY). */
export const VOLATILITY_PRESETS = {
  calm: { label: "Calm (×0.6)", factor: 0.6 },
  normal: { label: "Typical", factor: 1 },
  stressed: { label: "Stressed (×1.6)", factor: 1.6 },
} as const;
export type VolatilityPreset = keyof typeof VOLATILITY_PRESETS;

/** The chances of SOFT within 7 days a borrower may choose to stay under. */
export const SOFT_CHANCE_CHOICES = [0.01, 0.02, 0.05, 0.1, 0.2] as const;

export interface RiskPreferences {
  /** Keep the 7-day chance of entering SOFT under this. */
  readonly softChance: number;
  readonly volatility: VolatilityPreset;
}

const DEFAULTS: RiskPreferences = { softChance: DEFAULT_SOFT_CHANCE, volatility: "normal" };
const STORAGE_KEY = "soft-landing:risk-preferences";

/** Reads stored preferences, keeping only values the app offers (a hand-edited or old entry falls back to defaults). */
export function parsePreferences(raw: string | null): RiskPreferences {
  if (!raw) return DEFAULTS;
  try {
    const data = JSON.parse(raw) as Partial<Record<keyof RiskPreferences, unknown>>;
    const softChance = (SOFT_CHANCE_CHOICES as readonly number[]).includes(data.softChance as number) ? (data.softChance as number) : DEFAULTS.softChance;
    const volatility = typeof data.volatility === "string" && data.volatility in VOLATILITY_PRESETS ? (data.volatility as VolatilityPreset) : DEFAULTS.volatility;
    return { softChance, volatility };
  } catch {
    return DEFAULTS;
  }
}

let current: RiskPreferences | null = null;
const listeners = new Set<() => void>();

function read(): RiskPreferences {
  if (current) return current;
  try {
    current = parsePreferences(window.localStorage.getItem(STORAGE_KEY));
  } catch {
    current = DEFAULTS; // storage blocked (private mode, sandboxed frame): defaults for this page
  }
  return current;
}

export function setRiskPreferences(change: Partial<RiskPreferences>): void {
  current = { ...read(), ...change };
  try {
    window.localStorage.setItem(STORAGE_KEY, JSON.stringify(current));
  } catch {
    // not persisted; this page still follows the choice
  }
  for (const l of listeners) l();
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  const onStorage = (e: StorageEvent) => {
    if (e.key === STORAGE_KEY) {
      current = parsePreferences(e.newValue);
      listener();
    }
  };
  window.addEventListener("storage", onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener("storage", onStorage);
  };
}

/** The borrower's risk preferences, shared by the forecast, the advice and every "Max safe", kept across visits. */
export function useRiskPreferences(): RiskPreferences {
  return useSyncExternalStore(subscribe, read, () => DEFAULTS);
}
