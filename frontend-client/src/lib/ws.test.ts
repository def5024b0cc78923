import { describe, expect, it } from "vitest";
import { backoffMs } from "./ws";

describe("backoff", () => {
  it("doubles from half a second up to ten seconds, within the jitter", () => {
    const mid = () => 0.5;
    expect([0, 1, 2, 3, 4, 5, 6, 12].map((n) => backoffMs(n, mid))).toEqual([
      500, 1000, 2000, 4000, 8000, 10000, 10000, 10000,
    ]);
    expect(backoffMs(0, () => 0)).toBe(375);
    expect(backoffMs(0, () => 1)).toBe(625);
  });
});
