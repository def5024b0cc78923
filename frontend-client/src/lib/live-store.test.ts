import { describe, expect, it } from "vitest";
import { inAtOrder, instant, isNewer } from "./event-order";
import { LiveTable } from "./live-store";

const manual = () => {
  let queued: (() => void) | null = null;
  return {
    schedule: (flush: () => void) => {
      queued = flush;
    },
    run: () => queued?.(),
  };
};

const state = (value: string) => () => value;

describe("event order", () => {
  it("sorts by at and keeps arrival order for equal instants", () => {
    const events = [
      { at: 3, n: "c" },
      { at: 1, n: "a" },
      { at: 3, n: "d" },
      { at: 2, n: "b" },
    ];
    expect(inAtOrder(events).map((e) => e.n)).toEqual(["a", "b", "c", "d"]);
  });

  it("only a strictly newer instant replaces", () => {
    expect(isNewer(undefined, { at: 1 })).toBe(true);
    expect(isNewer({ at: 5 }, { at: 5 })).toBe(false);
    expect(isNewer({ at: 5 }, { at: 6 })).toBe(true);
    expect(instant("2026-12-04T10:00:00Z")).toBe(Date.UTC(2026, 11, 4, 10));
    expect(instant(null)).toBe(0);
    expect(instant("not a date")).toBe(0);
  });
});

describe("LiveTable", () => {
  it("applies queued events once per frame, in at order, ignoring older ones", () => {
    const frames = manual();
    const table = new LiveTable<string>(frames.schedule);
    table.applySnapshot([{ id: "M1", at: 100, value: "IDLE" }]);
    table.push({ id: "M1", at: 300, apply: state("DOWN") });
    table.push({ id: "M1", at: 200, apply: state("RUNNING") });
    table.push({ id: "M1", at: 50, apply: state("STALE") });
    expect(table.get("M1")).toBe("IDLE");
    frames.run();
    expect(table.get("M1")).toBe("DOWN");
    expect(table.stamped("M1")?.at).toBe(300);
  });

  it("a snapshot older than an event already shown does not undo it", () => {
    const frames = manual();
    const table = new LiveTable<string>(frames.schedule);
    table.push({ id: "M1", at: 500, apply: state("RUNNING") });
    frames.run();
    table.applySnapshot([
      { id: "M1", at: 400, value: "IDLE" },
      { id: "M2", at: 10, value: "DOWN" },
    ]);
    expect(table.get("M1")).toBe("RUNNING");
    expect(table.get("M2")).toBe("DOWN");
  });

  it("tells only the listeners of the ids that changed", () => {
    const frames = manual();
    const table = new LiveTable<string>(frames.schedule);
    const heard: string[] = [];
    table.subscribe(() => heard.push("M1"), "M1");
    table.subscribe(() => heard.push("M2"), "M2");
    table.subscribe(() => heard.push("any"));
    table.push({ id: "M1", at: 1, apply: state("RUNNING") });
    table.push({ id: "M1", at: 2, apply: state("IDLE") });
    frames.run();
    expect(heard).toEqual(["M1", "any"]);
    expect(table.getRevision()).toBe(1);
  });

  it("a replacing snapshot drops rows it lacks unless an event is newer", () => {
    const frames = manual();
    const table = new LiveTable<string>(frames.schedule);
    table.applySnapshot([
      { id: "A1", at: 1, value: "open" },
      { id: "A2", at: 2, value: "open" },
    ]);
    table.push({ id: "A3", at: 50, apply: state("open") });
    frames.run();
    table.applySnapshot([{ id: "A1", at: 1, value: "open" }], 40);
    expect(table.values().sort()).toEqual(["open", "open"]);
    expect(table.get("A2")).toBeUndefined();
    expect(table.get("A3")).toBe("open");
  });

  it("events build on the row they replace", () => {
    const frames = manual();
    const table = new LiveTable<{ count: number }>(frames.schedule);
    table.applySnapshot([{ id: "W", at: 1, value: { count: 1 } }]);
    table.push({ id: "W", at: 2, apply: (row) => ({ count: (row?.count ?? 0) + 1 }) });
    table.push({ id: "W", at: 3, apply: (row) => ({ count: (row?.count ?? 0) + 1 }) });
    frames.run();
    expect(table.get("W")).toEqual({ count: 3 });
  });
});
