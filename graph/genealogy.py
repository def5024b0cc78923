"""Traceability: upstream and downstream genealogy traces and the recall scope of a lot.

Upstream, the genealogy (`CONSUMED`) is walked in one variable-length statement that
returns each reached node's fewest hops and the traversed relationships, capped at
`TRAIL_CAP` trails. Variable-length patterns enumerate trails, and genealogy with many-to-many
consumption and carry-over can have far more trails than nodes; when the cap is hit, and
always downstream, the trace is a breadth-first search, one statement per level, which touches each
relationship once and never expands a visited node twice (so cycles in bad data end
either way). Further statements fetch the commercial ends (purchase orders and suppliers
upstream; shipments, work orders, customers and open sales orders downstream) while the
walk goes on, and the lookup of the starts runs beside the walk's first statement: on
two cores the server answers one while the client decodes the other.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Sequence
from typing import Any

from domain.genealogy import RecallScope, Trace, TraceDirection, TraceEdge, TraceNode
from domain.states import OPEN_SALES_ORDER_STATUSES
from graph.dialect import check_identifier
from graph.errors import GraphError, NotFoundError
from graph.store import GraphStore, Record

DEFAULT_MAX_DEPTH = 20
TRAIL_CAP = 3_000
"""Trails one variable-length statement may enumerate before a trace walks level by level."""
PATHS_DOWNSTREAM = False
"""Downstream genealogy fans out through carry-over: on `large` the one-statement walk lost
to the level-by-level walk there (p95 53-58 ms vs 40 ms) while winning upstream (4.4-5.0
ms vs 6.0 ms), so downstream traces walk by level (see bench/trace.py)."""
MAX_DEPTH_LIMIT = 100
ENDS_BATCH = 128
"""Genealogy nodes whose commercial ends one statement fetches while the walk goes on."""
_GENEALOGY = ("Batch", "MaterialLot")

_UPSTREAM_LEVEL = (
    "UNWIND $batches AS id "
    "MATCH (:Batch {id: id})-[r:CONSUMED]->(x) "
    "RETURN id AS anchor, x.id AS id, labels(x)[0] AS label, r.qty AS qty, r.unit AS unit"
)

# Downstream every step reaches a Batch, so rows carry no label: on wide traces the
# client's time goes mostly to moving and decoding cells, not to the server's work.
_DOWNSTREAM_LEVEL = (
    "UNWIND $lots AS id "
    "MATCH (:MaterialLot {id: id})<-[r:CONSUMED]-(x:Batch) "
    "RETURN id AS anchor, x.id AS id, r.qty AS qty, r.unit AS unit "
    "UNION ALL "
    "UNWIND $batches AS id "
    "MATCH (:Batch {id: id})<-[r:CONSUMED]-(x:Batch) "
    "RETURN id AS anchor, x.id AS id, r.qty AS qty, r.unit AS unit"
)

# Commercial ends, one row per genealogy node (`anchor`) and way out of it. Each statement
# looks the genealogy node up by its indexed id first and walks out after a `WITH`: without
# that barrier the planner may start from the sales-order status index and walk backwards
# from every open order. One lookup per node, not one per kind of end.
_UPSTREAM_ENDS = (
    "UNWIND $lots AS id MATCH (a:MaterialLot {id: id}) WITH id, a "
    "OPTIONAL MATCH (a)-[:RECEIVED_AGAINST]->(po:PurchaseOrder) "
    "OPTIONAL MATCH (a)-[:SUPPLIED_BY]->(s:Supplier) "
    "RETURN id AS anchor, po.id AS purchase_order, s.id AS supplier"
)

_DOWNSTREAM_ENDS = (
    "UNWIND $batches AS id MATCH (a:Batch {id: id}) WITH id, a "
    "OPTIONAL MATCH (a)-[:PRODUCED_BY]->(w:WorkOrder) "
    "OPTIONAL MATCH (w)-[:FULFILLS]->(wso:SalesOrder) "
    "OPTIONAL MATCH (sh:Shipment)-[:CONTAINS]->(a) "
    "OPTIONAL MATCH (sh)-[:SHIPPED_TO]->(c:Customer) "
    "OPTIONAL MATCH (sh)-[:FOR_ORDER]->(sso:SalesOrder) "
    "RETURN id AS anchor, w.id AS work_order, "
    "CASE WHEN wso.status IN $open THEN wso.id END AS work_order_order, "
    "sh.id AS shipment, c.id AS customer, "
    "CASE WHEN sso.status IN $open THEN sso.id END AS shipment_order"
)

# (column, label, hops from the anchor, relationship, column of its source, of its target)
EndColumn = tuple[str, str, int, str, str, str]
_UPSTREAM_END_COLUMNS: tuple[EndColumn, ...] = (
    ("purchase_order", "PurchaseOrder", 1, "RECEIVED_AGAINST", "anchor", "purchase_order"),
    ("supplier", "Supplier", 1, "SUPPLIED_BY", "anchor", "supplier"),
)
_DOWNSTREAM_END_COLUMNS: tuple[EndColumn, ...] = (
    ("work_order", "WorkOrder", 1, "PRODUCED_BY", "anchor", "work_order"),
    ("work_order_order", "SalesOrder", 2, "FULFILLS", "work_order", "work_order_order"),
    ("shipment", "Shipment", 1, "CONTAINS", "shipment", "anchor"),
    ("customer", "Customer", 2, "SHIPPED_TO", "shipment", "customer"),
    ("shipment_order", "SalesOrder", 2, "FOR_ORDER", "shipment", "shipment_order"),
)

_TRACE_LABELS = (
    "MaterialLot",
    "Batch",
    "PurchaseOrder",
    "Supplier",
    "Shipment",
    "WorkOrder",
    "Customer",
    "SalesOrder",
)


def _properties_cypher(labels: Sequence[str]) -> str:
    """One statement returning the properties of the listed nodes of each label."""
    return " UNION ALL ".join(
        f"UNWIND $ids[{i}] AS id MATCH (n:{check_identifier(label)} {{id: id}}) "
        "RETURN n.id AS id, n AS node"
        for i, label in enumerate(labels)
    )


_RESOLVE_STARTS = (
    "UNWIND $keys AS key "
    "OPTIONAL MATCH (b:Batch {id: key}) "
    "OPTIONAL MATCH (l:MaterialLot {id: key}) "
    "RETURN key, b AS batch, l AS lot"
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
        self.nodes: dict[str, tuple[str, int]] = {}
        self.properties: dict[str, dict[str, Any]] = {}
        self.edges: dict[tuple[str, str, str], dict[str, Any]] = {}

    def add_node(self, node_id: str, label: str, depth: int) -> bool:
        """Add a node or lower its depth; True when the node is new."""
        known = self.nodes.get(node_id)
        if known is not None and known[1] <= depth:
            return False
        self.nodes[node_id] = (label, depth)
        return known is None

    def add_edge(self, source: str, rel: str, target: str, props: dict[str, Any]) -> None:
        self.edges.setdefault((source, rel, target), props)

    def ids_with(self, label: str) -> list[str]:
        return [node_id for node_id, (lab, _) in self.nodes.items() if lab == label]

    def build(self, direction: TraceDirection, max_depth: int) -> Trace:
        nodes = [
            TraceNode(node_id, label, depth, self.properties.get(node_id, {}))
            for node_id, (label, depth) in self.nodes.items()
        ]
        nodes.sort(key=lambda n: (n.depth, n.label, n.id))
        edges = [
            TraceEdge(source, rel, target, props)
            for (source, rel, target), props in self.edges.items()
        ]
        starts = [n.id for n in nodes if n.depth == 0]
        return Trace(starts, direction, max_depth, nodes, edges)


def _check_depth(max_depth: int) -> int:
    if not 0 <= max_depth <= MAX_DEPTH_LIMIT:
        raise GraphError(f"max_depth must be between 0 and {MAX_DEPTH_LIMIT}, got {max_depth}")
    return max_depth


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
    *,
    with_properties: bool = True,
) -> Trace:
    """Trace from one id (or supplier lot number), or from several.

    `with_properties=False` returns ids, labels, depths and edges only (one statement
    fewer and no node decoding) for callers that load the fields they need themselves.
    """
    _check_depth(max_depth)
    keys = [start] if isinstance(start, str) else list(start)
    builder = _TraceBuilder()
    ends = _EndsFetcher(store, direction)
    try:
        first = await _start(store, builder, keys, direction, max_depth)
        for node_id, (label, _) in builder.nodes.items():
            ends.add(node_id, label)
        if not await _walk_by_paths(store, builder, direction, max_depth, ends, first):
            await _walk_genealogy(store, builder, direction, max_depth, ends, first)
        _attach_ends(builder, direction, await ends.rows())
    finally:
        ends.cancel()
    if with_properties:
        await _load_properties(store, builder)
    return builder.build(direction, max_depth)


async def _start(
    store: GraphStore,
    builder: _TraceBuilder,
    keys: list[str],
    direction: TraceDirection,
    max_depth: int,
) -> list[Record] | None:
    """Add the starts to `builder`; return the first genealogy statement's rows, if run.

    Callers almost always pass ids, so the first genealogy statement runs on that guess
    at the same time as the lookup of the starts, saving a round trip on every trace. Its
    rows are used only when every key turned out to be an id; a supplier lot number
    resolves first and the walk then starts from scratch.
    """
    guess = _first_statement(keys, direction, max_depth)
    lookup = store.read(_RESOLVE_STARTS, {"keys": keys})
    if guess is None:
        rows, first = await lookup, None
    else:
        rows, first = await _together(lookup, store.read(*guess))
    unknown = [row["key"] for row in rows if row["batch"] is None and row["lot"] is None]
    for row in rows:
        for label, column in (("Batch", "batch"), ("MaterialLot", "lot")):
            if row[column] is not None:
                builder.add_node(row[column]["id"], label, 0)
                builder.properties[row[column]["id"]] = row[column]
    for key in unknown:
        lots = await lots_by_supplier_lot(store, key)
        if not lots:
            raise NotFoundError(f"no batch or lot with id or supplier lot number {key!r}", [key])
        for lot, _ in lots:
            builder.add_node(lot["id"], "MaterialLot", 0)
            builder.properties[lot["id"]] = lot
    return None if unknown else first


async def _together(
    one: Awaitable[list[Record]], other: Awaitable[list[Record]]
) -> tuple[list[Record], list[Record]]:
    """Both statements at once; an error is raised only after both have settled."""
    a, b = await asyncio.gather(one, other, return_exceptions=True)
    if isinstance(a, BaseException):
        raise a
    if isinstance(b, BaseException):
        raise b
    return a, b


def _first_statement(
    keys: list[str], direction: TraceDirection, max_depth: int
) -> tuple[str, dict[str, Any]] | None:
    """The statement the walk would run first if every key is an id (None: not known yet)."""
    if max_depth == 0 or (direction is TraceDirection.DOWNSTREAM and PATHS_DOWNSTREAM):
        return None
    if direction is TraceDirection.UPSTREAM:
        # Only batches consumed anything: a lot's upstream genealogy is the lot itself.
        return _paths_cypher("Batch", direction, max_depth), {"ids": keys, "cap": TRAIL_CAP}
    return _DOWNSTREAM_LEVEL, {"lots": keys, "batches": keys}


class _EndsFetcher:
    """Fetches the commercial ends of genealogy nodes while the walk goes on.

    Nodes are handed over as the walk reaches them; every `ENDS_BATCH` of them start a
    statement on another connection, so the server looks up the ends of one level while
    the client walks the next (FalkorDB runs read queries on several threads).
    """

    def __init__(self, store: GraphStore, direction: TraceDirection) -> None:
        self.store = store
        self.upstream = direction is TraceDirection.UPSTREAM
        self.label = "MaterialLot" if self.upstream else "Batch"
        self.pending: list[str] = []
        self.tasks: list[asyncio.Future[list[Record]]] = []

    def add(self, node_id: str, label: str) -> None:
        if label == self.label:
            self.pending.append(node_id)
            if len(self.pending) >= ENDS_BATCH:
                self._flush()

    def _flush(self) -> None:
        if not self.pending:
            return
        if self.upstream:
            statement = self.store.read(_UPSTREAM_ENDS, {"lots": self.pending})
        else:
            open_statuses = [status.value for status in OPEN_SALES_ORDER_STATUSES]
            params = {"batches": self.pending, "open": open_statuses}
            statement = self.store.read(_DOWNSTREAM_ENDS, params)
        self.tasks.append(asyncio.ensure_future(statement))
        self.pending = []

    async def rows(self) -> list[Record]:
        self._flush()
        return [row for rows in await asyncio.gather(*self.tasks) for row in rows]

    def cancel(self) -> None:
        """Stop statements still running when the trace failed half-way."""
        for task in self.tasks:
            if not task.done():
                task.cancel()
            elif not task.cancelled():
                task.exception()  # retrieved: the trace's own error is the one raised


def _paths_cypher(start_label: str, direction: TraceDirection, max_depth: int) -> str:
    """All CONSUMED trails of up to `max_depth` hops from the starts, at most `$cap` of them.

    Each reached node comes back with its fewest hops and the last relationship of every
    trail ending there, which together are the BFS depths and the traversed edges.
    """
    hops = f"*1..{int(max_depth)}"  # an int we checked: variable-length bounds take no parameter
    pattern = (
        f"(s)-[:CONSUMED{hops}]->(x)"
        if direction is TraceDirection.UPSTREAM
        else f"(s)<-[:CONSUMED{hops}]-(x:Batch)"
    )
    return (
        f"UNWIND $ids AS sid MATCH (s:{check_identifier(start_label)} {{id: sid}}) "
        f"MATCH p = {pattern} WITH p LIMIT $cap "
        "WITH last(nodes(p)) AS x, length(p) AS hops, nodes(p)[length(p) - 1] AS prev, "
        "last(relationships(p)) AS r "
        "RETURN x.id AS id, labels(x)[0] AS label, min(hops) AS depth, "
        "collect(DISTINCT [prev.id, r.qty, r.unit]) AS edges, count(*) AS trails"
    )


async def _walk_by_paths(
    store: GraphStore,
    builder: _TraceBuilder,
    direction: TraceDirection,
    max_depth: int,
    ends: _EndsFetcher,
    rows: list[Record] | None,
) -> bool:
    """The genealogy in one statement, when it has few enough trails; False otherwise.

    One statement beats a statement per level on all but the widest traces; there, with
    many-to-many consumption and carry-over, the trails outnumber the nodes by far, the
    `$cap` stops the enumeration and the caller walks level by level instead. `rows` are
    this statement's rows when `_start` already ran it.
    """
    if direction is TraceDirection.DOWNSTREAM and not PATHS_DOWNSTREAM:
        return False
    if max_depth == 0:
        return True
    upstream = direction is TraceDirection.UPSTREAM
    batches = builder.ids_with("Batch")
    if upstream and not batches:
        return True  # a lot consumed nothing: its genealogy is itself
    if rows is None:
        label, ids = ("Batch", batches) if upstream else _single_label(builder)
        if label is None:
            return False
        params = {"ids": ids, "cap": TRAIL_CAP}
        rows = await store.read(_paths_cypher(label, direction, max_depth), params)
    if sum(int(row["trails"]) for row in rows) >= TRAIL_CAP:
        return False
    for row in rows:
        node_id = row["id"]
        if node_id not in builder.nodes:  # a start keeps depth 0 even on a cycle
            builder.add_node(node_id, row["label"], int(row["depth"]))
            ends.add(node_id, row["label"])
        for prev, qty, unit in row["edges"]:
            props = {"qty": qty, "unit": unit}
            if upstream:
                builder.add_edge(prev, "CONSUMED", node_id, props)
            else:
                builder.add_edge(node_id, "CONSUMED", prev, props)
    return True


def _single_label(builder: _TraceBuilder) -> tuple[str | None, list[str]]:
    """The starts' label and ids when they share one label (a path pattern names one)."""
    labels = {label for label, _ in builder.nodes.values()}
    if len(labels) != 1:
        return None, []
    return labels.pop(), list(builder.nodes)


