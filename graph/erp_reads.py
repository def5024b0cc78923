"""Reads of the ERP and twin views that the generic ones (`graph.reads`) cannot express.

Bills of materials, inventory sums, what alerts and predictions are about, the ids of
orders at risk, and the raw inputs of OEE (a machine's state changes and the batches it
completed). Every function is one statement for any number of ids; every value is a
parameter, and the few labels spliced in come from the fixed tables below.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from graph import reads
from graph.dialect import check_identifier
from graph.store import GraphStore, Record

MAX_BOM_DEPTH = 20
"""The deepest bill of materials a statement expands (the bound of its variable-length path)."""

LATE_STATUSES = ("open", "in_production")
"""Sales order statuses that can still be late: not shipped, closed or cancelled."""

SUBJECT_LABELS = ("RiskAlert", "Prediction")
"""Labels whose `ABOUT` relationship may point at a node of any label."""


@dataclass(frozen=True)
class ErpListQuery(reads.ListQuery):
    """A `ListQuery` plus the conditions the ERP lists add.

    `flags` compares a boolean property with a value (the generic `any_of` compares
    text; a missing flag counts as false); `ranges` are time ranges beyond the first; `late`
    selects sales orders past due at `now_ms` and not yet shipped, closed or cancelled
    (`False`: the others).
    """

    flags: dict[str, bool] = field(default_factory=dict)
    ranges: tuple[tuple[str, int | None, int | None], ...] = ()
    late: bool | None = None
    now_ms: int = 0

    def where(self) -> tuple[str, dict[str, Any]]:
        base, params = super().where()
        clauses: list[str] = [base.removeprefix(" WHERE ")] if base else []
        for index, (prop, value) in enumerate(sorted(self.flags.items())):
            clauses.append(f"coalesce(n.{check_identifier(prop)}, false) = $flag{index}")
            params[f"flag{index}"] = value
        for index, (prop, start, end) in enumerate(self.ranges):
            name = check_identifier(prop)
            if start is not None:
                clauses.append(f"n.{name} >= $rfrom{index}")
                params[f"rfrom{index}"] = start
            if end is not None:
                clauses.append(f"n.{name} < $rto{index}")
                params[f"rto{index}"] = end
        if self.late is not None:
            late = "(n.due_at < $late_now AND n.status IN $late_statuses)"
            clauses.append(late if self.late else f"NOT {late}")
            params["late_now"] = self.now_ms
            params["late_statuses"] = list(LATE_STATUSES)
        return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


# --- bills of materials ------------------------------------------------------------------
_BOM = f"""
UNWIND $ids AS top_id
MATCH (top:Product {{id: top_id}})
WITH top_id, top
MATCH path = (top)-[:HAS_COMPONENT*1..{MAX_BOM_DEPTH}]->(component)
WITH top_id, path, component, [x IN nodes(path) | x.id] AS path_ids
WHERE length(path) <= $max_depth
  AND all(i IN range(0, size(path_ids) - 2) WHERE NOT path_ids[i] IN path_ids[i + 1..])
RETURN top_id, path_ids, [r IN relationships(path) | r.qty] AS quantities,
       properties(last(relationships(path))) AS rel, labels(component) AS labels,
       component AS node
