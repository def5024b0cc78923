"""`shiftOee`: OEE per machine per shift from state changes, stored counts and the calendar.

The calendar is the default (three 8 h shifts with a 30 min break) unless
`FACTORYGRAPH_SHIFTS` names a YAML file (`domain.shift_calendar.calendar_from_config`);
each machine's shifts follow its site's time zone. The window picks whole shifts: every
shift that overlaps `[from, to)` is reported whole, up to now, because counts are kept
per shift. Three statements: the machines (plus one for a line), then state changes and
counts together.
"""

from __future__ import annotations

import bisect
import os
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

import strawberry

from domain import oee
from domain.shift_calendar import Shift, ShiftCalendar, ShiftCalendarError, load_calendar
from domain.values import epoch_ms
from graph import production_counts as counts_graph
from graph.production_counts import OeeMachine, StateChangeRow, StoredCount
from graph.store import GraphStore
from resolvers.errors import BadRequest
from schema.convert import instant
from schema.shift_oee import (
    MachineOeeRollUp,
    OeeRollUp,
    PlannedShift,
    ShiftOeeReport,
    ShiftOeeRollUp,
    ShiftOeeRow,
    UnmatchedProductionCount,
)

SHIFTS_ENV = "FACTORYGRAPH_SHIFTS"
"""Path of a YAML shift calendar; unset or empty: the default calendar."""
MAX_WINDOW = timedelta(days=31)
MAX_MACHINES = 200


@lru_cache(maxsize=4)
def _calendar_from(path: str, mtime_ns: int) -> ShiftCalendar:
    return load_calendar(Path(path))


def shift_calendar(environ: Mapping[str, str] | None = None) -> ShiftCalendar:
    """The calendar `FACTORYGRAPH_SHIFTS` names (re-read when the file changes), or the default.

    Raises ShiftCalendarError for a file that is missing or invalid: call it at start-up
    to fail there rather than on the first request.
    """
    path = (os.environ if environ is None else environ).get(SHIFTS_ENV, "").strip()
    if not path:
        return ShiftCalendar.default()
    try:
        mtime_ns = Path(path).stat().st_mtime_ns
    except OSError as exc:
        raise ShiftCalendarError(f"{SHIFTS_ENV}={path}: cannot read it ({exc})") from None
    return _calendar_from(path, mtime_ns)


@dataclass(frozen=True, slots=True)
class _Cell:
    """One machine in one shift."""

    machine_id: str
    shift: Shift
    timezone: str
    complete: bool
    figures: oee.OeeFigures


def _measures(f: oee.OeeFigures) -> dict[str, Any]:
    return {
        "planned_busy_time_s": f.planned_busy_time_s,
        "actual_production_time_s": f.actual_production_time_s,
        "idle_time_s": f.idle_time_s,
        "down_time_s": f.down_time_s,
        "unknown_time_s": f.unknown_time_s,
        "good_count": f.good,
        "scrap_count": f.scrap,
        "produced_count": f.produced,
        "ideal_production_time_s": f.ideal_production_time_s,
        "availability": f.availability,
        "performance": f.performance,
        "quality": f.quality,
        "oee": f.oee,
    }


def _planned_shift(shift: Shift, timezone: str) -> PlannedShift:
    return PlannedShift(
        id=strawberry.ID(shift.id),
        name=shift.name,
        start=shift.start,
        end=shift.end,
        timezone=timezone,
        duration_s=shift.duration_s,
        break_time_s=shift.break_time_s,
        planned_busy_time_s=shift.planned_busy_time_s,
    )


def _check_window(start: datetime, end: datetime) -> None:
    for name, value in (("from", start), ("to", end)):
        if value.tzinfo is None or value.utcoffset() is None:
            raise BadRequest(f"`{name}` needs a time zone offset")
    if end <= start:
        raise BadRequest("`to` must be after `from`")
    if end - start > MAX_WINDOW:
        raise BadRequest(f"the window may span at most {MAX_WINDOW.days} days")


async def _machines(
    store: GraphStore, machine_ids: Sequence[str] | None, line_id: str | None
) -> list[OeeMachine]:
    """The named machines and the line's, in that order; BadRequest names unknown ids."""
    if not machine_ids and line_id is None:
        raise BadRequest("name machines (`machineIds`), a line (`lineId`) or both")
    wanted = list(dict.fromkeys(machine_ids or []))
    unknown: list[str] = []
    if line_id is not None:
        on_line = await counts_graph.line_machine_ids(store, line_id)
        if on_line is None:
            unknown.append(f"line {line_id!r}")
        else:
            wanted += [i for i in on_line if i not in wanted]
    if len(wanted) > MAX_MACHINES:
        raise BadRequest(f"at most {MAX_MACHINES} machines per report, got {len(wanted)}")
    found = await counts_graph.oee_machines(store, wanted) if wanted else {}
    unknown += [f"machine {i!r}" for i in wanted if i not in found]
    if unknown:
        raise BadRequest(f"unknown ids: {', '.join(unknown)}")
    return [found[i] for i in wanted]


def _calendar_for(calendar: ShiftCalendar, machine: OeeMachine) -> ShiftCalendar:
    try:
        return calendar.in_zone(machine.timezone or calendar.timezone)
    except ShiftCalendarError:
        raise BadRequest(
            f"machine {machine.id!r}: its site's time zone {machine.timezone!r} is unknown"
        ) from None


def _events(rows: Sequence[StateChangeRow]) -> list[oee.StateEvent]:
    return [oee.StateEvent(r.at, oee.parse_state(r.state)) for r in rows]


