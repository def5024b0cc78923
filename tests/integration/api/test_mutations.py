"""The mutations over HTTP against a real service and graph: writes, typed errors, roles.

Every test builds its own small corner of the plant (fresh ids) in the shared session
graph, so known quantities never depend on another test's writes. "Changes nothing" is
checked with `graph_checksum` over the whole graph before and after.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from types import SimpleNamespace
from typing import Any

import pytest
import strawberry

from domain.auth import Role
from domain.commands import RecordProduction
from domain.states import QualityEventKind, Severity
from graph import commands as graph_commands
from resolvers import topics
from resolvers.context import RequestContext
from resolvers.events import InProcessBus
from resolvers.loaders import Loaders
from resolvers.mutations import MutationApi
from schema.mutation_types import ConsumptionInput, RecordProductionInput, RecordQualityEventInput
from tests.conftest import graph_checksum
from tests.integration.api.conftest import ApiGraph, ApiServer

T0 = "2026-03-02T06:00:00+00:00"
T1 = "2026-03-02T07:30:00+00:00"
T0_MS = 1772431200000

ERRORS = """
  ... on ValidationError { field message }
  ... on NotFoundError { ids message }
  ... on ConflictError { message }
"""

CREATE_SALES_ORDER = f"""
mutation($input: CreateSalesOrderInput!) {{
  createSalesOrder(input: $input) {{
    __typename
    ... on SalesOrder {{ id status priority orderedAt dueAt }}
    {ERRORS}
  }}
}}"""

RELEASE_WORK_ORDER = f"""
mutation($id: ID!) {{
  releaseWorkOrder(id: $id) {{ __typename ... on WorkOrder {{ id status }} {ERRORS} }}
}}"""

RECORD_PRODUCTION = f"""
mutation($input: RecordProductionInput!) {{
  recordProduction(input: $input) {{
    __typename
    ... on Batch {{
      id status quantity unit startedAt completedAt
      workOrder {{ id status }}
      consumed {{ quantity unit lot {{ id quantity status }} batch {{ id }} }}
    }}
    {ERRORS}
  }}
}}"""

RECORD_QUALITY_EVENT = f"""
mutation($input: RecordQualityEventInput!) {{
  recordQualityEvent(input: $input) {{
    __typename
    ... on QualityEvent {{ id kind severity occurredAt description subjectIds }}
    {ERRORS}
  }}
}}"""

ACKNOWLEDGE_ALERT = f"""
mutation($id: ID!) {{
  acknowledgeAlert(id: $id) {{ __typename ... on RiskAlert {{ id acknowledged }} {ERRORS} }}
}}"""


@dataclass
class Corner:
    """Fresh nodes for one test: two work orders, a machine, lots, a batch, an alert..."""

    tag: str
    released_wo: str
    planned_wo: str
    machine: str
    lot: str  # 10 kg, available
    small_lot: str  # 4 kg, available
    held_lot: str  # 5 kg, on hold
    source_batch: str  # 20 kg, released (an intermediate)
    customer: str
    product: str
    alert: str
    sales_order: str


_CORNER = """
CREATE (:WorkOrder {id: $p + 'WO-R', status: 'released', quantity: 50.0, unit: 'kg',
        planned_start: $t0, planned_end: $t0 + 86400000})
CREATE (:WorkOrder {id: $p + 'WO-P', status: 'planned', quantity: 20.0, unit: 'kg',
        planned_start: $t0, planned_end: $t0 + 86400000})
CREATE (:Machine {id: $p + 'M', name: 'mixer', kind: 'mixer', manufacturer: 'ACME',
        serial_number: $p, state: 'not_executing'})
CREATE (:MaterialLot {id: $p + 'LOT-A', status: 'available', quantity: 10.0,
        initial_quantity: 10.0, unit: 'kg', received_at: $t0})
CREATE (:MaterialLot {id: $p + 'LOT-B', status: 'available', quantity: 4.0,
        initial_quantity: 4.0, unit: 'kg', received_at: $t0})
CREATE (:MaterialLot {id: $p + 'LOT-H', status: 'on_hold', quantity: 5.0,
        initial_quantity: 5.0, unit: 'kg', received_at: $t0})
CREATE (:Batch {id: $p + 'SRC', status: 'released', quantity: 20.0, unit: 'kg',
        started_at: $t0, completed_at: $t0 + 3600000})
