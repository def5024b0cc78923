"""A site's shift calendar: named shifts per day, in the site's time zone, with planned breaks.

ISO 22400-2 measures availability against *planned busy time* (PBT): the time a machine
is meant to produce. That is what the calendar says: a shift's length less its planned
breaks. Shift and break boundaries are wall-clock times in the site's zone, so on a DST
night the night shift 22:00-06:00 lasts 7 h (spring) or 9 h (autumn): its length is the
time that really passes between the two wall-clock readings. A wall-clock time that does
not exist (inside the spring gap) means the instant the clock jumps; an ambiguous one
(the autumn repeat) means its first occurrence. Both rules keep boundaries in order, so
shifts that do not overlap on the wall clock never overlap in real time. A break starts
when the wall clock says and lasts its planned minutes of real time (cut at the shift's
end): a 02:00 break on the spring night starts at 03:00, the first instant after the jump.

A shift is named by the local date it starts on and its name: `2026-11-22/night` runs
from 22:00 on 22 November to 06:00 on the 23rd.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

DAY_MINUTES = 24 * 60
WEEK_MINUTES = 7 * DAY_MINUTES
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
"""How a config names days (`date.weekday()` order)."""

_NAME = re.compile(r"^[A-Za-z0-9_-]{1,40}$")
_TIME = re.compile(r"^(\d{1,2}):(\d{2})$")
_CONFIG_KEYS = {"timezone", "shifts"}
_SHIFT_KEYS = {"name", "start", "end", "breaks", "days"}
_BREAK_KEYS = {"start", "end"}


class ShiftCalendarError(ValueError):
    """A shift calendar config that cannot be used; the message names the bad entry."""


@dataclass(frozen=True, slots=True)
class BreakPattern:
    """A planned break, as minutes after its shift's wall-clock start."""

    offset_min: int
    length_min: int


@dataclass(frozen=True, slots=True)
class ShiftPattern:
    """A shift that recurs on some weekdays: wall-clock start and length, planned breaks."""

    name: str
    start: time
    length_min: int
    breaks: tuple[BreakPattern, ...] = ()
    weekdays: frozenset[int] = frozenset(range(7))

    @property
    def start_min(self) -> int:
        return self.start.hour * 60 + self.start.minute


@dataclass(frozen=True, slots=True)
class Shift:
    """One occurrence of a shift: `[start, end)` in UTC, with its planned breaks."""

    id: str
    name: str
    start: datetime
    end: datetime
    breaks: tuple[tuple[datetime, datetime], ...] = ()

    @property
    def duration_s(self) -> float:
        return (self.end - self.start).total_seconds()

    @property
    def break_time_s(self) -> float:
        return sum((end - start).total_seconds() for start, end in self.breaks)

    @property
    def planned_busy_time_s(self) -> float:
        """ISO 22400-2 PBT: the shift's duration less its planned breaks."""
        return self.duration_s - self.break_time_s

    def planned_windows(self) -> list[tuple[datetime, datetime]]:
        """The shift cut at its breaks: the stretches a machine is meant to produce."""
        windows: list[tuple[datetime, datetime]] = []
        cursor = self.start
        for start, end in self.breaks:
            if start > cursor:
                windows.append((cursor, start))
            cursor = max(cursor, end)
        if self.end > cursor:
            windows.append((cursor, self.end))
        return windows


def _zone(name: str, where: str = "timezone") -> ZoneInfo:
    if not isinstance(name, str) or not name.strip():
        raise ShiftCalendarError(f"{where}: expected a time zone name like 'Europe/Vienna'")
    try:
        return ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError):
        raise ShiftCalendarError(f"{where}: unknown time zone {name!r}") from None


