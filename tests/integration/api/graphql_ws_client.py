"""A small client of both GraphQL WebSocket protocols over `websockets`, for the API tests.

It speaks the wire messages directly (rather than through a GraphQL client library) so
tests can send what well-behaved clients never would: no `connection_init`, a bad token,
a subscription before the acknowledgement, a client that stops reading. The npm
`graphql-ws` client in `tests/conformance/` checks the same server independently.
"""

from __future__ import annotations

import asyncio
import json
import re
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import count
from typing import Any
from urllib.parse import urlparse

import httpx
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

TRANSPORT_WS = "graphql-transport-ws"
LEGACY_WS = "graphql-ws"
PROTOCOLS = (TRANSPORT_WS, LEGACY_WS)
TIMEOUT_S = 10.0

_START = {TRANSPORT_WS: "subscribe", LEGACY_WS: "start"}
_STOP = {TRANSPORT_WS: "complete", LEGACY_WS: "stop"}
_NEXT = {TRANSPORT_WS: "next", LEGACY_WS: "data"}


@dataclass
class Closed:
    code: int | None
    reason: str


class GraphQLWS:
    """One WebSocket connection speaking `protocol`."""

    def __init__(self, ws: ClientConnection, protocol: str) -> None:
        self.ws = ws
        self.protocol = protocol

    async def send(self, message: dict[str, Any]) -> None:
        await self.ws.send(json.dumps(message))

    async def receive(self, within: float = TIMEOUT_S) -> dict[str, Any]:
        """The next protocol message (legacy keep-alives skipped); raises ConnectionClosed."""
        while True:
            raw = await asyncio.wait_for(self.ws.recv(), within)
            message: dict[str, Any] = json.loads(raw)
            if message.get("type") != "ka":
                return message

    async def init(self, payload: dict[str, Any] | None) -> dict[str, Any]:
        """Send `connection_init`; the server's answer (ack or, legacy, connection_error)."""
        message: dict[str, Any] = {"type": "connection_init"}
        if payload is not None:
            message["payload"] = payload
        await self.send(message)
        return await self.receive()

    async def subscribe(
        self, op_id: str, query: str, variables: dict[str, Any] | None = None
    ) -> None:
        payload = {"query": query, "variables": variables or {}}
        await self.send({"id": op_id, "type": _START[self.protocol], "payload": payload})

    async def stop(self, op_id: str) -> None:
        await self.send({"id": op_id, "type": _STOP[self.protocol]})

    async def next_data(self, op_id: str | None = None, within: float = TIMEOUT_S) -> Any:
        """The `data` of the next result; fails on an error or completion."""
        message = await self.receive(within)
        assert message.get("type") == _NEXT[self.protocol], message
        if op_id is not None:
            assert message["id"] == op_id, message
        assert "errors" not in message["payload"], message
        return message["payload"]["data"]

    async def closed(self, within: float = TIMEOUT_S) -> Closed:
        """Read (and drop) messages until the server closes; its close code and reason."""

        async def drain() -> Closed:
            try:
                while True:
                    await self.ws.recv()
            except ConnectionClosed as exc:
                received = exc.rcvd
                return Closed(
                    received.code if received else None, received.reason if received else ""
                )

        return await asyncio.wait_for(drain(), within)


@asynccontextmanager
async def ws_connect(
    url: str, protocol: str = TRANSPORT_WS, *, receive_buffer: int | None = None, **kwargs: Any
) -> AsyncIterator[GraphQLWS]:
    """A connection speaking `protocol`; `receive_buffer` shrinks the socket's SO_RCVBUF."""
    sock = None
    if receive_buffer is not None:
        parsed = urlparse(url)
        sock = socket.socket()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, receive_buffer)
        sock.setblocking(False)
        await asyncio.get_running_loop().sock_connect(sock, (parsed.hostname, parsed.port))
    async with connect(
        url, subprotocols=[protocol], sock=sock, open_timeout=TIMEOUT_S, **kwargs
    ) as ws:
        assert ws.subprotocol == protocol
        yield GraphQLWS(ws, protocol)


@asynccontextmanager
async def authenticated(
    url: str, token: str, protocol: str = TRANSPORT_WS, **kwargs: Any
) -> AsyncIterator[GraphQLWS]:
    """A connection past `connection_init` with `token`."""
    async with ws_connect(url, protocol, **kwargs) as client:
        ack = await client.init({"Authorization": f"Bearer {token}"})
        assert ack["type"] == "connection_ack", ack
        yield client


_GAUGE = re.compile(r"^factorygraph_active_subscriptions (\S+)$", re.MULTILINE)


async def active_subscriptions(graphql_url: str) -> int:
    """The service's `factorygraph_active_subscriptions` gauge, from /metrics."""
    async with httpx.AsyncClient(timeout=TIMEOUT_S) as client:
        text = (await client.get(graphql_url.replace("/graphql", "/metrics"))).text
    found = _GAUGE.search(text)
    assert found, text
    return int(float(found.group(1)))


async def wait_for_subscriptions(
    graphql_url: str, expected: int, within: float = TIMEOUT_S
) -> None:
    """Poll /metrics until the gauge reads `expected` (fails after `within` seconds)."""
    deadline = asyncio.get_running_loop().time() + within
    while True:
        current = await active_subscriptions(graphql_url)
        if current == expected:
            return
        assert asyncio.get_running_loop().time() < deadline, (
            f"active subscriptions {current}, expected {expected}"
        )
        await asyncio.sleep(0.05)


_TICKS = count(1)
_BASE = datetime.now(UTC).replace(microsecond=0) + timedelta(days=1)


def next_instant() -> datetime:
    """Strictly increasing instants (ms apart) for state readings within this test process."""
    return _BASE + timedelta(milliseconds=next(_TICKS))


RECORD_STATE = """
mutation Record($machineId: ID!, $state: MachineState!, $at: DateTime!) {
  recordMachineState(machineId: $machineId, state: $state, at: $at) {
    __typename
    ... on MachineStateRecorded { outcome change { machineId state previousState at } }
    ... on UserError { message }
  }
}
"""

MACHINE_EVENTS = """
subscription Machines($ids: [ID!]) {
  machineStateChanged(machineIds: $ids) { machineId state previousState at }
}
"""
