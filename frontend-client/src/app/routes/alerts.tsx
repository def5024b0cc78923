/**
 * Risk alerts from the live alert table (snapshot + riskAlerts events; polled every 30 s for
 * roles that may not subscribe), filtered, sorted and searched by the URL's view state, with
 * the explanation of the alert `?alert=ID` names beside the list.
 */
import { useEffect, useMemo, useState } from "react";
import {
  type AlertShow,
  type AlertSort,
  applyAlertView,
  countAlerts,
  readAlertView,
} from "../../features/alerts/alert-view";
import { AlertPanel } from "../../features/alerts/components/AlertPanel";
import { AlertRow } from "../../features/alerts/components/AlertRow";
import { ForesightNotice } from "../../features/alerts/components/ForesightNotice";
import { useAlertFacts, withFacts } from "../../features/alerts/useAlertFacts";
import { useLiveFeeds, useLiveRows } from "../../features/live/hooks";
import { SEVERITIES } from "../../lib/severity";
import { useQueryParams } from "../../lib/url-state";
import { MinSeveritySelect } from "../../ui/MinSeveritySelect";
import { Empty } from "../../ui/QueryState";
import { WindowedTable } from "../../ui/WindowedRows";
import { useCan } from "../session";
import "../../features/alerts/alerts.css";

const SORT_LABEL: Record<AlertSort, string> = {
  newest: "Newest first",
  severity: "Severity",
  probability: "Probability",
};
const SHOW_LABEL: Record<AlertShow, string> = {
  open: "Open",
  all: "All",
  acknowledged: "Acknowledged",
};

export default function Alerts() {
  const feeds = useLiveFeeds();
  const rows = useLiveRows(feeds.alerts);
  const [params, setParams] = useQueryParams();
  const search = params.toString();
  const view = useMemo(() => readAlertView(new URLSearchParams(search)), [search]);
  const selectedId = params.get("alert");
  const rowIds = useMemo(() => rows.map((a) => a.id), [rows]);
  const facts = useAlertFacts(rowIds);
  const filled = useMemo(() => rows.map((a) => withFacts(a, facts.get(a.id))), [rows, facts]);
  const shown = useMemo(() => applyAlertView(filled, view), [filled, view]);
  const counts = useMemo(() => countAlerts(rows), [rows]);
  const mayAcknowledge = useCan("acknowledgeAlert");
  const [text, setText] = useState(view.q);
  useEffect(() => setText(view.q), [view.q]);
  useEffect(() => {
    if (text.trim() === view.q) return;
    const timer = setTimeout(() => setParams({ q: text.trim() || null }), 250);
    return () => clearTimeout(timer);
  }, [text, view.q, setParams]);

  const hrefWith = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v === null) next.delete(k);
      else next.set(k, v);
    }
    const query = next.toString();
    return query ? `/alerts?${query}` : "/alerts";
  };
  const selectedIndex = selectedId ? shown.findIndex((a) => a.id === selectedId) : -1;

  return (
    <div className="alerts-page">
      <h1>Risk alerts</h1>
      <ForesightNotice hasAlerts={rows.length > 0} />
      <p className="alert-counts" data-testid="alert-counts">
        <span data-testid="alert-count-open">{counts.open}</span> open (
        {SEVERITIES.slice()
          .reverse()
          .map((s) => `${counts.openBySeverity[s]} ${s.toLowerCase()}`)
          .join(", ")}
        ), <span data-testid="alert-count-acknowledged">{counts.acknowledged}</span> acknowledged,{" "}
        {counts.closed} closed, <span data-testid="alert-count-total">{counts.total}</span> in all.{" "}
        <span className="muted" data-testid="alerts-refresh">
          {feeds.alertsLive ? "Live." : "Updated every 30 s (your role receives no live alerts)."}
        </span>
      </p>
      {!mayAcknowledge && (
        <p className="muted" data-testid="acknowledge-note">
          Your role may look at alerts but not acknowledge them.
        </p>
      )}
      <search className="toolbar" aria-label="Filter alerts">
        <MinSeveritySelect
          value={view.minSeverity}
          onChange={(severity) => setParams({ severity })}
          testId="alert-filter-severity"
        />
        <label>
          Show
          <select
            value={view.show}
            onChange={(e) => setParams({ show: e.target.value === "open" ? null : e.target.value })}
            data-testid="alert-filter-show"
          >
            {Object.entries(SHOW_LABEL).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Sort by
          <select
            value={view.sort}
            onChange={(e) =>
              setParams({ sort: e.target.value === "newest" ? null : e.target.value })
            }
            data-testid="alert-sort"
          >
            {Object.entries(SORT_LABEL).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Search alerts
          <input
            type="search"
            value={text}
            placeholder="message, kind or id"
            onChange={(e) => setText(e.target.value)}
            data-testid="alert-search"
          />
        </label>
        <span className="muted" data-testid="alert-count-shown" aria-live="polite">
          {shown.length} shown
        </span>
      </search>

      <div className={selectedId ? "alerts-layout with-panel" : "alerts-layout"}>
        <div className="alerts-list">
          {shown.length === 0 ? (
            <Empty>
              {rows.length === 0
                ? "No risk alerts yet."
                : "No alert matches these filters (try Show: All or a lower severity)."}
            </Empty>
          ) : (
            <WindowedTable
              count={shown.length}
              rowHeight={48}
              columns={8}
              label="Alerts"
              caption={
                <caption className="visually-hidden">Risk alerts, {SORT_LABEL[view.sort]}</caption>
              }
              head={
                <tr>
                  <th scope="col">Severity</th>
                  <th scope="col">Alert</th>
                  <th scope="col">Kind</th>
                  <th scope="col" className="num">
                    Probability
                  </th>
                  <th scope="col" className="num">
                    Horizon
                  </th>
                  <th scope="col">Raised</th>
                  <th scope="col">About</th>
                  <th scope="col">State</th>
                </tr>
              }
              scrollToIndex={selectedIndex}
              renderRow={(index, measure) => {
                const alert = shown[index];
                if (!alert) return null;
                return (
                  <AlertRow
                    key={alert.id}
                    index={index}
                    measure={measure}
                    alert={alert}
                    subjects={facts.get(alert.id)?.about}
                    href={hrefWith({ alert: alert.id })}
                    selected={alert.id === selectedId}
                  />
                );
              }}
            />
          )}
        </div>
        {selectedId && <AlertPanel id={selectedId} closeHref={hrefWith({ alert: null })} />}
      </div>
    </div>
  );
}
