"""The ingest, unchanged, against an independent OPC UA server (node-opcua from npm).

Discovery binds the server's Machinery machines to the graph's by identity; values,
states and counters land with the server's source timestamps; Bad status codes are kept
as such; a `kill -9` of the server mid-stream is survived: the ingest reconnects, records
the gap on the machines it feeds, and resumes without duplicate transitions.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bench.node_opcua import NodeOpcuaServer, NodeUnavailableError, install
from graph.store import GraphStore
from ingest.opcua.connection import ConnectionSettings
from ingest.opcua.service import IngestOptions, IngestService

pytestmark = pytest.mark.asyncio(loop_scope="session")

MACHINES = ("M-0001", "M-0002", "M-0004")


@pytest.fixture(scope="module")
def node_dir() -> Path:
    try:
        return install()
    except NodeUnavailableError as exc:
        pytest.skip(str(exc))


@pytest.fixture(scope="module")
async def identities(plant_store: GraphStore) -> list[dict[str, str]]:
    rows = await plant_store.read(
        "MATCH (m:Machine) WHERE m.id IN $ids "
        "RETURN m.id AS id, m.manufacturer AS manufacturer, m.serial_number AS serial_number "
        "ORDER BY id",
        {"ids": list(MACHINES)},
    )
    # One machine the graph does not know: reported, never bound.
    stranger = {"id": "X-1", "manufacturer": "Nobody", "serial_number": "0"}
    return [{**r, "product_instance_uri": f"urn:factorygraph:machine:{r['id']}"} for r in rows] + [
        {**stranger, "product_instance_uri": "urn:other:X-1"}
    ]


@pytest.fixture(scope="module")
def server(node_dir: Path, identities: list[dict[str, str]]) -> Iterator[NodeOpcuaServer]:
    with NodeOpcuaServer(node_dir) as running:
        running.start(machines=identities)
        yield running


@pytest.fixture(scope="module")
async def ingest(
    plant_store: GraphStore, server: NodeOpcuaServer, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[IngestService]:
    settings = ConnectionSettings(
        server.endpoint,
        "None",
        sampling_ms=0,
        publishing_ms=50,
        watchdog_s=1.0,
        backoff_min_s=0.2,
        backoff_max_s=1.0,
    )
    data_dir = tmp_path_factory.mktemp("ingest-status")
    service = IngestService(
        plant_store, IngestOptions([settings], window_s=0.02, data_dir=data_dir)
    )
    await service.start()
    async with asyncio.timeout(30):
        await service.ready()
    yield service
    await service.stop()


BASE = datetime.now(UTC).replace(microsecond=0) + timedelta(minutes=10)
"""Test readings carry source times after anything the server stamped by itself."""


def at(seconds: float) -> datetime:
    return BASE + timedelta(seconds=seconds)


async def eventually(store: GraphStore, query: str, params: dict[str, Any], expected: Any) -> Any:
    rows: Any = None
    for _ in range(100):
        rows = await store.read(query, params)
        if rows == expected:
            return rows
        await asyncio.sleep(0.1)
    raise AssertionError(f"{query} gave {rows}, expected {expected}")


async def test_discovery_binds_graph_machines_by_identity(ingest: IngestService) -> None:
    session = ingest.sessions[0]
    assert session.machine_ids == sorted(MACHINES)
    # 8 Monitoring variables plus the two state machines per machine, all subscribed.
    assert session.status.monitored_items == 10 * len(MACHINES)
    assert session.status.failed_items == []


async def test_values_states_and_bad_status_land_with_source_timestamps(
    ingest: IngestService, server: NodeOpcuaServer, plant_store: GraphStore
) -> None:
    when = at(1)
    server.send({"machine": "M-0001", "var": "Torque", "value": 42.5, "at": when.isoformat()})
    tag = "MATCH (t:Tag {id: $id}) RETURN t.value AS v, t.source_timestamp AS ts, t.quality AS q"
    ms = int(when.timestamp() * 1000)
    await eventually(
        plant_store, tag, {"id": "M-0001/torque"}, [{"v": 42.5, "ts": ms, "q": "good"}]
    )

    later = at(2)
    server.send(
        {"machine": "M-0001", "var": "Torque", "value": 0, "at": later.isoformat(), "status": "Bad"}
    )
    later_ms = int(later.timestamp() * 1000)
    await eventually(
        plant_store, tag, {"id": "M-0001/torque"}, [{"v": 42.5, "ts": later_ms, "q": "bad"}]
    )

    change = at(3)
    server.send({"machine": "M-0002", "state": "OutOfService", "at": change.isoformat()})
    await eventually(
        plant_store,
        "MATCH (c:StateChange {at: $at})-[:OF]->(m:Machine {id: 'M-0002'}) "
        "RETURN c.to_state AS to, m.state AS now",
        {"at": int(change.timestamp() * 1000)},
        [{"to": "out_of_service", "now": "out_of_service"}],
    )


async def test_counters_become_production_counts(
    ingest: IngestService, server: NodeOpcuaServer, plant_store: GraphStore
) -> None:
    counts = (
        "MATCH (c:ProductionCount {machine_id: 'M-0004', work_order_id: 'WO-INTEROP'}) "
        "RETURN sum(c.good) AS good, sum(c.scrap) AS scrap"
    )
    server.send(
        {
            "machine": "M-0004",
            "var": "CurrentWorkOrderId",
            "value": "WO-INTEROP",
            "at": at(10).isoformat(),
        }
    )
    server.send({"machine": "M-0004", "var": "GoodParts", "value": 1000, "at": at(11).isoformat()})
    server.send({"machine": "M-0004", "var": "ScrapParts", "value": 3, "at": at(11).isoformat()})
    await eventually(
        plant_store, "MATCH (t:Tag {id: 'M-0004/scrap_parts'}) RETURN t.value AS v", {}, [{"v": 3}]
    )
    before = (await plant_store.read(counts))[0]
    good, scrap = before["good"] or 0, before["scrap"] or 0
    server.send({"machine": "M-0004", "var": "GoodParts", "value": 1012, "at": at(12).isoformat()})
    await asyncio.sleep(0.2)  # two publish responses: increments add up across flushes
    server.send({"machine": "M-0004", "var": "ScrapParts", "value": 5, "at": at(13).isoformat()})
    await eventually(plant_store, counts, {}, [{"good": good + 12, "scrap": scrap + 2}])


async def test_a_killed_server_is_survived_and_the_gap_recorded(
    ingest: IngestService, server: NodeOpcuaServer, plant_store: GraphStore
) -> None:
    session = ingest.sessions[0]
    reconnects = session.status.reconnects
    before = await plant_store.read(
        "MATCH (c:StateChange)-[:OF]->(:Machine {id: 'M-0001'}) RETURN count(c) AS n"
    )
    server.send({"machine": "M-0001", "state": "Executing", "at": at(20).isoformat()})
    await asyncio.sleep(0.5)
    server.kill()
    await asyncio.sleep(1.5)
    assert not session.status.connected
    server.restart()
    async with asyncio.timeout(30):
        await session.connected.wait()
    assert session.status.reconnects > reconnects
    gaps = await eventually(
        plant_store,
        "MATCH (q:QualityEvent {kind: 'data_gap'})-[:CONCERNS]->(m:Machine) "
        "RETURN m.id AS machine ORDER BY machine",
        {},
        [{"machine": m} for m in sorted(MACHINES)],
    )
    assert len(gaps) == len(MACHINES)
    # The restarted server reports its own initial states, stamped before the graph's
    # newest: ignored. The same state again is not a transition. Nothing is doubled.
    server.send({"machine": "M-0001", "state": "Executing", "at": at(30).isoformat()})
    server.send({"machine": "M-0001", "var": "Torque", "value": 44.0, "at": at(31).isoformat()})
    await eventually(
        plant_store,
        "MATCH (t:Tag {id: 'M-0001/torque'}) RETURN t.value AS v",
        {},
        [{"v": 44.0}],
    )
    after = await plant_store.read(
        "MATCH (c:StateChange)-[:OF]->(:Machine {id: 'M-0001'}) RETURN count(c) AS n"
    )
    assert after[0]["n"] - before[0]["n"] == 1  # only the Executing at(20)
