"""The MES and twin read views over a real service: answers checked against the graph itself."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from domain.auth import Role
from domain.genealogy import TraceDirection
from graph import genealogy
from tests.integration.api.conftest import ApiGraph, ApiServer

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def _ids(graph: ApiGraph, cypher: str, **params: Any) -> list[str]:
    return [row["id"] for row in await graph.store.read(cypher, params)]


async def test_health_ready_and_metrics(api_server: ApiServer) -> None:
    base = api_server.url.removesuffix("/graphql")
    async with httpx.AsyncClient() as client:
        assert (await client.get(f"{base}/healthz")).json() == {"status": "ok"}
        assert (await client.get(f"{base}/readyz")).json() == {"status": "ready"}
        await api_server.gql("{ machines(first: 1) { totalCount } }")
        metrics = (await client.get(f"{base}/metrics")).text
    assert 'factorygraph_http_requests_total{method="POST",path="/graphql",status="200"}' in metrics
    assert "factorygraph_http_request_seconds_bucket" in metrics
    assert "factorygraph_active_subscriptions" in metrics


async def test_graphiql_page_is_served_to_browsers(api_server: ApiServer) -> None:
    async with httpx.AsyncClient() as client:
        page = await client.get(api_server.url, headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert "graphiql" in page.text.lower()


async def test_queries_need_a_token(api_server: ApiServer) -> None:
    body = await api_server.gql("{ machines(first: 1) { totalCount } }", role=None)
    assert body["data"] is None
    assert "authentication required" in body["errors"][0]["message"]
    bad = await api_server.post("{ machines { totalCount } }", token="fgt_0000.nope")
    assert bad.status_code == 401


async def test_revoked_token_is_refused(api_graph: ApiGraph, api_server: ApiServer) -> None:
    from graph import tokens

    token = await tokens.create_token(api_graph.store, "short-lived", Role.VIEWER)
    ok = await api_server.gql("{ machines(first: 1) { totalCount } }", token=token)
    assert ok["data"]["machines"]["totalCount"] > 0
    await tokens.revoke_token(api_graph.store, token.split(".")[0].removeprefix("fgt_"))
    # The service caches a token's lookup for a few seconds.
    for _ in range(80):
        if (await api_server.post("{ __typename }", token=token)).status_code == 401:
            break
        import asyncio

        await asyncio.sleep(0.1)
    else:
        pytest.fail("a revoked token still worked after 8 s")


async def test_machines_page_through_with_cursors(
    api_graph: ApiGraph, api_server: ApiServer
) -> None:
    expected = await _ids(api_graph, "MATCH (m:Machine) RETURN m.id AS id ORDER BY m.id")
    query = """query($after: String) { machines(first: 3, after: $after) {
        totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { node { id } } } }"""
    seen: list[str] = []
    after = None
    while True:
        page = (await api_server.gql(query, {"after": after}, role=Role.VIEWER))["data"]["machines"]
        assert page["totalCount"] == len(expected)
        seen += [edge["node"]["id"] for edge in page["edges"]]
        assert page["pageInfo"]["hasPreviousPage"] == (after is not None)
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == expected
    last = await api_server.gql(
        "{ machines(last: 2) { edges { node { id } } pageInfo { hasPreviousPage } } }"
    )
    assert [e["node"]["id"] for e in last["data"]["machines"]["edges"]] == expected[-2:]


async def test_bad_pagination_arguments_are_clear_errors(api_server: ApiServer) -> None:
    body = await api_server.gql("{ machines(first: 100000) { totalCount } }")
    assert "between 0 and" in body["errors"][0]["message"]
    body = await api_server.gql('{ machines(after: "not-a-cursor") { totalCount } }')
    assert "invalid cursor" in body["errors"][0]["message"]


async def test_work_orders_filter_and_order(api_graph: ApiGraph, api_server: ApiServer) -> None:
    machine = (await _ids(api_graph, "MATCH (m:Machine) RETURN m.id AS id ORDER BY m.id"))[0]
    expected = await _ids(
        api_graph,
        "MATCH (w:WorkOrder)-[:HAS_OPERATION]->(:Operation)-[:RUNS_ON]->(:Machine {id: $m}) "
        "WHERE w.status IN ['completed'] RETURN DISTINCT w.id AS id, w.planned_start AS p "
        "ORDER BY p DESC, id DESC",
        m=machine,
    )
    query = """query($m: ID!) { workOrders(first: 100,
        filter: {machineId: $m, statuses: [COMPLETED]},
        orderBy: {field: PLANNED_START, direction: DESC}) {
        totalCount edges { node { id status } } } }"""
    body = await api_server.gql(query, {"m": machine}, role=Role.VIEWER)
    page = body["data"]["workOrders"]
    assert page["totalCount"] == len(expected) > 0
    assert [e["node"]["id"] for e in page["edges"]] == expected[:100]


async def test_lots_filter_by_text_and_status(api_graph: ApiGraph, api_server: ApiServer) -> None:
    row = (
        await api_graph.store.read(
            "MATCH (l:MaterialLot) WHERE l.supplier_lot IS NOT NULL "
            "RETURN l.supplier_lot AS s ORDER BY l.id LIMIT 1"
        )
    )[0]
    expected = await _ids(
        api_graph,
        "MATCH (l:MaterialLot) WHERE toLower(l.id) CONTAINS toLower($t) "
        "OR toLower(l.supplier_lot) CONTAINS toLower($t) RETURN l.id AS id ORDER BY id",
        t=row["s"],
    )
    body = await api_server.gql(
        "query($t: String) { materialLots(first: 500, filter: {text: $t}) "
        "{ totalCount edges { node { id supplierLot } } } }",
        {"t": row["s"]},
    )
    assert [e["node"]["id"] for e in body["data"]["materialLots"]["edges"]] == expected


async def test_nested_query_matches_the_graph(api_graph: ApiGraph, api_server: ApiServer) -> None:
    work_order = (
        await _ids(
            api_graph,
            "MATCH (w:WorkOrder)<-[:PRODUCED_BY]-(:Batch) RETURN w.id AS id ORDER BY id LIMIT 1",
        )
    )[0]
    operations = await api_graph.store.read(
        "MATCH (:WorkOrder {id: $w})-[:HAS_OPERATION]->(o)-[:RUNS_ON]->(m:Machine) "
        "RETURN o.id AS id, m.id AS machine ORDER BY o.sequence",
        {"w": work_order},
    )
    batches = await _ids(
        api_graph,
        "MATCH (b:Batch)-[:PRODUCED_BY]->(:WorkOrder {id: $w}) RETURN b.id AS id",
        w=work_order,
    )
    body = await api_server.gql(
        """query($id: ID!) { workOrder(id: $id) { id operations { id machine { id } }
           batches { id consumed { quantity lot { id } batch { id } } }
           progress { operationsTotal } } }""",
        {"id": work_order},
    )
    got = body["data"]["workOrder"]
    assert [(o["id"], o["machine"]["id"]) for o in got["operations"]] == [
        (r["id"], r["machine"]) for r in operations
    ]
    assert sorted(b["id"] for b in got["batches"]) == sorted(batches)
    assert got["progress"]["operationsTotal"] == len(operations)
    assert all(c["lot"] or c["batch"] for b in got["batches"] for c in b["consumed"])


async def test_node_by_id_and_unknown_id(api_graph: ApiGraph, api_server: ApiServer) -> None:
    lot = (await _ids(api_graph, "MATCH (l:MaterialLot) RETURN l.id AS id LIMIT 1"))[0]
    body = await api_server.gql(
        "query($id: ID!) { node(id: $id) { __typename ... on MaterialLot { id } } "
        'missing: node(id: "NO-SUCH") { __typename } }',
        {"id": lot},
    )
    assert body["data"] == {"node": {"__typename": "MaterialLot", "id": lot}, "missing": None}


async def test_trace_and_recall_match_the_graph_layer(
    api_graph: ApiGraph, api_server: ApiServer
) -> None:
    lot = (
        await _ids(
            api_graph,
            "MATCH (l:MaterialLot)<-[:CONSUMED]-(b:Batch) RETURN l.id AS id, count(b) AS c "
            "ORDER BY c DESC, id LIMIT 1",
        )
    )[0]
    direct = await genealogy.trace(api_graph.store, lot, TraceDirection.DOWNSTREAM, 10)
    body = await api_server.gql(
        """query($id: ID!) { trace(lotId: $id, direction: DOWNSTREAM, maxDepth: 10) {
            startIds nodeCount nodes { id label depth } edges { sourceId type targetId } }
            recallScope(lotId: $id) { batches customers shipments } }""",
        {"id": lot},
        role=Role.VIEWER,
    )
    trace = body["data"]["trace"]
    assert trace["startIds"] == [lot]
    assert {n["id"]: n["depth"] for n in trace["nodes"]} == direct.depths()
    assert len(trace["edges"]) == len(direct.edges)
    scope = await genealogy.recall_scope(api_graph.store, lot)
    assert body["data"]["recallScope"]["batches"] == scope.batches
    assert body["data"]["recallScope"]["customers"] == scope.customers


async def test_trace_errors_are_clear(api_server: ApiServer) -> None:
    body = await api_server.gql('{ trace(lotId: "NO-SUCH", direction: UPSTREAM) { nodeCount } }')
    assert "no batch or lot" in body["errors"][0]["message"]
    body = await api_server.gql(
        '{ trace(lotId: "NO-SUCH", direction: UPSTREAM, maxDepth: 1000) { nodeCount } }'
    )
    assert "maxDepth must be between" in body["errors"][0]["message"]


async def test_limits_refuse_deep_wide_and_huge_documents(api_server: ApiServer) -> None:
    deep = "{ workOrders { edges { node { batches { workOrder { batches { workOrder { batches {"
    deep += (
        " workOrder { batches { workOrder { batches { workOrder { id } } } } } } } } } } } } } }"
    )
    body = await api_server.gql(deep)
    assert "exceeds maximum operation depth" in body["errors"][0]["message"]
    aliases = "{ " + " ".join(f"a{i}: machines {{ totalCount }}" for i in range(40)) + " }"
    body = await api_server.gql(aliases)
    assert "aliases" in body["errors"][0]["message"].lower()
    huge = "{ machines { totalCount " + " ".join("totalCount" for _ in range(2500)) + " } }"
    body = await api_server.gql(huge)
    assert "token" in body["errors"][0]["message"].lower()


async def test_malformed_documents_get_syntax_errors(api_server: ApiServer) -> None:
    body = await api_server.gql("{ machines( }")
    assert "Syntax Error" in body["errors"][0]["message"]
    body = await api_server.gql("{ noSuchField }")
    assert "Cannot query field" in body["errors"][0]["message"]


async def test_trace_loads_properties_only_when_asked(
    api_graph: ApiGraph, api_server: ApiServer
) -> None:
    batch = (await _ids(api_graph, "MATCH (b:Batch)-[:CONSUMED]->() RETURN b.id AS id LIMIT 1"))[0]
    lean = await api_server.gql(
        "query($id: ID!) { trace(lotId: $id, direction: UPSTREAM) { nodes { id depth } } }",
        {"id": batch},
    )
    full = await api_server.gql(
        "query($id: ID!) { trace(lotId: $id, direction: UPSTREAM) "
        "{ nodes { id ...P } } } fragment P on TraceNode { properties }",
        {"id": batch},
    )
    nodes = {n["id"]: n["properties"] for n in full["data"]["trace"]["nodes"]}
    assert {n["id"] for n in lean["data"]["trace"]["nodes"]} == set(nodes)
    assert len(nodes) > 1
    assert all(props["id"] == node_id for node_id, props in nodes.items())


async def test_node_reaches_every_kind(api_graph: ApiGraph, api_server: ApiServer) -> None:
    rows = await api_graph.store.read(
        "MATCH (c:Customer) WITH c LIMIT 1 MATCH (o:Operation) WITH c, o LIMIT 1 "
        "RETURN c.id AS customer, o.id AS operation"
    )
    body = await api_server.gql(
        "query($c: ID!, $o: ID!) { c: node(id: $c) { __typename ... on Customer { id name } } "
        "o: node(id: $o) { __typename ... on Operation { id } } }",
        {"c": rows[0]["customer"], "o": rows[0]["operation"]},
    )
    assert body["data"]["c"]["__typename"] == "Customer"
    assert body["data"]["c"]["id"] == rows[0]["customer"]
    assert body["data"]["o"] == {"__typename": "Operation", "id": rows[0]["operation"]}


async def test_errors_are_counted_by_kind(api_server: ApiServer) -> None:
    base = api_server.url.removesuffix("/graphql")
    await api_server.gql("{ noSuchField }")
    await api_server.gql("{ machines(first: 1) { totalCount } }", role=None)
    async with httpx.AsyncClient() as client:
        metrics = (await client.get(f"{base}/metrics")).text
    assert 'factorygraph_graphql_errors_total{kind="validation"}' in metrics
    assert 'factorygraph_graphql_errors_total{kind="permission"}' in metrics
