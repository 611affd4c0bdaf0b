"use client";

import { useSyncExternalStore } from "react";

type Theme = "light" | "dark";

const listeners = new Set<() => void>();

function currentTheme(): Theme {
  const set = document.documentElement.dataset.theme;
  if (set === "light" || set === "dark") return set;
  return window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Switches between light and dark; the choice is remembered, the OS preference is the default. */
export function ThemeToggle() {
  const theme = useSyncExternalStore<Theme | null>(subscribe, currentTheme, () => null);
  const next: Theme = theme === "dark" ? "light" : "dark";
  return (
    <button
      type="button"
      onClick={() => {
        document.documentElement.dataset.theme = next;
        try {
          localStorage.setItem("theme", next);
        } catch {
          // Private mode: the choice lasts for this page only.
        }
        listeners.forEach((l) => l());
      }}
      className="inline-flex h-9 w-24 items-center justify-center rounded-md border border-border bg-card text-sm text-fg hover:border-accent"
      aria-label={theme ? `Switch to ${next} theme` : "Toggle colour theme"}
    >
      {theme === null ? "Theme" : theme === "dark" ? "☀ Light" : "☾ Dark"}
    </button>
  );
}