def _cells(
    machine: OeeMachine,
    timezone: str,
    shifts: Sequence[Shift],
    events: Sequence[oee.StateEvent],
    counts: Mapping[str, list[StoredCount]],
    now_ms: int,
) -> list[_Cell]:
    """Each shift of one machine: its planned time measured up to now, and its counts."""
    times = [e.at_ms for e in events]
    cells = []
    for shift in shifts:
        start_ms, end_ms = epoch_ms(shift.start), epoch_ms(shift.end)
        # The events that decide the shift: the last one at or before its start, and on.
        first = max(bisect.bisect_right(times, start_ms) - 1, 0)
        last = bisect.bisect_left(times, end_ms)
        stretches = oee.timeline(events[first:last], start_ms, end_ms, now_ms)
        planned = oee.clip(
            ((epoch_ms(a), epoch_ms(b)) for a, b in shift.planned_windows()), start_ms, now_ms
        )
        lines = [
            oee.CountLine(
                good=c.good,
                scrap=c.scrap,
                ideal_cycle_time_s=c.ideal_cycle_time_s or machine.mean_ideal_cycle_time_s,
            )
            for c in counts.get(shift.id, [])
        ]
        figures = oee.figures(
            oee.state_times(stretches, planned),
            sum(b - a for a, b in planned) / 1000,
            lines,
        )
        cells.append(_Cell(machine.id, shift, timezone, end_ms <= now_ms, figures))
    return cells


def _report(
    start: datetime,
    end: datetime,
    line_id: str | None,
    machines: Sequence[OeeMachine],
    cells: Sequence[_Cell],
    unmatched: Iterable[StoredCount],
) -> ShiftOeeReport:
    by_machine: dict[str, list[_Cell]] = defaultdict(list)
    by_shift: dict[tuple[datetime, datetime, str, str], list[_Cell]] = defaultdict(list)
    for cell in cells:
        by_machine[cell.machine_id].append(cell)
        by_shift[(cell.shift.start, cell.shift.end, cell.shift.id, cell.timezone)].append(cell)
    total = oee.roll_up(c.figures for c in cells)
    return ShiftOeeReport(
        start=start,
        end=end,
        line_id=None if line_id is None else strawberry.ID(line_id),
        machine_ids=[strawberry.ID(m.id) for m in machines],
        rows=[
            ShiftOeeRow(
                machine_id=strawberry.ID(c.machine_id),
                shift=_planned_shift(c.shift, c.timezone),
                complete=c.complete,
                **_measures(c.figures),
            )
            for c in cells
        ],
        machines=[
            MachineOeeRollUp(
                machine_id=strawberry.ID(m.id),
                shift_count=len(by_machine[m.id]),
                **_measures(oee.roll_up(c.figures for c in by_machine[m.id])),
            )
            for m in machines
        ],
        shifts=[
            ShiftOeeRollUp(
                shift=_planned_shift(group[0].shift, group[0].timezone),
                machine_count=len(group),
                **_measures(oee.roll_up(c.figures for c in group)),
            )
            for _, group in sorted(by_shift.items(), key=lambda item: item[0])
        ],
        total=OeeRollUp(machine_count=len(machines), shift_count=len(by_shift), **_measures(total)),
        unmatched_counts=[
            UnmatchedProductionCount(
                machine_id=strawberry.ID(c.machine_id),
                shift_id=c.shift_id,
                shift_start=instant(c.shift_start),  # type: ignore[arg-type]
                shift_end=instant(c.shift_end),  # type: ignore[arg-type]
                work_order_id=None if c.work_order_id is None else strawberry.ID(c.work_order_id),
                good_count=c.good,
                scrap_count=c.scrap,
            )
            for c in unmatched
        ],
    )


async def shift_oee_report(
    store: GraphStore,
    machine_ids: Sequence[str] | None,
    line_id: str | None,
    start: datetime,
    end: datetime,
    *,
    now: datetime,
    calendar: ShiftCalendar | None = None,
) -> ShiftOeeReport:
    """OEE of the machines (named, and those of the line) per shift overlapping the window."""
    _check_window(start, end)
    machines = await _machines(store, machine_ids, line_id)
    base = shift_calendar() if calendar is None else calendar
    by_zone: dict[str, tuple[str, list[Shift]]] = {}
    plans: list[tuple[OeeMachine, str, list[Shift]]] = []
    for machine in machines:
        zone = machine.timezone or base.timezone
        if zone not in by_zone:
            local = _calendar_for(base, machine)
            by_zone[zone] = (local.timezone, local.shifts_between(start, end))
        plans.append((machine, *by_zone[zone]))
    every_shift = [s for _, _, shifts in plans for s in shifts]
    if not every_shift:
        return _report(start, end, line_id, machines, [], [])
    span_from = epoch_ms(min(s.start for s in every_shift))
    span_to = epoch_ms(max(s.end for s in every_shift))
    inputs = await counts_graph.shift_oee_inputs(store, machines, span_from, span_to)
    counts: dict[str, dict[str, list[StoredCount]]] = defaultdict(lambda: defaultdict(list))
    for count in inputs.counts:
        counts[count.machine_id][count.shift_id].append(count)
    now_ms = epoch_ms(now)
    cells: list[_Cell] = []
    unmatched: list[StoredCount] = []
    for machine, timezone, shifts in plans:
        mine = counts.get(machine.id, {})
        events = _events(inputs.changes.get(machine.id, []))
        cells += _cells(machine, timezone, shifts, events, mine, now_ms)
        known = {s.id for s in shifts}
        unmatched += [c for shift_id, found in mine.items() if shift_id not in known for c in found]
    return _report(start, end, line_id, machines, cells, unmatched)
