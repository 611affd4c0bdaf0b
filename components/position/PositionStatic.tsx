import type { PositionView } from "@/lib/chain/read";
import { derivePosition } from "./derive";
import { ActionsPlaceholder, BandPlaceholder, ForecastPlaceholder, Frame, HISTORY_SECTION_CLASS, ShockPlaceholder } from "./frames";
import { PositionBody } from "./PositionBody";
import { WhatIfPanel } from "./WhatIfPanel";

/**
 * The server-rendered position page: the full health summary, liquidation prices and what-if values in the HTML
 * (readable without JavaScript), with same-size frames where the interactive charts and history will load.
 */
export function PositionStatic({
  position,
  whatIf,
  ignored,
}: {
  position: PositionView;
  whatIf: Record<string, bigint>;
  ignored: readonly string[];
}) {
  const view = derivePosition(position, whatIf);
  return (
    <PositionBody
      view={view}
      actions={<ActionsPlaceholder />}
      whatIf={<WhatIfPanel collaterals={position.market.collaterals} prices={whatIf} ignored={ignored} />}
      charts={<StaticCharts />}
      history={
        <Frame title="Liquidation history" headingId="history-heading" className={HISTORY_SECTION_CLASS}>
          <p className="mt-3 text-sm text-muted">Loading events…</p>
        </Frame>
      }
    />
  );
}

export function StaticCharts() {
  return (
    <div className="space-y-6" aria-busy="true">
      <BandPlaceholder />
      <ShockPlaceholder />
      <ForecastPlaceholder />
    </div>
  );
}
