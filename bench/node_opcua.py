"""The node-opcua plant server (`bench/node_opcua/server.mjs`) as a child process.

An OPC UA server that is not asyncua, exposing the plant address space contract of
`ingest/opcua/address_space.py`, so the ingest is tested and benchmarked against an
independent implementation. Its npm dependencies are installed once with `npm ci` into a
cache directory outside the repository, keyed by the lock's hash. Tests drive it through
stdin commands (state, mode, variable values with explicit source timestamps and status);
benchmarks through `rate`, which changes every Monitoring variable of every machine per tick.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any, Literal, Self

from bench.node_side import NodeUnavailableError, install_node_side
from graph.server import free_port
from ingest.opcua.nodesets import MACHINERY_NODESETS, NodesetsMissingError, nodesets_dir

SOURCE = Path(__file__).resolve().parent / "node_opcua"
"""Where installed npm trees live (default: `~/.cache/factorygraph`)."""

Security = Literal["none", "sign-and-encrypt"]


def shared_nodesets() -> Path | None:
    """The DI 1.04 + Machinery 1.03 files the asyncua plant loads, or None when absent.

    The same files as the asyncua side (`$FACTORYGRAPH_NODESETS`, else the shared data),
    so both servers expose one Machinery version; without them node-opcua's bundled
    (newer) DI and Machinery nodesets are loaded instead.
    """
    try:
        directory = nodesets_dir()
    except NodesetsMissingError:
        return None
    return directory if all((directory / f).is_file() for f in MACHINERY_NODESETS) else None


def install() -> Path:
    """The directory holding server.mjs with node-opcua installed (`npm ci` the first time)."""
    return install_node_side(SOURCE, "node-opcua")


class NodeOpcuaServer:
    """One node-opcua plant server process; `start` it, drive it, `stop` it.

    `kill()` then `restart()` brings it back on the same port with the same machines
    (its counters start over, as a real server's do), for reconnect tests.
    """

    def __init__(self, directory: Path | None = None) -> None:
        self._directory = directory
        self._process: subprocess.Popen[str] | None = None
        self._lines: queue.Queue[str | None] = queue.Queue()
        self._send_lock = threading.Lock()
        self._workdir = Path(tempfile.mkdtemp(prefix="node-opcua-"))
        self._argv: list[str] = []
        self._machines_json: str | None = None
        self._endpoint: str | None = None
        self.nodesets: Path | None = None
        """The NodeSet2 directory loaded (None: node-opcua's bundled DI and Machinery)."""

    def start(
        self,
        port: int | None = None,
        machines: int | Sequence[Mapping[str, str]] = 1,
        machines_file: Path | None = None,
        rate: float = 0.0,
        *,
        security: Security = "none",
        seed: int = 42,
        bundled_nodesets: bool = False,
        timeout: float = 60.0,
    ) -> Self:
        """Start serving and wait for READY.

        `machines` is a count (ids M-0001...) or records with id, manufacturer,
        serial_number and product_instance_uri; `machines_file` a JSON file of such
        records (it wins over `machines`). `rate` in Hz; 0 means values change only on
        `send`. A free loopback port is chosen when `port` is None. `bundled_nodesets` loads
        node-opcua's own (newer) DI, IA and Machinery instead of the shared 1.03 files.
        """
        if self._process is not None and self._process.poll() is None:
            raise RuntimeError("the node-opcua server is already running")
        directory = self._directory or install()
        node = shutil.which("node")
        if node is None:
            raise NodeUnavailableError("node is needed for the node-opcua server (not on PATH)")
        self._machines_json = None
        if machines_file is None and not isinstance(machines, int):
            self._machines_json = json.dumps([dict(m) for m in machines])
            machines_file = self._workdir / "machines.json"
        self.nodesets = None if bundled_nodesets else shared_nodesets()
        argv = [node, str(directory / "server.mjs"), "--port", str(port or free_port())]
        if machines_file is not None:
            argv += ["--machines-file", str(machines_file)]
        else:
            argv += ["--machines", str(machines)]
        argv += ["--rate", repr(float(rate)), "--security", security, "--seed", str(seed)]
        argv += ["--pki-dir", str(self._workdir / "pki")]
        if self.nodesets is not None:
            argv += ["--nodeset-dir", str(self.nodesets)]
        self._argv = argv
        self._launch(timeout)
        return self

    def restart(self, timeout: float = 60.0) -> None:
        """Start again, after `kill` or `stop`, as the last `start` did (same port and machines)."""
        if not self._argv:
            raise RuntimeError("restart() needs an earlier start()")
        if self._process is not None and self._process.poll() is None:
            raise RuntimeError("the node-opcua server is still running")
        self._launch(timeout)

    @property
    def endpoint(self) -> str:
        """`opc.tcp://127.0.0.1:<port>` as the server announced it."""
        if self._endpoint is None:
            raise RuntimeError("the node-opcua server has not been started")
        return self._endpoint

    @property
    def pid(self) -> int:
        return self._running().pid

    @property
    def returncode(self) -> int | None:
        """The exit status once the process has ended (0 after a clean stop), else None."""
        return None if self._process is None else self._process.poll()

    def send(self, command: Mapping[str, Any], timeout: float = 10.0) -> None:
        """Apply one stdin command; returns on `OK`, raises on `ERROR` with the server's reason."""
        process = self._running()
        with self._send_lock:
            assert process.stdin is not None
            process.stdin.write(json.dumps(command) + "\n")
            process.stdin.flush()
            reply = self._next_line(timeout, f"a reply to {command}", kill_on_timeout=False)
        if reply != "OK":
            raise ValueError(f"node-opcua server refused {command}: {reply}")

    def cpu_seconds(self) -> float:
        """User + system CPU the server process has used so far (Linux /proc)."""
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks = os.sysconf("SC_CLK_TCK")
        return (int(fields[11]) + int(fields[12])) / ticks

    def kill(self) -> None:
        """SIGKILL: the server vanishes without closing its sessions (an outage)."""
        process = self._running()
        process.send_signal(signal.SIGKILL)
        process.wait()
        self._close_pipes()

    def stop(self, timeout: float = 10.0) -> None:
        """SIGTERM and wait; SIGKILL when it does not exit in `timeout` seconds."""
        process = self._process
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self._close_pipes()
        shutil.rmtree(self._workdir, ignore_errors=True)

    def stderr_tail(self, chars: int = 4000) -> str:
        """The end of what the server wrote to stderr (warnings, a stack trace)."""
        log = self._workdir / "stderr.log"
        return log.read_text(errors="replace")[-chars:] if log.exists() else ""

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def _launch(self, timeout: float) -> None:
        self._workdir.mkdir(parents=True, exist_ok=True)
        if self._machines_json is not None:
            (self._workdir / "machines.json").write_text(self._machines_json)
        self._lines = queue.Queue()
        self._endpoint = None
        stderr = (self._workdir / "stderr.log").open("a")
        try:
            self._process = subprocess.Popen(
                self._argv,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=stderr,
                text=True,
                bufsize=1,
                cwd=self._workdir,
            )
        finally:
            stderr.close()
        threading.Thread(
            target=self._read_stdout, args=(self._process, self._lines), daemon=True
        ).start()
        deadline = time.monotonic() + timeout
        while True:
            line = self._next_line(deadline - time.monotonic(), "READY")
            if line.startswith("READY "):
                self._endpoint = line.split(" ", 1)[1]
                return

    @staticmethod
    def _read_stdout(process: subprocess.Popen[str], lines: queue.Queue[str | None]) -> None:
        assert process.stdout is not None
        with process.stdout:
            for line in process.stdout:
                text = line.strip()
                if text.startswith(("READY ", "OK", "ERROR")):
                    lines.put(text)
        lines.put(None)

    def _next_line(self, timeout: float, waiting_for: str, *, kill_on_timeout: bool = True) -> str:
        try:
            line = self._lines.get(timeout=max(timeout, 0.0))
        except queue.Empty:
            process = self._process
            if kill_on_timeout and process is not None and process.poll() is None:
                process.kill()
                process.wait()
            raise RuntimeError(
                f"node-opcua server: no {waiting_for} in {timeout:.0f} s; stderr:\n"
                f"{self.stderr_tail()}"
            ) from None
        if line is None:
            code = self._process.wait() if self._process is not None else None
            raise RuntimeError(
                f"node-opcua server exited (code {code}) while waiting for {waiting_for}; "
                f"stderr:\n{self.stderr_tail()}"
            )
        return line

    def _running(self) -> subprocess.Popen[str]:
        if self._process is None or self._process.poll() is not None:
            raise RuntimeError("the node-opcua server is not running")
        return self._process

    def _close_pipes(self) -> None:
        """Close stdin; the reader thread closes stdout when it reaches the end."""
        if self._process is not None and self._process.stdin is not None:
            with contextlib.suppress(OSError):
                self._process.stdin.close()
