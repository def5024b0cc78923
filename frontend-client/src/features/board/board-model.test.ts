import { describe, expect, it } from "vitest";
import { boardLayout, countStates, processValues, rollUp } from "./board-model";

const machine = (id: string) => ({
  __typename: "Machine" as const,
  id,
  name: id,
  kind: "Mixer",
  state: "EXECUTING" as const,
  stateAt: null,
  currentOperation: null,
  values: [],
});

describe("board layout", () => {
  it("puts every area's lines under their site, lines and machines by id", () => {
    const sites = boardLayout([
      {
        id: "S-02",
        name: "Second",
        areas: [{ id: "A-9", name: "Nine", lines: [{ id: "L-9", name: "L9", machines: [] }] }],
      },
      {
        id: "S-01",
        name: "First",
        areas: [
          {
            id: "A-2",
            name: "Two",
            lines: [{ id: "L-003", name: "L3", machines: [machine("M-2"), machine("M-1")] }],
          },
          { id: "A-1", name: "One", lines: [{ id: "L-001", name: "L1", machines: [] }] },
        ],
      },
    ]);
    expect(sites.map((s) => s.id)).toEqual(["S-01", "S-02"]);
    expect(sites[0]?.lines.map((l) => [l.id, l.areaName])).toEqual([
      ["L-001", "One"],
      ["L-003", "Two"],
    ]);
    expect(sites[0]?.lines[1]?.machines.map((m) => m.id)).toEqual(["M-1", "M-2"]);
  });
});

describe("line OEE roll-up", () => {
  const part = {
    plannedBusyTimeS: 100,
    actualProductionTimeS: 80,
    idleTimeS: 10,
    downTimeS: 10,
    unknownTimeS: 0,
    goodCount: 9,
    scrapCount: 1,
    idealProductionTimeS: 40,
  };

  it("sums times and counts and takes ratios of the sums, never averages ratios", () => {
    const other = {
      ...part,
      plannedBusyTimeS: 300,
      actualProductionTimeS: 60,
      goodCount: 30,
      scrapCount: 0,
      idealProductionTimeS: 30,
    };
    const r = rollUp([part, other]);
    expect(r.plannedBusyTimeS).toBe(400);
    expect(r.producedCount).toBe(40);
    expect(r.availability).toBeCloseTo(140 / 400);
    expect(r.performance).toBeCloseTo(70 / 140);
    expect(r.quality).toBeCloseTo(39 / 40);
    expect(r.oee).toBeCloseTo((140 / 400) * (70 / 140) * (39 / 40));
  });

  it("has no performance (so no OEE) when a part's ideal time is unknown", () => {
    const r = rollUp([part, { ...part, idealProductionTimeS: null }]);
    expect(r.idealProductionTimeS).toBeNull();
    expect(r.performance).toBeNull();
    expect(r.oee).toBeNull();
    expect(r.availability).toBeCloseTo(0.8);
  });

  it("gives null ratios for zero denominators", () => {
    const r = rollUp([]);
    expect([r.availability, r.performance, r.quality, r.oee]).toEqual([null, null, null, null]);
  });
});

describe("state counts and process values", () => {
  it("counts every state, zeros included", () => {
    const counts = countStates(["running", "down", "running", "not-reporting"]);
    expect(counts).toEqual({
      running: 2,
      idle: 0,
      down: 1,
      setup: 0,
      unavailable: 0,
      "not-reporting": 1,
    });
  });

  it("lists measured values, not the state, mode, work order or counters", () => {
    const names = processValues(
      [
        "torque",
        "state",
        "operation_mode",
        "current_work_order_id",
        "good_parts",
        "scrap_parts",
        "tool_wear",
      ].map((name) => ({ name })),
    ).map((v) => v.name);
    expect(names).toEqual(["torque", "tool_wear"]);
  });
});
