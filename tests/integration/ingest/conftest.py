"""A seeded small demo plant for the ingest tests (the session's graph, seeded once per module)."""

from __future__ import annotations

import pytest

from graph.migrations import migrate
from graph.store import GraphStore
from ingest.demo.scale import parse_scale
from ingest.demo.seed import seed_plant

PLANT_SEED = 42


@pytest.fixture(scope="module")
async def plant_store(session_store: GraphStore) -> GraphStore:
    await session_store.drop_all()
    await migrate(session_store)
    await seed_plant(session_store, parse_scale("small"), PLANT_SEED, validate=False)
    return session_store
