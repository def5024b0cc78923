"""Compact in-memory records of the simulated plant, before they become graph rows.

Records refer to each other by list index (cheap, and ids are assigned only at the end,
in time order); all random choices are made while building them, so turning them into
rows (`ingest.demo.rows`) is a pure function and can be repeated.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class SiteRec:
    id: str
    name: str
    timezone: str
    country: str


@dataclass(slots=True)
class AreaRec:
    id: str
    name: str
    site: int


@dataclass(slots=True)
class LineRec:
    id: str
    name: str
    area: int
    site: int
    group: str
    machines: list[int] = field(default_factory=list)


@dataclass(slots=True)
class MachineRec:
    id: str
    name: str
    kind: str
    manufacturer: str
    serial_number: str
    line: int
    operation: str
    """What an operation on this machine is called ("Polymerisation", "Fill")."""
    speed: float
    """Ideal cycle time relative to the product's nominal one (a faster machine < 1)."""
    state: str = "not_executing"
    state_at: int | None = None


@dataclass(slots=True)
class OperatorRec:
    id: str
    name: str
    skill: str
    site: int


@dataclass(slots=True)
class SupplierRec:
    id: str
    name: str
    country: str
    category: str
    lot_prefix: str
    lot_style: int
    lot_counter: int = 0


@dataclass(slots=True)
class MaterialRec:
    id: str
    name: str
    unit: str
    category: str
    shelf_life_days: int | None
    pack: float
    """Smallest delivery unit (a bag pallet, a drum, an IBC, a tanker, a pallet of pails)."""
    suppliers: list[int]
    cycle_days: int
    lead_days: int


@dataclass(frozen=True, slots=True)
class Component:
    """One BOM line: `qty` of a material (or of a product when `is_product`) per unit."""

    is_product: bool
    index: int
    qty: float
    unit: str


@dataclass(slots=True)
class ProductRec:
    id: str
    name: str
    kind: str
    unit: str
    group: str
    tier: int
    """0 = finished; an intermediate's tier is greater than that of every product using it."""
    batch_size: float
    batch_hours: float
    components: list[Component] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    fill_rate: float = 0.0
    """Finished goods: pieces per hour on a filling line."""
    per_pallet: int = 0


@dataclass(slots=True)
class CustomerRec:
    id: str
    name: str
    country: str


@dataclass(slots=True)
class SalesOrderRec:
    customer: int
    ordered_at: int
    due_at: int
    priority: int
    lines: list[tuple[int, float]]
    cancelled: bool
    work_orders: list[int] = field(default_factory=list)
    status: str = "open"
    id: str = ""


@dataclass(slots=True)
class WorkOrderRec:
    product: int
    qty: float
    planned_start: int
    planned_end: int
    sales_order: int
    cancelled: bool = False
    line: int = -1
    batches: list[int] = field(default_factory=list)
    ops: list[tuple[int, int]] = field(default_factory=list)
    """(machine, operator or -1) per operation, in sequence."""
    status: str = "planned"
    actual_start: int | None = None
    actual_end: int | None = None
    id: str = ""


@dataclass(slots=True)
class BatchRec:
    product: int
    work_order: int
    line: int
    start: int
    end: int
    qty: float
    verdict: str = "pass"
    """Quality control's decision, drawn when the batch is planned: pass, reject or hold
    (a planned reject gets a replacement batch in the same work order)."""
    status: str = ""
    released_at: int = 0
    heel_from: int = -1
    """The previous batch of the same product on the same line whose heel this one takes."""
    id: str = ""


@dataclass(slots=True)
class PurchaseOrderRec:
    supplier: int
    material: int
    qty: float
    ordered_at: int
    due_at: int
    lots: list[int] = field(default_factory=list)
    status: str = "open"
    id: str = ""


@dataclass(slots=True)
class LotRec:
    material: int
    supplier: int
    purchase_order: int
    initial: float
    received_at: int
    available_from: int
    expires_at: int | None
    rejected: bool
    remaining: float = 0.0
    supplier_lot: str = ""
    status: str = ""
    id: str = ""


@dataclass(slots=True)
class ShipmentRec:
    sales_order: int
    customer: int
    batches: list[int]
    status: str
    shipped_at: int | None
    ready_at: int
    id: str = ""


@dataclass(slots=True)
class QualityEventRec:
    kind: str
    severity: str
    at: int
    description: str
    lots: tuple[int, ...] = ()
    batches: tuple[int, ...] = ()
    machines: tuple[int, ...] = ()
    id: str = ""


@dataclass(slots=True)
class StateChangeRec:
    machine: int
    from_state: str | None
    to_state: str
    at: int
    id: str = ""
