/**
 * Where alerts come from: while no model is promoted or the demo model is still training,
 * the page says predictions are coming (with the training progress) instead of looking empty.
 */
import { formatPercent } from "../../../lib/time";
import { useForesight } from "../../foresight/useForesight";

export function ForesightNotice({ hasAlerts }: { hasAlerts: boolean }) {
  const foresight = useForesight();
  if (!foresight) return null;
  switch (foresight.state) {
    case "TRAINING":
      return (
        <div className="panel foresight-notice" role="status" data-testid="foresight-notice">
          <p>
            <strong>Predictions are coming.</strong> The foresight model is training
            {foresight.message ? `: ${foresight.message}` : "."}
          </p>
          <label className="foresight-progress">
            Training progress {formatPercent(foresight.progress ?? 0)}
            <progress max={1} value={foresight.progress ?? 0} />
          </label>
        </div>
      );
    case "OFF":
      return (
        <div className="panel foresight-notice" role="status" data-testid="foresight-notice">
          <p>
            <strong>Predictions are coming</strong> once a foresight model is promoted (
            <code>factorygraph train --promote</code>); risk alerts appear when it scores the plant.
            {foresight.message ? ` ${foresight.message}` : ""}
          </p>
        </div>
      );
    case "FAILED":
      return (
        <div
          className="panel foresight-notice state-error"
          role="alert"
          data-testid="foresight-notice"
        >
          <p>
            <strong>The foresight model could not be trained:</strong> {foresight.message}
          </p>
        </div>
      );
    case "SCORING":
      return hasAlerts ? null : (
        <p className="muted" data-testid="foresight-notice">
          Model {foresight.modelVersion ?? ""} is scoring the plant; alerts appear here when a risk
          crosses its threshold.
        </p>
      );
  }
}
