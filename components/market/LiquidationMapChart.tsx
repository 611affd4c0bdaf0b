"use client";

import { Bar, CartesianGrid, ComposedChart, Legend, Line, Tooltip, XAxis, YAxis } from "recharts";
import { formatUsdNumber } from "@/lib/format/number";
import { TOOLTIP_STYLE } from "@/components/position/charts/style";
import { useReducedMotion } from "@/components/position/charts/useReducedMotion";

export interface MapRow {
  fallPct: number;
  soft: number;
  hard: number;
  sold: number;
}

const compact = (v: number) => (v >= 1e6 ? `$${(v / 1e6).toFixed(1)}M` : v >= 1e3 ? `$${Math.round(v / 1e3)}k` : `$${Math.round(v)}`);

/** Debt in SOFT and HARD (stacked bars) and collateral the unwinding would sell (line), against a price fall. */
export default function LiquidationMapChart({ rows }: { rows: MapRow[] }) {
  const animate = !useReducedMotion();
  return (
    <ComposedChart responsive data={rows} style={{ width: "100%", height: "100%" }} margin={{ top: 8, right: 12, bottom: 8, left: 8 }} accessibilityLayer>
      <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />
      <XAxis dataKey="fallPct" tickFormatter={(v: number) => (v === 0 ? "now" : `−${v}%`)} stroke="var(--muted)" fontSize={12} height={36}
        label={{ value: "price fall", position: "insideBottom", offset: -2, fill: "var(--muted)", fontSize: 11 }} />
      <YAxis tickFormatter={compact} stroke="var(--muted)" fontSize={12} width={56} />
      <Tooltip
        formatter={(value, name) => [formatUsdNumber(Number(value)), name]}
        labelFormatter={(label) => `prices ${Number(label) === 0 ? "as now" : `${label}% lower`}`}
        contentStyle={TOOLTIP_STYLE}
      />
      <Legend verticalAlign="top" height={28} wrapperStyle={{ fontSize: 12 }} />
      <Bar dataKey="soft" name="Debt in SOFT" stackId="debt" fill="var(--chart-soft)" isAnimationActive={animate} />
      <Bar dataKey="hard" name="Debt in HARD" stackId="debt" fill="var(--chart-hard, var(--hard))" isAnimationActive={animate} />
      <Line dataKey="sold" name="Collateral sold" stroke="var(--fg)" strokeWidth={2} dot={false} isAnimationActive={animate} />
    </ComposedChart>
  );
}
