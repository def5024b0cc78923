/**
 * The orders list's filters and sort, one control per SalesOrderFilter field. Choices
 * (statuses, lateness, risk, sort) apply at once; typed fields (text, ids, dates) apply on
 * Enter, on "Apply" or when the field loses focus. Everything lands in the URL.
 */
import { type FormEvent, useEffect, useState } from "react";
import type { SalesOrderStatus } from "../../../gql/graphql";
import { SEVERITIES } from "../../../lib/severity";
import {
  FILTER_KEYS,
  type OrdersView,
  SALES_ORDER_STATUSES,
  SORT_FIELDS,
  SORT_LABEL,
  STATUS_LABEL,
} from "../filters";

type Change = Record<string, string | null>;

const TYPED = ["q", "customer", "product", "dueFrom", "dueTo", "orderedFrom", "orderedTo"] as const;
type Typed = (typeof TYPED)[number];

function draftOf(view: OrdersView): Record<Typed, string> {
  return {
    q: view.q,
    customer: view.customer,
    product: view.product,
    dueFrom: view.dueFrom,
    dueTo: view.dueTo,
    orderedFrom: view.orderedFrom,
    orderedTo: view.orderedTo,
  };
}

export function OrdersFilters({
  view,
  onChange,
}: {
  view: OrdersView;
  onChange: (change: Change) => void;
}) {
  const fromUrl = draftOf(view);
  const key = JSON.stringify(fromUrl);
  const [draft, setDraft] = useState(fromUrl);
  // The URL changed under us (back button, a link): show what it now says.
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for `fromUrl`
  useEffect(() => setDraft(fromUrl), [key]);

  /** Apply `extra` with whatever typed fields differ from the URL, in one navigation. */
  const emit = (extra: Change = {}) => {
    const change: Change = {};
    for (const k of TYPED) if (draft[k].trim() !== fromUrl[k]) change[k] = draft[k].trim() || null;
    Object.assign(change, extra);
    if (Object.keys(change).length) onChange(change);
  };
  const applyTyped = () => emit();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    applyTyped();
  };
  const toggleStatus = (status: SalesOrderStatus, on: boolean) => {
    const next = SALES_ORDER_STATUSES.filter((s) =>
      s === status ? on : view.statuses.includes(s),
    );
    emit({ status: next.length ? next.join(",") : null });
  };
  const text = (k: Typed, label: string, type = "text", placeholder?: string) => (
    <label>
      {label}
      <input
        type={type}
        name={k}
        value={draft[k]}
        placeholder={placeholder}
        onChange={(e) => setDraft({ ...draft, [k]: e.target.value })}
        onBlur={applyTyped}
      />
    </label>
  );

  return (
    <form className="orders-filters panel" onSubmit={submit} aria-label="Filter sales orders">
      <fieldset className="status-filter">
        <legend>Status</legend>
        {SALES_ORDER_STATUSES.map((s) => (
          <label key={s} className="check">
            <input
              type="checkbox"
              name="status"
              value={s}
              checked={view.statuses.includes(s)}
              onChange={(e) => toggleStatus(s, e.target.checked)}
            />
            {STATUS_LABEL[s]}
          </label>
        ))}
      </fieldset>
      <div className="toolbar">
        <label>
          Lateness
          <select
            name="late"
            value={view.late === null ? "" : String(view.late)}
            onChange={(e) => emit({ late: e.target.value || null })}
          >
            <option value="">Any</option>
            <option value="true">Late only</option>
            <option value="false">Not late</option>
          </select>
        </label>
        <label>
          Risk at least
          <select
            name="risk"
            value={view.risk ?? ""}
            onChange={(e) => emit({ risk: e.target.value || null })}
          >
            <option value="">Any</option>
            {SEVERITIES.map((s) => (
              <option key={s} value={s}>
                {s.charAt(0) + s.slice(1).toLowerCase()}
              </option>
            ))}
          </select>
        </label>
        {text("q", "Order id contains", "search")}
        {text("customer", "Customer id", "text", "C-…")}
        {text("product", "Product id", "text", "FG-…")}
        {text("dueFrom", "Due from", "date")}
        {text("dueTo", "Due to", "date")}
        {text("orderedFrom", "Ordered from", "date")}
        {text("orderedTo", "Ordered to", "date")}
        <label>
          Sort by
          <select name="sort" value={view.sort} onChange={(e) => emit({ sort: e.target.value })}>
            {SORT_FIELDS.map((f) => (
              <option key={f} value={f}>
                {SORT_LABEL[f]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Direction
          <select name="dir" value={view.dir} onChange={(e) => emit({ dir: e.target.value })}>
            <option value="ASC">Ascending</option>
            <option value="DESC">Descending</option>
          </select>
        </label>
        <button type="submit">Apply</button>
        <button
          type="button"
          className="secondary"
          onClick={() => onChange(Object.fromEntries(FILTER_KEYS.map((k) => [k, null])))}
        >
          Clear filters
        </button>
      </div>
    </form>
  );
}
