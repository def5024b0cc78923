"""Which machines the simulated plant runs: the demo plant's, extended when more are asked.

The machines are those `factorygraph seed` writes for the same scale and seed, with the
same ids, manufacturers and serial numbers, so the ingest binds every one of them to its
graph node. Each takes its routing from the plant's work orders: the ideal cycle time of
its operations and the work orders that have an operation on it. Asking for more
machines than the plant has adds synthetic ones (ids continue after the last) that a
benchmark creates in its own graph.
"""

from __future__ import annotations

import random
import statistics
from dataclasses import dataclass

from ingest.demo.plant import DemoPlant, generate_plant
from ingest.demo.scale import parse_scale
from ingest.plant_sim.physics import Quality, draw_quality

MACHINE_URI_PREFIX = "urn:factorygraph:machine:"
DEFAULT_CYCLE_TIME_S = 2.0
"""For a machine no operation runs on (none in the demo plants; a guard)."""


@dataclass(frozen=True, slots=True)
class SimMachine:
    id: str
    name: str
    kind: str
    manufacturer: str
    serial_number: str
    product_instance_uri: str
    ideal_cycle_time_s: float
    """Median ideal cycle time of the operations on this machine (seconds per unit)."""
    work_order_ids: tuple[str, ...]
    """Work orders with an operation on this machine: open ones first (by planned start),
    then completed ones, newest first. A synthetic machine borrows its source's."""
    synthetic: bool
    quality: Quality
    """AI4I quality variant of its work (L, M, H), drawn from the seed."""
    year_of_construction: int


def product_instance_uri(machine_id: str) -> str:
    return f"{MACHINE_URI_PREFIX}{machine_id}"


def sim_machines(scale: str, seed: int, count: int | None) -> list[SimMachine]:
    """The demo plant's machines for (scale, seed): all, the first `count`, or extended."""
    if count is not None and count < 1:
        raise ValueError("count must be at least 1")
    plant = generate_plant(parse_scale(scale), seed)
    machines = plant_machines(plant, seed)
    if count is None or count <= len(machines):
        return machines if count is None else machines[:count]
    return machines + [
        _synthetic(machines[(n - 1) % len(machines)], n + len(machines), seed)
        for n in range(1, count - len(machines) + 1)
    ]


def plant_machines(plant: DemoPlant, seed: int) -> list[SimMachine]:
    """Every machine of a generated plant, with the routing its work orders give it."""
    products = plant.catalog.products
    records = plant.equipment.machines
    cycles: list[list[float]] = [[] for _ in records]
    orders: list[list[tuple[bool, int, str]]] = [[] for _ in records]
    for wo in plant.production.work_orders:
        if wo.cancelled or wo.status == "cancelled":
            continue
        p = products[wo.product]
        nominal = p.batch_hours * 3600 / p.batch_size
        done = wo.status == "completed"
        for machine, _ in wo.ops:
            cycles[machine].append(round(nominal * records[machine].speed, 4))
            # open orders first by planned start, then completed ones newest first
            key = -wo.planned_start if done else wo.planned_start
            orders[machine].append((done, key, wo.id))
    result = []
    for i, m in enumerate(records):
        rng = _machine_stream(seed, m.id)
        wo_ids = tuple(dict.fromkeys(ident for _, _, ident in sorted(orders[i])))
        result.append(
            SimMachine(
                id=m.id,
                name=m.name,
                kind=m.kind,
                manufacturer=m.manufacturer,
                serial_number=m.serial_number,
                product_instance_uri=product_instance_uri(m.id),
                ideal_cycle_time_s=statistics.median(cycles[i])
                if cycles[i]
                else DEFAULT_CYCLE_TIME_S,
                work_order_ids=wo_ids,
                synthetic=False,
                quality=draw_quality(rng),
                year_of_construction=rng.randint(2008, 2025),
            )
        )
    return result


def _synthetic(source: SimMachine, number: int, seed: int) -> SimMachine:
    ident = f"M-{number:04d}"
    rng = _machine_stream(seed, ident)
    return SimMachine(
        id=ident,
        name=f"{source.kind} {ident}",
        kind=source.kind,
        manufacturer=source.manufacturer,
        serial_number=f"FG-SIM-{seed}-{number:06d}",
        product_instance_uri=product_instance_uri(ident),
        ideal_cycle_time_s=source.ideal_cycle_time_s,
        work_order_ids=source.work_order_ids,
        synthetic=True,
        quality=draw_quality(rng),
        year_of_construction=rng.randint(2008, 2025),
    )


def _machine_stream(seed: int, machine_id: str) -> random.Random:
    """Identity draws (quality, year) apart from the physics' own stream."""
    return random.Random(f"factorygraph-plant-sim-identity:{seed}:{machine_id}")
