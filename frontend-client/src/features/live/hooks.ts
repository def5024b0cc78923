/** React access to the live feeds: one row, a whole table, or the connection's status. */
import { createContext, useContext, useEffect, useRef, useSyncExternalStore } from "react";
import type { LiveTable } from "../../lib/live-store";
import type { LiveFeeds } from "./feeds";

export const LiveFeedsContext = createContext<LiveFeeds | null>(null);

export function useLiveFeeds(): LiveFeeds {
  const feeds = useContext(LiveFeedsContext);
  if (!feeds) throw new Error("useLiveFeeds outside the signed-in app");
  return feeds;
}

/** One row of a live table; re-renders only when that row changes. */
export function useLiveRow<T>(table: LiveTable<T>, id: string): T | undefined {
  return useSyncExternalStore(
    (listener) => table.subscribe(listener, id),
    () => table.get(id),
  );
}

/** Every row of a live table (re-renders on any change, at most once a frame). */
export function useLiveRows<T>(table: LiveTable<T>): T[] {
  const revision = useSyncExternalStore(
    (listener) => table.subscribe(listener),
    () => table.getRevision(),
  );
  const cache = useRef<{ revision: number; rows: T[] } | null>(null);
  if (cache.current?.revision !== revision) cache.current = { revision, rows: table.values() };
  return cache.current.rows;
}

export function useConnection(): Pick<LiveFeeds, "status" | "resyncs" | "lastEventAt"> {
  const feeds = useLiveFeeds();
  const key = useSyncExternalStore(
    (listener) => feeds.subscribe(listener),
    () => `${feeds.status}|${feeds.resyncs}|${feeds.lastEventAt ?? ""}`,
  );
  const [status, resyncs, last] = key.split("|");
  return {
    status: status as LiveFeeds["status"],
    resyncs: Number(resyncs),
    lastEventAt: last ? Number(last) : null,
  };
}

/** Run `refetch` after every resync (reconnect or lost events), not on first render. */
export function useOnResync(refetch: () => void): void {
  // Only the resync count: a page that refetches on resync must not re-render per event.
  const feeds = useLiveFeeds();
  const resyncs = useSyncExternalStore(
    (listener) => feeds.subscribe(listener),
    () => feeds.resyncs,
  );
  const first = useRef(resyncs);
  const latest = useRef(refetch);
  latest.current = refetch;
  useEffect(() => {
    if (resyncs !== first.current) latest.current();
  }, [resyncs]);
}
