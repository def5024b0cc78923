"""How big a demo plant to generate: a named preset or a target node count.

The target is met approximately (within a few per cent): the plant is sized from it
(catalogue, customers, order volume) and then simulated, so the exact counts come out of
the simulation and are reported by `DemoPlant.expected_nodes`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MIN_TARGET_NODES = 200
MAX_TARGET_NODES = 20_000_000

PRESETS: dict[str, int] = {
    "small": 7_500,  # seeds in a few seconds: tests and `make run`
    "medium": 125_000,
    "large": 1_030_000,  # >= 1M nodes and >= 3M relationships, loads in about a minute
}

NODES_PER_SALES_ORDER = 13.55
"""Measured: nodes the simulation creates per sales order (its work orders, operations,
batches, the intermediate campaigns behind them, shipments, quality records)."""
PURCHASING_PER_MATERIAL = 10.0
PURCHASING_EXPONENT = 0.133
"""Measured: purchase orders plus lots per material grow like 10 * orders ** 0.133 (a
busier plant orders each material more often, up to about weekly)."""


class ScaleError(ValueError):
    """The scale text is neither a preset name nor a usable node count."""


@dataclass(frozen=True)
class ScaleSpec:
    """A requested plant size: `name` is the preset or the count as given."""

    name: str
    target_nodes: int

    def __str__(self) -> str:
        return self.name


_COUNT = re.compile(r"^(\d+(?:\.\d+)?)([km]?)$")


def parse_scale(text: str | int) -> ScaleSpec:
    """`small | medium | large | <N>` (N >= 200; `50k`, `1.2m`, `1_000_000` also accepted)."""
    if isinstance(text, bool):
        raise ScaleError(f"scale must be a preset name or a node count, not {text!r}")
    if isinstance(text, int):
        return _from_count(text, str(text))
    raw = text.strip().lower()
    if raw in PRESETS:
        return ScaleSpec(raw, PRESETS[raw])
    match = _COUNT.match(raw.replace("_", "").replace(",", ""))
    if not match:
        presets = " | ".join(PRESETS)
        raise ScaleError(
            f"unknown scale {text!r}: expected {presets} or a target node count "
            f"(an integer >= {MIN_TARGET_NODES}, e.g. 20000 or 50k)"
        )
    number, suffix = match.groups()
    value = float(number) * {"": 1, "k": 1_000, "m": 1_000_000}[suffix]
    if value != int(value):
        raise ScaleError(f"scale {text!r} is not a whole number of nodes")
    return _from_count(int(value), raw)


def _from_count(count: int, name: str) -> ScaleSpec:
    if count < MIN_TARGET_NODES:
        raise ScaleError(
            f"scale {name!r} is too small: a plant needs at least {MIN_TARGET_NODES} nodes"
        )
    if count > MAX_TARGET_NODES:
        raise ScaleError(f"scale {name!r} is too large: at most {MAX_TARGET_NODES:,} nodes")
    return ScaleSpec(str(count), count)


@dataclass(frozen=True)
class PlantSize:
    """Catalogue breadth derived from a target node count.

    Catalogue sizes grow sub-linearly (a plant ten times busier does not make ten times
    as many products); the order volume (`order_volume`) takes up the rest of the target.
    """

    sites: int
    bulk_formulations: int
    bases: int
    binders: int
    pastes: int
    raw_materials: int
    customers: int


def size_plant(spec: ScaleSpec) -> PlantSize:
    target = spec.target_nodes
    bulks = max(2, round(0.085 * target**0.561))
    return PlantSize(
        sites=1 if target < 40_000 else 2 if target < 400_000 else 3,
        bulk_formulations=bulks,
        bases=max(1, round(bulks / 5)),
        binders=max(1, round(bulks / 9)),
        pastes=max(2, round(bulks / 7)),
        raw_materials=max(12, round(bulks * 1.1)),
        customers=max(4, round(0.5 * target**0.55)),
    )


def order_volume(spec: ScaleSpec, catalogue_nodes: int, materials: int) -> int:
    """Sales orders for a year such that the whole plant lands near the target size."""
    target = spec.target_nodes
    fixed = catalogue_nodes + 20 + 0.0008 * target  # plus equipment and people

    def nodes(orders: float) -> float:
        purchasing: float = materials * PURCHASING_PER_MATERIAL * orders**PURCHASING_EXPONENT
        return fixed + purchasing + NODES_PER_SALES_ORDER * orders

    low, high = 1.0, float(target)
    for _ in range(60):  # nodes() is increasing: bisect
        mid = (low + high) / 2
        low, high = (mid, high) if nodes(mid) < target else (low, mid)
    return max(3, round(low))
