"""`serve --demo` answers at once and trains its first model in the background.

A real service on a seeded graph with a tiny real training (`FACTORYGRAPH_DEMO_TRAINING`):
the first `foresight` answer is TRAINING, then SCORING with the promoted model, and
predictions appear without a restart. Then a slow training is left running while the
service is killed outright: the child dies with it, its status reads stale, and the next
service runs exactly one training, which it stops on shutdown.
"""

from __future__ import annotations

import asyncio
import json
import re
import signal
import subprocess
from pathlib import Path
from typing import Any

import httpx
import pytest

from app import training_status
from bench.service import start_service, stop_service
from graph.connect import StoreConfig, open_store
from graph.migrations import migrate
from ingest.demo.scale import parse_scale
from ingest.demo.seed import seed_plant

pytestmark = pytest.mark.asyncio(loop_scope="session")

TINY = {"seeds": [1], "val_seeds": [2], "days": 10, "every_h": 24, "epochs": 2}
SLOW = {**TINY, "epochs": 10_000, "time_budget_s": 300}
FORESIGHT = "{ foresight { state modelVersion progress message startedAt finishedAt } }"
PREDICTIONS = "{ predictions(first: 5) { totalCount } }"


def trainings(data_dir: Path) -> list[int]:
    """Pids of live `app.demo_training` children for this data directory."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            argv = (proc / "cmdline").read_bytes().split(b"\0")
            state = (proc / "stat").read_text().split(") ")[-1][0]
        except OSError:
            continue
        if b"app.demo_training" in argv and str(data_dir).encode() in argv and state != "Z":
            found.append(int(proc.name))
    return found


def start(data_dir: Path, params: dict[str, Any]) -> tuple[subprocess.Popen[bytes], str, str]:
    env = {"FACTORYGRAPH_DEMO_TRAINING": json.dumps(params), "FACTORYGRAPH_LOG_LEVEL": "INFO"}
    process, base = start_service(data_dir, "--demo", "--no-plant", env=env)
    output = (data_dir / f"service-{base.rsplit(':', 1)[1]}.log").read_text(errors="replace")
    printed = "\n".join(line for line in output.splitlines() if not line.startswith("ts="))
    assert printed.startswith(f"web client: {base}/\n"), printed
    token = re.search(r"admin token \(shown once\):\s+(fgt_[A-Za-z0-9_.\-]+)", printed)
    assert token is not None, printed
    assert printed.index("admin token") < printed.index(f"GraphQL and GraphiQL: {base}/graphql")
    return process, base, token.group(1)


async def gql(base: str, token: str, query: str) -> Any:
    async with httpx.AsyncClient(timeout=30) as client:
        response = await client.post(
            f"{base}/graphql", json={"query": query}, headers={"Authorization": f"Bearer {token}"}
        )
    body = response.json()
    assert "errors" not in body, body
    return body["data"]


async def test_serve_demo_trains_in_background(tmp_path: Path) -> None:
    store = await open_store(StoreConfig(data_dir=tmp_path))
    try:
        await migrate(store)
        await seed_plant(store, parse_scale("small"), 42, validate=False)
        process, base, token = start(tmp_path, TINY)
        try:
            first = (await gql(base, token, FORESIGHT))["foresight"]
            assert first["state"] == "TRAINING", first
            assert 0.0 <= first["progress"] <= 1.0 and first["startedAt"]
            seen = [first]
            for _ in range(600):
                status = (await gql(base, token, FORESIGHT))["foresight"]
                seen.append(status)
                if status["state"] != "TRAINING":
                    break
                await asyncio.sleep(0.2)
            assert status["state"] == "SCORING", seen[-5:]
            promoted = (tmp_path / "models" / "promoted").read_text().strip()
            assert status["modelVersion"] == promoted
            assert status["finishedAt"] and status["progress"] is None
            assert any(s["message"].startswith("epoch ") for s in seen) or len(seen) < 5
            for _ in range(150):
                count = (await gql(base, token, PREDICTIONS))["predictions"]["totalCount"]
                if count:
                    break
                await asyncio.sleep(0.2)
            assert count > 0
            assert trainings(tmp_path) == []
        finally:
            stop_service(process)

        (tmp_path / "models" / "promoted").unlink()
        process, base, token = start(tmp_path, SLOW)
        for _ in range(100):
            status = training_status.read(tmp_path)
            if status is not None and status.state == training_status.TRAINING:
                break
            await asyncio.sleep(0.2)
        [child] = trainings(tmp_path)
        assert status is not None and status.pid == child
        process.send_signal(signal.SIGKILL)
        process.wait()
        for _ in range(100):
            if not trainings(tmp_path):
                break
            await asyncio.sleep(0.1)
        assert trainings(tmp_path) == [], "the training outlived its service"
        # A dying process gives up its memory (its /proc cmdline reads empty) before its
        # files: the lock is released a moment after `trainings` stops listing it.
        for _ in range(50):
            stale = training_status.read(tmp_path)
            if stale is not None and stale.state == training_status.FAILED:
                break
            await asyncio.sleep(0.1)
        assert stale is not None and stale.state == training_status.FAILED

        process, base, token = start(tmp_path, SLOW)
        try:
            assert (await gql(base, token, FORESIGHT))["foresight"]["state"] == "TRAINING"
            await asyncio.sleep(1.0)
            [second] = trainings(tmp_path)
            assert second != child
        finally:
            stop_service(process)
        assert trainings(tmp_path) == [], "the training outlived a clean shutdown"
    finally:
        await store.close()
