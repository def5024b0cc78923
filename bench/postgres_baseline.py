"""The relational baseline: genealogy traces as one recursive SQL statement in PostgreSQL 15.

The benchmark must show what a graph store buys over the obvious alternative, so the
alternative gets a fair setup: a throw-away server tuned like a read benchmark (data
cached in shared buffers, no JIT start-up on short queries), a node/edge schema with the
two composite indexes a DBA would add for walks in both directions, fresh statistics,
and a prepared statement per direction. Trace semantics are exactly those of
`bench.networkx_trace` (see its module docstring).

Durability is off (`fsync`, `full_page_writes`, `synchronous_commit`, minimal WAL): the
database lives in a temporary directory for one run and is deleted afterwards, and none
of these settings changes how a read query executes.
"""

from __future__ import annotations

import contextlib
import logging
import os
import pwd
import secrets
import shlex
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, LiteralString

import psycopg
from psycopg.rows import TupleRow

from bench.apt import AptFailed, AptUnavailable, apt_install
from bench.networkx_trace import OPEN_STATUSES, Edge, TraceResult, parse_direction
from domain.genealogy import TraceDirection
from graph.server import free_port

log = logging.getLogger(__name__)

DEFAULT_BIN_DIR = Path("/usr/lib/postgresql/15/bin")
_SERVER_USER = "postgres"
_BINARIES = ("initdb", "pg_ctl", "postgres")
_APT_TIMEOUT_S = 1800

# Settings for a disposable, read-mostly benchmark server (see the module docstring).
_SETTINGS = {
    "shared_buffers": "'256MB'",
    "work_mem": "'64MB'",
    "maintenance_work_mem": "'1GB'",
    "effective_cache_size": "'4GB'",
    "random_page_cost": "1.1",
    "jit": "off",
    "fsync": "off",
    "full_page_writes": "off",
    "synchronous_commit": "off",
    "wal_level": "minimal",
    "max_wal_senders": "0",
    "max_wal_size": "'8GB'",
    "checkpoint_timeout": "'1h'",
    "autovacuum": "off",
    "logging_collector": "off",
}

_SCHEMA: tuple[LiteralString, ...] = (
    "DROP TABLE IF EXISTS edge, node",
    "CREATE TABLE node (id text NOT NULL, label text NOT NULL, status text)",
    "CREATE TABLE edge (src text NOT NULL, type text NOT NULL, dst text NOT NULL)",
)
_INDEXES: tuple[LiteralString, ...] = (
    "ALTER TABLE node ADD PRIMARY KEY (id)",
    "CREATE INDEX edge_out ON edge (src, type, dst)",
    "CREATE INDEX edge_in ON edge (dst, type, src)",
)

# UNION over (id, label, depth) rather than a path column keeps the walk polynomial: each
# node enters once per distinct depth up to max_depth, which also ends cycles; min(depth)
# per id then gives the breadth-first depth. The final DISTINCT ON lets a genealogy row
# win over any context row for the same id with one sort; an anti-join against the CTE
# would be planned as a nested loop (CTE row counts are guessed), quadratic in the trace.
_UPSTREAM: LiteralString = """
WITH RECURSIVE walk(id, label, depth) AS (
    SELECT id, label, 0 FROM node WHERE id = %(start)s
  UNION
    SELECT e.dst, n.label, w.depth + 1
    FROM walk w
    JOIN edge e ON e.src = w.id AND e.type = 'CONSUMED'
    JOIN node n ON n.id = e.dst
    WHERE w.label = 'Batch' AND w.depth < %(max_depth)s::int
),
genealogy AS (
    SELECT id, min(label) AS label, min(depth) AS depth FROM walk GROUP BY id
),
ends AS (
    SELECT n.id, n.label, g.depth + 1 AS depth
    FROM genealogy g
    JOIN edge e ON e.src = g.id AND e.type IN ('RECEIVED_AGAINST', 'SUPPLIED_BY')
    JOIN node n ON n.id = e.dst
    WHERE g.label = 'MaterialLot'
      AND (e.type, n.label) IN (('RECEIVED_AGAINST', 'PurchaseOrder'),
                                ('SUPPLIED_BY', 'Supplier'))
)
SELECT DISTINCT ON (id) id, label, depth
FROM (
    SELECT id, label, depth, 0 AS context FROM genealogy
  UNION ALL
    SELECT id, label, depth, 1 FROM ends
) found
ORDER BY id, context, depth
"""

