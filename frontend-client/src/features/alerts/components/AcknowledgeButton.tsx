/**
 * Acknowledge one alert. The result is a union: the alert, or a typed reason (validation,
 * not found, conflict) shown beside the button. On success the live table is told at once;
 * every other client hears it through the riskAlerts subscription (or its next poll).
 */
import { useMutation } from "urql";
import { useCan } from "../../../app/session";
import { useLiveFeeds } from "../../live/hooks";
import { AcknowledgeAlert } from "../api/acknowledge-alert";

export function AcknowledgeButton({
  id,
  acknowledged,
  compact = false,
}: {
  id: string;
  acknowledged: boolean;
  compact?: boolean;
}) {
  const allowed = useCan("acknowledgeAlert");
  const feeds = useLiveFeeds();
  const [state, acknowledge] = useMutation(AcknowledgeAlert);
  if (acknowledged) return null;
  if (!allowed) {
    if (compact) return null;
    return (
      <p className="muted ack-note" data-testid="acknowledge-not-allowed">
        <button type="button" disabled data-testid="acknowledge-button">
          Acknowledge
        </button>{" "}
        Your role may not acknowledge alerts (planner, quality or admin may).
      </p>
    );
  }
  const result = state.data?.acknowledgeAlert;
  let problem: string | null = null;
  if (state.error) problem = state.error.message;
  else if (result?.__typename === "ValidationError") problem = `${result.field}: ${result.message}`;
  else if (result?.__typename === "NotFoundError") problem = `Not found: ${result.message}`;
  else if (result?.__typename === "ConflictError") problem = `Conflict: ${result.message}`;

  const onClick = async () => {
    const done = await acknowledge({ id });
    const alert = done.data?.acknowledgeAlert;
    if (alert?.__typename !== "RiskAlert") return;
    feeds.alerts.push({
      id: alert.id,
      at: Date.now(),
      apply: (row) =>
        row
          ? { ...row, acknowledged: row.acknowledged || alert.acknowledged }
          : {
              id: alert.id,
              severity: alert.severity,
              message: alert.message,
              createdAt: alert.createdAt,
              acknowledged: alert.acknowledged,
              kind: alert.kind ?? null,
              probability: alert.probability ?? null,
              horizonH: alert.horizonH ?? null,
              closedAt: alert.closedAt ?? null,
              aboutIds: [],
              salesOrderIds: [],
            },
    });
  };
  return (
    <span className="ack">
      <button
        type="button"
        className={compact ? "secondary" : undefined}
        onClick={onClick}
        disabled={state.fetching}
        data-testid="acknowledge-button"
        aria-label={compact ? `Acknowledge alert ${id}` : undefined}
      >
        {state.fetching ? "Acknowledging…" : "Acknowledge"}
      </button>
      {problem && (
        <span className="ack-error" role="alert" data-testid="acknowledge-error">
          {problem}
        </span>
      )}
    </span>
  );
}
