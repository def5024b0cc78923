"""Run the simulated plant (`python -m ingest.plant_sim`) as a real server process.

`start_plant_sim(port, *args)` returns once the process has printed `READY <endpoint>`
(clients can connect then); `stop_plant_sim(p)` ends it with SIGTERM, as an operator
would, and kills it only if it does not stop in time. The process's log (stderr) goes to
a temporary file whose tail is shown when it fails to start.
"""

from __future__ import annotations

import os
import selectors
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[3]
READY_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 15.0

_logs: dict[int, Path] = {}


def plant_sim_endpoint(port: int) -> str:
    return f"opc.tcp://127.0.0.1:{port}"


def start_plant_sim(
    port: int, *args: str, env: dict[str, str] | None = None
) -> subprocess.Popen[str]:
    """Start the plant on 127.0.0.1:`port` with extra CLI `args`; wait for READY."""
    log = Path(tempfile.mkstemp(prefix="plant-sim-", suffix=".log")[1])
    command = [sys.executable, "-m", "ingest.plant_sim", "--endpoint", plant_sim_endpoint(port)]
    with log.open("w") as stderr:
        process = subprocess.Popen(
            [*command, *args],
            cwd=REPO_ROOT,
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
            env={**os.environ, **(env or {})},
        )
    _logs[process.pid] = log
    try:
        _wait_ready(process, plant_sim_endpoint(port))
    except BaseException:
        stop_plant_sim(process)
        raise
    return process


def _wait_ready(process: subprocess.Popen[str], endpoint: str) -> None:
    assert process.stdout is not None
    deadline = time.monotonic() + READY_TIMEOUT_S
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        while time.monotonic() < deadline:
            if not selector.select(timeout=0.2):
                if process.poll() is not None:
                    break
                continue
            line = process.stdout.readline()
            if line.strip() == f"READY {endpoint}":
                return
            if not line:  # stdout closed: the process is ending
                process.wait(timeout=STOP_TIMEOUT_S)
                break
    tail = plant_sim_log(process)[-3000:]
    state = "exited" if process.poll() is not None else "not ready"
    raise RuntimeError(f"plant simulator {state} (rc={process.returncode}):\n{tail}")


def plant_sim_log(process: subprocess.Popen[str]) -> str:
    log = _logs.get(process.pid)
    return log.read_text() if log and log.exists() else ""


def stop_plant_sim(process: subprocess.Popen[str]) -> int:
    """SIGTERM, wait for a clean stop (kill after STOP_TIMEOUT_S); the exit code."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    if process.stdout is not None:
        process.stdout.close()
    log = _logs.pop(process.pid, None)
    if log is not None:
        log.unlink(missing_ok=True)
    return process.returncode
