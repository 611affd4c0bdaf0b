"use client";

import { Bar, CartesianGrid, ComposedChart, Legend, Line, ReferenceLine, Tooltip, XAxis, YAxis } from "recharts";
import { TOOLTIP_STYLE } from "./style";
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
  /** The same decline with the account's automatic protection executed first (absent when it has none). */
  protectedRepaid?: number;
  protectedPenalty?: number;
}

const usd = (v: number) =>
  v >= 1000 ? `$${(v / 1000).toFixed(v >= 10_000 ? 0 : 1)}k` : `$${v.toFixed(0)}`;

/**
 * Collateral sold per price band (debt repaid + penalty), soft mode beside the conventional mode, and beside the
 * soft mode with the account's automatic protection when `protection` is set.
 */
export default function BandChart({
  rows,
  softStartPct,
  hardStartPct,
  convStartPct,
  bandWidthPct,
  protection = false,
}: {
  rows: BandRow[];
  softStartPct: number | null;
  hardStartPct: number | null;
  convStartPct: number | null;
  bandWidthPct: number;
  protection?: boolean;
}) {
  const animate = !useReducedMotion();
  const minPct = Math.max(0, Math.min(...rows.map((r) => r.pct)) - bandWidthPct);
  // Round ticks (100, 90, 80…; every 20% over a deep walk) instead of the band centres recharts would pick.
  const tickStep = 100 - minPct > 50 ? 20 : 10;
  const ticks: number[] = [];
  for (let t = 100; t >= minPct - 1e-9; t -= tickStep) ticks.push(t);
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
        ticks={ticks}
        reversed
        tickFormatter={(v: number) => `${Math.round(v)}%`}
        stroke="var(--muted)"
        fontSize={12}
        label={{ value: "price, % of today (falling →)", position: "insideBottom", offset: -4, fill: "var(--muted)", fontSize: 11 }}
        height={40}
      />
      <YAxis yAxisId="sold" tickFormatter={usd} stroke="var(--muted)" fontSize={12} width={52} />
      {/* penalties are 0.3–8% of what is sold: on the bars' scale a soft penalty would be invisible */}
      <YAxis yAxisId="penalty" orientation="right" tickFormatter={usd} stroke="var(--muted)" fontSize={12} width={44} />
      <Tooltip
        formatter={(value, name) => [formatUsdNumber(Number(value)), name]}
        labelFormatter={(_, payload) => (payload?.[0]?.payload as BandRow | undefined)?.label ?? ""}
        contentStyle={TOOLTIP_STYLE}
      />
      <Legend verticalAlign="top" wrapperStyle={{ fontSize: 12, paddingBottom: 8 }} />
      <Bar yAxisId="sold" dataKey="softRepaid" name="Soft: debt repaid" fill="var(--chart-soft)" isAnimationActive={animate} />
      {protection && (
        <Bar yAxisId="sold" dataKey="protectedRepaid" name="With automatic protection: debt repaid" fill="var(--healthy)" isAnimationActive={animate} />
      )}
      <Bar yAxisId="sold" dataKey="convRepaid" name="Conventional: debt repaid" fill="var(--chart-conv)" fillOpacity={0.55} isAnimationActive={animate} />
      <Line yAxisId="penalty" dataKey="softPenalty" name="Soft: penalty (right axis)" stroke="var(--soft)" strokeWidth={2} dot={{ r: 2 }} isAnimationActive={animate} />
      {protection && (
        <Line
          yAxisId="penalty"
          dataKey="protectedPenalty"
          name="With automatic protection: bonus paid (right axis)"
          stroke="var(--healthy)"
          strokeWidth={2}
          strokeDasharray="4 2"
          dot={{ r: 2 }}
          isAnimationActive={animate}
        />
      )}
      <Line yAxisId="penalty" dataKey="convPenalty" name="Conventional: penalty (right axis)" stroke="var(--hard)" strokeWidth={2} dot={{ r: 2 }} isAnimationActive={animate} />
      {/* the milestones are named in the key under the chart: labels on the lines collide when they are close */}
      <ReferenceLine yAxisId="sold" x={100} stroke="var(--fg)" />
      {softStartPct !== null && (
        <ReferenceLine yAxisId="sold" x={softStartPct} stroke="var(--soft)" strokeDasharray="4 2" />
      )}
      {hardStartPct !== null && (
        <ReferenceLine yAxisId="sold" x={hardStartPct} stroke="var(--hard)" strokeDasharray="4 2" />
      )}
      {convStartPct !== null && convStartPct !== softStartPct && (
        <ReferenceLine yAxisId="sold" x={convStartPct} stroke="var(--chart-conv)" strokeDasharray="2 2" />
      )}
    </ComposedChart>
  );
}