_DOWNSTREAM: LiteralString = """
WITH RECURSIVE walk(id, label, depth) AS (
    SELECT id, label, 0 FROM node WHERE id = %(start)s
  UNION
    SELECT e.src, n.label, w.depth + 1
    FROM walk w
    JOIN edge e ON e.dst = w.id AND e.type = 'CONSUMED'
    JOIN node n ON n.id = e.src AND n.label = 'Batch'
    WHERE w.label IN ('Batch', 'MaterialLot') AND w.depth < %(max_depth)s::int
),
genealogy AS (
    SELECT id, min(label) AS label, min(depth) AS depth FROM walk GROUP BY id
),
batches AS (
    SELECT id, depth FROM genealogy WHERE label = 'Batch'
),
hop1 AS (
    SELECT n.id, n.label, min(b.depth) + 1 AS depth
    FROM batches b
    JOIN edge e ON e.dst = b.id AND e.type = 'CONTAINS'
    JOIN node n ON n.id = e.src AND n.label = 'Shipment'
    GROUP BY n.id, n.label
  UNION ALL
    SELECT n.id, n.label, min(b.depth) + 1
    FROM batches b
    JOIN edge e ON e.src = b.id AND e.type = 'PRODUCED_BY'
    JOIN node n ON n.id = e.dst AND n.label = 'WorkOrder'
    GROUP BY n.id, n.label
),
hop2 AS (
    SELECT n.id, n.label, h.depth + 1 AS depth
    FROM hop1 h
    JOIN edge e ON e.src = h.id AND e.type IN ('SHIPPED_TO', 'FOR_ORDER', 'FULFILLS')
    JOIN node n ON n.id = e.dst
    WHERE (h.label, e.type, n.label) IN (('Shipment', 'SHIPPED_TO', 'Customer'),
                                         ('Shipment', 'FOR_ORDER', 'SalesOrder'),
                                         ('WorkOrder', 'FULFILLS', 'SalesOrder'))
      AND (n.label <> 'SalesOrder' OR n.status = ANY(%(open)s::text[]))
),
ends AS (
    SELECT id, label, depth FROM hop1
  UNION ALL
    SELECT id, label, depth FROM hop2
)
SELECT DISTINCT ON (id) id, label, depth
FROM (
    SELECT id, label, depth, 0 AS context FROM genealogy
  UNION ALL
    SELECT id, label, depth, 1 FROM ends
) found
ORDER BY id, context, depth
"""


class PostgresUnavailable(RuntimeError):
    """PostgreSQL 15 cannot be found, installed, initialised or started here."""


@dataclass(frozen=True)
class LoadReport:
    """What `PostgresBaseline.load` wrote and where its time went."""

    nodes: int
    edges: int
    copy_s: float
    index_s: float
    analyze_s: float

    @property
    def total_s(self) -> float:
        return self.copy_s + self.index_s + self.analyze_s


