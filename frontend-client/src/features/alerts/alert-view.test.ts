import { describe, expect, it } from "vitest";
import type { LiveAlert } from "../live/feeds";
import {
  applyAlertView,
  countAlerts,
  formatHorizon,
  humanKind,
  labelOfNodeType,
  readAlertView,
} from "./alert-view";

function alert(id: string, over: Partial<LiveAlert> = {}): LiveAlert {
  return {
    id,
    severity: "MEDIUM",
    message: `alert ${id}`,
    createdAt: "2026-01-01T00:00:00Z",
    acknowledged: false,
    kind: "late_delivery",
    probability: 0.5,
    horizonH: 72,
    closedAt: null,
    aboutIds: [],
    salesOrderIds: [],
    ...over,
  };
}

describe("readAlertView", () => {
  it("reads the URL and falls back to defaults", () => {
    expect(readAlertView(new URLSearchParams(""))).toEqual({
      minSeverity: null,
      sort: "newest",
      show: "open",
      q: "",
    });
    expect(
      readAlertView(new URLSearchParams("severity=high&sort=probability&show=all&q=%20M-1%20")),
    ).toEqual({ minSeverity: "HIGH", sort: "probability", show: "all", q: "M-1" });
    expect(readAlertView(new URLSearchParams("severity=huge&sort=x&show=y")).minSeverity).toBe(
      null,
    );
  });
});

describe("applyAlertView", () => {
  const rows = [
    alert("a", { severity: "LOW", createdAt: "2026-01-03T00:00:00Z", probability: 0.9 }),
    alert("b", { severity: "CRITICAL", createdAt: "2026-01-01T00:00:00Z", probability: 0.6 }),
    alert("c", { severity: "HIGH", createdAt: "2026-01-02T00:00:00Z", acknowledged: true }),
    alert("d", {
      severity: "HIGH",
      createdAt: "2026-01-04T00:00:00Z",
      closedAt: "2026-01-05T00:00:00Z",
      aboutIds: ["M-0007"],
      kind: "machine_breakdown",
    }),
  ];
  const view = readAlertView(new URLSearchParams("show=all"));

  it("sorts newest, by severity, by probability", () => {
    expect(applyAlertView(rows, view).map((a) => a.id)).toEqual(["d", "a", "c", "b"]);
    expect(applyAlertView(rows, { ...view, sort: "severity" }).map((a) => a.id)).toEqual([
      "b",
      "d",
      "c",
      "a",
    ]);
    expect(applyAlertView(rows, { ...view, sort: "probability" }).map((a) => a.id)).toEqual([
      "a",
      "b",
      "d",
      "c",
    ]);
  });

  it("filters by minimum severity, state and text", () => {
    expect(applyAlertView(rows, { ...view, minSeverity: "HIGH" }).map((a) => a.id)).toEqual([
      "d",
      "c",
      "b",
    ]);
    expect(applyAlertView(rows, { ...view, show: "open" }).map((a) => a.id)).toEqual(["a", "b"]);
    expect(applyAlertView(rows, { ...view, show: "acknowledged" }).map((a) => a.id)).toEqual(["c"]);
    expect(applyAlertView(rows, { ...view, q: "m-0007" }).map((a) => a.id)).toEqual(["d"]);
    expect(applyAlertView(rows, { ...view, q: "BREAKDOWN" }).map((a) => a.id)).toEqual(["d"]);
  });

  it("counts open alerts per severity", () => {
    const counts = countAlerts(rows);
    expect(counts).toMatchObject({ total: 4, open: 2, acknowledged: 1, closed: 1 });
    expect(counts.openBySeverity).toEqual({ LOW: 1, MEDIUM: 0, HIGH: 0, CRITICAL: 1 });
  });
});

describe("formatting", () => {
  it("says horizons and kinds as people do", () => {
    expect(formatHorizon(72)).toBe("3 d");
    expect(formatHorizon(24)).toBe("24 h");
    expect(formatHorizon(null)).toBe("–");
    expect(humanKind("material_shortage")).toBe("Material shortage");
    expect(humanKind(null)).toBe("–");
    expect(labelOfNodeType("work_order")).toBe("WorkOrder");
    expect(labelOfNodeType("material_lot")).toBe("MaterialLot");
    expect(labelOfNodeType("Machine")).toBe("Machine");
  });
});
