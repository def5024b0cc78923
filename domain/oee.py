"""OEE arithmetic of ISO 22400-2 over machine states of OPC 40001-1 Annex C (pure, no I/O).

A machine's state history becomes time buckets: `EXECUTING` is actual production time
(APT), `NOT_EXECUTING` idle time within planned busy time, `OUT_OF_SERVICE` and
`NOT_AVAILABLE` down time; a stretch whose state is not known is counted apart and never
guessed. With planned busy time (PBT) and the counts:

    availability = APT / PBT
    performance  = sum(ideal cycle time x produced) / APT
    quality      = good / produced
    OEE          = availability x performance x quality

A ratio is None when its denominator is 0 (performance also when an ideal cycle time is
missing). Only time inside the planned windows is measured, so breaks and time outside
any shift are held against nothing. Roll-ups (a line, several shifts) add times and
counts and compute the ratios from the sums, never by averaging percentages.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from domain.states import MachineState

Window = tuple[int, int]
"""`[start, end)` in epoch milliseconds."""


class TimeBucket(StrEnum):
    PRODUCTION = "production"
    IDLE = "idle"
    DOWN = "down"
    UNKNOWN = "unknown"


BUCKET_OF: dict[MachineState | None, TimeBucket] = {
    MachineState.EXECUTING: TimeBucket.PRODUCTION,
    MachineState.NOT_EXECUTING: TimeBucket.IDLE,
    MachineState.OUT_OF_SERVICE: TimeBucket.DOWN,
    MachineState.NOT_AVAILABLE: TimeBucket.DOWN,
    None: TimeBucket.UNKNOWN,
}


def parse_state(text: str | None) -> MachineState | None:
    """A stored state, or None (unknown) for anything that is not a MachineryItemState."""
    try:
        return None if text is None else MachineState(text)
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class StateEvent:
    """From `at_ms` on the machine was in `state` (None: a state we cannot read)."""

    at_ms: int
    state: MachineState | None


@dataclass(slots=True)
class Stretch:
    """`[start_ms, end_ms)` in one state; None where the state is not known."""

    state: MachineState | None
    start_ms: int
    end_ms: int

    @property
    def duration_s(self) -> float:
        return (self.end_ms - self.start_ms) / 1000


def timeline(
    events: Sequence[StateEvent], from_ms: int, to_ms: int, known_until_ms: int
) -> list[Stretch]:
    """The window cut into stretches of one state, in time order, covering it exactly.

    `events` in time order. The state at `from_ms` is that of the last event at or
    before it (unknown if none); each later event starts a new stretch. Time after
    `known_until_ms` (now) has not happened yet, so it is unknown.
    """
    known_end = min(to_ms, max(from_ms, known_until_ms))
    stretches: list[Stretch] = []

    def add(state: MachineState | None, start: int, end: int) -> None:
        if end <= start:
            return
        if stretches and stretches[-1].state == state and stretches[-1].end_ms == start:
            stretches[-1].end_ms = end
        else:
            stretches.append(Stretch(state, start, end))

    state: MachineState | None = None
    cursor = from_ms
    for event in events:
        if event.at_ms <= from_ms:
            state = event.state
            continue
        if event.at_ms >= known_end:
            break
        add(state, cursor, event.at_ms)
        cursor, state = event.at_ms, event.state
    add(state, cursor, known_end)
    add(None, known_end, to_ms)
    return stretches


@dataclass(frozen=True, slots=True)
class StateTimes:
    """Seconds per bucket."""

    production_s: float = 0.0
    idle_s: float = 0.0
    down_s: float = 0.0
    unknown_s: float = 0.0

    @property
    def known_s(self) -> float:
        """Production, idle and down: the time whose state is known."""
        return self.production_s + self.idle_s + self.down_s

    @property
    def total_s(self) -> float:
        return self.known_s + self.unknown_s


def state_times(stretches: Iterable[Stretch], within: Sequence[Window] | None = None) -> StateTimes:
    """Seconds per bucket, counting only what lies inside the `within` windows (all if None).

    `within` must not overlap itself (a shift's planned windows never do).
    """
    ms = dict.fromkeys(TimeBucket, 0)
    for stretch in stretches:
        bucket = BUCKET_OF[stretch.state]
        if within is None:
            ms[bucket] += stretch.end_ms - stretch.start_ms
            continue
        for start, end in within:
            overlap = min(end, stretch.end_ms) - max(start, stretch.start_ms)
            if overlap > 0:
                ms[bucket] += overlap
    return StateTimes(
        production_s=ms[TimeBucket.PRODUCTION] / 1000,
        idle_s=ms[TimeBucket.IDLE] / 1000,
        down_s=ms[TimeBucket.DOWN] / 1000,
        unknown_s=ms[TimeBucket.UNKNOWN] / 1000,
    )


def clip(windows: Iterable[Window], start_ms: int, end_ms: int) -> list[Window]:
    """The parts of `windows` inside `[start_ms, end_ms)`."""
    out = []
    for start, end in windows:
        start, end = max(start, start_ms), min(end, end_ms)
        if end > start:
            out.append((start, end))
    return out


@dataclass(frozen=True, slots=True)
class CountLine:
    """Units made under one ideal cycle time (a work order's, a batch's)."""

    good: float
    scrap: float
    ideal_cycle_time_s: float | None
    """Ideal seconds per unit; None when nothing says (performance then is unknown)."""

    @property
    def produced(self) -> float:
        return self.good + self.scrap


@dataclass(frozen=True, slots=True)
class OeeFigures:
    """The inputs of the ISO 22400-2 ratios; the ratios are derived, so sums stay exact."""

    planned_busy_time_s: float = 0.0
    actual_production_time_s: float = 0.0
    idle_time_s: float = 0.0
    down_time_s: float = 0.0
    unknown_time_s: float = 0.0
    good: float = 0.0
    scrap: float = 0.0
    ideal_production_time_s: float | None = 0.0
    """Sum of ideal cycle time x produced; None when some count has no ideal cycle time."""

    @property
    def produced(self) -> float:
        return self.good + self.scrap

    @property
    def availability(self) -> float | None:
        return _ratio(self.actual_production_time_s, self.planned_busy_time_s)

    @property
    def performance(self) -> float | None:
        if self.ideal_production_time_s is None:
            return None
        return _ratio(self.ideal_production_time_s, self.actual_production_time_s)

    @property
    def quality(self) -> float | None:
        return _ratio(self.good, self.produced)

    @property
    def oee(self) -> float | None:
        a, p, q = self.availability, self.performance, self.quality
        return None if a is None or p is None or q is None else a * p * q

    def __add__(self, other: OeeFigures) -> OeeFigures:
        ideal = self.ideal_production_time_s
        more = other.ideal_production_time_s
        return OeeFigures(
            planned_busy_time_s=self.planned_busy_time_s + other.planned_busy_time_s,
            actual_production_time_s=self.actual_production_time_s + other.actual_production_time_s,
            idle_time_s=self.idle_time_s + other.idle_time_s,
            down_time_s=self.down_time_s + other.down_time_s,
            unknown_time_s=self.unknown_time_s + other.unknown_time_s,
            good=self.good + other.good,
            scrap=self.scrap + other.scrap,
            ideal_production_time_s=None if ideal is None or more is None else ideal + more,
        )


def _ratio(numerator: float, denominator: float) -> float | None:
    return numerator / denominator if denominator > 0 else None


def figures(
    times: StateTimes, planned_busy_time_s: float, counts: Iterable[CountLine]
) -> OeeFigures:
    """One machine over one period: its bucketed times, its PBT and what it made."""
    good = scrap = 0.0
    ideal: float | None = 0.0
    for line in counts:
        good += line.good
        scrap += line.scrap
        if line.produced == 0:
            continue  # nothing made: no ideal time, whatever the cycle time
        if line.ideal_cycle_time_s is None:
            ideal = None
        elif ideal is not None:
            ideal += line.ideal_cycle_time_s * line.produced
    return OeeFigures(
        planned_busy_time_s=planned_busy_time_s,
        actual_production_time_s=times.production_s,
        idle_time_s=times.idle_s,
        down_time_s=times.down_s,
        unknown_time_s=times.unknown_s,
        good=good,
        scrap=scrap,
        ideal_production_time_s=ideal,
    )


def roll_up(parts: Iterable[OeeFigures]) -> OeeFigures:
    """Several machines or periods as one: times and counts summed, ratios from the sums."""
    total = OeeFigures()
    for part in parts:
        total = total + part
    return total
