"""The part of a snapshot a change can reach: the seeds and everything within `hops` edges.

A message-passing model with L layers sees L hops, so scoring the seeds' (L+1)-hop
neighbourhood gives them the scores the whole graph would (their neighbours' features
are all there), at a fraction of the cost on a large plant. Pure numpy.
"""

from __future__ import annotations

import numpy as np

from inference.snapshot import GraphSnapshot, IndexArray, NodeTable


def restrict(snapshot: GraphSnapshot, seeds: dict[str, list[str]], hops: int) -> GraphSnapshot:
    """`snapshot` cut down to the nodes within `hops` (either direction) of `seeds`."""
    keep: dict[str, np.ndarray] = {
        t: np.zeros(len(table.ids), dtype=bool) for t, table in snapshot.nodes.items()
    }
    for node_type, ids in seeds.items():
        table = snapshot.nodes.get(node_type)
        if table is None:
            continue
        wanted = set(ids)
        keep[node_type] |= np.fromiter((i in wanted for i in table.ids), bool, len(table.ids))
    frontier = {t: mask.copy() for t, mask in keep.items()}
    for _ in range(hops):
        reached = {t: np.zeros_like(mask) for t, mask in keep.items()}
        for (src, _rel, dst), index in snapshot.edges.items():
            if src not in keep or dst not in keep or index.shape[1] == 0:
                continue
            reached[dst][index[1][frontier[src][index[0]]]] = True
            reached[src][index[0][frontier[dst][index[1]]]] = True
        frontier = {t: reached[t] & ~keep[t] for t in keep}
        if not any(mask.any() for mask in frontier.values()):
            break
        for t in keep:
            keep[t] |= frontier[t]
    return _subset(snapshot, keep)


def _subset(snapshot: GraphSnapshot, keep: dict[str, np.ndarray]) -> GraphSnapshot:
    nodes: dict[str, NodeTable] = {}
    remap: dict[str, IndexArray] = {}
    for node_type, table in snapshot.nodes.items():
        mask = keep[node_type]
        rows = np.flatnonzero(mask)
        new_index = np.full(len(table.ids), -1, dtype=np.int64)
        new_index[rows] = np.arange(len(rows), dtype=np.int64)
        remap[node_type] = new_index
        nodes[node_type] = NodeTable(
            ids=[table.ids[r] for r in rows],
            features=table.features[rows],
            feature_names=list(table.feature_names),
        )
    edges: dict[tuple[str, str, str], IndexArray] = {}
    for (src, rel, dst), index in snapshot.edges.items():
        if src not in remap or dst not in remap:
            continue
        both = keep[src][index[0]] & keep[dst][index[1]]
        edges[(src, rel, dst)] = np.stack(
            [remap[src][index[0][both]], remap[dst][index[1][both]]]
        ).astype(np.int64)
    return GraphSnapshot(at=snapshot.at, nodes=nodes, edges=edges, seed=snapshot.seed)
