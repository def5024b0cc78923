/**
 * The quality events page's view state from the URL (minimum severity, kind, text, subject
 * ids, a date range, the highlighted event), as the API's QualityEventFilter and as a test
 * for live events, so a new event joins the list only when the API would have listed it.
 */
import type { QualityEventFilter, QualityEventKind, Severity } from "../../gql/graphql";
import { instant } from "../../lib/event-order";
import { SEVERITIES } from "../../lib/severity";
import type { LiveQualityEvent } from "../live/feeds";
export const KINDS: readonly QualityEventKind[] = [
  "INSPECTION_FAILED",
  "INSPECTION_PASSED",
  "DEVIATION",
  "CUSTOMER_COMPLAINT",
  "NONCONFORMANCE",
  "DATA_GAP",
];

export interface QualityView {
  minSeverity: Severity | null;
  kind: QualityEventKind | null;
  q: string;
  machine: string;
  batch: string;
  lot: string;
  /** YYYY-MM-DD, local days, both inclusive. */
  from: string;
  to: string;
  id: string | null;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function readQualityView(params: URLSearchParams): QualityView {
  const severity = params.get("severity")?.toUpperCase() ?? "";
  const kind = params.get("kind")?.toUpperCase() ?? "";
  const day = (key: string) => {
    const value = params.get(key)?.trim() ?? "";
    return DAY.test(value) && !Number.isNaN(Date.parse(value)) ? value : "";
  };
  return {
    minSeverity: (SEVERITIES as readonly string[]).includes(severity)
      ? (severity as Severity)
      : null,
    kind: (KINDS as readonly string[]).includes(kind) ? (kind as QualityEventKind) : null,
    q: params.get("q")?.trim() ?? "",
    machine: params.get("machine")?.trim() ?? "",
    batch: params.get("batch")?.trim() ?? "",
    lot: params.get("lot")?.trim() ?? "",
    from: day("from"),
    to: day("to"),
    id: params.get("id")?.trim() || null,
  };
}

/** Local midnight starting `day` (YYYY-MM-DD), as an ISO instant. */
export function startOfDay(day: string): string {
  const [y, m, d] = day.split("-").map(Number);
  return new Date(y ?? 0, (m ?? 1) - 1, d ?? 1).toISOString();
}

/** Local midnight after `day`: the exclusive end of an inclusive "to" day. */
export function endOfDay(day: string): string {
  const [y, m, d] = day.split("-").map(Number);
  return new Date(y ?? 0, (m ?? 1) - 1, (d ?? 1) + 1).toISOString();
}

export function severitiesFrom(min: Severity | null): Severity[] | null {
  return min ? SEVERITIES.slice(SEVERITIES.indexOf(min)) : null;
}

/** The API filter for the view (null when nothing narrows the list). */
export function qualityFilter(view: QualityView): QualityEventFilter | null {
  const filter: QualityEventFilter = {};
  const severities = severitiesFrom(view.minSeverity);
  if (severities) filter.severities = severities;
  if (view.kind) filter.kinds = [view.kind];
  if (view.q) filter.text = view.q;
  if (view.machine) filter.machineId = view.machine;
  if (view.batch) filter.batchId = view.batch;
  if (view.lot) filter.materialLotId = view.lot;
  if (view.from || view.to) {
    filter.occurredAt = {
      from: view.from ? startOfDay(view.from) : null,
      to: view.to ? endOfDay(view.to) : null,
    };
  }
  return Object.keys(filter).length ? filter : null;
}

export function isFiltered(view: QualityView): boolean {
  return qualityFilter(view) !== null;
}

/** Whether the API would list `event` under `view` (text matches case-insensitively, as the API does). */
export function matchesQualityView(event: LiveQualityEvent, view: QualityView): boolean {
  const floor = view.minSeverity ? SEVERITIES.indexOf(view.minSeverity) : -1;
  if (SEVERITIES.indexOf(event.severity) < floor) return false;
  if (view.kind && event.kind !== view.kind) return false;
  if (view.q && !event.description.toLowerCase().includes(view.q.toLowerCase())) return false;
  for (const id of [view.machine, view.batch, view.lot]) {
    if (id && !event.subjectIds.includes(id)) return false;
  }
  const at = instant(event.occurredAt);
  if (view.from && at < instant(startOfDay(view.from))) return false;
  if (view.to && at >= instant(endOfDay(view.to))) return false;
  return true;
}

/**
 * The loaded pages with the live events that belong to them, newest first. A live event
 * older than the last loaded row waits for "load more" (it would sit among rows not yet
 * fetched), unless every page is loaded.
 */
export function withLiveEvents<E extends LiveQualityEvent>(
  loaded: readonly E[],
  live: readonly LiveQualityEvent[],
  view: QualityView,
  complete: boolean,
): { rows: LiveQualityEvent[]; added: number } {
  const known = new Set(loaded.map((e) => e.id));
  const oldest = loaded.length ? instant(loaded[loaded.length - 1]?.occurredAt) : -Infinity;
  const fresh = live.filter(
    (e) =>
      !known.has(e.id) &&
      matchesQualityView(e, view) &&
      (complete || instant(e.occurredAt) >= oldest),
  );
  if (fresh.length === 0) return { rows: [...loaded], added: 0 };
  const rows = [...fresh, ...loaded].sort((a, b) => instant(b.occurredAt) - instant(a.occurredAt));
  return { rows, added: fresh.length };
}

export type SubjectLabel = "Machine" | "Batch" | "MaterialLot";

/**
 * What a subject id names, from the id prefixes the service gives (M- machines, B- batches,
 * ML- lots); null for anything else (it then links to search, which resolves it).
 */
export function subjectLabel(id: string): SubjectLabel | null {
  if (id.startsWith("ML-")) return "MaterialLot";
  if (id.startsWith("B-")) return "Batch";
  if (id.startsWith("M-")) return "Machine";
  return null;
}

export const SUBJECT_WORD: Record<SubjectLabel, string> = {
  Machine: "machine",
  Batch: "batch",
  MaterialLot: "lot",
};
