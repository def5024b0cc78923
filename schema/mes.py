"""MES view: equipment hierarchy, machines, work orders, operations, batches, lots, quality.

Types are built from stored node properties (`from_record`); a field that follows a
relationship asks the request's DataLoaders (`info.context.loaders`), so a whole level
of a nested query is one statement.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any, TypeVar

import strawberry

from schema.convert import instant
from schema.deferred import resolved
from schema.enums import (
    BatchStatus,
    LotStatus,
    MachineState,
    OperationStatus,
    QualityEventKind,
    Severity,
    WorkOrderStatus,
)

Record = dict[str, Any]
T = TypeVar("T")


def _related(
    info: strawberry.Info, node_id: str, label: str, rel: str, other: str, **kw: Any
) -> Awaitable[list[Record]]:
    """The request's DataLoader future for one node's neighbours along `rel`."""
    return info.context.loaders.related(label, rel, other, **kw).load(node_id)  # type: ignore[no-any-return]


def _each(build: Callable[[Record], T]) -> Callable[[list[Record]], list[T]]:
    return lambda rows: [build(r) for r in rows]


def _first_id(rows: list[Record]) -> strawberry.ID | None:
    return strawberry.ID(rows[0]["id"]) if rows else None


def _first(build: Callable[[Record], T]) -> Callable[[list[Record]], T | None]:
    return lambda rows: build(rows[0]) if rows else None


@strawberry.type(description="A plant: the root of the equipment hierarchy (ISA-95 site).")
class Site:
    id: strawberry.ID
    name: str
    timezone: str

    @classmethod
    def from_record(cls, r: Record) -> Site:
        return cls(id=strawberry.ID(r["id"]), name=r["name"], timezone=r.get("timezone", "UTC"))

    @strawberry.field
    def areas(self, info: strawberry.Info) -> list[Area]:
        return resolved(
            _each(Area.from_record),
            _related(info, self.id, "Site", "PART_OF", "Area", outgoing=False),
        )


@strawberry.type(description="An area of a site.")
class Area:
    id: strawberry.ID
    name: str

    @classmethod
    def from_record(cls, r: Record) -> Area:
        return cls(id=strawberry.ID(r["id"]), name=r["name"])

    @strawberry.field
    def lines(self, info: strawberry.Info) -> list[Line]:
        return resolved(
            _each(Line.from_record),
            _related(info, self.id, "Area", "PART_OF", "Line", outgoing=False),
        )

    @strawberry.field
    def site(self, info: strawberry.Info) -> Site | None:
        return resolved(
            _first(Site.from_record), _related(info, self.id, "Area", "PART_OF", "Site")
        )


@strawberry.type(description="A production line of an area.")
class Line:
    id: strawberry.ID
    name: str

    @classmethod
    def from_record(cls, r: Record) -> Line:
        return cls(id=strawberry.ID(r["id"]), name=r["name"])

    @strawberry.field
    def machines(self, info: strawberry.Info) -> list[Machine]:
        return resolved(
            _each(Machine.from_record),
            _related(info, self.id, "Line", "PART_OF", "Machine", outgoing=False),
        )

    @strawberry.field
    def area(self, info: strawberry.Info) -> Area | None:
        return resolved(
            _first(Area.from_record), _related(info, self.id, "Line", "PART_OF", "Area")
        )


@strawberry.type(description="A live value of a machine, with the source's own timestamp.")
class MachineValue:
    name: str
    value: float | None = strawberry.field(description="The value when it is a number.")
    text: str | None = strawberry.field(
        description="The value when it is text (operation mode, current work order id)."
    )
    unit: str | None
    source_timestamp: datetime | None
    quality: str | None = strawberry.field(
        description="good, uncertain or bad: a bad reading keeps the last good value above."
    )
    status_code: str | None = strawberry.field(description="The OPC UA status code's name.")


@strawberry.type(description="A machine: identity, live state, current operation, values.")
class Machine:
    id: strawberry.ID
    name: str
    kind: str
    manufacturer: str
    serial_number: str
    state: MachineState  # type: ignore[valid-type]
    state_at: datetime | None

    @classmethod
    def from_record(cls, r: Record) -> Machine:
        return cls(
            id=strawberry.ID(r["id"]),
            name=r["name"],
            kind=r["kind"],
            manufacturer=r["manufacturer"],
            serial_number=r["serial_number"],
            state=MachineState(r.get("state", "not_executing")),
            state_at=instant(r.get("state_at")),
        )

    @strawberry.field
    def line(self, info: strawberry.Info) -> Line | None:
        return resolved(
            _first(Line.from_record), _related(info, self.id, "Machine", "PART_OF", "Line")
        )

    @strawberry.field(description="The operation running on this machine now, if any.")
    def current_operation(self, info: strawberry.Info) -> Operation | None:
        def running(rows: list[Record]) -> Operation | None:
            now = [r for r in rows if r.get("status") == "running"]
            return Operation.from_record(now[0]) if now else None

        return resolved(
            running, _related(info, self.id, "Machine", "RUNS_ON", "Operation", outgoing=False)
        )

    @strawberry.field(description="Live values (tags) measured on this machine.")
    def values(self, info: strawberry.Info) -> list[MachineValue]:
        return resolved(
            _values, _related(info, self.id, "Machine", "MEASURES", "Tag", outgoing=False)
        )


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _values(rows: list[Record]) -> list[MachineValue]:
    return [
        MachineValue(
            name=r["property"],
            value=_number(r.get("value")),
            text=r["value"] if isinstance(r.get("value"), str) else None,
            unit=r.get("unit"),
            source_timestamp=instant(r.get("source_timestamp")),
            quality=r.get("quality"),
            status_code=r.get("status_code"),
        )
        for r in rows
    ]


@strawberry.type(description="A person who runs operations.")
class Operator:
    id: strawberry.ID
    name: str
    skill: str

    @classmethod
    def from_record(cls, r: Record) -> Operator:
        return cls(id=strawberry.ID(r["id"]), name=r["name"], skill=r["skill"])


@strawberry.type(description="One step of a work order's routing, on one machine.")
class Operation:
    id: strawberry.ID
    sequence: int
    name: str
    status: OperationStatus  # type: ignore[valid-type]
    ideal_cycle_time_s: float
    planned_start: datetime | None
    actual_start: datetime | None
    actual_end: datetime | None

    @classmethod
    def from_record(cls, r: Record) -> Operation:
        return cls(
            id=strawberry.ID(r["id"]),
            sequence=int(r["sequence"]),
            name=r["name"],
            status=OperationStatus(r["status"]),
            ideal_cycle_time_s=float(r["ideal_cycle_time_s"]),
            planned_start=instant(r.get("planned_start")),
            actual_start=instant(r.get("actual_start")),
            actual_end=instant(r.get("actual_end")),
        )

    @strawberry.field
    def machine(self, info: strawberry.Info) -> Machine | None:
        return resolved(
            _first(Machine.from_record), _related(info, self.id, "Operation", "RUNS_ON", "Machine")
        )

    @strawberry.field
    def operator(self, info: strawberry.Info) -> Operator | None:
        return resolved(
            _first(Operator.from_record),
            _related(info, self.id, "Operation", "PERFORMED_BY", "Operator"),
        )

    @strawberry.field
    def work_order(self, info: strawberry.Info) -> WorkOrder | None:
        return resolved(
            _first(WorkOrder.from_record),
            _related(info, self.id, "Operation", "HAS_OPERATION", "WorkOrder", outgoing=False),
        )


@strawberry.type(description="Progress of a work order: produced against planned.")
class Progress:
    planned_quantity: float
    produced_quantity: float
    unit: str
    operations_done: int
    operations_total: int

    @strawberry.field
    def fraction(self) -> float:
        if self.planned_quantity <= 0:
            return 0.0
        return min(1.0, self.produced_quantity / self.planned_quantity)


@strawberry.type(description="A work order: what to make, its routing and what it produced.")
class WorkOrder:
    id: strawberry.ID
    status: WorkOrderStatus  # type: ignore[valid-type]
    quantity: float
    unit: str
    planned_start: datetime
    planned_end: datetime
    actual_start: datetime | None
    actual_end: datetime | None

    @classmethod
    def from_record(cls, r: Record) -> WorkOrder:
        return cls(
            id=strawberry.ID(r["id"]),
            status=WorkOrderStatus(r["status"]),
            quantity=float(r["quantity"]),
            unit=r["unit"],
            planned_start=instant(r["planned_start"]),  # type: ignore[arg-type]
            planned_end=instant(r["planned_end"]),  # type: ignore[arg-type]
            actual_start=instant(r.get("actual_start")),
            actual_end=instant(r.get("actual_end")),
        )

    @strawberry.field(description="The routing, in sequence.")
    def operations(self, info: strawberry.Info) -> list[Operation]:
        return resolved(
            _each(Operation.from_record),
            _related(info, self.id, "WorkOrder", "HAS_OPERATION", "Operation", order="sequence"),
        )

    @strawberry.field(description="Batches produced against this work order.")
    def batches(self, info: strawberry.Info) -> list[Batch]:
        return resolved(
            _each(Batch.from_record),
            _related(info, self.id, "WorkOrder", "PRODUCED_BY", "Batch", outgoing=False),
        )

    @strawberry.field
    def progress(self, info: strawberry.Info) -> Progress:
        return resolved(
            self._progress,
            _related(info, self.id, "WorkOrder", "PRODUCED_BY", "Batch", outgoing=False),
            _related(info, self.id, "WorkOrder", "HAS_OPERATION", "Operation", order="sequence"),
        )

    def _progress(self, batches: list[Record], operations: list[Record]) -> Progress:
        produced = sum(float(b["quantity"]) for b in batches if b["status"] != "rejected")
        return Progress(
            planned_quantity=self.quantity,
            produced_quantity=produced,
            unit=self.unit,
            operations_done=sum(1 for o in operations if o["status"] == "done"),
            operations_total=len(operations),
        )


@strawberry.type(description="A lot of material: bought in, with the supplier's own lot number.")
class MaterialLot:
    id: strawberry.ID
    supplier_lot: str | None
    status: LotStatus  # type: ignore[valid-type]
    quantity: float
    initial_quantity: float
    unit: str
    received_at: datetime
    expires_at: datetime | None

    @classmethod
    def from_record(cls, r: Record) -> MaterialLot:
        return cls(
            id=strawberry.ID(r["id"]),
            supplier_lot=r.get("supplier_lot"),
            status=LotStatus(r["status"]),
            quantity=float(r["quantity"]),
            initial_quantity=float(r["initial_quantity"]),
            unit=r["unit"],
            received_at=instant(r["received_at"]),  # type: ignore[arg-type]
            expires_at=instant(r.get("expires_at")),
        )

    @strawberry.field(description="Batches that consumed this lot.")
    def consumed_by(self, info: strawberry.Info) -> list[Batch]:
        return resolved(
            _each(Batch.from_record),
            _related(info, self.id, "MaterialLot", "CONSUMED", "Batch", outgoing=False),
        )

    @strawberry.field(description="The id of the lot's material.")
    def material_id(self, info: strawberry.Info) -> strawberry.ID | None:
        return resolved(
            _first_id, _related(info, self.id, "MaterialLot", "OF_MATERIAL", "Material")
        )

    @strawberry.field(description="The id of the supplier the lot came from.")
    def supplier_id(self, info: strawberry.Info) -> strawberry.ID | None:
        return resolved(
            _first_id, _related(info, self.id, "MaterialLot", "SUPPLIED_BY", "Supplier")
        )


@strawberry.type(description="A lot or batch a batch consumed, with the quantity it took.")
class Consumption:
    quantity: float | None
    unit: str | None
    lot: MaterialLot | None
    batch: Batch | None


@strawberry.type(description="A batch produced by a work order on a machine.")
class Batch:
    id: strawberry.ID
    status: BatchStatus  # type: ignore[valid-type]
    quantity: float
    unit: str
    started_at: datetime
    completed_at: datetime | None

    @classmethod
    def from_record(cls, r: Record) -> Batch:
        return cls(
            id=strawberry.ID(r["id"]),
            status=BatchStatus(r["status"]),
            quantity=float(r["quantity"]),
            unit=r["unit"],
            started_at=instant(r["started_at"]),  # type: ignore[arg-type]
            completed_at=instant(r.get("completed_at")),
        )

    @strawberry.field
    def work_order(self, info: strawberry.Info) -> WorkOrder | None:
        return resolved(
            _first(WorkOrder.from_record),
            _related(info, self.id, "Batch", "PRODUCED_BY", "WorkOrder"),
        )

    @strawberry.field
    def machine(self, info: strawberry.Info) -> Machine | None:
        return resolved(
            _first(Machine.from_record), _related(info, self.id, "Batch", "PRODUCED_ON", "Machine")
        )

    @strawberry.field(description="What this batch consumed: lots and intermediate batches.")
    def consumed(self, info: strawberry.Info) -> list[Consumption]:
        return resolved(
            _consumptions,
            _related(info, self.id, "Batch", "CONSUMED", "MaterialLot"),
            _related(info, self.id, "Batch", "CONSUMED", "Batch"),
        )


def _consumptions(lots: list[Record], batches: list[Record]) -> list[Consumption]:
    return [
        Consumption(
            quantity=r["_rel"].get("qty"),
            unit=r["_rel"].get("unit"),
            lot=MaterialLot.from_record(r),
            batch=None,
        )
        for r in lots
    ] + [
        Consumption(
            quantity=r["_rel"].get("qty"),
            unit=r["_rel"].get("unit"),
            lot=None,
            batch=Batch.from_record(r),
        )
        for r in batches
    ]


@strawberry.type(description="A quality event about a machine, batch or lot.")
class QualityEvent:
    id: strawberry.ID
    kind: QualityEventKind  # type: ignore[valid-type]
    severity: Severity  # type: ignore[valid-type]
    occurred_at: datetime
    description: str

    @classmethod
    def from_record(cls, r: Record) -> QualityEvent:
        return cls(
            id=strawberry.ID(r["id"]),
            kind=QualityEventKind(r["kind"]),
            severity=Severity(r["severity"]),
            occurred_at=instant(r["occurred_at"]),  # type: ignore[arg-type]
            description=r.get("description", ""),
        )

    @strawberry.field(description="Ids of the machines, batches and lots it concerns.")
    def subject_ids(self, info: strawberry.Info) -> list[strawberry.ID]:
        def ids(*found: list[Record]) -> list[strawberry.ID]:
            return [strawberry.ID(r["id"]) for rows in found for r in rows]

        labels = ("Machine", "Batch", "MaterialLot")
        return resolved(
            ids, *(_related(info, self.id, "QualityEvent", "CONCERNS", label) for label in labels)
        )
