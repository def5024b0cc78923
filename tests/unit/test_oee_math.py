"""ISO 22400-2 arithmetic (domain.oee) against numbers worked out by hand."""

from __future__ import annotations

import math

from domain.oee import (
    CountLine,
    OeeFigures,
    StateEvent,
    StateTimes,
    clip,
    figures,
    parse_state,
    roll_up,
    state_times,
    timeline,
)
from domain.states import MachineState

EX = MachineState.EXECUTING
IDLE = MachineState.NOT_EXECUTING
OOS = MachineState.OUT_OF_SERVICE
NA = MachineState.NOT_AVAILABLE
MIN = 60_000  # ms
H = 60 * MIN


def test_timeline_takes_the_state_before_the_window_and_marks_the_future_unknown() -> None:
    events = [StateEvent(-H, EX), StateEvent(2 * H, IDLE), StateEvent(3 * H, OOS)]
    stretches = timeline(events, 0, 6 * H, known_until_ms=4 * H)
    assert [(s.state, s.start_ms, s.end_ms) for s in stretches] == [
        (EX, 0, 2 * H),
        (IDLE, 2 * H, 3 * H),
        (OOS, 3 * H, 4 * H),
        (None, 4 * H, 6 * H),  # after "now": not happened yet
    ]


def test_timeline_before_any_event_is_unknown_and_repeats_merge() -> None:
    events = [StateEvent(H, EX), StateEvent(2 * H, EX), StateEvent(3 * H, None)]
    stretches = timeline(events, 0, 4 * H, known_until_ms=10 * H)
    assert [(s.state, s.duration_s) for s in stretches] == [
        (None, 3600.0),
        (EX, 7200.0),  # two events in the same state: one stretch
        (None, 3600.0),  # a state that is not a MachineryItemState: unknown
    ]
    assert parse_state("executing") is EX and parse_state("warming_up") is None


def test_state_times_count_only_planned_windows() -> None:
    # Executing 0-4 h, down 4-5 h, executing 5-8 h; planned: 0-4 h and 4.5-8 h (break 4-4.5 h).
    stretches = timeline(
        [StateEvent(0, EX), StateEvent(4 * H, NA), StateEvent(5 * H, EX)], 0, 8 * H, 8 * H
    )
    everything = state_times(stretches)
    assert everything == StateTimes(production_s=7 * 3600, down_s=3600)
    planned = state_times(stretches, [(0, 4 * H), (4 * H + 30 * MIN, 8 * H)])
    # The break 4-4.5 h was down; only 4.5-5 h of the down hour is held against the shift.
    assert planned == StateTimes(production_s=7 * 3600, down_s=1800)
    assert planned.known_s == planned.total_s == 7.5 * 3600
    assert clip([(0, 4 * H), (5 * H, 8 * H)], H, 6 * H) == [(H, 4 * H), (5 * H, 6 * H)]


def test_figures_by_hand() -> None:
    # PBT 7.5 h = 27,000 s; APT 6 h = 21,600 s; idle 1 h; down 0.5 h.
    times = StateTimes(production_s=21_600, idle_s=3_600, down_s=1_800)
    counts = [
        CountLine(good=900, scrap=30, ideal_cycle_time_s=12),  # 930 x 12 = 11,160 s
        CountLine(good=400, scrap=20, ideal_cycle_time_s=15),  # 420 x 15 = 6,300 s
    ]
    f = figures(times, 27_000, counts)
    assert f.produced == 1_350 and f.good == 1_300 and f.scrap == 50
    assert f.ideal_production_time_s == 17_460
    assert f.availability == 21_600 / 27_000 == 0.8
    assert math.isclose(f.performance or 0, 17_460 / 21_600)  # 0.80833...
    assert math.isclose(f.quality or 0, 1_300 / 1_350)  # 0.96296...
    assert math.isclose(f.oee or 0, 0.8 * (17_460 / 21_600) * (1_300 / 1_350))  # 0.62274...


def test_ratios_are_none_when_their_denominator_is_zero() -> None:
    nothing = figures(StateTimes(), 0, [])
    assert (nothing.availability, nothing.performance, nothing.quality, nothing.oee) == (
        None,
        None,
        None,
        None,
    )
    idle = figures(StateTimes(idle_s=3600), 3600, [])
    # Planned but never executing: availability 0, performance has no APT to divide by.
    assert idle.availability == 0.0 and idle.performance is None and idle.quality is None
    running = figures(StateTimes(production_s=3600), 3600, [])
    assert running.performance == 0.0 and running.oee is None  # nothing made: no quality


def test_missing_ideal_cycle_time_makes_performance_unknown() -> None:
    counts = [CountLine(10, 0, 60), CountLine(5, 0, None), CountLine(0, 0, None)]
    f = figures(StateTimes(production_s=3600), 3600, counts)
    assert f.ideal_production_time_s is None and f.performance is None and f.oee is None
    assert f.quality == 1.0
    # A line that made nothing needs no cycle time.
    g = figures(StateTimes(production_s=3600), 3600, [CountLine(10, 0, 60), CountLine(0, 0, None)])
    assert g.ideal_production_time_s == 600 and g.performance == 600 / 3600


def test_roll_up_sums_times_and_counts_never_averages_ratios() -> None:
    # Shift A: PBT 8 h, APT 8 h, 100 made (ideal 60 s): availability 1, performance 6000/28800.
    a = OeeFigures(
        planned_busy_time_s=28_800,
        actual_production_time_s=28_800,
        good=100,
        ideal_production_time_s=6_000,
    )
    # Shift B: PBT 2 h, APT 1 h, 50 made of which 10 scrap (ideal 60 s): availability 0.5.
    b = OeeFigures(
        planned_busy_time_s=7_200,
        actual_production_time_s=3_600,
        down_time_s=3_600,
        good=40,
        scrap=10,
        ideal_production_time_s=3_000,
    )
    total = roll_up([a, b])
    assert total.planned_busy_time_s == 36_000 and total.actual_production_time_s == 32_400
    assert total.down_time_s == 3_600 and total.good == 140 and total.scrap == 10
    assert total.ideal_production_time_s == 9_000
    # 32,400 / 36,000 = 0.9 (the mean of 1 and 0.5 would say 0.75).
    assert total.availability == 0.9
    assert math.isclose(total.performance or 0, 9_000 / 32_400)
    assert math.isclose(total.quality or 0, 140 / 150)
    mean_availability = ((a.availability or 0) + (b.availability or 0)) / 2
    assert not math.isclose(total.availability or 0, mean_availability)
    # An unknown ideal time anywhere makes the sum's unknown too.
    c = OeeFigures(planned_busy_time_s=1, ideal_production_time_s=None)
    assert roll_up([a, c]).ideal_production_time_s is None
    assert roll_up([]) == OeeFigures()
