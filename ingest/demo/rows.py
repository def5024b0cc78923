"""Turn the simulated plant into `graph.bulk.NodeChunk`s, label by label, in dependency order.

Every relationship is carried by the row of the node written later, pointing at a node
written earlier (or earlier in the same label: intermediates before the products using
them, a batch after the batches it consumed, an operation after its predecessor), since
the bulk statement MERGEs the other end by id and would otherwise leave a stub.

Rows hold stored values only (epoch-ms instants, enum strings, float quantities) and are
built from plain records without pydantic, so a million-node plant streams in seconds.
`count_plant` counts what `plant_chunks` yields without building any row.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import islice
from typing import TYPE_CHECKING, Any

from graph.bulk import EdgeKind, NodeChunk

if TYPE_CHECKING:
    from ingest.demo.plant import DemoPlant

Row = dict[str, Any]

LABEL_ORDER = (
    "Site",
    "Area",
    "Line",
    "Machine",
    "Operator",
    "Supplier",
    "Customer",
    "Material",
    "Product",
    "PurchaseOrder",
    "MaterialLot",
    "SalesOrder",
    "WorkOrder",
    "Operation",
    "Batch",
    "Shipment",
    "QualityEvent",
    "StateChange",
)

KINDS: dict[str, tuple[EdgeKind, ...]] = {
    "Site": (),
    "Area": (EdgeKind("PART_OF", "Site"),),
    "Line": (EdgeKind("PART_OF", "Area"),),
    "Machine": (EdgeKind("PART_OF", "Line"),),
    "Operator": (EdgeKind("WORKS_AT", "Site"),),
    "Supplier": (),
    "Customer": (),
    "Material": (),
    "Product": (EdgeKind("HAS_COMPONENT", "Material"), EdgeKind("HAS_COMPONENT", "Product")),
    "PurchaseOrder": (EdgeKind("FROM", "Supplier"), EdgeKind("FOR_MATERIAL", "Material")),
    "MaterialLot": (
        EdgeKind("OF_MATERIAL", "Material"),
        EdgeKind("SUPPLIED_BY", "Supplier"),
        EdgeKind("RECEIVED_AGAINST", "PurchaseOrder"),
    ),
    "SalesOrder": (EdgeKind("PLACED_BY", "Customer"), EdgeKind("FOR_PRODUCT", "Product")),
    "WorkOrder": (EdgeKind("MAKES", "Product"), EdgeKind("FULFILLS", "SalesOrder")),
    "Operation": (
        EdgeKind("HAS_OPERATION", "WorkOrder", outgoing=False),
        EdgeKind("RUNS_ON", "Machine"),
        EdgeKind("PERFORMED_BY", "Operator"),
        EdgeKind("NEXT", "Operation", outgoing=False),
    ),
    "Batch": (
        EdgeKind("PRODUCED_BY", "WorkOrder"),
        EdgeKind("PRODUCED_ON", "Machine"),
        EdgeKind("CONSUMED", "MaterialLot"),
        EdgeKind("CONSUMED", "Batch"),
    ),
    "Shipment": (
        EdgeKind("CONTAINS", "Batch"),
        EdgeKind("SHIPPED_TO", "Customer"),
        EdgeKind("FOR_ORDER", "SalesOrder"),
    ),
    "QualityEvent": (
        EdgeKind("CONCERNS", "MaterialLot"),
        EdgeKind("CONCERNS", "Batch"),
        EdgeKind("CONCERNS", "Machine"),
    ),
    "StateChange": (EdgeKind("OF", "Machine"),),
}


def _link(target: str) -> Row:
    return {"id": target, "props": {}}


def _amount(target: str, qty: float, unit: str) -> Row:
    return {"id": target, "props": {"qty": qty, "unit": unit}}


def _node(props: Row, *edges: list[Row]) -> Row:
    return {"id": props["id"], "props": props, "edges": list(edges)}


def _optional(props: Row, **values: object) -> Row:
    for key, value in values.items():
        if value is not None:
            props[key] = value
    return props


def plant_chunks(plant: DemoPlant, chunk_rows: int) -> Iterator[NodeChunk]:
    emitters = {
        "Site": _sites,
        "Area": _areas,
        "Line": _lines,
        "Machine": _machines,
        "Operator": _operators,
        "Supplier": _suppliers,
        "Customer": _customers,
        "Material": _materials,
        "Product": _products,
        "PurchaseOrder": _purchase_orders,
        "MaterialLot": _lots,
        "SalesOrder": _sales_orders,
        "WorkOrder": _work_orders,
        "Operation": _operations,
        "Batch": _batches,
        "Shipment": _shipments,
        "QualityEvent": _quality_events,
        "StateChange": _state_changes,
    }
    for label in LABEL_ORDER:
        yield from _chunked(label, emitters[label](plant), chunk_rows)


def _chunked(label: str, rows: Iterator[Row], size: int) -> Iterator[NodeChunk]:
    kinds = KINDS[label]
    while True:
        with gc_paused():
            buffer = list(islice(rows, size))
        if not buffer:
            return
        yield NodeChunk(label, kinds, buffer)


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many small, acyclic objects.

    Rows and records never form reference cycles (plain counting frees them), but with
    millions of live records every collection the allocations trigger would scan them
    all: building the large plant's rows took 4x longer with the collector running.
    The previous state is restored on exit, so the caller's code runs as it did.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


# --- equipment and people ----------------------------------------------------------------
def _sites(plant: DemoPlant) -> Iterator[Row]:
    for s in plant.equipment.sites:
        yield _node({"id": s.id, "name": s.name, "timezone": s.timezone})


def _areas(plant: DemoPlant) -> Iterator[Row]:
    sites = plant.equipment.sites
    for a in plant.equipment.areas:
        yield _node({"id": a.id, "name": a.name}, [_link(sites[a.site].id)])


def _lines(plant: DemoPlant) -> Iterator[Row]:
    areas = plant.equipment.areas
    for ln in plant.equipment.lines:
        yield _node({"id": ln.id, "name": ln.name}, [_link(areas[ln.area].id)])


def _machines(plant: DemoPlant) -> Iterator[Row]:
    lines = plant.equipment.lines
    for m in plant.equipment.machines:
        props = {
            "id": m.id,
            "name": m.name,
            "kind": m.kind,
            "manufacturer": m.manufacturer,
            "serial_number": m.serial_number,
            "state": m.state,
        }
        yield _node(_optional(props, state_at=m.state_at), [_link(lines[m.line].id)])


def _operators(plant: DemoPlant) -> Iterator[Row]:
    sites = plant.equipment.sites
    for o in plant.equipment.operators:
        yield _node({"id": o.id, "name": o.name, "skill": o.skill}, [_link(sites[o.site].id)])


# --- master data -------------------------------------------------------------------------
def _suppliers(plant: DemoPlant) -> Iterator[Row]:
    for s in plant.catalog.suppliers:
        yield _node({"id": s.id, "name": s.name, "country": s.country})


def _customers(plant: DemoPlant) -> Iterator[Row]:
    for c in plant.catalog.customers:
        yield _node({"id": c.id, "name": c.name, "country": c.country})


def _materials(plant: DemoPlant) -> Iterator[Row]:
    for m in plant.catalog.materials:
        props = {"id": m.id, "name": m.name, "unit": m.unit}
        yield _node(_optional(props, shelf_life_days=m.shelf_life_days))


def product_order(plant: DemoPlant) -> list[int]:
    """Deepest tier first, so a product's sub-products are written before it."""
    products = plant.catalog.products
    return sorted(range(len(products)), key=lambda i: (-products[i].tier, i))


