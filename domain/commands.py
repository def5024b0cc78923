"""Validated commands: what each mutation asks the graph to do, checked before any write.

These models know nothing of GraphQL or the database. The API turns its inputs into
them; `pydantic.ValidationError.errors()` locations are snake_case field paths
(`("consumed", 1, "quantity")`) that the API reports in its own spelling. Checks that
need the graph (do the ids exist, is there enough left in the lot) are the graph
statement's job, done inside the statement that writes.
"""

from __future__ import annotations

import hashlib
import json
from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from domain.states import QualityEventKind, Severity
from domain.values import Id, Instant, Positive

MAX_CONSUMED = 500
"""The most lots and batches one production record may consume."""

MAX_SUBJECTS = 100
"""The most machines, batches and lots one quality event may concern."""

IdempotencyKey = Annotated[
    str, Field(min_length=1, max_length=200, pattern=r"^[A-Za-z0-9][A-Za-z0-9._:\-]*$")
]
"""A client-chosen key naming one production record across retries (e.g. a UUID)."""

Description = Annotated[str, Field(max_length=2000)]


class Command(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


def _unique(ids: list[str], what: str) -> list[str]:
    seen: set[str] = set()
    for value in ids:
        if value in seen:
            raise ValueError(f"{what} {value!r} is named twice")
        seen.add(value)
    return ids


class CreateSalesOrder(Command):
    """A customer's order for a quantity of one product (in the product's own unit)."""

    id: Id
    customer_id: Id
    product_id: Id
    quantity: Positive
    ordered_at: Instant
    due_at: Instant
    priority: int = Field(default=3, ge=1, le=5)

    @field_validator("due_at")
    @classmethod
    def _due_after_ordered(cls, due_at: Instant, info: ValidationInfo) -> Instant:
        ordered_at = info.data.get("ordered_at")
        if ordered_at is not None and due_at < ordered_at:
            raise ValueError("must not be before orderedAt")
        return due_at


class ReleaseWorkOrder(Command):
    """Move a planned work order to released, so production may be recorded against it."""

    id: Id


class Consumption(Command):
    """Part of a material lot or of an intermediate batch a new batch used up.

    Exactly one of `lot_id`, `batch_id`; the quantity is in the unit of what is consumed.
    """

    lot_id: Id | None = None
    batch_id: Id | None = None
    quantity: Positive

    @model_validator(mode="after")
    def _one_source(self) -> Self:
        if (self.lot_id is None) == (self.batch_id is None):
            raise ValueError("give exactly one of lotId and batchId")
        return self


class RecordProduction(Command):
    """A batch a work order produced on a machine, with what it consumed.

    `batch_id` may be left out (the service then names the batch); `idempotency_key`
    makes a retried request return the first one's batch instead of recording twice.
    """

    idempotency_key: IdempotencyKey
    batch_id: Id | None = None
    work_order_id: Id
    machine_id: Id
    quantity: Positive
    started_at: Instant
    completed_at: Instant
    consumed: list[Consumption] = Field(default_factory=list, max_length=MAX_CONSUMED)

    @field_validator("completed_at")
    @classmethod
    def _completed_after_started(cls, completed_at: Instant, info: ValidationInfo) -> Instant:
        started_at = info.data.get("started_at")
        if started_at is not None and completed_at < started_at:
            raise ValueError("must not be before startedAt")
        return completed_at

    @field_validator("consumed")
    @classmethod
    def _each_source_once(cls, consumed: list[Consumption]) -> list[Consumption]:
        _unique([c.lot_id for c in consumed if c.lot_id is not None], "lot")
        _unique([c.batch_id for c in consumed if c.batch_id is not None], "batch")
        return consumed

    @property
    def lots(self) -> list[tuple[str, float]]:
        return [(c.lot_id, c.quantity) for c in self.consumed if c.lot_id is not None]

    @property
    def batches(self) -> list[tuple[str, float]]:
        return [(c.batch_id, c.quantity) for c in self.consumed if c.batch_id is not None]

    def request_hash(self) -> str:
        """A digest of the request as sent: equal for a retry, different for a changed payload."""
        canonical = json.dumps(self.model_dump(mode="json"), sort_keys=True)
        return hashlib.sha256(canonical.encode()).hexdigest()


class RecordQualityEvent(Command):
    """An inspection result, deviation or complaint about machines, batches and lots."""

    id: Id | None = None
    kind: QualityEventKind
    severity: Severity
    occurred_at: Instant
    description: Description = ""
    machine_ids: list[Id] = Field(default_factory=list, max_length=MAX_SUBJECTS)
    batch_ids: list[Id] = Field(default_factory=list, max_length=MAX_SUBJECTS)
    lot_ids: list[Id] = Field(default_factory=list, max_length=MAX_SUBJECTS)

    @field_validator("machine_ids", "batch_ids", "lot_ids")
    @classmethod
    def _no_repeats(cls, ids: list[str]) -> list[str]:
        return _unique(ids, "id")

    @model_validator(mode="after")
    def _has_subject(self) -> Self:
        if not (self.machine_ids or self.batch_ids or self.lot_ids):
            raise ValueError("name at least one machine, batch or lot it concerns")
        return self


class AcknowledgeAlert(Command):
    """Mark a risk alert as seen by a person; acknowledging twice changes nothing."""

    id: Id
