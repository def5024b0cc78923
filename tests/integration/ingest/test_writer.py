"""The batching writer against the real graph: coalescing, order, quality, outages, counts."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from domain.shift_calendar import ShiftCalendar
from graph.live_values import current_values, ensure_tags
from graph.machine_state import StateTransition
from graph.store import GraphStore
from ingest.opcua.bindings import Binding, Feed
from ingest.opcua.counters import CounterBook, PendingCount, store_counts
from ingest.opcua.samples import Sample
from ingest.opcua.writer import BatchingWriter

pytestmark = pytest.mark.asyncio(loop_scope="session")

T0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)  # inside the default early shift (06-14 UTC)
TORQUE = Binding("nsu=urn:t;s=torque", "M-0001", "torque", Feed.VALUE, "Nm")
STATE = Binding("nsu=urn:t;s=state", "M-0002", "state", Feed.STATE)
GOOD = Binding("nsu=urn:t;s=good", "M-0003", "good_parts", Feed.COUNTER)
SCRAP = Binding("nsu=urn:t;s=scrap", "M-0003", "scrap_parts", Feed.COUNTER)
ORDER = Binding("nsu=urn:t;s=wo", "M-0003", "current_work_order_id", Feed.WORK_ORDER)


def sample(
    binding: Binding, value: Any, seconds: float, quality: str = "good", status: str = "Good"
) -> Sample:
    return Sample(binding, value, T0 + timedelta(seconds=seconds), quality, status, time.time())


def shift_of(machine_id: str, at: datetime) -> tuple[str, int, int]:
    shift = ShiftCalendar.default().shift_at(at)
    assert shift is not None
    return shift.id, int(shift.start.timestamp() * 1000), int(shift.end.timestamp() * 1000)


class Flaky:
    """The real store, made to fail its writes while `down` (a graph outage)."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self.down = False

    async def write(self, query: str, params: dict[str, Any] | None = None) -> Any:
        if self.down:
            raise ConnectionError("graph unreachable")
        return await self.store.write(query, params)

    async def read(self, query: str, params: dict[str, Any] | None = None) -> Any:
        return await self.store.read(query, params)


def writer_for(store: Any, seen: list[StateTransition] | None = None) -> BatchingWriter:
    async def on_transitions(found: list[StateTransition]) -> None:
        if seen is not None:
            seen.extend(found)

    async def counts(rows: list[PendingCount]) -> None:
        await store_counts(store, rows)

    return BatchingWriter(store, CounterBook(shift_of), counts, on_transitions, window_s=0.01)


async def test_values_coalesce_to_the_newest_and_late_readings_are_ignored(
    plant_store: GraphStore,
) -> None:
    await ensure_tags(plant_store, [TORQUE.tag])
    writer = writer_for(plant_store)
    writer.submit([sample(TORQUE, 40.0, 1), sample(TORQUE, 41.5, 3), sample(TORQUE, 39.0, 2)])
    await writer.flush()
    stored = (await current_values(plant_store, [TORQUE.tag.tag_id]))[TORQUE.tag.tag_id]
    assert stored["value"] == 41.5
    assert stored["ts"] == int((T0 + timedelta(seconds=3)).timestamp() * 1000)
    assert (writer.stats.coalesced, writer.stats.stale) == (1, 1)
    # A reading older than what the graph holds (a replay after a reconnect) changes nothing.
    writer.submit([sample(TORQUE, 10.0, 2.5)])
    await writer.flush()
    stored = (await current_values(plant_store, [TORQUE.tag.tag_id]))[TORQUE.tag.tag_id]
    assert stored["value"] == 41.5


