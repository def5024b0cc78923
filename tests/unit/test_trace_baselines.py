"""Trace baselines: networkx against hand-worked answers, PostgreSQL against networkx.

The networkx baseline is the oracle for the graph's own traces, so it is checked node by
node on a small plant whose answers were worked out by hand. PostgreSQL must then agree
with it on every start, both directions, several depths, and on random genealogies.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

import pytest

from bench.networkx_trace import Edge, NetworkxGenealogy, TraceResult
from bench.postgres_baseline import PostgresBaseline, PostgresUnavailable
from domain.genealogy import TraceDirection

UP = TraceDirection.UPSTREAM
DOWN = TraceDirection.DOWNSTREAM

_LABEL_BY_PREFIX = {
    "B": "Batch",
    "I": "Batch",
    "F": "Batch",
    "C": "Batch",
    "L": "MaterialLot",
    "PO": "PurchaseOrder",
    "S": "Supplier",
    "W": "WorkOrder",
    "SO": "SalesOrder",
    "SH": "Shipment",
    "CU": "Customer",
}


def _label(node: str) -> str:
    prefix = node.rstrip("0123456789")
    return _LABEL_BY_PREFIX[prefix]


def _edges(rel_type: str, pairs: str) -> list[Edge]:
    """'B1>L1 B1>L2' -> CONSUMED edges with labels from the id prefixes."""
    edges: list[Edge] = []
    for pair in pairs.split():
        source, target = pair.split(">")
        edges.append((_label(source), source, rel_type, _label(target), target))
    return edges


# Lots L1, L2, L3 go into B1 (several lots, one batch); L3 also into B2 (one lot, many
# batches). Intermediate I1 consumes B1 and L4 and is consumed by finished F1 and F2; F2
# also takes L4 directly (a shorter path). C1 and C2 consume each other (bad data).
PLANT: list[Edge] = [
    *_edges("CONSUMED", "B1>L1 B1>L2 B1>L3 B2>L3 I1>B1 I1>L4 F1>I1 F2>I1 F2>L4 C1>C2 C2>C1 C1>L5"),
    *_edges("RECEIVED_AGAINST", "L1>PO1 L2>PO1 L3>PO2 L4>PO3 L5>PO4"),
    *_edges("SUPPLIED_BY", "L1>S1 L2>S1 L3>S2 L4>S2 L5>S1"),
    *_edges("PRODUCED_BY", "B1>W1 B2>W2 I1>W3 F1>W4 F2>W5 C1>W6"),
    *_edges("FULFILLS", "W1>SO3 W3>SO4 W4>SO1 W5>SO2"),
    *_edges("CONTAINS", "SH1>F1 SH2>F2 SH3>B2"),
    *_edges("SHIPPED_TO", "SH1>CU1 SH2>CU2 SH3>CU1"),
    *_edges("FOR_ORDER", "SH1>SO1 SH2>SO2"),
]
STATUSES = {
    "SO1": "open",
    "SO2": "shipped",
    "SO3": "in_production",
    "SO4": "cancelled",
    "SO5": "closed",  # known only from its status: no edges
}


def _expect(depths: str) -> TraceResult:
    """'F1:0 I1:1' -> {'F1': ('Batch', 0), 'I1': ('Batch', 1)}."""
    result: TraceResult = {}
    for item in depths.split():
        node, depth = item.split(":")
        result[node] = (_label(node), int(depth))
    return result


CASES = [
    # upstream: lots at the deepest level; S2 is reached at 3 via L4 and at 4 via L3
    ("F1", UP, 10, "F1:0 I1:1 B1:2 L4:2 L1:3 L2:3 L3:3 PO3:3 S2:3 PO1:4 S1:4 PO2:4"),
    ("F1", UP, 2, "F1:0 I1:1 B1:2 L4:2 PO3:3 S2:3"),
    ("F1", UP, 0, "F1:0"),
    ("F2", UP, 10, "F2:0 I1:1 L4:1 B1:2 L1:3 L2:3 L3:3 PO3:2 S2:2 PO1:4 S1:4 PO2:4"),
    ("F2", UP, 1, "F2:0 I1:1 L4:1 PO3:2 S2:2"),
    ("L1", UP, 5, "L1:0 PO1:1 S1:1"),
    ("C1", UP, 10, "C1:0 C2:1 L5:1 PO4:2 S1:2"),
    ("C2", UP, 10, "C2:0 C1:1 L5:2 PO4:3 S1:3"),
    # downstream: CU1 at 3 via SH3 beats 5 via SH1; SO2 shipped and SO4 cancelled stay out
    (
        "L3",
        DOWN,
        10,
        "L3:0 B1:1 B2:1 I1:2 F1:3 F2:3 W1:2 SO3:3 W2:2 SH3:2 CU1:3 W3:3 "
        "W4:4 SH1:4 SO1:5 W5:4 SH2:4 CU2:5",
    ),
    ("L3", DOWN, 1, "L3:0 B1:1 B2:1 W1:2 SO3:3 W2:2 SH3:2 CU1:3"),
    ("L3", DOWN, 0, "L3:0"),
    ("L4", DOWN, 10, "L4:0 I1:1 F2:1 F1:2 W3:2 W5:2 SH2:2 CU2:3 W4:3 SH1:3 CU1:4 SO1:4"),
    ("F1", DOWN, 0, "F1:0 W4:1 SH1:1 CU1:2 SO1:2"),
    (
        "B1",
        DOWN,
        10,
        "B1:0 I1:1 F1:2 F2:2 W1:1 SO3:2 W3:2 W4:3 SH1:3 CU1:4 SO1:4 W5:3 SH2:3 CU2:4",
    ),
    ("L5", DOWN, 10, "L5:0 C1:1 C2:2 W6:2"),
    ("C2", DOWN, 10, "C2:0 C1:1 W6:2"),
    # starts that are not genealogy nodes expand nothing
    ("PO1", UP, 10, "PO1:0"),
    ("SO5", DOWN, 10, "SO5:0"),
]


@pytest.fixture(scope="module")
def plant() -> NetworkxGenealogy:
    return NetworkxGenealogy(PLANT, STATUSES)


@pytest.mark.parametrize(("start", "direction", "max_depth", "expected"), CASES)
def test_networkx_trace_matches_hand_worked_answer(
    plant: NetworkxGenealogy,
    start: str,
    direction: TraceDirection,
    max_depth: int,
    expected: str,
) -> None:
    assert plant.trace(start, direction, max_depth) == _expect(expected)


def test_networkx_trace_edge_cases(plant: NetworkxGenealogy) -> None:
    assert plant.trace("NOPE", UP, 3) == {}
    assert plant.trace("L3", "DOWNSTREAM", 1) == plant.trace("L3", DOWN, 1)
    with pytest.raises(ValueError, match="max_depth"):
        plant.trace("F1", UP, -1)


# -- PostgreSQL -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def postgres() -> Iterator[PostgresBaseline]:
    try:
        baseline = PostgresBaseline()
        baseline.start()
    except PostgresUnavailable as exc:
        pytest.skip(f"PostgreSQL 15 unavailable: {exc}")
    try:
        yield baseline
    finally:
        baseline.stop()


def _nodes(edges: list[Edge], statuses: dict[str, str]) -> list[str]:
    return sorted({e[1] for e in edges} | {e[4] for e in edges} | set(statuses))


def test_postgres_agrees_with_networkx_on_every_start(
    postgres: PostgresBaseline, plant: NetworkxGenealogy
) -> None:
    report = postgres.load(PLANT, STATUSES)
    assert report.edges == len(PLANT)
    assert report.nodes == len(_nodes(PLANT, STATUSES))
    for start in [*_nodes(PLANT, STATUSES), "NOPE"]:
        for direction in (UP, DOWN):
            for max_depth in (0, 1, 2, 10):
                assert postgres.trace(start, direction, max_depth) == plant.trace(
                    start, direction, max_depth
                ), (start, direction, max_depth)
    assert postgres.memory_bytes() > 0


def _random_plant(seed: int, cycles: int) -> tuple[list[Edge], dict[str, str]]:
    """A layered many-to-many genealogy with commercial ends; `cycles` bad back-edges."""
    rng = random.Random(seed)
    suppliers = [f"S{i}" for i in range(20)]
    orders = [f"PO{i}" for i in range(100)]
    customers = [f"CU{i}" for i in range(50)]
    sales = [f"SO{i}" for i in range(200)]
    statuses = {
        so: rng.choice(["open", "in_production", "shipped", "closed", "cancelled"]) for so in sales
    }
    lots = [f"L{i}" for i in range(400)]
    batches = [f"B{i}" for i in range(1000)]
    work_orders = [f"W{i}" for i in range(300)]
    edges: set[Edge] = set()
    for lot in lots:
        edges.add(("MaterialLot", lot, "RECEIVED_AGAINST", "PurchaseOrder", rng.choice(orders)))
        edges.add(("MaterialLot", lot, "SUPPLIED_BY", "Supplier", rng.choice(suppliers)))
    for i, batch in enumerate(batches):
        for _ in range(rng.randint(1, 4)):
            if i and rng.random() < 0.6:
                edges.add(("Batch", batch, "CONSUMED", "Batch", batches[rng.randrange(i)]))
            else:
                edges.add(("Batch", batch, "CONSUMED", "MaterialLot", rng.choice(lots)))
        edges.add(("Batch", batch, "PRODUCED_BY", "WorkOrder", rng.choice(work_orders)))
    for _ in range(cycles):
        source, target = rng.sample(batches, 2)
        edges.add(("Batch", source, "CONSUMED", "Batch", target))
    for wo in work_orders:
        if rng.random() < 0.7:
            edges.add(("WorkOrder", wo, "FULFILLS", "SalesOrder", rng.choice(sales)))
    for i in range(400):
        shipment = f"SH{i}"
        for batch in rng.sample(batches, rng.randint(1, 3)):
            edges.add(("Shipment", shipment, "CONTAINS", "Batch", batch))
        edges.add(("Shipment", shipment, "SHIPPED_TO", "Customer", rng.choice(customers)))
        if rng.random() < 0.8:
            edges.add(("Shipment", shipment, "FOR_ORDER", "SalesOrder", rng.choice(sales)))
    return sorted(edges), statuses


@pytest.mark.parametrize(("seed", "cycles"), [(7, 0), (11, 40)])
def test_postgres_agrees_with_networkx_on_random_genealogy(
    postgres: PostgresBaseline, seed: int, cycles: int
) -> None:
    edges, statuses = _random_plant(seed, cycles)
    assert len(edges) > 3000
    oracle = NetworkxGenealogy(edges, statuses)
    postgres.load(edges, statuses)
    rng = random.Random(seed)
    starts = [node for node, label in oracle.labels.items() if label in ("Batch", "MaterialLot")]
    largest = 0
    for _ in range(50):
        start = rng.choice(starts)
        direction = rng.choice([UP, DOWN])
        max_depth = rng.choice([0, 1, 2, 3, 5, 8, 50])
        expected = oracle.trace(start, direction, max_depth)
        assert postgres.trace(start, direction, max_depth) == expected, (
            start,
            direction,
            max_depth,
        )
        largest = max(largest, len(expected))
    assert largest > 50  # the random starts did reach deep into the genealogy
