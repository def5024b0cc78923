"""Root fields of the ERP view, the twin view's alerts and predictions, and OEE.

By-id fields use `info.context.api.one` (`resolvers.api.Api`, as every view does); the
others hand over to `info.context.api.erp` (`resolvers.erp.ErpApi`); `schema.root`
merges this type into `Query`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import strawberry
from strawberry.permission import BasePermission

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
from schema.erp_inputs import (
    CustomerFilter,
    CustomerOrder,
    MaterialFilter,
    MaterialOrder,
    PredictionFilter,
    PredictionOrder,
    ProductFilter,
    ProductOrder,
    PurchaseOrderFilter,
    PurchaseOrderOrder,
    RiskAlertFilter,
    RiskAlertOrder,
    SalesOrderFilter,
    SalesOrderOrder,
    SupplierFilter,
    SupplierOrder,
)
from schema.oee import Oee
from schema.permissions import Authenticated
from schema.relay import Connection
from schema.shift_oee import ShiftOeeReport

READ: list[type[BasePermission]] = [Authenticated]


def _erp(info: strawberry.Info) -> Any:
    return info.context.api.erp


@strawberry.type
class ErpQuery:
    # --- by id ---------------------------------------------------------------------------
    @strawberry.field(permission_classes=READ)
    async def customer(self, info: strawberry.Info, id: strawberry.ID) -> Customer | None:
        return await info.context.api.one(info, "Customer", str(id))  # type: ignore[no-any-return]

    @strawberry.field(permission_classes=READ)
    async def sales_order(self, info: strawberry.Info, id: strawberry.ID) -> SalesOrder | None:
        return await info.context.api.one(info, "SalesOrder", str(id))  # type: ignore[no-any-return]

    @strawberry.field(permission_classes=READ)
    async def product(self, info: strawberry.Info, id: strawberry.ID) -> Product | None:
        return await info.context.api.one(info, "Product", str(id))  # type: ignore[no-any-return]

    @strawberry.field(permission_classes=READ)
    async def material(self, info: strawberry.Info, id: strawberry.ID) -> Material | None:
        return await info.context.api.one(info, "Material", str(id))  # type: ignore[no-any-return]

    @strawberry.field(permission_classes=READ)
    async def supplier(self, info: strawberry.Info, id: strawberry.ID) -> Supplier | None:
        return await info.context.api.one(info, "Supplier", str(id))  # type: ignore[no-any-return]

    @strawberry.field(permission_classes=READ)
    async def purchase_order(
        self, info: strawberry.Info, id: strawberry.ID
    ) -> PurchaseOrder | None:
        return await info.context.api.one(info, "PurchaseOrder", str(id))  # type: ignore[no-any-return]

    @strawberry.field(permission_classes=READ)
    async def risk_alert(self, info: strawberry.Info, id: strawberry.ID) -> RiskAlert | None:
        return await info.context.api.one(info, "RiskAlert", str(id))  # type: ignore[no-any-return]

    # --- lists (Relay connections) ------------------------------------------------------
    @strawberry.field(permission_classes=READ)
    async def customers(
        self,
        info: strawberry.Info,
        filter: CustomerFilter | None = None,
        order_by: CustomerOrder | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Customer]:
        return await _erp(info).page(  # type: ignore[no-any-return]
            info, "Customer", filter, order_by, first, after, last, before
        )

    @strawberry.field(permission_classes=READ)
    async def sales_orders(
        self,
        info: strawberry.Info,
        filter: SalesOrderFilter | None = None,
        order_by: SalesOrderOrder | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[SalesOrder]:
        return await _erp(info).page(  # type: ignore[no-any-return]
            info, "SalesOrder", filter, order_by, first, after, last, before
        )

    @strawberry.field(permission_classes=READ)
    async def products(
        self,
        info: strawberry.Info,
        filter: ProductFilter | None = None,
        order_by: ProductOrder | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Product]:
        return await _erp(info).page(  # type: ignore[no-any-return]
            info, "Product", filter, order_by, first, after, last, before
        )

    @strawberry.field(permission_classes=READ)
    async def materials(
        self,
        info: strawberry.Info,
        filter: MaterialFilter | None = None,
        order_by: MaterialOrder | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Material]:
        return await _erp(info).page(  # type: ignore[no-any-return]
            info, "Material", filter, order_by, first, after, last, before
        )

    @strawberry.field(permission_classes=READ)
    async def suppliers(
        self,
        info: strawberry.Info,
        filter: SupplierFilter | None = None,
        order_by: SupplierOrder | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Supplier]:
        return await _erp(info).page(  # type: ignore[no-any-return]
            info, "Supplier", filter, order_by, first, after, last, before
        )

    @strawberry.field(permission_classes=READ)
    async def purchase_orders(
        self,
        info: strawberry.Info,
        filter: PurchaseOrderFilter | None = None,
        order_by: PurchaseOrderOrder | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[PurchaseOrder]:
        return await _erp(info).page(  # type: ignore[no-any-return]
            info, "PurchaseOrder", filter, order_by, first, after, last, before
        )

    @strawberry.field(permission_classes=READ)
    async def risk_alerts(
        self,
        info: strawberry.Info,
        filter: RiskAlertFilter | None = None,
        order_by: RiskAlertOrder | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[RiskAlert]:
        return await _erp(info).page(  # type: ignore[no-any-return]
            info, "RiskAlert", filter, order_by, first, after, last, before
        )

    @strawberry.field(
        permission_classes=READ,
        description="Model predictions (none until the prediction model writes them).",
    )
    async def predictions(
        self,
        info: strawberry.Info,
        filter: PredictionFilter | None = None,
        order_by: PredictionOrder | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Prediction]:
        return await _erp(info).page(  # type: ignore[no-any-return]
            info, "Prediction", filter, order_by, first, after, last, before
        )

    # --- OEE ------------------------------------------------------------------------------
    @strawberry.field(
        permission_classes=READ,
        description=(
            "OEE of a machine over `[from, to)` (ISO 22400-2) with its inputs; "
            "null when there is no such machine."
        ),
    )
    async def oee(
        self,
        info: strawberry.Info,
        machine_id: strawberry.ID,
        start: Annotated[datetime, strawberry.argument(name="from")],
        end: Annotated[datetime, strawberry.argument(name="to")],
    ) -> Oee | None:
        return await _erp(info).oee(info, str(machine_id), start, end)  # type: ignore[no-any-return]

    @strawberry.field(
        permission_classes=READ,
        description=(
            "OEE per machine per shift (ISO 22400-2, planned busy time from the shift "
            "calendar) for the machines named and those of the line, over every shift that "
            "overlaps `[from, to)` (at most 31 days), with roll-ups per machine, per shift "
            "and in total that add times and counts."
        ),
    )
    async def shift_oee(
        self,
        info: strawberry.Info,
        start: Annotated[datetime, strawberry.argument(name="from")],
        end: Annotated[datetime, strawberry.argument(name="to")],
        machine_ids: list[strawberry.ID] | None = None,
        line_id: strawberry.ID | None = None,
    ) -> ShiftOeeReport:
        return await _erp(info).shift_oee(  # type: ignore[no-any-return]
            info,
            None if machine_ids is None else [str(i) for i in machine_ids],
            None if line_id is None else str(line_id),
            start,
            end,
        )
