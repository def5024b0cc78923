"""The demo plant: simulate a year of a paint and adhesives maker, deterministically.

`generate_plant(spec, seed)` runs the whole simulation up front into compact records
(catalogue, equipment, orders, production, purchasing, genealogy, shipments, quality)
so that exact node and relationship counts are known before anything is written, then
`DemoPlant.chunks()` streams graph rows without holding them all.

Determinism: every phase draws from its own `random.Random` seeded with (seed, phase
name), never from the global generator or the wall clock; the history is the year that
ends at `timeline.NOW_MS`. Same (spec, seed) -> the same rows, byte for byte.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass

from domain.values import from_epoch_ms
from graph.bulk import NodeChunk
from ingest.demo import rows
from ingest.demo.catalog import Catalog, build_catalog
from ingest.demo.equipment import Equipment
from ingest.demo.fulfilment import plan_shipments
from ingest.demo.genealogy import Genealogy, trace_consumption
from ingest.demo.orders import build_sales_orders
from ingest.demo.production import Production
from ingest.demo.purchasing import Purchasing
from ingest.demo.quality import quality_events, state_changes
from ingest.demo.records import (
    LotRec,
    QualityEventRec,
    SalesOrderRec,
    ShipmentRec,
    StateChangeRec,
    SupplierRec,
)
from ingest.demo.scale import PlantSize, ScaleSpec, order_volume, size_plant
from ingest.demo.timeline import DAY_MS, NOW_MS

DEFAULT_CHUNK_ROWS = 10_000


@dataclass
class DemoPlant:
    """A generated plant: records plus the order in which each label's rows are written."""

    spec: ScaleSpec
    seed: int
    size: PlantSize
    catalog: Catalog
    equipment: Equipment
    orders: list[SalesOrderRec]
    production: Production
    purchasing: Purchasing
    genealogy: Genealogy
    shipments: list[ShipmentRec]
    quality_events: list[QualityEventRec]
    state_changes: list[StateChangeRec]
    po_order: list[int]
    lot_order: list[int]
    wo_order: list[int]
    shipment_order: list[int]
    event_order: list[int]
    state_change_order: list[int]
    node_counts: dict[str, int]
    relationship_counts: dict[str, int]
    now_ms: int = NOW_MS

    @property
    def expected_nodes(self) -> int:
        return sum(self.node_counts.values())

    @property
    def expected_relationships(self) -> int:
        return sum(self.relationship_counts.values())

    def chunks(self, chunk_rows: int = DEFAULT_CHUNK_ROWS) -> Iterator[NodeChunk]:
        """Rows of one label per chunk (at most `chunk_rows`), every link's far end first."""
        if chunk_rows < 1:
            raise ValueError("chunk_rows must be positive")
        return rows.plant_chunks(self, chunk_rows)

    @property
    def stats(self) -> dict[str, int]:
        """Simulation diagnostics: rush deliveries and intermediate stock shortfalls."""
        g = self.genealogy
        return {"expedited_lots": g.expedited, "fallbacks": g.fallbacks, "missing": g.missing}


def _stream(seed: int, phase: str) -> random.Random:
    return random.Random(f"factorygraph-demo:{seed}:{phase}")


def generate_plant(spec: ScaleSpec, seed: int = 42) -> DemoPlant:
    """Simulate the plant for (spec, seed); the same arguments always give the same plant."""
    with rows.gc_paused():
        return _generate(spec, seed)


def _generate(spec: ScaleSpec, seed: int) -> DemoPlant:
    size = size_plant(spec)
    catalog = build_catalog(size, _stream(seed, "catalog"))
    equipment = Equipment()
    equipment.add_sites(size.sites)
    catalogue_nodes = (
        len(catalog.suppliers)
        + len(catalog.materials)
        + len(catalog.products)
        + len(catalog.customers)
    )
    volume = order_volume(spec, catalogue_nodes, len(catalog.materials))
    orders = build_sales_orders(volume, catalog, _stream(seed, "orders"))
    production = Production(catalog, equipment)
    production.plan_finished(orders, _stream(seed, "finished"))
    production.plan_intermediates(_stream(seed, "intermediates"))
    equipment.add_operators(_stream(seed, "people"))
    production.settle(_stream(seed, "settle"))
    purchasing = Purchasing(catalog)
    purchasing.plan(production.batches, _stream(seed, "purchasing"))
    genealogy = trace_consumption(catalog, production, purchasing, _stream(seed, "genealogy"))
    shipments = plan_shipments(orders, production, catalog, _stream(seed, "shipping"))
    events = quality_events(
        catalog, equipment, production, purchasing, genealogy, shipments, _stream(seed, "quality")
    )
    changes = state_changes(equipment, _stream(seed, "states"))

    plant = DemoPlant(
        spec=spec,
        seed=seed,
        size=size,
        catalog=catalog,
        equipment=equipment,
        orders=orders,
        production=production,
        purchasing=purchasing,
        genealogy=genealogy,
        shipments=shipments,
        quality_events=events,
        state_changes=changes,
        po_order=[],
        lot_order=[],
        wo_order=[],
        shipment_order=[],
        event_order=[],
        state_change_order=[],
        node_counts={},
        relationship_counts={},
    )
    _assign_ids(plant, _stream(seed, "ids"))
    plant.node_counts, plant.relationship_counts = rows.count_plant(plant)
    return plant


