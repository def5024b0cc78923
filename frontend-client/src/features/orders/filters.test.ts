import { describe, expect, it } from "vitest";
import { dayRange, filterChange, isFiltered, PAGE_SIZE, readView, toVariables } from "./filters";

const view = (query: string) => readView(new URLSearchParams(query));

describe("orders view in the URL", () => {
  it("maps every filter onto SalesOrderFilter and the sort onto SalesOrderOrder", () => {
    const v = view(
      "status=IN_PRODUCTION,OPEN,BOGUS&late=true&risk=HIGH&q=SO-1&customer=C-001&product=FG-1&sort=DUE_AT&dir=ASC",
    );
    expect(toVariables(v)).toEqual({
      filter: {
        statuses: ["OPEN", "IN_PRODUCTION"],
        late: true,
        minRiskSeverity: "HIGH",
        text: "SO-1",
        customerId: "C-001",
        productId: "FG-1",
      },
      orderBy: { field: "DUE_AT", direction: "ASC" },
      first: PAGE_SIZE,
      after: null,
    });
    expect(isFiltered(v)).toBe(true);
  });

  it("defaults: no filter, due date descending, first page", () => {
    const v = view("late=maybe&risk=huge&sort=COLOUR&dir=UP&dueFrom=yesterday");
    expect(toVariables(v)).toEqual({
      filter: {},
      orderBy: { field: "DUE_AT", direction: "DESC" },
      first: PAGE_SIZE,
      after: null,
    });
    expect(isFiltered(v)).toBe(false);
    expect(view("late=false").late).toBe(false);
  });

  it("pages back from `before` with `last`", () => {
    const vars = toVariables(view("before=abc"));
    expect(vars).toMatchObject({ last: PAGE_SIZE, before: "abc" });
    expect(vars).not.toHaveProperty("first");
  });

  it("day ranges include both days (local midnight to the day after `to`)", () => {
    const range = dayRange("2026-11-01", "2026-11-30");
    expect(range?.from).toBe(new Date(2026, 10, 1).toISOString());
    expect(range?.to).toBe(new Date(2026, 11, 1).toISOString());
    expect(dayRange("", "")).toBeNull();
    expect(dayRange("", "2026-12-31")?.to).toBe(new Date(2027, 0, 1).toISOString());
    const v = view("dueFrom=2026-02-31&orderedTo=2026-03-01");
    expect(v.dueFrom).toBe("");
    expect(toVariables(v).filter.orderedAt).toEqual({ to: new Date(2026, 2, 2).toISOString() });
  });

  it("a filter change goes back to the first page", () => {
    expect(filterChange({ late: "true" })).toEqual({ late: "true", after: null, before: null });
  });
});
