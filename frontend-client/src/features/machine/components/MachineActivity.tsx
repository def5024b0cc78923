/**
 * Around the machine: its open risk alerts, newest quality events and batches. Alerts and
 * quality events merge the page's query with the live feeds (a new one appears without a
 * reload; for an id both have, the live row wins).
 */
import { useMemo } from "react";
import { Link } from "wouter";
import type { MachineActivityQuery } from "../../../gql/graphql";
import { instant } from "../../../lib/event-order";
import { pageFor } from "../../../lib/links";
import { formatInstant, formatNumber, formatPercent } from "../../../lib/time";
import { Empty } from "../../../ui/QueryState";
import { SeverityBadge } from "../../../ui/StateBadge";
import { useLiveFeeds, useLiveRows } from "../../live/hooks";
import { mergeById } from "../machine-model";

type Activity = MachineActivityQuery;
type Alert = Activity["riskAlerts"]["nodes"][number];
type QualityEvent = Activity["qualityEvents"]["nodes"][number];

export const RECENT_LIMIT = 20;

export function MachineAlerts({
  machineId,
  alerts,
}: {
  machineId: string;
  alerts: readonly Alert[];
}) {
  const feeds = useLiveFeeds();
  const live = useLiveRows(feeds.alerts);
  const open = useMemo(() => {
    const mine: Alert[] = live
      .filter((a) => a.aboutIds.includes(machineId))
      .map((a) => ({
        __typename: "RiskAlert" as const,
        id: a.id,
        severity: a.severity,
        message: a.message,
        createdAt: a.createdAt,
        acknowledged: a.acknowledged,
        kind: a.kind,
        probability: a.probability,
        horizonH: a.horizonH,
        closedAt: a.closedAt,
      }));
    return mergeById(alerts, mine, (a) => instant(a.createdAt)).filter((a) => !a.closedAt);
  }, [alerts, live, machineId]);
  if (!open.length) return <Empty>No open risk alerts about this machine.</Empty>;
  return (
    <ul className="activity-list" data-testid="machine-alerts">
      {open.map((a) => (
        <li key={a.id} data-alert-id={a.id}>
          <SeverityBadge severity={a.severity} />{" "}
          <Link href={pageFor("RiskAlert", a.id)}>{a.message}</Link>{" "}
          <span className="muted">
            {a.probability !== null && a.probability !== undefined
              ? `${formatPercent(a.probability)} within ${formatNumber(a.horizonH, 0)} h · `
              : ""}
            raised {formatInstant(a.createdAt)}
            {a.acknowledged ? " · acknowledged" : ""}
          </span>
        </li>
      ))}
    </ul>
  );
}

export function MachineQualityEvents({
  machineId,
  events,
}: {
  machineId: string;
  events: readonly QualityEvent[];
}) {
  const feeds = useLiveFeeds();
  const live = useLiveRows(feeds.qualityEvents);
  const shown = useMemo(() => {
    const mine = live
      .filter((e) => e.subjectIds.includes(machineId))
      .map((e) => ({ ...e, __typename: "QualityEvent" as const }) as QualityEvent);
    return mergeById(events, mine, (e) => instant(e.occurredAt), RECENT_LIMIT);
  }, [events, live, machineId]);
  if (!shown.length) return <Empty>No quality events about this machine.</Empty>;
  return (
    <table className="table" data-testid="machine-quality-events">
      <caption className="visually-hidden">Recent quality events</caption>
      <thead>
        <tr>
          <th scope="col">Event</th>
          <th scope="col">Severity</th>
          <th scope="col">Kind</th>
          <th scope="col">Occurred</th>
          <th scope="col">Description</th>
        </tr>
      </thead>
      <tbody>
        {shown.map((e) => (
          <tr key={e.id} data-event-id={e.id}>
            <th scope="row">
              <Link href={pageFor("QualityEvent", e.id)}>{e.id}</Link>
            </th>
            <td>
              <SeverityBadge severity={e.severity} />
            </td>
            <td>{e.kind.replaceAll("_", " ").toLowerCase()}</td>
            <td>{formatInstant(e.occurredAt)}</td>
            <td>{e.description}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

type Batch = Activity["batches"]["nodes"][number];

export function MachineBatches({ batches, total }: { batches: readonly Batch[]; total: number }) {
  if (!batches.length) return <Empty>No batches made on this machine.</Empty>;
  return (
    <table className="table" data-testid="machine-batches">
      <caption className="visually-hidden">
        Newest {batches.length} of {total} batches
      </caption>
      <thead>
        <tr>
          <th scope="col">Batch</th>
          <th scope="col">Status</th>
          <th scope="col" className="num">
            Quantity
          </th>
          <th scope="col">Started</th>
          <th scope="col">Completed</th>
          <th scope="col">Work order</th>
        </tr>
      </thead>
      <tbody>
        {batches.map((b) => (
          <tr key={b.id} data-batch-id={b.id}>
            <th scope="row">
              <Link href={pageFor("Batch", b.id)}>{b.id}</Link>
            </th>
            <td>{b.status.replaceAll("_", " ").toLowerCase()}</td>
            <td className="num">
              {formatNumber(b.quantity, 1)} {b.unit}
            </td>
            <td>{formatInstant(b.startedAt)}</td>
            <td>{formatInstant(b.completedAt)}</td>
            <td>
              {b.workOrder ? (
                <Link href={pageFor("WorkOrder", b.workOrder.id)}>{b.workOrder.id}</Link>
              ) : (
                "–"
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
