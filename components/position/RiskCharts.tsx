"use client";

import type { PositionSnapshot } from "@/lib/risk";
import { BandExposure } from "./BandExposure";
import { FORECAST_SECTION_CLASS, Frame, LoadingBlock, SHOCK_SECTION_CLASS } from "./frames";

/** Band exposure, net-risk shock curve and forecast, all computed in the browser from the snapshot. */
export function RiskCharts({ snapshot }: { snapshot: PositionSnapshot }) {
  return (
    <div className="space-y-6">
      <BandExposure snapshot={snapshot} />
      <Frame title="Net risk: health under a market-wide shock" headingId="shock-heading" className={SHOCK_SECTION_CLASS}>
        <LoadingBlock label="Shock curve: waiting for the risk engine" heightClass="h-64" />
      </Frame>
      <Frame title="Forecast: chance of liquidation" headingId="forecast-heading" className={FORECAST_SECTION_CLASS}>
        <LoadingBlock label="Forecast: waiting for the risk engine" heightClass="h-24" />
      </Frame>
    </div>
  );
}
