"""Reads the live snapshot needs beyond plain nodes and edges: telemetry, history, aggregates.

`graph.snapshot_reads` covers "every node of a label" and "every edge of a type"; the
foresight features also need relationship quantities (bill of materials, purchase
orders, consumption) and counts over time windows. Each read here is one statement with
parameters only, so a snapshot stays a handful of round trips at any plant size.
"""

from __future__ import annotations

from typing import Any

from graph.dialect import check_identifier
from graph.store import GraphStore

ADVERSE_KINDS = ("inspection_failed", "nonconformance", "customer_complaint", "deviation")
"""Quality event kinds that say something is wrong with what they concern."""

_TAGS = (
    "MATCH (t:Tag)-[:MEASURES]->(m:Machine) "
    "RETURN m.id AS machine, t.property AS property, t.value AS value, "
    "t.source_timestamp AS ts, t.quality AS quality"
)

_STATE_CHANGES = (
    "MATCH (s:StateChange)-[:OF]->(m:Machine) WHERE s.at <= $until "
    "RETURN m.id AS machine, s.from_state AS from_state, s.to_state AS to_state, s.at AS at "
    "ORDER BY at, s.id"
)

_FAILURES = (
    "MATCH (s:StateChange)-[:OF]->(m:Machine) "
    "WHERE s.to_state = 'out_of_service' AND s.at > $since AND s.at <= $until "
    "AND (s.from_state IS NULL OR s.from_state <> 'out_of_service') "
    "RETURN m.id AS machine, count(s) AS failures"
)

_NEEDS = (
    "UNWIND $ids AS id "
    "MATCH (w:WorkOrder {id: id})-[mk:MAKES]->(:Product)-[hc:HAS_COMPONENT]->(m:Material) "
    "RETURN w.id AS work_order, m.id AS material, mk.qty * hc.qty AS qty"
)

_PENDING_DEMAND = (
    "MATCH (w:WorkOrder)-[mk:MAKES]->(:Product)-[hc:HAS_COMPONENT]->(m:Material) "
    "WHERE w.status IN ['planned', 'released'] AND w.actual_start IS NULL "
    "AND w.planned_start <= $until "
    "RETURN m.id AS material, sum(mk.qty * hc.qty) AS qty"
)

_CONSUMPTION = (
    "MATCH (b:Batch)-[c:CONSUMED]->(:MaterialLot)-[:OF_MATERIAL]->(m:Material) "
    "WHERE b.started_at > $since AND b.started_at <= $until "
    "RETURN m.id AS material, sum(c.qty) AS qty"
)

_RECEIVED = (
    "MATCH (l:MaterialLot)-[:OF_MATERIAL]->(m:Material) "
    "WHERE l.received_at > $since AND l.received_at <= $until "
    "RETURN m.id AS material, sum(l.initial_quantity) AS qty"
)

_PURCHASE_ORDERS = (
    "MATCH (m:Material)<-[f:FOR_MATERIAL]-(p:PurchaseOrder)-[:FROM]->(s:Supplier) "
    "WHERE p.ordered_at <= $until "
    "OPTIONAL MATCH (l:MaterialLot)-[:RECEIVED_AGAINST]->(p) WHERE l.received_at <= $until "
    "RETURN p.id AS id, p.status AS status, p.ordered_at AS ordered_at, p.due_at AS due_at, "
    "m.id AS material, s.id AS supplier, f.qty AS qty, "
    "max(l.received_at) AS received_at, sum(coalesce(l.initial_quantity, 0)) AS received_qty "
    "ORDER BY id"
)

_LOT_OUTCOMES = (
    "MATCH (b:Batch)-[:CONSUMED]->(l:MaterialLot) WHERE b.completed_at <= $until "
    "OPTIONAL MATCH (q:QualityEvent)-[:CONCERNS]->(b) "
    "WHERE q.kind IN $kinds AND q.occurred_at <= $until "
    "WITH l, b, count(q) AS adverse "
    "RETURN l.id AS lot, count(b) AS made, "
    "sum(CASE WHEN b.status = 'rejected' OR adverse > 0 THEN 1 ELSE 0 END) AS defective"
)

