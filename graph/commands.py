"""The mutations' writes: each one Cypher statement that reads, checks and writes atomically.

FalkorDB has no multi-statement transactions, so a command that must be all-or-nothing
is a single statement: it looks up everything it names, decides an `outcome` from what
it found, and only when that is `ok` do its `FOREACH (_ IN CASE ... END | ...)` clauses
write. Whatever the outcome, the statement returns one row saying which check failed
and the ids behind it, so the caller can answer with a typed error without a second read.

Both engines run these statements (no engine-specific function or syntax). On Neo4j
(read-committed) a check is only as good as the lock behind it: each statement first
sets a property it then checks to itself (`SET lot.quantity = lot.quantity`), which
takes the write lock before the value is read, so two concurrent statements cannot both
pass the check on the same old value. FalkorDB runs write queries one at a time, where
that no-op changes nothing. A unique `id` (migrations) covers concurrent creates of the
same node; a `ConstraintViolationError` there is retried once by the caller.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from domain.commands import (
    AcknowledgeAlert,
    CreateSalesOrder,
    RecordProduction,
    RecordQualityEvent,
    ReleaseWorkOrder,
)
from domain.states import BatchStatus, LotStatus, SalesOrderStatus, WorkOrderStatus
from domain.values import epoch_ms
from graph.errors import ConstraintViolationError
from graph.store import GraphStore, Params, Record

QUANTITY_TOLERANCE = 1e-9
"""Relative slack on lot quantities: float subtraction leaves residues like 1e-17, so a
lot is short only when asked for more than `quantity * (1 + tol) + tol`, and a lot whose
remainder is within that slack of zero is set to exactly 0 and marked consumed."""

PRODUCIBLE = [WorkOrderStatus.RELEASED.value, WorkOrderStatus.IN_PROGRESS.value]
CONSUMABLE_BATCH = [BatchStatus.COMPLETED.value, BatchStatus.RELEASED.value]


@dataclass(frozen=True)
class Outcome:
    """What a command statement did: the node it wrote (or replayed), or why it refused.

    `missing` holds ids that name nothing (`NotFound`); `conflict` says which state of
    the graph contradicts the request; `replayed` marks an idempotent repeat (no write).
    """

    record: Record | None = None
    missing: list[str] = field(default_factory=list)
    conflict: str | None = None
    replayed: bool = False
    changed: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.record is not None and not self.missing and self.conflict is None


_GO = "FOREACH (_ IN CASE WHEN outcome = 'ok' THEN [1] ELSE [] END | "


async def _write_once_more_on_race(store: GraphStore, cypher: str, params: Params) -> Record:
    """Run a command statement; a concurrent create of the same id is retried once.

    The retry sees the other statement's node and answers from it (a conflict or an
    idempotent replay) instead of surfacing the engine's constraint error.
    """
    try:
        rows = await store.write(cypher, params)
    except ConstraintViolationError:
        rows = await store.write(cypher, params)
    return rows[0]


# --- createSalesOrder ---------------------------------------------------------------------
CREATE_SALES_ORDER = (
    "OPTIONAL MATCH (dup:SalesOrder {id: $order.id}) "
    "OPTIONAL MATCH (c:Customer {id: $customer_id}) "
    "OPTIONAL MATCH (p:Product {id: $product_id}) "
    "WITH dup, c, p, CASE "
    " WHEN c IS NULL OR p IS NULL THEN 'not_found' "
    " WHEN dup IS NOT NULL THEN 'exists' "
    " ELSE 'ok' END AS outcome "
    + _GO
    + "CREATE (o:SalesOrder {id: $order.id, status: $order.status, ordered_at: $order.ordered_at, "
    "  due_at: $order.due_at, priority: $order.priority}) "
    " CREATE (o)-[:PLACED_BY]->(c) "
    " CREATE (o)-[:FOR_PRODUCT {qty: $quantity, unit: p.unit}]->(p)) "
    "WITH outcome, c, p "
    "OPTIONAL MATCH (o:SalesOrder {id: $order.id}) "
    "RETURN outcome, c IS NULL AS no_customer, p IS NULL AS no_product, o AS node"
)


async def create_sales_order(store: GraphStore, command: CreateSalesOrder) -> Outcome:
    """Create an open sales order placed by a customer for one product."""
    params = {
        "order": {
            "id": command.id,
            "status": SalesOrderStatus.OPEN.value,
            "ordered_at": epoch_ms(command.ordered_at),
            "due_at": epoch_ms(command.due_at),
            "priority": command.priority,
        },
        "customer_id": command.customer_id,
        "product_id": command.product_id,
        "quantity": command.quantity,
    }
    row = await _write_once_more_on_race(store, CREATE_SALES_ORDER, params)
    if row["outcome"] == "not_found":
        missing = [command.customer_id] if row["no_customer"] else []
        missing += [command.product_id] if row["no_product"] else []
        return Outcome(missing=missing)
    if row["outcome"] == "exists":
        return Outcome(conflict=f"sales order {command.id!r} already exists")
    return Outcome(record=row["node"], changed=True)


# --- releaseWorkOrder ---------------------------------------------------------------------
RELEASE_WORK_ORDER = (
    "OPTIONAL MATCH (wo:WorkOrder {id: $id}) "
    "FOREACH (w IN CASE WHEN wo IS NULL THEN [] ELSE [wo] END | SET w.status = w.status) "
    "WITH wo, wo.status AS before "
    "WITH wo, before, CASE "
    " WHEN wo IS NULL THEN 'not_found' "
    " WHEN before <> $planned THEN 'status' "
    " ELSE 'ok' END AS outcome " + _GO + "SET wo.status = $released) "
    "WITH wo, before, outcome "
    "OPTIONAL MATCH (wo)<-[:PRODUCED_BY]-(b:Batch) WHERE b.status <> $rejected "
    "RETURN outcome, before, wo AS node, sum(b.quantity) AS produced"
)


async def release_work_order(store: GraphStore, command: ReleaseWorkOrder) -> Outcome:
    """planned -> released; any other state is a conflict (nothing changes)."""
    params = {
        "id": command.id,
        "planned": WorkOrderStatus.PLANNED.value,
        "released": WorkOrderStatus.RELEASED.value,
        "rejected": BatchStatus.REJECTED.value,
    }
    row = (await store.write(RELEASE_WORK_ORDER, params))[0]
    if row["outcome"] == "not_found":
        return Outcome(missing=[command.id])
    if row["outcome"] == "status":
        return Outcome(
            conflict=f"work order {command.id!r} is {row['before']}; only a planned one "
            "can be released"
        )
    return Outcome(
        record=row["node"], changed=True, extra={"produced": float(row["produced"] or 0)}
    )


# --- recordProduction ---------------------------------------------------------------------
RECORD_PRODUCTION = (
    "OPTIONAL MATCH (k:IdempotencyKey {id: $key}) "
    "OPTIONAL MATCH (wo:WorkOrder {id: $work_order_id}) "
    "OPTIONAL MATCH (m:Machine {id: $machine_id}) "
    "OPTIONAL MATCH (dup:Batch {id: $batch.id}) "
    # lock what the checks read (a no-op write; see the module docstring)
    "FOREACH (w IN CASE WHEN k IS NULL AND wo IS NOT NULL THEN [wo] ELSE [] END | "
    " SET w.status = w.status) "
    "WITH k, wo, m, dup "
    "CALL { UNWIND $lots AS c MATCH (l:MaterialLot {id: c.id}) "
    " SET l.quantity = l.quantity RETURN count(l) AS locked } "
    "CALL { UNWIND $lots AS c "
    " OPTIONAL MATCH (l:MaterialLot {id: c.id}) "
    " RETURN collect(l) AS lots, "
    "  collect(CASE WHEN l IS NULL THEN c.id END) AS missing_lots, "
    "  collect(CASE WHEN l.status <> $available THEN [l.id, l.status] END) AS unavailable, "
    "  collect(CASE WHEN c.qty > l.quantity * (1 + $tol) + $tol "
    "   THEN {id: l.id, left: l.quantity, unit: l.unit, asked: c.qty} END) AS short } "
    "CALL { UNWIND $batches AS c "
    " OPTIONAL MATCH (s:Batch {id: c.id}) "
    " RETURN collect(s) AS sources, "
    "  collect(CASE WHEN s IS NULL THEN c.id END) AS missing_batches, "
    "  collect(CASE WHEN NOT s.status IN $consumable_batch THEN [s.id, s.status] END) "
    "   AS unusable } "
    "WITH k, wo, m, dup, lots, sources, missing_lots, missing_batches, unavailable, short, "
    " unusable, CASE "
    "  WHEN k IS NOT NULL AND k.request_hash = $hash THEN 'replay' "
    "  WHEN k IS NOT NULL THEN 'key_conflict' "
    "  WHEN wo IS NULL OR m IS NULL OR size(missing_lots) > 0 OR size(missing_batches) > 0 "
    "   THEN 'not_found' "
    "  WHEN dup IS NOT NULL THEN 'batch_exists' "
    "  WHEN NOT wo.status IN $producible THEN 'work_order_status' "
    "  WHEN size(unavailable) > 0 OR size(unusable) > 0 THEN 'unavailable' "
    "  WHEN size(short) > 0 THEN 'short' "
    "  ELSE 'ok' END AS outcome "
    + _GO
    + "CREATE (b:Batch {id: $batch.id, status: $batch.status, quantity: $batch.quantity, "
    "  unit: wo.unit, started_at: $batch.started_at, completed_at: $batch.completed_at}) "
    " CREATE (b)-[:PRODUCED_BY]->(wo) "
    " CREATE (b)-[:PRODUCED_ON]->(m) "
    " CREATE (:IdempotencyKey {id: $key, mutation: 'recordProduction', "
    "  request_hash: $hash, batch_id: $batch.id, created_at: $now}) "
    " SET wo.status = CASE WHEN wo.status = $released THEN $in_progress ELSE wo.status END, "
    "  wo.actual_start = coalesce(wo.actual_start, $batch.started_at) "
    " FOREACH (l IN lots | "
    "  CREATE (b)-[:CONSUMED {qty: [c IN $lots WHERE c.id = l.id][0].qty, unit: l.unit}]->(l) "
    # status first: it reads the quantity from before this batch took its share
    "  SET l.status = CASE WHEN l.quantity - [c IN $lots WHERE c.id = l.id][0].qty "
    "    <= $tol * (1 + l.quantity) THEN $consumed ELSE l.status END, "
    "   l.quantity = CASE WHEN l.quantity - [c IN $lots WHERE c.id = l.id][0].qty "
    "    <= $tol * (1 + l.quantity) THEN 0.0 "
    "    ELSE l.quantity - [c IN $lots WHERE c.id = l.id][0].qty END) "
    " FOREACH (s IN sources | "
    "  CREATE (b)-[:CONSUMED {qty: [c IN $batches WHERE c.id = s.id][0].qty, unit: s.unit}]->(s)"
    " )) "
    "WITH outcome, k, wo, m, missing_lots, missing_batches, unavailable, unusable, short "
    "OPTIONAL MATCH (b:Batch {id: coalesce(k.batch_id, $batch.id)}) "
    "OPTIONAL MATCH (b)-[:PRODUCED_BY]->(bwo:WorkOrder) "
    "OPTIONAL MATCH (bwo)<-[:PRODUCED_BY]-(pb:Batch) WHERE pb.status <> $rejected "
    "RETURN outcome, wo IS NULL AS no_work_order, m IS NULL AS no_machine, missing_lots, "
    " missing_batches, unavailable + unusable AS unavailable, short, wo.status AS wo_status, "
    " b AS node, bwo AS work_order, sum(pb.quantity) AS produced"
)


async def record_production(
    store: GraphStore, command: RecordProduction, batch_id: str, now_ms: int
) -> Outcome:
    """Create the batch with its genealogy and take what it consumed from the lots.

    `batch_id` is the command's own or one the caller chose for it; the idempotency key
    remembers it with the request's hash, so a retry answers with the same batch.
    """
    params = {
        "key": command.idempotency_key,
        "hash": command.request_hash(),
        "now": now_ms,
        "work_order_id": command.work_order_id,
        "machine_id": command.machine_id,
        "batch": {
            "id": batch_id,
            "status": BatchStatus.COMPLETED.value,
            "quantity": command.quantity,
            "started_at": epoch_ms(command.started_at),
            "completed_at": epoch_ms(command.completed_at),
        },
        "lots": [{"id": i, "qty": q} for i, q in command.lots],
        "batches": [{"id": i, "qty": q} for i, q in command.batches],
        "tol": QUANTITY_TOLERANCE,
        "available": LotStatus.AVAILABLE.value,
        "consumed": LotStatus.CONSUMED.value,
        "consumable_batch": CONSUMABLE_BATCH,
        "producible": PRODUCIBLE,
        "released": WorkOrderStatus.RELEASED.value,
        "in_progress": WorkOrderStatus.IN_PROGRESS.value,
        "rejected": BatchStatus.REJECTED.value,
    }
    row = await _write_once_more_on_race(store, RECORD_PRODUCTION, params)
    outcome = row["outcome"]
    if outcome == "key_conflict":
        return Outcome(
            conflict=f"idempotency key {command.idempotency_key!r} was used for a different request"
        )
    if outcome == "not_found":
        missing = [command.work_order_id] if row["no_work_order"] else []
        missing += [command.machine_id] if row["no_machine"] else []
        return Outcome(missing=missing + row["missing_lots"] + row["missing_batches"])
    if outcome == "batch_exists":
        return Outcome(conflict=f"batch {batch_id!r} already exists")
    if outcome == "work_order_status":
        return Outcome(
            conflict=f"work order {command.work_order_id!r} is {row['wo_status']}; production "
            f"is recorded only against a work order that is {' or '.join(PRODUCIBLE)}"
        )
    if outcome == "unavailable":
        return Outcome(
            conflict="cannot consume: "
            + "; ".join(f"{key} is {status}" for key, status in row["unavailable"])
        )
    if outcome == "short":
        return Outcome(
            conflict="over-consumption: "
            + "; ".join(
                f"lot {s['id']} has {s['left']:g} {s['unit']} left, {s['asked']:g} asked"
                for s in row["short"]
            )
        )
    work_order = row["work_order"] or {}
    return Outcome(
        record=row["node"],
        replayed=outcome == "replay",
        changed=outcome == "ok",
        extra={"work_order": work_order, "produced": float(row["produced"] or 0)},
    )


# --- recordQualityEvent -------------------------------------------------------------------
RECORD_QUALITY_EVENT = (
    "OPTIONAL MATCH (dup:QualityEvent {id: $event.id}) "
    "CALL { UNWIND $machine_ids AS i OPTIONAL MATCH (n:Machine {id: i}) "
    " RETURN collect(n) AS machines, collect(CASE WHEN n IS NULL THEN i END) AS m_missing } "
    "CALL { UNWIND $batch_ids AS i OPTIONAL MATCH (n:Batch {id: i}) "
    " RETURN collect(n) AS batches, collect(CASE WHEN n IS NULL THEN i END) AS b_missing } "
    "CALL { UNWIND $lot_ids AS i OPTIONAL MATCH (n:MaterialLot {id: i}) "
    " RETURN collect(n) AS lots, collect(CASE WHEN n IS NULL THEN i END) AS l_missing } "
    "WITH dup, machines, batches, lots, m_missing + b_missing + l_missing AS missing "
    "WITH dup, machines, batches, lots, missing, CASE "
    " WHEN size(missing) > 0 THEN 'not_found' "
    " WHEN dup IS NOT NULL THEN 'exists' "
    " ELSE 'ok' END AS outcome "
    + _GO
    + "CREATE (q:QualityEvent {id: $event.id, kind: $event.kind, severity: $event.severity, "
    "  occurred_at: $event.occurred_at, description: $event.description}) "
    " FOREACH (n IN machines | CREATE (q)-[:CONCERNS]->(n)) "
    " FOREACH (n IN batches | CREATE (q)-[:CONCERNS]->(n)) "
    " FOREACH (n IN lots | CREATE (q)-[:CONCERNS]->(n))) "
    "WITH outcome, missing "
    "OPTIONAL MATCH (q:QualityEvent {id: $event.id}) "
    "RETURN outcome, missing, q AS node"
)


async def record_quality_event(
    store: GraphStore, command: RecordQualityEvent, event_id: str
) -> Outcome:
    """Create a quality event concerning the named machines, batches and lots."""
    params = {
        "event": {
            "id": event_id,
            "kind": command.kind.value,
            "severity": command.severity.value,
            "occurred_at": epoch_ms(command.occurred_at),
            "description": command.description,
        },
        "machine_ids": command.machine_ids,
        "batch_ids": command.batch_ids,
        "lot_ids": command.lot_ids,
    }
    row = await _write_once_more_on_race(store, RECORD_QUALITY_EVENT, params)
    if row["outcome"] == "not_found":
        return Outcome(missing=row["missing"])
    if row["outcome"] == "exists":
        return Outcome(conflict=f"quality event {event_id!r} already exists")
    subject_ids = command.machine_ids + command.batch_ids + command.lot_ids
    return Outcome(record=row["node"], changed=True, extra={"subject_ids": subject_ids})


# --- acknowledgeAlert ---------------------------------------------------------------------
ACKNOWLEDGE_ALERT = (
    "OPTIONAL MATCH (a:RiskAlert {id: $id}) "
    "FOREACH (x IN CASE WHEN a IS NULL THEN [] ELSE [a] END | "
    " SET x.acknowledged = coalesce(x.acknowledged, false)) "
    "WITH a, coalesce(a.acknowledged, false) AS before "
    "FOREACH (x IN CASE WHEN a IS NULL OR before THEN [] ELSE [a] END | "
    " SET x.acknowledged = true, x.updated_at = $at) "
    "WITH a, before "
    "OPTIONAL MATCH (a)-[:ABOUT]->(about) "
    "WITH a, before, collect(about.id) AS about_ids "
    "OPTIONAL MATCH (a)-[:AFFECTS]->(so:SalesOrder) "
    "RETURN a IS NULL AS missing, before, a AS node, about_ids, "
    " collect(so.id) AS affected_sales_order_ids"
)


async def acknowledge_alert(store: GraphStore, command: AcknowledgeAlert) -> Outcome:
    """Set `acknowledged`; an alert already acknowledged is returned unchanged."""
    at = int(time.time() * 1000)
    row = (await store.write(ACKNOWLEDGE_ALERT, {"id": command.id, "at": at}))[0]
    if row["missing"]:
        return Outcome(missing=[command.id])
    extra = {
        "about_ids": row["about_ids"],
        "affected_sales_order_ids": row["affected_sales_order_ids"],
    }
    return Outcome(record=row["node"], changed=not row["before"], extra=extra)
