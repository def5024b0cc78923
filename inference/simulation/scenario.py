"""Scripted causes a test or a what-if run injects into a simulation.

Each cause changes only what it names: the simulation draws every other random choice
from streams keyed by the entity, so the rest of the history stays comparable with the
same seed run without the scenario.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ForcedFailure:
    """Machine `machine_id` fails at `at_h` (hours from the start) and is down `hours`."""

    machine_id: str
    at_h: float
    hours: float


@dataclass(frozen=True)
class BadLot:
    """The first lot `supplier_id` delivers at or after `after_h` is defective."""

    supplier_id: str
    after_h: float = 0.0


@dataclass(frozen=True)
class SupplierDelay:
    """Purchase orders placed with `supplier_id` in [from_h, to_h) arrive `extra_h` later."""

    supplier_id: str
    from_h: float
    to_h: float
    extra_h: float


@dataclass(frozen=True)
class Scenario:
    failures: tuple[ForcedFailure, ...] = field(default=())
    bad_lots: tuple[BadLot, ...] = field(default=())
    delays: tuple[SupplierDelay, ...] = field(default=())
