"""The ERP view, OEE, risk alerts and predictions over a real service.

Expected answers come from the graph itself (read directly, computed here in Python) or,
for the small fixtures this module writes (ids `ERPT-...`, removed at the end), by hand.
"""

from __future__ import annotations

import math
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from app.api import create_app
from domain import nodes as n
from domain import relationships as r
from domain.auth import Role
from domain.values import epoch_ms
from graph.upserts import upsert_nodes, upsert_relationships
from tests.integration.api.conftest import ApiGraph, ApiServer

pytestmark = pytest.mark.asyncio(loop_scope="session")

T0 = datetime(2026, 1, 5, 6, 0, tzinfo=UTC)
"""Start of the hand-built OEE shift."""
H = timedelta(hours=1)
PAST = datetime(2020, 1, 1, tzinfo=UTC)
FUTURE = datetime(2099, 1, 1, tzinfo=UTC)
CHAIN = 7
"""Levels of the deep test BOM chain ERPT-P-D0 -> ... -> ERPT-P-D6 -> ERPT-M-A."""


def _iso(value: datetime) -> str:
    return value.isoformat()


async def _write_fixture(graph: ApiGraph) -> None:
    store = graph.store
    await upsert_nodes(
        store,
        n.Product,
        [
            {"id": "ERPT-P-TOP", "name": "Test top", "kind": "finished", "unit": "pcs"},
            {"id": "ERPT-P-MID", "name": "Test mid", "kind": "intermediate", "unit": "kg"},
            {"id": "ERPT-P-SUB", "name": "Test sub", "kind": "intermediate", "unit": "kg"},
            {"id": "ERPT-P-CYC1", "name": "Cycle one", "kind": "intermediate", "unit": "kg"},
            {"id": "ERPT-P-CYC2", "name": "Cycle two", "kind": "intermediate", "unit": "kg"},
            *(
                {"id": f"ERPT-P-D{i}", "name": f"Chain {i}", "kind": "intermediate", "unit": "kg"}
                for i in range(CHAIN)
            ),
        ],
    )
    await upsert_nodes(
        store,
        n.Material,
        [
            {"id": "ERPT-M-A", "name": "Test resin", "unit": "kg"},
            {"id": "ERPT-M-B", "name": "Test pigment", "unit": "kg"},
            {"id": "ERPT-M-C", "name": "Test can", "unit": "pcs"},
        ],
    )

    def comp(source: str, target: str, label: str, qty: float, unit: str = "kg") -> dict[str, Any]:
        return {
            "source_id": source,
            "target_id": target,
            "target_label": label,
            "qty": qty,
            "unit": unit,
        }

    await upsert_relationships(
        store,
        r.HasComponent,
        [
            comp("ERPT-P-TOP", "ERPT-P-MID", "Product", 2),
            comp("ERPT-P-MID", "ERPT-M-A", "Material", 3),
            comp("ERPT-P-MID", "ERPT-P-SUB", "Product", 0.5),
            comp("ERPT-P-SUB", "ERPT-M-B", "Material", 4),
            comp("ERPT-P-TOP", "ERPT-M-A", "Material", 0.25),
            comp("ERPT-P-TOP", "ERPT-M-C", "Material", 1, "pcs"),
            comp("ERPT-P-CYC1", "ERPT-P-CYC2", "Product", 1),
            comp("ERPT-P-CYC2", "ERPT-P-CYC1", "Product", 1),
            comp("ERPT-P-CYC2", "ERPT-M-B", "Material", 2),
            *(comp(f"ERPT-P-D{i}", f"ERPT-P-D{i + 1}", "Product", 2) for i in range(CHAIN - 1)),
            comp(f"ERPT-P-D{CHAIN - 1}", "ERPT-M-A", "Material", 2),
        ],
    )
    # Purchasing and inventory of ERPT-M-A.
    await upsert_nodes(
        store, n.Supplier, [{"id": "ERPT-S-1", "name": "Erpt Test Supplies", "country": "LU"}]
    )
    await upsert_nodes(
        store,
        n.PurchaseOrder,
        [
            {"id": "ERPT-PO-1", "status": "open", "ordered_at": PAST, "due_at": FUTURE},
            {"id": "ERPT-PO-2", "status": "received", "ordered_at": PAST, "due_at": PAST + H},
        ],
    )
    await upsert_relationships(
        store,
        r.OrderedFrom,
        [{"source_id": p, "target_id": "ERPT-S-1"} for p in ("ERPT-PO-1", "ERPT-PO-2")],
    )
    await upsert_relationships(
        store,
        r.ForMaterial,
        [
            {"source_id": "ERPT-PO-1", "target_id": "ERPT-M-A", "qty": 500, "unit": "kg"},
            {"source_id": "ERPT-PO-2", "target_id": "ERPT-M-A", "qty": 250, "unit": "kg"},
        ],
    )
    lots = [
        ("ERPT-L-1", "available", 100.5),
        ("ERPT-L-2", "available", 20.25),
        ("ERPT-L-3", "consumed", 0.0),
        ("ERPT-L-4", "quarantine", 7.0),
        ("ERPT-L-5", "on_hold", 3.0),
    ]
    await upsert_nodes(
        store,
        n.MaterialLot,
        [
            {
                "id": lot,
                "status": status,
                "quantity": qty,
                "initial_quantity": 150.0,
                "unit": "kg",
                "received_at": PAST,
            }
            for lot, status, qty in lots
        ],
    )
    await upsert_relationships(
        store, r.OfMaterial, [{"source_id": lot, "target_id": "ERPT-M-A"} for lot, _, _ in lots]
    )
    await upsert_relationships(
        store, r.SuppliedBy, [{"source_id": lot, "target_id": "ERPT-S-1"} for lot, _, _ in lots]
    )
    await upsert_relationships(
        store,
        r.ReceivedAgainst,
        [{"source_id": lot, "target_id": "ERPT-PO-2"} for lot in ("ERPT-L-1", "ERPT-L-2")],
    )
    # Orders, work orders and alerts.
    await upsert_nodes(
        store, n.Customer, [{"id": "ERPT-C-1", "name": "Erpt Testkunde", "country": "LU"}]
    )
    await upsert_nodes(
        store,
        n.SalesOrder,
        [
            {"id": "ERPT-SO-1", "status": "open", "ordered_at": PAST, "due_at": PAST + H},
            {"id": "ERPT-SO-2", "status": "shipped", "ordered_at": PAST, "due_at": PAST + H},
            {"id": "ERPT-SO-3", "status": "open", "ordered_at": PAST, "due_at": FUTURE},
        ],
    )
    await upsert_relationships(
        store,
        r.PlacedBy,
        [{"source_id": f"ERPT-SO-{i}", "target_id": "ERPT-C-1"} for i in (1, 2, 3)],
    )
    await upsert_relationships(
        store,
        r.ForProduct,
        [
            {"source_id": "ERPT-SO-1", "target_id": "ERPT-P-TOP", "qty": 10, "unit": "pcs"},
            {"source_id": "ERPT-SO-1", "target_id": "ERPT-P-CYC1", "qty": 2.5, "unit": "kg"},
            {"source_id": "ERPT-SO-2", "target_id": "ERPT-P-TOP", "qty": 1, "unit": "pcs"},
        ],
    )
    await upsert_nodes(
        store,
        n.Machine,
        [
            {
                "id": mid,
                "name": f"Test machine {mid}",
                "kind": "Filler",
                "manufacturer": "Test",
                "serial_number": mid,
                **extra,
            }
            for mid, extra in (
                ("ERPT-MC-OEE", {"state": "not_available", "state_at": T0 + 7 * H}),
                ("ERPT-MC-LIVE", {"state": "not_executing", "state_at": T0 + H}),
                ("ERPT-MC-BARE", {"state": "executing", "state_at": T0 + H}),
                ("ERPT-MC-NONE", {}),
            )
        ],
    )
    work_orders = [("ERPT-WO-1", 60.0), ("ERPT-WO-2", 30.0)]
    await upsert_nodes(
        store,
        n.WorkOrder,
        [
            {
                "id": wo,
                "status": "in_progress",
                "quantity": 500,
                "unit": "pcs",
                "planned_start": T0,
                "planned_end": T0 + 8 * H,
            }
            for wo, _ in work_orders
        ],
    )
    await upsert_nodes(
        store,
        n.Operation,
        [
            {
                "id": f"{wo}-OP",
                "sequence": 1,
                "name": "fill",
                "status": "running",
                "ideal_cycle_time_s": cycle,
            }
            for wo, cycle in work_orders
        ],
    )
    await upsert_relationships(
        store, r.HasOperation, [{"source_id": wo, "target_id": f"{wo}-OP"} for wo, _ in work_orders]
    )
    await upsert_relationships(
        store,
        r.RunsOn,
        [{"source_id": f"{wo}-OP", "target_id": "ERPT-MC-OEE"} for wo, _ in work_orders],
    )
    await upsert_relationships(
        store, r.Fulfills, [{"source_id": "ERPT-WO-1", "target_id": "ERPT-SO-1"}]
    )
    await upsert_nodes(
        store,
        n.RiskAlert,
        [
            {
                "id": "ERPT-RA-1",
                "severity": "high",
                "message": "erpt line stop",
                "created_at": T0,
            },
            {
                "id": "ERPT-RA-2",
                "severity": "critical",
                "message": "erpt old, acknowledged",
                "created_at": T0 - H,
                "acknowledged": True,
            },
            {
                "id": "ERPT-RA-3",
                "severity": "medium",
                "message": "erpt material short",
                "created_at": T0 + H,
            },
            {"id": "ERPT-RA-4", "severity": "low", "message": "erpt minor", "created_at": T0},
        ],
    )
    await upsert_relationships(
        store,
        r.Affects,
        [
            {"source_id": "ERPT-RA-1", "target_id": "ERPT-SO-1"},
            {"source_id": "ERPT-RA-2", "target_id": "ERPT-SO-1"},
            {"source_id": "ERPT-RA-3", "target_id": "ERPT-SO-1"},
            {"source_id": "ERPT-RA-3", "target_id": "ERPT-SO-3"},
            {"source_id": "ERPT-RA-4", "target_id": "ERPT-SO-3"},
        ],
    )
    await upsert_relationships(
        store,
        r.About,
        [
            {
                "source_id": "ERPT-RA-1",
                "target_id": "ERPT-MC-OEE",
                "source_label": "RiskAlert",
                "target_label": "Machine",
            }
        ],
    )
    await _write_oee_timeline(graph)


