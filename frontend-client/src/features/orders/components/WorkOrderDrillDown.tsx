/**
 * One work order opened up: status and quantities, planned against actual, progress (live
 * when a newer progress event arrived), its operations and the batches it produced. The
 * sales-order page shows one per work order; the work-order page shows it alone.
 */
import { useEffect, useRef } from "react";
import { Link } from "wouter";
import type { WorkOrderDrillDownFragment } from "../../../gql/graphql";
import { pageFor } from "../../../lib/links";
import { formatInstant, formatNumber } from "../../../lib/time";
import { useLiveFeeds, useLiveRow } from "../../live/hooks";
import { delay } from "../delay";
import { mergeProgress } from "../progress";
import { batchStatusClass, operationStatusClass, workOrderStatusClass } from "../status";
import { ProgressBar } from "./ProgressBar";
import { StatusBadge } from "./StatusBadge";

type Heading = "h2" | "h3";

export function WorkOrderDrillDown({
  workOrder: wo,
  heading = "h2",
  titleLink = false,
  title,
  onNewerThanQuery,
}: {
  workOrder: WorkOrderDrillDownFragment;
  /** The level of the work order's own heading; its tables' headings are one below. */
  heading?: Heading;
  /** Make the work order's id a link to its own page. */
  titleLink?: boolean;
  /** The heading's text instead of "Work order ID" (the work-order page names it in its h1). */
  title?: string;
  /** Called when a live event reports a batch the query does not hold (refetch). */
  onNewerThanQuery?: () => void;
}) {
  const feeds = useLiveFeeds();
  const live = useLiveRow(feeds.workOrders, wo.id);
  const progress = mergeProgress(wo, live);
  const H = heading;
  const Sub = heading === "h2" ? "h3" : "h4";

  const asked = useRef<string | null>(null);
  const missingBatch =
    progress.live && progress.liveBatchId && !wo.batches.some((b) => b.id === progress.liveBatchId)
      ? progress.liveBatchId
      : null;
  useEffect(() => {
    if (missingBatch && asked.current !== missingBatch) {
      asked.current = missingBatch;
      onNewerThanQuery?.();
    }
  }, [missingBatch, onNewerThanQuery]);

  const startDelay = delay(wo.plannedStart, wo.actualStart);
  const endDelay = delay(wo.plannedEnd, wo.actualEnd);
  return (
    <section
      className="panel wo-drill"
      data-testid="work-order"
      data-work-order-id={wo.id}
      aria-labelledby={`wo-${wo.id}-title`}
    >
      <div className="wo-head">
        <H id={`wo-${wo.id}-title`} className="wo-title">
          {title ?? (
            <>
              Work order{" "}
              {titleLink ? <Link href={pageFor("WorkOrder", wo.id)}>{wo.id}</Link> : wo.id}
            </>
          )}
        </H>
        <StatusBadge
          status={progress.status}
          className={workOrderStatusClass(progress.status)}
          testId="work-order-status"
        />
        {progress.live && (
          <span className="badge live-badge" data-testid="live-progress">
            live
          </span>
        )}
      </div>
      <dl className="facts">
        <div>
          <dt>Quantity</dt>
          <dd className="num" data-testid="work-order-quantity">
            {formatNumber(wo.quantity)} {wo.unit}
          </dd>
        </div>
        <div>
          <dt>Planned</dt>
          <dd>
            {formatInstant(wo.plannedStart)} → {formatInstant(wo.plannedEnd)}
          </dd>
        </div>
        <div>
          <dt>Actual</dt>
          <dd>
            {formatInstant(wo.actualStart)} → {formatInstant(wo.actualEnd)}
            {(startDelay || endDelay) && (
              <span className="muted">
                {" "}
                (start {startDelay?.text ?? "–"}, end {endDelay?.text ?? "–"})
              </span>
            )}
          </dd>
        </div>
      </dl>
      <ProgressBar progress={progress} label={`Progress of work order ${wo.id}`} />

      <Sub>Operations</Sub>
      {wo.operations.length === 0 ? (
        <p className="muted">This work order has no routing.</p>
      ) : (
        <div className="table-scroll">
          <table className="table" data-testid="operations">
            <caption className="visually-hidden">Operations of work order {wo.id}</caption>
            <thead>
              <tr>
                <th scope="col" className="num">
                  Seq.
                </th>
                <th scope="col">Operation</th>
                <th scope="col">Machine</th>
                <th scope="col">Status</th>
                <th scope="col">Planned start</th>
                <th scope="col">Actual start</th>
                <th scope="col">Actual end</th>
                <th scope="col">Operator</th>
              </tr>
            </thead>
            <tbody>
              {wo.operations.map((op) => {
                const late = delay(op.plannedStart, op.actualStart);
                return (
                  <tr key={op.id} data-testid="operation-row" data-operation-id={op.id}>
                    <td className="num" data-col="sequence">
                      {op.sequence}
                    </td>
                    <td data-col="name">{op.name}</td>
                    <td data-col="machine">
                      {op.machine ? (
                        <Link
                          href={pageFor("Machine", op.machine.id)}
                          data-machine-id={op.machine.id}
                        >
                          {op.machine.name} ({op.machine.id})
                        </Link>
                      ) : (
                        "–"
                      )}
                    </td>
                    <td data-col="status">
                      <StatusBadge status={op.status} className={operationStatusClass(op.status)} />
                    </td>
                    <td data-col="plannedStart">{formatInstant(op.plannedStart)}</td>
                    <td data-col="actualStart">
                      {formatInstant(op.actualStart)}
                      {late && <span className="muted delay"> {late.text}</span>}
                    </td>
                    <td data-col="actualEnd">{formatInstant(op.actualEnd)}</td>
                    <td data-col="operator">{op.operator?.name ?? "–"}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}

      <Sub>Batches</Sub>
      {wo.batches.length === 0 ? (
        <p className="muted">No batch produced yet.</p>
      ) : (
        <div className="table-scroll">
          <table className="table" data-testid="batches">
            <caption className="visually-hidden">Batches of work order {wo.id}</caption>
            <thead>
              <tr>
                <th scope="col">Batch</th>
                <th scope="col">Status</th>
                <th scope="col" className="num">
                  Quantity
                </th>
                <th scope="col">Machine</th>
                <th scope="col">Started</th>
                <th scope="col">Completed</th>
              </tr>
            </thead>
            <tbody>
              {wo.batches.map((b) => (
                <tr key={b.id} data-testid="batch-row" data-batch-id={b.id}>
                  <td data-col="id">
                    <Link href={pageFor("Batch", b.id)} data-testid="trace-link">
                      {b.id}
                    </Link>
                  </td>
                  <td data-col="status">
                    <StatusBadge status={b.status} className={batchStatusClass(b.status)} />
                  </td>
                  <td className="num" data-col="quantity" data-value={b.quantity}>
                    {formatNumber(b.quantity)} {b.unit}
                  </td>
                  <td data-col="machine">
                    {b.machine ? (
                      <Link href={pageFor("Machine", b.machine.id)} data-machine-id={b.machine.id}>
                        {b.machine.name} ({b.machine.id})
                      </Link>
                    ) : (
                      "–"
                    )}
                  </td>
                  <td>{formatInstant(b.startedAt)}</td>
                  <td>{formatInstant(b.completedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
