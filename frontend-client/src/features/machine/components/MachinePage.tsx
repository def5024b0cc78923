/**
 * One machine: identity, live state, state timelines (current shift, last 24 h), OEE per
 * shift with its inputs, current values, open risk alerts, quality events and batches.
 * Values are polled every 5 s; the OEE window and timelines move on every minute; every
 * query is asked again after a reconnect.
 */
import { useCallback, useEffect, useMemo, useState } from "react";
import { useQuery } from "urql";
import { Link } from "wouter";
import { useStaleAfter } from "../../../app/stale";
import { runningShift } from "../../../lib/current-shift";
import { instant } from "../../../lib/event-order";
import { pageFor } from "../../../lib/links";
import { newerState, operationMode, reportingUntil } from "../../../lib/machine-values";
import { useIsPast } from "../../../lib/ticker";
import { formatInstant, HOUR_MS } from "../../../lib/time";
import { Empty, ErrorBox, Loading, QueryState } from "../../../ui/QueryState";
import { StateBadge, tileState } from "../../../ui/StateBadge";
import { TimeInState } from "../../../ui/TimeInState";
import { useLiveFeeds, useLiveRow, useOnResync } from "../../live/hooks";
import { MachineActivity } from "../api/machine-activity";
import { MachineDetail } from "../api/machine-detail";
import { MachineShiftOee } from "../api/machine-shift-oee";
import { MachineTimeline } from "../api/machine-timeline";
import { clipSpans, toSpans, withLiveState } from "../machine-model";
import { MachineAlerts, MachineBatches, MachineQualityEvents } from "./MachineActivity";
import { ShiftOeeTable } from "./ShiftOeeTable";
import { StateTimeline } from "./StateTimeline";
import { ValuesTable } from "./ValuesTable";

export const VALUES_POLL_MS = 5_000;
/** The OEE table and the timelines are asked again this often (their window moves on). */
export const WINDOW_REFRESH_MS = 60_000;
/** The live state extends the timelines this often between refreshes. */
const TIMELINE_TICK_MS = 10_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * useOnResync reads the connection's status, which changes on every event (its last event
 * time): kept in a leaf of its own so that the page does not re-render on every event.
 */
function RefetchOnResync({ refetch }: { refetch: () => void }) {
  useOnResync(refetch);
  return null;
}

