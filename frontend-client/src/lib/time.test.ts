import { describe, expect, it } from "vitest";
import { formatDuration, formatPercent } from "./time";

describe("time formatting", () => {
  it("reads durations at the right grain", () => {
    expect(formatDuration(4_000)).toBe("4s");
    expect(formatDuration(125_000)).toBe("2m 5s");
    expect(formatDuration(3 * 3_600_000 + 60_000)).toBe("3h 1m");
    expect(formatDuration(50 * 3_600_000)).toBe("2d 2h");
    expect(formatDuration(-1)).toBe("–");
  });
  it("percentages keep one decimal and show a dash for unknown", () => {
    expect(formatPercent(0.8734)).toBe("87.3%");
    expect(formatPercent(null)).toBe("–");
  });
});
