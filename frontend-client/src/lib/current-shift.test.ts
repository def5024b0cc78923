import { describe, expect, it } from "vitest";
import { runningShift, runningShiftByMachine } from "./current-shift";

const row = (machineId: string, from: string, to: string, complete: boolean) => ({
  machineId,
  complete,
  shift: { from, to },
});

describe("running shift", () => {
  const now = Date.parse("2026-12-04T18:00:00Z");

  it("picks the shift that contains now and is still running", () => {
    const early = row("M-1", "2026-12-04T05:00:00Z", "2026-12-04T13:00:00Z", true);
    const late = row("M-1", "2026-12-04T13:00:00Z", "2026-12-04T21:00:00Z", false);
    expect(runningShift([early, late], now)).toBe(late);
    expect(runningShift([early], now)).toBeNull();
  });

  it("prefers a running shift over a complete one at a change of shift", () => {
    const ended = row("M-1", "2026-12-04T10:00:00Z", "2026-12-04T18:00:00Z", true);
    const started = row("M-1", "2026-12-04T18:00:00Z", "2026-12-05T02:00:00Z", false);
    expect(runningShift([started, ended], now)).toBe(started);
  });

  it("picks per machine (sites on other calendars)", () => {
    const a = row("M-1", "2026-12-04T13:00:00Z", "2026-12-04T21:00:00Z", false);
    const b = row("M-2", "2026-12-04T14:00:00Z", "2026-12-04T22:00:00Z", false);
    const old = row("M-2", "2026-12-04T06:00:00Z", "2026-12-04T14:00:00Z", true);
    const picked = runningShiftByMachine([a, old, b], now);
    expect(picked.get("M-1")).toBe(a);
    expect(picked.get("M-2")).toBe(b);
  });
});
