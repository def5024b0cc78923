"""The mutations' commands: what validation accepts and refuses, and how errors are named."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from pydantic import ValidationError

from domain.commands import (
    CreateSalesOrder,
    RecordProduction,
    RecordQualityEvent,
    ReleaseWorkOrder,
)
from resolvers.mutations import field_path, validate
from schema.errors import ValidationError as ValidationErrorType

T0 = datetime(2026, 3, 2, 6, tzinfo=UTC)
T1 = datetime(2026, 3, 2, 7, tzinfo=UTC)


def production(**change: Any) -> dict[str, Any]:
    return {
        "idempotency_key": "req-1",
        "work_order_id": "WO-1",
        "machine_id": "M-1",
        "quantity": 5.0,
        "started_at": T0,
        "completed_at": T1,
        "consumed": [{"lot_id": "L-1", "quantity": 2.0}, {"batch_id": "B-0", "quantity": 1.0}],
    } | change


def test_a_valid_production_record_splits_lots_from_batches() -> None:
    command = RecordProduction.model_validate(production())
    assert command.lots == [("L-1", 2.0)]
    assert command.batches == [("B-0", 1.0)]


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"quantity": -1}, "quantity"),
        ({"quantity": float("nan")}, "quantity"),
        ({"work_order_id": "  "}, "workOrderId"),
        ({"idempotency_key": "has space"}, "idempotencyKey"),
        ({"started_at": datetime(2026, 3, 2, 6)}, "startedAt"),  # naive
        ({"completed_at": datetime(2026, 3, 2, 5, tzinfo=UTC)}, "completedAt"),
        ({"consumed": [{"lot_id": "L", "quantity": 0}]}, "consumed[0].quantity"),
        ({"consumed": [{"lot_id": "L", "batch_id": "B", "quantity": 1}]}, "consumed[0]"),
        ({"consumed": [{"lot_id": "L", "quantity": 1}] * 2}, "consumed"),
    ],
)
def test_invalid_production_records_name_the_field(change: dict[str, Any], path: str) -> None:
    answer = validate(RecordProduction, production(**change))
    assert isinstance(answer, ValidationErrorType)
    assert answer.field == path
    assert answer.message and not answer.message.startswith("Value error")


def test_the_request_hash_follows_the_payload_only() -> None:
    first = RecordProduction.model_validate(production())
    assert first.request_hash() == RecordProduction.model_validate(production()).request_hash()
    assert (
        first.request_hash()
        != RecordProduction.model_validate(production(quantity=5.5)).request_hash()
    )


def test_sales_orders_are_due_after_they_are_ordered() -> None:
    good = {
        "id": "SO-1",
        "customer_id": "C",
        "product_id": "P",
        "quantity": 3,
        "ordered_at": T0,
        "due_at": T1,
    }
    assert CreateSalesOrder.model_validate(good).priority == 3
    with pytest.raises(ValidationError):
        CreateSalesOrder.model_validate(good | {"due_at": T0.replace(hour=1)})
    with pytest.raises(ValidationError):
        CreateSalesOrder.model_validate(good | {"priority": 9})


def test_a_quality_event_needs_a_subject_and_known_enums() -> None:
    event = {"kind": "deviation", "severity": "low", "occurred_at": T0}
    answer = validate(RecordQualityEvent, event)
    assert isinstance(answer, ValidationErrorType)
    assert answer.field == "input"
    assert isinstance(validate(RecordQualityEvent, event | {"lot_ids": ["L"]}), RecordQualityEvent)
    with pytest.raises(ValidationError):
        RecordQualityEvent.model_validate(event | {"lot_ids": ["L"], "kind": "nope"})


def test_ids_are_trimmed_and_never_empty() -> None:
    assert ReleaseWorkOrder(id="  WO-7 ").id == "WO-7"
    answer = validate(ReleaseWorkOrder, {"id": ""})
    assert isinstance(answer, ValidationErrorType)
    assert answer.field == "id"


@pytest.mark.parametrize(
    ("loc", "path"),
    [
        ((), "input"),
        (("due_at",), "dueAt"),
        (("consumed", 3, "lot_id"), "consumed[3].lotId"),
        (("consumed", 0, "function-after[_one_source()]"), "consumed[0]"),
    ],
)
def test_field_paths_are_camel_case(loc: tuple[int | str, ...], path: str) -> None:
    assert field_path(loc) == path
