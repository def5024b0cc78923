"""One pydantic model per node label of the plant graph (DESIGN.md §4, plus `Operator`).

Models hold a node's own properties; links between nodes are relationship models
(`domain.relationships`). `to_row()` gives the properties as stored (instants as epoch
ms, enums as their values); `model_validate(row)` reads them back.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from domain.states import (
    BatchStatus,
    LotStatus,
    MachineState,
    OperationStatus,
    ProductKind,
    PurchaseOrderStatus,
    QualityEventKind,
    SalesOrderStatus,
    Severity,
    ShipmentStatus,
    WorkOrderStatus,
)
from domain.values import Id, Instant, Name, NonNegative, Positive, Unit


class NodeModel(BaseModel):
    """A node: an application `id` (unique per label) plus its properties."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    LABEL: ClassVar[str] = ""
    SEARCHABLE: ClassVar[tuple[str, ...]] = ()
    """Properties besides `id` that lookups filter on; each gets an index."""

    id: Id

    def to_row(self) -> dict[str, Any]:
        """Properties as stored in the graph (no `None`: absent means unknown)."""
        return {k: v for k, v in self.model_dump(mode="json").items() if v is not None}


# --- ERP ---------------------------------------------------------------------------------
class Customer(NodeModel):
    LABEL: ClassVar[str] = "Customer"
    SEARCHABLE: ClassVar[tuple[str, ...]] = ("name",)
    name: Name
    country: str = Field(min_length=2, max_length=2, description="ISO 3166-1 alpha-2")


class SalesOrder(NodeModel):
    LABEL: ClassVar[str] = "SalesOrder"
    SEARCHABLE: ClassVar[tuple[str, ...]] = ("status",)
    status: SalesOrderStatus
    ordered_at: Instant
    due_at: Instant
    priority: int = Field(default=3, ge=1, le=5)


class Product(NodeModel):
    LABEL: ClassVar[str] = "Product"
    name: Name
    kind: ProductKind
    unit: Unit


class Material(NodeModel):
    LABEL: ClassVar[str] = "Material"
    name: Name
    unit: Unit
    shelf_life_days: int | None = Field(default=None, ge=1)


class Supplier(NodeModel):
    LABEL: ClassVar[str] = "Supplier"
    name: Name
    country: str = Field(min_length=2, max_length=2)


class PurchaseOrder(NodeModel):
    LABEL: ClassVar[str] = "PurchaseOrder"
    SEARCHABLE: ClassVar[tuple[str, ...]] = ("status",)
    status: PurchaseOrderStatus
    ordered_at: Instant
    due_at: Instant


# --- MES ---------------------------------------------------------------------------------
class Site(NodeModel):
    LABEL: ClassVar[str] = "Site"
    name: Name
    timezone: str = "UTC"


class Area(NodeModel):
    LABEL: ClassVar[str] = "Area"
    name: Name


class Line(NodeModel):
    LABEL: ClassVar[str] = "Line"
    name: Name


class Machine(NodeModel):
    LABEL: ClassVar[str] = "Machine"
    name: Name
    kind: Name
    manufacturer: Name
    serial_number: Name
    state: MachineState = MachineState.NOT_EXECUTING
    state_at: Instant | None = None


class Operator(NodeModel):
    """A person who runs operations (ISA-95 personnel)."""

    LABEL: ClassVar[str] = "Operator"
    name: Name
    skill: Name


class WorkOrder(NodeModel):
    LABEL: ClassVar[str] = "WorkOrder"
    SEARCHABLE: ClassVar[tuple[str, ...]] = ("status",)
    status: WorkOrderStatus
    quantity: Positive
    unit: Unit
    planned_start: Instant
    planned_end: Instant
    actual_start: Instant | None = None
    actual_end: Instant | None = None


class Operation(NodeModel):
    LABEL: ClassVar[str] = "Operation"
    sequence: int = Field(ge=1)
    name: Name
    status: OperationStatus
    ideal_cycle_time_s: Positive
    planned_start: Instant | None = None
    actual_start: Instant | None = None
    actual_end: Instant | None = None


class MaterialLot(NodeModel):
    """A received lot of material; `supplier_lot` is the supplier's own number (recalls name it)."""

    LABEL: ClassVar[str] = "MaterialLot"
    SEARCHABLE: ClassVar[tuple[str, ...]] = ("supplier_lot", "status")
    supplier_lot: Name | None = None
    status: LotStatus
    quantity: NonNegative
    initial_quantity: NonNegative
    unit: Unit
    received_at: Instant
    expires_at: Instant | None = None


class Batch(NodeModel):
    LABEL: ClassVar[str] = "Batch"
    SEARCHABLE: ClassVar[tuple[str, ...]] = ("status",)
    status: BatchStatus
    quantity: NonNegative
    unit: Unit
    started_at: Instant
    completed_at: Instant | None = None


class ProductionCount(NodeModel):
    """Good and scrap units a machine made in one shift for one work order (or none).

    One node per (machine, shift, work order); the OPC UA ingest adds counter deltas to
    it (`graph.production_counts`), so OEE reads shift totals instead of raw samples.
    """

    LABEL: ClassVar[str] = "ProductionCount"
    machine_id: Id
    shift_id: Id
    shift_start: Instant
    shift_end: Instant
    work_order_id: Id | None = None
    good: int = Field(ge=0)
    scrap: int = Field(ge=0)
    updated_at: Instant


class QualityEvent(NodeModel):
    LABEL: ClassVar[str] = "QualityEvent"
    kind: QualityEventKind
    severity: Severity
    occurred_at: Instant
    description: str = Field(default="", max_length=2000)


class Shipment(NodeModel):
    LABEL: ClassVar[str] = "Shipment"
    status: ShipmentStatus
    shipped_at: Instant | None = None


# --- twin --------------------------------------------------------------------------------
class Tag(NodeModel):
    """An OPC UA variable bound to a property of an entity."""

    LABEL: ClassVar[str] = "Tag"
    node_id: Name
    property: Name
    unit: str | None = None


class StateChange(NodeModel):
    LABEL: ClassVar[str] = "StateChange"
    from_state: MachineState | None = None
    to_state: MachineState
    at: Instant


class Prediction(NodeModel):
    LABEL: ClassVar[str] = "Prediction"
    kind: Name
    score: float = Field(ge=0, le=1)
    horizon_h: Positive
    created_at: Instant
    model_version: Name


class RiskAlert(NodeModel):
    LABEL: ClassVar[str] = "RiskAlert"
    SEARCHABLE: ClassVar[tuple[str, ...]] = ("severity",)
    severity: Severity
    message: Name
    created_at: Instant
    acknowledged: bool = False


class Scenario(NodeModel):
    LABEL: ClassVar[str] = "Scenario"
    name: Name
    created_at: Instant


NODE_MODELS: tuple[type[NodeModel], ...] = (
    Customer,
    SalesOrder,
    Product,
    Material,
    Supplier,
    PurchaseOrder,
    Site,
    Area,
    Line,
    Machine,
    Operator,
    WorkOrder,
    Operation,
    MaterialLot,
    Batch,
    ProductionCount,
    QualityEvent,
    Shipment,
    Tag,
    StateChange,
    Prediction,
    RiskAlert,
    Scenario,
)
LABELS: tuple[str, ...] = tuple(model.LABEL for model in NODE_MODELS)
MODEL_BY_LABEL: dict[str, type[NodeModel]] = {model.LABEL: model for model in NODE_MODELS}