async def _write_oee_timeline(graph: ApiGraph) -> None:
    """State changes and batches of the test machines, written as plain parameterised Cypher."""
    changes = [
        ("ERPT-SC-1", "ERPT-MC-OEE", None, "executing", T0 - H),
        ("ERPT-SC-2", "ERPT-MC-OEE", "executing", "not_executing", T0 + 2 * H),
        ("ERPT-SC-3", "ERPT-MC-OEE", "not_executing", "executing", T0 + 2.5 * H),
        ("ERPT-SC-4", "ERPT-MC-OEE", "executing", "out_of_service", T0 + 4 * H),
        ("ERPT-SC-5", "ERPT-MC-OEE", "out_of_service", "executing", T0 + 5 * H),
        ("ERPT-SC-6", "ERPT-MC-OEE", "executing", "not_available", T0 + 7 * H),
        # Recorded history of the live machine ends at T0; its own state_at (T0 + 1 h) is newer.
        ("ERPT-SC-7", "ERPT-MC-LIVE", None, "executing", T0),
    ]
    await graph.store.write(
        "UNWIND $rows AS row MATCH (m:Machine {id: row.machine}) "
        "CREATE (c:StateChange {id: row.id, to_state: row.to_state, at: row.at}) "
        "SET c.from_state = row.from_state "
        "CREATE (c)-[:OF]->(m)",
        {
            "rows": [
                {"id": i, "machine": m, "from_state": f, "to_state": t, "at": epoch_ms(at)}
                for i, m, f, t, at in changes
            ]
        },
    )
    batches = [
        # id, work order, status, quantity, completed (None: still running)
        ("ERPT-B-1", "ERPT-WO-1", "released", 100.0, T0 + H),
        ("ERPT-B-2", "ERPT-WO-1", "rejected", 50.0, T0 + 3 * H),
        ("ERPT-B-3", "ERPT-WO-2", "released", 120.0, T0 + 6 * H),
        ("ERPT-B-4", "ERPT-WO-1", "released", 999.0, T0 + 9 * H),
        ("ERPT-B-5", "ERPT-WO-1", "released", 10.0, T0 - 2 * H),
        ("ERPT-B-6", "ERPT-WO-2", "in_progress", 40.0, None),
    ]
    await graph.store.write(
        "UNWIND $rows AS row "
        "MATCH (m:Machine {id: 'ERPT-MC-OEE'}) MATCH (w:WorkOrder {id: row.wo}) "
        "CREATE (b:Batch {id: row.id, status: row.status, quantity: row.quantity, "
        "unit: 'pcs', started_at: row.started}) "
        "SET b.completed_at = row.completed "
        "CREATE (b)-[:PRODUCED_ON]->(m) CREATE (b)-[:PRODUCED_BY]->(w)",
        {
            "rows": [
                {
                    "id": i,
                    "wo": wo,
                    "status": status,
                    "quantity": qty,
                    "started": epoch_ms(T0 - 3 * H),
                    "completed": None if done is None else epoch_ms(done),
                }
                for i, wo, status, qty, done in batches
            ]
        },
    )
    await upsert_nodes(
        graph.store,
        n.Prediction,
        [
            {
                "id": "ERPT-PR-1",
                "kind": "machine_down",
                "score": 0.8,
                "horizon_h": 4,
                "created_at": T0,
                "model_version": "test",
            }
        ],
    )
    await upsert_relationships(
        graph.store,
        r.About,
        [
            {
                "source_id": "ERPT-PR-1",
                "target_id": "ERPT-MC-OEE",
                "source_label": "Prediction",
                "target_label": "Machine",
            }
        ],
    )


