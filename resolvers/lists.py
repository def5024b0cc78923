"""From a list's `filter`/`orderBy` inputs to one graph page query, and back to a connection."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import Any, TypeVar

from graph import reads
from graph.store import GraphStore
from resolvers.pagination import Window, connection
from schema.convert import to_ms
from schema.relay import Connection

T = TypeVar("T")


@dataclass(frozen=True)
class ListSpec:
    """How one label's filter input maps onto node properties and related-entity paths."""

    any_of: dict[str, str] = field(default_factory=dict)  # filter attribute -> property
    time_range: tuple[str, str] | None = None  # (filter attribute, property)
    text_properties: tuple[str, ...] = ("id",)
    related: dict[str, str] = field(default_factory=dict)  # filter attribute -> reads key


SPECS: dict[str, ListSpec] = {
    "Machine": ListSpec({"states": "state"}, None, ("id", "name"), {"line_id": "line"}),
    "WorkOrder": ListSpec(
        {"statuses": "status"},
        ("planned_start", "planned_start"),
        ("id",),
        {"machine_id": "machine", "product_id": "product", "sales_order_id": "salesOrder"},
    ),
    "Batch": ListSpec(
        {"statuses": "status"},
        ("started_at", "started_at"),
        ("id",),
        {"work_order_id": "workOrder", "machine_id": "machine"},
    ),
    "MaterialLot": ListSpec(
        {"statuses": "status"},
        ("received_at", "received_at"),
        ("id", "supplier_lot"),
        {"material_id": "material", "supplier_id": "supplier"},
    ),
    "QualityEvent": ListSpec(
        {"severities": "severity", "kinds": "kind"},
        ("occurred_at", "occurred_at"),
        ("description",),
        {"machine_id": "machine", "batch_id": "batch", "material_lot_id": "materialLot"},
    ),
    "Customer": ListSpec({"countries": "country"}, None, ("id", "name")),
    "SalesOrder": ListSpec(
        {"statuses": "status"},
        ("due_at", "due_at"),
        ("id",),
        {"customer_id": "customer", "product_id": "product"},
    ),
    "Product": ListSpec(
        {"kinds": "kind"},
        None,
        ("id", "name"),
        {"material_id": "material", "component_product_id": "component"},
    ),
    "Material": ListSpec(
        {}, None, ("id", "name"), {"supplier_id": "supplier", "used_by_product_id": "usedBy"}
    ),
    "Supplier": ListSpec(
        {"countries": "country"}, None, ("id", "name"), {"material_id": "material"}
    ),
    "PurchaseOrder": ListSpec(
        {"statuses": "status"},
        ("due_at", "due_at"),
        ("id",),
        {"supplier_id": "supplier", "material_id": "material"},
    ),
    "RiskAlert": ListSpec(
        {"severities": "severity"},
        ("created_at", "created_at"),
        ("message",),
        {"sales_order_id": "salesOrder", "about_id": "about"},
    ),
    "Prediction": ListSpec(
        {"kinds": "kind"}, ("created_at", "created_at"), ("kind",), {"about_id": "about"}
    ),
}


def _value(item: Any) -> Any:
    return item.value if isinstance(item, Enum) else item


def list_query(label: str, filter_input: Any, order: Any) -> reads.ListQuery:
    """The page query of `label` for a filter input object (None: everything)."""
    spec = SPECS[label]
    kwargs: dict[str, Any] = {"label": label, "text_properties": spec.text_properties}
    if order is not None:
        kwargs["order_property"] = _value(order.field)
        kwargs["descending"] = _value(order.direction) == "desc"
    if filter_input is None:
        return reads.ListQuery(**kwargs)
    if filter_input.ids is not None:
        kwargs["ids"] = [str(i) for i in filter_input.ids]
    kwargs["any_of"] = {
        prop: [str(_value(v)) for v in getattr(filter_input, attr)]
        for attr, prop in spec.any_of.items()
        if getattr(filter_input, attr) is not None
    }
    if spec.time_range is not None:
        attr, prop = spec.time_range
        span = getattr(filter_input, attr)
        if span is not None:
            kwargs.update(
                range_property=prop, range_from=to_ms(span.from_), range_to=to_ms(span.to)
            )
    kwargs["text"] = filter_input.text
    kwargs["related"] = {
        key: str(getattr(filter_input, attr))
        for attr, key in spec.related.items()
        if getattr(filter_input, attr) is not None
    }
    return reads.ListQuery(**kwargs)


async def list_connection(
    store: GraphStore,
    label: str,
    filter_input: Any,
    order: Any,
    build: Callable[[dict[str, Any]], T],
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
) -> Connection[T]:
    """A Relay connection over one label, filtered and ordered as the list's inputs say."""
    query = list_query(label, filter_input, order)
    return await query_connection(store, query, build, first, after, last, before)


async def query_connection(
    store: GraphStore,
    base: reads.ListQuery,
    build: Callable[[dict[str, Any]], T],
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
) -> Connection[T]:
    """A Relay connection over the rows of `base`: one page statement plus one count."""

    async def fetch(win: Window) -> tuple[list[T], int]:
        rows, total = await reads.page(store, replace(base, skip=win.skip, limit=win.limit))
        return [build(row) for row in rows], total

    async def count() -> int:
        return await reads.count(store, base)

    return await connection(first, after, last, before, fetch, count)
