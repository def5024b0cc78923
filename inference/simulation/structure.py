"""The demo plant's structure reduced to what the operations simulator needs.

Machines and lines, products with their bill of materials and line, materials with
their primary supplier, customers: all from `ingest.demo.plant.generate_plant`, so the
simulated history speaks about the same kind of plant the graph holds.
"""

from __future__ import annotations

from dataclasses import dataclass

from ingest.demo.plant import DemoPlant, generate_plant
from ingest.demo.scale import parse_scale

SCALES = {"tiny": "1000", "small": "2000"}
"""Named reduced plants (demo target node counts): `small` has 20 machines on 5 lines."""


@dataclass(frozen=True)
class Product:
    id: str
    tier: int
    line: int
    batch_hours: float
    materials: tuple[tuple[int, float], ...]
    """(material index, quantity per standard batch)."""
    components: tuple[int, ...]
    """Intermediate products made to order for one batch of this one."""


@dataclass(frozen=True)
class Plant:
    demo: DemoPlant
    products: tuple[Product, ...]
    finished: tuple[int, ...]
    machine_speed: tuple[float, ...]


def load_plant(scale: str, seed: int) -> Plant:
    demo = generate_plant(parse_scale(SCALES.get(scale, scale)), seed)
    cat = demo.catalog
    products = []
    for p in cat.products:
        # quantities per standard batch of this product, in the component's own units
        mats = tuple((c.index, c.qty * p.batch_size) for c in p.components if not c.is_product)
        comps = tuple(c.index for c in p.components if c.is_product)
        products.append(Product(p.id, p.tier, p.lines[0], p.batch_hours, mats, comps))
    finished = tuple(i for i, p in enumerate(products) if p.tier == 0)
    speed = tuple(m.speed for m in demo.equipment.machines)
    return Plant(demo, tuple(products), finished, speed)
