"""Predictions and risk alerts in the graph, and the orders an at-risk entity would hold up.

One current `Prediction` per (kind, entity), overwritten each pass. A `RiskAlert` lives from
the pass that raised it to the pass that cleared it (`closed_at`); while open it is `ABOUT`
its entity and the neighbours that drove the score and `AFFECTS` the open sales orders
reached from the entity. Closing drops `AFFECTS` (the alert no longer holds an order at
risk) and keeps the ids in `affected_sales_order_ids` for history. `acknowledged` is set
only when an alert is created, so a rescored alert keeps its acknowledgement.

Node types arrive in snake case (`work_order`); labels are looked up from a fixed table,
never spliced from input. Every write is one statement.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from domain.states import OPEN_SALES_ORDER_STATUSES, WorkOrderStatus
from graph.store import GraphStore, Record

LABELS: dict[str, str] = {
    "machine": "Machine",
    "work_order": "WorkOrder",
    "operation": "Operation",
    "sales_order": "SalesOrder",
    "batch": "Batch",
    "material_lot": "MaterialLot",
    "material": "Material",
    "supplier": "Supplier",
}
"""Node types that predictions and alerts may be about, and their labels."""

_OPEN = [s.value for s in OPEN_SALES_ORDER_STATUSES]
_OPEN_WORK_ORDERS = [
    s.value
    for s in (WorkOrderStatus.PLANNED, WorkOrderStatus.RELEASED, WorkOrderStatus.IN_PROGRESS)
]
GENEALOGY_DEPTH = 8
"""How far down the genealogy (`CONSUMED`) a batch's or lot's risk is followed.

The path is bound (`p = ...`) on purpose: unbound, FalkorDB 4.16's variable-length match
skipped reachable batches (93 of 105 from one demo lot, measured), apparently by not
re-expanding a node first reached on a longer trail; bound, it enumerates every trail."""


def label_of(node_type: str) -> str:
    try:
        return LABELS[node_type]
    except KeyError:
        raise ValueError(f"unknown node type {node_type!r}") from None


def _lookup(var: str, key: str) -> str:
    """Find `{label, id}` map `key` among every known label, one indexed lookup each."""
    matches = " ".join(
        f"OPTIONAL MATCH ({var}{i}:{label} {{id: {key}.id}}) WHERE {key}.label = '{label}'"
        for i, label in enumerate(LABELS.values())
    )
    found = ", ".join(f"{var}{i}" for i in range(len(LABELS)))
    return f"{matches} WITH *, coalesce({found}) AS {var}"


# --- predictions -------------------------------------------------------------------------
@dataclass(frozen=True)
class PredictionRow:
    kind: str
    node_type: str
    entity_id: str
    score: float
    horizon_h: float
    created_at: int
    model_version: str

    @property
    def id(self) -> str:
        return f"PR-{self.kind}-{self.entity_id}"


_WRITE_PREDICTIONS = (
    "UNWIND $rows AS row WITH row, {label: row.label, id: row.entity} AS key "
    + _lookup("e", "key")
    + " WITH row, e WHERE e IS NOT NULL "
    "MERGE (p:Prediction {id: row.id}) "
    "SET p.kind = row.kind, p.score = row.score, p.horizon_h = row.horizon_h, "
    "p.created_at = row.created_at, p.model_version = row.model_version, "
    "p.entity_id = row.entity "
    "MERGE (p)-[:ABOUT]->(e) "
    "RETURN count(p) AS written"
)


async def write_predictions(store: GraphStore, rows: Sequence[PredictionRow]) -> int:
    """Upsert the current prediction of each row's (kind, entity); unknown entities are skipped."""
    if not rows:
        return 0
    params = [
        {
            "id": r.id,
            "label": label_of(r.node_type),
            "entity": r.entity_id,
            "kind": r.kind,
            "score": float(r.score),
            "horizon_h": float(r.horizon_h),
            "created_at": int(r.created_at),
            "model_version": r.model_version,
        }
        for r in rows
    ]
    result = await store.write(_WRITE_PREDICTIONS, {"rows": params})
    return int(result[0]["written"]) if result else 0


