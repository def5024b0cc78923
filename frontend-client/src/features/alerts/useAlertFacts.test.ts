import { describe, expect, it } from "vitest";
import type { LiveAlert } from "../live/feeds";
import { withFacts } from "./useAlertFacts";

const row: LiveAlert = {
  id: "RA-1",
  severity: "HIGH",
  message: "m",
  createdAt: "2026-01-01T00:00:00Z",
  acknowledged: true,
  kind: null,
  probability: null,
  horizonH: null,
  closedAt: null,
  aboutIds: ["M-0001"],
  salesOrderIds: [],
};

describe("withFacts", () => {
  it("fills what an acknowledgement event left out, keeps live values", () => {
    const fact = { about: [], kind: "machine_breakdown", probability: 0.8, horizonH: 24 };
    expect(withFacts(row, fact)).toMatchObject({
      kind: "machine_breakdown",
      probability: 0.8,
      horizonH: 24,
      acknowledged: true,
    });
    expect(withFacts({ ...row, probability: 0.6 }, fact).probability).toBe(0.6);
    expect(withFacts(row, undefined)).toBe(row);
  });
});