async def _walk_genealogy(
    store: GraphStore,
    builder: _TraceBuilder,
    direction: TraceDirection,
    max_depth: int,
    ends: _EndsFetcher,
    first: list[Record] | None,
) -> None:
    """Breadth first, one statement per level; `first` is level 1 when already fetched."""
    frontier = [(i, label) for i, (label, _) in builder.nodes.items() if label in _GENEALOGY]
    upstream = direction is TraceDirection.UPSTREAM
    depth = 0
    while frontier and depth < max_depth:
        depth += 1
        batches = [node_id for node_id, label in frontier if label == "Batch"]
        if depth == 1 and first is not None and not upstream:
            rows = first
        elif upstream:
            if not batches:
                break
            rows = await store.read(_UPSTREAM_LEVEL, {"batches": batches})
        else:
            lots = [node_id for node_id, label in frontier if label == "MaterialLot"]
            rows = await store.read(_DOWNSTREAM_LEVEL, {"lots": lots, "batches": batches})
        frontier = []
        for row in rows:
            anchor, node_id = row["anchor"], row["id"]
            label = row["label"] if upstream else "Batch"
            props = {"qty": row["qty"], "unit": row["unit"]}
            if upstream:
                builder.add_edge(anchor, "CONSUMED", node_id, props)
            else:
                builder.add_edge(node_id, "CONSUMED", anchor, props)
            if builder.add_node(node_id, label, depth):
                frontier.append((node_id, label))
                ends.add(node_id, label)


