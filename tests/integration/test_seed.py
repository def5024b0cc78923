"""Seeding the small demo plant into a real embedded FalkorDB: counts, no stubs, idempotent."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from graph.bulk import NodeChunk, verify_no_stubs
from graph.connect import StoreConfig, open_store
from graph.errors import GraphError
from graph.store import GraphStore
from ingest.demo import DemoPlant, generate_plant, parse_scale
from ingest.demo.seed import seed_plant

SPEC = parse_scale("small")
SEED = 42


@pytest.fixture(scope="module")
def plant() -> DemoPlant:
    return generate_plant(SPEC, SEED)


@pytest.fixture(scope="module")
async def own_store(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[GraphStore]:
    """A server of this module's own: the tests build on each other's seeding."""
    data_dir: Path = tmp_path_factory.mktemp("seed")
    store = await open_store(StoreConfig(data_dir=data_dir))
    try:
        yield store
    finally:
        await store.close()  # stops the embedded server


async def count(store: GraphStore, cypher: str) -> int:
    rows = await store.read(cypher)
    return int(rows[0]["c"])


async def snapshot(store: GraphStore, plant: DemoPlant) -> dict[str, object]:
    """Counts per label and type, plus a few properties that must survive re-seeding."""
    out: dict[str, object] = {}
    for label in plant.node_counts:
        out[label] = await count(store, f"MATCH (n:{label}) RETURN count(n) AS c")
    for rel in plant.relationship_counts:
        out[rel] = await count(store, f"MATCH ()-[r:{rel}]->() RETURN count(r) AS c")
    out["lots"] = await store.read(
        "MATCH (l:MaterialLot) RETURN l.id AS id, l.quantity AS q, l.supplier_lot AS s "
        "ORDER BY l.id LIMIT 50"
    )
    out["consumed"] = await store.read(
        "MATCH (b:Batch)-[r:CONSUMED]->(x) RETURN b.id AS b, x.id AS x, r.qty AS q "
        "ORDER BY b, x LIMIT 200"
    )
    return out


async def test_seed_small_writes_exactly_the_plant(own_store: GraphStore, plant: DemoPlant) -> None:
    store = own_store
    calls: list[tuple[int, int]] = []
    report = await seed_plant(
        store, SPEC, SEED, plant=plant, progress=lambda n, r: calls.append((n, r))
    )

    assert report.nodes == plant.expected_nodes
    assert report.relationships == plant.expected_relationships
    assert sum(n for n, _ in calls) == plant.expected_nodes
    assert sum(r for _, r in calls) == plant.expected_relationships
    assert report.rate > 0
    assert await count(store, "MATCH (n) RETURN count(n) AS c") == plant.expected_nodes
    assert (
        await count(store, "MATCH ()-[r]->() RETURN count(r) AS c") == plant.expected_relationships
    )
    assert await verify_no_stubs(store) == {}

    got = await snapshot(store, plant)
    for label, expected in plant.node_counts.items():
        assert got[label] == expected, label
    for rel, expected in plant.relationship_counts.items():
        assert got[rel] == expected, rel


async def test_seeding_again_changes_nothing(own_store: GraphStore, plant: DemoPlant) -> None:
    store = own_store
    before = await snapshot(store, plant)
    report = await seed_plant(store, SPEC, SEED, validate=False)
    assert report.nodes == plant.expected_nodes
    assert await snapshot(store, plant) == before


def deepest_finished_trace(plant: DemoPlant) -> int:
    """Longest CONSUMED path from a finished batch to a lot, computed from the rows."""
    depth: dict[str, int] = {}
    finished_orders: set[str] = set()
    deepest = 0
    for chunk in plant.chunks():  # work orders come before batches, batches in start order
        if chunk.label == "WorkOrder":
            finished_orders |= {row["id"] for row in chunk.rows if row["edges"][1]}
        if chunk.label != "Batch":
            continue
        for row in chunk.rows:
            inputs = [depth[edge["id"]] + 1 for edge in row["edges"][3]]
            depth[row["id"]] = max([1 if row["edges"][2] else 0, *inputs])
            if row["edges"][0][0]["id"] in finished_orders:
                deepest = max(deepest, depth[row["id"]])
    return deepest


async def test_traces_in_the_graph_match_the_generated_genealogy(
    own_store: GraphStore, plant: DemoPlant
) -> None:
    store = own_store
    rows = await store.read(
        "MATCH (b:Batch)-[:PRODUCED_BY]->(:WorkOrder)-[:FULFILLS]->(:SalesOrder) "
        "MATCH p = (b)-[:CONSUMED*1..30]->(:MaterialLot) "
        "RETURN max(length(p)) AS depth"
    )
    assert rows[0]["depth"] == deepest_finished_trace(plant) >= 6


async def test_bulk_endpoint_refuses_a_graph_that_holds_data(store: GraphStore) -> None:
    """The bulk endpoint builds new graphs only; it must never drop data it was handed."""
    await store.write("CREATE (:Customer {id: 'KEEP', name: 'Keep me', country: 'NL'})")
    chunk = NodeChunk("Site", (), [{"id": "S1", "props": {"id": "S1", "name": "x"}, "edges": []}])
    with pytest.raises(GraphError, match="already holds nodes"):
        await store.bulk_create([chunk])
    rows = await store.read("MATCH (c:Customer {id: 'KEEP'}) RETURN c.name AS name")
    assert rows == [{"name": "Keep me"}]
