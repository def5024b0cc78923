/**
 * The machine page's arithmetic, as plain data: a state timeline clipped to a window and
 * extended by the live state, its uPlot series, time per state, and the merge of a page's
 * query rows with the live feed's rows (newer wins, by id).
 */
import type { MachineState } from "../../gql/graphql";
import { instant } from "../../lib/event-order";

export interface Interval {
  state: MachineState | null | undefined;
  start: string;
  end: string;
}

/** A timeline as epoch ms: what the chart and the sums work on. */
export interface Span {
  state: MachineState | null;
  start: number;
  end: number;
}

export function toSpans(intervals: readonly Interval[]): Span[] {
  return intervals
    .map((i) => ({ state: i.state ?? null, start: instant(i.start), end: instant(i.end) }))
    .filter((s) => s.end > s.start);
}

/** The spans cut to `[from, to)`. */
export function clipSpans(spans: readonly Span[], from: number, to: number): Span[] {
  const out: Span[] = [];
  for (const s of spans) {
    const start = Math.max(s.start, from);
    const end = Math.min(s.end, to);
    if (end > start) out.push({ state: s.state, start, end });
  }
  return out;
}

/**
 * The timeline as the live feed knows it now: a state that began after the query's answer
 * (a live event) cuts the spans at its start and runs to `now`; otherwise the last span runs
 * on to `now` when it is the current state.
 */
export function withLiveState(
  spans: readonly Span[],
  live: { state: MachineState; since: string | null } | undefined,
  now: number,
): Span[] {
  const out = spans.map((s) => ({ ...s }));
  if (!live) return out;
  const since = instant(live.since);
  const last = out[out.length - 1];
  if (!since || (last && since < last.start)) return out;
  if (last && last.state === live.state && since <= last.end) {
    last.end = Math.max(last.end, now);
    return out;
  }
  const kept = out.filter((s) => s.start < since);
  const tail = kept[kept.length - 1];
  if (tail && tail.end > since) tail.end = since;
  if (now > since) kept.push({ state: live.state, start: since, end: now });
  return kept;
}

/** The series the timeline chart draws: one per state, in this order. */
export const TIMELINE_STATES: ReadonlyArray<{ state: MachineState | null; label: string }> = [
  { state: "EXECUTING", label: "Running" },
  { state: "NOT_EXECUTING", label: "Idle" },
  { state: "OUT_OF_SERVICE", label: "Down" },
  { state: "NOT_AVAILABLE", label: "Unavailable" },
  { state: null, label: "Unknown" },
];

/**
 * uPlot's aligned data for a stepped chart: x in epoch seconds at every span start (and the
 * last end), and per state 1 where the machine was in it from that x to the next, else 0.
 */
export function timelineSeries(spans: readonly Span[]): number[][] {
  const xs: number[] = [];
  const ys: number[][] = TIMELINE_STATES.map(() => []);
  const push = (x: number, state: MachineState | null) => {
    if (xs.length && xs[xs.length - 1] === x) {
      for (const y of ys) y.pop();
      xs.pop();
    }
    xs.push(x);
    TIMELINE_STATES.forEach((s, i) => {
      ys[i]?.push(s.state === state ? 1 : 0);
    });
  };
  for (const s of spans) push(s.start / 1000, s.state);
  const last = spans[spans.length - 1];
  if (last) push(last.end / 1000, last.state);
  return [xs, ...ys];
}

/** Milliseconds in each state (null: unknown) over the spans. */
export function timePerState(spans: readonly Span[]): Map<MachineState | null, number> {
  const sums = new Map<MachineState | null, number>();
  for (const s of spans) sums.set(s.state, (sums.get(s.state) ?? 0) + (s.end - s.start));
  return sums;
}

/** Seconds as h:mm:ss ("7:05:09"), the way the OEE table shows times. */
export function formatHms(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return "–";
  const total = Math.round(Math.abs(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const text = `${h}:${String(m).padStart(2, "0")}:${String(s).padStart(2, "0")}`;
  return seconds < 0 ? `-${text}` : text;
}

/**
 * A page's rows and the live feed's rows as one list by id: the live row wins for an id both
 * have (it is at least as new), then ordered by `key` descending and cut to `limit`.
 */
export function mergeById<T extends { id: string }>(
  fromQuery: readonly T[],
  fromLive: readonly T[],
  key: (row: T) => number,
  limit = Number.POSITIVE_INFINITY,
): T[] {
  const byId = new Map<string, T>();
  for (const row of fromQuery) byId.set(row.id, row);
  for (const row of fromLive) byId.set(row.id, row);
  return [...byId.values()].sort((a, b) => key(b) - key(a)).slice(0, limit);
}
