import { describe, expect, it } from "vitest";
import { checkToken, refusal } from "./urql-client";

describe("token check", () => {
  it("shows the server's reason for a refused token", async () => {
    const answer = await checkToken(
      "fgt_bad",
      async () => new Response("invalid, unknown or revoked API token", { status: 401 }),
    );
    expect(answer).toEqual({
      ok: false,
      reason: "The server refused this token (HTTP 401: invalid, unknown or revoked API token).",
    });
  });

  it("reads the viewer of an accepted token", async () => {
    const answer = await checkToken("fgt_good", async (_url, init) => {
      expect((init?.headers as Record<string, string> | undefined)?.Authorization).toBe(
        "Bearer fgt_good",
      );
      return Response.json({
        data: { viewer: { role: "PLANNER", name: "ann", anonymous: false } },
      });
    });
    expect(answer).toEqual({ ok: true, role: "PLANNER", name: "ann" });
  });

  it("takes a GraphQL error's message, a plain body, or nothing", () => {
    expect(refusal('{"errors":[{"message":"no"}]}')).toBe("no");
    expect(refusal("  plain  ")).toBe("plain");
    expect(refusal("")).toBeUndefined();
  });
});