_BATCH_EVENTS = (
    "UNWIND $ids AS id MATCH (b:Batch {id: id}) "
    "WITH b MATCH (q:QualityEvent)-[:CONCERNS]->(b) "
    "WHERE q.kind IN $kinds AND q.occurred_at <= $until "
    "RETURN b.id AS batch, count(q) AS adverse"
)


async def machine_tags(store: GraphStore) -> list[dict[str, Any]]:
    """Every tag's latest value on every machine (machine, property, value, ts, quality)."""
    return await store.read(_TAGS)


async def state_changes(store: GraphStore, until_ms: int) -> list[dict[str, Any]]:
    """Every machine state change up to `until_ms`, oldest first."""
    return await store.read(_STATE_CHANGES, {"until": until_ms})


async def failures_between(store: GraphStore, since_ms: int, until_ms: int) -> dict[str, int]:
    """Per machine, how many times it went out of service in (since, until]."""
    rows = await store.read(_FAILURES, {"since": since_ms, "until": until_ms})
    return {r["machine"]: int(r["failures"]) for r in rows}


async def work_order_needs(
    store: GraphStore, work_order_ids: list[str]
) -> list[tuple[str, str, float]]:
    """(work order, material, quantity) its product's bill of materials asks for."""
    rows = await store.read(_NEEDS, {"ids": work_order_ids})
    return [(r["work_order"], r["material"], float(r["qty"] or 0.0)) for r in rows]


async def pending_demand(store: GraphStore, until_ms: int) -> dict[str, float]:
    """Per material, what not-yet-started work orders planned to start by `until_ms` need."""
    rows = await store.read(_PENDING_DEMAND, {"until": until_ms})
    return {r["material"]: float(r["qty"] or 0.0) for r in rows}


async def consumption_between(store: GraphStore, since_ms: int, until_ms: int) -> dict[str, float]:
    """Per material, the quantity batches started in (since, until] consumed."""
    rows = await store.read(_CONSUMPTION, {"since": since_ms, "until": until_ms})
    return {r["material"]: float(r["qty"] or 0.0) for r in rows}


async def received_between(store: GraphStore, since_ms: int, until_ms: int) -> dict[str, float]:
    """Per material, the quantity of lots received in (since, until]."""
    rows = await store.read(_RECEIVED, {"since": since_ms, "until": until_ms})
    return {r["material"]: float(r["qty"] or 0.0) for r in rows}


async def purchase_orders(store: GraphStore, until_ms: int) -> list[dict[str, Any]]:
    """Purchase orders placed by `until_ms` with material, supplier, quantity and receipts."""
    return await store.read(_PURCHASE_ORDERS, {"until": until_ms})


async def lot_outcomes(store: GraphStore, until_ms: int) -> dict[str, tuple[int, int]]:
    """Per lot: (batches made from it, those rejected or with an adverse quality event)."""
    rows = await store.read(_LOT_OUTCOMES, {"until": until_ms, "kinds": list(ADVERSE_KINDS)})
    return {r["lot"]: (int(r["made"]), int(r["defective"])) for r in rows}


async def batch_adverse_events(
    store: GraphStore, batch_ids: list[str], until_ms: int
) -> dict[str, int]:
    """Per batch of `batch_ids`, how many adverse quality events concern it by `until_ms`."""
    params = {"ids": batch_ids, "until": until_ms, "kinds": list(ADVERSE_KINDS)}
    rows = await store.read(_BATCH_EVENTS, params)
    return {r["batch"]: int(r["adverse"]) for r in rows}


# --- the selection: reads bounded by what one snapshot holds ------------------------------
# Each starts from an indexed lookup (or a bounded scan) and walks out after a WITH, so
# the planner cannot start from the far side of a pattern (README "Engine facts").

_OPEN_SALES = (
    "MATCH (s:SalesOrder) WHERE s.status IN $statuses AND s.ordered_at <= $until "
    "RETURN s.id AS id, s.status AS status, s.ordered_at AS ordered_at, s.due_at AS due_at "
    "ORDER BY id"
)

_OPEN_OPERATION_WORK_ORDERS = (
    "MATCH (o:Operation) "
    "WHERE coalesce(o.status, '') <> 'done' AND (o.actual_end IS NULL OR o.actual_end > $until) "
    "WITH o MATCH (w:WorkOrder)-[:HAS_OPERATION]->(o) RETURN DISTINCT w.id AS id"
)

