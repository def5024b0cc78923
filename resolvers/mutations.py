"""Mutation logic: validate into a domain command, run its one atomic statement, publish.

Validation failures come back as the first pydantic error, as `ValidationError{field,
message}` with `field` the camelCase path inside the input (`consumed[1].quantity`;
`input` when the problem spans several fields). Ids the graph does not hold come back
as one `NotFoundError` naming all of them; a request the graph's state contradicts as
`ConflictError`. In every such case nothing was written. Events are published after a
write that changed something; a failing bus is logged and does not undo the write.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

import pydantic
import strawberry

from domain import commands
from domain.values import epoch_ms
from graph import commands as graph_commands
from graph.commands import Outcome
from resolvers import topics
from schema.erp import RiskAlert, SalesOrder
from schema.errors import ConflictError, NotFoundError, ValidationError
from schema.mes import Batch, QualityEvent, WorkOrder
from schema.mutation_types import (
    CreateSalesOrderInput,
    RecordProductionInput,
    RecordQualityEventInput,
)

log = logging.getLogger(__name__)

C = TypeVar("C", bound=pydantic.BaseModel)
Record = dict[str, Any]


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def field_path(loc: Sequence[int | str]) -> str:
    """A pydantic error location as a camelCase path: `consumed[1].quantity`."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        elif part.startswith(("function-", "value_error")):
            continue  # pydantic's own step names, not fields
        else:
            path += ("." if path else "") + _camel(part)
    return path or "input"


def validate(model: type[C], data: dict[str, Any]) -> C | ValidationError:
    """The command, or the first validation error as the API reports it."""
    try:
        return model.model_validate(data)
    except pydantic.ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        message = first["msg"].removeprefix("Value error, ")
        return ValidationError(field=field_path(first["loc"]), message=message)


def _refusal(outcome: Outcome) -> NotFoundError | ConflictError:
    if outcome.missing:
        return NotFoundError(
            message="not found: " + ", ".join(outcome.missing),
            ids=[strawberry.ID(i) for i in outcome.missing],
        )
    return ConflictError(message=outcome.conflict or "conflict")


def _new_id(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:16]}"


class MutationApi:
    """What `schema.mutation.Mutation` fields call (as `info.context.api.mutations`)."""

    async def create_sales_order(self, info: strawberry.Info, data: CreateSalesOrderInput) -> Any:
        command = validate(commands.CreateSalesOrder, data.to_command(datetime.now(UTC)))
        if isinstance(command, ValidationError):
            return command
        outcome = await graph_commands.create_sales_order(info.context.store, command)
        if not outcome.ok:
            return _refusal(outcome)
        order = outcome.record or {}
        await self._publish(
            info,
            topics.SALES_ORDERS,
            {
                "id": order["id"],
                "status": order["status"],
                "orderedAt": order["ordered_at"],
                "dueAt": order["due_at"],
                "priority": order["priority"],
                "customerId": command.customer_id,
                "productId": command.product_id,
                "quantity": command.quantity,
            },
        )
        return SalesOrder.from_record(order)

    async def release_work_order(self, info: strawberry.Info, work_order_id: str) -> Any:
        command = validate(commands.ReleaseWorkOrder, {"id": work_order_id})
        if isinstance(command, ValidationError):
            return command
        outcome = await graph_commands.release_work_order(info.context.store, command)
        if not outcome.ok:
            return _refusal(outcome)
        work_order = outcome.record or {}
        event = _progress(work_order, outcome.extra["produced"], None, epoch_ms(datetime.now(UTC)))
        await self._publish(info, topics.WORK_ORDER_PROGRESS, event)
        return WorkOrder.from_record(work_order)

    async def record_production(self, info: strawberry.Info, data: RecordProductionInput) -> Any:
        command = validate(commands.RecordProduction, data.to_command())
        if isinstance(command, ValidationError):
            return command
        batch_id = command.batch_id or _new_id("B")
        now = epoch_ms(datetime.now(UTC))
        outcome = await graph_commands.record_production(info.context.store, command, batch_id, now)
        if not outcome.ok:
            return _refusal(outcome)
        batch = outcome.record or {}
        if outcome.changed:
            await self._publish(
                info,
                topics.WORK_ORDER_PROGRESS,
                _progress(
                    outcome.extra["work_order"],
                    outcome.extra["produced"],
                    batch["id"],
                    batch["completed_at"],
                ),
            )
        return Batch.from_record(batch)

    async def record_quality_event(
        self, info: strawberry.Info, data: RecordQualityEventInput
    ) -> Any:
        command = validate(commands.RecordQualityEvent, data.to_command())
        if isinstance(command, ValidationError):
            return command
        event_id = command.id or _new_id("QE")
        outcome = await graph_commands.record_quality_event(info.context.store, command, event_id)
        if not outcome.ok:
            return _refusal(outcome)
        event = outcome.record or {}
        await self._publish(
            info,
            topics.QUALITY_EVENTS,
            {
                "id": event["id"],
                "kind": event["kind"],
                "severity": event["severity"],
                "occurredAt": event["occurred_at"],
                "description": event.get("description", ""),
                "subjectIds": outcome.extra["subject_ids"],
            },
        )
        return QualityEvent.from_record(event)

    async def acknowledge_alert(self, info: strawberry.Info, alert_id: str) -> Any:
        command = validate(commands.AcknowledgeAlert, {"id": alert_id})
        if isinstance(command, ValidationError):
            return command
        outcome = await graph_commands.acknowledge_alert(info.context.store, command)
        if not outcome.ok:
            return _refusal(outcome)
        alert = outcome.record or {}
        if outcome.changed:
            await self._publish(
                info,
                topics.RISK_ALERTS,
                {
                    "id": alert["id"],
                    "severity": alert["severity"],
                    "message": alert["message"],
                    "createdAt": alert["created_at"],
                    "at": alert["updated_at"],
                    "acknowledged": True,
                    "aboutIds": outcome.extra["about_ids"],
                    "affectedSalesOrderIds": outcome.extra["affected_sales_order_ids"],
                    "kind": alert.get("kind"),
                    "probability": alert.get("probability"),
                    "horizonH": alert.get("horizon_h"),
                    "closedAt": alert.get("closed_at"),
                },
            )
        return RiskAlert.from_record(alert)

    @staticmethod
    async def _publish(info: strawberry.Info, topic: str, event: dict[str, Any]) -> None:
        try:
            await info.context.bus.publish(topic, event)
        except Exception:  # the write stands; a lost event must not turn it into an error
            log.exception("mutation.publish_failed topic=%s id=%s", topic, event.get("id"))


def _progress(
    work_order: Record, produced: float, batch_id: str | None, at_ms: int
) -> dict[str, Any]:
    return {
        "workOrderId": work_order["id"],
        "status": work_order["status"],
        "producedQuantity": produced,
        "quantity": float(work_order["quantity"]),
        "unit": work_order["unit"],
        "at": at_ms,
        "batchId": batch_id,
    }
