"""What subscriptions deliver: flat, self-contained event payloads built from bus events.

Events carry ids and values, not nested objects: a WebSocket connection lives for hours,
and the request's DataLoaders (which cache) would serve stale nodes; a client that wants
more asks `node(id)` or `machine(id)` over HTTP. Bus events are the plain dicts
`resolvers.topics` describes: camelCase keys, instants as epoch milliseconds.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry

from domain.values import from_epoch_ms
from schema.enums import (
    MachineState,
    QualityEventKind,
    Severity,
    WorkOrderStatus,
)
from schema.explanation import AlertExplanation

Event = dict[str, Any]


def _instant(value: Any) -> datetime:
    """Epoch milliseconds (as stored), an ISO-8601 string, or a datetime."""
    if isinstance(value, datetime):
        return value
    if isinstance(value, str):
        return datetime.fromisoformat(value)
    return from_epoch_ms(value)


def _maybe_instant(value: Any) -> datetime | None:
    return None if value is None else _instant(value)


def _ids(value: Any) -> list[strawberry.ID]:
    return [strawberry.ID(str(v)) for v in value or ()]


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


@strawberry.type(description="A machine moved from one state to another.")
class MachineStateEvent:
    machine_id: strawberry.ID
    state: MachineState  # type: ignore[valid-type]
    previous_state: MachineState | None  # type: ignore[valid-type]
    at: datetime = strawberry.field(description="When the new state began (source time).")

    @classmethod
    def from_event(cls, e: Event) -> MachineStateEvent:
        previous = e.get("previousState")
        return cls(
            machine_id=strawberry.ID(e["machineId"]),
            state=MachineState(e["state"]),
            previous_state=None if previous is None else MachineState(previous),
            at=_instant(e["at"]),
        )


@strawberry.type(description="A quality event was recorded.")
class QualityEventNotice:
    id: strawberry.ID
    kind: QualityEventKind  # type: ignore[valid-type]
    severity: Severity  # type: ignore[valid-type]
    occurred_at: datetime
    description: str
    subject_ids: list[strawberry.ID] = strawberry.field(
        description="Ids of the machines, batches and lots it concerns."
    )

    @classmethod
    def from_event(cls, e: Event) -> QualityEventNotice:
        return cls(
            id=strawberry.ID(e["id"]),
            kind=QualityEventKind(e["kind"]),
            severity=Severity(e["severity"]),
            occurred_at=_instant(e["occurredAt"]),
            description=e.get("description") or "",
            subject_ids=_ids(e.get("subjectIds")),
        )


@strawberry.type(description="A work order advanced: production recorded or status changed.")
class WorkOrderProgressEvent:
    work_order_id: strawberry.ID
    status: WorkOrderStatus  # type: ignore[valid-type]
    produced_quantity: float | None = strawberry.field(
        description="Good quantity produced so far, when the publisher knows it."
    )
    quantity: float | None = strawberry.field(description="The ordered quantity.")
    unit: str | None
    at: datetime
    batch_id: strawberry.ID | None = strawberry.field(
        description="The batch whose production this is; null for a release."
    )

    @classmethod
    def from_event(cls, e: Event) -> WorkOrderProgressEvent:
        batch = e.get("batchId")
        return cls(
            work_order_id=strawberry.ID(e["workOrderId"]),
            status=WorkOrderStatus(e["status"]),
            produced_quantity=_float(e.get("producedQuantity")),
            quantity=_float(e.get("quantity")),
            unit=e.get("unit"),
            at=_instant(e["at"]),
            batch_id=None if batch is None else strawberry.ID(batch),
        )


@strawberry.type(description="A risk alert was raised or changed (e.g. acknowledged).")
class RiskAlertEvent:
    id: strawberry.ID
    severity: Severity  # type: ignore[valid-type]
    message: str
    created_at: datetime
    at: datetime = strawberry.field(
        description="When this change happened (the alert's `updatedAt` after it)."
    )
    acknowledged: bool
    about_ids: list[strawberry.ID] = strawberry.field(description="What the alert is about.")
    affected_sales_order_ids: list[strawberry.ID]
    kind: str | None = strawberry.field(
        default=None, description="The prediction target that raised it (model alerts)."
    )
    probability: float | None = None
    horizon_h: float | None = None
    closed_at: datetime | None = strawberry.field(
        default=None, description="Set when this event closes the alert."
    )
    explanation: AlertExplanation | None = None

    @classmethod
    def from_event(cls, e: Event) -> RiskAlertEvent:
        closed = e.get("closedAt")
        return cls(
            id=strawberry.ID(e["id"]),
            severity=Severity(e["severity"]),
            message=e["message"],
            created_at=_instant(e["createdAt"]),
            at=_instant(e.get("at") or e["createdAt"]),
            acknowledged=bool(e.get("acknowledged", False)),
            about_ids=_ids(e.get("aboutIds")),
            affected_sales_order_ids=_ids(e.get("affectedSalesOrderIds")),
            kind=e.get("kind"),
            probability=e.get("probability"),
            horizon_h=e.get("horizonH"),
            closed_at=None if closed is None else _instant(closed),
            explanation=AlertExplanation.parse(e.get("explanation")),
        )