"""


@dataclass(frozen=True)
class BomRow:
    """One occurrence of a component in an explosion: the path from the top product to it."""

    path: tuple[str, ...]
    """Ids from the top product to the component, both included."""
    label: str
    node: Record
    quantity_per_parent: float
    unit: str | None
    quantity: float
    """Per one unit of the top product: the product of the quantities along the path."""

    @property
    def level(self) -> int:
        return len(self.path) - 1


async def bom_explosions(
    store: GraphStore, product_ids: list[str], max_depth: int
) -> dict[str, list[BomRow]]:
    """Every component of each product to `max_depth` levels, in depth-first order.

    One variable-length statement for all products. A path that would visit a product
    twice (a cycle in bad data) is left out, so an explosion always ends.
    """
    rows = await store.read(_BOM, {"ids": product_ids, "max_depth": max_depth})
    found: dict[str, list[BomRow]] = defaultdict(list)
    for row in rows:
        quantity = 1.0
        for qty in row["quantities"]:
            quantity *= float(qty)
        rel = row["rel"] or {}
        found[row["top_id"]].append(
            BomRow(
                path=tuple(row["path_ids"]),
                label=row["labels"][0],
                node=row["node"],
                quantity_per_parent=float(rel.get("qty", 0.0)),
                unit=rel.get("unit"),
                quantity=quantity,
            )
        )
    for explosion in found.values():
        explosion.sort(key=lambda r: r.path)
    return found


# --- inventory ---------------------------------------------------------------------------
_LOTS_BY_STATUS = """
UNWIND $ids AS material_id
MATCH (m:Material {id: material_id})
WITH material_id, m
OPTIONAL MATCH (m)<-[:OF_MATERIAL]-(lot:MaterialLot)
RETURN material_id, lot.status AS status, count(lot) AS lots, sum(lot.quantity) AS quantity
"""


@dataclass(frozen=True)
class LotSummary:
    status: str
    lots: int
    quantity: float


async def lots_by_status(store: GraphStore, material_ids: list[str]) -> dict[str, list[LotSummary]]:
    """For each material, its lots counted and summed per status (only statuses with lots)."""
    found: dict[str, list[LotSummary]] = defaultdict(list)
    for row in await store.read(_LOTS_BY_STATUS, {"ids": material_ids}):
        if row["status"] is None or not row["lots"]:
            continue
        found[row["material_id"]].append(
            LotSummary(row["status"], int(row["lots"]), float(row["quantity"] or 0.0))
        )
    for summaries in found.values():
        summaries.sort(key=lambda s: s.status)
    return found


# --- what alerts and predictions are about -----------------------------------------------
async def subjects(store: GraphStore, label: str, ids: list[str]) -> dict[str, list[Record]]:
    """For each alert or prediction, the nodes it is `ABOUT`: `{id, label}`, by id."""
    if label not in SUBJECT_LABELS:
        raise ValueError(f"{label} has no ABOUT relationship")
    cypher = (
        f"UNWIND $ids AS source_id MATCH (s:{check_identifier(label)} {{id: source_id}}) "
        "WITH source_id, s MATCH (s)-[:ABOUT]->(x) "
        "RETURN source_id, x.id AS id, labels(x)[0] AS label ORDER BY source_id, id"
    )
    found: dict[str, list[Record]] = defaultdict(list)
    for row in await store.read(cypher, {"ids": ids}):
        found[row["source_id"]].append({"id": row["id"], "label": row["label"]})
    return found


async def sales_orders_at_risk(store: GraphStore, severities: list[str]) -> list[str]:
    """Ids of sales orders affected by an unacknowledged alert of one of `severities`."""
    cypher = (
        "MATCH (a:RiskAlert) WHERE a.severity IN $severities "
        "AND NOT coalesce(a.acknowledged, false) "
        "WITH a MATCH (a)-[:AFFECTS]->(s:SalesOrder) RETURN DISTINCT s.id AS id"
    )
    return [row["id"] for row in await store.read(cypher, {"severities": severities})]


# --- OEE inputs --------------------------------------------------------------------------
_MACHINE_HISTORY = """
MATCH (m:Machine {id: $id})
WITH m
OPTIONAL MATCH (m)<-[:OF]-(c:StateChange)
WITH m, max(c.at) AS latest_at, max(CASE WHEN c.at < $from THEN c.at END) AS prior_at
OPTIONAL MATCH (m)<-[:OF]-(p:StateChange)
WHERE p.at = prior_at
WITH m, latest_at, prior_at, collect({id: p.id, state: p.to_state}) AS prior
OPTIONAL MATCH (m)<-[:RUNS_ON]-(o:Operation)
RETURN m AS machine, latest_at, prior_at, prior,
       avg(o.ideal_cycle_time_s) AS machine_ideal_cycle_time_s
