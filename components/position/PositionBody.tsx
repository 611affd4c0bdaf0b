import type { ReactNode } from "react";
import { CollateralTable } from "./CollateralTable";
import type { DerivedPosition } from "./derive";
import { HealthSummary } from "./HealthSummary";

/**
 * Layout of the position page, shared by the server render (static placeholders) and the live view. Pure: no
 * hooks, so the server renders it without shipping it as client code.
 */
export function PositionBody({
  view,
  notice,
  actions,
  whatIf,
  charts,
  history,
  alerts,
  summary,
  live = false,
}: {
  view: DerivedPosition;
  /** Replaces the static health summary (the live view passes one that ticks every second). */
  summary?: ReactNode;
  /** true once the interactive view has replaced the server render (tests wait for it). */
  live?: boolean;
  notice?: ReactNode;
  actions?: ReactNode;
  whatIf: ReactNode;
  charts: ReactNode;
  history: ReactNode;
  /** The alert subscription panel (live view only; last, so nothing above moves when it appears). */
  alerts?: ReactNode;
}) {
  return (
    <div className="space-y-6" data-testid="position" data-live={live ? "true" : "false"}>
      {notice}
      {summary ?? (
        <HealthSummary snapshot={view.snapshot} health={view.health} timers={view.timers} status={view.status} whatIf={view.whatIfActive} live={view.live} />
      )}
      {actions}
      <CollateralTable snapshot={view.snapshot} prices={view.prices} />
      {whatIf}
      {charts}
      {history}
      {alerts}
    </div>
  );
}
