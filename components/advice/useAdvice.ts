"use client";

import { useEffect, useMemo, useState } from "react";
import { adviceAmounts, adviceQuestion, assumedPathModel, type Advice, type HealthAdvice, type PositionSnapshot } from "@/lib/risk";
import { VOLATILITY_PRESETS, useRiskPreferences, type RiskPreferences } from "./preferences";

type Answer = { advice: HealthAdvice } | { error: string };

/**
 * One worker for the page: the forecast panel, the forms' "Max safe" and the flagged box ask it the same questions.
 * It answers one question at a time, newest first, and skips questions nobody waits for any more: when blocks arrive
 * faster than answers, the queue never grows and the answer on screen is never many blocks old.
 */
let worker: Worker | null = null;
let nextId = 0;
interface Job {
  key: string;
  body: object;
  waiters: Set<(answer: Answer) => void>;
}
const queue = new Map<string, Job>();
/** The one question the worker is answering (it answers one at a time). */
let running: Job | null = null;
/** Answers by question, so the second component asking the same thing gets it at once (bounded: oldest first out). */
const answers = new Map<string, Answer>();

function getWorker(): Worker {
  if (worker) return worker;
  worker = new Worker(new URL("./advice.worker.ts", import.meta.url), { type: "module" });
  worker.onmessage = (e: MessageEvent<{ id: number } & Answer>) => {
    const job = running;
    running = null;
    if (job) finish(job, "advice" in e.data ? { advice: e.data.advice } : { error: e.data.error });
    dispatch();
  };
  worker.onerror = (e) => {
    const job = running;
    running = null;
    worker?.terminate();
    worker = null;
    if (job) finish(job, { error: e.message || "the advice worker failed" });
    dispatch();
  };
  return worker;
}

function finish(job: Job, answer: Answer) {
  answers.set(job.key, answer);
  if (answers.size > 64) answers.delete(answers.keys().next().value!);
  for (const w of job.waiters) w(answer);
}

function dispatch() {
  if (running) return;
  const newest = [...queue.values()].pop();
  if (!newest) return;
  queue.delete(newest.key);
  running = newest;
  getWorker().postMessage({ id: ++nextId, ...newest.body });
}

/** Asks a question; returns a function that withdraws the interest (the question is dropped if nobody else waits). */
function ask(key: string, body: object, onAnswer: (answer: Answer) => void): () => void {
  const known = answers.get(key);
  if (known) {
    onAnswer(known);
    return () => {};
  }
  const job = queue.get(key) ?? (running?.key === key ? running : { key, body, waiters: new Set<(answer: Answer) => void>() });
  job.waiters.add(onAnswer);
  if (job !== running) {
    queue.delete(key); // re-inserted last: the newest question goes first
    queue.set(key, job);
  }
  dispatch();
  return () => {
    job.waiters.delete(onAnswer);
    if (job.waiters.size === 0) queue.delete(key);
  };
}

export type AdviceState =
  | { readonly status: "unavailable"; readonly message: string }
  | { readonly status: "computing"; readonly previous: Advice | null }
  | { readonly status: "ready"; readonly advice: Advice }
  | { readonly status: "failed"; readonly message: string };

/**
 * Advice for a snapshot under the borrower's preferences (or `override`): the chance of SOFT within 7 days, and the
 * smallest top-up or repay, largest borrow or withdrawal, that keep it under their threshold. Worked out in a Web
 * Worker on shared price paths; amounts converted exactly against `snapshot`.
 */
export function useAdvice(snapshot: PositionSnapshot | undefined, override?: Partial<RiskPreferences>): AdviceState {
  const stored = useRiskPreferences();
  const softChance = override?.softChance ?? stored.softChance;
  const volatility = override?.volatility ?? stored.volatility;
  const request = useMemo(() => {
    if (!snapshot) return null;
    const q = adviceQuestion(snapshot, softChance);
    if (!q.ok) return { unavailable: q.message } as const;
    const model = assumedPathModel(snapshot, { volatilityFactor: VOLATILITY_PRESETS[volatility].factor });
    const body = { model, question: q.question };
    return { key: JSON.stringify(body), body, snapshot } as const;
  }, [snapshot, softChance, volatility]);

  // The answer is kept by question; amounts are always converted against the snapshot of this render (the same
  // question means the same weights to 9 decimals, so the newest snapshot is the most exact one to convert with).
  const [result, setResult] = useState<{ key: string; answer: Answer } | null>(null);
  useEffect(() => {
    if (!request || "unavailable" in request) return;
    return ask(request.key, request.body, (answer) => setResult((prev) => (prev?.key === request.key ? prev : { key: request.key, answer })));
  }, [request]);

  return useMemo<AdviceState>(() => {
    if (!request) return { status: "unavailable", message: "No position to advise on." };
    if ("unavailable" in request) return { status: "unavailable", message: request.unavailable! };
    const toAdvice = (answer: Answer) => ("advice" in answer ? adviceAmounts(request.snapshot, answer.advice) : null);
    if (!result || result.key !== request.key) return { status: "computing", previous: result ? toAdvice(result.answer) : null };
    if ("error" in result.answer) return { status: "failed", message: result.answer.error };
    return { status: "ready", advice: toAdvice(result.answer)! };
  }, [request, result]);
}
