"""Filter and ordering inputs of the ERP and twin lists (one `filter` and one `orderBy` each).

Every filter has `ids` and `text` (case-insensitive "contains"); the rest are statuses,
time ranges and related-entity ids. Alerts cannot be ordered by severity: it is stored
as text, whose order (critical < high < low < medium) would mislead; filter by it instead.
"""

from __future__ import annotations

from enum import Enum

import strawberry

from schema.enums import (
    ProductKind,
    PurchaseOrderStatus,
    SalesOrderStatus,
    Severity,
    SortDirection,
)
from schema.relay import TimeRange


@strawberry.input(description="Customers by id, name/id text or country.")
class CustomerFilter:
    ids: list[strawberry.ID] | None = None
    text: str | None = strawberry.field(default=None, description="Contained in id or name.")
    countries: list[str] | None = strawberry.field(
        default=None, description="ISO 3166-1 alpha-2 codes."
    )


@strawberry.input(
    description="Sales orders by id, status, dates, customer, product, risk or lateness."
)
class SalesOrderFilter:
    ids: list[strawberry.ID] | None = None
    statuses: list[SalesOrderStatus] | None = None  # type: ignore[valid-type]
    due_at: TimeRange | None = None
    ordered_at: TimeRange | None = None
    text: str | None = strawberry.field(default=None, description="Contained in the id.")
    customer_id: strawberry.ID | None = None
    product_id: strawberry.ID | None = strawberry.field(
        default=None, description="Orders with a line for this product."
    )
    min_risk_severity: Severity | None = strawberry.field(  # type: ignore[valid-type]
        default=None,
        description="Orders with an unacknowledged risk alert of at least this severity.",
    )
    late: bool | None = strawberry.field(
        default=None,
        description="True: due date passed and still open or in production; false: the rest.",
    )


@strawberry.input(description="Products by id, kind, name/id text or component.")
class ProductFilter:
    ids: list[strawberry.ID] | None = None
    kinds: list[ProductKind] | None = None  # type: ignore[valid-type]
    text: str | None = strawberry.field(default=None, description="Contained in id or name.")
    material_id: strawberry.ID | None = strawberry.field(
        default=None, description="Products that use this material directly (one BOM level)."
    )
    component_product_id: strawberry.ID | None = strawberry.field(
        default=None, description="Products that use this product directly (one BOM level)."
    )


@strawberry.input(description="Materials by id, name/id text, supplier or using product.")
class MaterialFilter:
    ids: list[strawberry.ID] | None = None
    text: str | None = strawberry.field(default=None, description="Contained in id or name.")
    supplier_id: strawberry.ID | None = strawberry.field(
        default=None, description="Materials this supplier has a purchase order for."
    )
    used_by_product_id: strawberry.ID | None = strawberry.field(
        default=None, description="Direct components of this product (one BOM level)."
    )


@strawberry.input(description="Suppliers by id, name/id text, country or material.")
class SupplierFilter:
    ids: list[strawberry.ID] | None = None
    text: str | None = strawberry.field(default=None, description="Contained in id or name.")
    countries: list[str] | None = None
    material_id: strawberry.ID | None = strawberry.field(
        default=None, description="Suppliers with a purchase order for this material."
    )


@strawberry.input(description="Purchase orders by id, status, dates, supplier or material.")
class PurchaseOrderFilter:
    ids: list[strawberry.ID] | None = None
    statuses: list[PurchaseOrderStatus] | None = None  # type: ignore[valid-type]
    due_at: TimeRange | None = None
    ordered_at: TimeRange | None = None
    text: str | None = strawberry.field(default=None, description="Contained in the id.")
    supplier_id: strawberry.ID | None = None
    material_id: strawberry.ID | None = None


@strawberry.input(
    description="Risk alerts by id, severity, acknowledgement, creation time, text or subject."
)
class RiskAlertFilter:
    ids: list[strawberry.ID] | None = None
    severities: list[Severity] | None = None  # type: ignore[valid-type]
    acknowledged: bool | None = None
    created_at: TimeRange | None = None
    text: str | None = strawberry.field(default=None, description="Contained in the message.")
    sales_order_id: strawberry.ID | None = strawberry.field(
        default=None, description="Alerts that affect this sales order."
    )
    about_id: strawberry.ID | None = strawberry.field(
        default=None, description="Alerts about this node (a machine, a lot, ...)."
    )


@strawberry.input(description="Predictions by id, kind, creation time or subject.")
class PredictionFilter:
    ids: list[strawberry.ID] | None = None
    kinds: list[str] | None = None
    created_at: TimeRange | None = None
    text: str | None = strawberry.field(default=None, description="Contained in the kind.")
    about_id: strawberry.ID | None = None


@strawberry.enum
class CustomerOrderField(Enum):
    ID = "id"
    NAME = "name"
    COUNTRY = "country"


@strawberry.enum
class SalesOrderOrderField(Enum):
    ID = "id"
    STATUS = "status"
    ORDERED_AT = "ordered_at"
    DUE_AT = "due_at"
    PRIORITY = "priority"


@strawberry.enum
class ProductOrderField(Enum):
    ID = "id"
    NAME = "name"
    KIND = "kind"


@strawberry.enum
class MaterialOrderField(Enum):
    ID = "id"
    NAME = "name"


@strawberry.enum
class SupplierOrderField(Enum):
    ID = "id"
    NAME = "name"
    COUNTRY = "country"


@strawberry.enum
class PurchaseOrderOrderField(Enum):
    ID = "id"
    STATUS = "status"
    ORDERED_AT = "ordered_at"
    DUE_AT = "due_at"


@strawberry.enum
class RiskAlertOrderField(Enum):
    ID = "id"
    CREATED_AT = "created_at"


@strawberry.enum
class PredictionOrderField(Enum):
    ID = "id"
    CREATED_AT = "created_at"
    SCORE = "score"


@strawberry.input
class CustomerOrder:
    field: CustomerOrderField = CustomerOrderField.ID
    direction: SortDirection = SortDirection.ASC


@strawberry.input
class SalesOrderOrder:
    field: SalesOrderOrderField = SalesOrderOrderField.ID
    direction: SortDirection = SortDirection.ASC


@strawberry.input
class ProductOrder:
    field: ProductOrderField = ProductOrderField.ID
    direction: SortDirection = SortDirection.ASC


@strawberry.input
class MaterialOrder:
    field: MaterialOrderField = MaterialOrderField.ID
    direction: SortDirection = SortDirection.ASC


@strawberry.input
class SupplierOrder:
    field: SupplierOrderField = SupplierOrderField.ID
    direction: SortDirection = SortDirection.ASC


@strawberry.input
class PurchaseOrderOrder:
    field: PurchaseOrderOrderField = PurchaseOrderOrderField.ID
    direction: SortDirection = SortDirection.ASC


@strawberry.input
class RiskAlertOrder:
    field: RiskAlertOrderField = RiskAlertOrderField.ID
    direction: SortDirection = SortDirection.ASC


@strawberry.input
class PredictionOrder:
    field: PredictionOrderField = PredictionOrderField.ID
    direction: SortDirection = SortDirection.ASC
