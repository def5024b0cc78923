"""`shiftOee` over a real service: a scripted line of two machines across two shifts.

Every figure is checked against the arithmetic written out below. The site is in
Vienna (UTC+1 in January) and the default calendar applies, so on 2026-01-14:

    early  06:00-14:00 local = 05:00-13:00 UTC, break 09:00-09:30 UTC, PBT 7.5 h = 27,000 s
    late   14:00-22:00 local = 13:00-21:00 UTC, break 17:00-17:30 UTC, PBT 7.5 h = 27,000 s

States go in through `graph.machine_state.record_state` and counts through
`graph.production_counts.add_counts`, the paths the OPC UA ingest takes.
"""

from __future__ import annotations

import math
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from domain import nodes as n
from domain import relationships as r
from domain.auth import Role
from domain.states import MachineState
from domain.values import epoch_ms
from graph.machine_state import record_state
from graph.production_counts import CountDelta, add_counts
from graph.upserts import upsert_nodes, upsert_relationships
from tests.integration.api.conftest import ApiGraph, ApiServer

pytestmark = pytest.mark.asyncio(loop_scope="session")

DAY = datetime(2026, 1, 14, tzinfo=UTC)
H = timedelta(hours=1)
M = timedelta(minutes=1)
EARLY = ("2026-01-14/early", DAY + 5 * H, DAY + 13 * H)
LATE = ("2026-01-14/late", DAY + 13 * H, DAY + 21 * H)
PREFIX = "SOEE-"
M1, M2, M3, LINE = "SOEE-M1", "SOEE-M2", "SOEE-M3", "SOEE-L1"

EX = MachineState.EXECUTING
IDLE = MachineState.NOT_EXECUTING
OOS = MachineState.OUT_OF_SERVICE
NA = MachineState.NOT_AVAILABLE

# M1, UTC:  04:30 EX | 06:00 IDLE | 06:30 EX | 09:15 OOS | 10:00 EX | 14:00 NA | 15:00 EX |
#           20:30 IDLE
M1_STATES = [
    (4 * H + 30 * M, EX),
    (6 * H, IDLE),
    (6 * H + 30 * M, EX),
    (9 * H + 15 * M, OOS),  # inside the early break: 09:15-09:30 is not held against it
    (10 * H, EX),
    (14 * H, NA),
    (15 * H, EX),
    (20 * H + 30 * M, IDLE),
]
# M2: nothing known before 07:00 | 07:00 EX | 11:00 IDLE | 11:30 EX | 16:00 OOS
M2_STATES = [(7 * H, EX), (11 * H, IDLE), (11 * H + 30 * M, EX), (16 * H, OOS)]