"""

_WINDOW_CHANGES = """
MATCH (m:Machine {id: $id})
WITH m
MATCH (m)<-[:OF]-(c:StateChange)
WHERE c.at >= $from AND c.at < $to
RETURN c.id AS id, c.at AS at, c.from_state AS from_state, c.to_state AS to_state
ORDER BY at, id
"""

_COMPLETED_BATCHES = """
MATCH (m:Machine {id: $id})
WITH m
MATCH (m)<-[:PRODUCED_ON]-(b:Batch)
WHERE b.completed_at >= $from AND b.completed_at < $to
WITH m, b
OPTIONAL MATCH (b)-[:PRODUCED_BY]->(:WorkOrder)-[:HAS_OPERATION]->(o:Operation)-[:RUNS_ON]->(m)
RETURN b.id AS id, b.status AS status, b.quantity AS quantity,
       avg(o.ideal_cycle_time_s) AS ideal_cycle_time_s
ORDER BY id
"""


@dataclass(frozen=True)
class StateEvent:
    at: int
    state: str
    source: str
    """The `StateChange` id, or `machine` for the machine's own `state`/`state_at`."""


@dataclass(frozen=True)
class CompletedBatch:
    id: str
    status: str
    quantity: float
    ideal_cycle_time_s: float | None
    """Of the batch's operation on this machine (None when its routing does not say)."""


@dataclass(frozen=True)
class OeeInputs:
    """What the graph knows about a machine over `[from_ms, to_ms)`."""

    machine: Record
    events: list[StateEvent]
    """State at the window start (if known) and every change inside it, in time order."""
    batches: list[CompletedBatch]
    machine_ideal_cycle_time_s: float | None
    """Mean over every operation routed to the machine: the fallback for a batch."""


async def oee_inputs(
    store: GraphStore, machine_id: str, from_ms: int, to_ms: int
) -> OeeInputs | None:
    """The machine's state timeline and completed batches in the window (None: no machine).

    The machine's live `state` since `state_at` counts as one more change when it is at
    least as new as every recorded `StateChange` (it is the newest truth); older, it is
    already covered by the recorded history and left out.
    """
    params = {"id": machine_id, "from": from_ms, "to": to_ms}
    history, changes, batches = await asyncio.gather(
        store.read(_MACHINE_HISTORY, params),
        store.read(_WINDOW_CHANGES, params),
        store.read(_COMPLETED_BATCHES, params),
    )
    if not history:
        return None
    head = history[0]
    machine: Record = head["machine"]
    events: list[StateEvent] = []
    prior = [p for p in head["prior"] if p.get("id") is not None]
    if prior:
        last = max(prior, key=lambda p: str(p["id"]))
        events.append(StateEvent(int(head["prior_at"]), str(last["state"]), str(last["id"])))
    events += [StateEvent(int(c["at"]), str(c["to_state"]), str(c["id"])) for c in changes]
    live_at = machine.get("state_at")
    latest_at = head["latest_at"]
    if live_at is not None and (latest_at is None or live_at >= latest_at) and live_at < to_ms:
        events.append(StateEvent(int(live_at), str(machine.get("state", "")), "machine"))
    events.sort(key=lambda e: e.at)
    fallback = head["machine_ideal_cycle_time_s"]
    return OeeInputs(
        machine=machine,
        events=events,
        batches=[
            CompletedBatch(
                id=str(b["id"]),
                status=str(b["status"]),
                quantity=float(b["quantity"]),
                ideal_cycle_time_s=(
                    None if b["ideal_cycle_time_s"] is None else float(b["ideal_cycle_time_s"])
                ),
            )
            for b in batches
        ],
        machine_ideal_cycle_time_s=None if fallback is None else float(fallback),
    )
