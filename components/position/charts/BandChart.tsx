"use client";

import { Bar, CartesianGrid, ComposedChart, Legend, ReferenceLine, Tooltip, XAxis, YAxis } from "recharts";
import { useReducedMotion } from "./useReducedMotion";
import { formatUsdNumber } from "@/lib/format/number";

export interface BandRow {
  /** Middle of the band in % of today's prices (100 = now). */
  pct: number;
  label: string;
  softRepaid: number;
  softPenalty: number;
  convRepaid: number;
  convPenalty: number;
}

const usd = (v: number) =>
  v >= 1000 ? `$${(v / 1000).toFixed(v >= 10_000 ? 0 : 1)}k` : `$${v.toFixed(0)}`;

/** Collateral sold per price band (debt repaid + penalty), soft mode beside the conventional mode. */
export default function BandChart({
  rows,
  softStartPct,
  hardStartPct,
  convStartPct,
  bandWidthPct,
}: {
  rows: BandRow[];
  softStartPct: number | null;
  hardStartPct: number | null;
  convStartPct: number | null;
  bandWidthPct: number;
}) {
  const animate = !useReducedMotion();
  const minPct = Math.max(0, Math.min(...rows.map((r) => r.pct)) - bandWidthPct);
  return (
    <ComposedChart
      responsive
      data={rows}
      style={{ width: "100%", height: "100%" }}
      margin={{ top: 16, right: 12, bottom: 8, left: 4 }}
      barGap={1}
      barCategoryGap="12%"
      accessibilityLayer
    >
      <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />
      <XAxis
        dataKey="pct"
        type="number"
        domain={[minPct, 100]}
        reversed
        tickFormatter={(v: number) => `${Math.round(v)}%`}
        stroke="var(--muted)"
        fontSize={12}
        label={{ value: "price, % of today (falling →)", position: "insideBottom", offset: -4, fill: "var(--muted)", fontSize: 11 }}
        height={40}
      />
      <YAxis tickFormatter={usd} stroke="var(--muted)" fontSize={12} width={52} />
      <Tooltip
        formatter={(value, name) => [formatUsdNumber(Number(value)), name]}
        labelFormatter={(_, payload) => (payload?.[0]?.payload as BandRow | undefined)?.label ?? ""}
        contentStyle={{ background: "var(--card)", border: "1px solid var(--border)", color: "var(--fg)" }}
      />
      <Legend wrapperStyle={{ fontSize: 12 }} />
      <Bar dataKey="softRepaid" name="Soft: debt repaid" stackId="soft" fill="var(--chart-soft)" isAnimationActive={animate} />
      <Bar dataKey="softPenalty" name="Soft: penalty" stackId="soft" fill="var(--soft)" isAnimationActive={animate} />
      <Bar dataKey="convRepaid" name="Conventional: debt repaid" stackId="conv" fill="var(--chart-conv)" fillOpacity={0.55} isAnimationActive={animate} />
      <Bar dataKey="convPenalty" name="Conventional: penalty" stackId="conv" fill="var(--hard)" isAnimationActive={animate} />
      <ReferenceLine x={100} stroke="var(--fg)" label={{ value: "now", position: "insideTopLeft", fill: "var(--fg)", fontSize: 11 }} />
      {softStartPct !== null && (
        <ReferenceLine x={softStartPct} stroke="var(--soft)" strokeDasharray="4 2" label={{ value: "soft starts", position: "insideTopRight", fill: "var(--soft)", fontSize: 11 }} />
      )}
      {hardStartPct !== null && (
        <ReferenceLine x={hardStartPct} stroke="var(--hard)" strokeDasharray="4 2" label={{ value: "hard starts", position: "insideTopRight", fill: "var(--hard)", fontSize: 11 }} />
      )}
      {convStartPct !== null && convStartPct !== softStartPct && (
        <ReferenceLine x={convStartPct} stroke="var(--chart-conv)" strokeDasharray="2 2" />
      )}
    </ComposedChart>
  );
}