async def _write_fixture(graph: ApiGraph) -> None:
    store = graph.store
    await upsert_nodes(
        store, n.Site, [{"id": "SOEE-S", "name": "Vienna", "timezone": "Europe/Vienna"}]
    )
    await upsert_nodes(store, n.Area, [{"id": "SOEE-A", "name": "Filling"}])
    await upsert_nodes(store, n.Line, [{"id": LINE, "name": "Line 1"}])
    await upsert_nodes(
        store,
        n.Machine,
        [
            {"id": mid, "name": mid, "kind": "Filler", "manufacturer": "T", "serial_number": mid}
            for mid in (M1, M2, M3)
        ],
    )
    part_of = [
        (M1, "Machine", LINE, "Line"),
        (M2, "Machine", LINE, "Line"),
        (LINE, "Line", "SOEE-A", "Area"),
        ("SOEE-A", "Area", "SOEE-S", "Site"),
    ]
    await upsert_relationships(
        store,
        r.PartOf,
        [
            {"source_id": s, "source_label": sl, "target_id": t, "target_label": tl}
            for s, sl, t, tl in part_of
        ],
    )
    # Ideal cycle times: WO-1 on M1 20 s, WO-2 on M1 30 s (M1's mean 25 s), WO-3 on M2 10 s.
    operations = [("WO-1", M1, 20.0), ("WO-2", M1, 30.0), ("WO-3", M2, 10.0)]
    await upsert_nodes(
        store,
        n.WorkOrder,
        [
            {
                "id": f"SOEE-{wo}",
                "status": "in_progress",
                "quantity": 5000,
                "unit": "pcs",
                "planned_start": DAY,
                "planned_end": DAY + 24 * H,
            }
            for wo, _, _ in operations
        ],
    )
    await upsert_nodes(
        store,
        n.Operation,
        [
            {
                "id": f"SOEE-{wo}-OP",
                "sequence": 1,
                "name": "fill",
                "status": "running",
                "ideal_cycle_time_s": cycle,
            }
            for wo, _, cycle in operations
        ],
    )
    await upsert_relationships(
        store,
        r.HasOperation,
        [{"source_id": f"SOEE-{wo}", "target_id": f"SOEE-{wo}-OP"} for wo, _, _ in operations],
    )
    await upsert_relationships(
        store,
        r.RunsOn,
        [{"source_id": f"SOEE-{wo}-OP", "target_id": m} for wo, m, _ in operations],
    )
    for machine, states in ((M1, M1_STATES), (M2, M2_STATES)):
        for offset, state in states:
            await record_state(store, machine, state, DAY + offset)

    def count(
        machine: str, shift: tuple[str, datetime, datetime], wo: str | None, good: int, scrap: int
    ) -> CountDelta:
        shift_id, start, end = shift
        return CountDelta(
            machine, shift_id, epoch_ms(start), epoch_ms(end), wo and f"SOEE-{wo}", good, scrap
        )

    # Deltas as the ingest sends them: several per (machine, shift, work order).
    await add_counts(store, [count(M1, EARLY, "WO-1", 400, 10), count(M1, EARLY, None, 100, 0)])
    await add_counts(store, [count(M1, EARLY, "WO-1", 200, 10), count(M2, EARLY, "WO-3", 1500, 50)])
    await add_counts(store, [count(M1, LATE, "WO-2", 500, 10), count(M2, LATE, "WO-3", 1000, 0)])
    # Outside the window: the late shift of the 13th; and a shift id the calendar lacks.
    yesterday = ("2026-01-13/late", DAY - 11 * H, DAY - 3 * H)
    await add_counts(store, [count(M1, yesterday, None, 999, 999)])
    await add_counts(store, [count(M2, ("2026-01-14/day", DAY + 8 * H, DAY + 16 * H), None, 3, 1)])


@pytest.fixture(scope="module", autouse=True)
async def shift_fixture(api_graph: ApiGraph) -> AsyncIterator[None]:
    await _write_fixture(api_graph)
    yield
    store = api_graph.store
    await store.write(
        "MATCH (c)-[:OF]->(m:Machine) WHERE m.id STARTS WITH $prefix DETACH DELETE c",
        {"prefix": PREFIX},
    )
    await store.write(
        "MATCH (x) WHERE x.id STARTS WITH $prefix DETACH DELETE x", {"prefix": PREFIX}
    )


MEASURES = """plannedBusyTimeS actualProductionTimeS idleTimeS downTimeS unknownTimeS
    goodCount scrapCount producedCount idealProductionTimeS availability performance quality oee"""
SHIFT = "shift { id name from to timezone durationS breakTimeS plannedBusyTimeS }"
QUERY = f"""query($ids: [ID!], $line: ID, $from: DateTime!, $to: DateTime!) {{
  shiftOee(machineIds: $ids, lineId: $line, from: $from, to: $to) {{
    from to lineId machineIds
    rows {{ machineId complete {SHIFT} {MEASURES} }}
    machines {{ machineId shiftCount {MEASURES} }}
    shifts {{ machineCount {SHIFT} {MEASURES} }}
    total {{ machineCount shiftCount {MEASURES} }}
    unmatchedCounts {{ machineId shiftId shiftStart shiftEnd workOrderId goodCount scrapCount }}
  }} }}"""

# The window 07:00-21:00 local (06:00-20:00 UTC) overlaps early and late: both whole.
WINDOW = {"from": "2026-01-14T07:00:00+01:00", "to": "2026-01-14T21:00:00+01:00"}


async def _report(server: ApiServer, **variables: Any) -> Any:
    body = await server.gql(QUERY, {**WINDOW, **variables}, role=Role.VIEWER)
    assert "errors" not in body, body["errors"]
    return body["data"]["shiftOee"]


def expected(
    pbt: float,
    apt: float,
    idle: float,
    down: float,
    unknown: float,
    good: float,
    scrap: float,
    ideal: float,
) -> dict[str, Any]:
    produced = good + scrap
    a, p, q = apt / pbt, ideal / apt, good / produced
    return {
        "plannedBusyTimeS": pbt,
        "actualProductionTimeS": apt,
        "idleTimeS": idle,
        "downTimeS": down,
        "unknownTimeS": unknown,
        "goodCount": good,
        "scrapCount": scrap,
        "producedCount": produced,
        "idealProductionTimeS": ideal,
        "availability": a,
        "performance": p,
        "quality": q,
        "oee": a * p * q,
    }


