"use client";

import { Area, AreaChart, CartesianGrid, ReferenceLine, Tooltip, XAxis, YAxis } from "recharts";
import { TOOLTIP_STYLE } from "./style";
import { useReducedMotion } from "./useReducedMotion";

export interface ChanceRow {
  day: number;
  /** Percent (0–100). */
  soft: number;
  hard: number;
}

const percent = (v: number) => `${Number.isInteger(v) ? v : v < 10 ? v.toFixed(1) : Math.round(v)}%`;

/**
 * The chance of having entered SOFT and HARD by each day, against the borrower's own limit: one glance says whether
 * the curve stays under the line.
 */
export default function ChanceChart({ rows, limitPct }: { rows: ChanceRow[]; limitPct: number }) {
  const animate = !useReducedMotion();
  const yTicks: number[] = [];
  const top = Math.max(limitPct * 2, ...rows.map((r) => r.soft));
  const ceiling = top >= 50 ? 100 : top >= 20 ? Math.ceil(top / 10) * 10 : Math.ceil(top / 5) * 5;
  // even, whole-number steps: 0/25/50/75/100, 0/10/20/30, 0/2/4/…/10
  const step = ceiling >= 50 ? 25 : ceiling > 10 ? 10 : ceiling > 5 ? 2 : 1;
  for (let v = 0; v <= ceiling; v += step) yTicks.push(v);
  return (
    <AreaChart responsive data={rows} style={{ width: "100%", height: "100%" }} margin={{ top: 12, right: 16, bottom: 4, left: 4 }} accessibilityLayer>
      <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />
      <XAxis
        dataKey="day"
        type="number"
        domain={[0, "dataMax"]}
        ticks={[0, 1, 2, 3, 4, 5, 6, 7]}
        tickFormatter={(v: number) => (v === 0 ? "now" : `${v} d`)}
        stroke="var(--muted)"
        fontSize={12}
      />
      <YAxis domain={[0, ceiling]} ticks={yTicks} stroke="var(--muted)" fontSize={12} width={44} tickFormatter={percent} />
      <Tooltip
        formatter={(value, name) => [percent(Number(value)), name]}
        labelFormatter={(label) => `within ${Number(label).toFixed(2).replace(/\.?0+$/, "")} days`}
        contentStyle={TOOLTIP_STYLE}
      />
      <ReferenceLine
        y={limitPct}
        stroke="var(--fg)"
        strokeDasharray="5 3"
        label={{ value: `your limit ${percent(limitPct)}`, position: "insideBottomLeft", fill: "var(--fg)", fontSize: 11, dy: -4 }}
      />
      <Area type="monotone" dataKey="soft" name="Soft zone" stroke="var(--soft)" fill="var(--soft)" fillOpacity={0.15} strokeWidth={2} isAnimationActive={animate} />
      <Area type="monotone" dataKey="hard" name="Hard zone" stroke="var(--hard)" fill="var(--hard)" fillOpacity={0.2} strokeWidth={2} isAnimationActive={animate} />
    </AreaChart>
  );
}
