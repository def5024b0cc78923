"""Production counts and the reads of OEE per shift, against the real embedded graph."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from domain import nodes as n
from domain import relationships as r
from domain.shift_calendar import ShiftCalendar
from domain.states import MachineState
from domain.values import epoch_ms
from graph.errors import InvalidRowError, NotFoundError
from graph.machine_state import record_state
from graph.production_counts import (
    CountDelta,
    add_counts,
    count_id,
    line_machine_ids,
    oee_machines,
    shift_oee_inputs,
)
from graph.store import GraphStore
from graph.upserts import upsert_nodes, upsert_relationships
from resolvers.shift_oee import shift_oee_report
from tests.conftest import graph_checksum

T0 = datetime(2026, 1, 14, 5, 0, tzinfo=UTC)
H = timedelta(hours=1)
S0, S1 = epoch_ms(T0), epoch_ms(T0 + 8 * H)
SHIFT = "2026-01-14/early"


def machine(mid: str) -> dict[str, object]:
    return {"id": mid, "name": mid, "kind": "Filler", "manufacturer": "T", "serial_number": mid}


async def _plant(store: GraphStore) -> None:
    """Site (Vienna) > area > line L1 > M1, M2; M3 under no site; WO-1 runs on M1 (20 s)
    and M2 (40 s), WO-2 on M1 (30 s)."""
    await upsert_nodes(store, n.Site, [{"id": "S", "name": "Site", "timezone": "Europe/Vienna"}])
    await upsert_nodes(store, n.Area, [{"id": "A", "name": "Area"}])
    await upsert_nodes(store, n.Line, [{"id": "L1", "name": "Line"}, {"id": "L2", "name": "E"}])
    await upsert_nodes(store, n.Machine, [machine("M1"), machine("M2"), machine("M3")])
    part_of = [
        ("M1", "Machine", "L1", "Line"),
        ("M2", "Machine", "L1", "Line"),
        ("L1", "Line", "A", "Area"),
        ("L2", "Line", "A", "Area"),
        ("A", "Area", "S", "Site"),
    ]
    await upsert_relationships(
        store,
        r.PartOf,
        [
            {"source_id": s, "source_label": sl, "target_id": t, "target_label": tl}
            for s, sl, t, tl in part_of
        ],
    )
    await upsert_nodes(
        store,
        n.WorkOrder,
        [
            {
                "id": wo,
                "status": "in_progress",
                "quantity": 1000,
                "unit": "pcs",
                "planned_start": T0,
                "planned_end": T0 + 8 * H,
            }
            for wo in ("WO-1", "WO-2")
        ],
    )
    operations = [("OP-1", "WO-1", "M1", 20.0), ("OP-2", "WO-2", "M1", 30.0)]
    operations.append(("OP-3", "WO-1", "M2", 40.0))
    await upsert_nodes(
        store,
        n.Operation,
        [
            {"id": op, "sequence": 1, "name": op, "status": "running", "ideal_cycle_time_s": c}
            for op, _, _, c in operations
        ],
    )
    await upsert_relationships(
        store, r.HasOperation, [{"source_id": wo, "target_id": op} for op, wo, _, _ in operations]
    )
    await upsert_relationships(
        store, r.RunsOn, [{"source_id": op, "target_id": m} for op, _, m, _ in operations]
    )


def delta(mid: str, good: int, scrap: int, wo: str | None = None, shift: str = SHIFT) -> CountDelta:
    return CountDelta(mid, shift, S0, S1, wo, good, scrap)


async def _counts(store: GraphStore) -> dict[str, tuple[int, int]]:
    rows = await store.read(
        "MATCH (c:ProductionCount)-[:OF]->(m:Machine) "
        "WHERE c.machine_id = m.id RETURN c.id AS id, c.good AS good, c.scrap AS scrap"
    )
    return {row["id"]: (row["good"], row["scrap"]) for row in rows}


async def test_counts_add_up_per_machine_shift_and_work_order(store: GraphStore) -> None:
    await _plant(store)
    # One batch with two deltas for the same node: added before writing.
    await add_counts(
        store, [delta("M1", 10, 1, "WO-1"), delta("M1", 5, 0, "WO-1"), delta("M1", 3, 2)]
    )
    await add_counts(store, [delta("M1", 7, 1, "WO-1"), delta("M2", 4, 0)], updated_at_ms=42)
    assert await _counts(store) == {
        count_id("M1", SHIFT, "WO-1"): (10 + 5 + 7, 1 + 0 + 1),
        count_id("M1", SHIFT, None): (3, 2),
        count_id("M2", SHIFT, None): (4, 0),
    }
    row = (
        await store.read(
            "MATCH (c:ProductionCount {id: $id}) RETURN c AS c",
            {"id": count_id("M1", SHIFT, "WO-1")},
        )
    )[0]["c"]
    assert row == {
        "id": count_id("M1", SHIFT, "WO-1"),
        "machine_id": "M1",
        "shift_id": SHIFT,
        "shift_start": S0,
        "shift_end": S1,
        "work_order_id": "WO-1",
        "good": 22,
        "scrap": 2,
        "updated_at": 42,
    }
    assert n.ProductionCount.model_validate(row).good == 22
    constraints = await store.read(store.dialect.list_unique_constraints)
    assert any(c["label"] == "ProductionCount" for c in constraints)


async def test_an_unknown_machine_or_a_bad_row_writes_nothing(store: GraphStore) -> None:
    await _plant(store)
    await add_counts(store, [delta("M1", 1, 0)])
    before = await graph_checksum(store)
    with pytest.raises(NotFoundError) as caught:
        await add_counts(store, [delta("M1", 5, 0), delta("NOPE", 1, 0)])
    assert caught.value.missing == ["NOPE"]
    for bad, message in [
        (delta("M1", -1, 0), "must not be negative"),
        (delta("M1", 1, 0, shift=""), "shift_id"),
        (CountDelta("M1", SHIFT, S1, S0, None, 1, 0), "after shift_start_ms"),
        (CountDelta("M1", SHIFT, S0, S1, None, 1.5, 0), "integer"),  # type: ignore[arg-type]
    ]:
        with pytest.raises(InvalidRowError, match=message):
            await add_counts(store, [delta("M1", 5, 0), bad])
    with pytest.raises(InvalidRowError, match="other start or end"):
        await add_counts(
            store, [delta("M1", 1, 0), CountDelta("M1", SHIFT, S0, S1 + 1, None, 1, 0)]
        )
    assert await graph_checksum(store) == before


async def test_reads_for_oee_per_shift(store: GraphStore) -> None:
    await _plant(store)
    assert await line_machine_ids(store, "L1") == ["M1", "M2"]
    assert await line_machine_ids(store, "L2") == []
    assert await line_machine_ids(store, "NOPE") is None
    found = await oee_machines(store, ["M1", "M3", "NOPE"])
    assert sorted(found) == ["M1", "M3"]
    assert found["M1"].timezone == "Europe/Vienna" and found["M3"].timezone is None
    assert found["M1"].mean_ideal_cycle_time_s == 25.0  # (20 + 30) / 2
    assert found["M3"].mean_ideal_cycle_time_s is None

    for at, state in [
        (T0 - 3 * H, MachineState.EXECUTING),
        (T0 - 2 * H, MachineState.NOT_EXECUTING),  # the last change before the window
        (T0 + H, MachineState.EXECUTING),
        (T0 + 9 * H, MachineState.OUT_OF_SERVICE),  # after the window
    ]:
        await record_state(store, "M1", state, at)
    await add_counts(
        store,
        [
            delta("M1", 100, 5, "WO-1"),
            delta("M1", 10, 0),
            delta("M1", 7, 0, "WO-NOT-IN-GRAPH"),
            delta("M2", 50, 1, "WO-1"),
            CountDelta(
                "M1", "2026-01-13/late", S0 - 16 * 3_600_000, S0 - 8 * 3_600_000, None, 9, 9
            ),
        ],
    )
    machines = await oee_machines(store, ["M1", "M2"])
    inputs = await shift_oee_inputs(store, [machines["M1"], machines["M2"]], S0, S1)
    assert [(e.at, e.state) for e in inputs.changes["M1"]] == [
        (epoch_ms(T0 - 2 * H), "not_executing"),
        (epoch_ms(T0 + H), "executing"),
    ]
    assert inputs.changes["M2"] == []  # no history, no state_at: nothing known
    got = {
        (c.machine_id, c.work_order_id): (c.good, c.scrap, c.ideal_cycle_time_s)
        for c in inputs.counts
    }
    assert got == {
        ("M1", "WO-1"): (100, 5, 20.0),  # WO-1's operation on M1
        ("M1", None): (10, 0, None),  # no work order: the caller uses M1's mean
        ("M1", "WO-NOT-IN-GRAPH"): (7, 0, None),
        ("M2", "WO-1"): (50, 1, 40.0),  # the same work order's operation on M2
    }
    # The machine's live state counts when nothing recorded is newer.
    await upsert_nodes(
        store, n.Machine, [{**machine("M3"), "state": "executing", "state_at": T0 + 2 * H}]
    )
    m3 = (await oee_machines(store, ["M3"]))["M3"]
    live = await shift_oee_inputs(store, [m3], S0, S1)
    assert [(e.at, e.state, e.source) for e in live.changes["M3"]] == [
        (epoch_ms(T0 + 2 * H), "executing", "machine")
    ]


async def test_a_running_shift_counts_only_its_past(store: GraphStore) -> None:
    await _plant(store)
    await record_state(store, "M1", MachineState.EXECUTING, T0 - H)
    await add_counts(store, [delta("M1", 100, 0, "WO-1")])
    # Vienna, January: the early shift is 05:00-13:00 UTC with its break 09:00-09:30 UTC.
    # At 10:00 UTC it has had 05:00-09:00 and 09:30-10:00 of planned time: 4.5 h = 16,200 s.
    now = T0 + 5 * H
    report = await shift_oee_report(
        store, ["M1"], None, T0, T0 + 10 * H, now=now, calendar=ShiftCalendar.default()
    )
    early, late = report.rows
    assert (early.shift.id, early.complete) == (SHIFT, False)
    assert early.planned_busy_time_s == early.actual_production_time_s == 16_200
    assert early.unknown_time_s == 0 and early.availability == 1.0
    assert early.performance == 100 * 20 / 16_200  # WO-1 on M1: 20 s a unit
    # The late shift (13:00-21:00 UTC) has not begun: no planned time yet, no ratios.
    assert (late.shift.id, late.complete, late.planned_busy_time_s) == ("2026-01-14/late", False, 0)
    assert late.availability is None and late.oee is None
    assert report.total.planned_busy_time_s == 16_200