# M1 early (planned 05:00-09:00, 09:30-13:00):
#   EX 05:00-06:00 1 h, IDLE 06:00-06:30 0.5 h, EX 06:30-09:00 2.5 h, [break: EX 09:00-09:15,
#   OOS 09:15-09:30 not counted], OOS 09:30-10:00 0.5 h, EX 10:00-13:00 3 h
#   APT 6.5 h = 23,400 s; idle 1,800; down 1,800; 23,400 + 1,800 + 1,800 = 27,000
#   WO-1 600 good + 20 scrap at 20 s = 12,400 s; no work order 100 good at M1's mean 25 s = 2,500 s
M1_EARLY = expected(27_000, 23_400, 1_800, 1_800, 0, 700, 20, 14_900)
# M1 late (planned 13:00-17:00, 17:30-21:00):
#   EX 13:00-14:00 1 h, NA 14:00-15:00 1 h, EX 15:00-17:00 2 h, [break], EX 17:30-20:30 3 h,
#   IDLE 20:30-21:00 0.5 h: APT 6 h = 21,600; down 3,600; idle 1,800
#   WO-2 500 good + 10 scrap at 30 s = 15,300 s
M1_LATE = expected(27_000, 21_600, 1_800, 3_600, 0, 500, 10, 15_300)
# M2 early: unknown 05:00-07:00 2 h, EX 07:00-09:00 2 h, [break], EX 09:30-11:00 1.5 h,
#   IDLE 11:00-11:30 0.5 h, EX 11:30-13:00 1.5 h: APT 5 h = 18,000; idle 1,800; unknown 7,200
#   WO-3 1,500 good + 50 scrap at 10 s = 15,500 s
M2_EARLY = expected(27_000, 18_000, 1_800, 0, 7_200, 1_500, 50, 15_500)
# M2 late: EX 13:00-16:00 3 h, OOS 16:00-17:00 1 h, [break], OOS 17:30-21:00 3.5 h
#   APT 10,800; down 16,200; WO-3 1,000 good at 10 s = 10,000 s
M2_LATE = expected(27_000, 10_800, 0, 16_200, 0, 1_000, 0, 10_000)
# Roll-ups add the inputs above and divide the sums:
M1_ALL = expected(54_000, 45_000, 3_600, 5_400, 0, 1_200, 30, 30_200)
M2_ALL = expected(54_000, 28_800, 1_800, 16_200, 7_200, 2_500, 50, 25_500)
EARLY_ALL = expected(54_000, 41_400, 3_600, 1_800, 7_200, 2_200, 70, 30_400)
LATE_ALL = expected(54_000, 32_400, 1_800, 19_800, 0, 1_500, 10, 25_300)
TOTAL = expected(108_000, 73_800, 5_400, 21_600, 7_200, 3_700, 80, 55_700)


def assert_measures(got: dict[str, Any], want: dict[str, Any]) -> None:
    for key, value in want.items():
        assert math.isclose(got[key], value, rel_tol=1e-12), (key, got[key], value)


def shift_info(shift: tuple[str, datetime, datetime]) -> dict[str, Any]:
    shift_id, start, end = shift
    return {
        "id": shift_id,
        "name": shift_id.split("/")[1],
        "from": start.isoformat(),
        "to": end.isoformat(),
        "timezone": "Europe/Vienna",
        "durationS": 28_800.0,
        "breakTimeS": 1_800.0,
        "plannedBusyTimeS": 27_000.0,
    }