# --- alerts ------------------------------------------------------------------------------
@dataclass(frozen=True)
class AlertRow:
    """An open alert as this pass sees it (created or updated)."""

    id: str
    kind: str
    node_type: str
    entity_id: str
    severity: str
    message: str
    probability: float
    horizon_h: float
    created_at: int
    updated_at: int
    model_version: str
    explanation: str | None
    """JSON (see `inference.scoring.scorer.Explanation`); None keeps the stored one."""
    drivers: list[tuple[str, str]] = field(default_factory=list)
    """(node type, id) of the neighbours that drove the score."""
    sales_order_ids: list[str] = field(default_factory=list)


_ALERT_RESULT = (
    "WITH DISTINCT a "
    "OPTIONAL MATCH (a)-[:ABOUT]->(x) "
    "WITH a, collect(DISTINCT x.id) AS about_ids "
    "OPTIONAL MATCH (a)-[:AFFECTS]->(so:SalesOrder) "
    "RETURN a AS node, about_ids, collect(DISTINCT so.id) AS affected_sales_order_ids"
)

_UPSERT_ALERTS = (
    "UNWIND $rows AS row "
    "MERGE (a:RiskAlert {id: row.id}) "
    "ON CREATE SET a.created_at = row.created_at, a.acknowledged = false "
    "SET a.kind = row.kind, a.node_type = row.node_type, a.entity_id = row.entity, "
    "a.severity = row.severity, a.message = row.message, a.probability = row.probability, "
    "a.horizon_h = row.horizon_h, a.updated_at = row.updated_at, "
    "a.model_version = row.model_version, "
    "a.explanation = coalesce(row.explanation, a.explanation), "
    "a.affected_sales_order_ids = row.sales_orders "
    "WITH a, row "
    "OPTIONAL MATCH (a)-[old]->() WHERE type(old) IN ['ABOUT', 'AFFECTS'] "
    "WITH a, row, collect(old) AS olds "
    "FOREACH (r IN olds | DELETE r) "
    "WITH a, row "
    "UNWIND row.subjects AS key "
    + _lookup("s", "key")
    + " FOREACH (x IN CASE WHEN s IS NULL THEN [] ELSE [s] END | MERGE (a)-[:ABOUT]->(x)) "
    "WITH DISTINCT a, row "
    "UNWIND CASE WHEN size(row.sales_orders) = 0 THEN [null] ELSE row.sales_orders END AS so_id "
    "OPTIONAL MATCH (so:SalesOrder {id: so_id}) "
    "FOREACH (x IN CASE WHEN so IS NULL THEN [] ELSE [so] END | MERGE (a)-[:AFFECTS]->(x)) "
    + _ALERT_RESULT
)


async def upsert_alerts(store: GraphStore, rows: Sequence[AlertRow]) -> dict[str, Record]:
    """Create or refresh open alerts; returns each alert as stored, with its links, by id."""
    if not rows:
        return {}
    params = [
        {
            "id": r.id,
            "kind": r.kind,
            "node_type": r.node_type,
            "entity": r.entity_id,
            "severity": r.severity,
            "message": r.message,
            "probability": float(r.probability),
            "horizon_h": float(r.horizon_h),
            "created_at": int(r.created_at),
            "updated_at": int(r.updated_at),
            "model_version": r.model_version,
            "explanation": r.explanation,
            "subjects": [{"label": label_of(r.node_type), "id": r.entity_id}]
            + [{"label": label_of(t), "id": i} for t, i in r.drivers],
            "sales_orders": list(r.sales_order_ids),
        }
        for r in rows
    ]
    return {row["node"]["id"]: row for row in await store.write(_UPSERT_ALERTS, {"rows": params})}


_CLOSE_ALERTS = (
    "UNWIND $rows AS row "
    "MATCH (a:RiskAlert {id: row.id}) "
    "SET a.closed_at = row.at, a.updated_at = row.at, a.probability = row.probability "
    "WITH a "
    "OPTIONAL MATCH (a)-[old:AFFECTS]->() "
    "WITH a, collect(old) AS olds "
    "FOREACH (r IN olds | DELETE r) " + _ALERT_RESULT
)


async def close_alerts(
    store: GraphStore, closing: Sequence[tuple[str, float]], at_ms: int
) -> dict[str, Record]:
    """Close alerts given as (id, last probability); returns them as stored, by id."""
    if not closing:
        return {}
    params = [{"id": i, "probability": float(p), "at": int(at_ms)} for i, p in closing]
    return {row["node"]["id"]: row for row in await store.write(_CLOSE_ALERTS, {"rows": params})}


