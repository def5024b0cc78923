import { describe, expect, it } from "vitest";
import { columnsByDepth, gapsFor, type LayoutNode, layeredLayout } from "./layout";

const gaps = { columnGap: 100, rowGap: 10 };

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2147483648;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

const nodes: LayoutNode[] = [
  { id: "B-2", label: "Batch", depth: 0 },
  { id: "ML-9", label: "MaterialLot", depth: 1 },
  { id: "B-1", label: "Batch", depth: 1 },
  { id: "ML-3", label: "MaterialLot", depth: 1 },
  { id: "PO-1", label: "PurchaseOrder", depth: 2 },
  { id: "SUP-1", label: "Supplier", depth: 2 },
];

describe("layeredLayout", () => {
  it("puts each depth in its own column, left to right", () => {
    const at = layeredLayout(nodes, gaps);
    for (const node of nodes) expect(at.get(node.id)?.x).toBe(node.depth * 100);
  });

  it("centres every column on y = 0", () => {
    const at = layeredLayout(nodes, gaps);
    expect(at.get("B-2")).toEqual({ x: 0, y: 0 });
    expect([at.get("B-1")?.y, at.get("ML-3")?.y, at.get("ML-9")?.y]).toEqual([-10, 0, 10]);
    expect([at.get("PO-1")?.y, at.get("SUP-1")?.y]).toEqual([-5, 5]);
  });

  it("orders a column by label, then id", () => {
    const [, column] = columnsByDepth(nodes)[1] ?? [];
    expect(column?.map((n) => n.id)).toEqual(["B-1", "ML-3", "ML-9"]);
  });

  it("does not depend on the order the nodes come in", () => {
    const many: LayoutNode[] = Array.from({ length: 300 }, (_, i) => ({
      id: `N-${i}`,
      label: ["Batch", "MaterialLot", "WorkOrder"][i % 3] as string,
      depth: i % 7,
    }));
    const first = layeredLayout(many, gaps);
    for (const seed of [1, 2, 3]) {
      expect(layeredLayout(shuffled(many, seed), gaps)).toEqual(first);
    }
  });

  it("never puts two nodes closer than the gaps", () => {
    const many: LayoutNode[] = Array.from({ length: 2_000 }, (_, i) => ({
      id: `N-${(i * 7919) % 2000}`,
      label: i % 2 ? "Batch" : "MaterialLot",
      depth: (i * 31) % 9,
    }));
    const at = layeredLayout(many, gaps);
    expect(at.size).toBe(2_000);
    const seen = new Set<string>();
    for (const p of at.values()) {
      const key = `${p.x}:${p.y}`;
      expect(seen.has(key)).toBe(false);
      seen.add(key);
    }
    const byColumn = new Map<number, number[]>();
    for (const p of at.values()) byColumn.set(p.x, [...(byColumn.get(p.x) ?? []), p.y]);
    for (const ys of byColumn.values()) {
      ys.sort((a, b) => a - b);
      for (let i = 1; i < ys.length; i++) {
        expect((ys[i] as number) - (ys[i - 1] as number)).toBeCloseTo(10);
      }
    }
  });

  it("keeps the first place of an id listed twice, and handles an empty trace", () => {
    const at = layeredLayout([...nodes, { id: "B-2", label: "Batch", depth: 5 }], gaps);
    expect(at.get("B-2")?.x).toBe(0);
    expect(layeredLayout([], gaps).size).toBe(0);
  });
});

describe("gapsFor", () => {
  const base = { columnGap: 200, rowGap: 30 };
  const column = (depth: number, count: number): LayoutNode[] =>
    Array.from({ length: count }, (_, i) => ({ id: `${depth}-${i}`, label: "Batch", depth }));

  it("keeps the base gaps for short columns", () => {
    expect(gapsFor([...column(0, 1), ...column(1, 3)], 2, base)).toEqual(base);
  });

  it("spreads the columns of a tall trace to the viewport's aspect", () => {
    const gaps = gapsFor([...column(0, 1), ...column(1, 100), ...column(2, 4)], 2, base);
    expect(gaps.rowGap).toBe(30);
    expect(gaps.columnGap).toBe((100 * 30 * 2) / 2);
  });

  it("caps the spread and ignores a one-column trace or a bad aspect", () => {
    expect(gapsFor([...column(0, 1), ...column(1, 5_000)], 3, base).columnGap).toBe(4_000);
    expect(gapsFor(column(0, 50), 2, base)).toEqual(base);
    expect(gapsFor([...column(0, 1), ...column(1, 100)], 0, base)).toEqual(base);
  });
});