def _resolve(day: date, minute: int, zone: ZoneInfo) -> datetime:
    """The UTC instant at which the wall clock in `zone` reads `day` plus `minute`.

    A reading inside a DST gap never shows: it means the instant the clock jumps (the
    first real instant whose reading is later). A repeated reading means its first time.
    """
    wall = datetime.combine(day, time()) + timedelta(minutes=minute)
    first = wall.replace(tzinfo=zone, fold=0).astimezone(UTC)
    if first.astimezone(zone).replace(tzinfo=None) == wall:
        return first
    # In a gap: fold=1 gives an instant before the jump, fold=0 one after it.
    low, high = wall.replace(tzinfo=zone, fold=1).astimezone(UTC), first
    low, high = min(low, high), max(low, high)
    while high - low > timedelta(seconds=1):
        middle = low + (high - low) / 2
        if middle.astimezone(zone).replace(tzinfo=None) >= wall:
            high = middle
        else:
            low = middle
    return high.replace(microsecond=0)


class ShiftCalendar:
    """Shift patterns placed on real days in one time zone."""

    def __init__(self, patterns: Sequence[ShiftPattern], timezone: str = "UTC") -> None:
        self.patterns = tuple(patterns)
        self.zone = _zone(timezone)
        self.timezone = self.zone.key
        _check_patterns(self.patterns)

    @classmethod
    def default(cls, timezone: str = "UTC") -> ShiftCalendar:
        """Three 8 h shifts every day (06-14, 14-22, 22-06), each with a 30 min break."""
        return cls(
            [
                ShiftPattern("early", time(6), 8 * 60, (BreakPattern(4 * 60, 30),)),
                ShiftPattern("late", time(14), 8 * 60, (BreakPattern(4 * 60, 30),)),
                ShiftPattern("night", time(22), 8 * 60, (BreakPattern(4 * 60, 30),)),
            ],
            timezone,
        )

    def in_zone(self, timezone: str) -> ShiftCalendar:
        """The same shifts on a site in another zone (shifts follow each site's wall clock)."""
        if timezone == self.timezone:
            return self
        return ShiftCalendar(self.patterns, timezone)

    def _occurrence(self, pattern: ShiftPattern, day: date) -> Shift:
        start_min = pattern.start_min
        start = _resolve(day, start_min, self.zone)
        end = _resolve(day, start_min + pattern.length_min, self.zone)
        breaks = []
        for b in pattern.breaks:
            # A break starts by the wall clock but lasts its planned minutes of real time.
            b_start = min(_resolve(day, start_min + b.offset_min, self.zone), end)
            breaks.append((b_start, min(b_start + timedelta(minutes=b.length_min), end)))
        return Shift(f"{day.isoformat()}/{pattern.name}", pattern.name, start, end, tuple(breaks))

    def shifts_between(self, start: datetime, end: datetime) -> list[Shift]:
        """Every shift that overlaps `[start, end)`, in time order."""
        _require_aware(start, "start")
        _require_aware(end, "end")
        if end <= start:
            return []
        # A shift is shorter than a day, so it starts at most a day before `start`.
        first = start.astimezone(self.zone).date() - timedelta(days=1)
        last = end.astimezone(self.zone).date()
        found: list[Shift] = []
        day = first
        while day <= last:
            for pattern in self.patterns:
                if day.weekday() not in pattern.weekdays:
                    continue
                shift = self._occurrence(pattern, day)
                if shift.end > start and shift.start < end:
                    found.append(shift)
            day += timedelta(days=1)
        found.sort(key=lambda s: (s.start, s.name))
        return found

    def shift_at(self, instant: datetime) -> Shift | None:
        """The shift `instant` falls in, or None when the calendar plans no shift then."""
        found = self.shifts_between(instant, instant + timedelta(microseconds=1))
        return found[0] if found else None


def _require_aware(value: datetime, name: str) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime")