@pytest.fixture(scope="module", autouse=True)
async def erp_fixture(api_graph: ApiGraph) -> AsyncIterator[None]:
    await _write_fixture(api_graph)
    yield
    await api_graph.store.write(
        "MATCH (x) WHERE x.id STARTS WITH $prefix DETACH DELETE x", {"prefix": "ERPT-"}
    )


async def _ids(graph: ApiGraph, cypher: str, **params: Any) -> list[str]:
    return [row["id"] for row in await graph.store.read(cypher, params)]


async def _data(server: ApiServer, query: str, variables: dict[str, Any] | None = None) -> Any:
    body = await server.gql(query, variables, role=Role.VIEWER)
    assert "errors" not in body, body["errors"]
    return body["data"]


def _node_ids(connection: dict[str, Any]) -> list[str]:
    return [edge["node"]["id"] for edge in connection["edges"]]


# --- access ----------------------------------------------------------------------------
ROOT_QUERIES = [
    '{ customer(id: "ERPT-C-1") { id } }',
    '{ salesOrder(id: "ERPT-SO-1") { id } }',
    '{ product(id: "ERPT-P-TOP") { id } }',
    '{ material(id: "ERPT-M-A") { id } }',
    '{ supplier(id: "ERPT-S-1") { id } }',
    '{ purchaseOrder(id: "ERPT-PO-1") { id } }',
    '{ riskAlert(id: "ERPT-RA-1") { id } }',
    "{ customers { totalCount } }",
    "{ salesOrders { totalCount } }",
    "{ products { totalCount } }",
    "{ materials { totalCount } }",
    "{ suppliers { totalCount } }",
    "{ purchaseOrders { totalCount } }",
    "{ riskAlerts { totalCount } }",
    "{ predictions { totalCount } }",
    '{ oee(machineId: "ERPT-MC-OEE", from: "2026-01-05T06:00:00Z", '
    'to: "2026-01-05T14:00:00Z") { oee } }',
]


@pytest.mark.parametrize("query", ROOT_QUERIES)
async def test_anonymous_access_is_refused(api_server: ApiServer, query: str) -> None:
    body = await api_server.gql(query, role=None)
    # A refused non-null field nulls the whole answer; a nullable one is null itself.
    assert body["data"] is None or list(body["data"].values()) == [None]
    assert "authentication required" in body["errors"][0]["message"]
    # ... and a viewer gets an answer.
    answer = await _data(api_server, query)
    assert None not in answer.values()


# --- by id -----------------------------------------------------------------------------
async def test_by_id_fields(api_server: ApiServer) -> None:
    data = await _data(
        api_server,
        """{ customer(id: "ERPT-C-1") { id name country salesOrders { id } }
        open: customer(id: "ERPT-C-1") { salesOrders(statuses: [OPEN]) { id } }
        salesOrder(id: "ERPT-SO-2") { id status priority customer { id } }
        product(id: "ERPT-P-SUB") { id name kind unit usedIn { product { id } quantity } }
        material(id: "ERPT-M-C") { id name unit shelfLifeDays }
        supplier(id: "ERPT-S-1") { id name country }
        purchaseOrder(id: "ERPT-PO-1") { id status orderedAt dueAt supplier { id }
            material { id } quantity unit receivedLots { id } }
        received: purchaseOrder(id: "ERPT-PO-2") { receivedLots { id } }
        riskAlert(id: "ERPT-RA-1") { id severity message acknowledged createdAt
            salesOrders { id } about { id label } }
        missing: salesOrder(id: "ERPT-NOPE") { id }
        noProduct: product(id: "ERPT-NOPE") { id } }""",
    )
    assert data["customer"] == {
        "id": "ERPT-C-1",
        "name": "Erpt Testkunde",
        "country": "LU",
        "salesOrders": [{"id": f"ERPT-SO-{i}"} for i in (1, 2, 3)],
    }
    assert data["open"]["salesOrders"] == [{"id": "ERPT-SO-1"}, {"id": "ERPT-SO-3"}]
    assert data["salesOrder"] == {
        "id": "ERPT-SO-2",
        "status": "SHIPPED",
        "priority": 3,
        "customer": {"id": "ERPT-C-1"},
    }
    assert data["product"] == {
        "id": "ERPT-P-SUB",
        "name": "Test sub",
        "kind": "INTERMEDIATE",
        "unit": "kg",
        "usedIn": [{"product": {"id": "ERPT-P-MID"}, "quantity": 0.5}],
    }
    assert data["material"] == {
        "id": "ERPT-M-C",
        "name": "Test can",
        "unit": "pcs",
        "shelfLifeDays": None,
    }
    assert data["supplier"] == {"id": "ERPT-S-1", "name": "Erpt Test Supplies", "country": "LU"}
    assert data["purchaseOrder"] == {
        "id": "ERPT-PO-1",
        "status": "OPEN",
        "orderedAt": _iso(PAST),
        "dueAt": _iso(FUTURE),
        "supplier": {"id": "ERPT-S-1"},
        "material": {"id": "ERPT-M-A"},
        "quantity": 500.0,
        "unit": "kg",
        "receivedLots": [],
    }
    assert data["received"]["receivedLots"] == [{"id": "ERPT-L-1"}, {"id": "ERPT-L-2"}]
    assert data["riskAlert"] == {
        "id": "ERPT-RA-1",
        "severity": "HIGH",
        "message": "erpt line stop",
        "acknowledged": False,
        "createdAt": _iso(T0),
        "salesOrders": [{"id": "ERPT-SO-1"}],
        "about": [{"id": "ERPT-MC-OEE", "label": "Machine"}],
    }
    assert data["missing"] is None and data["noProduct"] is None


# --- sales orders ----------------------------------------------------------------------
async def test_sales_order_lines_work_orders_and_risk(api_server: ApiServer) -> None:
    data = await _data(
        api_server,
        """{ salesOrders(filter: {customerId: "ERPT-C-1"}) { totalCount nodes { id late
            lines { product { id } quantity unit } workOrders { id }
            riskAlerts { id }
            risk { level late alerts { id severity } } } } }""",
    )
    orders = {o["id"]: o for o in data["salesOrders"]["nodes"]}
    assert data["salesOrders"]["totalCount"] == 3
    first = orders["ERPT-SO-1"]
    assert first["lines"] == [
        {"product": {"id": "ERPT-P-CYC1"}, "quantity": 2.5, "unit": "kg"},
        {"product": {"id": "ERPT-P-TOP"}, "quantity": 10.0, "unit": "pcs"},
    ]
    assert first["workOrders"] == [{"id": "ERPT-WO-1"}]
    # Newest first, acknowledged ones included.
    assert [a["id"] for a in first["riskAlerts"]] == ["ERPT-RA-3", "ERPT-RA-1", "ERPT-RA-2"]
    # The acknowledged critical alert does not count; the highest open one is HIGH.
    assert first["risk"] == {
        "level": "HIGH",
        "late": True,
        "alerts": [
            {"id": "ERPT-RA-1", "severity": "HIGH"},
            {"id": "ERPT-RA-3", "severity": "MEDIUM"},
        ],
    }
    assert first["late"] is True
    # Shipped: past due but not late, no alerts.
    assert orders["ERPT-SO-2"]["late"] is False
    assert orders["ERPT-SO-2"]["risk"] == {"level": None, "late": False, "alerts": []}
    assert orders["ERPT-SO-2"]["workOrders"] == []
    assert orders["ERPT-SO-3"]["risk"]["level"] == "MEDIUM"
    assert orders["ERPT-SO-3"]["late"] is False


