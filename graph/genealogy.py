"""Traceability: upstream and downstream genealogy traces and the recall scope of a lot.

A trace is a breadth-first search over `CONSUMED`, one statement per level. Variable-
length patterns (`-[:CONSUMED*1..n]->`) enumerate every path, and genealogy with
many-to-many consumption and carry-over has exponentially many paths between a lot and
a late batch; level-by-level BFS touches each relationship once, gives every node its
fewest-hop depth, and stops on cycles in bad data because a visited node is never
expanded twice. After the genealogy, one more statement fetches the commercial ends:
purchase orders and suppliers upstream; shipments, work orders, customers and open
sales orders downstream.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from domain.genealogy import RecallScope, Trace, TraceDirection, TraceEdge, TraceNode
from domain.states import OPEN_SALES_ORDER_STATUSES
from graph.errors import GraphError, NotFoundError
from graph.store import GraphStore

DEFAULT_MAX_DEPTH = 20
MAX_DEPTH_LIMIT = 100
_GENEALOGY = ("Batch", "MaterialLot")

_UPSTREAM_LEVEL = (
    "UNWIND $batches AS id "
    "MATCH (:Batch {id: id})-[r:CONSUMED]->(x) "
    "RETURN id AS anchor, x.id AS id, labels(x)[0] AS label, x AS node, r AS rel"
)

_DOWNSTREAM_LEVEL = (
    "UNWIND $lots AS id "
    "MATCH (:MaterialLot {id: id})<-[r:CONSUMED]-(x:Batch) "
    "RETURN id AS anchor, x.id AS id, 'Batch' AS label, x AS node, r AS rel "
    "UNION ALL "
    "UNWIND $batches AS id "
    "MATCH (:Batch {id: id})<-[r:CONSUMED]-(x:Batch) "
    "RETURN id AS anchor, x.id AS id, 'Batch' AS label, x AS node, r AS rel"
)

# Commercial ends. `hops` is the distance from the genealogy node (`anchor`); `via` is the
# node between them, when there is one, so the edge list stays a connected subgraph.
_UPSTREAM_ENDS = (
    "UNWIND $lots AS id "
    "MATCH (:MaterialLot {id: id})-[:RECEIVED_AGAINST]->(x:PurchaseOrder) "
    "RETURN id AS anchor, null AS via, 'RECEIVED_AGAINST' AS type, x.id AS id, "
    "'PurchaseOrder' AS label, x AS node, 1 AS hops "
    "UNION ALL "
    "UNWIND $lots AS id "
    "MATCH (:MaterialLot {id: id})-[:SUPPLIED_BY]->(x:Supplier) "
    "RETURN id AS anchor, null AS via, 'SUPPLIED_BY' AS type, x.id AS id, "
    "'Supplier' AS label, x AS node, 1 AS hops"
)

_DOWNSTREAM_ENDS = (
    "UNWIND $batches AS id "
    "MATCH (x:Shipment)-[:CONTAINS]->(:Batch {id: id}) "
    "RETURN id AS anchor, null AS via, 'CONTAINS' AS type, x.id AS id, "
    "'Shipment' AS label, x AS node, 1 AS hops "
    "UNION ALL "
    "UNWIND $batches AS id "
    "MATCH (:Batch {id: id})-[:PRODUCED_BY]->(x:WorkOrder) "
    "RETURN id AS anchor, null AS via, 'PRODUCED_BY' AS type, x.id AS id, "
    "'WorkOrder' AS label, x AS node, 1 AS hops "
    "UNION ALL "
    "UNWIND $batches AS id "
    "MATCH (s:Shipment)-[:CONTAINS]->(:Batch {id: id}) "
    "MATCH (s)-[:SHIPPED_TO]->(x:Customer) "
    "RETURN id AS anchor, s.id AS via, 'SHIPPED_TO' AS type, x.id AS id, "
    "'Customer' AS label, x AS node, 2 AS hops "
    "UNION ALL "
    "UNWIND $batches AS id "
    "MATCH (s:Shipment)-[:CONTAINS]->(:Batch {id: id}) "
    "MATCH (s)-[:FOR_ORDER]->(x:SalesOrder) WHERE x.status IN $open "
    "RETURN id AS anchor, s.id AS via, 'FOR_ORDER' AS type, x.id AS id, "
    "'SalesOrder' AS label, x AS node, 2 AS hops "
    "UNION ALL "
    "UNWIND $batches AS id "
    "MATCH (:Batch {id: id})-[:PRODUCED_BY]->(w:WorkOrder)-[:FULFILLS]->(x:SalesOrder) "
    "WHERE x.status IN $open "
    "RETURN id AS anchor, w.id AS via, 'FULFILLS' AS type, x.id AS id, "
    "'SalesOrder' AS label, x AS node, 2 AS hops"
)

_RESOLVE_START = (
    "OPTIONAL MATCH (b:Batch {id: $key}) "
    "OPTIONAL MATCH (l:MaterialLot {id: $key}) "
    "RETURN b AS batch, l AS lot"
)

_LOTS_BY_SUPPLIER_LOT = (
    "MATCH (l:MaterialLot {supplier_lot: $key})-[:SUPPLIED_BY]->(s:Supplier) "
    "WHERE $supplier IS NULL OR s.id = $supplier "
    "RETURN l AS lot, s.id AS supplier ORDER BY l.id"
)

_FINISHED_BATCHES = (
    "UNWIND $batches AS id "
    "MATCH (b:Batch {id: id})-[:PRODUCED_BY]->(:WorkOrder)-[:MAKES]->(p:Product) "
    "WHERE p.kind = 'finished' "
    "RETURN b.id AS id"
)


class _TraceBuilder:
    """Collects nodes with their fewest-hop depth and de-duplicated edges."""

    def __init__(self) -> None:
        self.nodes: dict[str, TraceNode] = {}
        self.edges: dict[tuple[str, str, str], TraceEdge] = {}

    def add_node(self, node_id: str, label: str, depth: int, props: dict[str, Any]) -> bool:
        """Add or lower a node's depth; True when the node is new."""
        known = self.nodes.get(node_id)
        if known is not None and known.depth <= depth:
            return False
        self.nodes[node_id] = TraceNode(id=node_id, label=label, depth=depth, properties=props)
        return known is None

    def add_edge(self, source: str, rel: str, target: str, props: dict[str, Any]) -> None:
        self.edges.setdefault(
            (source, rel, target),
            TraceEdge(source_id=source, type=rel, target_id=target, properties=props),
        )


