import { describe, expect, it } from "vitest";
import { toCsv } from "./csv";

describe("CSV export", () => {
  it("quotes commas, quotes and line breaks, and guards formulas", () => {
    const text = toCsv(
      ["id", "note"],
      [
        ["L-1", 'says "hi", twice'],
        ["L-2", "two\nlines"],
        ["L-3", "=HYPERLINK()"],
        ["L-4", null],
        ["L-5", { depth: 2 }],
      ],
    );
    expect(text).toBe(
      'id,note\r\nL-1,"says ""hi"", twice"\r\nL-2,"two\nlines"\r\nL-3,"\'=HYPERLINK()"\r\nL-4,\r\nL-5,"{""depth"":2}"\r\n',
    );
  });
});
