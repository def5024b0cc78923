"""Traces on a generated plant agree with an independent in-memory networkx traversal."""

from __future__ import annotations

import random

import pytest

from bench.networkx_trace import NetworkxGenealogy
from bench.plant_edges import PlantEdges, collect
from domain.genealogy import TraceDirection
from graph import genealogy
from graph.store import GraphStore
from ingest.demo.plant import generate_plant
from ingest.demo.scale import parse_scale
from ingest.demo.seed import seed_plant

SPEC, SEED = "small", 7


@pytest.fixture
async def generated(store: GraphStore) -> tuple[GraphStore, PlantEdges]:
    plant = generate_plant(parse_scale(SPEC), SEED)
    await seed_plant(store, parse_scale(SPEC), SEED, plant=plant)
    return store, collect(plant.chunks())


@pytest.mark.parametrize("trail_cap", [genealogy.TRAIL_CAP, 1], ids=["one-statement", "by-level"])
@pytest.mark.parametrize("max_depth", [2, 8, 30])
async def test_graph_traces_match_networkx(
    generated: tuple[GraphStore, PlantEdges],
    max_depth: int,
    trail_cap: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Both ways of walking the genealogy: one statement, and level by level (cap hit)."""
    monkeypatch.setattr(genealogy, "TRAIL_CAP", trail_cap)
    monkeypatch.setattr(genealogy, "PATHS_DOWNSTREAM", True)  # exercise it both ways
    store, plant = generated
    oracle = NetworkxGenealogy(plant.edges, plant.statuses)
    rng = random.Random(max_depth)
    starts = [
        (TraceDirection.DOWNSTREAM, i) for i in rng.sample(plant.ids_by_label["MaterialLot"], 40)
    ]
    starts += [(TraceDirection.UPSTREAM, i) for i in rng.sample(plant.ids_by_label["Batch"], 40)]
    deepest = widest = 0
    for direction, start in starts:
        result = await genealogy.trace(store, start, direction, max_depth, with_properties=False)
        ours = {node.id: (node.label, node.depth) for node in result.nodes}
        assert ours == oracle.trace(start, direction, max_depth), (start, direction)
        deepest, widest = max(deepest, result.deepest), max(widest, len(ours))
    assert widest > 20  # the sample reached more than trivial traces
    if max_depth >= 8:
        assert deepest >= 4
