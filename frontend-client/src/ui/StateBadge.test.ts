import { describe, expect, it } from "vitest";
import { tileState } from "./StateBadge";

describe("tile state", () => {
  it("maps API states, setup mode and silence", () => {
    expect(tileState("EXECUTING", null, true)).toBe("running");
    expect(tileState("NOT_EXECUTING", "Processing", true)).toBe("idle");
    expect(tileState("NOT_EXECUTING", "Setup", true)).toBe("setup");
    expect(tileState("OUT_OF_SERVICE", null, true)).toBe("down");
    expect(tileState("NOT_AVAILABLE", null, true)).toBe("unavailable");
    expect(tileState("EXECUTING", null, false)).toBe("not-reporting");
    expect(tileState(null, null, true)).toBe("not-reporting");
  });
});