def _attach_ends(builder: _TraceBuilder, direction: TraceDirection, rows: list[Record]) -> None:
    """Add the fetched ends, each at the fewest hops from the genealogy."""
    depth_of = {node_id: depth for node_id, (_, depth) in builder.nodes.items()}
    columns = (
        _UPSTREAM_END_COLUMNS if direction is TraceDirection.UPSTREAM else _DOWNSTREAM_END_COLUMNS
    )
    for row in rows:
        base = depth_of[row["anchor"]]
        for column, label, hops, rel, source, target in columns:
            node_id = row[column]
            if node_id is None:
                continue
            if node_id not in depth_of:  # a genealogy node keeps its genealogy depth
                builder.add_node(node_id, label, base + hops)
            builder.add_edge(row[source], rel, row[target], {})


async def _load_properties(store: GraphStore, builder: _TraceBuilder) -> None:
    wanted = {
        label: [i for i in builder.ids_with(label) if i not in builder.properties]
        for label in _TRACE_LABELS
    }
    labels = [label for label, ids in wanted.items() if ids]
    if not labels:
        return
    rows = await store.read(_properties_cypher(labels), {"ids": [wanted[lab] for lab in labels]})
    builder.properties.update((row["id"], row["node"]) for row in rows)


async def recall_scope(
    store: GraphStore, lot: str, max_depth: int = MAX_DEPTH_LIMIT
) -> RecallScope:
    """What a recall of this lot (by id or supplier lot number) must reach."""
    result = await trace(store, lot, TraceDirection.DOWNSTREAM, max_depth, with_properties=False)
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
