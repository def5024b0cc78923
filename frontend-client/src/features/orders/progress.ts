/**
 * A work order's progress as the page shows it: the query's `progress`, or the live
 * progress event when that event is newer than anything the query saw.
 *
 * The query carries no instant of its own, so "what the query saw" is the latest instant
 * in the work order it read (its batches' start and completion, its actual start and end,
 * its operations' actual times). A production event is stamped with its batch's
 * completion, so once a refetch holds that batch the two agree and the query wins again.
 */
import type { WorkOrderStatus } from "../../gql/graphql";
import { instant } from "../../lib/event-order";
import type { LiveWorkOrder } from "../live/feeds";

export interface ProgressView {
  status: WorkOrderStatus;
  producedQuantity: number;
  plannedQuantity: number;
  unit: string;
  fraction: number;
  operationsDone: number;
  operationsTotal: number;
  /** True when the numbers come from a live event newer than the query. */
  live: boolean;
  /** The live event's instant (ISO), when live. */
  liveAt: string | null;
  /** The batch the live event reported, when live. */
  liveBatchId: string | null;
}

export interface WorkOrderSnapshot {
  status: WorkOrderStatus;
  quantity: number;
  unit: string;
  actualStart?: string | null;
  actualEnd?: string | null;
  progress: {
    fraction: number;
    producedQuantity: number;
    plannedQuantity: number;
    unit: string;
    operationsDone: number;
    operationsTotal: number;
  };
  operations: ReadonlyArray<{ actualStart?: string | null; actualEnd?: string | null }>;
  batches: ReadonlyArray<{ startedAt: string; completedAt?: string | null }>;
}

/** The latest instant (epoch ms) the query's work order reflects. */
export function snapshotInstant(wo: WorkOrderSnapshot): number {
  let latest = Math.max(instant(wo.actualStart), instant(wo.actualEnd));
  for (const op of wo.operations)
    latest = Math.max(latest, instant(op.actualStart), instant(op.actualEnd));
  for (const b of wo.batches)
    latest = Math.max(latest, instant(b.startedAt), instant(b.completedAt));
  return latest;
}

function clamp01(value: number): number {
  if (!Number.isFinite(value) || value < 0) return 0;
  return Math.min(value, 1);
}

export function mergeProgress(
  wo: WorkOrderSnapshot,
  live: LiveWorkOrder | undefined,
): ProgressView {
  const p = wo.progress;
  const fromQuery: ProgressView = {
    status: wo.status,
    producedQuantity: p.producedQuantity,
    plannedQuantity: p.plannedQuantity,
    unit: p.unit || wo.unit,
    fraction: clamp01(p.fraction),
    operationsDone: p.operationsDone,
    operationsTotal: p.operationsTotal,
    live: false,
    liveAt: null,
    liveBatchId: null,
  };
  if (!live || instant(live.at) <= snapshotInstant(wo)) return fromQuery;
  const produced = live.producedQuantity ?? p.producedQuantity;
  const planned = live.quantity ?? p.plannedQuantity;
  return {
    ...fromQuery,
    status: live.status,
    producedQuantity: produced,
    plannedQuantity: planned,
    unit: live.unit ?? fromQuery.unit,
    fraction: planned > 0 ? clamp01(produced / planned) : fromQuery.fraction,
    live: true,
    liveAt: live.at,
    liveBatchId: live.batchId,
  };
}