async def test_sales_order_filters(api_graph: ApiGraph, api_server: ApiServer) -> None:
    async def ids(filter_: dict[str, Any]) -> list[str]:
        data = await _data(
            api_server,
            "query($f: SalesOrderFilter) { salesOrders(first: 500, filter: $f) "
            "{ totalCount edges { node { id } } } }",
            {"f": filter_},
        )
        got = _node_ids(data["salesOrders"])
        assert data["salesOrders"]["totalCount"] == len(got)
        return got

    mine = {"customerId": "ERPT-C-1"}
    assert await ids({**mine, "late": True}) == ["ERPT-SO-1"]
    assert await ids({**mine, "late": False}) == ["ERPT-SO-2", "ERPT-SO-3"]
    assert await ids({**mine, "minRiskSeverity": "CRITICAL"}) == []  # only acknowledged
    assert await ids({**mine, "minRiskSeverity": "HIGH"}) == ["ERPT-SO-1"]
    assert await ids({**mine, "minRiskSeverity": "LOW"}) == ["ERPT-SO-1", "ERPT-SO-3"]
    assert await ids({**mine, "statuses": ["SHIPPED", "CLOSED"]}) == ["ERPT-SO-2"]
    assert await ids({**mine, "dueAt": {"from": "2030-01-01T00:00:00Z"}}) == ["ERPT-SO-3"]
    assert await ids({**mine, "orderedAt": {"to": "2019-01-01T00:00:00Z"}}) == []
    assert await ids({"productId": "ERPT-P-TOP"}) == ["ERPT-SO-1", "ERPT-SO-2"]
    assert await ids({"text": "erpt-so-", "ids": ["ERPT-SO-3", "SO-000001"]}) == ["ERPT-SO-3"]

    # Against the seeded plant: open orders of one customer due in a range, and lateness.
    customer = (
        await _ids(
            api_graph,
            "MATCH (s:SalesOrder)-[:PLACED_BY]->(c:Customer) WITH c, count(s) AS k "
            "RETURN c.id AS id ORDER BY k DESC, id LIMIT 1",
        )
    )[0]
    lo, hi = epoch_ms(datetime(2026, 3, 1, tzinfo=UTC)), epoch_ms(datetime(2026, 9, 1, tzinfo=UTC))
    expected = await _ids(
        api_graph,
        "MATCH (s:SalesOrder)-[:PLACED_BY]->(:Customer {id: $c}) "
        "WHERE s.due_at >= $lo AND s.due_at < $hi RETURN s.id AS id ORDER BY id",
        c=customer,
        lo=lo,
        hi=hi,
    )
    got = await ids(
        {
            "customerId": customer,
            "dueAt": {"from": "2026-03-01T00:00:00Z", "to": "2026-09-01T00:00:00Z"},
        }
    )
    assert got == expected and expected
    now = int(time.time() * 1000)
    late = await _ids(
        api_graph,
        "MATCH (s:SalesOrder) WHERE s.due_at < $now AND s.status IN ['open', 'in_production'] "
        "RETURN s.id AS id ORDER BY id",
        now=now,
    )
    assert await ids({"late": True}) == late and "ERPT-SO-1" in late


async def test_sales_orders_order_by_and_pagination(
    api_graph: ApiGraph, api_server: ApiServer
) -> None:
    expected = await _ids(
        api_graph,
        "MATCH (s:SalesOrder) RETURN s.id AS id, s.due_at AS d ORDER BY d DESC, id DESC",
    )
    query = """query($first: Int, $after: String, $last: Int, $before: String) {
        salesOrders(first: $first, after: $after, last: $last, before: $before,
                    orderBy: {field: DUE_AT, direction: DESC}) {
        totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
        edges { cursor node { id } } } }"""
    seen: list[str] = []
    after = None
    while True:
        page = (await _data(api_server, query, {"first": 150, "after": after}))["salesOrders"]
        assert page["totalCount"] == len(expected)
        seen += _node_ids(page)
        assert page["pageInfo"]["hasPreviousPage"] == (after is not None)
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == expected
    # Backwards from the end, then the page before it.
    tail = (await _data(api_server, query, {"last": 4}))["salesOrders"]
    assert _node_ids(tail) == expected[-4:]
    assert tail["pageInfo"]["hasPreviousPage"] and not tail["pageInfo"]["hasNextPage"]
    before = tail["pageInfo"]["startCursor"]
    prior = (await _data(api_server, query, {"last": 3, "before": before}))["salesOrders"]
    assert _node_ids(prior) == expected[-7:-4]
    # first + before: the first rows, cut at the cursor.
    head = (await _data(api_server, query, {"first": 5}))["salesOrders"]
    cut = head["edges"][3]["cursor"]
    clipped = (await _data(api_server, query, {"first": 10, "before": cut}))["salesOrders"]
    assert _node_ids(clipped) == expected[:3]


# --- customers, suppliers, purchase orders ----------------------------------------------
async def test_customers_pages_filters_and_order(
    api_graph: ApiGraph, api_server: ApiServer
) -> None:
    expected = await _ids(
        api_graph, "MATCH (c:Customer) RETURN c.id AS id, c.name AS n ORDER BY n DESC, id DESC"
    )
    query = """query($after: String) { customers(first: 20, after: $after,
        orderBy: {field: NAME, direction: DESC}) {
        totalCount pageInfo { hasNextPage endCursor } edges { node { id name } } } }"""
    seen: list[str] = []
    after = None
    while True:
        page = (await _data(api_server, query, {"after": after}))["customers"]
        assert page["totalCount"] == len(expected)
        seen += _node_ids(page)
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == expected

    country = (await api_graph.store.read("MATCH (c:Customer) RETURN c.country AS c LIMIT 1"))[0]
    by_country = await _ids(
        api_graph,
        "MATCH (c:Customer) WHERE c.country IN [$c, 'LU'] RETURN c.id AS id ORDER BY id",
        c=country["c"],
    )
    data = await _data(
        api_server,
        """query($c: String!) { a: customers(first: 500, filter: {countries: [$c, "LU"]})
           { totalCount edges { node { id } } }
           b: customers(filter: {text: "testkunde"}) { totalCount edges { node { id } } } }""",
        {"c": country["c"]},
    )
    assert _node_ids(data["a"]) == by_country and data["a"]["totalCount"] == len(by_country)
    assert _node_ids(data["b"]) == ["ERPT-C-1"]


