"""The ingest against the simulated plant as a process: live values, transitions, kill -9.

The graph's values must be the server's, with the server's source timestamps; the
simulated machines' state changes become `StateChange` nodes; when the plant process is
killed with SIGKILL and started again on the same port, the ingest reconnects by itself
and records the gap on every machine it feeds.
"""

from __future__ import annotations

import asyncio
import signal
import subprocess
from collections.abc import AsyncIterator, Callable

import pytest
from asyncua import ua
from asyncua.client.client import Client

from graph.server import free_port
from graph.store import GraphStore
from ingest.opcua.connection import ConnectionSettings
from ingest.opcua.service import IngestOptions, IngestService
from tests.integration.opcua.plant_sim_process import (
    plant_sim_endpoint,
    start_plant_sim,
    stop_plant_sim,
)

pytestmark = pytest.mark.asyncio(loop_scope="session")

PLANT_ARGS = ("--machines", "4", "--rate", "4", "--time-scale", "1800", "--seed", "42")


@pytest.fixture(scope="module")
async def ingest(
    plant_store: GraphStore,
) -> AsyncIterator[tuple[IngestService, int, subprocess.Popen[str]]]:
    port = free_port()
    process = await asyncio.to_thread(start_plant_sim, port, *PLANT_ARGS)
    settings = ConnectionSettings(
        plant_sim_endpoint(port),
        "None",
        sampling_ms=0,
        publishing_ms=50,
        watchdog_s=1.0,
        backoff_min_s=0.2,
        backoff_max_s=1.0,
    )
    service = IngestService(plant_store, IngestOptions([settings], window_s=0.02))
    await service.start()
    try:
        async with asyncio.timeout(30):
            await service.ready()
        yield service, port, process
    finally:
        await service.stop()
        stop_plant_sim(process)


async def test_values_are_the_servers_with_its_source_timestamps(
    ingest: tuple[IngestService, int, subprocess.Popen[str]], plant_store: GraphStore
) -> None:
    service, port, _ = ingest
    assert service.sessions[0].machine_ids == ["M-0001", "M-0002", "M-0003", "M-0004"]
    client = Client(plant_sim_endpoint(port))
    await client.connect()
    try:
        ns = (await client.get_namespace_array()).index("urn:factorygraph:plant")
        node = client.get_node(ua.NodeId("M-0003.Monitoring.ToolWear", ns))
        for _ in range(50):
            read = await node.read_data_value()
            await asyncio.sleep(0.3)  # more than a flush window after the server's write
            rows = await plant_store.read(
                "MATCH (t:Tag {id: 'M-0003/tool_wear'}) "
                "RETURN t.value AS v, t.source_timestamp AS ts"
            )
            assert read.SourceTimestamp is not None
            expected = int(read.SourceTimestamp.timestamp() * 1000)
            if rows and rows[0]["ts"] == expected:  # no newer tick came in between
                assert rows[0]["v"] == pytest.approx(read.Value.Value)
                break
        else:
            raise AssertionError("the graph never held the value the server had just served")
    finally:
        await client.disconnect()
    for _ in range(120):  # at 1,800 simulated s a real second, machines change state
        rows = await plant_store.read(
            "MATCH (c:StateChange)-[:OF]->(m:Machine) WHERE m.id IN $ids AND c.at >= $since "
            "RETURN count(c) AS n",
            {"ids": service.sessions[0].machine_ids, "since": expected - 600_000},
        )
        if rows[0]["n"] > 0:
            break
        await asyncio.sleep(0.5)
    else:
        raise AssertionError("no state change from the simulated plant in 60 s")


async def test_a_killed_plant_is_reconnected_and_the_gap_recorded(
    ingest: tuple[IngestService, int, subprocess.Popen[str]], plant_store: GraphStore
) -> None:
    service, port, plant = ingest
    session = service.sessions[0]
    received = session.status.notifications
    gap_count = "MATCH (q:QualityEvent {kind: 'data_gap'}) RETURN count(q) AS n"
    before = (await plant_store.read(gap_count))[0]["n"]
    plant.send_signal(signal.SIGKILL)  # mid-stream: no goodbye to the client
    plant.wait()
    await until(lambda: not session.connected.is_set(), 20)
    restarted = await asyncio.to_thread(start_plant_sim, port, *PLANT_ARGS)
    try:
        async with asyncio.timeout(30):
            await session.connected.wait()
        for _ in range(100):
            if (await plant_store.read(gap_count))[0]["n"] > before:
                break
            await asyncio.sleep(0.2)
        rows = await plant_store.read(
            "MATCH (q:QualityEvent {kind: 'data_gap'})-[:CONCERNS]->(m:Machine) "
            "WITH q, collect(m.id) AS machines ORDER BY q.gap_start DESC LIMIT 1 "
            "RETURN machines, q.gap_end - q.gap_start AS ms",
        )
        assert sorted(rows[0]["machines"]) == session.machine_ids
        assert rows[0]["ms"] > 0
        await until(lambda: session.status.notifications > received, 20)
    finally:
        stop_plant_sim(restarted)


async def until(condition: Callable[[], bool], seconds: float) -> None:
    for _ in range(int(seconds * 10)):
        if condition():
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"not within {seconds} s")