def _check_depth(max_depth: int) -> int:
    if not 0 <= max_depth <= MAX_DEPTH_LIMIT:
        raise GraphError(f"max_depth must be between 0 and {MAX_DEPTH_LIMIT}, got {max_depth}")
    return max_depth


async def resolve_start(store: GraphStore, key: str) -> list[tuple[str, dict[str, Any]]]:
    """Find the batch or lot a trace starts from: by id, else by the supplier's lot number.

    A supplier lot number is unique only per supplier, so it may name several lots.
    Returns (label, properties) pairs; raises NotFoundError when nothing matches.
    """
    rows = await store.read(_RESOLVE_START, {"key": key})
    found = [
        (label, row[column])
        for row in rows
        for label, column in (("Batch", "batch"), ("MaterialLot", "lot"))
        if row[column] is not None
    ]
    if not found:
        found = [("MaterialLot", lot) for lot, _ in await lots_by_supplier_lot(store, key)]
    if not found:
        raise NotFoundError(f"no batch or lot with id or supplier lot number {key!r}", [key])
    return found


async def lots_by_supplier_lot(
    store: GraphStore, supplier_lot: str, supplier_id: str | None = None
) -> list[tuple[dict[str, Any], str]]:
    """Lots known under the supplier's own lot number, with the supplier's id."""
    rows = await store.read(_LOTS_BY_SUPPLIER_LOT, {"key": supplier_lot, "supplier": supplier_id})
    return [(row["lot"], row["supplier"]) for row in rows]