def _check_patterns(patterns: Sequence[ShiftPattern]) -> None:
    """Names unique, breaks inside their shift and apart, shifts apart on the weekly clock."""
    if not patterns:
        raise ShiftCalendarError("shifts: at least one shift is needed")
    names = [p.name for p in patterns]
    for name in names:
        if not _NAME.match(name):
            raise ShiftCalendarError(
                f"shift name {name!r}: use 1-40 letters, digits, '-' or '_' (it is part of ids)"
            )
        if names.count(name) > 1:
            raise ShiftCalendarError(f"shift name {name!r} is used twice")
    spans: list[tuple[int, int, str]] = []
    for pattern in patterns:
        if not 0 < pattern.length_min < DAY_MINUTES:
            raise ShiftCalendarError(
                f"shift {pattern.name!r}: must last more than 0 and under 24 h"
            )
        if not pattern.weekdays:
            raise ShiftCalendarError(f"shift {pattern.name!r}: runs on no day")
        previous_end = 0
        for index, pause in enumerate(sorted(pattern.breaks, key=lambda p: p.offset_min)):
            if pause.length_min <= 0 or pause.offset_min < 0:
                raise ShiftCalendarError(
                    f"shift {pattern.name!r}: break {index} is empty or starts before the shift"
                )
            if pause.offset_min < previous_end:
                raise ShiftCalendarError(f"shift {pattern.name!r}: breaks overlap")
            if pause.offset_min + pause.length_min > pattern.length_min:
                raise ShiftCalendarError(
                    f"shift {pattern.name!r}: a break ends after the shift ends"
                )
            previous_end = pause.offset_min + pause.length_min
        for weekday in pattern.weekdays:
            start = weekday * DAY_MINUTES + pattern.start_min
            spans.append((start, start + pattern.length_min, pattern.name))
    spans.sort()
    first_start, first_end, first_name = spans[0]
    wrapped = (first_start + WEEK_MINUTES, first_end + WEEK_MINUTES, first_name)
    for early, later in zip(spans, [*spans[1:], wrapped], strict=True):
        if later[0] < early[1]:
            day = WEEKDAYS[(later[0] % WEEK_MINUTES) // DAY_MINUTES]
            raise ShiftCalendarError(
                f"shifts {early[2]!r} ({_clock(early[0])}-{_clock(early[1])}) and "
                f"{later[2]!r} ({_clock(later[0])}-{_clock(later[1])}) overlap on {day}"
            )


def _clock(minute: int) -> str:
    minute %= DAY_MINUTES
    return f"{minute // 60:02d}:{minute % 60:02d}"


# --- config -------------------------------------------------------------------------------
def _time(value: Any, where: str, *, end: bool = False) -> int:
    """Minutes after midnight of an 'HH:MM' text (or a `datetime.time`); '24:00' ends a day."""
    if isinstance(value, time):
        return value.hour * 60 + value.minute
    if isinstance(value, int) and not isinstance(value, bool):
        raise ShiftCalendarError(
            f"{where}: got the number {value}; write times in quotes, e.g. '14:00' "
            "(YAML reads an unquoted 14:00 as a number)"
        )
    match = _TIME.match(value) if isinstance(value, str) else None
    if match is None:
        raise ShiftCalendarError(f"{where}: {value!r} is not a time (HH:MM)")
    hours, minutes = int(match[1]), int(match[2])
    if end and (hours, minutes) == (24, 0):
        return DAY_MINUTES
    if hours > 23 or minutes > 59:
        raise ShiftCalendarError(f"{where}: {value!r} is not a time of day (00:00-23:59)")
    return hours * 60 + minutes


def _keys(entry: Any, allowed: set[str], required: set[str], where: str) -> Mapping[str, Any]:
    if not isinstance(entry, Mapping):
        raise ShiftCalendarError(f"{where}: expected a mapping, got {type(entry).__name__}")
    unknown = sorted(str(k) for k in entry if k not in allowed)
    if unknown:
        raise ShiftCalendarError(f"{where}: unknown key(s) {', '.join(unknown)}")
    missing = sorted(required - set(entry))
    if missing:
        raise ShiftCalendarError(f"{where}: missing key(s) {', '.join(missing)}")
    return entry


def _span(start: int, end: int) -> int:
    """Wall-clock minutes from `start` to `end`, crossing midnight when `end` is earlier."""
    return (end - start) % DAY_MINUTES or (DAY_MINUTES if end != start else 0)


def _pattern(entry: Any, where: str) -> ShiftPattern:
    entry = _keys(entry, _SHIFT_KEYS, {"name", "start", "end"}, where)
    name = entry["name"]
    if not isinstance(name, str) or not _NAME.match(name):
        raise ShiftCalendarError(
            f"{where}.name: {name!r} is not a name (1-40 letters, digits, '-' or '_')"
        )
    start = _time(entry["start"], f"{where}.start")
    end = _time(entry["end"], f"{where}.end", end=True)
    length = _span(start, end)
    if length == 0:
        raise ShiftCalendarError(f"{where}: start and end are equal")
    breaks = []
    for index, raw in enumerate(entry.get("breaks") or []):
        here = f"{where}.breaks[{index}]"
        raw = _keys(raw, _BREAK_KEYS, _BREAK_KEYS, here)
        b_start = _time(raw["start"], f"{here}.start")
        b_end = _time(raw["end"], f"{here}.end", end=True)
        offset, b_length = _span(start, b_start) % DAY_MINUTES, _span(b_start, b_end)
        if b_length == 0 or offset + b_length > length:
            raise ShiftCalendarError(
                f"{here}: {raw['start']}-{raw['end']} is not inside the shift "
                f"{_clock(start)}-{_clock(end)}"
            )
        breaks.append(BreakPattern(offset, b_length))
    days = entry.get("days")
    if days is None:
        weekdays = frozenset(range(7))
    else:
        if not isinstance(days, list) or not days:
            raise ShiftCalendarError(f"{where}.days: expected a list like [mon, tue]")
        bad = [d for d in days if not isinstance(d, str) or d.lower()[:3] not in WEEKDAYS]
        if bad:
            raise ShiftCalendarError(f"{where}.days: unknown day(s) {bad} (use {WEEKDAYS})")
        weekdays = frozenset(WEEKDAYS.index(d.lower()[:3]) for d in days)
    return ShiftPattern(
        name=name,
        start=time(start // 60, start % 60),
        length_min=length,
        breaks=tuple(breaks),
        weekdays=weekdays,
    )


def calendar_from_config(config: Any) -> ShiftCalendar:
    """A calendar from a parsed config; raises ShiftCalendarError naming what is wrong.

    ```yaml
    timezone: Europe/Vienna      # optional (UTC): for machines whose site names no zone
    shifts:
      - name: early
        start: "06:00"           # quote times: YAML reads an unquoted 14:00 as 840
        end: "14:00"
        breaks: [{start: "10:00", end: "10:30"}]
        days: [mon, tue, wed, thu, fri]   # optional: every day
    ```
    """
    config = _keys(config, _CONFIG_KEYS, {"shifts"}, "config")
    timezone = config.get("timezone", "UTC")
    _zone(timezone)
    shifts = config["shifts"]
    if not isinstance(shifts, list):
        raise ShiftCalendarError("shifts: expected a list of shifts")
    return ShiftCalendar([_pattern(e, f"shifts[{i}]") for i, e in enumerate(shifts)], timezone)


def load_calendar(path: Path) -> ShiftCalendar:
    """A calendar from a YAML file (see `calendar_from_config`)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ShiftCalendarError(f"{path}: cannot read the shift calendar ({exc})") from None
    try:
        config = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ShiftCalendarError(f"{path}: not valid YAML ({exc})") from None
    try:
        return calendar_from_config(config)
    except ShiftCalendarError as exc:
        raise ShiftCalendarError(f"{path}: {exc}") from None
