"""The root Mutation: each field is role-checked and hands over to `info.context.api.mutations`.

Every field returns its `<Mutation>Result` union: the changed object, or a typed error
(`ValidationError`, `NotFoundError`, `ConflictError`) when nothing was written. A caller
without one of the field's roles gets a GraphQL error instead (anonymous callers never
pass; `admin` always does).
"""

from __future__ import annotations

from typing import Any

import strawberry

from domain.auth import Role
from schema.mutation_types import (
    AcknowledgeAlertResult,
    CreateSalesOrderInput,
    CreateSalesOrderResult,
    RecordProductionInput,
    RecordProductionResult,
    RecordQualityEventInput,
    RecordQualityEventResult,
    ReleaseWorkOrderResult,
)
from schema.permissions import requires


def _mutations(info: strawberry.Info) -> Any:
    return info.context.api.mutations


@strawberry.type
class Mutation:
    @strawberry.mutation(
        permission_classes=[requires(Role.PLANNER)],
        description="Create an open sales order (roles: planner).",
    )
    async def create_sales_order(
        self, info: strawberry.Info, input: CreateSalesOrderInput
    ) -> CreateSalesOrderResult:
        return await _mutations(info).create_sales_order(info, input)  # type: ignore[no-any-return]

    @strawberry.mutation(
        permission_classes=[requires(Role.PLANNER)],
        description="Release a planned work order to the shop floor (roles: planner).",
    )
    async def release_work_order(
        self, info: strawberry.Info, id: strawberry.ID
    ) -> ReleaseWorkOrderResult:
        return await _mutations(info).release_work_order(info, str(id))  # type: ignore[no-any-return]

    @strawberry.mutation(
        permission_classes=[requires(Role.OPERATOR)],
        description=(
            "Record a batch with the lots and batches it consumed: genealogy edges and lot "
            "quantities change together or not at all; a retry with the same idempotency "
            "key returns the first batch (roles: operator)."
        ),
    )
    async def record_production(
        self, info: strawberry.Info, input: RecordProductionInput
    ) -> RecordProductionResult:
        return await _mutations(info).record_production(info, input)  # type: ignore[no-any-return]

    @strawberry.mutation(
        permission_classes=[requires(Role.QUALITY)],
        description="Record a quality event about machines, batches or lots (roles: quality).",
    )
    async def record_quality_event(
        self, info: strawberry.Info, input: RecordQualityEventInput
    ) -> RecordQualityEventResult:
        return await _mutations(info).record_quality_event(info, input)  # type: ignore[no-any-return]

    @strawberry.mutation(
        permission_classes=[requires(Role.PLANNER, Role.QUALITY)],
        description="Acknowledge a risk alert; repeating it changes nothing (roles: planner, "
        "quality).",
    )
    async def acknowledge_alert(
        self, info: strawberry.Info, id: strawberry.ID
    ) -> AcknowledgeAlertResult:
        return await _mutations(info).acknowledge_alert(info, str(id))  # type: ignore[no-any-return]
