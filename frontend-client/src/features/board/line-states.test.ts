import { describe, expect, it } from "vitest";
import { LineStates } from "./line-states";

describe("line states", () => {
  it("counts what the tiles report and tells listeners only when a count moves", () => {
    const states = new LineStates();
    let told = 0;
    states.subscribe(() => {
      told += 1;
    });
    states.set("M-1", "running");
    states.set("M-2", "idle");
    expect(told).toBe(2);
    states.set("M-1", "running"); // same state: nothing
    expect(told).toBe(2);
    states.set("M-1", "idle");
    states.set("M-2", "running"); // swap: the counts are as before the first set
    expect(states.counts().running).toBe(1);
    expect(states.counts().idle).toBe(1);
    states.delete("M-2");
    expect(states.counts().running).toBe(0);
    expect(JSON.parse(states.countsKey()).idle).toBe(1);
  });
});
