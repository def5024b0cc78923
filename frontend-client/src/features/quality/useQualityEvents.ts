/**
 * Quality events under a filter, newest first: the first page through useQuery (loading,
 * error, refetch after a resync), further pages appended by "load more" with the cursor.
 * A new filter starts again from its first page.
 */
import type { CombinedError } from "@urql/core";
import { useCallback, useEffect, useMemo, useState } from "react";
import { useClient, useQuery } from "urql";
import type { QualityEventFilter, QualityEventsPageQuery } from "../../gql/graphql";
import { useOnResync } from "../live/hooks";
import { QualityEventsPage } from "./api/quality-events";

export const PAGE_SIZE = 100;

export type QualityEventRow = QualityEventsPageQuery["qualityEvents"]["nodes"][number];

interface More {
  key: string;
  rows: QualityEventRow[];
  cursor: string | null;
  hasNext: boolean;
  fetching: boolean;
  error: CombinedError | null;
}

export function useQualityEvents(filter: QualityEventFilter | null) {
  const key = JSON.stringify(filter);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the key stands for the filter
  const variables = useMemo(() => ({ filter, first: PAGE_SIZE, after: null }), [key]);
  const [first, refetch] = useQuery({ query: QualityEventsPage, variables });
  const client = useClient();
  const [more, setMore] = useState<More | null>(null);
  const page = first.data?.qualityEvents;

  // Extra pages belong to one filter and one first page; either changing drops them.
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset when the first page changes
  useEffect(() => setMore(null), [key, page]);
  const reload = useCallback(() => {
    setMore(null);
    refetch({ requestPolicy: "network-only" });
  }, [refetch]);
  useOnResync(reload);

  const current = more?.key === key ? more : null;
  const cursor = current ? current.cursor : (page?.pageInfo.endCursor ?? null);
  const hasNext = current ? current.hasNext : (page?.pageInfo.hasNextPage ?? false);

  const loadMore = useCallback(async () => {
    if (!hasNext || current?.fetching) return;
    const base: More = current ?? {
      key,
      rows: [],
      cursor,
      hasNext,
      fetching: false,
      error: null,
    };
    setMore({ ...base, fetching: true, error: null });
    const result = await client
      .query(
        QualityEventsPage,
        { filter, first: PAGE_SIZE, after: cursor },
        {
          requestPolicy: "network-only",
        },
      )
      .toPromise();
    setMore((latest) => {
      if (latest?.key !== key) return latest;
      const next = result.data?.qualityEvents;
      if (!next) return { ...latest, fetching: false, error: result.error ?? null };
      return {
        key,
        rows: [...latest.rows, ...next.nodes],
        cursor: next.pageInfo.endCursor ?? null,
        hasNext: next.pageInfo.hasNextPage,
        fetching: false,
        error: null,
      };
    });
  }, [client, filter, key, cursor, hasNext, current]);

  const rows = useMemo(() => {
    const seen = new Set<string>();
    const all: QualityEventRow[] = [];
    for (const row of [...(page?.nodes ?? []), ...(current?.rows ?? [])]) {
      if (seen.has(row.id)) continue;
      seen.add(row.id);
      all.push(row);
    }
    return all;
  }, [page, current]);

  return {
    rows,
    totalCount: page?.totalCount ?? null,
    fetching: first.fetching,
    error: first.error,
    hasNext,
    loadingMore: current?.fetching ?? false,
    moreError: current?.error ?? null,
    loadMore,
    reload,
  };
}
