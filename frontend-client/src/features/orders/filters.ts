/**
 * The orders list's view state as it sits in the URL, and the API variables it stands for.
 *
 * `?status=OPEN,IN_PRODUCTION&late=true&risk=HIGH&q=&customer=C-001&product=&dueFrom=&dueTo=
 * &orderedFrom=&orderedTo=&sort=DUE_AT&dir=ASC&after=…|before=…` maps one to one onto
 * SalesOrderFilter and SalesOrderOrder; dates are local calendar days, both ends included
 * (the API's TimeRange excludes `to`, so `dueTo` becomes the next day's midnight).
 */
import type {
  SalesOrderFilter,
  SalesOrderOrder,
  SalesOrderOrderField,
  SalesOrderStatus,
  Severity,
  SortDirection,
} from "../../gql/graphql";
import { SEVERITIES } from "../../lib/severity";

export const PAGE_SIZE = 100;

export const SALES_ORDER_STATUSES: readonly SalesOrderStatus[] = [
  "OPEN",
  "IN_PRODUCTION",
  "SHIPPED",
  "CLOSED",
  "CANCELLED",
];

export const SORT_FIELDS: readonly SalesOrderOrderField[] = [
  "DUE_AT",
  "ORDERED_AT",
  "PRIORITY",
  "STATUS",
  "ID",
];

export const SORT_LABEL: Record<SalesOrderOrderField, string> = {
  DUE_AT: "Due date",
  ORDERED_AT: "Order date",
  PRIORITY: "Priority",
  STATUS: "Status",
  ID: "Order id",
};

export const STATUS_LABEL: Record<SalesOrderStatus, string> = {
  OPEN: "Open",
  IN_PRODUCTION: "In production",
  SHIPPED: "Shipped",
  CLOSED: "Closed",
  CANCELLED: "Cancelled",
};

/** Without `sort`/`dir` in the URL: the orders due last first, which puts open work on top. */
export const DEFAULT_SORT: SalesOrderOrderField = "DUE_AT";
export const DEFAULT_DIR: SortDirection = "DESC";

export interface OrdersView {
  statuses: SalesOrderStatus[];
  late: boolean | null;
  risk: Severity | null;
  q: string;
  customer: string;
  product: string;
  dueFrom: string;
  dueTo: string;
  orderedFrom: string;
  orderedTo: string;
  sort: SalesOrderOrderField;
  dir: SortDirection;
  after: string | null;
  before: string | null;
}

/** The URL keys of the filters (changing any of them starts again at the first page). */
export const FILTER_KEYS = [
  "status",
  "late",
  "risk",
  "q",
  "customer",
  "product",
  "dueFrom",
  "dueTo",
  "orderedFrom",
  "orderedTo",
  "sort",
  "dir",
] as const;

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function oneOf<T extends string>(value: string | null, allowed: readonly T[]): T | null {
  return value !== null && (allowed as readonly string[]).includes(value) ? (value as T) : null;
}

function day(value: string | null): string {
  return value && DAY.test(value) && !Number.isNaN(localMidnight(value)) ? value : "";
}

/** Read the view from the query string; unknown values fall back to "no filter". */
export function readView(params: URLSearchParams): OrdersView {
  const statuses = (params.get("status") ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter((s): s is SalesOrderStatus => oneOf(s, SALES_ORDER_STATUSES) !== null);
  const late = params.get("late");
  return {
    statuses: SALES_ORDER_STATUSES.filter((s) => statuses.includes(s)),
    late: late === "true" ? true : late === "false" ? false : null,
    risk: oneOf(params.get("risk"), SEVERITIES),
    q: params.get("q")?.trim() ?? "",
    customer: params.get("customer")?.trim() ?? "",
    product: params.get("product")?.trim() ?? "",
    dueFrom: day(params.get("dueFrom")),
    dueTo: day(params.get("dueTo")),
    orderedFrom: day(params.get("orderedFrom")),
    orderedTo: day(params.get("orderedTo")),
    sort: oneOf(params.get("sort"), SORT_FIELDS) ?? DEFAULT_SORT,
    dir: oneOf(params.get("dir"), ["ASC", "DESC"] as const) ?? DEFAULT_DIR,
    after: params.get("after") || null,
    before: params.get("before") || null,
  };
}

/** Epoch ms of local midnight starting the calendar day `yyyy-mm-dd`. */
function localMidnight(value: string, plusDays = 0): number {
  const [y = Number.NaN, m = Number.NaN, d = Number.NaN] = value.split("-").map(Number);
  const date = new Date(y, m - 1, d + plusDays);
  // Reject days that roll over (2026-02-31 would otherwise be 3 March).
  if (plusDays === 0 && (date.getFullYear() !== y || date.getMonth() !== m - 1)) return Number.NaN;
  return date.getTime();
}

function nextDay(value: string): number {
  return localMidnight(value, 1);
}

/** A TimeRange covering the days `from`..`to`, both included; null when neither is set. */
export function dayRange(from: string, to: string): { from?: string; to?: string } | null {
  if (!from && !to) return null;
  const range: { from?: string; to?: string } = {};
  if (from) range.from = new Date(localMidnight(from)).toISOString();
  if (to) range.to = new Date(nextDay(to)).toISOString();
  return range;
}

export function toFilter(view: OrdersView): SalesOrderFilter {
  const filter: SalesOrderFilter = {};
  if (view.statuses.length) filter.statuses = view.statuses;
  if (view.late !== null) filter.late = view.late;
  if (view.risk) filter.minRiskSeverity = view.risk;
  if (view.q) filter.text = view.q;
  if (view.customer) filter.customerId = view.customer;
  if (view.product) filter.productId = view.product;
  const due = dayRange(view.dueFrom, view.dueTo);
  if (due) filter.dueAt = due;
  const ordered = dayRange(view.orderedFrom, view.orderedTo);
  if (ordered) filter.orderedAt = ordered;
  return filter;
}

export function toOrder(view: OrdersView): SalesOrderOrder {
  return { field: view.sort, direction: view.dir };
}

/** The list query's variables: a page forward from `after`, or back from `before`. */
export function toVariables(view: OrdersView) {
  const base = { filter: toFilter(view), orderBy: toOrder(view) };
  if (view.before) return { ...base, last: PAGE_SIZE, before: view.before };
  return { ...base, first: PAGE_SIZE, after: view.after };
}

/** The URL changes that set one filter and go back to the first page. */
export function filterChange(
  changes: Partial<Record<(typeof FILTER_KEYS)[number], string | null>>,
) {
  return { ...changes, after: null, before: null };
}

/** Whether any filter narrows the list (the sort does not). */
export function isFiltered(view: OrdersView): boolean {
  return Object.keys(toFilter(view)).length > 0;
}
