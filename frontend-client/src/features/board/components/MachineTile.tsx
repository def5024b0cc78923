/**
 * One machine on the board. It subscribes to its own live row only (state and since when),
 * is memoised on its data (the 5 s value poll re-renders only tiles whose values changed),
 * and re-renders once when its data goes stale, not on a timer.
 */
import { memo, useEffect } from "react";
import { Link } from "wouter";
import { isStale } from "../../../app/stale";
import { pageFor } from "../../../lib/links";
import type { LiveTable } from "../../../lib/live-store";
import {
  newerState,
  operationMode,
  reportedWorkOrder,
  reportingUntil,
} from "../../../lib/machine-values";
import { useIsPast } from "../../../lib/ticker";
import { formatNumber } from "../../../lib/time";
import { MachineValueText } from "../../../ui/MachineValueText";
import { StateBadge, tileState } from "../../../ui/StateBadge";
import { TimeInState } from "../../../ui/TimeInState";
import type { LiveMachine } from "../../live/feeds";
import { useLiveRow } from "../../live/hooks";
import { type BoardMachine, processValues } from "../board-model";
import type { LineStates } from "../line-states";

export interface ShiftParts {
  goodCount: number;
  scrapCount: number;
  shiftName: string;
}

interface Props {
  machine: BoardMachine;
  table: LiveTable<LiveMachine>;
  lineStates: LineStates;
  staleAfterS: number;
  parts: ShiftParts | undefined;
}

function MachineTileView({ machine, table, lineStates, staleAfterS, parts }: Props) {
  const live = useLiveRow(table, machine.id);
  const { state, since } = newerState(live, machine) ?? { state: machine.state, since: null };
  const silentFrom = reportingUntil(since, machine.values, staleAfterS);
  const silent = useIsPast(silentFrom);
  const shown = tileState(state, operationMode(machine.values), !silent);

  useEffect(() => {
    lineStates.set(machine.id, shown);
  }, [lineStates, machine.id, shown]);
  useEffect(() => () => lineStates.delete(machine.id), [lineStates, machine.id]);

  const operation = machine.currentOperation;
  const workOrderId = operation?.workOrder?.id ?? reportedWorkOrder(machine.values);
  const now = Date.now();
  const nameId = `tile-${machine.id}-name`;

  return (
    <article
      className={`machine-tile tile-${shown}`}
      data-testid="machine-tile"
      data-machine-id={machine.id}
      data-state={shown}
      aria-labelledby={nameId}
    >
      <header className="tile-head">
        <h4 className="tile-name" id={nameId}>
          <Link href={pageFor("Machine", machine.id)}>{machine.name}</Link>
        </h4>
        <span className="tile-id muted">
          {machine.id} · {machine.kind}
        </span>
      </header>
      <p className="tile-state">
        <StateBadge state={shown} /> <span className="visually-hidden">for </span>
        <TimeInState since={since} />
      </p>
      <dl className="tile-values">
        {processValues(machine.values).map((v) => (
          <div
            key={v.name}
            className={isStale(v.sourceTimestamp, staleAfterS, now) ? "stale" : undefined}
            data-value-name={v.name}
          >
            <dt>{v.name.replaceAll("_", " ")}</dt>
            <dd>
              <MachineValueText value={v} />
            </dd>
          </div>
        ))}
      </dl>
      <p className="tile-work">
        {workOrderId ? (
          <>
            <Link href={pageFor("WorkOrder", workOrderId)}>{workOrderId}</Link>
            {operation ? <span className="muted"> · {operation.name}</span> : null}
          </>
        ) : (
          <span className="muted">No work order</span>
        )}
      </p>
      <p className="tile-parts" data-testid="tile-parts">
        {parts ? (
          <>
            <span className="muted">This shift:</span>{" "}
            <span data-good={parts.goodCount}>{formatNumber(parts.goodCount, 0)} good</span>
            {" · "}
            <span data-scrap={parts.scrapCount}>{formatNumber(parts.scrapCount, 0)} scrap</span>
          </>
        ) : (
          <span className="muted">No shift figures</span>
        )}
      </p>
    </article>
  );
}

function sameParts(a: ShiftParts | undefined, b: ShiftParts | undefined): boolean {
  return (
    a === b ||
    (a !== undefined &&
      b !== undefined &&
      a.goodCount === b.goodCount &&
      a.scrapCount === b.scrapCount &&
      a.shiftName === b.shiftName)
  );
}

/** Equal props by content: a poll that brings the same values does not re-render the tile. */
function sameProps(a: Props, b: Props): boolean {
  return (
    a.table === b.table &&
    a.lineStates === b.lineStates &&
    a.staleAfterS === b.staleAfterS &&
    sameParts(a.parts, b.parts) &&
    (a.machine === b.machine || JSON.stringify(a.machine) === JSON.stringify(b.machine))
  );
}

export const MachineTile = memo(MachineTileView, sameProps);
