/** One line of the board: its header (OEE this shift, machines per state) and its tiles. */
import { memo, useMemo, useState, useSyncExternalStore } from "react";
import type { LiveTable } from "../../../lib/live-store";
import { formatPercent } from "../../../lib/time";
import { TILE_STATE_LABEL } from "../../../ui/StateBadge";
import type { LiveMachine } from "../../live/feeds";
import { type BoardLine, type OeeFigures, TILE_STATES } from "../board-model";
import { LineStates } from "../line-states";
import { MachineTile, type ShiftParts } from "./MachineTile";

interface Props {
  line: BoardLine;
  table: LiveTable<LiveMachine>;
  staleAfterS: number;
  highlighted: boolean;
  oee: OeeFigures | null;
  shiftName: string | null;
  parts: ReadonlyMap<string, ShiftParts>;
}

function LineCounts({ states }: { states: LineStates }) {
  const key = useSyncExternalStore(states.subscribe, () => states.countsKey());
  const counts = useMemo(() => (key ? JSON.parse(key) : {}) as Record<string, number>, [key]);
  return (
    <ul className="line-counts" aria-label="Machines per state">
      {TILE_STATES.filter((s) => (counts[s] ?? 0) > 0).map((s) => (
        <li key={s} className={`badge state-${s}`} data-state={s} data-count={counts[s]}>
          {counts[s]} {TILE_STATE_LABEL[s].toLowerCase()}
        </li>
      ))}
    </ul>
  );
}

function LineSectionView({ line, table, staleAfterS, highlighted, oee, shiftName, parts }: Props) {
  const [states] = useState(() => new LineStates());
  const headingId = `line-${line.id}-heading`;
  return (
    <section
      className={`board-line${highlighted ? " highlighted" : ""}`}
      id={`line-${line.id}`}
      aria-labelledby={headingId}
      data-highlighted={highlighted ? "true" : undefined}
    >
      <header className="line-header" data-testid="line-header" data-line-id={line.id}>
        <h3 id={headingId}>
          {line.name}{" "}
          <span className="muted line-meta">
            {line.id} · {line.areaName}
          </span>
        </h3>
        <p className="line-oee" data-oee={oee?.oee ?? ""}>
          <span className="muted">OEE {shiftName ? `(${shiftName} shift)` : "this shift"}:</span>{" "}
          <strong>{formatPercent(oee?.oee)}</strong>
          {oee ? (
            <span className="muted">
              {" "}
              A {formatPercent(oee.availability)} · P {formatPercent(oee.performance)} · Q{" "}
              {formatPercent(oee.quality)}
            </span>
          ) : null}
        </p>
        <LineCounts states={states} />
      </header>
      <div className="tiles">
        {line.machines.map((m) => (
          <MachineTile
            key={m.id}
            machine={m}
            table={table}
            lineStates={states}
            staleAfterS={staleAfterS}
            parts={parts.get(m.id)}
          />
        ))}
      </div>
    </section>
  );
}

export const LineSection = memo(LineSectionView);
