"""`factorygraph serve` as a child process on a free loopback port, for benches and tests."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx

from graph.server import free_port


def start_service(
    data_dir: Path,
    *extra: str,
    env: dict[str, str] | None = None,
    ready_timeout_s: float = 60,
) -> tuple[subprocess.Popen[bytes], str]:
    """`python -m app serve` on a free port; returns the process and its base URL.

    The service's output goes to `service-<port>.log` in the data directory (a pipe
    nobody reads would fill and block the service). `ready_timeout_s` covers what it does
    before it listens (`--demo` seeds an empty directory first: minutes at large scale).
    """
    port = free_port()
    log_path = data_dir / f"service-{port}.log"
    env = {**os.environ, "FACTORYGRAPH_LOG_LEVEL": "WARNING", **(env or {})}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "app",
            "serve",
            "--data-dir",
            str(data_dir),
            "--port",
            str(port),
            *extra,
        ],
        env=env,
        stdout=log_path.open("ab"),
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + ready_timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = log_path.read_text(errors="replace")
            raise RuntimeError(f"the service exited early: {output[-2000:]}")
        try:
            if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                return process, base
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"the service did not become ready in {ready_timeout_s:g} s")


def stop_service(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