export function MachinePage({ id }: { id: string }) {
  const feeds = useLiveFeeds();
  const [staleAfterS] = useStaleAfter();
  const live = useLiveRow(feeds.machines, id);

  const [detail, reexecuteDetail] = useQuery({ query: MachineDetail, variables: { id } });
  const refetchDetail = useCallback(
    () => reexecuteDetail({ requestPolicy: "network-only" }),
    [reexecuteDetail],
  );
  useEffect(() => {
    const timer = setInterval(refetchDetail, VALUES_POLL_MS);
    return () => clearInterval(timer);
  }, [refetchDetail]);

  // The window [now - 24 h, now), moved on every minute.
  const [windowEnd, setWindowEnd] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setWindowEnd(Date.now()), WINDOW_REFRESH_MS);
    return () => clearInterval(timer);
  }, []);
  const range = useMemo(
    () => ({
      id,
      from: new Date(windowEnd - DAY_MS).toISOString(),
      to: new Date(windowEnd).toISOString(),
    }),
    [id, windowEnd],
  );
  const [oee, reexecuteOee] = useQuery({ query: MachineShiftOee, variables: range });
  const [timeline, reexecuteTimeline] = useQuery({ query: MachineTimeline, variables: range });
  const [activity, reexecuteActivity] = useQuery({ query: MachineActivity, variables: { id } });

  const refetchAll = useCallback(() => {
    refetchDetail();
    reexecuteOee({ requestPolicy: "network-only" });
    reexecuteTimeline({ requestPolicy: "network-only" });
    reexecuteActivity({ requestPolicy: "network-only" });
  }, [refetchDetail, reexecuteOee, reexecuteTimeline, reexecuteActivity]);

  const [chartNow, setChartNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setChartNow(Date.now()), TIMELINE_TICK_MS);
    return () => clearInterval(timer);
  }, []);

  const machine = detail.data?.machine;
  const values = machine?.values ?? [];
  const latest = newerState(live, machine);
  const state = latest?.state;
  const since = latest?.since ?? null;
  const silent = useIsPast(reportingUntil(since, values, staleAfterS));
  const shown = tileState(state, operationMode(values), !silent);

  const report = oee.data?.shiftOee;
  const current = report ? runningShift(report.rows, chartNow) : null;
  const spans = useMemo(() => {
    const base = toSpans(timeline.data?.oee?.timeline ?? []);
    return state ? withLiveState(base, { state, since }, chartNow) : base;
  }, [timeline.data, state, since, chartNow]);
  const dayFrom = chartNow - DAY_MS;
  const shiftFrom = current ? instant(current.shift.from) : null;
  const shiftTo = current ? instant(current.shift.to) : null;
  const shiftSpans = useMemo(
    () => (shiftFrom !== null && shiftTo !== null ? clipSpans(spans, shiftFrom, shiftTo) : []),
    [spans, shiftFrom, shiftTo],
  );
  const daySpans = useMemo(() => clipSpans(spans, dayFrom, chartNow), [spans, dayFrom, chartNow]);

  if (!machine) {
    return (
      <>
        <RefetchOnResync refetch={refetchAll} />
        <h1>Machine {id}</h1>
        <QueryState
          fetching={detail.fetching}
          error={detail.error}
          empty
          what="the machine"
          emptyText={
            <>
              There is no machine <strong>{id}</strong>. Find machines on the{" "}
              <Link href="/">plant board</Link> or search for an id above.
            </>
          }
          retry={refetchDetail}
        >
          {null}
        </QueryState>
      </>
    );
  }

  const operation = machine.currentOperation;
  return (
    <>
      <RefetchOnResync refetch={refetchAll} />
      <h1>
        {machine.name} <span className="muted machine-id">{machine.id}</span>
      </h1>
      {detail.error ? <ErrorBox error={detail.error} retry={refetchDetail} /> : null}
      <div className="machine-top">
        <section className="panel" aria-labelledby="machine-identity">
          <h2 id="machine-identity">Machine</h2>
          <dl className="facts">
            <dt>Kind</dt>
            <dd>{machine.kind}</dd>
            <dt>Manufacturer</dt>
            <dd>{machine.manufacturer}</dd>
            <dt>Serial number</dt>
            <dd>{machine.serialNumber}</dd>
            <dt>Line</dt>
            <dd>
              {machine.line ? (
                <Link href={pageFor("Line", machine.line.id)}>
                  {machine.line.name} ({machine.line.id})
                </Link>
              ) : (
                "–"
              )}
            </dd>
            <dt>Operation</dt>
            <dd>
              {operation ? (
                <>
                  {operation.name}
                  {operation.workOrder ? (
                    <>
                      {" "}
                      for{" "}
                      <Link href={pageFor("WorkOrder", operation.workOrder.id)}>
                        {operation.workOrder.id}
                      </Link>
                    </>
                  ) : null}
                </>
              ) : (
                <span className="muted">none running</span>
              )}
            </dd>
          </dl>
        </section>
        <section className="panel" aria-labelledby="machine-live-state">
          <h2 id="machine-live-state">State</h2>
          <p className="machine-state" data-testid="machine-state" data-state={shown}>
            <StateBadge state={shown} /> for <TimeInState since={since} />
          </p>
          <p className="muted">
            Since {formatInstant(since)}
            {live?.previousState
              ? `, was ${live.previousState.replaceAll("_", " ").toLowerCase()}`
              : ""}
          </p>
        </section>
      </div>

      <h2>State timeline</h2>
      {timeline.error && !timeline.data ? (
        <ErrorBox
          error={timeline.error}
          retry={() => reexecuteTimeline({ requestPolicy: "network-only" })}
        />
      ) : !timeline.data ? (
        <Loading what="the timeline" />
      ) : (
        <div className="timelines">
          {current && shiftFrom !== null && shiftTo !== null ? (
            <StateTimeline
              spans={shiftSpans}
              from={shiftFrom}
              to={shiftTo}
              title={`Current shift (${current.shift.name}, ${formatInstant(current.shift.from)} to ${formatInstant(current.shift.to)})`}
              testId="timeline-shift"
            />
          ) : (
            <Empty>No shift is running now.</Empty>
          )}
          <StateTimeline
            spans={daySpans}
            from={dayFrom}
            to={chartNow}
            title="Last 24 hours"
            testId="timeline-day"
          />
        </div>
      )}

      <h2>OEE per shift, last 24 hours</h2>
      <QueryState
        fetching={oee.fetching}
        error={oee.error}
        empty={!report || report.rows.length === 0}
        what="OEE per shift"
        emptyText="No shift overlaps the last 24 hours."
        retry={() => reexecuteOee({ requestPolicy: "network-only" })}
      >
        {report ? <ShiftOeeTable report={report} /> : null}
      </QueryState>

      <h2>Current values</h2>
      {values.length ? (
        <ValuesTable values={values} staleAfterS={staleAfterS} />
      ) : (
        <Empty>This machine reports no values.</Empty>
      )}

      <h2>Open risk alerts</h2>
      <QueryState
        fetching={activity.fetching}
        error={activity.error}
        empty={!activity.data}
        what="risk alerts"
        emptyText="No risk alerts."
        retry={() => reexecuteActivity({ requestPolicy: "network-only" })}
      >
        <MachineAlerts machineId={id} alerts={activity.data?.riskAlerts.nodes ?? []} />
      </QueryState>

      <h2>Recent quality events</h2>
      <QueryState
        fetching={activity.fetching}
        error={activity.error}
        empty={!activity.data}
        what="quality events"
        emptyText="No quality events."
      >
        <MachineQualityEvents machineId={id} events={activity.data?.qualityEvents.nodes ?? []} />
      </QueryState>

      <h2>Recent batches</h2>
      <QueryState
        fetching={activity.fetching}
        error={activity.error}
        empty={!activity.data}
        what="batches"
        emptyText="No batches."
      >
        <MachineBatches
          batches={activity.data?.batches.nodes ?? []}
          total={activity.data?.batches.totalCount ?? 0}
        />
      </QueryState>
    </>
  );
}