async def test_suppliers_and_purchase_orders(api_graph: ApiGraph, api_server: ApiServer) -> None:
    supplier = (
        await _ids(
            api_graph,
            "MATCH (p:PurchaseOrder)-[:FROM]->(s:Supplier) WITH s, count(p) AS k "
            "RETURN s.id AS id ORDER BY k DESC, id LIMIT 1",
        )
    )[0]
    pos = await api_graph.store.read(
        "MATCH (p:PurchaseOrder)-[:FROM]->(:Supplier {id: $s}) MATCH (p)-[f:FOR_MATERIAL]->(m) "
        "RETURN p.id AS id, p.due_at AS due, p.status AS status, m.id AS material, f.qty AS qty "
        "ORDER BY due DESC, id DESC",
        {"s": supplier},
    )
    lots = await _ids(
        api_graph,
        "MATCH (l:MaterialLot)-[:SUPPLIED_BY]->(:Supplier {id: $s}) RETURN l.id AS id ORDER BY id",
        s=supplier,
    )
    data = await _data(
        api_server,
        """query($s: ID!) {
        purchaseOrders(first: 500, filter: {supplierId: $s},
                       orderBy: {field: DUE_AT, direction: DESC}) {
            totalCount nodes { id status material { id } quantity supplier { id } } }
        supplier(id: $s) { lots { id } purchaseOrders { id }
                           received: purchaseOrders(statuses: [RECEIVED]) { id } } }""",
        {"s": supplier},
    )
    got = data["purchaseOrders"]
    assert got["totalCount"] == len(pos) > 0
    assert [
        (p["id"], p["status"].lower(), p["material"]["id"], p["quantity"], p["supplier"]["id"])
        for p in got["nodes"]
    ] == [(p["id"], p["status"], p["material"], p["qty"], supplier) for p in pos]
    assert [x["id"] for x in data["supplier"]["lots"]] == lots
    assert [x["id"] for x in data["supplier"]["purchaseOrders"]] == sorted(p["id"] for p in pos)
    assert [x["id"] for x in data["supplier"]["received"]] == sorted(
        p["id"] for p in pos if p["status"] == "received"
    )

    filtered = await _data(
        api_server,
        """{ a: purchaseOrders(filter: {materialId: "ERPT-M-A", statuses: [OPEN]}) {
               totalCount nodes { id } }
             b: purchaseOrders(filter: {supplierId: "ERPT-S-1",
                                        dueAt: {to: "2021-01-01T00:00:00Z"}}) { nodes { id } }
             c: suppliers(filter: {materialId: "ERPT-M-A"}) { totalCount nodes { id } }
             d: suppliers(filter: {countries: ["LU"], text: "erpt"}) { nodes { id } } }""",
    )
    assert filtered["a"] == {"totalCount": 1, "nodes": [{"id": "ERPT-PO-1"}]}
    assert filtered["b"]["nodes"] == [{"id": "ERPT-PO-2"}]
    assert filtered["c"] == {"totalCount": 1, "nodes": [{"id": "ERPT-S-1"}]}
    assert filtered["d"]["nodes"] == [{"id": "ERPT-S-1"}]
    all_suppliers = await _ids(
        api_graph, "MATCH (s:Supplier) RETURN s.id AS id, s.country AS c ORDER BY c, id"
    )
    ordered = await _data(
        api_server, "{ suppliers(first: 500, orderBy: {field: COUNTRY}) { nodes { id } } }"
    )
    assert [s["id"] for s in ordered["suppliers"]["nodes"]] == all_suppliers


# --- products and BOMs -----------------------------------------------------------------
BOM_QUERY = """query($id: ID!, $depth: Int!) { product(id: $id) {
    bom(maxDepth: $depth) { level parentId componentId path quantityPerParent quantity unit
                            product { id } material { id } }
    materialRequirements(maxDepth: $depth) { material { id } quantity unit } } }"""


async def test_bom_explosion_against_a_hand_computation(api_server: ApiServer) -> None:
    product = (await _data(api_server, BOM_QUERY, {"id": "ERPT-P-TOP", "depth": 20}))["product"]
    lines = [
        (b["level"], b["parentId"], b["componentId"], b["quantityPerParent"], b["quantity"])
        for b in product["bom"]
    ]
    # TOP -> MID x2 -> (A x3, SUB x0.5 -> B x4); TOP -> A x0.25; TOP -> C x1. Depth first.
    assert lines == [
        (1, "ERPT-P-TOP", "ERPT-M-A", 0.25, 0.25),
        (1, "ERPT-P-TOP", "ERPT-M-C", 1.0, 1.0),
        (1, "ERPT-P-TOP", "ERPT-P-MID", 2.0, 2.0),
        (2, "ERPT-P-MID", "ERPT-M-A", 3.0, 6.0),
        (2, "ERPT-P-MID", "ERPT-P-SUB", 0.5, 1.0),
        (3, "ERPT-P-SUB", "ERPT-M-B", 4.0, 4.0),
    ]
    sub = product["bom"][4]
    assert sub["path"] == ["ERPT-P-TOP", "ERPT-P-MID", "ERPT-P-SUB"]
    assert sub["product"] == {"id": "ERPT-P-SUB"} and sub["material"] is None
    assert product["bom"][5]["material"] == {"id": "ERPT-M-B"} and product["bom"][5]["unit"] == "kg"
    assert product["materialRequirements"] == [
        {"material": {"id": "ERPT-M-A"}, "quantity": 6.25, "unit": "kg"},
        {"material": {"id": "ERPT-M-B"}, "quantity": 4.0, "unit": "kg"},
        {"material": {"id": "ERPT-M-C"}, "quantity": 1.0, "unit": "pcs"},
    ]
    shallow = (await _data(api_server, BOM_QUERY, {"id": "ERPT-P-TOP", "depth": 1}))["product"]
    assert [b["componentId"] for b in shallow["bom"]] == ["ERPT-M-A", "ERPT-M-C", "ERPT-P-MID"]
    assert shallow["materialRequirements"][0]["quantity"] == 0.25


async def test_bom_of_any_depth_and_with_a_cycle(api_server: ApiServer) -> None:
    deep = (await _data(api_server, BOM_QUERY, {"id": "ERPT-P-D0", "depth": 20}))["product"]
    assert [b["level"] for b in deep["bom"]] == list(range(1, CHAIN + 1))
    assert deep["bom"][-1]["componentId"] == "ERPT-M-A"
    assert deep["bom"][-1]["quantity"] == 2.0**CHAIN
    assert deep["materialRequirements"] == [
        {"material": {"id": "ERPT-M-A"}, "quantity": 2.0**CHAIN, "unit": "kg"}
    ]
    cut = (await _data(api_server, BOM_QUERY, {"id": "ERPT-P-D0", "depth": 3}))["product"]
    assert [b["componentId"] for b in cut["bom"]] == ["ERPT-P-D1", "ERPT-P-D2", "ERPT-P-D3"]
    assert cut["materialRequirements"] == []
    # CYC1 -> CYC2 -> CYC1 is a cycle: the explosion ends and never repeats a product.
    cyclic = (await _data(api_server, BOM_QUERY, {"id": "ERPT-P-CYC1", "depth": 20}))["product"]
    assert [(b["path"], b["quantity"]) for b in cyclic["bom"]] == [
        (["ERPT-P-CYC1", "ERPT-P-CYC2"], 1.0),
        (["ERPT-P-CYC1", "ERPT-P-CYC2", "ERPT-M-B"], 2.0),
    ]
    bad = await api_server.gql(BOM_QUERY, {"id": "ERPT-P-TOP", "depth": 21}, role=Role.VIEWER)
    assert "maxDepth must be between 1 and 20" in bad["errors"][0]["message"]


