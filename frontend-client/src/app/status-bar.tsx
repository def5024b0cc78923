/** Live / reconnecting / offline, the last event, foresight's state and the stale threshold. */
import { useEffect, useState } from "react";
import { useForesight } from "../features/foresight/useForesight";
import { useConnection } from "../features/live/hooks";
import { formatDuration, formatPercent } from "../lib/time";
import { useStaleAfter } from "./stale";

const LABEL = {
  connecting: "Connecting…",
  live: "Live",
  reconnecting: "Reconnecting…",
  offline: "Offline",
} as const;

export function StatusBar() {
  const { status, lastEventAt } = useConnection();
  const foresight = useForesight();
  const [staleAfterS, setStaleAfterS] = useStaleAfter();
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, []);
  return (
    <footer className="status-bar">
      <span className={`connection connection-${status}`} data-testid="connection-status">
        <span className="dot" aria-hidden="true" /> {LABEL[status]}
      </span>
      <span>
        Last event:{" "}
        {lastEventAt ? `${formatDuration(Math.max(0, now - lastEventAt))} ago` : "none yet"}
      </span>
      <span data-testid="foresight-status">
        Foresight:{" "}
        {foresight === null
          ? "…"
          : foresight.state === "TRAINING"
            ? `training the demo model ${formatPercent(foresight.progress ?? 0)} — ${foresight.message}`
            : foresight.state === "SCORING"
              ? `scoring with model ${foresight.modelVersion ?? ""}`
              : foresight.state === "FAILED"
                ? `training failed: ${foresight.message}`
                : "no model (factorygraph train --promote)"}
      </span>
      <label className="stale-setting">
        Grey values older than{" "}
        <input
          type="number"
          min={5}
          max={86_400}
          value={staleAfterS}
          onChange={(e) => setStaleAfterS(Number(e.target.value))}
        />{" "}
        s
      </label>
    </footer>
  );
}
