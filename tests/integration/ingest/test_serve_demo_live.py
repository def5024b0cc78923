"""What `make run` does, as a process: `serve --demo` with the simulated plant ingested live.

The service seeds the small plant, starts `plant-sim` (its own process), the ingest and
the scoring loop; a client then sees machines' live values over HTTP, a
`machineStateChanged` event over WebSocket, the ingest's numbers in /metrics and in
`factorygraph ingest status`, and predictions the promoted model wrote. (The demo trains
its model on first run; here a tiny one is trained and promoted beforehand, to keep the
test short — the same code path loads it.)
"""

from __future__ import annotations

import asyncio
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from bench.service import start_service, stop_service
from inference.model import commands
from tests.integration.api.graphql_ws_client import TRANSPORT_WS, ws_connect

pytestmark = pytest.mark.asyncio(loop_scope="session")

PREDICTIONS = "{ predictions(first: 20) { totalCount edges { node { kind score } } } }"
EVENTS = "subscription { machineStateChanged { machineId state previousState at } }"
VALUES = """{ machines(first: 50) { edges { node { id state
    values { name value text sourceTimestamp quality } } } } }"""


@dataclass
class Demo:
    base: str
    token: str
    data_dir: Path
    process: subprocess.Popen[bytes]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    data_dir = tmp_path_factory.mktemp("demo")
    version = commands.train(
        data_dir,
        [1],
        10.0,
        24.0,
        epochs=2,
        seed=0,
        time_budget_s=20.0,
        val_seeds=[2],
        progress=False,
    )
    commands.promote(data_dir, version)
    process, base = start_service(data_dir, "--demo", env={"FACTORYGRAPH_LOG_LEVEL": "INFO"})
    try:
        log = next(data_dir.glob("service-*.log")).read_text(errors="replace")
        token = re.search(r"fgt_[A-Za-z0-9_.\-]+", log)
        assert token is not None, log[-2000:]
        yield Demo(base, token.group(0), data_dir, process)
    finally:
        stop_service(process)


async def test_machines_are_live_over_http_and_websocket(demo: Demo) -> None:
    headers = {"Authorization": f"Bearer {demo.token}"}
    async with httpx.AsyncClient(base_url=demo.base, headers=headers, timeout=30) as client:
        for _ in range(300):  # the ingest subscribes a moment after the API is ready
            body = (await client.post("/graphql", json={"query": VALUES})).json()
            assert "errors" not in body, body
            machines = [e["node"] for e in body["data"]["machines"]["edges"]]
            if machines and all(
                m["values"] and all(v["sourceTimestamp"] for v in m["values"]) for m in machines
            ):
                break
            await asyncio.sleep(0.1)
        assert len(machines) == 20
        for machine in machines:
            names = {v["name"] for v in machine["values"]}
            assert {"air_temperature", "torque", "tool_wear", "good_parts", "state"} <= names
            air = next(v for v in machine["values"] if v["name"] == "air_temperature")
            assert air["sourceTimestamp"] and air["quality"] == "good" and 280 < air["value"] < 320
        ws_url = demo.base.replace("http", "ws") + "/graphql"
        async with ws_connect(ws_url, TRANSPORT_WS) as ws:
            await ws.init({"Authorization": f"Bearer {demo.token}"})
            await ws.subscribe("live", EVENTS, {})
            event = (await ws.next_data("live", within=90))["machineStateChanged"]
        assert event["state"] != event["previousState"]
        metrics = (await client.get("/metrics")).text
    received = re.search(r"^factorygraph_ingest_received_total (\S+)$", metrics, re.M)
    assert received is not None and float(received.group(1)) > 0
    assert re.search(r'^factorygraph_ingest_connected\{endpoint="[^"]+"\} 1\.0$', metrics, re.M)
    command = [sys.executable, "-m", "app", "ingest", "status", "--data-dir", str(demo.data_dir)]
    for _ in range(20):  # the status file is rewritten every 2 s
        status = await asyncio.to_thread(
            subprocess.run, command, capture_output=True, text=True, timeout=60, check=False
        )
        assert status.returncode == 0, status.stderr
        if "yes" in status.stdout and "received 0 " not in status.stdout:
            break
        await asyncio.sleep(0.5)
    assert "yes" in status.stdout and "changes/s" in status.stdout, status.stdout
    async with httpx.AsyncClient(base_url=demo.base, headers=headers, timeout=30) as client:
        for _ in range(100):  # the first whole-graph pass runs as the service starts
            body = (await client.post("/graphql", json={"query": PREDICTIONS})).json()
            assert "errors" not in body, body
            if body["data"]["predictions"]["totalCount"] > 0:
                break
            await asyncio.sleep(0.2)
    scores = [e["node"]["score"] for e in body["data"]["predictions"]["edges"]]
    assert scores and all(0.0 <= p <= 1.0 for p in scores)