async def test_bom_of_every_seeded_product_matches_a_python_walk(
    api_graph: ApiGraph, api_server: ApiServer
) -> None:
    edges = await api_graph.store.read(
        "MATCH (p:Product)-[c:HAS_COMPONENT]->(x) WHERE NOT p.id STARTS WITH 'ERPT-' "
        "RETURN p.id AS p, x.id AS x, c.qty AS qty"
    )
    children: dict[str, list[tuple[str, float]]] = {}
    for e in edges:
        children.setdefault(e["p"], []).append((e["x"], float(e["qty"])))

    def walk(path: tuple[str, ...], qty: float) -> list[tuple[tuple[str, ...], float]]:
        found = []
        for child, q in children.get(path[-1], []):
            if child in path:
                continue
            found.append(((*path, child), qty * q))
            found += walk((*path, child), qty * q)
        return found

    products = sorted(children)
    data = await _data(
        api_server,
        """query($ids: [ID!]) { products(first: 500, filter: {ids: $ids}) {
            totalCount nodes { id bom { path quantity } } } }""",
        {"ids": products},
    )
    assert data["products"]["totalCount"] == len(products) > 0
    deepest = 0
    for product in data["products"]["nodes"]:
        expected = sorted(walk((product["id"],), 1.0))
        got = [(tuple(b["path"]), b["quantity"]) for b in product["bom"]]
        assert [p for p, _ in got] == [p for p, _ in expected]
        assert all(
            math.isclose(a, b, rel_tol=1e-12) for (_, a), (_, b) in zip(got, expected, strict=True)
        )
        deepest = max([deepest, *(len(p) - 1 for p, _ in got)])
    assert deepest >= 3  # the demo plant has multi-level BOMs


async def test_products_filters_and_order(api_graph: ApiGraph, api_server: ApiServer) -> None:
    intermediates = await _ids(
        api_graph,
        "MATCH (p:Product) WHERE p.kind = 'intermediate' RETURN p.id AS id, p.name AS n "
        "ORDER BY n, id",
    )
    data = await _data(
        api_server,
        """{ a: products(first: 500, filter: {kinds: [INTERMEDIATE]}, orderBy: {field: NAME}) {
               totalCount nodes { id } }
             b: products(filter: {materialId: "ERPT-M-A"}) { nodes { id } }
             c: products(filter: {componentProductId: "ERPT-P-SUB"}) { nodes { id } }
             d: products(filter: {text: "CYCLE"}) { nodes { id } } }""",
    )
    assert [p["id"] for p in data["a"]["nodes"]] == intermediates
    assert data["a"]["totalCount"] == len(intermediates)
    assert [p["id"] for p in data["b"]["nodes"]] == [
        f"ERPT-P-D{CHAIN - 1}",
        "ERPT-P-MID",
        "ERPT-P-TOP",
    ]
    assert [p["id"] for p in data["c"]["nodes"]] == ["ERPT-P-MID"]
    assert [p["id"] for p in data["d"]["nodes"]] == ["ERPT-P-CYC1", "ERPT-P-CYC2"]


# --- materials and inventory -------------------------------------------------------------
async def test_material_inventory_against_a_hand_sum(api_server: ApiServer) -> None:
    data = await _data(
        api_server,
        """{ material(id: "ERPT-M-A") { onHand
            inventory { onHand unit availableLots totalLots byStatus { status lots quantity } }
            lots { id } available: lots(statuses: [AVAILABLE]) { id quantity }
            purchaseOrders { id } open: purchaseOrders(statuses: [OPEN]) { id }
            usedIn { product { id } quantity unit } }
          empty: material(id: "ERPT-M-C") {
            onHand inventory { availableLots totalLots byStatus { status } } } }""",
    )
    material = data["material"]
    assert material["onHand"] == 120.75  # 100.5 + 20.25; quarantine and on hold excluded
    assert material["inventory"] == {
        "onHand": 120.75,
        "unit": "kg",
        "availableLots": 2,
        "totalLots": 5,
        "byStatus": [
            {"status": "AVAILABLE", "lots": 2, "quantity": 120.75},
            {"status": "CONSUMED", "lots": 1, "quantity": 0.0},
            {"status": "ON_HOLD", "lots": 1, "quantity": 3.0},
            {"status": "QUARANTINE", "lots": 1, "quantity": 7.0},
        ],
    }
    assert [x["id"] for x in material["lots"]] == [f"ERPT-L-{i}" for i in range(1, 6)]
    assert material["available"] == [
        {"id": "ERPT-L-1", "quantity": 100.5},
        {"id": "ERPT-L-2", "quantity": 20.25},
    ]
    assert [x["id"] for x in material["purchaseOrders"]] == ["ERPT-PO-1", "ERPT-PO-2"]
    assert [x["id"] for x in material["open"]] == ["ERPT-PO-1"]
    assert [u["product"]["id"] for u in material["usedIn"]] == [
        f"ERPT-P-D{CHAIN - 1}",
        "ERPT-P-MID",
        "ERPT-P-TOP",
    ]
    assert data["empty"] == {
        "onHand": 0.0,
        "inventory": {"availableLots": 0, "totalLots": 0, "byStatus": []},
    }


async def test_seeded_materials_on_hand_match_the_lots(
    api_graph: ApiGraph, api_server: ApiServer
) -> None:
    lots = await api_graph.store.read(
        "MATCH (l:MaterialLot)-[:OF_MATERIAL]->(m:Material) "
        "RETURN m.id AS material, l.status AS status, l.quantity AS qty"
    )
    on_hand: dict[str, float] = {}
    available: dict[str, int] = {}
    total: dict[str, int] = {}
    for lot in lots:
        total[lot["material"]] = total.get(lot["material"], 0) + 1
        if lot["status"] == "available":
            on_hand[lot["material"]] = on_hand.get(lot["material"], 0.0) + float(lot["qty"])
            available[lot["material"]] = available.get(lot["material"], 0) + 1
    materials = await _ids(api_graph, "MATCH (m:Material) RETURN m.id AS id ORDER BY id")
    data = await _data(
        api_server,
        """{ materials(first: 500) { totalCount nodes { id onHand
            inventory { availableLots totalLots } } } }""",
    )
    got = data["materials"]["nodes"]
    assert data["materials"]["totalCount"] == len(materials)
    assert [m["id"] for m in got] == materials
    assert sum(on_hand.values()) > 0
    for m in got:
        assert math.isclose(m["onHand"], on_hand.get(m["id"], 0.0), rel_tol=1e-9, abs_tol=1e-9)
        assert m["inventory"] == {
            "availableLots": available.get(m["id"], 0),
            "totalLots": total.get(m["id"], 0),
        }


