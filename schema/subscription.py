"""The root Subscription: live feeds over WebSocket (`graphql-transport-ws`, legacy `graphql-ws`).

Who may subscribe (checked once, when a subscription starts; `admin` passes every check):

- `machineStateChanged`, `workOrderProgress`, `qualityEvents`: any token (viewer, operator,
  quality, planner);
- `riskAlerts`: planner and quality (alerts name the customers' orders at risk).

Anonymous callers never subscribe, even on a server started with `--allow-anonymous-read`.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from contextlib import aclosing
from typing import Any

import strawberry
from strawberry.permission import BasePermission

from domain.auth import Role
from schema.enums import Severity
from schema.events import (
    MachineStateEvent,
    QualityEventNotice,
    RiskAlertEvent,
    WorkOrderProgressEvent,
)
from schema.permissions import requires

ANY_TOKEN: list[type[BasePermission]] = [
    requires(Role.VIEWER, Role.OPERATOR, Role.QUALITY, Role.PLANNER)
]
RISK_READERS: list[type[BasePermission]] = [requires(Role.PLANNER, Role.QUALITY)]


def _subscriptions(info: strawberry.Info) -> Any:
    return info.context.api.subscriptions


@strawberry.type
class Subscription:
    @strawberry.subscription(
        permission_classes=ANY_TOKEN,
        description="Machine state transitions; only the machines named, or all of them.",
    )
    async def machine_state_changed(
        self, info: strawberry.Info, machine_ids: list[strawberry.ID] | None = None
    ) -> AsyncGenerator[MachineStateEvent, None]:
        ids = None if machine_ids is None else [str(i) for i in machine_ids]
        async with aclosing(_subscriptions(info).machine_state_changed(info, ids)) as events:
            async for event in events:
                yield event

    @strawberry.subscription(permission_classes=ANY_TOKEN, description="Quality events.")
    async def quality_events(
        self, info: strawberry.Info
    ) -> AsyncGenerator[QualityEventNotice, None]:
        async with aclosing(_subscriptions(info).quality_events(info)) as events:
            async for event in events:
                yield event

    @strawberry.subscription(
        permission_classes=ANY_TOKEN,
        description="Progress of one work order, or of every work order.",
    )
    async def work_order_progress(
        self, info: strawberry.Info, work_order_id: strawberry.ID | None = None
    ) -> AsyncGenerator[WorkOrderProgressEvent, None]:
        wanted = None if work_order_id is None else str(work_order_id)
        async with aclosing(_subscriptions(info).work_order_progress(info, wanted)) as events:
            async for event in events:
                yield event

    @strawberry.subscription(
        permission_classes=RISK_READERS,
        description="Risk alerts at or above `minSeverity` (all of them without it).",
    )
    async def risk_alerts(
        self,
        info: strawberry.Info,
        min_severity: Severity | None = None,  # type: ignore[valid-type]
    ) -> AsyncGenerator[RiskAlertEvent, None]:
        async with aclosing(_subscriptions(info).risk_alerts(info, min_severity)) as events:
            async for event in events:
                yield event
