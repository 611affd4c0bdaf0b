"use client";

import { useSyncExternalStore } from "react";
import type { Hash } from "viem";
import type { TxPhase } from "@/lib/chain/write";

export interface Toast {
  id: number;
  title: string;
  phase: TxPhase;
  detail?: string;
  hash?: Hash;
}

type Listener = () => void;

let toasts: readonly Toast[] = [];
const listeners = new Set<Listener>();
let nextId = 1;
const timers = new Map<number, ReturnType<typeof setTimeout>>();

/** How long a finished toast stays; failures stay until dismissed (they explain what to fix). */
const CONFIRMED_TOAST_MS = 6_000;

function emit() {
  for (const listener of listeners) listener();
}

export function showToast(toast: Omit<Toast, "id">): number {
  const id = nextId++;
  toasts = [...toasts, { ...toast, id }].slice(-4);
  emit();
  scheduleDismiss(id, toast.phase);
  return id;
}

export function updateToast(id: number, patch: Partial<Omit<Toast, "id">>) {
  if (!toasts.some((t) => t.id === id)) {
    showToast({ title: patch.title ?? "", phase: patch.phase ?? "pending", ...patch });
    return;
  }
  toasts = toasts.map((t) => (t.id === id ? { ...t, ...patch } : t));
  emit();
  if (patch.phase) scheduleDismiss(id, patch.phase);
}

export function dismissToast(id: number) {
  toasts = toasts.filter((t) => t.id !== id);
  const timer = timers.get(id);
  if (timer) clearTimeout(timer);
  timers.delete(id);
  emit();
}

function scheduleDismiss(id: number, phase: TxPhase) {
  const old = timers.get(id);
  if (old) clearTimeout(old);
  timers.delete(id);
  if (phase === "confirmed") timers.set(id, setTimeout(() => dismissToast(id), CONFIRMED_TOAST_MS));
}

function subscribe(listener: Listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const EMPTY: readonly Toast[] = [];

export function useToasts(): readonly Toast[] {
  return useSyncExternalStore(subscribe, () => toasts, () => EMPTY);
}

const PHASE_TEXT: Record<TxPhase, string> = {
  signing: "Sign in your wallet…",
  wallet: "Confirm in your wallet…",
  pending: "Pending…",
  confirmed: "Confirmed",
  failed: "Failed",
};

const PHASE_STYLE: Record<TxPhase, string> = {
  signing: "border-border",
  wallet: "border-border",
  pending: "border-accent",
  confirmed: "border-healthy",
  failed: "border-hard",
};

/** The transaction lifecycle toasts, announced to screen readers as they change. Mounted once, by ConnectButton. */
export function Toaster() {
  const list = useToasts();
  return (
    <div
      aria-live="polite"
      className="pointer-events-none fixed bottom-4 right-4 z-50 flex w-[min(24rem,calc(100vw-2rem))] flex-col gap-2"
    >
      {list.map((toast) => (
        <div
          key={toast.id}
          role={toast.phase === "failed" ? "alert" : "status"}
          data-testid="tx-toast"
          data-phase={toast.phase}
          className={`pointer-events-auto rounded-lg border-l-4 bg-card p-3 text-sm shadow-lg ring-1 ring-border ${PHASE_STYLE[toast.phase]}`}
        >
          <div className="flex items-start justify-between gap-2">
            <p className="font-medium">{toast.title}</p>
            <button
              type="button"
              onClick={() => dismissToast(toast.id)}
              className="-mr-1 -mt-1 rounded px-1 text-muted hover:text-fg"
              aria-label="Dismiss"
            >
              ×
            </button>
          </div>
          <p className={toast.phase === "failed" ? "text-hard" : "text-muted"}>
            {toast.phase === "failed" && toast.detail ? toast.detail : PHASE_TEXT[toast.phase]}
          </p>
          {toast.hash && (
            <p className="mt-1 truncate font-mono text-xs text-muted" title={toast.hash}>
              tx {toast.hash.slice(0, 10)}…{toast.hash.slice(-6)}
            </p>
          )}
        </div>
      ))}
    </div>
  );
}
