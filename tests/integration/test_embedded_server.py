"""The embedded FalkorDB server: start, attach, stop, crash, and durability across restarts."""

from __future__ import annotations

import asyncio
import json
import os
import signal
from datetime import UTC, datetime
from pathlib import Path

import pytest

from domain.nodes import Customer
from domain.values import epoch_ms, from_epoch_ms
from graph.connect import StoreConfig, open_store
from graph.errors import GraphUnavailableError
from graph.migrations import migrate
from graph.server import EmbeddedServer
from graph.upserts import upsert_nodes


def _customers(prefix: str, count: int) -> list[Customer]:
    return [Customer(id=f"{prefix}{i}", name=f"Customer {i}", country="DE") for i in range(count)]


async def _count(store_dir: Path) -> int:
    store = await open_store(StoreConfig(data_dir=store_dir))
    try:
        rows = await store.read("MATCH (c:Customer) RETURN count(c) AS c")
        return int(rows[0]["c"]) if rows else 0
    finally:
        await store.close()


def test_start_writes_state_and_stop_removes_it(data_dir: Path) -> None:
    server = EmbeddedServer(data_dir)
    address = server.start()
    try:
        state = json.loads((data_dir / "server.json").read_text())
        assert state["port"] == address.port and state["pid"] == address.pid
        assert address.host == "127.0.0.1"
        assert (data_dir / "graph.secret").stat().st_mode & 0o777 == 0o600
        assert "requirepass" not in (data_dir / "server.json").read_text()
    finally:
        server.stop()
    assert not (data_dir / "server.json").exists()
    with pytest.raises(ProcessLookupError):
        os.kill(address.pid, 0)


def test_second_command_attaches_instead_of_starting(data_dir: Path) -> None:
    first = EmbeddedServer(data_dir)
    second = EmbeddedServer(data_dir)
    a = first.start()
    try:
        b = second.start()
        assert (b.port, b.pid) == (a.port, a.pid)
        assert first.owner and not second.owner
        second.stop()  # an attached user lets go without stopping the server
        os.kill(a.pid, 0)
    finally:
        first.stop()


def test_stale_state_file_is_replaced(data_dir: Path) -> None:
    data_dir.mkdir(parents=True)
    (data_dir / "server.json").write_text(
        json.dumps({"host": "127.0.0.1", "port": 1, "pid": 999999})
    )
    server = EmbeddedServer(data_dir)
    address = server.start()
    try:
        assert server.owner and address.port != 1
    finally:
        server.stop()


async def test_data_survives_clean_restart(data_dir: Path) -> None:
    store = await open_store(StoreConfig(data_dir=data_dir))
    await migrate(store)
    await upsert_nodes(store, Customer, _customers("C", 500))
    await store.close()
    assert await _count(data_dir) == 500


async def test_acknowledged_writes_survive_kill_9(data_dir: Path) -> None:
    """AOF with appendfsync everysec: writes older than a second survive a kill -9."""
    store = await open_store(StoreConfig(data_dir=data_dir))
    await migrate(store)
    await upsert_nodes(store, Customer, _customers("K", 300))
    await store.checkpoint()  # compacted AOF base, then more writes only in the log
    await upsert_nodes(store, Customer, _customers("L", 200))
    await asyncio.sleep(1.5)  # past the everysec fsync window
    pid = store.address.pid  # type: ignore[attr-defined]
    os.kill(pid, signal.SIGKILL)
    with pytest.raises(GraphUnavailableError, match="not answering"):
        await store.read("MATCH (c:Customer) RETURN count(c) AS c")
    await store.close()
    assert await _count(data_dir) == 500


async def test_crashed_server_gives_one_clear_error(data_dir: Path) -> None:
    store = await open_store(StoreConfig(data_dir=data_dir))
    pid = store.address.pid  # type: ignore[attr-defined]
    os.kill(pid, signal.SIGKILL)
    await asyncio.sleep(0.2)
    with pytest.raises(GraphUnavailableError) as info:
        await store.read("RETURN 1 AS one")
    message = str(info.value)
    assert "embedded graph server" in message and str(pid) in message
    await store.close()


async def test_instants_and_awkward_strings_round_trip(data_dir: Path) -> None:
    store = await open_store(StoreConfig(data_dir=data_dir))
    try:
        tricky = "O'Brien \"quoted\" back\\slash ' RETURN 'INJECTED' AS v // ünïcødé ✓"
        rows = await store.read(
            "RETURN $s AS s, $f AS f, $t AS t", {"s": tricky, "f": 1e-07, "t": 1795365628661}
        )
        assert rows == [{"s": tricky, "f": 1e-07, "t": 1795365628661}]
        instant = datetime(2026, 11, 22, 12, 0, 0, 123000, tzinfo=UTC)
        rows = await store.read("RETURN $t AS t", {"t": epoch_ms(instant)})
        assert from_epoch_ms(rows[0]["t"]) == instant
    finally:
        await store.close()
