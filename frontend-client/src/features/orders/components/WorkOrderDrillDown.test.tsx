/**
 * The drill-down shows the query's progress until a newer progress event arrives for its
 * work order, then the event's numbers and status, and asks once for a refetch when the
 * event names a batch the query does not hold; older events and other work orders' events
 * change nothing.
 */
import { act, createElement } from "react";
import { createRoot, type Root } from "react-dom/client";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { WorkOrderDrillDownFragment } from "../../../gql/graphql";
import { LiveTable } from "../../../lib/live-store";
import type { LiveFeeds, LiveWorkOrder } from "../../live/feeds";
import { LiveFeedsContext } from "../../live/hooks";
import { WorkOrderDrillDown } from "./WorkOrderDrillDown";

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const workOrder: WorkOrderDrillDownFragment = {
  id: "WO-1",
  status: "RELEASED",
  quantity: 200,
  unit: "pcs",
  plannedStart: "2026-12-04T08:00:00Z",
  plannedEnd: "2026-12-04T10:00:00Z",
  actualStart: null,
  actualEnd: null,
  progress: {
    fraction: 0,
    producedQuantity: 0,
    plannedQuantity: 200,
    unit: "pcs",
    operationsDone: 0,
    operationsTotal: 1,
  },
  operations: [
    {
      id: "WO-1-010",
      sequence: 1,
      name: "Filling",
      status: "PENDING",
      plannedStart: "2026-12-04T08:00:00Z",
      actualStart: null,
      actualEnd: null,
      machine: { id: "M-1", name: "Filler" },
      operator: null,
    },
  ],
  batches: [],
};

const event = (at: string, produced: number, id = "WO-1") => ({
  id,
  at: Date.parse(at),
  apply: (): LiveWorkOrder => ({
    status: "IN_PROGRESS",
    producedQuantity: produced,
    quantity: 200,
    unit: "pcs",
    at,
    batchId: "B-9",
  }),
});

describe("work-order drill-down with live progress", () => {
  let container: HTMLDivElement;
  let root: Root;
  let table: LiveTable<LiveWorkOrder>;
  let flush: (() => void) | null;
  const refetch = vi.fn();

  beforeEach(() => {
    container = document.createElement("div");
    document.body.append(container);
    root = createRoot(container);
    flush = null;
    table = new LiveTable<LiveWorkOrder>((f) => {
      flush = f;
    });
    refetch.mockClear();
    const feeds = { workOrders: table } as unknown as LiveFeeds;
    act(() => {
      root.render(
        createElement(
          LiveFeedsContext.Provider,
          { value: feeds },
          createElement(WorkOrderDrillDown, { workOrder, onNewerThanQuery: refetch }),
        ),
      );
    });
  });

  afterEach(() => {
    act(() => root.unmount());
    container.remove();
  });

  const progress = () => container.querySelector<HTMLElement>('[data-testid="progress"]');
  const status = () =>
    container.querySelector<HTMLElement>('[data-testid="work-order-status"]')?.dataset.status;
  const push = (e: ReturnType<typeof event>) =>
    act(() => {
      table.push(e);
      flush?.();
    });

  it("starts from the query and follows a newer event for its work order", () => {
    expect(progress()?.dataset.produced).toBe("0");
    expect(status()).toBe("RELEASED");
    expect(container.querySelector('[data-testid="live-progress"]')).toBeNull();

    push(event("2026-12-04T09:00:00Z", 50, "WO-2"));
    expect(progress()?.dataset.produced).toBe("0");

    push(event("2026-12-04T09:00:00Z", 50));
    expect(progress()?.dataset.produced).toBe("50");
    expect(progress()?.dataset.fraction).toBe("0.25");
    expect(status()).toBe("IN_PROGRESS");
    expect(container.querySelector('[data-testid="live-progress"]')).not.toBeNull();
    expect(container.querySelector('[role="progressbar"]')?.getAttribute("aria-valuenow")).toBe(
      "25",
    );
    expect(refetch).toHaveBeenCalledTimes(1);

    push(event("2026-12-04T08:30:00Z", 10));
    expect(progress()?.dataset.produced).toBe("50");
    expect(refetch).toHaveBeenCalledTimes(1);
  });

  it("links operations to machines and keeps the routing's order", () => {
    const row = container.querySelector('[data-testid="operation-row"]');
    expect(row?.querySelector("a")?.getAttribute("href")).toBe("/machines/M-1");
    expect(container.textContent).toContain("No batch produced yet.");
  });
});
