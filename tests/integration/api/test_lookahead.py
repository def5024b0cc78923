"""The look-ahead loads a page's nested levels first, so graphql-core awaits nothing below it.

Same answer with and without it, the same round trips, and what `@skip`/`@include`
leave out is not loaded.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

import resolvers.api
from domain.auth import Role
from schema.deferred import Pending
from tests.integration.api.conftest import ApiGraph

pytestmark = pytest.mark.asyncio(loop_scope="session")

PAGE = """query($n: Int, $withBatches: Boolean!) { workOrders(first: $n) { edges { node {
    id status progress { producedQuantity operationsDone }
    operations { id sequence machine { id name state line { id name } } }
    batches @include(if: $withBatches) { id status consumed { quantity lot { id } } } } } } }"""


async def _ask(client: httpx.AsyncClient, token: str, with_batches: bool = True) -> dict[str, Any]:
    response = await client.post(
        "/graphql",
        json={"query": PAGE, "variables": {"n": 60, "withBatches": with_batches}},
        headers={"Authorization": f"Bearer {token}"},
    )
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body
    return body


@pytest.fixture
def awaited(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the `Pending` results graphql-core had to await."""
    count = [0]
    original = Pending.__await__

    def counting(self: Pending[Any]) -> Any:
        count[0] += 1
        return original(self)

    monkeypatch.setattr(Pending, "__await__", counting)
    return count


async def test_nested_fields_resolve_without_awaiting_and_answer_the_same(
    in_process_client: httpx.AsyncClient,
    api_tokens: dict[Role, str],
    awaited: list[int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    token = api_tokens[Role.VIEWER]
    with_lookahead = await _ask(in_process_client, token)
    assert awaited[0] == 0
    edges = with_lookahead["data"]["workOrders"]["edges"]
    assert len(edges) == 60
    assert any(e["node"]["batches"] and e["node"]["operations"] for e in edges)

    async def no_lookahead(info: Any, objects: list[Any]) -> None:
        return None

    monkeypatch.setattr(resolvers.api, "prefetch_page", no_lookahead)
    without = await _ask(in_process_client, token)
    assert awaited[0] > 0  # the same fields, each awaited when nothing was loaded ahead
    assert without == with_lookahead


async def test_excluded_fields_are_not_loaded(
    in_process_client: httpx.AsyncClient, api_graph: ApiGraph, api_tokens: dict[Role, str]
) -> None:
    token = api_tokens[Role.VIEWER]
    await _ask(in_process_client, token)  # warm the token cache
    before = api_graph.store.round_trips
    with_batches = await _ask(in_process_client, token, with_batches=True)
    middle = api_graph.store.round_trips
    without_batches = await _ask(in_process_client, token, with_batches=False)
    after = api_graph.store.round_trips
    assert "batches" not in without_batches["data"]["workOrders"]["edges"][0]["node"]
    assert with_batches["data"]["workOrders"]["edges"][0]["node"]["batches"] is not None
    # Without batches: no batch level and no consumed-lot/batch levels (progress still
    # loads batches, so the batch level itself stays).
    assert after - middle < middle - before