async def test_materials_filters(api_server: ApiServer) -> None:
    data = await _data(
        api_server,
        """{ a: materials(filter: {supplierId: "ERPT-S-1"}) { totalCount nodes { id } }
             b: materials(filter: {usedByProductId: "ERPT-P-TOP"}) { nodes { id } }
             c: materials(filter: {text: "test", ids: ["ERPT-M-B", "ERPT-M-C", "RM-10001"]},
                          orderBy: {field: NAME, direction: DESC}) { nodes { id name } } }""",
    )
    assert data["a"] == {"totalCount": 1, "nodes": [{"id": "ERPT-M-A"}]}
    assert [m["id"] for m in data["b"]["nodes"]] == ["ERPT-M-A", "ERPT-M-C"]
    assert data["c"]["nodes"] == [
        {"id": "ERPT-M-B", "name": "Test pigment"},
        {"id": "ERPT-M-C", "name": "Test can"},
    ]


# --- risk alerts and predictions ----------------------------------------------------------
async def test_risk_alerts_connection_and_filters(
    api_graph: ApiGraph, api_server: ApiServer
) -> None:
    async def ids(filter_: dict[str, Any], order: dict[str, Any] | None = None) -> list[str]:
        data = await _data(
            api_server,
            "query($f: RiskAlertFilter, $o: RiskAlertOrder) { riskAlerts(first: 500, "
            "filter: $f, orderBy: $o) { totalCount edges { node { id } } } }",
            {"f": filter_, "o": order},
        )
        got = _node_ids(data["riskAlerts"])
        assert data["riskAlerts"]["totalCount"] == len(got)
        return got

    everything = await _ids(api_graph, "MATCH (a:RiskAlert) RETURN a.id AS id ORDER BY id")
    assert await ids({}) == everything
    mine = {"text": "ERPT"}
    assert await ids(mine) == [f"ERPT-RA-{i}" for i in (1, 2, 3, 4)]
    assert await ids({**mine, "acknowledged": False}) == ["ERPT-RA-1", "ERPT-RA-3", "ERPT-RA-4"]
    assert await ids({**mine, "acknowledged": True}) == ["ERPT-RA-2"]
    assert await ids({**mine, "severities": ["CRITICAL", "HIGH"]}) == ["ERPT-RA-1", "ERPT-RA-2"]
    assert await ids({"salesOrderId": "ERPT-SO-3"}) == ["ERPT-RA-3", "ERPT-RA-4"]
    assert await ids({"aboutId": "ERPT-MC-OEE"}) == ["ERPT-RA-1"]
    window = {"from": _iso(T0), "to": _iso(T0 + H)}
    assert await ids({**mine, "createdAt": window}) == ["ERPT-RA-1", "ERPT-RA-4"]
    newest_first = await ids(mine, {"field": "CREATED_AT", "direction": "DESC"})
    assert newest_first == ["ERPT-RA-3", "ERPT-RA-4", "ERPT-RA-1", "ERPT-RA-2"]
    # Relay paging over the same filter.
    page = await _data(
        api_server,
        """{ riskAlerts(first: 2, filter: {text: "ERPT"}) {
            totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } }""",
    )
    assert page["riskAlerts"]["totalCount"] == 4
    assert _node_ids(page["riskAlerts"]) == ["ERPT-RA-1", "ERPT-RA-2"]
    rest = await _data(
        api_server,
        """query($a: String) { riskAlerts(first: 5, after: $a, filter: {text: "ERPT"}) {
            pageInfo { hasNextPage hasPreviousPage } edges { node { id } } } }""",
        {"a": page["riskAlerts"]["pageInfo"]["endCursor"]},
    )
    assert _node_ids(rest["riskAlerts"]) == ["ERPT-RA-3", "ERPT-RA-4"]
    assert rest["riskAlerts"]["pageInfo"] == {"hasNextPage": False, "hasPreviousPage": True}


async def test_predictions(api_graph: ApiGraph, api_server: ApiServer) -> None:
    stored = await _ids(api_graph, "MATCH (p:Prediction) RETURN p.id AS id ORDER BY id")
    data = await _data(
        api_server,
        """{ all: predictions(first: 500) { totalCount nodes { id } }
             mine: predictions(filter: {aboutId: "ERPT-MC-OEE", kinds: ["machine_down"]}) {
               nodes { id kind score horizonH createdAt modelVersion about { id label } } }
             none: predictions(filter: {kinds: ["no_such_kind"]}) {
               totalCount edges { cursor } } }""",
    )
    # The seeded plant has no predictions: only the one this module wrote.
    assert stored == ["ERPT-PR-1"]
    assert data["all"] == {"totalCount": 1, "nodes": [{"id": "ERPT-PR-1"}]}
    assert data["mine"]["nodes"] == [
        {
            "id": "ERPT-PR-1",
            "kind": "machine_down",
            "score": 0.8,
            "horizonH": 4.0,
            "createdAt": _iso(T0),
            "modelVersion": "test",
            "about": [{"id": "ERPT-MC-OEE", "label": "Machine"}],
        }
    ]
    assert data["none"] == {"totalCount": 0, "edges": []}


# --- OEE --------------------------------------------------------------------------------
OEE_QUERY = """query($m: ID!, $from: DateTime!, $to: DateTime!) {
    oee(machineId: $m, from: $from, to: $to) {
        machineId from to windowS plannedBusyTimeS actualProductionTimeS idleTimeS downTimeS
        unknownTimeS coverage producedCount goodCount batchCount idealCycleTimeS
        idealProductionTimeS availability performance quality oee
        timeline { state start end durationS } } }"""


async def _oee(server: ApiServer, machine: str, start: datetime, end: datetime) -> Any:
    data = await _data(server, OEE_QUERY, {"m": machine, "from": _iso(start), "to": _iso(end)})
    return data["oee"]


