"""Shared fixtures: one real embedded FalkorDB server for the session, a clean graph per test."""

from __future__ import annotations

import hashlib
import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from graph.connect import StoreConfig, open_store
from graph.migrations import migrate
from graph.store import GraphStore


@pytest.fixture(scope="session")
async def session_store(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[GraphStore]:
    store = await open_store(StoreConfig(data_dir=tmp_path_factory.mktemp("graph")))
    yield store
    await store.close()


@pytest.fixture
async def store(session_store: GraphStore) -> GraphStore:
    """The session's graph, emptied and migrated."""
    await session_store.drop_all()
    await migrate(session_store)
    return session_store


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


async def graph_checksum(store: GraphStore) -> str:
    """A digest of every node and relationship with its properties: equal graphs, equal digests."""
    nodes = await store.read("MATCH (n) RETURN labels(n) AS labels, n AS props")
    rels = await store.read(
        "MATCH (a)-[r]->(b) RETURN a.id AS a, type(r) AS type, b.id AS b, r AS props"
    )
    canonical = json.dumps(
        [
            sorted(json.dumps(row, sort_keys=True) for row in nodes),
            sorted(json.dumps(row, sort_keys=True) for row in rels),
        ]
    )
    return hashlib.sha256(canonical.encode()).hexdigest()
