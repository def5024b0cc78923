"""The simulated plant as a child process of `serve --demo`: started, awaited, stopped.

The OPC UA server runs in its own process (as a real plant's would) so its CPU never
competes with the API's event loop, and dies with the service even on kill -9.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from dataclasses import dataclass

from graph.server import _die_with_parent, free_port

READY_TIMEOUT_S = 90.0


class PlantStartError(RuntimeError):
    """The simulated plant did not come up."""


@dataclass
class PlantProcess:
    process: subprocess.Popen[str]
    endpoint: str

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)


def start_plant(scale: str, seed: int, *extra: str, port: int | None = None) -> PlantProcess:
    """`python -m ingest.plant_sim` on a free loopback port; returns once it serves."""
    endpoint = f"opc.tcp://127.0.0.1:{port or free_port()}"
    command = [
        sys.executable,
        "-m",
        "ingest.plant_sim",
        "--endpoint",
        endpoint,
        "--scale",
        scale,
        "--seed",
        str(seed),
        *extra,
    ]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=None, text=True, preexec_fn=_die_with_parent
    )
    deadline = time.monotonic() + READY_TIMEOUT_S
    assert process.stdout is not None
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        if line.startswith("READY"):
            # Keep reading what it prints, so a full pipe never blocks it.
            threading.Thread(target=process.stdout.read, daemon=True).start()
            return PlantProcess(process, line.split()[1] if len(line.split()) > 1 else endpoint)
    plant = PlantProcess(process, endpoint)
    plant.stop()
    raise PlantStartError(f"the simulated plant did not start (exit code {process.returncode})")
