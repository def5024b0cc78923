"""OEE from OPC UA, checked by hand: a scripted machine on the simulated plant's server.

The plant server (asyncua, the real DI + Machinery types) runs one machine whose states
and counters the test writes with explicit source times across one early shift; the
ingest carries them into the graph as it does in production; `shiftOee`'s computation
must give the figures worked out below.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from domain.shift_calendar import Shift, ShiftCalendar
from domain.states import MachineState
from graph.server import free_port
from graph.store import GraphStore
from ingest.opcua.connection import ConnectionSettings
from ingest.opcua.service import IngestOptions, IngestService
from ingest.plant_sim.machines import sim_machines
from ingest.plant_sim.server import PlantServer, start_plant_server
from resolvers.shift_oee import shift_oee_report

pytestmark = pytest.mark.asyncio(loop_scope="session")

MACHINE = "M-0001"


@pytest.fixture(scope="module")
async def plant(plant_store: GraphStore) -> AsyncIterator[PlantServer]:
    machines = [m for m in sim_machines("small", 42, 20) if m.id == MACHINE]
    server = await start_plant_server(f"opc.tcp://127.0.0.1:{free_port()}", machines)
    yield server
    await server.stop()


@pytest.fixture(scope="module")
async def ingest(plant_store: GraphStore, plant: PlantServer) -> AsyncIterator[IngestService]:
    settings = ConnectionSettings(plant.endpoint, "None", sampling_ms=0, publishing_ms=50)
    service = IngestService(plant_store, IngestOptions([settings], window_s=0.02))
    await service.start()
    async with asyncio.timeout(30):
        await service.ready()
    yield service
    await service.stop()


async def _early_shift_tomorrow(store: GraphStore) -> tuple[Shift, str]:
    rows = await store.read(
        "MATCH (:Machine {id: $m})-[:PART_OF]->(:Line)-[:PART_OF]->(:Area)-[:PART_OF]->(s:Site) "
        "RETURN s.timezone AS tz",
        {"m": MACHINE},
    )
    zone = rows[0]["tz"]
    calendar = ShiftCalendar.default().in_zone(zone)
    tomorrow = datetime.now(UTC) + timedelta(days=1)
    shifts = calendar.shifts_between(tomorrow, tomorrow + timedelta(days=1))
    early = next(s for s in shifts if s.name == "early")
    return early, zone


async def test_oee_of_a_scripted_shift_matches_the_hand_computation(
    plant_store: GraphStore, plant: PlantServer, ingest: IngestService
) -> None:
    shift, _ = await _early_shift_tomorrow(plant_store)
    s = shift.start
    h = timedelta(hours=1)
    routed = await plant_store.read(
        "MATCH (w:WorkOrder)-[:HAS_OPERATION]->(o:Operation)-[:RUNS_ON]->(:Machine {id: $m}) "
        "RETURN w.id AS wo, o.ideal_cycle_time_s AS ct ORDER BY wo LIMIT 1",
        {"m": MACHINE},
    )
    work_order, cycle_time = routed[0]["wo"], float(routed[0]["ct"])

    # The script: 06:00 executing, 08:00 down, 09:00 executing, 12:00 idle, 13:00 executing
    # to the end of the shift; 1,000 good and 50 scrap parts; the 30 min planned break at
    # 10:00-10:30 (default calendar: 4 h into the shift).
    await plant.set_value(MACHINE, "CurrentWorkOrderId", work_order, s)
    await plant.set_values(MACHINE, {"GoodParts": 0, "ScrapParts": 0}, s)
    script = [
        (0, MachineState.EXECUTING),
        (2, MachineState.OUT_OF_SERVICE),
        (3, MachineState.EXECUTING),
        (6, MachineState.NOT_EXECUTING),
        (7, MachineState.EXECUTING),
    ]
    for hours, state in script:
        await plant.set_state(MACHINE, state, s + hours * h)
        await asyncio.sleep(0.15)  # one publish each: the order is the server's, kept
    await plant.set_values(
        MACHINE, {"GoodParts": 1000, "ScrapParts": 50}, s + 8 * h - timedelta(minutes=1)
    )
    async with asyncio.timeout(20):
        while True:
            rows = await plant_store.read(
                "MATCH (c:ProductionCount {machine_id: $m, shift_id: $shift}) "
                "RETURN sum(c.good) AS good, sum(c.scrap) AS scrap",
                {"m": MACHINE, "shift": shift.id},
            )
            if rows and rows[0]["good"] == 1000 and rows[0]["scrap"] == 50:
                break
            await asyncio.sleep(0.1)

    report = await shift_oee_report(
        plant_store,
        [MACHINE],
        None,
        shift.start,
        shift.end,
        now=shift.end + timedelta(days=1),
        calendar=ShiftCalendar.default(),
    )
    row = next(r for r in report.rows if str(r.shift.id) == shift.id)
    # By hand. Planned busy time: 8 h - 0.5 h break = 27,000 s.
    # Executing inside planned time: 06-08 (2 h) + 09-12 less the break (2.5 h)
    # + 13-14 (1 h) = 5.5 h = 19,800 s. Down 08-09 = 3,600 s; idle 12-13 = 3,600 s.
    assert row.planned_busy_time_s == 27_000
    assert row.actual_production_time_s == 19_800
    assert row.down_time_s == 3_600
    assert row.idle_time_s == 3_600
    assert row.unknown_time_s == 0
    assert (row.good_count, row.scrap_count, row.produced_count) == (1000, 50, 1050)
    assert row.availability == pytest.approx(19_800 / 27_000)
    assert row.performance == pytest.approx(cycle_time * 1050 / 19_800)
    assert row.quality == pytest.approx(1000 / 1050)
    assert row.oee == pytest.approx(
        (19_800 / 27_000) * (cycle_time * 1050 / 19_800) * (1000 / 1050)
    )