CREATE (:Customer {id: $p + 'C', name: 'Customer', country: 'DE'})
CREATE (:Product {id: $p + 'P', name: 'Product', kind: 'finished', unit: 'pcs'})
CREATE (:RiskAlert {id: $p + 'AL', severity: 'high', message: 'mixer may fail',
        created_at: $t0, acknowledged: false})
"""


async def make_corner(graph: ApiGraph) -> Corner:
    p = f"t-{uuid.uuid4().hex[:10]}-"
    await graph.store.write(_CORNER, {"p": p, "t0": T0_MS})
    return Corner(
        tag=p,
        released_wo=p + "WO-R",
        planned_wo=p + "WO-P",
        machine=p + "M",
        lot=p + "LOT-A",
        small_lot=p + "LOT-B",
        held_lot=p + "LOT-H",
        source_batch=p + "SRC",
        customer=p + "C",
        product=p + "P",
        alert=p + "AL",
        sales_order=p + "SO",
    )


def production(c: Corner, consumed: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {
        "idempotencyKey": f"{c.tag}key-{uuid.uuid4().hex[:8]}",
        "workOrderId": c.released_wo,
        "machineId": c.machine,
        "quantity": 12.5,
        "startedAt": T0,
        "completedAt": T1,
        "consumed": consumed,
        **extra,
    }


async def lot_state(graph: ApiGraph, lot_id: str) -> tuple[float, str]:
    rows = await graph.store.read(
        "MATCH (l:MaterialLot {id: $id}) RETURN l.quantity AS q, l.status AS s", {"id": lot_id}
    )
    return rows[0]["q"], rows[0]["s"]


def result(body: dict[str, Any], field: str) -> dict[str, Any]:
    assert "errors" not in body, body
    return dict(body["data"][field])


# --- recordProduction ---------------------------------------------------------------------
async def test_record_production_writes_genealogy_and_takes_from_lots(
    api_graph: ApiGraph, api_server: ApiServer
) -> None:
    c = await make_corner(api_graph)
    consumed = [
        {"lotId": c.lot, "quantity": 6.0},
        {"lotId": c.small_lot, "quantity": 4.0},  # all of it
        {"batchId": c.source_batch, "quantity": 1.5},
    ]
    body = await api_server.gql(
        RECORD_PRODUCTION,
        {"input": production(c, consumed, batchId=c.tag + "B1")},
        role=Role.OPERATOR,
    )
    batch = result(body, "recordProduction")
    assert batch["__typename"] == "Batch"
    assert batch["id"] == c.tag + "B1"
    assert (batch["status"], batch["quantity"], batch["unit"]) == ("COMPLETED", 12.5, "kg")
    assert batch["workOrder"] == {"id": c.released_wo, "status": "IN_PROGRESS"}
    by_source = {(x["lot"] or x["batch"])["id"]: x for x in batch["consumed"]}
    assert by_source[c.lot]["quantity"] == 6.0
    assert by_source[c.small_lot]["lot"]["status"] == "CONSUMED"

    assert await lot_state(api_graph, c.lot) == (4.0, "available")
    assert await lot_state(api_graph, c.small_lot) == (0.0, "consumed")
    edges = await api_graph.store.read(
        "MATCH (b:Batch {id: $id})-[r]->(x) "
        "RETURN type(r) AS type, x.id AS target, r.qty AS qty, r.unit AS unit",
        {"id": c.tag + "B1"},
    )
    assert sorted((e["type"], e["target"], e["qty"], e["unit"]) for e in edges) == sorted(
        [
            ("CONSUMED", c.lot, 6.0, "kg"),
            ("CONSUMED", c.small_lot, 4.0, "kg"),
            ("CONSUMED", c.source_batch, 1.5, "kg"),
            ("PRODUCED_BY", c.released_wo, None, None),
            ("PRODUCED_ON", c.machine, None, None),
        ]
    )
    source = await api_graph.store.read(
        "MATCH (b:Batch {id: $id}) RETURN b.quantity AS q", {"id": c.source_batch}
    )
    assert source[0]["q"] == 20.0  # a batch's quantity is what it produced, never decremented
    wo = await api_graph.store.read(
        "MATCH (w:WorkOrder {id: $id}) RETURN w.status AS s, w.actual_start AS a",
        {"id": c.released_wo},
    )
    assert wo[0] == {"s": "in_progress", "a": T0_MS}


@pytest.mark.parametrize(
    ("consumed", "needle"),
    [
        ([{"lotKey": "lot", "quantity": 10.5}], "over-consumption"),
        ([{"lotKey": "lot", "quantity": 3.0}, {"lotKey": "small_lot", "quantity": 4.5}], "over"),
        ([{"lotKey": "held_lot", "quantity": 1.0}], "on_hold"),
    ],
)
async def test_record_production_refuses_what_the_lots_cannot_give(
    api_graph: ApiGraph, api_server: ApiServer, consumed: list[dict[str, Any]], needle: str
) -> None:
    c = await make_corner(api_graph)
    wanted = [{"lotId": getattr(c, x["lotKey"]), "quantity": x["quantity"]} for x in consumed]
    before = await graph_checksum(api_graph.store)
    body = await api_server.gql(
        RECORD_PRODUCTION, {"input": production(c, wanted)}, role=Role.OPERATOR
    )
    answer = result(body, "recordProduction")
    assert answer["__typename"] == "ConflictError"
    assert needle in answer["message"]
    assert await graph_checksum(api_graph.store) == before


async def test_record_production_against_a_planned_work_order_is_a_conflict(
    api_graph: ApiGraph, api_server: ApiServer
) -> None:
    c = await make_corner(api_graph)
    before = await graph_checksum(api_graph.store)
    body = await api_server.gql(
        RECORD_PRODUCTION,
        {"input": production(c, [], workOrderId=c.planned_wo)},
        role=Role.OPERATOR,
    )
    answer = result(body, "recordProduction")
    assert answer["__typename"] == "ConflictError"
    assert "planned" in answer["message"]
    assert await graph_checksum(api_graph.store) == before


async def test_unknown_ids_are_not_found_and_change_nothing(
    api_graph: ApiGraph, api_server: ApiServer
) -> None:
    c = await make_corner(api_graph)
    before = await graph_checksum(api_graph.store)
    ghost = c.tag + "ghost"
    body = await api_server.gql(
        RECORD_PRODUCTION,
        {
            "input": production(
                c,
                [
                    {"lotId": c.lot, "quantity": 1.0},
                    {"lotId": ghost + "-lot", "quantity": 1.0},
                    {"batchId": ghost + "-batch", "quantity": 1.0},
                ],
                machineId=ghost + "-machine",
            )
        },
        role=Role.OPERATOR,
    )
    answer = result(body, "recordProduction")
    assert answer["__typename"] == "NotFoundError"
    assert sorted(answer["ids"]) == sorted([ghost + "-machine", ghost + "-lot", ghost + "-batch"])
    for mutation, variables, role, field in [
        (RELEASE_WORK_ORDER, {"id": ghost}, Role.PLANNER, "releaseWorkOrder"),
        (ACKNOWLEDGE_ALERT, {"id": ghost}, Role.QUALITY, "acknowledgeAlert"),
        (
            CREATE_SALES_ORDER,
            {
                "input": {
                    "id": c.sales_order,
                    "customerId": ghost,
                    "productId": c.product,
                    "quantity": 5,
                    "orderedAt": T0,
                    "dueAt": T1,
                }
            },
            Role.PLANNER,
            "createSalesOrder",
        ),
        (
            RECORD_QUALITY_EVENT,
            {
                "input": {
                    "kind": "DEVIATION",
                    "severity": "LOW",
                    "occurredAt": T0,
                    "machineIds": [c.machine],
                    "lotIds": [ghost],
                }
            },
            Role.QUALITY,
            "recordQualityEvent",
        ),
    ]:
        answer = result(await api_server.gql(mutation, variables, role=role), field)
        assert answer["__typename"] == "NotFoundError", field
        assert answer["ids"] == [ghost], field
    assert await graph_checksum(api_graph.store) == before


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"quantity": -1.0}, "quantity"),
        ({"quantity": 0}, "quantity"),
        ({"consumed": [{"lotId": "x", "quantity": -2.0}]}, "consumed[0].quantity"),
        ({"consumed": [{"quantity": 2.0}]}, "consumed[0]"),
        ({"consumed": [{"lotId": "x", "quantity": 1}, {"lotId": "x", "quantity": 1}]}, "consumed"),
        ({"workOrderId": ""}, "workOrderId"),
        ({"machineId": "   "}, "machineId"),
        ({"idempotencyKey": ""}, "idempotencyKey"),
        ({"startedAt": "2026-03-02T06:00:00"}, "startedAt"),
        ({"completedAt": "2026-03-02T05:00:00+00:00"}, "completedAt"),
    ],
)
async def test_invalid_production_input_is_a_validation_error(
    api_graph: ApiGraph, api_server: ApiServer, change: dict[str, Any], field: str
) -> None:
    c = await make_corner(api_graph)
    before = await graph_checksum(api_graph.store)
    body = await api_server.gql(
        RECORD_PRODUCTION,
        {"input": production(c, [{"lotId": c.lot, "quantity": 1.0}]) | change},
        role=Role.OPERATOR,
    )
    answer = result(body, "recordProduction")
    assert answer["__typename"] == "ValidationError", answer
    assert answer["field"] == field
    assert answer["message"]
    assert await graph_checksum(api_graph.store) == before


async def test_a_retry_with_the_same_key_returns_the_same_batch_and_counts_once(
    api_graph: ApiGraph, api_server: ApiServer
) -> None:
    c = await make_corner(api_graph)
    request = {"input": production(c, [{"lotId": c.lot, "quantity": 3.0}])}  # no batchId
    first = result(
        await api_server.gql(RECORD_PRODUCTION, request, role=Role.OPERATOR), "recordProduction"
    )
    assert first["__typename"] == "Batch"
    after_first = await graph_checksum(api_graph.store)
    second = result(
        await api_server.gql(RECORD_PRODUCTION, request, role=Role.OPERATOR), "recordProduction"
    )
    assert second["id"] == first["id"]
    assert await graph_checksum(api_graph.store) == after_first
    assert await lot_state(api_graph, c.lot) == (7.0, "available")
    count = await api_graph.store.read(
        "MATCH (b:Batch)-[:PRODUCED_BY]->(:WorkOrder {id: $id}) RETURN count(b) AS n",
        {"id": c.released_wo},
    )
    assert count[0]["n"] == 1

    changed = {"input": {**request["input"], "quantity": 99.0}}
    answer = result(
        await api_server.gql(RECORD_PRODUCTION, changed, role=Role.OPERATOR), "recordProduction"
    )
    assert answer["__typename"] == "ConflictError"
    assert "idempotency key" in answer["message"]
    assert await graph_checksum(api_graph.store) == after_first


async def test_concurrent_requests_cannot_over_consume_one_lot(
    api_graph: ApiGraph, api_server: ApiServer
) -> None:
    c = await make_corner(api_graph)
    requests = [
        {"input": production(c, [{"lotId": c.lot, "quantity": 6.0}], batchId=f"{c.tag}B{i}")}
        for i in range(2)
    ]
    bodies = await asyncio.gather(
        *(api_server.gql(RECORD_PRODUCTION, r, role=Role.OPERATOR) for r in requests)
    )
    kinds = sorted(result(b, "recordProduction")["__typename"] for b in bodies)
    assert kinds == ["Batch", "ConflictError"]
    assert await lot_state(api_graph, c.lot) == (4.0, "available")
    edges = await api_graph.store.read(
        "MATCH (:Batch)-[r:CONSUMED]->(:MaterialLot {id: $id}) RETURN count(r) AS n",
        {"id": c.lot},
    )
    assert edges[0]["n"] == 1


# --- the other mutations ------------------------------------------------------------------
async def test_create_sales_order(api_graph: ApiGraph, api_server: ApiServer) -> None:
    c = await make_corner(api_graph)
    order = {
        "id": c.sales_order,
        "customerId": c.customer,
        "productId": c.product,
        "quantity": 250,
        "orderedAt": T0,
        "dueAt": "2026-04-01T00:00:00+02:00",
        "priority": 2,
    }
    made = result(
        await api_server.gql(CREATE_SALES_ORDER, {"input": order}, role=Role.PLANNER),
        "createSalesOrder",
    )
    assert made == {
        "__typename": "SalesOrder",
        "id": c.sales_order,
        "status": "OPEN",
        "priority": 2,
        "orderedAt": T0,
        "dueAt": "2026-03-31T22:00:00+00:00",
    }
    rows = await api_graph.store.read(
        "MATCH (o:SalesOrder {id: $id})-[r]->(x) RETURN type(r) AS t, x.id AS x, r AS props",
        {"id": c.sales_order},
    )
    assert sorted(
        (r["t"], r["x"], r["props"].get("qty"), r["props"].get("unit")) for r in rows
    ) == [
        ("FOR_PRODUCT", c.product, 250.0, "pcs"),
        ("PLACED_BY", c.customer, None, None),
    ]
    before = await graph_checksum(api_graph.store)
    again = result(
        await api_server.gql(CREATE_SALES_ORDER, {"input": order}, role=Role.PLANNER),
        "createSalesOrder",
    )
    assert again["__typename"] == "ConflictError"
    early = {**order, "id": c.sales_order + "-2", "dueAt": "2026-03-01T00:00:00+00:00"}
    invalid = result(
        await api_server.gql(CREATE_SALES_ORDER, {"input": early}, role=Role.PLANNER),
        "createSalesOrder",
    )
    assert (invalid["__typename"], invalid["field"]) == ("ValidationError", "dueAt")
    assert await graph_checksum(api_graph.store) == before


async def test_release_work_order(api_graph: ApiGraph, api_server: ApiServer) -> None:
    c = await make_corner(api_graph)
    released = result(
        await api_server.gql(RELEASE_WORK_ORDER, {"id": c.planned_wo}, role=Role.PLANNER),
        "releaseWorkOrder",
    )
    assert released == {"__typename": "WorkOrder", "id": c.planned_wo, "status": "RELEASED"}
    rows = await api_graph.store.read(
        "MATCH (w:WorkOrder {id: $id}) RETURN w.status AS s", {"id": c.planned_wo}
    )
    assert rows[0]["s"] == "released"
    before = await graph_checksum(api_graph.store)
    for work_order, kind in [(c.planned_wo, "ConflictError"), (" ", "ValidationError")]:
        answer = result(
            await api_server.gql(RELEASE_WORK_ORDER, {"id": work_order}, role=Role.PLANNER),
            "releaseWorkOrder",
        )
        assert answer["__typename"] == kind
    assert await graph_checksum(api_graph.store) == before


async def test_record_quality_event(api_graph: ApiGraph, api_server: ApiServer) -> None:
    c = await make_corner(api_graph)
    event = {
        "id": c.tag + "QE",
        "kind": "INSPECTION_FAILED",
        "severity": "HIGH",
        "occurredAt": T1,
        "description": 'moisture 0.4 % over spec; it\'s "wet"',
        "machineIds": [c.machine],
        "batchIds": [c.source_batch],
        "lotIds": [c.lot],
    }
    made = result(
        await api_server.gql(RECORD_QUALITY_EVENT, {"input": event}, role=Role.QUALITY),
        "recordQualityEvent",
    )
    assert made["__typename"] == "QualityEvent"
    assert (made["id"], made["kind"], made["severity"]) == (
        c.tag + "QE",
        "INSPECTION_FAILED",
        "HIGH",
    )
    assert made["description"] == event["description"]
    assert sorted(made["subjectIds"]) == sorted([c.machine, c.source_batch, c.lot])
    rows = await api_graph.store.read(
        "MATCH (q:QualityEvent {id: $id})-[:CONCERNS]->(x) RETURN x.id AS id", {"id": made["id"]}
    )
    assert sorted(r["id"] for r in rows) == sorted([c.machine, c.source_batch, c.lot])
    before = await graph_checksum(api_graph.store)
    bare = {"kind": "DEVIATION", "severity": "LOW", "occurredAt": T0}
    invalid = result(
        await api_server.gql(RECORD_QUALITY_EVENT, {"input": bare}, role=Role.QUALITY),
        "recordQualityEvent",
    )
    assert (invalid["__typename"], invalid["field"]) == ("ValidationError", "input")
    again = result(
        await api_server.gql(RECORD_QUALITY_EVENT, {"input": event}, role=Role.QUALITY),
        "recordQualityEvent",
    )
    assert again["__typename"] == "ConflictError"
    assert await graph_checksum(api_graph.store) == before


async def test_acknowledge_alert_twice_changes_it_once(
    api_graph: ApiGraph, api_server: ApiServer
) -> None:
    c = await make_corner(api_graph)
    for _ in range(2):
        answer = result(
            await api_server.gql(ACKNOWLEDGE_ALERT, {"id": c.alert}, role=Role.PLANNER),
            "acknowledgeAlert",
        )
        assert answer == {"__typename": "RiskAlert", "id": c.alert, "acknowledged": True}
        rows = await api_graph.store.read(
            "MATCH (a:RiskAlert {id: $id}) RETURN a.acknowledged AS ack", {"id": c.alert}
        )
        assert rows[0]["ack"] is True


# --- roles and malformed documents --------------------------------------------------------
ALLOWED = {
    "createSalesOrder": {Role.PLANNER, Role.ADMIN},
    "releaseWorkOrder": {Role.PLANNER, Role.ADMIN},
    "recordProduction": {Role.OPERATOR, Role.ADMIN},
    "recordQualityEvent": {Role.QUALITY, Role.ADMIN},
    "acknowledgeAlert": {Role.PLANNER, Role.QUALITY, Role.ADMIN},
}

SUCCESS = {
    "createSalesOrder": "SalesOrder",
    "releaseWorkOrder": "WorkOrder",
    "recordProduction": "Batch",
    "recordQualityEvent": "QualityEvent",
    "acknowledgeAlert": "RiskAlert",
}


def valid_request(field: str, c: Corner) -> tuple[str, dict[str, Any]]:
    if field == "createSalesOrder":
        order = {
            "id": c.sales_order,
            "customerId": c.customer,
            "productId": c.product,
            "quantity": 5,
            "dueAt": "2030-01-01T00:00:00+00:00",
        }
        return CREATE_SALES_ORDER, {"input": order}
    if field == "releaseWorkOrder":
        return RELEASE_WORK_ORDER, {"id": c.planned_wo}
    if field == "recordProduction":
        return RECORD_PRODUCTION, {"input": production(c, [{"lotId": c.lot, "quantity": 1.0}])}
    if field == "recordQualityEvent":
        event = {"kind": "DEVIATION", "severity": "LOW", "occurredAt": T0, "lotIds": [c.lot]}
        return RECORD_QUALITY_EVENT, {"input": event}
    return ACKNOWLEDGE_ALERT, {"id": c.alert}


@pytest.mark.parametrize("field", sorted(ALLOWED))
@pytest.mark.parametrize("role", [None, *Role], ids=lambda r: getattr(r, "value", "anonymous"))
async def test_role_matrix(
    api_graph: ApiGraph, api_server: ApiServer, field: str, role: Role | None
) -> None:
    c = await make_corner(api_graph)
    mutation, variables = valid_request(field, c)
    before = await graph_checksum(api_graph.store)
    body = await api_server.gql(mutation, variables, role=role)
    if role in ALLOWED[field]:
        assert result(body, field)["__typename"] == SUCCESS[field]
        assert await graph_checksum(api_graph.store) != before
    else:
        assert body.get("data") is None, body
        assert body["errors"], body
        assert await graph_checksum(api_graph.store) == before


@pytest.mark.parametrize(
    ("document", "variables"),
    [
        (RECORD_PRODUCTION, "wrong-variable-type"),
        (
            "mutation { releaseWorkOrder(id: 42.5) { __typename } }",
            None,
        ),
        ("mutation { recordProduction(input: {quantity: 1}) { __typename } }", None),
        ("mutation { acknowledgeAlert { __typename } }", None),
    ],
)
async def test_malformed_mutations_are_graphql_errors_and_write_nothing(
    api_graph: ApiGraph, api_server: ApiServer, document: str, variables: str | None
) -> None:
    c = await make_corner(api_graph)
    sent: dict[str, Any] | None = None
    if variables == "wrong-variable-type":
        sent = {"input": production(c, [{"lotId": c.lot, "quantity": "lots"}])}
    before = await graph_checksum(api_graph.store)
    body = await api_server.gql(document, sent, role=Role.ADMIN)
    assert body.get("data") is None, body
    assert body["errors"]
    assert await graph_checksum(api_graph.store) == before


# --- events -------------------------------------------------------------------------------
async def test_mutations_publish_plain_json_events_once(api_graph: ApiGraph) -> None:
    """The resolver path in process, on the real graph and bus: what subscribers get."""
    c = await make_corner(api_graph)
    bus = InProcessBus()
    info = SimpleNamespace(
        context=RequestContext(
            store=api_graph.store,
            bus=bus,
            principal=None,
            loaders=Loaders(api_graph.store),
            api=None,
        )
    )
    api = MutationApi()
    progress = bus.subscribe(topics.WORK_ORDER_PROGRESS)
    quality = bus.subscribe(topics.QUALITY_EVENTS)
    alerts = bus.subscribe(topics.RISK_ALERTS)
    waiting = [asyncio.ensure_future(anext(s)) for s in (progress, quality, alerts)]
    await asyncio.sleep(0)

    record = RecordProductionInput(
        idempotency_key=c.tag + "events",
        work_order_id=strawberry.ID(c.released_wo),
        machine_id=strawberry.ID(c.machine),
        quantity=12.5,
        started_at=datetime.fromisoformat(T0),
        completed_at=datetime.fromisoformat(T1),
        consumed=[ConsumptionInput(lot_id=strawberry.ID(c.lot), quantity=2.0)],
        batch_id=strawberry.ID(c.tag + "EVB"),
    )
    await api.record_production(info, record)
    await api.record_quality_event(
        info,
        RecordQualityEventInput(
            id=strawberry.ID(c.tag + "EVQ"),
            kind=QualityEventKind.DEVIATION,
            severity=Severity.MEDIUM,
            occurred_at=datetime.fromisoformat(T1),
            lot_ids=[strawberry.ID(c.lot)],
        ),
    )
    await api.acknowledge_alert(info, c.alert)
    events = [await asyncio.wait_for(w, 5) for w in waiting]
    for event in events:
        assert json.loads(json.dumps(event)) == event
    assert events[0] == {
        "workOrderId": c.released_wo,
        "status": "in_progress",
        "producedQuantity": 12.5,
        "quantity": 50.0,
        "unit": "kg",
        "at": T0_MS + 5_400_000,
        "batchId": c.tag + "EVB",
    }
    assert events[1] == {
        "id": c.tag + "EVQ",
        "kind": "deviation",
        "severity": "medium",
        "occurredAt": T0_MS + 5_400_000,
        "description": "",
        "subjectIds": [c.lot],
    }
    acknowledged_at = events[2].pop("at")
    assert isinstance(acknowledged_at, int) and acknowledged_at > T0_MS
    assert events[2] == {
        "id": c.alert,
        "severity": "high",
        "message": "mixer may fail",
        "createdAt": T0_MS,
        "acknowledged": True,
        "aboutIds": [],
        "affectedSalesOrderIds": [],
        "kind": None,
        "probability": None,
        "horizonH": None,
        "closedAt": None,
    }

    # a replay and a second acknowledgement change nothing, so they publish nothing
    again = [asyncio.ensure_future(anext(s)) for s in (progress, alerts)]
    await api.record_production(info, record)
    await api.acknowledge_alert(info, c.alert)
    await asyncio.sleep(0.05)
    assert not any(w.done() for w in again)
    for w in again:
        w.cancel()
    await asyncio.gather(*again, return_exceptions=True)
    for stream in (progress, quality, alerts):
        await stream.aclose()


async def test_many_concurrent_statements_take_exactly_what_the_lot_holds(
    api_graph: ApiGraph,
) -> None:
    """Six statements at once, 3 kg each from a 10 kg lot: three succeed, 1 kg stays."""
    c = await make_corner(api_graph)
    commands = [
        RecordProduction.model_validate(
            {
                "idempotency_key": f"{c.tag}many-{i}",
                "work_order_id": c.released_wo,
                "machine_id": c.machine,
                "quantity": 1.0,
                "started_at": datetime.fromisoformat(T0),
                "completed_at": datetime.fromisoformat(T1),
                "consumed": [{"lot_id": c.lot, "quantity": 3.0}],
            }
        )
        for i in range(6)
    ]
    outcomes = await asyncio.gather(
        *(
            graph_commands.record_production(api_graph.store, cmd, f"{c.tag}MB{i}", T0_MS)
            for i, cmd in enumerate(commands)
        )
    )
    assert sum(o.ok for o in outcomes) == 3
    assert all("over-consumption" in (o.conflict or "") for o in outcomes if not o.ok)
    quantity, status = await lot_state(api_graph, c.lot)
    assert (quantity, status) == (pytest.approx(1.0), "available")
