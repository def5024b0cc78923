"""What happened in one simulated run: every record carries the hours at which it changed.

Times are hours from `History.start`; `None` means "not (yet) by the end of the run".
Records point at each other by list index. Features read only the parts of a record
dated at or before a snapshot's instant; labels read what comes after it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
import numpy.typing as npt

TELEMETRY = (
    "torque",
    "speed",
    "air_temp",
    "process_temp",
    "power",
    "tool_wear",
    "busy",
)
"""Columns of `History.telemetry`, sampled at the end of every tick."""


@dataclass(slots=True)
class SalesOrder:
    id: str
    customer: int
    product: int
    qty_rel: float
    """Quantity relative to the product's standard batch."""
    ordered_h: float
    due_h: float
    work_orders: list[int] = field(default_factory=list)
    shipped_h: float | None = None


@dataclass(slots=True)
class WorkOrder:
    id: str
    sales_order: int
    product: int
    tier: int
    qty_rel: float
    created_h: float
    planned_start_h: float
    planned_end_h: float
    needs: dict[int, float]
    """Material index -> quantity taken at start."""
    parent: int = -1
    components: list[int] = field(default_factory=list)
    operations: list[int] = field(default_factory=list)
    started_h: float | None = None
    done_h: float | None = None
    batch: int = -1
    blocked_h: list[float] = field(default_factory=list)
    """Ticks at which it could start but a material was short."""


@dataclass(slots=True)
class Operation:
    id: str
    work_order: int
    seq: int
    machine: int
    ideal_h: float
    start_h: float | None = None
    end_h: float | None = None
    progress: list[tuple[float, float]] = field(default_factory=list)
    """(hour, ideal hours done so far), appended each tick it runs."""


@dataclass(slots=True)
class Batch:
    id: str
    work_order: int
    product: int
    machine: int
    done_h: float
    lots: list[tuple[int, float]]
    batches: list[int]
    qc_score: float
    wear_at_make: float
    defective: bool
    rejected: bool
    found_h: float | None
    """When a released defective batch is found defective (a quality escape)."""


@dataclass(slots=True)
class PurchaseOrder:
    material: int
    supplier: int
    qty: float
    ordered_h: float
    due_h: float
    arrived_h: float
    lot: int = -1


@dataclass(slots=True)
class Lot:
    id: str
    material: int
    supplier: int
    qty: float
    received_h: float
    bad: bool
    uses: list[tuple[float, float, int]] = field(default_factory=list)
    """(hour, quantity, batch) per consumption."""


@dataclass(slots=True)
class Failure:
    machine: int
    at_h: float
    up_h: float
    modes: tuple[str, ...]


@dataclass
class Structure:
    """The reduced demo plant the run works on."""

    machine_ids: list[str]
    machine_line: list[int]
    line_machines: list[list[int]]
    product_ids: list[str]
    product_tier: list[int]
    material_ids: list[str]
    material_daily: list[float]
    """Expected demand per day: the scale quantities are measured in."""
    material_supplier: list[int]
    supplier_ids: list[str]
    customer_ids: list[str]


@dataclass
class History:
    seed: int
    days: float
    tick_h: float
    start: datetime
    structure: Structure
    sales_orders: list[SalesOrder]
    work_orders: list[WorkOrder]
    operations: list[Operation]
    batches: list[Batch]
    purchase_orders: list[PurchaseOrder]
    lots: list[Lot]
    failures: list[Failure]
    shortages: list[tuple[int, float]]
    """(material, hour) for every tick a released work order waited for it."""
    telemetry: npt.NDArray[np.float32]
    """[ticks, machines, len(TELEMETRY)], NaN where the machine was idle."""

    @property
    def end_h(self) -> float:
        return self.days * 24.0
