"""Multi-level BOM explosion: the gross requirement of every item a demand reaches.

For a demand of `d` units of `P` and a BOM line `P -> C` with quantity per unit `q` and
component scrap `s`, the requirement of `C` from that line is

    d * q * (1 + s)

and an item's gross requirement is the sum over every line that uses it, of its parents'
gross requirements (the top demands included). Items are exploded in low-level-code order
(an item's deepest position in any BOM), so each is exploded once with its whole
requirement and a component used at two levels is not counted twice or missed — the
ERPNext production-plan bugs multiplied per-unit quantities wrongly across levels.
Scrap follows the component-scrap convention (SAP's): `s = 0.1` means 10 % more of the
component is issued than the parent's quantity alone would need.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field


class BomError(ValueError):
    """The BOM cannot be exploded: a bad line or a cycle; the message names it."""


@dataclass(frozen=True)
class BomLine:
    """One component of a parent, per one unit of the parent."""

    parent: str
    component: str
    quantity_per: float
    unit: str
    scrap: float = 0.0

    def __post_init__(self) -> None:
        if self.parent == self.component:
            raise BomError(f"{self.parent} lists itself as a component")
        if not (math.isfinite(self.quantity_per) and self.quantity_per > 0):
            raise BomError(
                f"{self.parent} -> {self.component}: quantity per unit must be positive, "
                f"got {self.quantity_per}"
            )
        if not (math.isfinite(self.scrap) and 0 <= self.scrap < 1):
            raise BomError(
                f"{self.parent} -> {self.component}: scrap must be in [0, 1), got {self.scrap}"
            )

    @property
    def required_per_unit(self) -> float:
        return self.quantity_per * (1 + self.scrap)


@dataclass(frozen=True)
class Peg:
    """`quantity` of `item` is needed because `parent` needs it (None: a top demand)."""

    item: str
    parent: str | None
    quantity: float


@dataclass
class Explosion:
    gross: dict[str, float] = field(default_factory=dict)
    """Gross requirement per item, top demands included."""
    level: dict[str, int] = field(default_factory=dict)
    """Low-level code: 0 for an item no BOM uses, else its deepest depth."""
    pegs: list[Peg] = field(default_factory=list)
    """Where each requirement comes from, in explosion order."""


def low_level_codes(lines: Sequence[BomLine]) -> dict[str, int]:
    """Each item's deepest depth in the BOM graph; raises BomError on a cycle."""
    children: dict[str, list[str]] = defaultdict(list)
    items: set[str] = set()
    for line in lines:
        children[line.parent].append(line.component)
        items.update((line.parent, line.component))
    codes: dict[str, int] = {}
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(item: str, depth: int, path: list[str]) -> None:
        if state.get(item) == 1:
            cycle = " -> ".join([*path[path.index(item) :], item])
            raise BomError(f"the BOM has a cycle: {cycle}")
        if codes.get(item, -1) >= depth and state.get(item) == 2:
            return
        codes[item] = max(codes.get(item, 0), depth)
        state[item] = 1
        path.append(item)
        for child in children.get(item, []):
            visit(child, depth + 1, path)
        path.pop()
        state[item] = 2

    used = {line.component for line in lines}
    for root in sorted(items - used):
        visit(root, 0, [])
    if len(codes) < len(items):  # every item is on a cycle reachable from no root
        stuck = sorted(items - codes.keys())
        visit(stuck[0], 0, [])
    return codes


def explode(demand: Mapping[str, float], lines: Sequence[BomLine]) -> Explosion:
    """Gross requirements of every item the demands reach, level by level."""
    for item, quantity in demand.items():
        if not (math.isfinite(quantity) and quantity >= 0):
            raise BomError(f"demand for {item} must be a non-negative number, got {quantity}")
    codes = low_level_codes(lines)
    by_parent: dict[str, list[BomLine]] = defaultdict(list)
    for line in lines:
        by_parent[line.parent].append(line)
    result = Explosion()
    gross: dict[str, float] = defaultdict(float)
    for item, quantity in demand.items():
        gross[item] += quantity
        result.pegs.append(Peg(item, None, quantity))
    order = sorted(codes.keys() | demand.keys(), key=lambda i: (codes.get(i, 0), i))
    for item in order:
        need = gross.get(item, 0.0)
        if need == 0:
            continue
        for line in by_parent.get(item, []):
            quantity = need * line.required_per_unit
            gross[line.component] += quantity
            result.pegs.append(Peg(line.component, item, quantity))
    result.gross = {i: gross[i] for i in order if gross.get(i, 0.0) > 0}
    result.level = {i: codes.get(i, 0) for i in result.gross}
    return result