_OPERATIONS_OF = (
    "UNWIND $ids AS id MATCH (w:WorkOrder {id: id}) "
    "WITH w MATCH (w)-[:HAS_OPERATION]->(o:Operation) "
    "OPTIONAL MATCH (o)-[:RUNS_ON]->(m:Machine) "
    "RETURN w.id AS work_order, o.id AS id, o.sequence AS sequence, o.status AS status, "
    "o.ideal_cycle_time_s AS ideal_cycle_time_s, o.actual_start AS actual_start, "
    "o.actual_end AS actual_end, collect(m.id) AS machines"
)

_MEDIAN_QUANTITY = (
    "UNWIND $ids AS id MATCH (p:Product {id: id}) "
    "WITH p MATCH (w:WorkOrder)-[:MAKES]->(p) "
    "RETURN p.id AS product, percentileCont(coalesce(w.quantity, 0.0), 0.5) AS median"
)

_RECENT_BATCHES = (
    "MATCH (b:Batch) WHERE b.completed_at > $since AND b.completed_at <= $until RETURN b.id AS id"
)

_BATCHES_OF = (
    "UNWIND $ids AS id MATCH (w:WorkOrder {id: id}) "
    "WITH w MATCH (b:Batch)-[:PRODUCED_BY]->(w) RETURN b.id AS id"
)

_LOTS_IN_STOCK = (
    "MATCH (l:MaterialLot) WHERE l.status IN $statuses AND l.received_at <= $until "
    "RETURN l.id AS id"
)

_LOTS_MADE = (
    "UNWIND $ids AS id MATCH (l:MaterialLot {id: id}) "
    "WITH l MATCH (b:Batch)-[:CONSUMED]->(l) WHERE b.completed_at <= $until "
    "RETURN l.id AS lot, count(b) AS made"
)

_DEFECTIVE_BATCHES = (
    "MATCH (b:Batch) WHERE b.status = 'rejected' AND b.completed_at <= $until "
    "RETURN b.id AS id "
    "UNION "
    "MATCH (q:QualityEvent) WHERE q.kind IN $kinds AND q.occurred_at <= $until "
    "WITH q MATCH (q)-[:CONCERNS]->(b:Batch) WHERE b.completed_at <= $until "
    "RETURN b.id AS id"
)

_LOTS_DEFECTIVE = (
    "UNWIND $ids AS id MATCH (b:Batch {id: id}) "
    "WITH b MATCH (b)-[:CONSUMED]->(l:MaterialLot) RETURN l.id AS lot, count(b) AS defective"
)

_SUPPLIER_LOTS = (
    "MATCH (l:MaterialLot)-[:SUPPLIED_BY]->(s:Supplier) WHERE l.received_at <= $until "
    "RETURN s.id AS supplier, count(l) AS lots"
)

_SUPPLIER_DEFECTIVE_LOTS = (
    "UNWIND $ids AS id MATCH (l:MaterialLot {id: id}) WHERE l.received_at <= $until "
    "WITH l MATCH (l)-[:SUPPLIED_BY]->(s:Supplier) RETURN s.id AS supplier, count(l) AS lots"
)


async def nodes_by_id(
    store: GraphStore, label: str, ids: list[str], properties: list[str]
) -> list[dict[str, Any]]:
    """`id` and `properties` of the `label` nodes with these ids, ordered by id."""
    columns = "".join(f", n.{check_identifier(p)} AS {p}" for p in properties)
    query = (
        f"UNWIND $ids AS id MATCH (n:{check_identifier(label)} {{id: id}}) "
        f"RETURN n.id AS id{columns} ORDER BY id"
    )
    return await store.read(query, {"ids": ids})


async def edges_from(
    store: GraphStore, source: str, ids: list[str], rel: str, target: str
) -> list[tuple[str, str]]:
    """(source id, target id) of every `(source)-[rel]->(target)` leaving these sources."""
    query = (
        f"UNWIND $ids AS id MATCH (a:{check_identifier(source)} {{id: id}}) "
        f"WITH a MATCH (a)-[:{check_identifier(rel)}]->(b:{check_identifier(target)}) "
        "RETURN a.id AS a, b.id AS b"
    )
    return [(r["a"], r["b"]) for r in await store.read(query, {"ids": ids})]


