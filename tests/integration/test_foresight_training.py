"""The demo training as a child process: the foresight state machine the service reports.

A fake child (`tests.integration.fake_training`) writes the status-file protocol, so
these runs take seconds; `test_serve_demo_trains_in_background` runs a real tiny
training inside `serve --demo`.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from app import training_status
from app.demo_training import DemoTraining
from app.foresight import ForesightOptions
from app.foresight_supervisor import ForesightSupervisor
from domain.foresight import ForesightReport, ForesightState
from resolvers.events import InProcessBus


def fake(data_dir: Path, mode: str) -> list[str]:
    return [sys.executable, "-m", "tests.integration.fake_training", str(data_dir), mode]


def runs(data_dir: Path) -> list[int]:
    path = data_dir / "fake-runs.txt"
    return [int(line) for line in path.read_text().split()] if path.exists() else []


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (exited, not yet reaped) still answers kill(0): read its state.
    state = Path(f"/proc/{pid}/stat").read_text().split(") ")[-1][0]
    return state != "Z"


async def until(supervisor: ForesightSupervisor, state: ForesightState) -> ForesightReport:
    for _ in range(200):
        report = supervisor.status()
        if report.state == state:
            return report
        await asyncio.sleep(0.1)
    raise AssertionError(f"still {supervisor.status()} after 20 s, wanted {state}")


@pytest.fixture
async def bus() -> AsyncIterator[InProcessBus]:
    events = InProcessBus()
    yield events
    await events.aclose()


def supervisor_for(
    data_dir: Path, bus: InProcessBus, command: list[str] | None
) -> ForesightSupervisor:
    options = ForesightOptions(data_dir, demo_training=DemoTraining())
    return ForesightSupervisor(None, bus, options, command=command)  # type: ignore[arg-type]


async def test_off_without_model_or_training(tmp_path: Path, bus: InProcessBus) -> None:
    supervisor = ForesightSupervisor(None, bus, ForesightOptions(tmp_path))  # type: ignore[arg-type]
    await supervisor.start()
    assert supervisor.status().state == ForesightState.OFF
    await supervisor.stop()
    assert runs(tmp_path) == []


async def test_training_progress_then_failure(tmp_path: Path, bus: InProcessBus) -> None:
    supervisor = supervisor_for(tmp_path, bus, fake(tmp_path, "fail"))
    await supervisor.start()
    assert supervisor.status().state == ForesightState.TRAINING  # at once, before any file
    training = await until(supervisor, ForesightState.TRAINING)
    for _ in range(100):
        if supervisor.status().progress == 0.5:
            break
        await asyncio.sleep(0.05)
    training = supervisor.status()
    assert training.progress == 0.5 and training.message == "epoch 1/2"
    assert training.started_at is not None
    failed = await until(supervisor, ForesightState.FAILED)
    assert failed.message == "training failed: no snapshots"
    assert failed.finished_at is not None
    await supervisor.stop()


async def test_a_child_that_dies_silently_is_a_failure(tmp_path: Path, bus: InProcessBus) -> None:
    supervisor = supervisor_for(tmp_path, bus, fake(tmp_path, "crash"))
    await supervisor.start()
    failed = await until(supervisor, ForesightState.FAILED)
    assert "exited with code 2" in failed.message
    await supervisor.stop()


async def test_shutdown_kills_the_child_and_its_status_goes_stale(
    tmp_path: Path, bus: InProcessBus
) -> None:
    supervisor = supervisor_for(tmp_path, bus, fake(tmp_path, "hang"))
    await supervisor.start()
    for _ in range(200):
        if supervisor.status().progress == 0.5:
            break
        await asyncio.sleep(0.1)
    [pid] = runs(tmp_path)
    assert alive(pid) and training_status.is_locked(tmp_path)
    await supervisor.stop()
    assert not alive(pid)
    status = training_status.read(tmp_path)
    assert status is not None and status.pid == pid
    assert status.state == training_status.FAILED  # the file still says training: stale
    assert status.message == training_status.STALE_MESSAGE


async def test_a_running_training_is_followed_not_repeated(
    tmp_path: Path, bus: InProcessBus
) -> None:
    """A child left by an earlier service still holds the lock: no second training."""
    left_over = await asyncio.create_subprocess_exec(*fake(tmp_path, "hang"))
    try:
        for _ in range(200):
            if training_status.is_locked(tmp_path) and training_status.read(tmp_path):
                break
            await asyncio.sleep(0.1)
        supervisor = supervisor_for(tmp_path, bus, fake(tmp_path, "hang"))
        await supervisor.start()
        await asyncio.sleep(1.0)
        report = supervisor.status()
        assert report.state == ForesightState.TRAINING and report.progress == 0.5
        assert runs(tmp_path) == [left_over.pid]
        left_over.kill()
        await left_over.wait()
        failed = await until(supervisor, ForesightState.FAILED)
        assert failed.message == training_status.STALE_MESSAGE
        await supervisor.stop()
    finally:
        if left_over.returncode is None:
            left_over.kill()
            await left_over.wait()
    assert runs(tmp_path) == [left_over.pid]


def test_a_stale_training_file_is_not_training(tmp_path: Path) -> None:
    from datetime import UTC, datetime

    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    status = training_status.TrainingStatus(
        training_status.TRAINING, int(dead.stdout), 0.3, "epoch 3/40", datetime.now(UTC)
    )
    training_status.write(tmp_path, status)
    found = training_status.read(tmp_path)
    assert found is not None and found.state == training_status.FAILED