async def test_bad_and_uncertain_readings_keep_the_last_good_value(
    plant_store: GraphStore,
) -> None:
    await ensure_tags(plant_store, [TORQUE.tag])
    writer = writer_for(plant_store)
    writer.submit([sample(TORQUE, 50.0, 10)])
    await writer.flush()
    writer.submit([sample(TORQUE, 0.0, 11, "bad", "BadSensorFailure")])
    await writer.flush()
    rows = await plant_store.read(
        "MATCH (t:Tag {id: $id}) RETURN t.value AS value, t.quality AS quality, "
        "t.status_code AS status",
        {"id": TORQUE.tag.tag_id},
    )
    assert rows == [{"value": 50.0, "quality": "bad", "status": "BadSensorFailure"}]
    assert writer.stats.not_good == 1


async def test_every_state_transition_is_recorded_in_order(plant_store: GraphStore) -> None:
    await ensure_tags(plant_store, [STATE.tag])
    seen: list[StateTransition] = []
    writer = writer_for(plant_store, seen)
    # Three transitions of one machine inside one window: none may be coalesced away.
    writer.submit(
        [
            sample(STATE, "Executing", 20),
            sample(STATE, "OutOfService", 21),
            sample(STATE, "Executing", 22),
        ]
    )
    await writer.flush()
    rows = await plant_store.read(
        "MATCH (c:StateChange)-[:OF]->(:Machine {id: $m}) WHERE c.at >= $from "
        "RETURN c.to_state AS state ORDER BY c.at",
        {"m": "M-0002", "from": int((T0 + timedelta(seconds=20)).timestamp() * 1000)},
    )
    states = [r["state"] for r in rows]
    assert states[-2:] == ["out_of_service", "executing"]
    assert [t.state.value for t in seen][-2:] == ["out_of_service", "executing"]
    machine = await plant_store.read("MATCH (m:Machine {id: 'M-0002'}) RETURN m.state AS s")
    assert machine == [{"s": "executing"}]


async def test_counter_increments_go_to_the_shift_and_work_order_and_survive_resets(
    plant_store: GraphStore,
) -> None:
    await ensure_tags(plant_store, [GOOD.tag, SCRAP.tag, ORDER.tag])
    writer = writer_for(plant_store)
    writer.submit([sample(ORDER, "WO-TEST-1", 30), sample(GOOD, 100, 30), sample(SCRAP, 4, 30)])
    writer.submit([sample(GOOD, 130, 40), sample(SCRAP, 5, 40)])  # +30 good, +1 scrap
    writer.submit([sample(GOOD, 7, 50)])  # the controller restarted: 7 since the reset
    await writer.flush()
    rows = await plant_store.read(
        "MATCH (c:ProductionCount {machine_id: 'M-0003'}) "
        "RETURN c.shift_id AS shift, c.work_order_id AS wo, c.good AS good, c.scrap AS scrap"
    )
    assert rows == [{"shift": "2026-11-20/early", "wo": "WO-TEST-1", "good": 37, "scrap": 1}]
    assert writer.counters.resets == 1


async def test_an_unreachable_graph_keeps_the_newest_values_and_every_transition(
    plant_store: GraphStore,
) -> None:
    await ensure_tags(plant_store, [TORQUE.tag, STATE.tag])
    flaky = Flaky(plant_store)
    writer = writer_for(flaky)
    flaky.down = True
    writer.submit([sample(TORQUE, 60.0, 100), sample(STATE, "NotExecuting", 100)])
    writer.submit([sample(TORQUE, 61.0, 101), sample(STATE, "Executing", 101)])
    with pytest.raises(ConnectionError):
        await writer.flush()
    # Two tag values (torque coalesced to the newest, the state text) and both readings.
    assert writer.depth == 4
    flaky.down = False
    await writer.flush()
    assert writer.depth == 0 and writer.stats.dropped == 0
    stored = (await current_values(plant_store, [TORQUE.tag.tag_id]))[TORQUE.tag.tag_id]
    assert stored["value"] == 61.0
    machine = await plant_store.read(
        "MATCH (m:Machine {id: 'M-0002'}) RETURN m.state AS s, m.state_at AS at"
    )
    assert machine == [
        {"s": "executing", "at": int((T0 + timedelta(seconds=101)).timestamp() * 1000)}
    ]
