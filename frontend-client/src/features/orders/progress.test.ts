import { describe, expect, it } from "vitest";
import type { LiveWorkOrder } from "../live/feeds";
import { delay } from "./delay";
import { mergeProgress, snapshotInstant, type WorkOrderSnapshot } from "./progress";

const wo: WorkOrderSnapshot = {
  status: "IN_PROGRESS",
  quantity: 200,
  unit: "pcs",
  actualStart: "2026-12-04T08:00:00Z",
  actualEnd: null,
  progress: {
    fraction: 0.25,
    producedQuantity: 50,
    plannedQuantity: 200,
    unit: "pcs",
    operationsDone: 1,
    operationsTotal: 3,
  },
  operations: [{ actualStart: "2026-12-04T08:00:00Z", actualEnd: "2026-12-04T09:00:00Z" }],
  batches: [{ startedAt: "2026-12-04T08:00:00Z", completedAt: "2026-12-04T09:30:00Z" }],
};

const event = (at: string, produced: number): LiveWorkOrder => ({
  status: "IN_PROGRESS",
  producedQuantity: produced,
  quantity: 200,
  unit: "pcs",
  at,
  batchId: "B-NEW",
});

describe("work-order progress", () => {
  it("the query's instant is the latest it saw", () => {
    expect(snapshotInstant(wo)).toBe(Date.parse("2026-12-04T09:30:00Z"));
  });

  it("keeps the query's numbers without a newer event", () => {
    expect(mergeProgress(wo, undefined)).toMatchObject({ fraction: 0.25, live: false });
    expect(mergeProgress(wo, event("2026-12-04T09:30:00Z", 80))).toMatchObject({
      producedQuantity: 50,
      live: false,
    });
  });

  it("shows a newer live event, keeping the operation counts", () => {
    expect(mergeProgress(wo, event("2026-12-04T10:00:00Z", 120))).toEqual({
      status: "IN_PROGRESS",
      producedQuantity: 120,
      plannedQuantity: 200,
      unit: "pcs",
      fraction: 0.6,
      operationsDone: 1,
      operationsTotal: 3,
      live: true,
      liveAt: "2026-12-04T10:00:00Z",
      liveBatchId: "B-NEW",
    });
    expect(mergeProgress(wo, event("2026-12-04T10:00:00Z", 500)).fraction).toBe(1);
  });
});

describe("delay", () => {
  it("says late, early or on time", () => {
    expect(delay("2026-12-04T08:00:00Z", "2026-12-04T09:05:00Z")?.text).toBe("1h 5m late");
    expect(delay("2026-12-04T08:00:00Z", "2026-12-04T07:48:00Z")?.text).toBe("12m 0s early");
    expect(delay("2026-12-04T08:00:00Z", "2026-12-04T08:00:30Z")?.text).toBe("on time");
    expect(delay("2026-12-04T08:00:00Z", null)).toBeNull();
  });
});