async def edges_into(
    store: GraphStore, source: str, rel: str, target: str, ids: list[str]
) -> list[tuple[str, str]]:
    """(source id, target id) of every `(source)-[rel]->(target)` reaching these targets."""
    query = (
        f"UNWIND $ids AS id MATCH (b:{check_identifier(target)} {{id: id}}) "
        f"WITH b MATCH (a:{check_identifier(source)})-[:{check_identifier(rel)}]->(b) "
        "RETURN a.id AS a, b.id AS b"
    )
    return [(r["a"], r["b"]) for r in await store.read(query, {"ids": ids})]


async def open_sales_orders(
    store: GraphStore, statuses: list[str], until_ms: int
) -> list[dict[str, Any]]:
    """Sales orders in `statuses` ordered by `until_ms` (status, ordered_at, due_at), by id."""
    return await store.read(_OPEN_SALES, {"statuses": statuses, "until": until_ms})


async def work_orders_with_open_operations(store: GraphStore, until_ms: int) -> list[str]:
    """Work orders with an operation neither done nor ended by `until_ms` (machine queues)."""
    return [r["id"] for r in await store.read(_OPEN_OPERATION_WORK_ORDERS, {"until": until_ms})]


async def operations_of(store: GraphStore, work_order_ids: list[str]) -> list[dict[str, Any]]:
    """Every operation of these work orders with its timing and the machines it runs on."""
    return await store.read(_OPERATIONS_OF, {"ids": work_order_ids})


async def median_quantity(store: GraphStore, product_ids: list[str]) -> dict[str, float]:
    """Per product, the median quantity of every work order making it (all history)."""
    rows = await store.read(_MEDIAN_QUANTITY, {"ids": product_ids})
    return {r["product"]: float(r["median"]) for r in rows if r["median"] is not None}


async def batches_completed_between(store: GraphStore, since_ms: int, until_ms: int) -> list[str]:
    """Ids of batches completed in (since, until]."""
    rows = await store.read(_RECENT_BATCHES, {"since": since_ms, "until": until_ms})
    return [r["id"] for r in rows]


async def batches_of(store: GraphStore, work_order_ids: list[str]) -> list[str]:
    """Ids of batches produced by these work orders."""
    return [r["id"] for r in await store.read(_BATCHES_OF, {"ids": work_order_ids})]


async def lots_in_stock(store: GraphStore, statuses: list[str], until_ms: int) -> list[str]:
    """Ids of lots in `statuses` received by `until_ms`."""
    rows = await store.read(_LOTS_IN_STOCK, {"statuses": statuses, "until": until_ms})
    return [r["id"] for r in rows]


async def selected_lot_outcomes(
    store: GraphStore, lot_ids: list[str], until_ms: int
) -> tuple[dict[str, tuple[int, int]], dict[str, tuple[int, int]]]:
    """Lot outcomes by `until_ms`, without walking every consumption of the history.

    Returns per lot of `lot_ids` (batches made from it, those rejected or with an adverse
    quality event) and per supplier (lots received, those with such a batch). Defective
    batches are few, so they are found first and walked forward to their lots.
    """
    params = {"until": until_ms, "kinds": list(ADVERSE_KINDS)}
    bad = [r["id"] for r in await store.read(_DEFECTIVE_BATCHES, params)]
    defective = {
        r["lot"]: int(r["defective"]) for r in await store.read(_LOTS_DEFECTIVE, {"ids": bad})
    }
    made_rows = await store.read(_LOTS_MADE, {"ids": lot_ids, "until": until_ms})
    lots = {r["lot"]: (int(r["made"]), defective.get(r["lot"], 0)) for r in made_rows}
    received = await store.read(_SUPPLIER_LOTS, {"until": until_ms})
    bad_lots = [lot for lot, n in defective.items() if n > 0]
    per_sup = await store.read(_SUPPLIER_DEFECTIVE_LOTS, {"ids": bad_lots, "until": until_ms})
    bad_of = {r["supplier"]: int(r["lots"]) for r in per_sup}
    suppliers = {r["supplier"]: (int(r["lots"]), bad_of.get(r["supplier"], 0)) for r in received}
    return lots, suppliers
