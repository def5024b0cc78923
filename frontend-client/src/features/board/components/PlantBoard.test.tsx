/**
 * The whole board under live events: 200 machines on 10 lines, 20 state events (each also
 * moving the connection's last-event time, as the real feeds do). The board component does
 * not render again; only the 20 tiles whose machine moved do.
 */
import { act, createElement } from "react";
import { createRoot } from "react-dom/client";
import { describe, expect, it, vi } from "vitest";
import type { PlantBoardQuery } from "../../../gql/graphql";
import { LiveTable } from "../../../lib/live-store";
import type { LiveFeeds, LiveMachine } from "../../live/feeds";
import { LiveFeedsContext } from "../../live/hooks";
import { PlantBoard } from "./PlantBoard";

const counts = vi.hoisted(() => ({ board: 0, tiles: 0 }));
const LINES = 10;
const PER_LINE = 20;
const stamp = new Date().toISOString();

const data: PlantBoardQuery = {
  sites: [
    {
      id: "S-1",
      name: "Site",
      areas: [
        {
          id: "A-1",
          name: "Area",
          lines: Array.from({ length: LINES }, (_, l) => ({
            id: `L-${l}`,
            name: `Line ${l}`,
            machines: Array.from({ length: PER_LINE }, (_, m) => ({
              id: `M-${l}-${String(m).padStart(2, "0")}`,
              name: `Machine ${l}.${m}`,
              kind: "Mixer",
              state: "EXECUTING" as const,
              stateAt: stamp,
              currentOperation: null,
              values: [
                {
                  name: "torque",
                  value: m,
                  text: null,
                  unit: "Nm",
                  sourceTimestamp: stamp,
                  quality: "good",
                },
              ],
            })),
          })),
        },
      ],
    },
  ],
};

const client = vi.hoisted(() => ({
  query: () => ({ toPromise: async () => ({ data: { shiftOee: { rows: [] } } }) }),
}));
const reexecute = vi.hoisted(() => () => undefined);
vi.mock("urql", () => ({
  useQuery: () => [{ data, fetching: false, error: undefined, stale: false }, reexecute],
  useClient: () => client,
}));

// useStaleAfter is read once per board render (and by nothing below it): it counts them.
vi.mock("../../../app/stale", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../../../app/stale")>();
  return {
    ...actual,
    useStaleAfter: () => {
      counts.board += 1;
      return [3600, () => undefined] as [number, (s: number) => void];
    },
  };
});

vi.mock("../../../ui/StateBadge", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../../../ui/StateBadge")>();
  return {
    ...actual,
    StateBadge: (props: Parameters<typeof actual.StateBadge>[0]) => {
      counts.tiles += 1;
      return actual.StateBadge(props);
    },
  };
});

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

/** The parts of LiveFeeds the board reads, with the same per-event notification. */
function fakeFeeds() {
  let flush: (() => void) | null = null;
  const listeners = new Set<() => void>();
  const feeds = {
    machines: new LiveTable<LiveMachine>((f) => {
      flush = f;
    }),
    status: "live",
    resyncs: 0,
    lastEventAt: null as number | null,
    subscribe(listener: () => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    heard() {
      feeds.lastEventAt = Date.now() + Math.random();
      for (const l of listeners) l();
    },
    flush: () => flush?.(),
  };
  return feeds;
}

describe("the plant board under live events", () => {
  it("renders only the moved tiles, never the board", { timeout: 30_000 }, async () => {
    const feeds = fakeFeeds();
    const container = document.createElement("div");
    document.body.append(container);
    const root = createRoot(container);
    await act(async () =>
      root.render(
        createElement(
          LiveFeedsContext.Provider,
          { value: feeds as unknown as LiveFeeds },
          createElement(PlantBoard),
        ),
      ),
    );
    expect(container.querySelectorAll("[data-testid=machine-tile]")).toHaveLength(LINES * PER_LINE);
    const board = counts.board;
    const tiles = counts.tiles;

    const at = Date.now() + 1_000;
    await act(async () => {
      for (let i = 0; i < 20; i += 1) {
        feeds.machines.push({
          id: `M-${i % LINES}-${String(i).padStart(2, "0")}`,
          at: at + i,
          apply: () => ({
            state: "NOT_AVAILABLE",
            previousState: "EXECUTING",
            since: new Date(at + i).toISOString(),
          }),
        });
        feeds.heard();
      }
      feeds.flush();
    });

    expect(
      container.querySelectorAll("[data-state=unavailable][data-testid=machine-tile]"),
    ).toHaveLength(20);
    expect(counts.board - board).toBe(0);
    expect(counts.tiles - tiles).toBe(20);
    await act(async () => root.unmount());
    container.remove();
  });
});