async def test_oee_on_a_hand_built_shift(api_server: ApiServer) -> None:
    oee = await _oee(api_server, "ERPT-MC-OEE", T0, T0 + 8 * H)
    # Executing 0-2 h, 2.5-4 h, 5-7 h = 5.5 h; idle 2-2.5 h; down 4-5 h and 7-8 h.
    assert oee["windowS"] == 8 * 3600
    assert oee["plannedBusyTimeS"] == 8 * 3600
    assert oee["actualProductionTimeS"] == 5.5 * 3600
    assert oee["idleTimeS"] == 0.5 * 3600
    assert oee["downTimeS"] == 2 * 3600
    assert oee["unknownTimeS"] == 0 and oee["coverage"] == 1.0
    # Completed in the window: B-1 (100, WO-1 at 60 s), B-2 (50 rejected, 60 s), B-3 (120, 30 s).
    assert oee["batchCount"] == 3
    assert oee["producedCount"] == 270 and oee["goodCount"] == 220
    ideal = 100 * 60 + 50 * 60 + 120 * 30
    assert oee["idealProductionTimeS"] == ideal
    assert math.isclose(oee["idealCycleTimeS"], ideal / 270)
    availability, performance, quality = 5.5 / 8, ideal / (5.5 * 3600), 220 / 270
    assert math.isclose(oee["availability"], availability)
    assert math.isclose(oee["performance"], performance)
    assert math.isclose(oee["quality"], quality)
    assert math.isclose(oee["oee"], availability * performance * quality)
    assert [(s["state"], s["durationS"]) for s in oee["timeline"]] == [
        ("EXECUTING", 7200.0),
        ("NOT_EXECUTING", 1800.0),
        ("EXECUTING", 5400.0),
        ("OUT_OF_SERVICE", 3600.0),
        ("EXECUTING", 7200.0),
        ("NOT_AVAILABLE", 3600.0),
    ]
    assert oee["timeline"][0]["start"] == _iso(T0) and oee["timeline"][-1]["end"] == _iso(
        T0 + 8 * H
    )


async def test_oee_with_unknown_state_and_missing_data(api_server: ApiServer) -> None:
    # Nothing is known before the first state change at T0 - 1 h.
    early = await _oee(api_server, "ERPT-MC-OEE", T0 - 3 * H, T0 + H)
    assert early["unknownTimeS"] == 2 * 3600 and early["coverage"] == 0.5
    assert early["plannedBusyTimeS"] == early["actualProductionTimeS"] == 2 * 3600
    assert early["availability"] == 1.0
    # B-5 (at T0 - 2 h) only: B-1 completed at T0 + 1 h, the window's exclusive end.
    assert early["producedCount"] == 10 and early["batchCount"] == 1
    assert math.isclose(early["performance"], 10 * 60 / 7200)
    assert early["timeline"][0] == {
        "state": None,
        "start": _iso(T0 - 3 * H),
        "end": _iso(T0 - H),
        "durationS": 7200.0,
    }

    # The machine's live state (not executing since T0 + 1 h) is newer than its history.
    live = await _oee(api_server, "ERPT-MC-LIVE", T0, T0 + 2 * H)
    assert [(s["state"], s["durationS"]) for s in live["timeline"]] == [
        ("EXECUTING", 3600.0),
        ("NOT_EXECUTING", 3600.0),
    ]
    assert live["availability"] == 0.5
    # Executing with nothing produced: performance 0; no quality, so no OEE.
    assert live["performance"] == 0.0 and live["quality"] is None and live["oee"] is None

    # No state changes at all: only the current state since state_at is known.
    bare = await _oee(api_server, "ERPT-MC-BARE", T0, T0 + 2 * H)
    assert bare["coverage"] == 0.5 and bare["unknownTimeS"] == 3600
    assert bare["actualProductionTimeS"] == 3600 and bare["availability"] == 1.0
    assert bare["idealCycleTimeS"] is None and bare["producedCount"] == 0

    # Neither history nor state_at: nothing known, every ratio null.
    none = await _oee(api_server, "ERPT-MC-NONE", T0, T0 + 2 * H)
    assert none["coverage"] == 0 and none["plannedBusyTimeS"] == 0
    assert (none["availability"], none["performance"], none["quality"], none["oee"]) == (
        None,
        None,
        None,
        None,
    )
    assert none["timeline"] == [
        {"state": None, "start": _iso(T0), "end": _iso(T0 + 2 * H), "durationS": 7200.0}
    ]

    # A window reaching into the future: the time after now is unknown, not down.
    now = datetime.now(UTC)
    future = await _oee(api_server, "ERPT-MC-OEE", now - H, now + H)
    assert future["downTimeS"] == pytest.approx(3600, abs=120)
    assert future["unknownTimeS"] == pytest.approx(3600, abs=120)
    assert future["coverage"] == pytest.approx(0.5, abs=0.02)


async def test_oee_of_unknown_machine_and_bad_window(api_server: ApiServer) -> None:
    assert await _oee(api_server, "ERPT-NO-MACHINE", T0, T0 + H) is None
    body = await api_server.gql(
        OEE_QUERY, {"m": "ERPT-MC-OEE", "from": _iso(T0), "to": _iso(T0)}, role=Role.VIEWER
    )
    assert "`to` must be after `from`" in body["errors"][0]["message"]


async def test_oee_of_a_seeded_machine_covers_its_recorded_history(
    api_graph: ApiGraph, api_server: ApiServer
) -> None:
    row = (
        await api_graph.store.read(
            "MATCH (c:StateChange)-[:OF]->(m:Machine) WHERE NOT m.id STARTS WITH 'ERPT-' "
            "RETURN m.id AS id, min(c.at) AS first, m.state_at AS last ORDER BY id LIMIT 1"
        )
    )[0]
    start = datetime.fromtimestamp(row["first"] / 1000, UTC)
    end = datetime.fromtimestamp(row["last"] / 1000, UTC) + H
    oee = await _oee(api_server, row["id"], start - H, end)
    assert oee["unknownTimeS"] == 3600  # the hour before the first recorded change
    total = oee["plannedBusyTimeS"] + oee["unknownTimeS"]
    assert math.isclose(total, oee["windowS"])
    parts = oee["actualProductionTimeS"] + oee["idleTimeS"] + oee["downTimeS"]
    assert math.isclose(parts, oee["plannedBusyTimeS"])
    assert math.isclose(sum(s["durationS"] for s in oee["timeline"]), oee["windowS"])


# --- no N+1 ----------------------------------------------------------------------------
NESTED = """query($n: Int) { salesOrders(first: $n) { totalCount edges { node {
    id customer { id } lines { quantity product { id bom(maxDepth: 3) { quantity }
        materialRequirements(maxDepth: 3) { material { id onHand } } } }
    workOrders { id } risk { level alerts { id about { id } } } } } } }"""


@pytest.fixture
async def client(api_graph: ApiGraph) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(store=api_graph.store)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://api") as client:
            yield client


async def test_nested_erp_query_costs_one_statement_per_level(
    client: httpx.AsyncClient, api_graph: ApiGraph, api_tokens: dict[Role, str]
) -> None:
    headers = {"Authorization": f"Bearer {api_tokens[Role.VIEWER]}"}

    async def round_trips(size: int) -> int:
        before = api_graph.store.round_trips
        response = await client.post(
            "/graphql", json={"query": NESTED, "variables": {"n": size}}, headers=headers
        )
        body = response.json()
        assert "errors" not in body, body
        assert len(body["data"]["salesOrders"]["edges"]) == size
        return api_graph.store.round_trips - before

    await round_trips(1)  # warm the token cache
    small, large = await round_trips(2), await round_trips(120)
    assert small == large
    # page + count, customer, lines, bom, inventory, work orders, alerts, what alerts are about.
    assert large <= 9, large
