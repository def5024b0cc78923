"""A hand-built plant whose traces are known by heart (see the docstring of `build`)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from domain import nodes as n
from domain import relationships as r
from graph.store import GraphStore
from graph.upserts import upsert_nodes, upsert_relationships

T0 = datetime(2026, 10, 1, tzinfo=UTC)


def _lot(lot_id: str, supplier_lot: str) -> n.MaterialLot:
    return n.MaterialLot(
        id=lot_id,
        supplier_lot=supplier_lot,
        status=n.LotStatus.AVAILABLE,
        quantity=40,
        initial_quantity=100,
        unit=n.Unit.KILOGRAM,
        received_at=T0,
    )


def _batch(batch_id: str, day: int) -> n.Batch:
    return n.Batch(
        id=batch_id,
        status=n.BatchStatus.COMPLETED,
        quantity=50,
        unit=n.Unit.KILOGRAM,
        started_at=T0 + timedelta(days=day),
    )


def _rels(model: type[r.RelationshipModel], *pairs: tuple[str, str], **extra: Any) -> list[Any]:
    return [model(source_id=s, target_id=t, **extra) for s, t in pairs]


async def build(store: GraphStore) -> None:
    """Lots L1, L2 (flour, supplier S1, PO1), L3 (sugar, S2, PO2), L4 (sugar, S2, PO3).

    L1 and L4 share the supplier lot number "ACM-1" (different suppliers).
    I1 consumed L1, L2 and L3 (two lots of one material in one batch); I2 consumed L1
    and L4 (one lot in many batches). F1 consumed I1 and I2; F2 consumed I1 and the heel
    of F1 (carry-over). SH1 shipped F1 to C1 for SO1 (shipped); SH2 shipped F2 to C2
    for SO2 (in production, partly shipped). WO-F2 that made F2 fulfils SO3 (open).
    """
    await upsert_nodes(
        store, n.Customer, [n.Customer(id=c, name=c, country="DE") for c in ("C1", "C2")]
    )
    await upsert_nodes(
        store, n.Supplier, [n.Supplier(id=s, name=s, country="FR") for s in ("S1", "S2")]
    )
    await upsert_nodes(
        store,
        n.Product,
        [
            n.Product(id="P-FIN", name="Cake", kind=n.ProductKind.FINISHED, unit=n.Unit.PIECE),
            n.Product(
                id="P-INT", name="Dough", kind=n.ProductKind.INTERMEDIATE, unit=n.Unit.KILOGRAM
            ),
        ],
    )
    await upsert_nodes(
        store,
        n.PurchaseOrder,
        [
            n.PurchaseOrder(id=po, status=n.PurchaseOrderStatus.RECEIVED, ordered_at=T0, due_at=T0)
            for po in ("PO1", "PO2", "PO3")
        ],
    )
    statuses = {"SO1": "shipped", "SO2": "in_production", "SO3": "open"}
    await upsert_nodes(
        store,
        n.SalesOrder,
        [
            n.SalesOrder(id=so, status=n.SalesOrderStatus(st), ordered_at=T0, due_at=T0)
            for so, st in statuses.items()
        ],
    )
    await upsert_nodes(
        store,
        n.WorkOrder,
        [
            n.WorkOrder(
                id=wo,
                status=n.WorkOrderStatus.COMPLETED,
                quantity=10,
                unit=n.Unit.PIECE,
                planned_start=T0,
                planned_end=T0,
            )
            for wo in ("WO-I", "WO-F1", "WO-F2")
        ],
    )
    await upsert_nodes(
        store,
        n.MaterialLot,
        [_lot("L1", "ACM-1"), _lot("L2", "ACM-2"), _lot("L3", "SUG-9"), _lot("L4", "ACM-1")],
    )
    await upsert_nodes(
        store, n.Batch, [_batch("I1", 1), _batch("I2", 1), _batch("F1", 2), _batch("F2", 3)]
    )
    await upsert_nodes(
        store,
        n.Shipment,
        [n.Shipment(id=s, status=n.ShipmentStatus.SHIPPED, shipped_at=T0) for s in ("SH1", "SH2")],
    )
    kg = {"qty": 5.0, "unit": "kg"}
    await upsert_relationships(
        store,
        r.SuppliedBy,
        _rels(r.SuppliedBy, ("L1", "S1"), ("L2", "S1"), ("L3", "S2"), ("L4", "S2")),
    )
    await upsert_relationships(
        store,
        r.ReceivedAgainst,
        _rels(r.ReceivedAgainst, ("L1", "PO1"), ("L2", "PO1"), ("L3", "PO2"), ("L4", "PO3")),
    )
    consumed = [
        r.Consumed(source_id=b, target_id=t, target_label=label, **kg)
        for b, t, label in [
            ("I1", "L1", "MaterialLot"),
            ("I1", "L2", "MaterialLot"),
            ("I1", "L3", "MaterialLot"),
            ("I2", "L1", "MaterialLot"),
            ("I2", "L4", "MaterialLot"),
            ("F1", "I1", "Batch"),
            ("F1", "I2", "Batch"),
            ("F2", "I1", "Batch"),
            ("F2", "F1", "Batch"),
        ]
    ]
    await upsert_relationships(store, r.Consumed, consumed)
    await upsert_relationships(
        store,
        r.ProducedBy,
        _rels(r.ProducedBy, ("I1", "WO-I"), ("I2", "WO-I"), ("F1", "WO-F1"), ("F2", "WO-F2")),
    )
    await upsert_relationships(
        store,
        r.Makes,
        _rels(
            r.Makes, ("WO-I", "P-INT"), ("WO-F1", "P-FIN"), ("WO-F2", "P-FIN"), qty=10, unit="pcs"
        ),
    )
    await upsert_relationships(
        store, r.Fulfills, _rels(r.Fulfills, ("WO-F1", "SO1"), ("WO-F2", "SO3"))
    )
    await upsert_relationships(
        store, r.Contains, _rels(r.Contains, ("SH1", "F1"), ("SH2", "F2"), qty=10, unit="pcs")
    )
    await upsert_relationships(store, r.ShippedTo, _rels(r.ShippedTo, ("SH1", "C1"), ("SH2", "C2")))
    await upsert_relationships(
        store, r.ShipsOrder, _rels(r.ShipsOrder, ("SH1", "SO1"), ("SH2", "SO2"))
    )
