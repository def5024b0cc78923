"""Inputs and result unions of the mutations.

Each input turns into its `domain.commands` model with `to_command()` (a plain dict the
pydantic model validates; GraphQL only checks the types). Every result is a union of
the changed object and the three typed errors, named `<Mutation>Result`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import strawberry

from schema.enums import QualityEventKind, Severity
from schema.erp import RiskAlert, SalesOrder
from schema.errors import ConflictError, NotFoundError, ValidationError
from schema.mes import Batch, QualityEvent, WorkOrder


def _ids(values: list[strawberry.ID] | None) -> list[str]:
    return [str(v) for v in values or []]


def _id(value: strawberry.ID | None) -> str | None:
    return None if value is None else str(value)


@strawberry.input(description="A customer's order for one product, in the product's unit.")
class CreateSalesOrderInput:
    id: strawberry.ID = strawberry.field(description="The ERP's order number.")
    customer_id: strawberry.ID
    product_id: strawberry.ID
    quantity: float
    due_at: datetime
    ordered_at: datetime | None = strawberry.field(default=None, description="Default: now.")
    priority: int = strawberry.field(default=3, description="1 (highest) to 5.")

    def to_command(self, now: datetime) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "customer_id": str(self.customer_id),
            "product_id": str(self.product_id),
            "quantity": self.quantity,
            "ordered_at": self.ordered_at or now,
            "due_at": self.due_at,
            "priority": self.priority,
        }


@strawberry.input(description="A lot or intermediate batch a new batch consumed: one of the ids.")
class ConsumptionInput:
    lot_id: strawberry.ID | None = None
    batch_id: strawberry.ID | None = None
    quantity: float = strawberry.field(description="In the unit of the lot or batch consumed.")

    def to_command(self) -> dict[str, Any]:
        return {
            "lot_id": _id(self.lot_id),
            "batch_id": _id(self.batch_id),
            "quantity": self.quantity,
        }


@strawberry.input(description="A batch produced by a work order on a machine, and what it used.")
class RecordProductionInput:
    idempotency_key: str = strawberry.field(
        description="Chosen by the client per production record; a retry sends the same key."
    )
    work_order_id: strawberry.ID
    machine_id: strawberry.ID
    quantity: float = strawberry.field(description="In the work order's unit.")
    started_at: datetime
    completed_at: datetime
    consumed: list[ConsumptionInput]
    batch_id: strawberry.ID | None = strawberry.field(
        default=None, description="Default: the service names the batch."
    )

    def to_command(self) -> dict[str, Any]:
        return {
            "idempotency_key": self.idempotency_key,
            "batch_id": _id(self.batch_id),
            "work_order_id": str(self.work_order_id),
            "machine_id": str(self.machine_id),
            "quantity": self.quantity,
            "started_at": self.started_at,
            "completed_at": self.completed_at,
            "consumed": [c.to_command() for c in self.consumed],
        }


@strawberry.input(description="A quality event about at least one machine, batch or lot.")
class RecordQualityEventInput:
    kind: QualityEventKind  # type: ignore[valid-type]
    severity: Severity  # type: ignore[valid-type]
    occurred_at: datetime
    description: str = ""
    machine_ids: list[strawberry.ID] | None = None
    batch_ids: list[strawberry.ID] | None = None
    lot_ids: list[strawberry.ID] | None = None
    id: strawberry.ID | None = strawberry.field(
        default=None, description="Default: the service names the event."
    )

    def to_command(self) -> dict[str, Any]:
        return {
            "id": _id(self.id),
            "kind": self.kind,
            "severity": self.severity,
            "occurred_at": self.occurred_at,
            "description": self.description,
            "machine_ids": _ids(self.machine_ids),
            "batch_ids": _ids(self.batch_ids),
            "lot_ids": _ids(self.lot_ids),
        }


Errors = ValidationError | NotFoundError | ConflictError

CreateSalesOrderResult = Annotated[
    SalesOrder | Errors,
    strawberry.union("CreateSalesOrderResult", description="The new order, or why none was made."),
]
ReleaseWorkOrderResult = Annotated[
    WorkOrder | Errors,
    strawberry.union("ReleaseWorkOrderResult", description="The released work order, or why not."),
]
RecordProductionResult = Annotated[
    Batch | Errors,
    strawberry.union("RecordProductionResult", description="The batch recorded, or why not."),
]
RecordQualityEventResult = Annotated[
    QualityEvent | Errors,
    strawberry.union("RecordQualityEventResult", description="The event recorded, or why not."),
]
AcknowledgeAlertResult = Annotated[
    RiskAlert | Errors,
    strawberry.union("AcknowledgeAlertResult", description="The acknowledged alert, or why not."),
]