def _products(plant: DemoPlant) -> Iterator[Row]:
    materials = plant.catalog.materials
    products = plant.catalog.products
    for i in product_order(plant):
        p = products[i]
        to_materials = [
            _amount(materials[c.index].id, c.qty, c.unit) for c in p.components if not c.is_product
        ]
        to_products = [
            _amount(products[c.index].id, c.qty, c.unit) for c in p.components if c.is_product
        ]
        props = {"id": p.id, "name": p.name, "kind": p.kind, "unit": p.unit}
        yield _node(props, to_materials, to_products)


# --- purchasing --------------------------------------------------------------------------
def _purchase_orders(plant: DemoPlant) -> Iterator[Row]:
    suppliers = plant.catalog.suppliers
    materials = plant.catalog.materials
    orders = plant.purchasing.orders
    for i in plant.po_order:
        po = orders[i]
        m = materials[po.material]
        props = {"id": po.id, "status": po.status, "ordered_at": po.ordered_at, "due_at": po.due_at}
        yield _node(props, [_link(suppliers[po.supplier].id)], [_amount(m.id, po.qty, m.unit)])


def _lots(plant: DemoPlant) -> Iterator[Row]:
    supplier_id = [s.id for s in plant.catalog.suppliers]
    materials = plant.catalog.materials
    order_id = [po.id for po in plant.purchasing.orders]
    lots = plant.purchasing.lots
    for i in plant.lot_order:
        lot = lots[i]
        m = materials[lot.material]
        props = {
            "id": lot.id,
            "supplier_lot": lot.supplier_lot,
            "status": lot.status,
            "quantity": lot.remaining,
            "initial_quantity": lot.initial,
            "unit": m.unit,
            "received_at": lot.received_at,
        }
        if lot.expires_at is not None:
            props["expires_at"] = lot.expires_at
        yield {
            "id": lot.id,
            "props": props,
            "edges": [
                [{"id": m.id, "props": {}}],
                [{"id": supplier_id[lot.supplier], "props": {}}],
                [{"id": order_id[lot.purchase_order], "props": {}}],
            ],
        }


