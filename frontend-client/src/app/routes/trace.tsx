/**
 * The trace explorer: a lot's or batch's genealogy upstream or downstream, as a layered graph
 * or a table, with the recall scope of what was searched. All view state is in the URL:
 * ?id=&dir=up|down&depth=N&view=graph|table&node=<selected>&sort=.
 */
import { useEffect, useMemo } from "react";
import { useQuery } from "urql";
import { TraceQuery } from "../../features/trace/api/trace";
import { TraceReachQuery } from "../../features/trace/api/trace-reach";
import { RecallScopePanel } from "../../features/trace/components/RecallScopePanel";
import { TraceForm } from "../../features/trace/components/TraceForm";
import { TraceResult } from "../../features/trace/components/TraceResult";
import {
  apiDirection,
  cutOf,
  type Direction,
  fingerprint,
  needsReachCheck,
  readView,
  type SortKey,
  type ViewMode,
} from "../../features/trace/model";
import { useQueryParams } from "../../lib/url-state";
import { Empty, QueryState } from "../../ui/QueryState";
import "../../features/trace/trace.css";

export default function TracePage() {
  const [params, update] = useQueryParams();
  const view = readView(params);
  const direction = apiDirection(view.dir);
  const variables = useMemo(
    () => ({ lotId: view.id, direction, maxDepth: view.depth }),
    [view.id, direction, view.depth],
  );
  const [result, refetch] = useQuery({ query: TraceQuery, variables, pause: !view.id });
  const asked = result.operation?.variables;
  const current =
    asked !== undefined &&
    asked.lotId === view.id &&
    asked.direction === direction &&
    (asked.maxDepth ?? null) === view.depth;
  const trace = current ? result.data?.trace : undefined;
  const drawKey = useMemo(() => (trace ? fingerprint(trace) : ""), [trace]);
  useEffect(() => {
    if (drawKey) performance.mark("fg:trace-data");
  }, [drawKey]);

  const reachDepth = trace && needsReachCheck(trace) ? trace.maxDepth + 1 : null;
  const [reach] = useQuery({
    query: TraceReachQuery,
    variables: { lotId: view.id, direction, maxDepth: reachDepth ?? 1 },
    pause: reachDepth === null,
  });
  const reachAsked = reach.operation?.variables;
  const deeper =
    reachAsked?.lotId === view.id &&
    reachAsked.direction === direction &&
    reachAsked.maxDepth === reachDepth
      ? reach.data?.trace
      : undefined;
  const cut = trace ? cutOf(trace, deeper) : ({ kind: "none" } as const);

  const actions = {
    trace: (id: string) => update({ id, node: null }, false),
    direction: (dir: Direction) => update({ dir, node: null }, false),
    depth: (depth: number | null) => update({ depth: depth === null ? null : String(depth) }),
    select: (id: string | null) => update({ node: id }),
    view: (mode: ViewMode) => update({ view: mode === "graph" ? null : mode }, false),
    sort: (sort: SortKey) => update({ sort: sort === "depth" ? null : sort }),
  };

  return (
    <>
      <h1>Trace explorer</h1>
      <TraceForm
        id={view.id}
        dir={view.dir}
        depth={view.depth}
        defaultDepth={view.depth === null && trace ? trace.maxDepth : null}
        onTrace={actions.trace}
        onDirection={actions.direction}
        onDepth={actions.depth}
      />
      {!view.id ? (
        <Empty>
          Type a lot id, a batch id or a supplier lot number to see where it came from (upstream) or
          where it went (downstream).
        </Empty>
      ) : (
        <QueryState
          fetching={result.fetching || !current}
          error={current ? result.error : undefined}
          empty={!trace}
          what="the trace"
          emptyText={`No trace for ${view.id}.`}
          retry={() => refetch({ requestPolicy: "network-only" })}
        >
          {trace && (
            <TraceResult
              searched={view.id}
              trace={trace}
              drawKey={drawKey}
              cut={cut}
              view={view}
              refreshing={result.fetching}
              actions={actions}
            />
          )}
        </QueryState>
      )}
      {/* after the trace: the recall walks the whole downstream and would compete with it */}
      {trace && <RecallScopePanel lotId={view.id} nodeCount={trace.nodeCount} />}
    </>
  );
}
