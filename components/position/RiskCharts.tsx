"use client";

import { memo } from "react";
import type { PositionSnapshot } from "@/lib/risk";
import { BandExposure } from "./BandExposure";
import { Forecast } from "./Forecast";
import { BandPlaceholder, ForecastPlaceholder, ShockPlaceholder } from "./frames";
import { ShockCurve } from "./ShockCurve";
import { WhenVisible } from "./WhenVisible";

/**
 * Band exposure, net-risk shock curve and forecast, all computed in the browser from the snapshot, each once it
 * comes near the screen (a shared link on a phone shows the health first, without waiting for them).
 */
export const RiskCharts = memo(function RiskCharts({ snapshot }: { snapshot: PositionSnapshot }) {
  return (
    <div className="space-y-6">
      <WhenVisible placeholder={<BandPlaceholder />}>
        <BandExposure snapshot={snapshot} advice />
      </WhenVisible>
      <WhenVisible placeholder={<ShockPlaceholder />}>
        <ShockCurve snapshot={snapshot} />
      </WhenVisible>
      <WhenVisible placeholder={<ForecastPlaceholder />}>
        <Forecast snapshot={snapshot} />
      </WhenVisible>
    </div>
  );
});
