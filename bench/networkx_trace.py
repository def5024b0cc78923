"""In-memory genealogy traces with networkx: the benchmark's lower bound and the tests' oracle.

Everything sits in Python dicts, so no database can trace faster; and the code is short
enough to check by eye, so the project's tests use it as the reference answer.

Trace semantics (shared with `bench.postgres_baseline` and `graph.genealogy`):

* Genealogy part: breadth-first over CONSUMED from the start node (depth 0). UPSTREAM
  expands Batches along outgoing CONSUMED to whatever they consumed; DOWNSTREAM expands
  MaterialLots and Batches along incoming CONSUMED to the consuming Batch (only Batch).
  A node's depth is its fewest CONSUMED hops; nodes deeper than `max_depth` are neither
  kept nor expanded. Visited nodes are never expanded twice, so cycles in bad data end.
* Context part (not bounded by `max_depth`), hanging off genealogy node n at depth d:
  UPSTREAM, n a MaterialLot: PurchaseOrder via RECEIVED_AGAINST and Supplier via
  SUPPLIED_BY at d+1. DOWNSTREAM, n a Batch: Shipment s with (s)-[:CONTAINS]->(n) and
  WorkOrder w with (n)-[:PRODUCED_BY]->(w) at d+1; Customer via (s)-[:SHIPPED_TO] and
  SalesOrder via (s)-[:FOR_ORDER] or (w)-[:FULFILLS] at d+2, sales orders only while
  open or in production. A context node's depth is the minimum over all ways to reach
  it; a node already in the genealogy part keeps its genealogy depth.
* An unknown start id gives an empty result.
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from collections.abc import Iterable, Mapping

import networkx as nx

from domain.genealogy import TraceDirection
from domain.states import OPEN_SALES_ORDER_STATUSES
from ingest.demo.rows import gc_paused

log = logging.getLogger(__name__)

Edge = tuple[str, str, str, str, str]
"""(source_label, source_id, rel_type, target_label, target_id)"""

TraceResult = dict[str, tuple[str, int]]
"""node id -> (label, depth)"""

OPEN_STATUSES: frozenset[str] = frozenset(str(status) for status in OPEN_SALES_ORDER_STATUSES)

TRACE_REL_TYPES = (
    "CONSUMED",
    "RECEIVED_AGAINST",
    "SUPPLIED_BY",
    "CONTAINS",
    "SHIPPED_TO",
    "FOR_ORDER",
    "PRODUCED_BY",
    "FULFILLS",
)

# Labels whose CONSUMED relationships each direction follows (as graph/genealogy.py does).
_UPSTREAM_EXPANDS = frozenset({"Batch"})
_DOWNSTREAM_EXPANDS = frozenset({"Batch", "MaterialLot"})


def parse_direction(direction: TraceDirection | str) -> TraceDirection:
    """Accept the enum or its name in any case ("UPSTREAM", "downstream")."""
    return TraceDirection(str(direction).lower())


def _build(
    edges: Iterable[Edge], statuses: Mapping[str, str]
) -> tuple[dict[str, str], frozenset[str], dict[str, nx.DiGraph]]:
    """Labels (the last edge naming an id wins), open sales orders, one graph per type."""
    labels: dict[str, str] = {}
    pairs: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for source_label, source, rel_type, target_label, target in edges:
        labels[source] = source_label
        labels[target] = target_label
        pairs[rel_type].append((source, target))
    for order in statuses:
        labels.setdefault(order, "SalesOrder")
    open_orders = frozenset(order for order, status in statuses.items() if status in OPEN_STATUSES)
    graphs: dict[str, nx.DiGraph] = {}
    for rel_type in TRACE_REL_TYPES:
        graph = nx.DiGraph()
        graph.add_edges_from(pairs.get(rel_type, ()))
        graphs[rel_type] = graph
    return labels, open_orders, graphs


class NetworkxGenealogy:
    """One `networkx.DiGraph` per relationship type, built once, traced many times.

    Separate graphs per type make every step a plain adjacency lookup with no filtering
    on edge attributes: `successors` follow a relationship, `predecessors` go back.
    """

    def __init__(self, edges: Iterable[Edge], statuses: Mapping[str, str]) -> None:
        started = time.perf_counter()
        with gc_paused():
            self.labels, self.open_orders, self.graphs = _build(edges, statuses)
        log.info(
            "networkx.built nodes=%d edges=%d seconds=%.2f",
            len(self.labels),
            sum(g.number_of_edges() for g in self.graphs.values()),
            time.perf_counter() - started,
        )

    def trace(self, start_id: str, direction: TraceDirection | str, max_depth: int) -> TraceResult:
        """Nodes reached from `start_id`, each with its label and depth (module docstring)."""
        if max_depth < 0:
            raise ValueError(f"max_depth must be >= 0, got {max_depth}")
        if start_id not in self.labels:
            return {}
        upstream = parse_direction(direction) is TraceDirection.UPSTREAM
        genealogy = self._genealogy(start_id, upstream, max_depth)
        context = self._upstream_ends(genealogy) if upstream else self._downstream_ends(genealogy)
        labels = self.labels
        result = {node: (labels[node], depth) for node, depth in context.items()}
        result.update((node, (labels[node], depth)) for node, depth in genealogy.items())
        return result

    def _genealogy(self, start_id: str, upstream: bool, max_depth: int) -> dict[str, int]:
        """Fewest CONSUMED hops from the start, level by level, up to `max_depth`."""
        consumed = self.graphs["CONSUMED"]
        step = consumed.successors if upstream else consumed.predecessors
        expands = _UPSTREAM_EXPANDS if upstream else _DOWNSTREAM_EXPANDS
        labels = self.labels
        depths = {start_id: 0}
        frontier = [start_id]
        for depth in range(1, max_depth + 1):
            reached: list[str] = []
            for node in frontier:
                if labels[node] not in expands or node not in consumed:
                    continue
                for other in step(node):
                    if other in depths or (not upstream and labels[other] != "Batch"):
                        continue
                    depths[other] = depth
                    reached.append(other)
            if not reached:
                break
            frontier = reached
        return depths

    def _offer(
        self,
        rel_type: str,
        sources: Mapping[str, int],
        label: str,
        ends: dict[str, int],
        *,
        backwards: bool = False,
    ) -> None:
        """ends[t] = min(depth(s) + 1) over rel_type neighbours t with `label` of s in sources."""
        graph = self.graphs[rel_type]
        step = graph.predecessors if backwards else graph.successors
        labels = self.labels
        open_orders = self.open_orders
        for source, depth in sources.items():
            if source not in graph:
                continue
            for other in step(source):
                if labels[other] != label:
                    continue
                if label == "SalesOrder" and other not in open_orders:
                    continue
                known = ends.get(other)
                if known is None or depth + 1 < known:
                    ends[other] = depth + 1

    def _upstream_ends(self, genealogy: Mapping[str, int]) -> dict[str, int]:
        lots = {n: d for n, d in genealogy.items() if self.labels[n] == "MaterialLot"}
        ends: dict[str, int] = {}
        self._offer("RECEIVED_AGAINST", lots, "PurchaseOrder", ends)
        self._offer("SUPPLIED_BY", lots, "Supplier", ends)
        return ends

    def _downstream_ends(self, genealogy: Mapping[str, int]) -> dict[str, int]:
        batches = {n: d for n, d in genealogy.items() if self.labels[n] == "Batch"}
        shipments: dict[str, int] = {}
        work_orders: dict[str, int] = {}
        self._offer("CONTAINS", batches, "Shipment", shipments, backwards=True)
        self._offer("PRODUCED_BY", batches, "WorkOrder", work_orders)
        ends = {**shipments, **work_orders}
        self._offer("SHIPPED_TO", shipments, "Customer", ends)
        self._offer("FOR_ORDER", shipments, "SalesOrder", ends)
        self._offer("FULFILLS", work_orders, "SalesOrder", ends)
        return ends