_OPEN_ALERTS = (
    "MATCH (a:RiskAlert) WHERE a.closed_at IS NULL AND a.kind IS NOT NULL "
    "AND a.entity_id IS NOT NULL "
    "RETURN a.id AS id, a.kind AS kind, a.entity_id AS entity_id, a.severity AS severity, "
    "a.probability AS probability, a.created_at AS created_at, "
    "coalesce(a.updated_at, a.created_at) AS updated_at"
)


async def open_alerts(store: GraphStore) -> list[Record]:
    """Alerts raised by scoring and not yet closed (to restore hysteresis after a restart)."""
    return await store.read(_OPEN_ALERTS)


# Note: FalkorDB returns null for `list + collect(...)` in one aggregating RETURN, so
# aggregates are named in a WITH before lists are joined.

# --- traversals --------------------------------------------------------------------------
_FROM_BATCHES = (
    f"MATCH p = (d:Batch)-[:CONSUMED*0..{GENEALOGY_DEPTH}]->(b) "
    "WITH DISTINCT id, d "
    "OPTIONAL MATCH (d)-[:PRODUCED_BY]->(:WorkOrder)-[:FULFILLS]->(s1:SalesOrder) "
    "WHERE s1.status IN $open "
    "WITH id, d, collect(s1.id) AS via_work_orders "
    "OPTIONAL MATCH (sh:Shipment)-[:CONTAINS]->(d) "
    "OPTIONAL MATCH (sh)-[:FOR_ORDER]->(s2:SalesOrder) WHERE s2.status IN $open "
    "WITH id, via_work_orders, collect(s2.id) AS via_shipments "
    "WITH id, via_work_orders + via_shipments AS found "
    "UNWIND found AS so RETURN id, collect(DISTINCT so) AS sales_orders"
)

_AFFECTED: dict[str, str] = {
    "sales_order": (
        "UNWIND $ids AS id MATCH (s:SalesOrder {id: id}) WHERE s.status IN $open "
        "RETURN id, [s.id] AS sales_orders"
    ),
    "work_order": (
        "UNWIND $ids AS id MATCH (:WorkOrder {id: id})-[:FULFILLS]->(s:SalesOrder) "
        "WHERE s.status IN $open RETURN id, collect(DISTINCT s.id) AS sales_orders"
    ),
    "operation": (
        "UNWIND $ids AS id MATCH (:Operation {id: id})<-[:HAS_OPERATION]-(:WorkOrder)"
        "-[:FULFILLS]->(s:SalesOrder) "
        "WHERE s.status IN $open RETURN id, collect(DISTINCT s.id) AS sales_orders"
    ),
    "machine": (
        "UNWIND $ids AS id MATCH (m:Machine {id: id}) WITH id, m "
        "MATCH (m)<-[:RUNS_ON]-(o:Operation)<-[:HAS_OPERATION]-(:WorkOrder)"
        "-[:FULFILLS]->(s:SalesOrder) "
        "WHERE o.status <> 'done' AND s.status IN $open "
        "RETURN id, collect(DISTINCT s.id) AS sales_orders"
    ),
    "batch": "UNWIND $ids AS id MATCH (b:Batch {id: id}) WITH id, b " + _FROM_BATCHES,
    "material_lot": "UNWIND $ids AS id MATCH (b:MaterialLot {id: id}) WITH id, b " + _FROM_BATCHES,
    "material": (
        "UNWIND $ids AS id MATCH (m:Material {id: id}) WITH id, m "
        "MATCH (m)<-[:HAS_COMPONENT*1..6]-(:Product)<-[:FOR_PRODUCT]-(s:SalesOrder) "
        "WHERE s.status IN $open RETURN id, collect(DISTINCT s.id) AS sales_orders"
    ),
    "supplier": (
        "UNWIND $ids AS id MATCH (:Supplier {id: id})<-[:SUPPLIED_BY]-(l:MaterialLot) "
        "WHERE l.status IN ['available', 'quarantine'] "
        "MATCH (l)-[:OF_MATERIAL]->(:Material)<-[:HAS_COMPONENT*1..6]-(:Product)"
        "<-[:FOR_PRODUCT]-(s:SalesOrder) "
        "WHERE s.status IN $open RETURN id, collect(DISTINCT s.id) AS sales_orders"
    ),
}
"""Open sales orders an entity at risk would hold up, per node type:
machine -> pending operations -> work orders -> orders; work order -> orders; batch or
lot -> batches that consumed it (down the genealogy) -> their work orders' orders and the
orders their shipments are for; material (or a supplier's usable lots' materials) ->
products that need it (multi-level bill of materials) -> orders for those products."""


