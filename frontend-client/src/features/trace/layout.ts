/**
 * The trace's layered layout: one column per depth, left to right, computed from the depth
 * every trace node already carries (milliseconds at 10,000 nodes, where a general layout
 * algorithm takes seconds to minutes; see FIELD-NOTES "Web client toolchain").
 *
 * x = depth * columnGap; y = (index in the column - (column size - 1) / 2) * rowGap, so every
 * column is centred on y = 0. Within a column nodes are ordered by label, then id (plain code
 * unit order, not the locale's), so the same trace always gets the same picture.
 */

export interface LayoutNode {
  id: string;
  label: string;
  depth: number;
}

export interface Point {
  x: number;
  y: number;
}

export interface LayoutGaps {
  /** Distance between the centres of two neighbouring depth columns. */
  columnGap: number;
  /** Distance between the centres of two neighbouring nodes in one column. */
  rowGap: number;
}

export const DEFAULT_GAPS: LayoutGaps = { columnGap: 200, rowGap: 46 };

/**
 * Gaps that make the picture about as wide as the viewport is for its height: a tall column
 * (hundreds of batches at one depth) spreads the columns apart instead of leaving a narrow
 * strip in the middle of a wide canvas. `aspect` is the viewport's width / height.
 */
export function gapsFor(
  nodes: readonly LayoutNode[],
  aspect: number,
  base: LayoutGaps = DEFAULT_GAPS,
): LayoutGaps {
  const sizes = new Map<number, number>();
  for (const node of nodes) sizes.set(node.depth, (sizes.get(node.depth) ?? 0) + 1);
  if (sizes.size < 2 || !Number.isFinite(aspect) || aspect <= 0) return base;
  const tallest = Math.max(...sizes.values());
  const depths = [...sizes.keys()];
  const span = Math.max(...depths) - Math.min(...depths);
  const wanted = (tallest * base.rowGap * aspect) / span;
  return { rowGap: base.rowGap, columnGap: Math.min(Math.max(base.columnGap, wanted), 4_000) };
}

function byLabelThenId(a: LayoutNode, b: LayoutNode): number {
  if (a.label !== b.label) return a.label < b.label ? -1 : 1;
  if (a.id !== b.id) return a.id < b.id ? -1 : 1;
  return 0;
}

/** Nodes grouped by depth, each column sorted by label then id; columns in depth order. */
export function columnsByDepth<T extends LayoutNode>(nodes: readonly T[]): Array<[number, T[]]> {
  const columns = new Map<number, T[]>();
  for (const node of nodes) {
    const column = columns.get(node.depth);
    if (column) column.push(node);
    else columns.set(node.depth, [node]);
  }
  for (const column of columns.values()) column.sort(byLabelThenId);
  return [...columns.entries()].sort((a, b) => a[0] - b[0]);
}

/** Each node's position (a node id listed twice keeps its first place). */
export function layeredLayout(
  nodes: readonly LayoutNode[],
  gaps: LayoutGaps = DEFAULT_GAPS,
): Map<string, Point> {
  const positions = new Map<string, Point>();
  for (const [depth, column] of columnsByDepth(nodes)) {
    const middle = (column.length - 1) / 2;
    column.forEach((node, index) => {
      if (!positions.has(node.id)) {
        positions.set(node.id, { x: depth * gaps.columnGap, y: (index - middle) * gaps.rowGap });
      }
    });
  }
  return positions;
}
