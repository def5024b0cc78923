"""The trace-relevant edges of a generated plant, taken from the generator's own chunks.

Baselines (PostgreSQL, networkx) and the cross-check tests load exactly the data the graph
got, without exporting it back out of the graph.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from bench.networkx_trace import TRACE_REL_TYPES, Edge
from graph.bulk import NodeChunk

_TRACED = frozenset(TRACE_REL_TYPES)


@dataclass
class PlantEdges:
    edges: list[Edge] = field(default_factory=list)
    statuses: dict[str, str] = field(default_factory=dict)
    ids_by_label: dict[str, list[str]] = field(default_factory=dict)

    def add(self, chunk: NodeChunk) -> None:
        """Collect one chunk's trace edges, sales order statuses and node ids."""
        self.ids_by_label.setdefault(chunk.label, []).extend(row["id"] for row in chunk.rows)
        if chunk.label == "SalesOrder":
            self.statuses.update((row["id"], row["props"]["status"]) for row in chunk.rows)
        for i, kind in enumerate(chunk.kinds):
            if kind.rel_type not in _TRACED:
                continue
            for row in chunk.rows:
                for edge in row["edges"][i]:
                    if kind.outgoing:
                        self.edges.append(
                            (chunk.label, row["id"], kind.rel_type, kind.other_label, edge["id"])
                        )
                    else:
                        self.edges.append(
                            (kind.other_label, edge["id"], kind.rel_type, chunk.label, row["id"])
                        )


def collect(chunks: Iterable[NodeChunk]) -> PlantEdges:
    plant = PlantEdges()
    for chunk in chunks:
        plant.add(chunk)
    return plant
