import { describe, expect, it } from "vitest";
import type { LiveQualityEvent } from "../live/feeds";
import {
  endOfDay,
  matchesQualityView,
  qualityFilter,
  readQualityView,
  startOfDay,
  subjectLabel,
  withLiveEvents,
} from "./quality-view";

function event(id: string, over: Partial<LiveQualityEvent> = {}): LiveQualityEvent {
  return {
    id,
    kind: "DEVIATION",
    severity: "MEDIUM",
    occurredAt: "2026-03-10T12:00:00Z",
    description: "Viscosity out of range",
    subjectIds: ["M-0001", "B-0000007"],
    ...over,
  };
}

describe("readQualityView / qualityFilter", () => {
  it("gives no filter for a bare URL", () => {
    const view = readQualityView(new URLSearchParams(""));
    expect(qualityFilter(view)).toBeNull();
    expect(view.id).toBeNull();
  });

  it("maps every URL filter onto the API filter", () => {
    const view = readQualityView(
      new URLSearchParams(
        "severity=high&kind=nonconformance&q=seal&machine=M-0003&batch=B-1&lot=ML-2&from=2026-03-01&to=2026-03-31&id=QE-1",
      ),
    );
    expect(qualityFilter(view)).toEqual({
      severities: ["HIGH", "CRITICAL"],
      kinds: ["NONCONFORMANCE"],
      text: "seal",
      machineId: "M-0003",
      batchId: "B-1",
      materialLotId: "ML-2",
      occurredAt: { from: startOfDay("2026-03-01"), to: endOfDay("2026-03-31") },
    });
    expect(view.id).toBe("QE-1");
  });

  it("ignores values the API would refuse", () => {
    const view = readQualityView(new URLSearchParams("severity=bad&kind=nope&from=yesterday"));
    expect(qualityFilter(view)).toBeNull();
  });

  it("makes the to-day inclusive", () => {
    expect(Date.parse(endOfDay("2026-03-31")) - Date.parse(startOfDay("2026-03-31"))).toBe(
      86_400_000,
    );
  });
});

describe("matchesQualityView", () => {
  const view = (q: string) => readQualityView(new URLSearchParams(q));
  it("applies each filter as the API does", () => {
    const e = event("QE-1");
    expect(matchesQualityView(e, view(""))).toBe(true);
    expect(matchesQualityView(e, view("severity=MEDIUM"))).toBe(true);
    expect(matchesQualityView(e, view("severity=HIGH"))).toBe(false);
    expect(matchesQualityView(e, view("kind=DEVIATION"))).toBe(true);
    expect(matchesQualityView(e, view("kind=DATA_GAP"))).toBe(false);
    expect(matchesQualityView(e, view("q=VISCOSITY"))).toBe(true);
    expect(matchesQualityView(e, view("q=seal"))).toBe(false);
    expect(matchesQualityView(e, view("machine=M-0001&batch=B-0000007"))).toBe(true);
    expect(matchesQualityView(e, view("lot=ML-0000001"))).toBe(false);
    expect(matchesQualityView(e, view("from=2026-03-11"))).toBe(false);
    expect(matchesQualityView(e, view("to=2026-03-09"))).toBe(false);
  });
});

describe("withLiveEvents", () => {
  const loaded = [
    event("QE-3", { occurredAt: "2026-03-10T12:00:00Z" }),
    event("QE-2", { occurredAt: "2026-03-09T12:00:00Z" }),
  ];
  const view = readQualityView(new URLSearchParams("severity=MEDIUM"));

  it("puts new matching events in time order and skips those already loaded", () => {
    const live = [
      event("QE-9", { occurredAt: "2026-03-11T00:00:00Z" }),
      event("QE-3"),
      event("QE-8", { severity: "LOW", occurredAt: "2026-03-12T00:00:00Z" }),
    ];
    const { rows, added } = withLiveEvents(loaded, live, view, false);
    expect(rows.map((e) => e.id)).toEqual(["QE-9", "QE-3", "QE-2"]);
    expect(added).toBe(1);
  });

  it("holds back an old event until every page is loaded", () => {
    const live = [event("QE-1", { occurredAt: "2026-03-01T00:00:00Z" })];
    expect(withLiveEvents(loaded, live, view, false).added).toBe(0);
    expect(withLiveEvents(loaded, live, view, true).rows.map((e) => e.id)).toEqual([
      "QE-3",
      "QE-2",
      "QE-1",
    ]);
  });
});

describe("subjectLabel", () => {
  it("reads the id prefixes", () => {
    expect(subjectLabel("M-0001")).toBe("Machine");
    expect(subjectLabel("ML-0000674")).toBe("MaterialLot");
    expect(subjectLabel("B-0000924")).toBe("Batch");
    expect(subjectLabel("X-1")).toBeNull();
  });
});
