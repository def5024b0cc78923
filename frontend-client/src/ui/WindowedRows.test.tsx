/** A short list renders every row in a plain table; a long one only a window of them. */
import { act, createElement } from "react";
import { createRoot, type Root } from "react-dom/client";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { WindowedTable } from "./WindowedRows";

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

function table(count: number) {
  return createElement(WindowedTable, {
    count,
    rowHeight: 40,
    columns: 1,
    label: "Things",
    head: createElement("tr", null, createElement("th", { scope: "col" }, "Id")),
    renderRow: (index: number, measure?: (el: Element | null) => void) =>
      createElement(
        "tr",
        { key: index, ref: measure, "data-index": index, "data-testid": "row" },
        createElement("td", null, `row ${index}`),
      ),
  });
}

describe("WindowedTable", () => {
  let container: HTMLDivElement;
  let root: Root;
  beforeEach(() => {
    container = document.createElement("div");
    document.body.append(container);
    root = createRoot(container);
  });
  afterEach(() => {
    act(() => root.unmount());
    container.remove();
  });

  it("renders every row of a short list, with no scrolling region", () => {
    act(() => root.render(table(20)));
    expect(container.querySelectorAll('[data-testid="row"]').length).toBe(20);
    expect(container.querySelector("section")).toBeNull();
    expect(container.querySelector("th")?.getAttribute("scope")).toBe("col");
  });

  it("renders a window of a long list in a labelled, focusable region", () => {
    act(() => root.render(table(5_000)));
    const region = container.querySelector("section.windowed-rows");
    expect(region?.getAttribute("aria-label")).toBe("Things");
    expect(region?.getAttribute("tabindex")).toBe("0");
    const drawn = container.querySelectorAll('[data-testid="row"]').length;
    expect(drawn).toBeLessThan(200);
  });
});
