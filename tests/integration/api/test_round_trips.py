"""No N+1: a nested query costs the same number of graph round trips for 2 rows or 100.

Runs the app in this process (same graph) so the store's `round_trips` counter sees
every statement the request causes. The look-ahead (`resolvers.lookahead`) loads the
same levels before graphql-core walks the page, so the count is unchanged by it.
"""

from __future__ import annotations

import httpx
import pytest

from domain.auth import Role
from tests.integration.api.conftest import ApiGraph

pytestmark = pytest.mark.asyncio(loop_scope="session")

NESTED = """query($n: Int) { workOrders(first: $n) { totalCount edges { node {
    id operations { id machine { id name line { id } } }
    batches { id consumed { quantity lot { id } } } } } } }"""


async def _round_trips(
    client: httpx.AsyncClient, api_graph: ApiGraph, token: str, size: int
) -> tuple[int, int]:
    before = api_graph.store.round_trips
    response = await client.post(
        "/graphql",
        json={"query": NESTED, "variables": {"n": size}},
        headers={"Authorization": f"Bearer {token}"},
    )
    body = response.json()
    assert "errors" not in body, body
    rows = len(body["data"]["workOrders"]["edges"])
    return api_graph.store.round_trips - before, rows


async def test_round_trips_grow_with_depth_not_with_list_size(
    in_process_client: httpx.AsyncClient, api_graph: ApiGraph, api_tokens: dict[Role, str]
) -> None:
    token = api_tokens[Role.VIEWER]
    client = in_process_client
    await _round_trips(client, api_graph, token, 1)  # warm the token cache
    small, small_rows = await _round_trips(client, api_graph, token, 2)
    large, large_rows = await _round_trips(client, api_graph, token, 100)
    assert (small_rows, large_rows) == (2, 100)
    assert small == large
    # page + count, then one statement per nested level: operations, machine, line,
    # batches, consumed lots and consumed batches.
    assert large <= 8, large
