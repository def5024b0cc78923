/**
 * Calls `onChange` when the live alert table changes an alert that affects `salesOrderId`
 * (raised, acknowledged, closed), so the sales order's page refetches its risk from the API
 * instead of computing it here. Not on first render.
 */
import { useEffect, useRef } from "react";
import { useLiveFeeds, useLiveRows } from "../live/hooks";

export function useAlertChanges(salesOrderId: string, onChange: () => void): void {
  const feeds = useLiveFeeds();
  const alerts = useLiveRows(feeds.alerts);
  const key = alerts
    .filter((a) => a.salesOrderIds.includes(salesOrderId))
    .map((a) => `${a.id}:${a.acknowledged ? 1 : 0}:${a.closedAt ?? ""}:${a.severity}`)
    .sort()
    .join("|");
  const seen = useRef<string | null>(null);
  const latest = useRef(onChange);
  latest.current = onChange;
  useEffect(() => {
    if (seen.current !== null && seen.current !== key) latest.current();
    seen.current = key;
  }, [key]);
}