# --- orders and production ---------------------------------------------------------------
def _sales_orders(plant: DemoPlant) -> Iterator[Row]:
    customer_id = [c.id for c in plant.catalog.customers]
    products = plant.catalog.products
    for so in plant.orders:
        props = {
            "id": so.id,
            "status": so.status,
            "ordered_at": so.ordered_at,
            "due_at": so.due_at,
            "priority": so.priority,
        }
        lines = [
            {"id": products[p].id, "props": {"qty": qty, "unit": products[p].unit}}
            for p, qty in so.lines
        ]
        yield {
            "id": so.id,
            "props": props,
            "edges": [[{"id": customer_id[so.customer], "props": {}}], lines],
        }


def _work_orders(plant: DemoPlant) -> Iterator[Row]:
    products = plant.catalog.products
    order_id = [so.id for so in plant.orders]
    wos = plant.production.work_orders
    for i in plant.wo_order:
        wo = wos[i]
        p = products[wo.product]
        props = {
            "id": wo.id,
            "status": wo.status,
            "quantity": wo.qty,
            "unit": p.unit,
            "planned_start": wo.planned_start,
            "planned_end": wo.planned_end,
        }
        if wo.actual_start is not None:
            props["actual_start"] = wo.actual_start
        if wo.actual_end is not None:
            props["actual_end"] = wo.actual_end
        fulfils = [{"id": order_id[wo.sales_order], "props": {}}] if wo.sales_order >= 0 else []
        makes = [{"id": p.id, "props": {"qty": wo.qty, "unit": p.unit}}]
        yield {"id": wo.id, "props": props, "edges": [makes, fulfils]}


