/**
 * The plant board: sites, their lines in flow order, and a tile per machine. Values come from
 * one query for the whole board, polled every 5 s; shift figures from one shiftOee report
 * (per 200 machines), polled every 15 s; states come live to each tile on its own. The board
 * itself re-renders on polls only, never on a state event.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useClient, useQuery } from "urql";
import { useStaleAfter } from "../../../app/stale";
import type { BoardShiftOeeQuery } from "../../../gql/graphql";
import { runningShiftByMachine } from "../../../lib/current-shift";
import { useQueryParams } from "../../../lib/url-state";
import { ErrorBox, QueryState } from "../../../ui/QueryState";
import { useLiveFeeds, useOnResync } from "../../live/hooks";
import { BoardShiftOee } from "../api/board-shift-oee";
import { PlantBoard as PlantBoardQuery } from "../api/plant-board";
import { boardLayout, type OeeFigures, rollUp } from "../board-model";
import { LineSection } from "./LineSection";
import type { ShiftParts } from "./MachineTile";

/** Values have no subscription: the board asks again this often. */
export const VALUES_POLL_MS = 5_000;
/** Shift figures move slowly (counts per batch, times per second): a slower poll. */
export const SHIFT_POLL_MS = 15_000;
/** shiftOee takes at most this many machines per report. */
const MAX_MACHINES_PER_REPORT = 200;

type ShiftRow = BoardShiftOeeQuery["shiftOee"]["rows"][number];

function useShiftRows(machineIds: readonly string[]) {
  const client = useClient();
  const [rows, setRows] = useState<ShiftRow[] | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const key = machineIds.join(",");
  const fetchRows = useCallback(async () => {
    if (!key) return;
    const ids = key.split(",");
    const now = Date.now();
    const window = {
      // A minute before now: the overlapping shifts are the one running (and, at a change
      // of shift, the one that just ended; runningShiftByMachine picks per machine).
      from: new Date(now - 60_000).toISOString(),
      to: new Date(now).toISOString(),
    };
    const chunks: string[][] = [];
    for (let i = 0; i < ids.length; i += MAX_MACHINES_PER_REPORT) {
      chunks.push(ids.slice(i, i + MAX_MACHINES_PER_REPORT));
    }
    const results = await Promise.all(
      chunks.map((machineIds) =>
        client
          .query(BoardShiftOee, { machineIds, ...window }, { requestPolicy: "network-only" })
          .toPromise(),
      ),
    );
    const failed = results.find((r) => r.error);
    if (failed?.error) {
      setError(failed.error);
      return;
    }
    setError(null);
    setRows(results.flatMap((r) => r.data?.shiftOee.rows ?? []));
  }, [client, key]);
  useEffect(() => {
    void fetchRows();
    const timer = setInterval(() => void fetchRows(), SHIFT_POLL_MS);
    return () => clearInterval(timer);
  }, [fetchRows]);
  return { rows, error, refetch: fetchRows };
}

/**
 * useOnResync reads the connection's status, which changes on every event (its last event
 * time): kept in a leaf of its own so that the board does not re-render on every event.
 */
function RefetchOnResync({ refetch }: { refetch: () => void }) {
  useOnResync(refetch);
  return null;
}

export function PlantBoard() {
  const feeds = useLiveFeeds();
  const [staleAfterS] = useStaleAfter();
  const [params] = useQueryParams();
  const highlightLine = params.get("line");
  const [result, reexecute] = useQuery({ query: PlantBoardQuery });
  const refetch = useCallback(() => reexecute({ requestPolicy: "network-only" }), [reexecute]);

  useEffect(() => {
    const timer = setInterval(refetch, VALUES_POLL_MS);
    return () => clearInterval(timer);
  }, [refetch]);

  const sites = useMemo(() => boardLayout(result.data?.sites ?? []), [result.data]);
  const machineIds = useMemo(
    () => sites.flatMap((s) => s.lines.flatMap((l) => l.machines.map((m) => m.id))),
    [sites],
  );
  const shift = useShiftRows(machineIds);
  const refetchAll = useCallback(() => {
    refetch();
    void shift.refetch();
  }, [refetch, shift.refetch]);

  const current = useMemo(() => runningShiftByMachine(shift.rows ?? [], Date.now()), [shift.rows]);
  const parts = useMemo(() => {
    const map = new Map<string, ShiftParts>();
    for (const [id, row] of current) {
      map.set(id, {
        goodCount: row.goodCount,
        scrapCount: row.scrapCount,
        shiftName: row.shift.name,
      });
    }
    return map;
  }, [current]);
  const lineOee = useMemo(() => {
    const map = new Map<string, { figures: OeeFigures | null; shiftName: string | null }>();
    for (const site of sites) {
      for (const line of site.lines) {
        const rows = line.machines.flatMap((m) => current.get(m.id) ?? []);
        const names = new Set(rows.map((r) => r.shift.name));
        map.set(line.id, {
          figures: rows.length ? rollUp(rows) : null,
          shiftName: names.size === 1 ? ([...names][0] ?? null) : null,
        });
      }
    }
    return map;
  }, [sites, current]);

  // Scroll the line named in the URL into view once the board is drawn.
  const scrolledTo = useRef<string | null>(null);
  useEffect(() => {
    if (!highlightLine || !sites.length || scrolledTo.current === highlightLine) return;
    const element = document.getElementById(`line-${highlightLine}`);
    if (element) {
      element.scrollIntoView({ block: "start" });
      scrolledTo.current = highlightLine;
    }
  }, [highlightLine, sites]);

  const machineCount = machineIds.length;
  return (
    <>
      <RefetchOnResync refetch={refetchAll} />
      <h1>Plant board</h1>
      <p className="muted board-summary">
        {machineCount
          ? `${machineCount} machines on ${sites.reduce((n, s) => n + s.lines.length, 0)} lines. `
          : ""}
        States are live; values refresh every {VALUES_POLL_MS / 1000} s, greyed when older than{" "}
        {staleAfterS} s.
      </p>
      {result.error && result.data ? <ErrorBox error={result.error} retry={refetch} /> : null}
      {shift.error ? <ErrorBox error={shift.error} retry={() => void shift.refetch()} /> : null}
      <QueryState
        fetching={result.fetching}
        error={result.error}
        empty={!result.data || machineCount === 0}
        what="the plant board"
        emptyText="The plant has no machines yet."
        retry={refetch}
      >
        {sites.map((site) => (
          <section key={site.id} className="board-site" aria-labelledby={`site-${site.id}`}>
            <h2 id={`site-${site.id}`}>
              {site.name} <span className="muted">{site.id}</span>
            </h2>
            {site.lines.map((line) => (
              <LineSection
                key={line.id}
                line={line}
                table={feeds.machines}
                staleAfterS={staleAfterS}
                highlighted={line.id === highlightLine}
                oee={lineOee.get(line.id)?.figures ?? null}
                shiftName={lineOee.get(line.id)?.shiftName ?? null}
                parts={parts}
              />
            ))}
          </section>
        ))}
      </QueryState>
    </>
  );
}
