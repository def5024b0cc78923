/**
 * The rule every live value follows: a row carries the instant (`at`, epoch ms) of what it
 * shows, and a snapshot row or an event replaces it only when it is newer. Snapshots and
 * events can then arrive in any order (a refetch racing the socket after a reconnect) and
 * the screen still ends on the newest state.
 */
export interface Stamped<T> {
  value: T;
  at: number;
}

/** Events in `at` order; equal instants keep their arrival order (Array.sort is stable). */
export function inAtOrder<E extends { at: number }>(events: readonly E[]): E[] {
  return [...events].sort((a, b) => a.at - b.at);
}

/** Whether `incoming` may replace `current` (no current row, or strictly newer). */
export function isNewer(current: { at: number } | undefined, incoming: { at: number }): boolean {
  return current === undefined || incoming.at > current.at;
}

/** Epoch milliseconds of an ISO instant from the API; NaN-safe (unparseable gives 0). */
export function instant(iso: string | null | undefined): number {
  if (!iso) return 0;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? 0 : ms;
}