def _operations(plant: DemoPlant) -> Iterator[Row]:
    products = plant.catalog.products
    machines = plant.equipment.machines
    operator_id = [o.id for o in plant.equipment.operators]
    production = plant.production
    times = production.operation_times
    wos = production.work_orders
    for i in plant.wo_order:
        wo = wos[i]
        p = products[wo.product]
        nominal = p.batch_hours * 3600 / p.batch_size
        k = len(wo.ops)
        previous: list[Row] = []
        for seq, (machine, operator) in enumerate(wo.ops):
            m = machines[machine]
            planned, started, ended = times(wo, seq, k)
            op_id = f"{wo.id}-{(seq + 1) * 10:03d}"
            props = {
                "id": op_id,
                "sequence": seq + 1,
                "name": m.operation,
                "status": "pending",
                "ideal_cycle_time_s": round(nominal * m.speed, 4),
                "planned_start": planned,
            }
            if started is not None:
                props["actual_start"] = started
                props["status"] = "running"
                if ended is not None:
                    props["actual_end"] = ended
                    props["status"] = "done"
            yield {
                "id": op_id,
                "props": props,
                "edges": [
                    [{"id": wo.id, "props": {}}],
                    [{"id": m.id, "props": {}}],
                    [{"id": operator_id[operator], "props": {}}] if operator >= 0 else [],
                    previous,
                ],
            }
            previous = [{"id": op_id, "props": {}}]


def _batches(plant: DemoPlant) -> Iterator[Row]:
    products = plant.catalog.products
    materials = plant.catalog.materials
    machines = plant.equipment.machines
    line_machine = [machines[ln.machines[0]].id for ln in plant.equipment.lines]
    wo_id = [wo.id for wo in plant.production.work_orders]
    batches = plant.production.batches
    lots = plant.purchasing.lots
    g = plant.genealogy
    lot_targets, lot_qty, lot_offsets = g.lot_targets, g.lot_qty, g.lot_offsets
    batch_targets, batch_qty, batch_offsets = g.batch_targets, g.batch_qty, g.batch_offsets
    lot_id = [lot.id for lot in lots]
    lot_unit = [materials[lot.material].unit for lot in lots]
    product_unit = [p.unit for p in products]
    now = plant.now_ms
    for n, i in enumerate(g.order):
        b = batches[i]
        props = {
            "id": b.id,
            "status": b.status,
            "quantity": b.qty,
            "unit": product_unit[b.product],
            "started_at": b.start,
        }
        if b.end <= now:
            props["completed_at"] = b.end
        consumed_lots = []
        for e in range(lot_offsets[n], lot_offsets[n + 1]):
            lot = lot_targets[e]
            consumed_lots.append(
                {"id": lot_id[lot], "props": {"qty": lot_qty[e], "unit": lot_unit[lot]}}
            )
        consumed_batches = []
        for e in range(batch_offsets[n], batch_offsets[n + 1]):
            source = batches[batch_targets[e]]
            consumed_batches.append(
                {
                    "id": source.id,
                    "props": {"qty": batch_qty[e], "unit": product_unit[source.product]},
                }
            )
        yield {
            "id": b.id,
            "props": props,
            "edges": [
                [{"id": wo_id[b.work_order], "props": {}}],
                [{"id": line_machine[b.line], "props": {}}],
                consumed_lots,
                consumed_batches,
            ],
        }


def _shipments(plant: DemoPlant) -> Iterator[Row]:
    batches = plant.production.batches
    product_unit = [p.unit for p in plant.catalog.products]
    customer_id = [c.id for c in plant.catalog.customers]
    order_id = [so.id for so in plant.orders]
    for i in plant.shipment_order:
        s = plant.shipments[i]
        contains = []
        for b in s.batches:
            batch = batches[b]
            contains.append(
                {"id": batch.id, "props": {"qty": batch.qty, "unit": product_unit[batch.product]}}
            )
        props: Row = {"id": s.id, "status": s.status}
        if s.shipped_at is not None:
            props["shipped_at"] = s.shipped_at
        yield {
            "id": s.id,
            "props": props,
            "edges": [
                contains,
                [{"id": customer_id[s.customer], "props": {}}],
                [{"id": order_id[s.sales_order], "props": {}}],
            ],
        }


