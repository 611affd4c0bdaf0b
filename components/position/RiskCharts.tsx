"use client";

import { memo } from "react";
import type { PositionSnapshot } from "@/lib/risk";
import { BandExposure } from "./BandExposure";
import { Forecast } from "./Forecast";
import { ShockCurve } from "./ShockCurve";

/** Band exposure, net-risk shock curve and forecast, all computed in the browser from the snapshot. */
export const RiskCharts = memo(function RiskCharts({ snapshot }: { snapshot: PositionSnapshot }) {
  return (
    <div className="space-y-6">
      <BandExposure snapshot={snapshot} />
      <ShockCurve snapshot={snapshot} />
      <Forecast snapshot={snapshot} />
    </div>
  );
});
