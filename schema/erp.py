"""ERP view: customers, sales orders, products and BOMs, materials, suppliers, purchase orders.

Also the twin view's risk alerts and predictions, which the planner reads beside the
orders they affect. Types are built from stored node properties (`from_record`); a field
that follows a relationship asks the request's DataLoaders, so a whole level of a nested
query is one statement. Aggregates the generic loaders cannot give (BOM explosion,
inventory sums, what an alert is about) come from `info.context.api.erp`'s loaders.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry

from domain.states import OPEN_SALES_ORDER_STATUSES
from domain.states import LotStatus as DomainLotStatus
from domain.states import Severity as DomainSeverity
from schema.convert import instant
from schema.enums import (
    LotStatus,
    ProductKind,
    PurchaseOrderStatus,
    SalesOrderStatus,
    Severity,
)
from schema.explanation import AlertExplanation
from schema.mes import MaterialLot, WorkOrder

Record = dict[str, Any]

SEVERITY_RANK = {severity: rank for rank, severity in enumerate(DomainSeverity)}
"""low < medium < high < critical (the enum's declaration order)."""


def _loaders(info: strawberry.Info) -> Any:
    return info.context.loaders


def _erp(info: strawberry.Info) -> Any:
    return info.context.api.erp


def _quantity(value: Any) -> float:
    return 0.0 if value is None else float(value)


def _in_statuses(rows: list[Record], statuses: list[Any] | None) -> list[Record]:
    """The rows whose `status` is one of `statuses` (all of them when None)."""
    if statuses is None:
        return rows
    wanted = {str(status) for status in statuses}
    return [row for row in rows if row["status"] in wanted]


@strawberry.type(description="A customer who places sales orders.")
class Customer:
    id: strawberry.ID
    name: str
    country: str

    @classmethod
    def from_record(cls, r: Record) -> Customer:
        return cls(id=strawberry.ID(r["id"]), name=r["name"], country=r["country"])

    @strawberry.field(description="The customer's sales orders, by id.")
    async def sales_orders(
        self,
        info: strawberry.Info,
        statuses: list[SalesOrderStatus] | None = None,  # type: ignore[valid-type]
    ) -> list[SalesOrder]:
        rows = (
            await _loaders(info)
            .related("Customer", "PLACED_BY", "SalesOrder", outgoing=False)
            .load(self.id)
        )
        return [SalesOrder.from_record(r) for r in _in_statuses(rows, statuses)]


@strawberry.type(description="One line of a sales order: a product and how much of it.")
class SalesOrderLine:
    product: Product
    quantity: float
    unit: str | None


@strawberry.type(
    description=(
        "How much a sales order is at risk: the highest severity of its unacknowledged "
        "alerts, those alerts, and whether it is already late."
    )
)
class SalesOrderRisk:
    level: Severity | None  # type: ignore[valid-type]
    alerts: list[RiskAlert]
    late: bool = strawberry.field(
        description="Due date passed and the order is still open or in production."
    )


@strawberry.type(description="A customer's order for products, due at a date.")
class SalesOrder:
    id: strawberry.ID
    status: SalesOrderStatus  # type: ignore[valid-type]
    ordered_at: datetime
    due_at: datetime
    priority: int

    @classmethod
    def from_record(cls, r: Record) -> SalesOrder:
        return cls(
            id=strawberry.ID(r["id"]),
            status=SalesOrderStatus(r["status"]),
            ordered_at=instant(r["ordered_at"]),  # type: ignore[arg-type]
            due_at=instant(r["due_at"]),  # type: ignore[arg-type]
            priority=int(r.get("priority", 3)),
        )

    @strawberry.field
    async def customer(self, info: strawberry.Info) -> Customer | None:
        r = await _loaders(info).one("SalesOrder", "PLACED_BY", "Customer", self.id)
        return Customer.from_record(r) if r else None

    @strawberry.field(description="Products and quantities ordered, by product id.")
    async def lines(self, info: strawberry.Info) -> list[SalesOrderLine]:
        rows = await _loaders(info).related("SalesOrder", "FOR_PRODUCT", "Product").load(self.id)
        return [
            SalesOrderLine(
                product=Product.from_record(r),
                quantity=_quantity(r["_rel"].get("qty")),
                unit=r["_rel"].get("unit"),
            )
            for r in rows
        ]

    @strawberry.field(description="Work orders that fulfil this order.")
    async def work_orders(self, info: strawberry.Info) -> list[WorkOrder]:
        rows = (
            await _loaders(info)
            .related("SalesOrder", "FULFILLS", "WorkOrder", outgoing=False)
            .load(self.id)
        )
        return [WorkOrder.from_record(r) for r in rows]

    @strawberry.field(description="Every risk alert that affects this order, newest first.")
    async def risk_alerts(self, info: strawberry.Info) -> list[RiskAlert]:
        rows = (
            await _loaders(info)
            .related("SalesOrder", "AFFECTS", "RiskAlert", outgoing=False, order="created_at")
            .load(self.id)
        )
        return [RiskAlert.from_record(r) for r in reversed(rows)]

    @strawberry.field
    async def risk(self, info: strawberry.Info) -> SalesOrderRisk:
        rows = (
            await _loaders(info)
            .related("SalesOrder", "AFFECTS", "RiskAlert", outgoing=False, order="created_at")
            .load(self.id)
        )
        open_alerts = [r for r in rows if not r.get("acknowledged", False)]
        open_alerts.sort(
            key=lambda r: (SEVERITY_RANK[DomainSeverity(r["severity"])], r["created_at"]),
            reverse=True,
        )
        level = DomainSeverity(open_alerts[0]["severity"]) if open_alerts else None
        return SalesOrderRisk(
            level=level,
            alerts=[RiskAlert.from_record(r) for r in open_alerts],
            late=self._is_late(info),
        )

    @strawberry.field(description="Due date passed (server clock) and still open or in production.")
    def late(self, info: strawberry.Info) -> bool:
        return self._is_late(info)

    def _is_late(self, info: strawberry.Info) -> bool:
        now: datetime = _erp(info).now()
        return self.due_at < now and self.status in OPEN_SALES_ORDER_STATUSES


@strawberry.type(description="A finished or intermediate product.")
class Product:
    id: strawberry.ID
    name: str
    kind: ProductKind  # type: ignore[valid-type]
    unit: str

    @classmethod
    def from_record(cls, r: Record) -> Product:
        return cls(
            id=strawberry.ID(r["id"]),
            name=r["name"],
            kind=ProductKind(r["kind"]),
            unit=r["unit"],
        )

    @strawberry.field(
        description=(
            "The bill of materials exploded to `maxDepth` levels (1 to 20): every component "
            "on every path, depth first, with its quantity per unit of this product. A path "
            "that would visit a product twice (a cycle in bad data) is left out."
        )
    )
    async def bom(self, info: strawberry.Info, max_depth: int = 20) -> list[BomLine]:
        rows = await _erp(info).bom_loader(info, max_depth).load(str(self.id))
        return [BomLine.from_row(row) for row in rows]

    @strawberry.field(
        description=(
            "Materials needed for one unit of this product: the explosion's material "
            "lines summed per material (each at the unit of its BOM lines)."
        )
    )
    async def material_requirements(
        self, info: strawberry.Info, max_depth: int = 20
    ) -> list[MaterialRequirement]:
        rows = await _erp(info).bom_loader(info, max_depth).load(str(self.id))
        totals: dict[str, MaterialRequirement] = {}
        for row in rows:
            if row.label != "Material":
                continue
            key = row.path[-1]
            found = totals.get(key)
            if found is None:
                totals[key] = MaterialRequirement(
                    material=Material.from_record(row.node), quantity=row.quantity, unit=row.unit
                )
            else:
                found.quantity += row.quantity
        return [totals[key] for key in sorted(totals)]

    @strawberry.field(description="Products that use this one directly (one BOM level up).")
    async def used_in(self, info: strawberry.Info) -> list[BomUsage]:
        rows = (
            await _loaders(info)
            .related("Product", "HAS_COMPONENT", "Product", outgoing=False)
            .load(self.id)
        )
        return [BomUsage.from_record(r) for r in rows]


@strawberry.type(description="One component of a bill-of-materials explosion.")
class BomLine:
    level: int = strawberry.field(description="1 for a direct component of the top product.")
    parent_id: strawberry.ID
    path: list[strawberry.ID] = strawberry.field(
        description="Ids from the top product to this component, both included."
    )
    product: Product | None = strawberry.field(description="Set when the component is a product.")
    material: Material | None = strawberry.field(
        description="Set when the component is a material."
    )
    quantity_per_parent: float = strawberry.field(
        description="The BOM quantity: how much one unit of the parent needs."
    )
    quantity: float = strawberry.field(
        description="How much one unit of the top product needs (quantities multiplied)."
    )
    unit: str | None

    @strawberry.field
    def component_id(self) -> strawberry.ID:
        return self.path[-1]

    @classmethod
    def from_row(cls, row: Any) -> BomLine:
        is_product = row.label == "Product"
        return cls(
            level=row.level,
            parent_id=strawberry.ID(row.path[-2]),
            path=[strawberry.ID(i) for i in row.path],
            product=Product.from_record(row.node) if is_product else None,
            material=None if is_product else Material.from_record(row.node),
            quantity_per_parent=row.quantity_per_parent,
            quantity=row.quantity,
            unit=row.unit,
        )


@strawberry.type(description="How much of a material one unit of a product needs in total.")
class MaterialRequirement:
    material: Material
    quantity: float
    unit: str | None


@strawberry.type(description="A product that uses a component directly, with the BOM quantity.")
class BomUsage:
    product: Product
    quantity: float
    unit: str | None

    @classmethod
    def from_record(cls, r: Record) -> BomUsage:
        return cls(
            product=Product.from_record(r),
            quantity=_quantity(r["_rel"].get("qty")),
            unit=r["_rel"].get("unit"),
        )


@strawberry.type(description="Lots of a material in one status: how many and how much.")
class LotStatusSummary:
    status: LotStatus  # type: ignore[valid-type]
    lots: int
    quantity: float


@strawberry.type(description="A material's stock: lots summed per status.")
class Inventory:
    on_hand: float = strawberry.field(
        description="Sum of the remaining quantity of lots with status `available`."
    )
    unit: str
    available_lots: int
    total_lots: int
    by_status: list[LotStatusSummary]


@strawberry.type(description="A raw material or packaging item bought from suppliers.")
class Material:
    id: strawberry.ID
    name: str
    unit: str
    shelf_life_days: int | None

    @classmethod
    def from_record(cls, r: Record) -> Material:
        shelf = r.get("shelf_life_days")
        return cls(
            id=strawberry.ID(r["id"]),
            name=r["name"],
            unit=r["unit"],
            shelf_life_days=None if shelf is None else int(shelf),
        )

    @strawberry.field(description="Sum of the remaining quantity of available lots.")
    async def on_hand(self, info: strawberry.Info) -> float:
        return (await self._inventory(info)).on_hand

    @strawberry.field
    async def inventory(self, info: strawberry.Info) -> Inventory:
        return await self._inventory(info)

    async def _inventory(self, info: strawberry.Info) -> Inventory:
        summaries = await _erp(info).inventory_loader(info).load(str(self.id))
        available = [s for s in summaries if s.status == DomainLotStatus.AVAILABLE]
        return Inventory(
            on_hand=sum(s.quantity for s in available),
            unit=self.unit,
            available_lots=sum(s.lots for s in available),
            total_lots=sum(s.lots for s in summaries),
            by_status=[
                LotStatusSummary(status=LotStatus(s.status), lots=s.lots, quantity=s.quantity)
                for s in summaries
            ],
        )

    @strawberry.field(description="Lots of this material, by id; all statuses unless given.")
    async def lots(
        self,
        info: strawberry.Info,
        statuses: list[LotStatus] | None = None,  # type: ignore[valid-type]
    ) -> list[MaterialLot]:
        rows = (
            await _loaders(info)
            .related("Material", "OF_MATERIAL", "MaterialLot", outgoing=False)
            .load(self.id)
        )
        return [MaterialLot.from_record(r) for r in _in_statuses(rows, statuses)]

    @strawberry.field(description="Purchase orders for this material, by id.")
    async def purchase_orders(
        self,
        info: strawberry.Info,
        statuses: list[PurchaseOrderStatus] | None = None,  # type: ignore[valid-type]
    ) -> list[PurchaseOrder]:
        rows = (
            await _loaders(info)
            .related("Material", "FOR_MATERIAL", "PurchaseOrder", outgoing=False)
            .load(self.id)
        )
        return [PurchaseOrder.from_record(r) for r in _in_statuses(rows, statuses)]

    @strawberry.field(description="Products that use this material directly (one BOM level up).")
    async def used_in(self, info: strawberry.Info) -> list[BomUsage]:
        rows = (
            await _loaders(info)
            .related("Material", "HAS_COMPONENT", "Product", outgoing=False)
            .load(self.id)
        )
        return [BomUsage.from_record(r) for r in rows]


@strawberry.type(description="A supplier of material lots.")
class Supplier:
    id: strawberry.ID
    name: str
    country: str

    @classmethod
    def from_record(cls, r: Record) -> Supplier:
        return cls(id=strawberry.ID(r["id"]), name=r["name"], country=r["country"])

    @strawberry.field(description="Lots this supplier delivered, by id.")
    async def lots(
        self,
        info: strawberry.Info,
        statuses: list[LotStatus] | None = None,  # type: ignore[valid-type]
    ) -> list[MaterialLot]:
        rows = (
            await _loaders(info)
            .related("Supplier", "SUPPLIED_BY", "MaterialLot", outgoing=False)
            .load(self.id)
        )
        return [MaterialLot.from_record(r) for r in _in_statuses(rows, statuses)]

    @strawberry.field(description="Purchase orders placed with this supplier, by id.")
    async def purchase_orders(
        self,
        info: strawberry.Info,
        statuses: list[PurchaseOrderStatus] | None = None,  # type: ignore[valid-type]
    ) -> list[PurchaseOrder]:
        rows = (
            await _loaders(info)
            .related("Supplier", "FROM", "PurchaseOrder", outgoing=False)
            .load(self.id)
        )
        return [PurchaseOrder.from_record(r) for r in _in_statuses(rows, statuses)]


@strawberry.type(description="An order for a material placed with a supplier.")
class PurchaseOrder:
    id: strawberry.ID
    status: PurchaseOrderStatus  # type: ignore[valid-type]
    ordered_at: datetime
    due_at: datetime

    @classmethod
    def from_record(cls, r: Record) -> PurchaseOrder:
        return cls(
            id=strawberry.ID(r["id"]),
            status=PurchaseOrderStatus(r["status"]),
            ordered_at=instant(r["ordered_at"]),  # type: ignore[arg-type]
            due_at=instant(r["due_at"]),  # type: ignore[arg-type]
        )

    async def _line(self, info: strawberry.Info) -> Record | None:
        r: Record | None = await _loaders(info).one(
            "PurchaseOrder", "FOR_MATERIAL", "Material", self.id
        )
        return r

    @strawberry.field
    async def supplier(self, info: strawberry.Info) -> Supplier | None:
        r = await _loaders(info).one("PurchaseOrder", "FROM", "Supplier", self.id)
        return Supplier.from_record(r) if r else None

    @strawberry.field
    async def material(self, info: strawberry.Info) -> Material | None:
        r = await self._line(info)
        return Material.from_record(r) if r else None

    @strawberry.field(description="The ordered quantity (of the material line).")
    async def quantity(self, info: strawberry.Info) -> float | None:
        r = await self._line(info)
        return None if r is None else _quantity(r["_rel"].get("qty"))

    @strawberry.field
    async def unit(self, info: strawberry.Info) -> str | None:
        r = await self._line(info)
        return None if r is None else r["_rel"].get("unit")

    @strawberry.field(description="Lots received against this order, by id.")
    async def received_lots(self, info: strawberry.Info) -> list[MaterialLot]:
        rows = (
            await _loaders(info)
            .related("PurchaseOrder", "RECEIVED_AGAINST", "MaterialLot", outgoing=False)
            .load(self.id)
        )
        return [MaterialLot.from_record(r) for r in rows]


@strawberry.type(description="A node an alert or prediction is about.")
class Subject:
    id: strawberry.ID
    label: str


@strawberry.type(description="A predicted disruption, with what it affects.")
class RiskAlert:
    id: strawberry.ID
    severity: Severity  # type: ignore[valid-type]
    message: str
    created_at: datetime
    acknowledged: bool
    kind: str | None = strawberry.field(
        default=None, description="The prediction target that raised it (model alerts)."
    )
    probability: float | None = strawberry.field(
        default=None, description="The calibrated probability at the last scoring pass."
    )
    horizon_h: float | None = strawberry.field(default=None, description="The target's horizon.")
    closed_at: datetime | None = strawberry.field(
        default=None, description="When the probability fell below the clear threshold."
    )
    explanation: AlertExplanation | None = None
    updated_at: datetime | None = strawberry.field(
        default=None,
        description=(
            "When the alert last changed (raised, rescored, acknowledged or closed): a client "
            "applies a riskAlerts event only when its `at` is newer."
        ),
    )

    @classmethod
    def from_record(cls, r: Record) -> RiskAlert:
        return cls(
            id=strawberry.ID(r["id"]),
            severity=Severity(r["severity"]),
            message=r["message"],
            created_at=instant(r["created_at"]),  # type: ignore[arg-type]
            acknowledged=bool(r.get("acknowledged", False)),
            kind=r.get("kind"),
            probability=r.get("probability"),
            horizon_h=r.get("horizon_h"),
            closed_at=instant(r.get("closed_at")),
            explanation=AlertExplanation.parse(r.get("explanation")),
            updated_at=instant(r.get("updated_at") or r.get("closed_at") or r["created_at"]),
        )

    @strawberry.field(description="Sales orders this alert puts at risk.")
    async def sales_orders(self, info: strawberry.Info) -> list[SalesOrder]:
        rows = await _loaders(info).related("RiskAlert", "AFFECTS", "SalesOrder").load(self.id)
        return [SalesOrder.from_record(r) for r in rows]

    @strawberry.field(description="What the alert is about (a machine, a lot, ...).")
    async def about(self, info: strawberry.Info) -> list[Subject]:
        rows = await _erp(info).subject_loader(info, "RiskAlert").load(str(self.id))
        return [Subject(id=strawberry.ID(r["id"]), label=r["label"]) for r in rows]


@strawberry.type(description="A model's prediction about a node, with its score and horizon.")
class Prediction:
    id: strawberry.ID
    kind: str
    score: float
    horizon_h: float
    created_at: datetime
    model_version: str

    @classmethod
    def from_record(cls, r: Record) -> Prediction:
        return cls(
            id=strawberry.ID(r["id"]),
            kind=r["kind"],
            score=float(r["score"]),
            horizon_h=float(r["horizon_h"]),
            created_at=instant(r["created_at"]),  # type: ignore[arg-type]
            model_version=r["model_version"],
        )

    @strawberry.field(description="What the prediction is about.")
    async def about(self, info: strawberry.Info) -> list[Subject]:
        rows = await _erp(info).subject_loader(info, "Prediction").load(str(self.id))
        return [Subject(id=strawberry.ID(r["id"]), label=r["label"]) for r in rows]
