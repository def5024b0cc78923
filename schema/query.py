"""The root Query: ERP, MES and twin views. Each field hands over to `info.context.api`.

The schema package holds types only; what a field does lives in `resolvers.api.Api`,
which the app puts on the request context (so `schema/` never imports the graph).
"""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.permission import BasePermission

from schema.enums import TraceDirection
from schema.erp import (
    Customer,
    Material,
    Prediction,
    Product,
    PurchaseOrder,
    RiskAlert,
    SalesOrder,
    Supplier,
)
from schema.inputs import (
    BatchFilter,
    BatchOrder,
    MachineFilter,
    MachineOrder,
    MaterialLotFilter,
    MaterialLotOrder,
    QualityEventFilter,
    QualityEventOrder,
    WorkOrderFilter,
    WorkOrderOrder,
)
from schema.mes import (
    Area,
    Batch,
    Line,
    Machine,
    MaterialLot,
    Operation,
    Operator,
    QualityEvent,
    Site,
    WorkOrder,
)
from schema.permissions import Authenticated
from schema.relay import Connection
from schema.twin import RecallScope, Trace

READ: list[type[BasePermission]] = [Authenticated]

Node = Annotated[
    Machine
    | WorkOrder
    | Operation
    | Batch
    | MaterialLot
    | QualityEvent
    | Site
    | Area
    | Line
    | Operator
    | Customer
    | SalesOrder
    | Product
    | Material
    | Supplier
    | PurchaseOrder
    | RiskAlert
    | Prediction,
    strawberry.union("Node", description="Any object with an id, as `node(id)` returns it."),
]


def _api(info: strawberry.Info) -> Any:
    return info.context.api


@strawberry.type
class Query:
    @strawberry.field(permission_classes=READ, description="Any object by its id.")
    async def node(self, info: strawberry.Info, id: strawberry.ID) -> Node | None:
        return await _api(info).node(info, str(id))  # type: ignore[no-any-return]

    @strawberry.field(permission_classes=READ, description="Sites with their areas and lines.")
    async def sites(self, info: strawberry.Info) -> list[Site]:
        return await _api(info).sites(info)  # type: ignore[no-any-return]

    @strawberry.field(permission_classes=READ)
    async def machine(self, info: strawberry.Info, id: strawberry.ID) -> Machine | None:
        return await _api(info).one(info, "Machine", str(id))  # type: ignore[no-any-return]

    @strawberry.field(permission_classes=READ)
    async def machines(
        self,
        info: strawberry.Info,
        filter: MachineFilter | None = None,
        order_by: MachineOrder | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Machine]:
        return await _api(info).page(  # type: ignore[no-any-return]
            info, "Machine", filter, order_by, first, after, last, before
        )

    @strawberry.field(permission_classes=READ)
    async def work_order(self, info: strawberry.Info, id: strawberry.ID) -> WorkOrder | None:
        return await _api(info).one(info, "WorkOrder", str(id))  # type: ignore[no-any-return]

    @strawberry.field(permission_classes=READ)
    async def work_orders(
        self,
        info: strawberry.Info,
        filter: WorkOrderFilter | None = None,
        order_by: WorkOrderOrder | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[WorkOrder]:
        return await _api(info).page(  # type: ignore[no-any-return]
            info, "WorkOrder", filter, order_by, first, after, last, before
        )

    @strawberry.field(permission_classes=READ)
    async def batches(
        self,
        info: strawberry.Info,
        filter: BatchFilter | None = None,
        order_by: BatchOrder | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Batch]:
        return await _api(info).page(  # type: ignore[no-any-return]
            info, "Batch", filter, order_by, first, after, last, before
        )

    @strawberry.field(permission_classes=READ)
    async def material_lots(
        self,
        info: strawberry.Info,
        filter: MaterialLotFilter | None = None,
        order_by: MaterialLotOrder | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[MaterialLot]:
        return await _api(info).page(  # type: ignore[no-any-return]
            info, "MaterialLot", filter, order_by, first, after, last, before
        )

    @strawberry.field(permission_classes=READ)
    async def quality_events(
        self,
        info: strawberry.Info,
        filter: QualityEventFilter | None = None,
        order_by: QualityEventOrder | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[QualityEvent]:
        return await _api(info).page(  # type: ignore[no-any-return]
            info, "QualityEvent", filter, order_by, first, after, last, before
        )

    @strawberry.field(
        permission_classes=READ,
        description="Genealogy from a lot or batch (id or supplier lot number).",
    )
    async def trace(
        self,
        info: strawberry.Info,
        lot_id: strawberry.ID,
        direction: TraceDirection,  # type: ignore[valid-type]
        max_depth: int | None = None,
    ) -> Trace:
        return await _api(info).trace(info, str(lot_id), direction, max_depth)  # type: ignore[no-any-return]

    @strawberry.field(permission_classes=READ, description="What a recall of this lot reaches.")
    async def recall_scope(self, info: strawberry.Info, lot_id: strawberry.ID) -> RecallScope:
        return await _api(info).recall_scope(info, str(lot_id))  # type: ignore[no-any-return]