async def trace(
    store: GraphStore,
    start: str | Sequence[str],
    direction: TraceDirection,
    max_depth: int = DEFAULT_MAX_DEPTH,
) -> Trace:
    """Trace from one id (or supplier lot number), or from several resolved ids."""
    _check_depth(max_depth)
    keys = [start] if isinstance(start, str) else list(start)
    builder = _TraceBuilder()
    for key in keys:
        for label, props in await resolve_start(store, key):
            builder.add_node(props["id"], label, 0, props)
    await _walk_genealogy(store, builder, direction, max_depth)
    await _attach_ends(store, builder, direction)
    return Trace(
        start_ids=[n.id for n in builder.nodes.values() if n.depth == 0],
        direction=direction,
        max_depth=max_depth,
        nodes=sorted(builder.nodes.values(), key=lambda n: (n.depth, n.label, n.id)),
        edges=list(builder.edges.values()),
    )


async def _walk_genealogy(
    store: GraphStore, builder: _TraceBuilder, direction: TraceDirection, max_depth: int
) -> None:
    frontier = [node for node in builder.nodes.values() if node.label in _GENEALOGY]
    depth = 0
    while frontier and depth < max_depth:
        depth += 1
        batches = [n.id for n in frontier if n.label == "Batch"]
        lots = [n.id for n in frontier if n.label == "MaterialLot"]
        if direction is TraceDirection.UPSTREAM:
            if not batches:
                break
            rows = await store.read(_UPSTREAM_LEVEL, {"batches": batches})
        else:
            rows = await store.read(_DOWNSTREAM_LEVEL, {"lots": lots, "batches": batches})
        next_frontier: list[TraceNode] = []
        for row in rows:
            if direction is TraceDirection.UPSTREAM:
                builder.add_edge(row["anchor"], "CONSUMED", row["id"], row["rel"])
            else:
                builder.add_edge(row["id"], "CONSUMED", row["anchor"], row["rel"])
            if builder.add_node(row["id"], row["label"], depth, row["node"]):
                next_frontier.append(builder.nodes[row["id"]])
        frontier = next_frontier


async def _attach_ends(
    store: GraphStore, builder: _TraceBuilder, direction: TraceDirection
) -> None:
    depth_of = {n.id: n.depth for n in builder.nodes.values()}
    if direction is TraceDirection.UPSTREAM:
        lots = [n.id for n in builder.nodes.values() if n.label == "MaterialLot"]
        if not lots:
            return
        rows = await store.read(_UPSTREAM_ENDS, {"lots": lots})
    else:
        batches = [n.id for n in builder.nodes.values() if n.label == "Batch"]
        if not batches:
            return
        open_statuses = [status.value for status in OPEN_SALES_ORDER_STATUSES]
        rows = await store.read(_DOWNSTREAM_ENDS, {"batches": batches, "open": open_statuses})
    for row in rows:
        anchor, via, node_id = row["anchor"], row["via"], row["id"]
        if node_id in depth_of:  # a genealogy node keeps its genealogy depth
            continue
        builder.add_node(node_id, row["label"], depth_of[anchor] + int(row["hops"]), row["node"])
        rel = row["type"]
        if rel in ("RECEIVED_AGAINST", "SUPPLIED_BY", "PRODUCED_BY"):
            builder.add_edge(anchor, rel, node_id, {})
        elif rel == "CONTAINS":
            builder.add_edge(node_id, rel, anchor, {})
        else:  # SHIPPED_TO / FOR_ORDER from the shipment, FULFILLS from the work order
            builder.add_edge(via, rel, node_id, {})


async def recall_scope(
    store: GraphStore, lot: str, max_depth: int = MAX_DEPTH_LIMIT
) -> RecallScope:
    """What a recall of this lot (by id or supplier lot number) must reach."""
    result = await trace(store, lot, TraceDirection.DOWNSTREAM, max_depth)
    batches = sorted(n.id for n in result.nodes if n.label == "Batch")
    finished = (
        {row["id"] for row in await store.read(_FINISHED_BATCHES, {"batches": batches})}
        if batches
        else set()
    )

    def ids(label: str) -> list[str]:
        return sorted(n.id for n in result.nodes if n.label == label)

    return RecallScope(
        lot_ids=[n.id for n in result.nodes if n.depth == 0 and n.label == "MaterialLot"],
        batches=batches,
        finished_batches=sorted(finished),
        shipments=ids("Shipment"),
        customers=ids("Customer"),
        open_sales_orders=ids("SalesOrder"),
        work_orders=ids("WorkOrder"),
    )
