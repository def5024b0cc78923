/**
 * What the alerts page shows of the live alert table: the view state read from the URL
 * (minimum severity, open/acknowledged/all, search text, sort), applied to the rows, and
 * the counts the page prints. Pure, so it is tested without a browser.
 */
import type { Severity } from "../../gql/graphql";
import { instant } from "../../lib/event-order";
import { severityRank } from "../../lib/severity";
import type { LiveAlert } from "../live/feeds";
export const SORTS = ["newest", "severity", "probability"] as const;
export const SHOWS = ["open", "all", "acknowledged"] as const;
export type AlertSort = (typeof SORTS)[number];
export type AlertShow = (typeof SHOWS)[number];

export interface AlertView {
  minSeverity: Severity | null;
  sort: AlertSort;
  show: AlertShow;
  q: string;
}

function oneOf<T extends string>(value: string | null, allowed: readonly T[], fallback: T): T {
  return value !== null && (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
}

/** The view from `?severity=&sort=&show=&q=`; unknown values fall back to the defaults. */
export function readAlertView(params: URLSearchParams): AlertView {
  const severity = params.get("severity")?.toUpperCase() ?? null;
  return {
    minSeverity: severity && severityRank(severity) >= 0 ? (severity as Severity) : null,
    sort: oneOf(params.get("sort"), SORTS, "newest"),
    show: oneOf(params.get("show"), SHOWS, "open"),
    q: params.get("q")?.trim() ?? "",
  };
}

/** Open: neither acknowledged nor closed (what still asks for someone's attention). */
export function isOpen(alert: LiveAlert): boolean {
  return !alert.acknowledged && !alert.closedAt;
}

export function matchesText(alert: LiveAlert, q: string): boolean {
  if (!q) return true;
  const needle = q.toLowerCase();
  return [
    alert.id,
    alert.message,
    alert.kind ?? "",
    ...alert.aboutIds,
    ...alert.salesOrderIds,
  ].some((field) => field.toLowerCase().includes(needle));
}

const compare: Record<AlertSort, (a: LiveAlert, b: LiveAlert) => number> = {
  newest: (a, b) => instant(b.createdAt) - instant(a.createdAt) || a.id.localeCompare(b.id),
  severity: (a, b) =>
    severityRank(b.severity) - severityRank(a.severity) || compare.probability(a, b),
  probability: (a, b) => (b.probability ?? -1) - (a.probability ?? -1) || compare.newest(a, b),
};

/** The rows the page lists, in the order it lists them. */
export function applyAlertView(rows: readonly LiveAlert[], view: AlertView): LiveAlert[] {
  const floor = view.minSeverity ? severityRank(view.minSeverity) : -1;
  return rows
    .filter(
      (a) =>
        severityRank(a.severity) >= floor &&
        (view.show === "all" || (view.show === "open" ? isOpen(a) : a.acknowledged)) &&
        matchesText(a, view.q),
    )
    .sort(compare[view.sort]);
}

export interface AlertCounts {
  total: number;
  open: number;
  acknowledged: number;
  closed: number;
  /** Open alerts per severity. */
  openBySeverity: Record<Severity, number>;
}

export function countAlerts(rows: readonly LiveAlert[]): AlertCounts {
  const counts: AlertCounts = {
    total: rows.length,
    open: 0,
    acknowledged: 0,
    closed: 0,
    openBySeverity: { LOW: 0, MEDIUM: 0, HIGH: 0, CRITICAL: 0 },
  };
  for (const a of rows) {
    if (a.acknowledged) counts.acknowledged += 1;
    if (a.closedAt) counts.closed += 1;
    if (isOpen(a)) {
      counts.open += 1;
      counts.openBySeverity[a.severity] += 1;
    }
  }
  return counts;
}

/** "72 h", "3 d": a horizon as people say it. */
export function formatHorizon(hours: number | null | undefined): string {
  if (hours === null || hours === undefined || !Number.isFinite(hours)) return "–";
  if (hours >= 48 && hours % 24 === 0) return `${hours / 24} d`;
  return `${Number(hours.toFixed(1))} h`;
}

/** "material_shortage" → "Material shortage". */
export function humanKind(kind: string | null | undefined): string {
  if (!kind) return "–";
  const words = kind.replace(/[_-]+/g, " ").trim().toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A driver's node type as the model names it ("work_order") → the graph label ("WorkOrder"). */
export function labelOfNodeType(nodeType: string): string {
  return nodeType
    .split(/[_\s-]+/)
    .filter(Boolean)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join("");
}