def _ids(prefix: str, count: int, width: int) -> list[str]:
    width = max(width, len(str(count)))
    return [f"{prefix}-{n:0{width}d}" for n in range(1, count + 1)]


def _assign_ids(plant: DemoPlant, rng: random.Random) -> None:
    """Number everything in time order, as an ERP or MES would hand out numbers."""
    for so, ident in zip(plant.orders, _ids("SO", len(plant.orders), 6), strict=True):
        so.id = ident

    wos = plant.production.work_orders
    plant.wo_order = sorted(range(len(wos)), key=lambda i: (wos[i].planned_start, i))
    for i, ident in zip(plant.wo_order, _ids("WO", len(wos), 6), strict=True):
        wos[i].id = ident

    batches = plant.production.batches
    order = plant.genealogy.order
    for i, ident in zip(order, _ids("B", len(order), 7), strict=True):
        batches[i].id = ident

    pos = plant.purchasing.orders
    plant.po_order = sorted(range(len(pos)), key=lambda i: (pos[i].ordered_at, i))
    for i, ident in zip(plant.po_order, _ids("PO", len(pos), 6), strict=True):
        pos[i].id = ident

    lots = plant.purchasing.lots
    plant.lot_order = sorted(range(len(lots)), key=lambda i: (lots[i].received_at, i))
    suppliers = plant.catalog.suppliers
    for supplier in suppliers:
        supplier.lot_counter = rng.randrange(100, 5_000)
    for i, ident in zip(plant.lot_order, _ids("ML", len(lots), 7), strict=True):
        lot = lots[i]
        lot.id = ident
        lot.supplier_lot = _supplier_lot(suppliers[lot.supplier], lot)
        lot.status = _lot_status(lot)

    shipments = plant.shipments
    plant.shipment_order = sorted(range(len(shipments)), key=lambda i: (shipments[i].ready_at, i))
    for i, ident in zip(plant.shipment_order, _ids("SH", len(shipments), 6), strict=True):
        shipments[i].id = ident

    events = plant.quality_events
    plant.event_order = sorted(range(len(events)), key=lambda i: (events[i].at, i))
    for i, ident in zip(plant.event_order, _ids("QE", len(events), 6), strict=True):
        events[i].id = ident

    changes = plant.state_changes
    plant.state_change_order = sorted(range(len(changes)), key=lambda i: (changes[i].at, i))
    for i, ident in zip(plant.state_change_order, _ids("SC", len(changes), 6), strict=True):
        changes[i].id = ident


def _supplier_lot(supplier: SupplierRec, lot: LotRec) -> str:
    """The supplier's own lot number: its house format around a running counter."""
    supplier.lot_counter += 1
    n = supplier.lot_counter
    made = from_epoch_ms(lot.received_at - 3 * DAY_MS)  # produced a few days before receipt
    yy = made.year % 100
    p = supplier.lot_prefix
    style = supplier.lot_style
    if style == 0:
        return f"{p}-{yy:02d}-{n:05d}"
    if style == 1:
        return f"{yy:02d}{made.isocalendar().week:02d}{n:05d}"
    if style == 2:
        return f"L{yy:02d}{made.timetuple().tm_yday:03d}-{n:04d}"
    if style == 3:
        return f"{p}{yy:02d}{made.month:02d}/{n:04d}"
    return f"B{n:07d}"


def _lot_status(lot: LotRec) -> str:
    if lot.rejected:
        return "rejected"
    if lot.remaining <= 0:
        return "consumed"
    if lot.available_from > NOW_MS:
        return "quarantine"
    if lot.expires_at is not None and lot.expires_at <= NOW_MS:
        return "on_hold"
    return "available"
