import { STATUS_LABEL, STATUS_TONE, type PositionStatus } from "./status";

const TONE_CLASSES = {
  healthy: "border-healthy bg-healthy-bg text-healthy",
  soft: "border-soft bg-soft-bg text-soft",
  hard: "border-hard bg-hard-bg text-hard",
} as const;

/** A position's status as a coloured pill ("Soft: flagged, in grace"), the same on every page. */
export function StatusPill({ status, testId }: { status: PositionStatus; testId?: string }) {
  return (
    <p
      className={`inline-block rounded-full border px-3 py-1 text-sm font-semibold ${TONE_CLASSES[STATUS_TONE[status]]}`}
      data-testid={testId}
      data-status={status}
    >
      {STATUS_LABEL[status]}
    </p>
  );
}
