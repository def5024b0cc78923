"""Filter and ordering inputs of the lists (one `filter` and one `orderBy` per list)."""

from __future__ import annotations

from enum import Enum

import strawberry

from schema.enums import (
    BatchStatus,
    LotStatus,
    MachineState,
    QualityEventKind,
    Severity,
    SortDirection,
    WorkOrderStatus,
)
from schema.relay import TimeRange


@strawberry.input(description="Machines by id, state, name/id text, or line.")
class MachineFilter:
    ids: list[strawberry.ID] | None = None
    states: list[MachineState] | None = None  # type: ignore[valid-type]
    text: str | None = strawberry.field(default=None, description="Contained in id or name.")
    line_id: strawberry.ID | None = None


@strawberry.input(
    description="Work orders by id, status, planned start, machine, product or order."
)
class WorkOrderFilter:
    ids: list[strawberry.ID] | None = None
    statuses: list[WorkOrderStatus] | None = None  # type: ignore[valid-type]
    planned_start: TimeRange | None = None
    text: str | None = strawberry.field(default=None, description="Contained in the id.")
    machine_id: strawberry.ID | None = None
    product_id: strawberry.ID | None = None
    sales_order_id: strawberry.ID | None = None


@strawberry.input(description="Batches by id, status, start time, work order or machine.")
class BatchFilter:
    ids: list[strawberry.ID] | None = None
    statuses: list[BatchStatus] | None = None  # type: ignore[valid-type]
    started_at: TimeRange | None = None
    text: str | None = strawberry.field(default=None, description="Contained in the id.")
    work_order_id: strawberry.ID | None = None
    machine_id: strawberry.ID | None = None


@strawberry.input(description="Lots by id, status, receipt time, text, material or supplier.")
class MaterialLotFilter:
    ids: list[strawberry.ID] | None = None
    statuses: list[LotStatus] | None = None  # type: ignore[valid-type]
    received_at: TimeRange | None = None
    text: str | None = strawberry.field(
        default=None, description="Contained in the id or the supplier's lot number."
    )
    material_id: strawberry.ID | None = None
    supplier_id: strawberry.ID | None = None


@strawberry.input(description="Quality events by id, severity, kind, time, text or subject.")
class QualityEventFilter:
    ids: list[strawberry.ID] | None = None
    severities: list[Severity] | None = None  # type: ignore[valid-type]
    kinds: list[QualityEventKind] | None = None  # type: ignore[valid-type]
    occurred_at: TimeRange | None = None
    text: str | None = strawberry.field(default=None, description="Contained in the description.")
    machine_id: strawberry.ID | None = None
    batch_id: strawberry.ID | None = None
    material_lot_id: strawberry.ID | None = None


@strawberry.enum
class MachineOrderField(Enum):
    ID = "id"
    NAME = "name"
    STATE = "state"
    STATE_AT = "state_at"


@strawberry.enum
class WorkOrderOrderField(Enum):
    ID = "id"
    STATUS = "status"
    PLANNED_START = "planned_start"
    PLANNED_END = "planned_end"


@strawberry.enum
class BatchOrderField(Enum):
    ID = "id"
    STATUS = "status"
    STARTED_AT = "started_at"
    COMPLETED_AT = "completed_at"


@strawberry.enum
class MaterialLotOrderField(Enum):
    ID = "id"
    STATUS = "status"
    RECEIVED_AT = "received_at"
    QUANTITY = "quantity"


@strawberry.enum
class QualityEventOrderField(Enum):
    ID = "id"
    OCCURRED_AT = "occurred_at"
    SEVERITY = "severity"


@strawberry.input
class MachineOrder:
    field: MachineOrderField = MachineOrderField.ID
    direction: SortDirection = SortDirection.ASC


@strawberry.input
class WorkOrderOrder:
    field: WorkOrderOrderField = WorkOrderOrderField.ID
    direction: SortDirection = SortDirection.ASC


@strawberry.input
class BatchOrder:
    field: BatchOrderField = BatchOrderField.ID
    direction: SortDirection = SortDirection.ASC


@strawberry.input
class MaterialLotOrder:
    field: MaterialLotOrderField = MaterialLotOrderField.ID
    direction: SortDirection = SortDirection.ASC


@strawberry.input
class QualityEventOrder:
    field: QualityEventOrderField = QualityEventOrderField.ID
    direction: SortDirection = SortDirection.ASC
