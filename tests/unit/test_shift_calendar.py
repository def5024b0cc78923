"""The shift calendar: default shifts, breaks, DST nights, config validation, the env var."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest

from domain.shift_calendar import (
    ShiftCalendar,
    ShiftCalendarError,
    ShiftPattern,
    calendar_from_config,
    load_calendar,
)
from resolvers.shift_oee import SHIFTS_ENV, shift_calendar

H = 3600.0


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def test_default_calendar_has_three_shifts_with_breaks_every_day() -> None:
    calendar = ShiftCalendar.default("UTC")
    shifts = calendar.shifts_between(utc(2026, 11, 22, 0), utc(2026, 11, 23, 0))
    # The night shift of the 21st still runs at midnight; the 22nd's night starts at 22:00.
    assert [s.id for s in shifts] == [
        "2026-11-21/night",
        "2026-11-22/early",
        "2026-11-22/late",
        "2026-11-22/night",
    ]
    early = shifts[1]
    assert (early.start, early.end) == (utc(2026, 11, 22, 6), utc(2026, 11, 22, 14))
    assert early.breaks == ((utc(2026, 11, 22, 10), utc(2026, 11, 22, 10, 30)),)
    # 8 h less a 30 min break.
    assert early.duration_s == 8 * H and early.planned_busy_time_s == 7.5 * H
    assert early.planned_windows() == [
        (utc(2026, 11, 22, 6), utc(2026, 11, 22, 10)),
        (utc(2026, 11, 22, 10, 30), utc(2026, 11, 22, 14)),
    ]
    night = shifts[3]  # crosses midnight: 22:00 to 06:00 next day, break at 02:00
    assert (night.start, night.end) == (utc(2026, 11, 22, 22), utc(2026, 11, 23, 6))
    assert night.breaks == ((utc(2026, 11, 23, 2), utc(2026, 11, 23, 2, 30)),)


def test_shift_at_and_boundaries() -> None:
    calendar = ShiftCalendar.default("UTC")
    at_start = calendar.shift_at(utc(2026, 11, 22, 14))
    assert at_start is not None and at_start.id == "2026-11-22/late"  # [start, end)
    after_midnight = calendar.shift_at(utc(2026, 11, 23, 3))
    assert after_midnight is not None and after_midnight.id == "2026-11-22/night"
    # A window that only touches a shift's end does not include it.
    assert [
        s.id for s in calendar.shifts_between(utc(2026, 11, 22, 14), utc(2026, 11, 22, 15))
    ] == ["2026-11-22/late"]
    with pytest.raises(ValueError, match="timezone-aware"):
        calendar.shift_at(datetime(2026, 11, 22, 12))


def test_local_time_zone() -> None:
    vienna = ShiftCalendar.default("Europe/Vienna")
    # November: Vienna is UTC+1, so the early shift is 05:00-13:00 UTC.
    early = vienna.shift_at(utc(2026, 11, 22, 5))
    assert early is not None and early.id == "2026-11-22/early"
    assert (early.start, early.end) == (utc(2026, 11, 22, 5), utc(2026, 11, 22, 13))
    # 04:59 UTC is 05:59 local: still the night shift that began on the 21st.
    night = vienna.shift_at(utc(2026, 11, 22, 4, 59))
    assert night is not None and night.id == "2026-11-21/night"
    assert ShiftCalendar.default("UTC").in_zone("Europe/Vienna").timezone == "Europe/Vienna"


def test_spring_forward_night_is_seven_hours() -> None:
    # Vienna, 29 March 2026: clocks jump from 02:00 (UTC+1) to 03:00 (UTC+2).
    shift = ShiftCalendar.default("Europe/Vienna").shift_at(utc(2026, 3, 29, 0))
    assert shift is not None and shift.id == "2026-03-28/night"
    # 22:00 local = 21:00 UTC; 06:00 local = 04:00 UTC: 7 h.
    assert (shift.start, shift.end) == (utc(2026, 3, 28, 21), utc(2026, 3, 29, 4))
    assert shift.duration_s == 7 * H
    # The 02:00 break never shows on the clock: it starts when the clock jumps (03:00
    # local = 01:00 UTC) and lasts its 30 min: PBT 7 h - 0.5 h.
    assert shift.breaks == ((utc(2026, 3, 29, 1), utc(2026, 3, 29, 1, 30)),)
    assert shift.planned_busy_time_s == 6.5 * H
    # The next early shift starts where the night ended.
    early = ShiftCalendar.default("Europe/Vienna").shift_at(utc(2026, 3, 29, 4))
    assert early is not None and early.id == "2026-03-29/early" and early.start == shift.end


def test_fall_back_night_is_nine_hours() -> None:
    # Vienna, 25 October 2026: clocks go back from 03:00 (UTC+2) to 02:00 (UTC+1).
    shift = ShiftCalendar.default("Europe/Vienna").shift_at(utc(2026, 10, 25, 0))
    assert shift is not None and shift.id == "2026-10-24/night"
    # 22:00 local = 20:00 UTC; 06:00 local = 05:00 UTC: 9 h; break 02:00 (first one,
    # UTC+2 = 00:00 UTC) for 30 min: PBT 8.5 h.
    assert (shift.start, shift.end) == (utc(2026, 10, 24, 20), utc(2026, 10, 25, 5))
    assert shift.duration_s == 9 * H
    assert shift.breaks == ((utc(2026, 10, 25, 0), utc(2026, 10, 25, 0, 30)),)
    assert shift.planned_busy_time_s == 8.5 * H


def test_shifts_tile_a_dst_week_without_gaps_or_overlaps() -> None:
    calendar = ShiftCalendar.default("Europe/Vienna")
    shifts = calendar.shifts_between(utc(2026, 3, 25), utc(2026, 4, 2))
    for before, after in itertools.pairwise(shifts):
        assert before.end == after.start
    # Only the night of the jump is short.
    assert [s.id for s in shifts if s.duration_s != 8 * H] == ["2026-03-28/night"]


def test_config_with_weekdays_and_breaks() -> None:
    calendar = calendar_from_config(
        {
            "timezone": "America/Chicago",
            "shifts": [
                {
                    "name": "day",
                    "start": "07:00",
                    "end": "15:30",
                    "breaks": [
                        {"start": "09:00", "end": "09:15"},
                        {"start": "12:00", "end": "12:30"},
                    ],
                    "days": ["mon", "tue", "wed", "thu", "fri"],
                },
                {"name": "swing", "start": "15:30", "end": "24:00", "days": ["Friday"]},
            ],
        }
    )
    assert calendar.timezone == "America/Chicago"
    # Friday 2026-11-20 and the weekend: day + swing on Friday, nothing Sat/Sun.
    shifts = calendar.shifts_between(utc(2026, 11, 20, 12), utc(2026, 11, 23, 14))
    assert [s.id for s in shifts] == ["2026-11-20/day", "2026-11-20/swing", "2026-11-23/day"]
    day = shifts[0]
    # 8.5 h less 15 min and 30 min.
    assert day.planned_busy_time_s == 8.5 * H - 45 * 60
    # CST is UTC-6.
    assert day.start == utc(2026, 11, 20, 13)
    assert shifts[1].end == utc(2026, 11, 21, 6)
    assert calendar.shift_at(utc(2026, 11, 21, 18)) is None  # Saturday noon: no shift


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({"shifts": []}, "at least one shift"),
        ({"timezone": "Mars/Olympus", "shifts": [{}]}, "unknown time zone 'Mars/Olympus'"),
        ({"shifts": [{"name": "a", "start": "25:00", "end": "03:00"}]}, r"shifts\[0\].start"),
        ({"shifts": [{"name": "a", "start": "6am", "end": "14:00"}]}, "is not a time"),
        ({"shifts": [{"name": "a", "start": 840, "end": "22:00"}]}, "write times in quotes"),
        ({"shifts": [{"name": "a", "start": "06:00", "end": "06:00"}]}, "start and end are equal"),
        ({"shifts": [{"name": "a b", "start": "06:00", "end": "14:00"}]}, "is not a name"),
        ({"shifts": [{"name": "a", "start": "06:00"}]}, "missing key"),
        ({"shifts": [{"name": "a", "start": "06:00", "end": "7", "x": 1}]}, "unknown key"),
        (
            {
                "shifts": [
                    {"name": "a", "start": "06:00", "end": "14:00"},
                    {"name": "a", "start": "14:00", "end": "22:00"},
                ]
            },
            "used twice",
        ),
        (
            {
                "shifts": [
                    {"name": "a", "start": "06:00", "end": "14:00"},
                    {"name": "b", "start": "13:30", "end": "22:00"},
                ]
            },
            r"shifts 'a' \(06:00-14:00\) and 'b' \(13:30-22:00\) overlap on mon",
        ),
        (
            {
                # Friday's night shift runs into Saturday's early one.
                "shifts": [
                    {"name": "night", "start": "22:00", "end": "07:00", "days": ["fri"]},
                    {"name": "early", "start": "06:00", "end": "14:00", "days": ["sat"]},
                ]
            },
            "overlap on sat",
        ),
        (
            {
                "shifts": [
                    {
                        "name": "a",
                        "start": "22:00",
                        "end": "06:00",
                        "breaks": [{"start": "05:45", "end": "06:15"}],
                    }
                ]
            },
            "is not inside the shift 22:00-06:00",
        ),
        (
            {
                "shifts": [
                    {
                        "name": "a",
                        "start": "06:00",
                        "end": "14:00",
                        "breaks": [
                            {"start": "09:00", "end": "09:30"},
                            {"start": "09:15", "end": "09:45"},
                        ],
                    }
                ]
            },
            "breaks overlap",
        ),
        ({"shifts": [{"name": "a", "start": "06:00", "end": "14:00", "days": ["xyz"]}]}, "day"),
        ([1, 2], "expected a mapping"),
    ],
)
def test_bad_configs_are_refused_with_a_clear_message(config: object, message: str) -> None:
    with pytest.raises(ShiftCalendarError, match=message):
        calendar_from_config(config)


def test_patterns_are_checked_when_built_in_code() -> None:
    with pytest.raises(ShiftCalendarError, match="under 24 h"):
        ShiftCalendar([ShiftPattern("long", time(6), 24 * 60)])
    with pytest.raises(ShiftCalendarError, match="unknown time zone"):
        ShiftCalendar.default("Nowhere/Town")


def test_yaml_file_and_environment(tmp_path: Path) -> None:
    path = tmp_path / "shifts.yaml"
    path.write_text(
        "timezone: Europe/Vienna\n"
        "shifts:\n"
        "  - name: day\n"
        "    start: '08:00'\n"
        "    end: '16:00'\n"
        "    breaks: [{start: '12:00', end: '12:45'}]\n",
        encoding="utf-8",
    )
    calendar = load_calendar(path)
    shift = calendar.shift_at(utc(2026, 11, 22, 10))
    assert shift is not None and shift.id == "2026-11-22/day"
    assert shift.planned_busy_time_s == 8 * H - 45 * 60
    from_env = shift_calendar({SHIFTS_ENV: str(path)})
    assert [p.name for p in from_env.patterns] == ["day"]
    assert [p.name for p in shift_calendar({}).patterns] == ["early", "late", "night"]

    # YAML reads an unquoted 14:00 as the number 840: refused with a hint, file named.
    path.write_text("shifts:\n  - {name: a, start: '06:00', end: 14:00}\n", encoding="utf-8")
    with pytest.raises(ShiftCalendarError, match=r"shifts\.yaml: shifts\[0\]\.end.*quotes"):
        shift_calendar({SHIFTS_ENV: str(path)})
    with pytest.raises(ShiftCalendarError, match="cannot read"):
        shift_calendar({SHIFTS_ENV: str(tmp_path / "missing.yaml")})
    path.write_text("shifts: [", encoding="utf-8")
    with pytest.raises(ShiftCalendarError, match="not valid YAML"):
        load_calendar(path)


def test_a_month_of_shifts() -> None:
    calendar = ShiftCalendar.default("Europe/Vienna")
    start = utc(2026, 10, 1)
    shifts = calendar.shifts_between(start, start + timedelta(days=31))
    assert len(shifts) == 31 * 3 + 1  # plus the night shift of 30 September
