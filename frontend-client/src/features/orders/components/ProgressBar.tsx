/** Produced against planned, with operations done; marked when the numbers are live. */
import { formatInstant, formatNumber, formatPercent } from "../../../lib/time";
import type { ProgressView } from "../progress";

export function ProgressBar({ progress, label }: { progress: ProgressView; label: string }) {
  const percent = Math.round(progress.fraction * 1000) / 10;
  const text = `${formatNumber(progress.producedQuantity)} of ${formatNumber(
    progress.plannedQuantity,
  )} ${progress.unit} (${formatPercent(progress.fraction)})`;
  return (
    <div
      className="wo-progress"
      data-testid="progress"
      data-fraction={progress.fraction}
      data-produced={progress.producedQuantity}
      data-planned={progress.plannedQuantity}
      data-live={progress.live ? "true" : "false"}
    >
      <div
        className="wo-progress-track"
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={text}
      >
        <div className="wo-progress-fill" style={{ width: `${percent}%` }} />
      </div>
      <p className="wo-progress-text">
        <span data-testid="progress-text">{text}</span>
        <span className="muted">
          {" "}
          · operations {progress.operationsDone} of {progress.operationsTotal} done
        </span>
        {progress.live && progress.liveAt && (
          <span className="muted"> · live update at {formatInstant(progress.liveAt)}</span>
        )}
      </p>
    </div>
  );
}
