"""Subscribers of the same subscription share one execution of each event."""

from __future__ import annotations

import asyncio
from typing import Any

from domain.auth import Principal, Role
from resolvers.api import Api
from resolvers.context import RequestContext
from resolvers.events import InProcessBus
from resolvers.topics import MACHINE_STATE_CHANGED
from schema.root import build_schema

QUERY = "subscription($m: [ID!]) { machineStateChanged(machineIds: $m) { machineId state at } }"


async def _next(stream: Any) -> Any:
    return await asyncio.wait_for(stream.__anext__(), 5)


async def test_same_subscription_shares_each_events_result() -> None:
    schema = build_schema()
    bus = InProcessBus()

    def context() -> RequestContext:
        principal = Principal("t", "t", Role.VIEWER)
        return RequestContext(store=None, bus=bus, principal=principal, loaders=None, api=Api())  # type: ignore[arg-type]

    streams = [
        await schema.subscribe(QUERY, {"m": ["M1"]}, context_value=context()) for _ in range(3)
    ]
    other = await schema.subscribe(QUERY, {"m": ["M1", "M2"]}, context_value=context())
    pending = [asyncio.ensure_future(_next(s)) for s in [*streams, other]]
    for _ in range(500):
        if bus.subscriber_count() == 4:
            break
        await asyncio.sleep(0.01)
    await bus.publish(
        MACHINE_STATE_CHANGED,
        {"machineId": "M1", "state": "executing", "previousState": None, "at": 1_700_000_000_000},
    )
    results = await asyncio.gather(*pending)
    assert all(r.errors is None for r in results)
    assert results[0].data == {
        "machineStateChanged": {
            "machineId": "M1",
            "state": "EXECUTING",
            "at": "2023-11-14T22:13:20+00:00",
        }
    }
    first, second, third, different = (r.data for r in results)
    assert first is second is third  # executed once for the three identical subscriptions
    assert different == first and different is not first  # other variables: own execution
    for stream in [*streams, other]:
        await stream.aclose()
