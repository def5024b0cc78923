"""Part counters to production counts: increments per machine, shift and work order.

A counter is monotonic; when it goes backwards its source was reset (a controller or
server restart), so the new reading is what was counted since the reset — never negative
production. Increments are booked to the shift of the reading's source time and to the
work order the machine reported last.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from graph.production_counts import CountDelta, add_counts
from graph.store import GraphStore

ShiftOf = Callable[[str, datetime], tuple[str, int, int]]
"""(machine id, instant) -> (shift id, shift start ms, shift end ms)."""

GOOD = "good_parts"
SCRAP = "scrap_parts"


@dataclass
class PendingCount:
    machine_id: str
    shift_id: str
    shift_start_ms: int
    shift_end_ms: int
    work_order_id: str | None
    good: int = 0
    scrap: int = 0


class CounterBook:
    """Last reading of each counter and the increments not yet written."""

    def __init__(self, shift_of: ShiftOf) -> None:
        self.shift_of = shift_of
        self.last: dict[tuple[str, str], tuple[float, datetime | None]] = {}
        self.work_order: dict[str, str | None] = {}
        self.pending: dict[tuple[str, str, str | None], PendingCount] = {}
        self.resets = 0

    def baseline(self, machine_id: str, prop: str, value: float, at: datetime | None) -> None:
        """The stored reading from before this process started (the graph's tag)."""
        self.last.setdefault((machine_id, prop), (value, at))

    def reading(self, machine_id: str, prop: str, value: float, at: datetime) -> int:
        """Book one reading; returns the increment it adds (0 for a late, older reading)."""
        key = (machine_id, prop)
        held = self.last.get(key)
        if held is not None and held[1] is not None and at < held[1]:
            return 0  # older than what was counted already: replayed or late data
        self.last[key] = (value, at)
        if held is None:
            return 0  # the first reading only sets the baseline
        before = held[0]
        if value < before:
            self.resets += 1
            delta = value
        else:
            delta = value - before
        increment = round(delta)
        if increment <= 0:
            return 0
        shift_id, start, end = self.shift_of(machine_id, at)
        work_order = self.work_order.get(machine_id)
        slot = (machine_id, shift_id, work_order)
        count = self.pending.get(slot)
        if count is None:
            count = self.pending[slot] = PendingCount(machine_id, shift_id, start, end, work_order)
        if prop == GOOD:
            count.good += increment
        else:
            count.scrap += increment
        return increment

    def take(self) -> list[PendingCount]:
        taken = list(self.pending.values())
        self.pending = {}
        return taken

    def give_back(self, counts: list[PendingCount]) -> None:
        """Counts a failed write did not store: merge them back in for the next try."""
        for c in counts:
            slot = (c.machine_id, c.shift_id, c.work_order_id)
            kept = self.pending.get(slot)
            if kept is None:
                self.pending[slot] = c
            else:
                kept.good += c.good
                kept.scrap += c.scrap


async def store_counts(store: GraphStore, counts: list[PendingCount]) -> None:
    """Add pending increments to the graph's production counts (one statement)."""
    await add_counts(
        store,
        [
            CountDelta(
                c.machine_id,
                c.shift_id,
                c.shift_start_ms,
                c.shift_end_ms,
                c.work_order_id,
                c.good,
                c.scrap,
            )
            for c in counts
        ],
    )
