"""Reads the live snapshot needs beyond plain nodes and edges: telemetry, history, aggregates.

`graph.snapshot_reads` covers "every node of a label" and "every edge of a type"; the
foresight features also need relationship quantities (bill of materials, purchase
orders, consumption) and counts over time windows. Each read here is one statement with
parameters only, so a snapshot stays a handful of round trips at any plant size.
"""

from __future__ import annotations

from typing import Any

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
    "UNWIND $ids AS id "
    "MATCH (q:QualityEvent)-[:CONCERNS]->(b:Batch {id: id}) "
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
