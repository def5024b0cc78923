"""MES view: equipment hierarchy, machines, work orders, operations, batches, lots, quality.

Types are built from stored node properties (`from_record`); a field that follows a
relationship asks the request's DataLoaders (`info.context.loaders`), so a whole level
of a nested query is one statement.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry

from schema.convert import instant
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


def _loaders(info: strawberry.Info) -> Any:
    return info.context.loaders


@strawberry.type(description="A plant: the root of the equipment hierarchy (ISA-95 site).")
class Site:
    id: strawberry.ID
    name: str
    timezone: str

    @classmethod
    def from_record(cls, r: Record) -> Site:
        return cls(id=strawberry.ID(r["id"]), name=r["name"], timezone=r.get("timezone", "UTC"))

    @strawberry.field
    async def areas(self, info: strawberry.Info) -> list[Area]:
        rows = await _loaders(info).related("Site", "PART_OF", "Area", outgoing=False).load(self.id)
        return [Area.from_record(r) for r in rows]


@strawberry.type(description="An area of a site.")
class Area:
    id: strawberry.ID
    name: str

    @classmethod
    def from_record(cls, r: Record) -> Area:
        return cls(id=strawberry.ID(r["id"]), name=r["name"])

    @strawberry.field
    async def lines(self, info: strawberry.Info) -> list[Line]:
        rows = await _loaders(info).related("Area", "PART_OF", "Line", outgoing=False).load(self.id)
        return [Line.from_record(r) for r in rows]

    @strawberry.field
    async def site(self, info: strawberry.Info) -> Site | None:
        r = await _loaders(info).one("Area", "PART_OF", "Site", self.id)
        return Site.from_record(r) if r else None


@strawberry.type(description="A production line of an area.")
class Line:
    id: strawberry.ID
    name: str

    @classmethod
    def from_record(cls, r: Record) -> Line:
        return cls(id=strawberry.ID(r["id"]), name=r["name"])

    @strawberry.field
    async def machines(self, info: strawberry.Info) -> list[Machine]:
        rows = (
            await _loaders(info).related("Line", "PART_OF", "Machine", outgoing=False).load(self.id)
        )
        return [Machine.from_record(r) for r in rows]

    @strawberry.field
    async def area(self, info: strawberry.Info) -> Area | None:
        r = await _loaders(info).one("Line", "PART_OF", "Area", self.id)
        return Area.from_record(r) if r else None


@strawberry.type(description="A live value of a machine, with the source's own timestamp.")
class MachineValue:
    name: str
    value: float | None
    unit: str | None
    source_timestamp: datetime | None
    quality: str | None


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
    async def line(self, info: strawberry.Info) -> Line | None:
        r = await _loaders(info).one("Machine", "PART_OF", "Line", self.id)
        return Line.from_record(r) if r else None

    @strawberry.field(description="The operation running on this machine now, if any.")
    async def current_operation(self, info: strawberry.Info) -> Operation | None:
        rows = (
            await _loaders(info)
            .related("Machine", "RUNS_ON", "Operation", outgoing=False)
            .load(self.id)
        )
        running = [r for r in rows if r.get("status") == "running"]
        return Operation.from_record(running[0]) if running else None

    @strawberry.field(description="Live values (tags) measured on this machine.")
    async def values(self, info: strawberry.Info) -> list[MachineValue]:
        rows = (
            await _loaders(info).related("Machine", "MEASURES", "Tag", outgoing=False).load(self.id)
        )
        return [
            MachineValue(
                name=r["property"],
                value=r.get("value"),
                unit=r.get("unit"),
                source_timestamp=instant(r.get("source_timestamp")),
                quality=r.get("quality"),
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
    async def machine(self, info: strawberry.Info) -> Machine | None:
        r = await _loaders(info).one("Operation", "RUNS_ON", "Machine", self.id)
        return Machine.from_record(r) if r else None

    @strawberry.field
    async def operator(self, info: strawberry.Info) -> Operator | None:
        r = await _loaders(info).one("Operation", "PERFORMED_BY", "Operator", self.id)
        return Operator.from_record(r) if r else None

    @strawberry.field
    async def work_order(self, info: strawberry.Info) -> WorkOrder | None:
        r = await _loaders(info).one(
            "Operation", "HAS_OPERATION", "WorkOrder", self.id, outgoing=False
        )
        return WorkOrder.from_record(r) if r else None


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
    async def operations(self, info: strawberry.Info) -> list[Operation]:
        rows = (
            await _loaders(info)
            .related("WorkOrder", "HAS_OPERATION", "Operation", order="sequence")
            .load(self.id)
        )
        return [Operation.from_record(r) for r in rows]

    @strawberry.field(description="Batches produced against this work order.")
    async def batches(self, info: strawberry.Info) -> list[Batch]:
        rows = (
            await _loaders(info)
            .related("WorkOrder", "PRODUCED_BY", "Batch", outgoing=False)
            .load(self.id)
        )
        return [Batch.from_record(r) for r in rows]

    @strawberry.field
    async def progress(self, info: strawberry.Info) -> Progress:
        loaders = _loaders(info)
        batches = await loaders.related("WorkOrder", "PRODUCED_BY", "Batch", outgoing=False).load(
            self.id
        )
        operations = await loaders.related(
            "WorkOrder", "HAS_OPERATION", "Operation", order="sequence"
        ).load(self.id)
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
    async def consumed_by(self, info: strawberry.Info) -> list[Batch]:
        rows = (
            await _loaders(info)
            .related("MaterialLot", "CONSUMED", "Batch", outgoing=False)
            .load(self.id)
        )
        return [Batch.from_record(r) for r in rows]

    @strawberry.field(description="The id of the lot's material.")
    async def material_id(self, info: strawberry.Info) -> strawberry.ID | None:
        r = await _loaders(info).one("MaterialLot", "OF_MATERIAL", "Material", self.id)
        return strawberry.ID(r["id"]) if r else None

    @strawberry.field(description="The id of the supplier the lot came from.")
    async def supplier_id(self, info: strawberry.Info) -> strawberry.ID | None:
        r = await _loaders(info).one("MaterialLot", "SUPPLIED_BY", "Supplier", self.id)
        return strawberry.ID(r["id"]) if r else None


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
    async def work_order(self, info: strawberry.Info) -> WorkOrder | None:
        r = await _loaders(info).one("Batch", "PRODUCED_BY", "WorkOrder", self.id)
        return WorkOrder.from_record(r) if r else None

    @strawberry.field
    async def machine(self, info: strawberry.Info) -> Machine | None:
        r = await _loaders(info).one("Batch", "PRODUCED_ON", "Machine", self.id)
        return Machine.from_record(r) if r else None

    @strawberry.field(description="What this batch consumed: lots and intermediate batches.")
    async def consumed(self, info: strawberry.Info) -> list[Consumption]:
        loaders = _loaders(info)
        lots = await loaders.related("Batch", "CONSUMED", "MaterialLot").load(self.id)
        batches = await loaders.related("Batch", "CONSUMED", "Batch").load(self.id)
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
    async def subject_ids(self, info: strawberry.Info) -> list[strawberry.ID]:
        loaders = _loaders(info)
        found: list[strawberry.ID] = []
        for label in ("Machine", "Batch", "MaterialLot"):
            rows = await loaders.related("QualityEvent", "CONCERNS", label).load(self.id)
            found += [strawberry.ID(r["id"]) for r in rows]
        return found