def _run(
    command: list[str],
    what: str,
    *,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    timeout: float | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run a command to completion; a failure becomes PostgresUnavailable with its output."""
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, check=False, cwd=cwd, env=env, timeout=timeout
        )
    except (OSError, subprocess.SubprocessError) as exc:
        raise PostgresUnavailable(f"{what} failed: {exc}") from exc
    if done.returncode != 0:
        tail = (done.stdout + done.stderr).strip()[-2000:]
        raise PostgresUnavailable(f"{what} failed (exit {done.returncode}): {tail}")
    return done


def _install_debian_package() -> None:
    """`apt-get install postgresql` (Debian 12 ships 15)."""
    try:
        apt_install("postgresql", timeout_s=_APT_TIMEOUT_S)
    except (AptUnavailable, AptFailed) as exc:
        raise PostgresUnavailable(f"PostgreSQL 15 could not be installed: {exc}") from exc


def find_binaries(bin_dir: Path = DEFAULT_BIN_DIR, *, install: bool = True) -> Path:
    """The directory holding initdb, pg_ctl and postgres, installing them when allowed."""

    def present() -> bool:
        return all(os.access(bin_dir / name, os.X_OK) for name in _BINARIES)

    if present():
        return bin_dir
    if not install:
        raise PostgresUnavailable(f"PostgreSQL 15 server binaries not found in {bin_dir}")
    _install_debian_package()
    if not present():
        raise PostgresUnavailable(
            f"installed the postgresql package but {bin_dir} still lacks {', '.join(_BINARIES)}"
        )
    return bin_dir


class PostgresBaseline:
    """A private PostgreSQL 15 server in a temporary directory, loaded with one graph.

    `with PostgresBaseline() as pg: pg.load(edges, statuses); pg.trace(...)`. The server
    runs as the `postgres` OS user when we are root (PostgreSQL refuses to run as root),
    listens on 127.0.0.1 on a free port behind a random password, and is stopped and its
    directory deleted on exit.
    """

    def __init__(
        self,
        *,
        bin_dir: Path = DEFAULT_BIN_DIR,
        install: bool = True,
        base_dir: Path | None = None,
        start_timeout_s: int = 60,
    ) -> None:
        self.bin_dir = bin_dir
        self.install = install
        self.base_dir = base_dir
        self.start_timeout_s = start_timeout_s
        self.port = 0
        self.server_version = ""
        self._root: Path | None = None
        self._password = secrets.token_urlsafe(24)
        self._conn: psycopg.Connection[TupleRow] | None = None

    # -- lifecycle ---------------------------------------------------------------------
    def __enter__(self) -> PostgresBaseline:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def start(self) -> None:
        """initdb a fresh directory, start the server on a free port, and connect."""
        bin_dir = find_binaries(self.bin_dir, install=self.install)
        self._root = Path(tempfile.mkdtemp(prefix="factorygraph-pg-", dir=self.base_dir))
        try:
            self._initdb(bin_dir)
            self.port = free_port()
            self._configure()
            self._pg_ctl(bin_dir, "start", "-l", str(self._root / "server.log"))
            self._conn = self._connect()
            self.server_version = str(self._scalar("SHOW server_version"))
        except BaseException:
            self.stop()
            raise
        log.info(
            "postgres.started port=%d dir=%s version=%s",
            self.port,
            self._root,
            self.server_version.split(" ", 1)[0],
        )

    def stop(self) -> None:
        """Stop the server (fast shutdown) and delete its directory; safe to call twice."""
        if self._conn is not None:
            with contextlib.suppress(psycopg.Error):
                self._conn.close()
            self._conn = None
        root, self._root = self._root, None
        if root is None:
            return
        if (root / "data" / "postmaster.pid").exists():
            try:
                self._pg_ctl(self.bin_dir, "stop", "-m", "fast", root=root)
            except PostgresUnavailable as exc:
                log.warning("postgres.stop.failed dir=%s error=%s", root, exc)
        shutil.rmtree(root, ignore_errors=True)
        log.info("postgres.stopped port=%d", self.port)

    def _as_server_user(self, command: list[str]) -> list[str]:
        if os.geteuid() != 0:
            return command
        runuser = shutil.which("runuser")
        if runuser is not None:
            return [runuser, "-u", _SERVER_USER, "--", *command]
        su = shutil.which("su") or "/bin/su"
        return [su, _SERVER_USER, "-s", "/bin/sh", "-c", shlex.join(command)]

    def _initdb(self, bin_dir: Path) -> None:
        assert self._root is not None
        pwfile = self._root / "pwfile"
        pwfile.write_text(self._password + "\n")
        pwfile.chmod(0o600)
        if os.geteuid() == 0:
            try:
                account = pwd.getpwnam(_SERVER_USER)
            except KeyError as exc:
                raise PostgresUnavailable(
                    f"running as root needs the '{_SERVER_USER}' OS user to own the server"
                ) from exc
            for path in (self._root, pwfile):
                os.chown(path, account.pw_uid, account.pw_gid)
        command = [
            str(bin_dir / "initdb"),
            "-D",
            str(self._root / "data"),
            "-U",
            _SERVER_USER,
            "--auth=scram-sha-256",
            f"--pwfile={pwfile}",
            "--encoding=UTF8",
            "--locale=C",
            "--no-sync",
            "--no-instructions",
        ]
        try:
            _run(self._as_server_user(command), "initdb", cwd=self._root)
        finally:
            pwfile.unlink(missing_ok=True)

    def _configure(self) -> None:
        assert self._root is not None
        settings = {
            **_SETTINGS,
            "listen_addresses": "'127.0.0.1'",
            "port": str(self.port),
            "unix_socket_directories": f"'{self._root}'",
        }
        lines = "".join(f"{name} = {value}\n" for name, value in settings.items())
        with open(self._root / "data" / "postgresql.conf", "a", encoding="utf-8") as handle:
            handle.write("\n# factorygraph benchmark settings\n" + lines)

    def _pg_ctl(self, bin_dir: Path, action: str, *extra: str, root: Path | None = None) -> None:
        root = root or self._root
        assert root is not None
        command = [
            str(bin_dir / "pg_ctl"),
            "-D",
            str(root / "data"),
            "-w",
            "-t",
            str(self.start_timeout_s),
            *extra,
            action,
        ]
        try:
            _run(self._as_server_user(command), f"pg_ctl {action}", cwd=root)
        except PostgresUnavailable as exc:
            server_log = root / "server.log"
            tail = server_log.read_text(errors="replace")[-2000:] if server_log.exists() else ""
            raise PostgresUnavailable(f"{exc}\nserver log:\n{tail}") from exc

    def _connect(self) -> psycopg.Connection[TupleRow]:
        deadline = time.monotonic() + self.start_timeout_s
        while True:
            try:
                return psycopg.connect(
                    host="127.0.0.1",
                    port=self.port,
                    user=_SERVER_USER,
                    password=self._password,
                    dbname="postgres",
                    autocommit=True,
                    # Traces pass prepare=True (prepared on first use); load() opts out.
                    prepare_threshold=1,
                )
            except psycopg.OperationalError as exc:
                if time.monotonic() > deadline:
                    raise PostgresUnavailable(f"cannot connect to PostgreSQL: {exc}") from exc
                time.sleep(0.1)

    @property
    def conn(self) -> psycopg.Connection[TupleRow]:
        if self._conn is None:
            raise PostgresUnavailable("the PostgreSQL baseline is not started")
        return self._conn

    def _scalar(self, query: LiteralString) -> Any:
        row = self.conn.execute(query).fetchone()
        return None if row is None else row[0]

    # -- data --------------------------------------------------------------------------
    def load(self, edges: Iterable[Edge], statuses: Mapping[str, str]) -> LoadReport:
        """Replace the tables with this graph: COPY, then indexes, then VACUUM ANALYZE.

        Node labels follow `bench.networkx_trace`: the last edge naming an id decides its
        label; sales orders known only from `statuses` are SalesOrder nodes.
        """
        conn = self.conn
        labels: dict[str, str] = {}
        edge_count = 0
        started = time.perf_counter()
        with conn.transaction():
            for statement in _SCHEMA:
                conn.execute(statement, prepare=False)
            # Created in this transaction: FREEZE and wal_level=minimal skip later work.
            with (
                conn.cursor() as cur,
                cur.copy("COPY edge (src, type, dst) FROM STDIN (FREEZE)") as copy,
            ):
                for source_label, source, rel_type, target_label, target in edges:
                    labels[source] = source_label
                    labels[target] = target_label
                    copy.write_row((source, rel_type, target))
                    edge_count += 1
            for order in statuses:
                labels.setdefault(order, "SalesOrder")
            with (
                conn.cursor() as cur,
                cur.copy("COPY node (id, label, status) FROM STDIN (FREEZE)") as copy,
            ):
                for node, label in labels.items():
                    copy.write_row((node, label, statuses.get(node)))
        copied = time.perf_counter()
        for statement in _INDEXES:
            conn.execute(statement, prepare=False)
        indexed = time.perf_counter()
        conn.execute("VACUUM (ANALYZE) node", prepare=False)
        conn.execute("VACUUM (ANALYZE) edge", prepare=False)
        report = LoadReport(
            nodes=len(labels),
            edges=edge_count,
            copy_s=copied - started,
            index_s=indexed - copied,
            analyze_s=time.perf_counter() - indexed,
        )
        log.info(
            "postgres.loaded nodes=%d edges=%d copy_s=%.2f index_s=%.2f analyze_s=%.2f",
            report.nodes,
            report.edges,
            report.copy_s,
            report.index_s,
            report.analyze_s,
        )
        return report

    def trace(self, start_id: str, direction: TraceDirection | str, max_depth: int) -> TraceResult:
        """One prepared SQL statement per trace; same semantics as NetworkxGenealogy.trace."""
        if max_depth < 0:
            raise ValueError(f"max_depth must be >= 0, got {max_depth}")
        upstream = parse_direction(direction) is TraceDirection.UPSTREAM
        query = _UPSTREAM if upstream else _DOWNSTREAM
        params: dict[str, object] = {"start": start_id, "max_depth": max_depth}
        if not upstream:
            params["open"] = sorted(OPEN_STATUSES)
        rows = self.conn.execute(query, params, prepare=True).fetchall()
        return {str(node): (str(label), int(depth)) for node, label, depth in rows}

    def memory_bytes(self) -> int:
        """On-disk size of the benchmark database (tables plus indexes)."""
        return int(self._scalar("SELECT pg_database_size(current_database())"))