def _quality_events(plant: DemoPlant) -> Iterator[Row]:
    lots = plant.purchasing.lots
    batches = plant.production.batches
    machines = plant.equipment.machines
    events = plant.quality_events
    for i in plant.event_order:
        q = events[i]
        props = {
            "id": q.id,
            "kind": q.kind,
            "severity": q.severity,
            "occurred_at": q.at,
            "description": q.description,
        }
        yield {
            "id": q.id,
            "props": props,
            "edges": [
                [{"id": lots[x].id, "props": {}} for x in q.lots],
                [{"id": batches[x].id, "props": {}} for x in q.batches],
                [{"id": machines[x].id, "props": {}} for x in q.machines],
            ],
        }


def _state_changes(plant: DemoPlant) -> Iterator[Row]:
    machines = plant.equipment.machines
    for i in plant.state_change_order:
        c = plant.state_changes[i]
        props = _optional({"id": c.id, "to_state": c.to_state, "at": c.at}, from_state=c.from_state)
        yield _node(props, [_link(machines[c.machine].id)])


# --- counting without building rows ------------------------------------------------------
def count_plant(plant: DemoPlant) -> tuple[dict[str, int], dict[str, int]]:
    """Nodes per label and relationships per type that `plant_chunks` will yield."""
    eq, cat, prod = plant.equipment, plant.catalog, plant.production
    g = plant.genealogy
    wos = [prod.work_orders[i] for i in plant.wo_order]
    nodes = {
        "Site": len(eq.sites),
        "Area": len(eq.areas),
        "Line": len(eq.lines),
        "Machine": len(eq.machines),
        "Operator": len(eq.operators),
        "Supplier": len(cat.suppliers),
        "Customer": len(cat.customers),
        "Material": len(cat.materials),
        "Product": len(cat.products),
        "PurchaseOrder": len(plant.po_order),
        "MaterialLot": len(plant.lot_order),
        "SalesOrder": len(plant.orders),
        "WorkOrder": len(wos),
        "Operation": sum(len(wo.ops) for wo in wos),
        "Batch": len(g.order),
        "Shipment": len(plant.shipment_order),
        "QualityEvent": len(plant.event_order),
        "StateChange": len(plant.state_change_order),
    }
    ops = nodes["Operation"]
    rels = {
        "PART_OF": nodes["Area"] + nodes["Line"] + nodes["Machine"],
        "WORKS_AT": nodes["Operator"],
        "HAS_COMPONENT": sum(len(p.components) for p in cat.products),
        "FROM": nodes["PurchaseOrder"],
        "FOR_MATERIAL": nodes["PurchaseOrder"],
        "OF_MATERIAL": nodes["MaterialLot"],
        "SUPPLIED_BY": nodes["MaterialLot"],
        "RECEIVED_AGAINST": nodes["MaterialLot"],
        "PLACED_BY": nodes["SalesOrder"],
        "FOR_PRODUCT": sum(len(so.lines) for so in plant.orders),
        "MAKES": nodes["WorkOrder"],
        "FULFILLS": sum(1 for wo in wos if wo.sales_order >= 0),
        "HAS_OPERATION": ops,
        "RUNS_ON": ops,
        "PERFORMED_BY": sum(1 for wo in wos for _, operator in wo.ops if operator >= 0),
        "NEXT": ops - sum(1 for wo in wos if wo.ops),
        "PRODUCED_BY": nodes["Batch"],
        "PRODUCED_ON": nodes["Batch"],
        "CONSUMED": len(g.lot_targets) + len(g.batch_targets),
        "CONTAINS": sum(len(s.batches) for s in plant.shipments),
        "SHIPPED_TO": nodes["Shipment"],
        "FOR_ORDER": nodes["Shipment"],
        "CONCERNS": sum(
            len(q.lots) + len(q.batches) + len(q.machines) for q in plant.quality_events
        ),
        "OF": nodes["StateChange"],
    }
    return nodes, rels
