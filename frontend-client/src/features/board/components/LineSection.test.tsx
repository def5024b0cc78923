/**
 * The board's render budget: 200 tiles under a burst of state events re-render only the
 * tiles whose machine moved (each reads its own live row), and a poll that brings the same
 * values re-renders no tile at all.
 */
import { act, createElement } from "react";
import { createRoot, type Root } from "react-dom/client";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { LiveTable } from "../../../lib/live-store";
import type { LiveMachine } from "../../live/feeds";
import type { BoardLine, BoardMachine } from "../board-model";
import { LineSection } from "./LineSection";

const badgeRenders = vi.hoisted(() => ({ count: 0 }));
vi.mock("../../../ui/StateBadge", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../../../ui/StateBadge")>();
  return {
    ...actual,
    // One StateBadge per tile render: counting them counts tile renders.
    StateBadge: (props: Parameters<typeof actual.StateBadge>[0]) => {
      badgeRenders.count += 1;
      return actual.StateBadge(props);
    },
  };
});

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const TILES = 200;
const now = new Date().toISOString();

function machines(): BoardMachine[] {
  return Array.from({ length: TILES }, (_, i) => ({
    __typename: "Machine" as const,
    id: `M-${String(i).padStart(4, "0")}`,
    name: `Machine ${i}`,
    kind: "Mixer",
    state: "EXECUTING" as const,
    stateAt: now,
    currentOperation: null,
    values: [
      {
        __typename: "MachineValue" as const,
        name: "torque",
        value: i,
        text: null,
        unit: "Nm",
        sourceTimestamp: now,
        quality: "good",
      },
    ],
  }));
}

describe("a line of 200 tiles under live events", () => {
  let container: HTMLDivElement;
  let root: Root;
  let flush: (() => void) | null;
  let table: LiveTable<LiveMachine>;

  beforeEach(() => {
    container = document.createElement("div");
    document.body.append(container);
    root = createRoot(container);
    flush = null;
    table = new LiveTable<LiveMachine>((f) => {
      flush = f;
    });
  });
  afterEach(() => {
    act(() => root.unmount());
    container.remove();
  });

  const render = (line: BoardLine) =>
    act(() =>
      root.render(
        createElement(LineSection, {
          line,
          table,
          staleAfterS: 3600,
          highlighted: false,
          oee: null,
          shiftName: null,
          parts: new Map(),
        }),
      ),
    );

  it("re-renders only the tiles whose machine changed state", () => {
    const line: BoardLine = { id: "L-1", name: "Line", areaName: "Area", machines: machines() };
    render(line);
    expect(container.querySelectorAll("[data-testid=machine-tile]")).toHaveLength(TILES);
    const before = badgeRenders.count;

    // A second's worth of events at 20/s, for 20 different machines, applied in one frame.
    const at = Date.now() + 1_000;
    act(() => {
      for (let i = 0; i < 20; i += 1) {
        table.push({
          id: `M-${String(i * 10).padStart(4, "0")}`,
          at: at + i,
          apply: () => ({
            state: "OUT_OF_SERVICE",
            previousState: "EXECUTING",
            since: new Date(at + i).toISOString(),
          }),
        });
      }
      flush?.();
    });
    expect(badgeRenders.count - before).toBe(20);
    const down = container.querySelectorAll("[data-state=down][data-testid=machine-tile]");
    expect(down).toHaveLength(20);
    const header = container.querySelector("[data-testid=line-header] [data-state=down]");
    expect(header?.getAttribute("data-count")).toBe("20");
  });

  it("re-renders no tile when a poll brings the same values", () => {
    render({ id: "L-1", name: "Line", areaName: "Area", machines: machines() });
    const before = badgeRenders.count;
    // New objects with equal content, as a network-only refetch returns them.
    render({ id: "L-1", name: "Line", areaName: "Area", machines: machines() });
    expect(badgeRenders.count).toBe(before);
  });
});