async def affected_sales_orders(
    store: GraphStore, node_type: str, ids: Sequence[str]
) -> dict[str, list[str]]:
    """Open sales orders each entity of `node_type` would hold up (sorted; [] when none)."""
    label_of(node_type)
    found: dict[str, list[str]] = {i: [] for i in ids}
    if not ids:
        return found
    rows = await store.read(_AFFECTED[node_type], {"ids": list(ids), "open": _OPEN})
    for row in rows:
        found[row["id"]] = sorted(set(row["sales_orders"]) | set(found.get(row["id"], [])))
    return found


_SCOPE = (
    "UNWIND $ids AS id "
    "OPTIONAL MATCH (m:Machine {id: id}) "
    "OPTIONAL MATCH (m)<-[:RUNS_ON]-(mo:Operation)<-[:HAS_OPERATION]-(mw:WorkOrder) "
    "WHERE mo.status <> 'done' AND mw.status IN $open_work_orders "
    "OPTIONAL MATCH (w:WorkOrder {id: id}) "
    "OPTIONAL MATCH (o:Operation {id: id})<-[:HAS_OPERATION]-(ow:WorkOrder) "
    "OPTIONAL MATCH (o)-[:RUNS_ON]->(om:Machine) "
    "OPTIONAL MATCH (b:Batch {id: id})-[:PRODUCED_BY]->(bw:WorkOrder) "
    "OPTIONAL MATCH (b)-[:PRODUCED_ON]->(bm:Machine) "
    "OPTIONAL MATCH (s:SalesOrder {id: id}) "
    "OPTIONAL MATCH (l:MaterialLot {id: id})-[:OF_MATERIAL]->(lm:Material) "
    "OPTIONAL MATCH (mat:Material {id: id}) "
    "WITH id, collect(DISTINCT m.id) + collect(DISTINCT om.id) + collect(DISTINCT bm.id) "
    "AS machines, "
    "collect(DISTINCT mw.id) + collect(DISTINCT w.id) + collect(DISTINCT ow.id) "
    "+ collect(DISTINCT bw.id) AS work_orders, "
    "collect(DISTINCT b.id) AS batches, collect(DISTINCT s.id) AS orders, "
    "collect(DISTINCT lm.id) + collect(DISTINCT mat.id) AS materials "
    "UNWIND CASE WHEN size(work_orders) = 0 THEN [null] ELSE work_orders END AS wid "
    "OPTIONAL MATCH (:WorkOrder {id: wid})-[:FULFILLS]->(ws:SalesOrder) "
    "WITH machines, work_orders, batches, materials, orders, collect(DISTINCT ws.id) AS via "
    "RETURN machines, work_orders, batches, materials, orders + via AS sales_orders"
)


async def rescoring_scope(store: GraphStore, ids: Sequence[str]) -> dict[str, list[str]]:
    """Entities whose scores a change to `ids` can move, by node type.

    A machine's change reaches its pending operations' work orders and their orders; an
    operation's its machine and work order; a batch its work order and machine; a lot its
    material; a work order or order itself (and a work order's orders).
    """
    scope: dict[str, set[str]] = defaultdict(set)
    if not ids:
        return {}
    rows = await store.read(_SCOPE, {"ids": list(ids), "open_work_orders": _OPEN_WORK_ORDERS})
    keys: dict[str, Any] = {
        "machine": "machines",
        "work_order": "work_orders",
        "batch": "batches",
        "material": "materials",
        "sales_order": "sales_orders",
    }
    for row in rows:
        for node_type, column in keys.items():
            scope[node_type].update(i for i in row[column] if i is not None)
    return {node_type: sorted(found) for node_type, found in scope.items() if found}
