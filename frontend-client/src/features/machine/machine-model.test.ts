import { describe, expect, it } from "vitest";
import {
  clipSpans,
  formatHms,
  mergeById,
  TIMELINE_STATES,
  timelineSeries,
  timePerState,
  toSpans,
  withLiveState,
} from "./machine-model";

const t = (hhmm: string) => Date.parse(`2026-12-04T${hhmm}:00Z`);
const iso = (hhmm: string) => `2026-12-04T${hhmm}:00Z`;

describe("timeline", () => {
  const spans = toSpans([
    { state: "EXECUTING", start: iso("10:00"), end: iso("11:00") },
    { state: "NOT_EXECUTING", start: iso("11:00"), end: iso("11:00") }, // empty: dropped
    { state: null, start: iso("11:00"), end: iso("11:30") },
    { state: "OUT_OF_SERVICE", start: iso("11:30"), end: iso("12:00") },
  ]);

  it("drops empty spans and clips to a window", () => {
    expect(spans).toHaveLength(3);
    expect(clipSpans(spans, t("10:30"), t("11:45"))).toEqual([
      { state: "EXECUTING", start: t("10:30"), end: t("11:00") },
      { state: null, start: t("11:00"), end: t("11:30") },
      { state: "OUT_OF_SERVICE", start: t("11:30"), end: t("11:45") },
    ]);
  });

  it("gives uPlot one 0/1 stepped series per state, closed at the last end", () => {
    const [xs, ...ys] = timelineSeries(spans);
    expect(xs).toEqual([
      t("10:00") / 1000,
      t("11:00") / 1000,
      t("11:30") / 1000,
      t("12:00") / 1000,
    ]);
    expect(ys).toHaveLength(TIMELINE_STATES.length);
    const running = ys[TIMELINE_STATES.findIndex((s) => s.state === "EXECUTING")];
    const unknown = ys[TIMELINE_STATES.findIndex((s) => s.state === null)];
    const down = ys[TIMELINE_STATES.findIndex((s) => s.state === "OUT_OF_SERVICE")];
    expect(running).toEqual([1, 0, 0, 0]);
    expect(unknown).toEqual([0, 1, 0, 0]);
    expect(down).toEqual([0, 0, 1, 1]);
    expect(timelineSeries([])).toEqual([[], ...TIMELINE_STATES.map(() => [])]);
  });

  it("sums time per state", () => {
    const sums = timePerState(spans);
    expect(sums.get("EXECUTING")).toBe(3_600_000);
    expect(sums.get(null)).toBe(1_800_000);
  });

  it("extends the current state to now, or cuts at a newer live state", () => {
    const same = withLiveState(spans, { state: "OUT_OF_SERVICE", since: iso("11:30") }, t("12:10"));
    expect(same[same.length - 1]).toEqual({
      state: "OUT_OF_SERVICE",
      start: t("11:30"),
      end: t("12:10"),
    });
    const moved = withLiveState(spans, { state: "EXECUTING", since: iso("11:50") }, t("12:10"));
    expect(moved.slice(-2)).toEqual([
      { state: "OUT_OF_SERVICE", start: t("11:30"), end: t("11:50") },
      { state: "EXECUTING", start: t("11:50"), end: t("12:10") },
    ]);
    // A live row older than the query's last change changes nothing.
    expect(withLiveState(spans, { state: "EXECUTING", since: iso("10:00") }, t("12:10"))).toEqual(
      spans,
    );
  });
});

describe("formatting and merging", () => {
  it("formats seconds as h:mm:ss", () => {
    expect(formatHms(25_509)).toBe("7:05:09");
    expect(formatHms(0.4)).toBe("0:00:00");
    expect(formatHms(null)).toBe("–");
  });

  it("merges query and live rows by id, live winning, newest first", () => {
    const merged = mergeById(
      [
        { id: "a", at: 1, from: "query" },
        { id: "b", at: 3, from: "query" },
      ],
      [
        { id: "a", at: 5, from: "live" },
        { id: "c", at: 2, from: "live" },
      ],
      (r) => r.at,
      2,
    );
    expect(merged.map((r) => `${r.id}:${r.from}`)).toEqual(["a:live", "b:query"]);
  });
});
