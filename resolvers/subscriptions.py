"""Subscription logic: topics on the event bus, filters, conversion; see `schema.subscription`.

Each field subscribes to one bus topic for as long as the client listens. Role checks are
permission classes on the fields (`schema.subscription`), run once when the subscription
starts. An event a publisher got wrong (a missing key, an unknown enum value) is logged
and skipped: it must not end every client's subscription.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import AsyncGenerator, Callable, Collection
from contextlib import aclosing
from typing import Any, TypeVar

import strawberry

from domain.states import Severity
from resolvers.events import Event
from resolvers.topics import (
    MACHINE_STATE_CHANGED,
    QUALITY_EVENTS,
    RISK_ALERTS,
    WORK_ORDER_PROGRESS,
)
from schema.events import (
    MachineStateEvent,
    QualityEventNotice,
    RiskAlertEvent,
    WorkOrderProgressEvent,
)

log = logging.getLogger(__name__)

T = TypeVar("T")

SEVERITY_RANK = {severity: rank for rank, severity in enumerate(Severity)}
"""low < medium < high < critical, in the order the enum declares them."""


_CONVERTED: OrderedDict[tuple[int, Callable[[Event], Any]], tuple[Event, Any]] = OrderedDict()
"""Recent conversions: every subscriber of a topic gets the bus's same event object, and
sharing the converted item lets the schema execute each event once per distinct query
(see `schema.shared_execution`)."""


def _converted(event: Event, convert: Callable[[Event], T]) -> T:
    key = (id(event), convert)
    found = _CONVERTED.get(key)
    if found is not None and found[0] is event:  # the event is kept, so its id is not reused
        return found[1]  # type: ignore[no-any-return]
    item = convert(event)
    _CONVERTED[key] = (event, item)
    while len(_CONVERTED) > 512:
        _CONVERTED.popitem(last=False)
    return item


async def _stream(
    info: strawberry.Info,
    topic: str,
    convert: Callable[[Event], T],
    keep: Callable[[Event], bool] = lambda _: True,
) -> AsyncGenerator[T, None]:
    async with aclosing(info.context.bus.subscribe(topic)) as events:
        async for event in events:
            try:
                if not keep(event):
                    continue
                item = _converted(event, convert)
            except (KeyError, TypeError, ValueError):
                log.exception("subscription.bad_event topic=%s", topic)
                continue
            yield item


class SubscriptionApi:
    """What `schema.subscription.Subscription` fields call (as `info.context.api.subscriptions`)."""

    def machine_state_changed(
        self, info: strawberry.Info, machine_ids: Collection[str] | None
    ) -> AsyncGenerator[MachineStateEvent, None]:
        wanted = None if machine_ids is None else frozenset(machine_ids)
        return _stream(
            info,
            MACHINE_STATE_CHANGED,
            MachineStateEvent.from_event,
            lambda e: wanted is None or e["machineId"] in wanted,
        )

    def quality_events(self, info: strawberry.Info) -> AsyncGenerator[QualityEventNotice, None]:
        return _stream(info, QUALITY_EVENTS, QualityEventNotice.from_event)

    def work_order_progress(
        self, info: strawberry.Info, work_order_id: str | None
    ) -> AsyncGenerator[WorkOrderProgressEvent, None]:
        return _stream(
            info,
            WORK_ORDER_PROGRESS,
            WorkOrderProgressEvent.from_event,
            lambda e: work_order_id is None or e["workOrderId"] == work_order_id,
        )

    def risk_alerts(
        self, info: strawberry.Info, min_severity: Any
    ) -> AsyncGenerator[RiskAlertEvent, None]:
        floor = 0 if min_severity is None else SEVERITY_RANK[Severity(min_severity)]
        return _stream(
            info,
            RISK_ALERTS,
            RiskAlertEvent.from_event,
            lambda e: SEVERITY_RANK[Severity(e["severity"])] >= floor,
        )
