"""WebSocket auth against a real `factorygraph serve`: both protocols, real clients.

The token travels in `connection_init` (`{"Authorization": "Bearer <t>"}` or
`{"token": "<t>"}`); a missing, wrong or revoked token closes with 4403. Protocol
misuse closes as strawberry does: 4401 for `subscribe` before the acknowledgement,
4408 when no `connection_init` comes in time (graphql-transport-ws only).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from domain.auth import Role
from graph import tokens
from tests.integration.api.conftest import ApiGraph, ApiServer, start_service, stop_service
from tests.integration.api.graphql_ws_client import (
    LEGACY_WS,
    MACHINE_EVENTS,
    PROTOCOLS,
    TRANSPORT_WS,
    active_subscriptions,
    authenticated,
    wait_for_subscriptions,
    ws_connect,
)

RISK_ALERTS = "subscription { riskAlerts(minSeverity: HIGH) { id severity message } }"


@pytest.fixture(scope="module")
def anonymous_server(api_graph: ApiGraph) -> Iterator[str]:
    """A second service on the same graph, started with --allow-anonymous-read."""
    process, base = start_service(api_graph.data_dir, "--allow-anonymous-read")
    yield base.replace("http", "ws") + "/graphql"
    stop_service(process)


@pytest.mark.parametrize("protocol", PROTOCOLS)
@pytest.mark.parametrize("shape", ["authorization", "token"])
async def test_a_valid_token_in_connection_init_is_acknowledged(
    api_server: ApiServer, protocol: str, shape: str
) -> None:
    token = api_server.tokens[Role.VIEWER]
    payload = {"Authorization": f"Bearer {token}"} if shape == "authorization" else {"token": token}
    before = await active_subscriptions(api_server.url)
    async with ws_connect(api_server.ws_url, protocol) as client:
        assert (await client.init(payload))["type"] == "connection_ack"
        # and the connection then serves the viewer: a subscription starts
        await client.subscribe("m", MACHINE_EVENTS, {"ids": ["no-such-machine"]})
        await wait_for_subscriptions(api_server.url, before + 1)
        if protocol == TRANSPORT_WS:  # only graphql-transport-ws runs queries too
            await client.subscribe("q", "{ machines(first: 1) { totalCount } }")
            assert (await client.next_data("q"))["machines"]["totalCount"] > 0
    await wait_for_subscriptions(api_server.url, before)


@pytest.mark.parametrize("protocol", PROTOCOLS)
@pytest.mark.parametrize(
    "payload",
    [
        {"Authorization": "Bearer fgt_0000000000000000.wrong"},
        {"token": "not-a-token"},
        {"Authorization": "Basic dXNlcjpwYXNz"},
        {},
        None,
    ],
    ids=["unknown", "malformed", "not-bearer", "empty", "no-payload"],
)
async def test_a_missing_or_bad_token_closes_with_4403(
    api_server: ApiServer, protocol: str, payload: dict[str, str] | None
) -> None:
    async with ws_connect(api_server.ws_url, protocol) as client:
        await client.send(
            {"type": "connection_init", **({"payload": payload} if payload is not None else {})}
        )
        if protocol == LEGACY_WS:  # the legacy protocol says why before closing
            message = await client.receive()
            assert message["type"] == "connection_error"
            assert "message" in message["payload"]
        closed = await client.closed()
    assert (closed.code, closed.reason) == (4403, "Forbidden")


@pytest.mark.parametrize("protocol", PROTOCOLS)
async def test_a_revoked_token_is_refused(
    api_server: ApiServer, api_graph: ApiGraph, protocol: str
) -> None:
    token = await tokens.create_token(api_graph.store, "revoked soon", Role.VIEWER)
    await tokens.revoke_token(api_graph.store, token.removeprefix(tokens.PREFIX).split(".")[0])
    async with ws_connect(api_server.ws_url, protocol) as client:
        await client.send({"type": "connection_init", "payload": {"token": token}})
        closed = await client.closed()
    assert closed.code == 4403


@pytest.mark.parametrize("protocol", PROTOCOLS)
async def test_subscribing_before_connection_init_closes_with_4401(
    api_server: ApiServer, protocol: str
) -> None:
    async with ws_connect(api_server.ws_url, protocol) as client:
        await client.subscribe("1", MACHINE_EVENTS)
        closed = await client.closed()
    assert (closed.code, closed.reason) == (4401, "Unauthorized")


async def test_no_connection_init_in_time_closes_with_4408(api_server: ApiServer) -> None:
    async with ws_connect(api_server.ws_url, TRANSPORT_WS) as client:
        closed = await client.closed(within=15)  # the service allows 5 s
    assert (closed.code, closed.reason) == (4408, "Connection initialisation timeout")


@pytest.mark.parametrize("protocol", PROTOCOLS)
@pytest.mark.parametrize("role", [Role.VIEWER, Role.OPERATOR])
async def test_risk_alerts_refuse_roles_other_than_planner_and_quality(
    api_server: ApiServer, protocol: str, role: Role
) -> None:
    async with authenticated(api_server.ws_url, api_server.tokens[role], protocol) as client:
        await client.subscribe("r", RISK_ALERTS)
        message = await client.receive()
        assert message["type"] == "error" and message["id"] == "r"
        errors = message["payload"]
        errors = errors if isinstance(errors, list) else [errors]
        assert "forbidden" in errors[0]["message"]
        # the connection stays usable: a permitted subscription still starts
        await client.subscribe("m", MACHINE_EVENTS, {"ids": ["no-such-machine"]})
        await client.stop("m")


@pytest.mark.parametrize("role", [Role.PLANNER, Role.QUALITY, Role.ADMIN])
async def test_risk_alerts_admit_planner_quality_and_admin(
    api_server: ApiServer, role: Role
) -> None:
    before = await active_subscriptions(api_server.url)
    async with authenticated(api_server.ws_url, api_server.tokens[role]) as client:
        await client.subscribe("r", RISK_ALERTS)
        await wait_for_subscriptions(api_server.url, before + 1)
        await client.stop("r")
        await wait_for_subscriptions(api_server.url, before)


@pytest.mark.parametrize("protocol", PROTOCOLS)
async def test_anonymous_reads_never_extend_to_subscriptions(
    anonymous_server: str, protocol: str
) -> None:
    async with ws_connect(anonymous_server, protocol) as client:
        # without a token the connection is admitted (queries are open on this server) ...
        assert (await client.init({}))["type"] == "connection_ack"
        if protocol == TRANSPORT_WS:
            await client.subscribe("q", "{ __typename }")
            assert await client.next_data("q") == {"__typename": "Query"}
        else:  # the legacy protocol runs subscriptions only, and says so
            await client.subscribe("q", "{ __typename }")
            message = await client.receive()
            assert message["type"] == "error"
            assert message["payload"]["message"] == "queries are not allowed"
        # ... but no subscription field is
        for op_id, query in (("m", MACHINE_EVENTS), ("r", RISK_ALERTS)):
            await client.subscribe(op_id, query)
            message = await client.receive()
            while message.get("type") == "complete":  # the query's completion
                message = await client.receive()
            assert message["type"] == "error" and message["id"] == op_id, message
    # a bad token is still refused there
    async with ws_connect(anonymous_server, protocol) as client:
        await client.send({"type": "connection_init", "payload": {"token": "fgt_x.y"}})
        closed = await client.closed()
    assert closed.code == 4403
