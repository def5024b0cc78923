import { statusLabel } from "../status";

/** A status as a coloured pill; `testId` lets tests read the raw API value from `data-status`. */
export function StatusBadge({
  status,
  className,
  testId,
}: {
  status: string;
  className: string;
  testId?: string;
}) {
  return (
    <span className={`badge ${className}`} data-status={status} data-testid={testId}>
      {statusLabel(status)}
    </span>
  );
}

export function LateBadge() {
  return (
    <span className="badge state-down" data-testid="late-flag">
      Late
    </span>
  );
}
