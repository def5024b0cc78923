"""`viewer`, `foresight` and `search` against the seeded graph, over a real service."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from app.api import create_app
from domain.auth import Role
from graph import search as graph_search
from tests.integration.api.conftest import ApiGraph, ApiServer

SEARCH = (
    "query($text: String!, $first: Int) { search(text: $text, first: $first) { id label title } }"
)


async def _search(api_server: ApiServer, text: str, first: int | None = None) -> Any:
    body = await api_server.gql(SEARCH, {"text": text, "first": first}, role=Role.VIEWER)
    assert "errors" not in body, body
    return body["data"]["search"]


@pytest.mark.parametrize("role", list(Role))
async def test_viewer_is_the_token(api_server: ApiServer, role: Role) -> None:
    body = await api_server.gql("{ viewer { role name anonymous } }", role=role)
    assert body["data"]["viewer"] == {
        "role": role.name,
        "name": f"test {role}",
        "anonymous": False,
    }


@pytest.fixture
async def anonymous_client(api_graph: ApiGraph) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(store=api_graph.store, allow_anonymous_read=True)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://api") as client:
            yield client


async def test_viewer_anonymous_reader(anonymous_client: httpx.AsyncClient) -> None:
    response = await anonymous_client.post(
        "/graphql", json={"query": "{ viewer { role name anonymous } }"}
    )
    assert response.json()["data"]["viewer"] == {
        "role": "VIEWER",
        "name": None,
        "anonymous": True,
    }


async def test_viewer_needs_a_token_without_anonymous_reads(api_server: ApiServer) -> None:
    body = await api_server.gql("{ viewer { role } }", role=None)
    assert "authentication required" in body["errors"][0]["message"]


async def test_foresight_off_without_a_model(api_server: ApiServer) -> None:
    body = await api_server.gql(
        "{ foresight { state modelVersion progress message startedAt finishedAt } }"
    )
    status = body["data"]["foresight"]
    assert status["state"] == "OFF"
    assert status["modelVersion"] is None and status["progress"] is None
    assert status["message"]


async def test_search_exact_id_of_each_label(api_server: ApiServer, api_graph: ApiGraph) -> None:
    labels = [
        "Machine",
        "SalesOrder",
        "WorkOrder",
        "MaterialLot",
        "Batch",
        "Customer",
        "Supplier",
        "Product",
        "Material",
        "Line",
        "QualityEvent",
    ]
    for label in labels:
        rows = await api_graph.store.read(
            f"MATCH (n:{label}) RETURN n.id AS id ORDER BY id LIMIT 1"
        )
        node_id = rows[0]["id"]
        hits = await _search(api_server, node_id)
        assert hits[0]["id"] == node_id and hits[0]["label"] == label, (label, hits)
        assert hits[0]["title"]


async def test_search_titles(api_server: ApiServer, api_graph: ApiGraph) -> None:
    machine = (await _search(api_server, "M-0001"))[0]
    name = await api_graph.store.read("MATCH (m:Machine {id: 'M-0001'}) RETURN m.name AS name")
    assert machine["title"] == name[0]["name"]
    rows = await api_graph.store.read(
        "MATCH (w:WorkOrder) RETURN w.id AS id, w.status AS status ORDER BY id LIMIT 1"
    )
    work_order = (await _search(api_server, rows[0]["id"]))[0]
    assert work_order["title"] == f"{rows[0]['id']} ({rows[0]['status'].upper()})"


async def test_search_by_supplier_lot(api_server: ApiServer, api_graph: ApiGraph) -> None:
    rows = await api_graph.store.read(
        "MATCH (l:MaterialLot) WHERE l.supplier_lot IS NOT NULL "
        "RETURN l.id AS id, l.supplier_lot AS lot ORDER BY id LIMIT 1"
    )
    hits = await _search(api_server, rows[0]["lot"])
    assert {"id": rows[0]["id"], "label": "MaterialLot"}.items() <= hits[0].items()
    assert rows[0]["lot"] in hits[0]["title"]


async def test_search_prefix_after_exact(api_server: ApiServer) -> None:
    hits = await _search(api_server, "M-000", 5)
    assert len(hits) == 5
    assert all(h["id"].startswith("M-000") for h in hits)
    assert [h["id"] for h in hits] == sorted(h["id"] for h in hits)
    exact = await _search(api_server, "M-0001", 50)
    assert exact[0]["id"] == "M-0001"
    assert all(h["id"] != "M-0001" for h in exact[1:])


async def test_search_default_and_maximum_first(api_server: ApiServer) -> None:
    assert len(await _search(api_server, "B-")) == 10
    assert len(await _search(api_server, "B-", 50)) == 50


async def test_search_finds_nothing_for_quotes_and_cypher(api_server: ApiServer) -> None:
    assert await _search(api_server, "x' RETURN 'INJECTED' AS v //") == []
    assert await _search(api_server, "M-0001'}) RETURN 1 //") == []


@pytest.mark.parametrize(
    ("text", "first", "message"),
    [
        ("", None, "blank"),
        ("   ", None, "blank"),
        ("M-\x000001", None, "NUL"),
        ("M" * 201, None, "at most 200"),
        ("M-", 0, "between 1 and 50"),
        ("M-", 51, "between 1 and 50"),
    ],
)
async def test_search_refuses_bad_arguments(
    api_server: ApiServer, text: str, first: int | None, message: str
) -> None:
    body = await api_server.gql(SEARCH, {"text": text, "first": first}, role=Role.VIEWER)
    assert body["data"] is None
    assert message in body["errors"][0]["message"]


async def test_prefix_range_finds_what_starts_with_finds(api_graph: ApiGraph) -> None:
    """The index range used for ASCII prefixes returns exactly the label scan's rows."""
    rows = await api_graph.store.read("MATCH (n) RETURN n.id AS id ORDER BY id SKIP 7 LIMIT 40")
    texts = {row["id"][:k] for row in rows for k in (1, 2, 3, 5, 7)} | {"~", "Z", "ML-0000001"}
    for text in sorted(texts):
        upper = graph_search.upper_bound(text)
        assert upper is not None
        ranged = await api_graph.store.read(
            graph_search.SEARCH, {"text": text, "first": 50, "upper": upper}
        )
        scanned = await api_graph.store.read(graph_search.SEARCH_SCAN, {"text": text, "first": 50})
        key = repr
        assert sorted(map(key, ranged)) == sorted(map(key, scanned)), text
    assert graph_search.upper_bound("é") is None
    assert graph_search.upper_bound("M-\x7f") is None


async def test_search_non_ascii_text(api_server: ApiServer) -> None:
    assert await _search(api_server, "Dvořák") == []
