"""Several replicas, one feed: the Redis pub/sub bus, on the embedded FalkorDB (a Redis server)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator

import pytest

from bench.service import start_service, stop_service
from domain.auth import Role
from graph.server import ServerAddress
from resolvers.redis_bus import RedisBus
from tests.integration.api.conftest import ApiGraph, ApiServer
from tests.integration.api.graphql_ws_client import (
    MACHINE_EVENTS,
    RECORD_STATE,
    authenticated,
    next_instant,
    wait_for_subscriptions,
)

pytestmark = pytest.mark.asyncio(loop_scope="session")


def _url(graph: ApiGraph) -> str:
    address: ServerAddress = graph.store.address  # type: ignore[attr-defined]
    return f"redis://:{address.password}@{address.host}:{address.port}/0"


@pytest.fixture
async def buses(api_graph: ApiGraph) -> AsyncIterator[tuple[RedisBus, RedisBus]]:
    one, two = RedisBus.from_url(_url(api_graph)), RedisBus.from_url(_url(api_graph))
    await one.start()
    await two.start()
    yield one, two
    await one.aclose()
    await two.aclose()


async def test_an_event_published_on_one_replica_reaches_the_other(
    buses: tuple[RedisBus, RedisBus],
) -> None:
    one, two = buses
    here, there = one.subscribe("test-topic"), two.subscribe("test-topic")
    receiving = [asyncio.ensure_future(anext(s)) for s in (here, there)]
    for _ in range(500):  # subscriptions register when their iteration starts
        if one.subscriber_count() == two.subscriber_count() == 1:
            break
        await asyncio.sleep(0.01)
    event = {"machineId": "M1", "note": 'quotes " and é', "at": 1_700_000_000_000}
    await one.publish("test-topic", event)
    got = await asyncio.wait_for(asyncio.gather(*receiving), 5)
    assert got == [event, event]
    await here.aclose()
    await there.aclose()


@pytest.fixture
def replicas(api_graph: ApiGraph, api_server: ApiServer) -> Iterator[tuple[str, str]]:
    """Two more services on the same graph sharing a Redis bus; their GraphQL URLs."""
    env = {"FACTORYGRAPH_BUS_URL": _url(api_graph)}
    first, first_url = start_service(api_graph.data_dir, env=env)
    second, second_url = start_service(api_graph.data_dir, env=env)
    yield f"{first_url}/graphql", f"{second_url}/graphql"
    stop_service(first)
    stop_service(second)


async def test_a_mutation_on_one_replica_reaches_subscribers_of_another(
    api_server: ApiServer, replicas: tuple[str, str]
) -> None:
    writer_url, reader_url = replicas
    machine = "M-0011"
    token = api_server.tokens[Role.VIEWER]
    reader_ws = reader_url.replace("http", "ws")
    async with authenticated(reader_ws, token) as client:
        await client.subscribe("s", MACHINE_EVENTS, {"ids": [machine]})
        await wait_for_subscriptions(reader_url, 1)
        writer = ApiServer(writer_url, "", api_server.tokens, api_server.process)
        for state in ("OUT_OF_SERVICE", "EXECUTING"):
            at = next_instant()
            body = await writer.gql(
                RECORD_STATE, {"machineId": machine, "state": state, "at": at.isoformat()}
            )
            assert "errors" not in body, body
            if body["data"]["recordMachineState"]["outcome"] != "CHANGED":
                continue
            data = await client.next_data("s")
            assert data["machineStateChanged"]["machineId"] == machine
            assert data["machineStateChanged"]["state"] == state
