/**
 * Quality events, newest first, under the URL's filters (the API's QualityEventFilter),
 * 100 at a time with "load more"; events recorded since the page opened arrive through the
 * app-wide quality feed and join the list when they match. `?id=` highlights one event.
 */
import { useMemo } from "react";
import { Link } from "wouter";
import { useLiveFeeds, useLiveRows } from "../../features/live/hooks";
import { HighlightedEvent } from "../../features/quality/components/HighlightedEvent";
import { QualityFilters } from "../../features/quality/components/QualityFilters";
import { QualityRow } from "../../features/quality/components/QualityRow";
import {
  isFiltered,
  qualityFilter,
  readQualityView,
  withLiveEvents,
} from "../../features/quality/quality-view";
import { useQualityEvents } from "../../features/quality/useQualityEvents";
import { useQueryParams } from "../../lib/url-state";
import { ErrorBox, QueryState } from "../../ui/QueryState";
import { WindowedTable } from "../../ui/WindowedRows";
import "../../features/quality/quality.css";

export default function Quality() {
  const feeds = useLiveFeeds();
  const [params, setParams] = useQueryParams();
  const search = params.toString();
  const view = useMemo(() => readQualityView(new URLSearchParams(search)), [search]);
  const filter = useMemo(() => qualityFilter(view), [view]);
  const events = useQualityEvents(filter);
  const live = useLiveRows(feeds.qualityEvents);
  const { rows, added } = useMemo(
    () => withLiveEvents(events.rows, live, view, !events.hasNext),
    [events.rows, live, view, events.hasNext],
  );
  const loadedIds = useMemo(() => new Set(events.rows.map((e) => e.id)), [events.rows]);
  const highlightIndex = view.id ? rows.findIndex((e) => e.id === view.id) : -1;

  const hrefWith = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v === null) next.delete(k);
      else next.set(k, v);
    }
    const query = next.toString();
    return query ? `/quality?${query}` : "/quality";
  };
  const total = events.totalCount === null ? null : events.totalCount + added;

  return (
    <div className="quality-page">
      <h1>Quality events</h1>
      <QualityFilters view={view} setParams={setParams} />
      {view.id && highlightIndex < 0 && !events.fetching && (
        <HighlightedEvent id={view.id} closeHref={hrefWith({ id: null })} />
      )}
      <p className="quality-count" aria-live="polite" data-testid="quality-count">
        {total === null
          ? " "
          : `Showing ${rows.length} of ${total} event${total === 1 ? "" : "s"}${
              isFiltered(view) ? " matching the filters" : ""
            }, newest first.`}
        {added > 0 && ` ${added} new since the page opened.`}
      </p>
      <QueryState
        fetching={events.fetching}
        error={events.error}
        empty={rows.length === 0}
        what="quality events"
        emptyText={
          isFiltered(view) ? (
            <>
              No quality event matches these filters. <Link href="/quality">Clear them</Link>.
            </>
          ) : (
            "No quality events have been recorded."
          )
        }
        retry={events.reload}
      >
        {events.error && <ErrorBox error={events.error} retry={events.reload} />}
        <WindowedTable
          count={rows.length}
          rowHeight={42}
          columns={6}
          label="Quality events"
          caption={<caption className="visually-hidden">Quality events, newest first</caption>}
          head={
            <tr>
              <th scope="col">Occurred</th>
              <th scope="col">Severity</th>
              <th scope="col">Kind</th>
              <th scope="col">Description</th>
              <th scope="col">About</th>
              <th scope="col">Id</th>
            </tr>
          }
          scrollToIndex={highlightIndex}
          renderRow={(index, measure) => {
            const event = rows[index];
            if (!event) return null;
            return (
              <QualityRow
                key={event.id}
                index={index}
                measure={measure}
                event={event}
                highlighted={event.id === view.id}
                isNew={!loadedIds.has(event.id)}
                href={hrefWith({ id: event.id })}
              />
            );
          }}
        />
        <div className="quality-more">
          {events.hasNext ? (
            <button
              type="button"
              onClick={() => void events.loadMore()}
              disabled={events.loadingMore}
              data-testid="quality-load-more"
            >
              {events.loadingMore ? "Loading…" : "Load more"}
            </button>
          ) : (
            <span className="muted">That is every event.</span>
          )}
          {events.moreError && <ErrorBox error={events.moreError} retry={events.loadMore} />}
        </div>
      </QueryState>
    </div>
  );
}