async def test_a_line_over_two_shifts_by_hand(api_server: ApiServer) -> None:
    report = await _report(api_server, line=LINE)
    assert report["lineId"] == LINE and report["machineIds"] == [M1, M2]
    rows = {(row["machineId"], row["shift"]["id"]): row for row in report["rows"]}
    assert list(rows) == [(M1, EARLY[0]), (M1, LATE[0]), (M2, EARLY[0]), (M2, LATE[0])]
    for (machine, shift_id), want in {
        (M1, EARLY[0]): M1_EARLY,
        (M1, LATE[0]): M1_LATE,
        (M2, EARLY[0]): M2_EARLY,
        (M2, LATE[0]): M2_LATE,
    }.items():
        assert_measures(rows[(machine, shift_id)], want)
        assert rows[(machine, shift_id)]["complete"] is True
    assert rows[(M1, EARLY[0])]["shift"] == shift_info(EARLY)
    assert rows[(M2, LATE[0])]["shift"] == shift_info(LATE)

    machines = {m["machineId"]: m for m in report["machines"]}
    assert_measures(machines[M1], M1_ALL)
    assert_measures(machines[M2], M2_ALL)
    assert machines[M1]["shiftCount"] == machines[M2]["shiftCount"] == 2
    shifts = {s["shift"]["id"]: s for s in report["shifts"]}
    assert list(shifts) == [EARLY[0], LATE[0]]
    assert_measures(shifts[EARLY[0]], EARLY_ALL)
    assert_measures(shifts[LATE[0]], LATE_ALL)
    assert shifts[EARLY[0]]["machineCount"] == 2
    assert_measures(report["total"], TOTAL)
    assert (report["total"]["machineCount"], report["total"]["shiftCount"]) == (2, 2)

    # Sums, not averages: the mean of the four rows' performance is another number.
    mean = sum(row["performance"] for row in report["rows"]) / 4
    assert not math.isclose(report["total"]["performance"], mean, rel_tol=1e-3)
    # The count under a shift id the calendar does not have is shown apart.
    assert report["unmatchedCounts"] == [
        {
            "machineId": M2,
            "shiftId": "2026-01-14/day",
            "shiftStart": (DAY + 8 * H).isoformat(),
            "shiftEnd": (DAY + 16 * H).isoformat(),
            "workOrderId": None,
            "goodCount": 3.0,
            "scrapCount": 1.0,
        }
    ]


async def test_the_line_total_is_the_sum_of_its_machines(api_server: ApiServer) -> None:
    line = await _report(api_server, line=LINE)
    one = await _report(api_server, ids=[M1])
    two = await _report(api_server, ids=[M2])
    assert one["lineId"] is None and one["machineIds"] == [M1]
    assert_measures(one["total"], M1_ALL)
    assert_measures(two["total"], M2_ALL)
    for key in ("plannedBusyTimeS", "actualProductionTimeS", "downTimeS", "goodCount"):
        assert line["total"][key] == one["total"][key] + two["total"][key]
    # Named machines plus a line: each machine once, the named ones first.
    both = await _report(api_server, ids=[M2], line=LINE)
    assert both["machineIds"] == [M2, M1]
    assert_measures(both["total"], TOTAL)


async def test_a_window_inside_one_shift_reports_that_shift_whole(api_server: ApiServer) -> None:
    report = await _report(
        api_server, ids=[M1], **{"from": "2026-01-14T10:00:00Z", "to": "2026-01-14T10:05:00Z"}
    )
    assert [row["shift"]["id"] for row in report["rows"]] == [EARLY[0]]
    assert_measures(report["rows"][0], M1_EARLY)


async def test_bad_input_is_refused(api_server: ApiServer) -> None:
    cases: list[tuple[dict[str, Any], str]] = [
        ({"ids": [M1], "from": "2026-01-14T10:00:00Z", "to": "2026-01-14T10:00:00Z"}, "after"),
        ({"ids": [M1], "from": "2026-01-01T00:00:00Z", "to": "2026-02-02T00:00:00Z"}, "31 days"),
        ({}, "name machines"),
        ({"ids": [M1, "SOEE-NOPE"]}, "unknown ids: machine 'SOEE-NOPE'"),
        ({"line": "SOEE-NO-LINE"}, "unknown ids: line 'SOEE-NO-LINE'"),
    ]
    for variables, message in cases:
        body = await api_server.gql(QUERY, {**WINDOW, **variables}, role=Role.VIEWER)
        assert body["data"] is None, variables
        assert message in body["errors"][0]["message"], (variables, body["errors"])


async def test_a_machine_without_a_site_uses_the_calendar_zone(api_server: ApiServer) -> None:
    # M3 hangs under no line or site: UTC shifts, nothing recorded, nothing counted.
    report = await _report(
        api_server, ids=[M3], **{"from": "2026-01-14T06:00:00Z", "to": "2026-01-14T14:00:00Z"}
    )
    (row,) = report["rows"]
    assert row["shift"]["id"] == "2026-01-14/early" and row["shift"]["timezone"] == "UTC"
    assert row["plannedBusyTimeS"] == row["unknownTimeS"] == 27_000
    assert row["availability"] == 0.0 and row["performance"] is None and row["oee"] is None
