/** A machine's state as a plant person names it, coloured the same everywhere. */
import type { MachineState } from "../gql/graphql";

export type TileState = "running" | "idle" | "down" | "setup" | "unavailable" | "not-reporting";

export const TILE_STATE_LABEL: Record<TileState, string> = {
  running: "Running",
  idle: "Idle",
  down: "Down",
  setup: "Setup",
  unavailable: "Unavailable",
  "not-reporting": "Not reporting",
};

/** The tile state from the API state, the operation mode and whether data is fresh. */
export function tileState(
  state: MachineState | null | undefined,
  operationMode: string | null | undefined,
  reporting: boolean,
): TileState {
  if (!reporting || !state) return "not-reporting";
  switch (state) {
    case "EXECUTING":
      return "running";
    case "NOT_EXECUTING":
      return operationMode && /setup/i.test(operationMode) ? "setup" : "idle";
    case "OUT_OF_SERVICE":
      return "down";
    case "NOT_AVAILABLE":
      return "unavailable";
  }
}

export function StateBadge({ state }: { state: TileState }) {
  return <span className={`badge state-${state}`}>{TILE_STATE_LABEL[state]}</span>;
}

export function SeverityBadge({ severity }: { severity: string }) {
  return <span className={`badge severity-${severity.toLowerCase()}`}>{severity}</span>;
}
