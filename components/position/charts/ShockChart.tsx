"use client";

import { CartesianGrid, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis } from "recharts";
import { TOOLTIP_STYLE } from "./style";
import { useReducedMotion } from "./useReducedMotion";

export interface ShockRow {
  shockPct: number;
  hf: number;
}

/** Health factor against a market-wide move of the volatile collaterals. */
export default function ShockChart({
  rows,
  hardHealth,
  softAtPct,
  hardAtPct,
}: {
  rows: ShockRow[];
  hardHealth: number;
  softAtPct: number | null;
  hardAtPct: number | null;
}) {
  const animate = !useReducedMotion();
  const top = Math.min(4, Math.max(1.5, ...rows.map((r) => r.hf)));
  return (
    <LineChart responsive data={rows} style={{ width: "100%", height: "100%" }} margin={{ top: 16, right: 12, bottom: 8, left: 4 }} accessibilityLayer>
      <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />
      <XAxis
        dataKey="shockPct"
        type="number"
        domain={["dataMin", "dataMax"]}
        tickFormatter={(v: number) => `${v > 0 ? "+" : ""}${v}%`}
        stroke="var(--muted)"
        fontSize={12}
        height={40}
        label={{ value: "move of all volatile collaterals", position: "insideBottom", offset: -4, fill: "var(--muted)", fontSize: 11 }}
      />
      <YAxis domain={[0, top]} allowDataOverflow stroke="var(--muted)" fontSize={12} width={40} tickFormatter={(v: number) => v.toFixed(1)} />
      <Tooltip
        formatter={(value) => [Number(value).toFixed(3), "Health factor"]}
        labelFormatter={(label) => `${Number(label) > 0 ? "+" : ""}${label}% move`}
        contentStyle={TOOLTIP_STYLE}
      />
      <ReferenceLine y={1} stroke="var(--soft)" strokeDasharray="4 2" label={{ value: "soft (1.0)", position: "insideTopLeft", fill: "var(--soft)", fontSize: 11 }} />
      <ReferenceLine y={hardHealth} stroke="var(--hard)" strokeDasharray="4 2" label={{ value: `hard (${hardHealth})`, position: "insideBottomRight", fill: "var(--hard)", fontSize: 11, dy: 4 }} />
      <ReferenceLine x={0} stroke="var(--fg)" label={{ value: "now", position: "insideTopLeft", fill: "var(--fg)", fontSize: 11 }} />
      {softAtPct !== null && softAtPct < 0 && (
        <ReferenceLine x={softAtPct} stroke="var(--soft)" label={{ value: "soft", position: "insideBottomRight", fill: "var(--soft)", fontSize: 11, dy: -14 }} />
      )}
      {hardAtPct !== null && hardAtPct < 0 && (
        <ReferenceLine x={hardAtPct} stroke="var(--hard)" label={{ value: "hard", position: "insideBottomLeft", fill: "var(--hard)", fontSize: 11 }} />
      )}
      <Line type="monotone" dataKey="hf" name="Health factor" stroke="var(--chart-soft)" strokeWidth={2} dot={false} isAnimationActive={animate} />
    </LineChart>
  );
}
