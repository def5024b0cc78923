import { describe, expect, it } from "vitest";
import { newerState, operationMode, reportedWorkOrder, reportingUntil } from "./machine-values";

describe("machine values", () => {
  const values = [
    { name: "operation_mode", text: "Setup", sourceTimestamp: "2026-12-04T18:00:00Z" },
    { name: "current_work_order_id", text: "WO-1", sourceTimestamp: "2026-12-04T18:00:10Z" },
    { name: "torque", text: null, sourceTimestamp: null },
  ];

  it("reads the operation mode and the reported work order", () => {
    expect(operationMode(values)).toBe("Setup");
    expect(reportedWorkOrder(values)).toBe("WO-1");
    expect(operationMode([])).toBeNull();
  });

  it("reports until the newest sign of life plus the threshold", () => {
    expect(reportingUntil("2026-12-04T17:00:00Z", values, 60)).toBe(
      Date.parse("2026-12-04T18:00:10Z") + 60_000,
    );
    expect(reportingUntil("2026-12-04T18:05:00Z", values, 60)).toBe(
      Date.parse("2026-12-04T18:05:00Z") + 60_000,
    );
    expect(reportingUntil(null, [], 60)).toBe(0);
  });
});

describe("newer state", () => {
  it("takes the live row unless the query knows a later change", () => {
    const live = { state: "EXECUTING", since: "2026-12-04T18:00:00Z" };
    expect(newerState(live, { state: "IDLE", stateAt: "2026-12-04T17:00:00Z" })).toBe(live);
    expect(newerState(live, { state: "IDLE", stateAt: "2026-12-04T18:00:00Z" })).toBe(live);
    expect(newerState(live, { state: "IDLE", stateAt: "2026-12-04T18:00:01Z" })).toEqual({
      state: "IDLE",
      since: "2026-12-04T18:00:01Z",
    });
    expect(newerState(undefined, { state: "IDLE", stateAt: null })).toEqual({
      state: "IDLE",
      since: null,
    });
    expect(newerState(undefined, null)).toBeNull();
  });
});
