/**
 * View state in the URL's query string (filters, sort, selection), so every view is a deep
 * link and the back button works.
 */
import { useCallback } from "react";
import { useLocation, useSearch } from "wouter";

export function useQueryParams(): [
  URLSearchParams,
  (changes: Record<string, string | null>, replace?: boolean) => void,
] {
  const search = useSearch();
  const [location, navigate] = useLocation();
  const params = new URLSearchParams(search);
  const update = useCallback(
    (changes: Record<string, string | null>, replace = true) => {
      const next = new URLSearchParams(search);
      for (const [key, value] of Object.entries(changes)) {
        if (value === null || value === "") next.delete(key);
        else next.set(key, value);
      }
      const query = next.toString();
      navigate(query ? `${location}?${query}` : location, { replace });
    },
    [search, location, navigate],
  );
  return [params, update];
}
