"""Traces and recall scope on a hand-built plant with known answers."""

from __future__ import annotations

import pytest

from domain import nodes as n
from domain import relationships as r
from domain.genealogy import TraceDirection
from graph import genealogy
from graph.errors import GraphError, NotFoundError
from graph.store import GraphStore
from graph.upserts import upsert_nodes, upsert_relationships
from tests.integration import genealogy_fixture

UP, DOWN = TraceDirection.UPSTREAM, TraceDirection.DOWNSTREAM


@pytest.fixture
async def plant(store: GraphStore) -> GraphStore:
    await genealogy_fixture.build(store)
    return store


async def test_downstream_from_a_lot_reaches_batches_shipments_customers_open_orders(
    plant: GraphStore,
) -> None:
    result = await genealogy.trace(plant, "L1", DOWN)
    assert result.depths() == {
        "L1": 0,
        "I1": 1, "I2": 1,
        "F1": 2, "F2": 2, "WO-I": 2,
        "WO-F1": 3, "WO-F2": 3, "SH1": 3, "SH2": 3,
        "C1": 4, "C2": 4, "SO2": 4, "SO3": 4,
    }  # fmt: skip
    assert "SO1" not in result.depths()  # shipped, so not an open order at risk
    edges = {(e.source_id, e.type, e.target_id) for e in result.edges}
    assert ("F2", "CONSUMED", "F1") in edges and ("SH2", "CONTAINS", "F2") in edges
    assert ("SH2", "FOR_ORDER", "SO2") in edges and ("WO-F2", "FULFILLS", "SO3") in edges
    ids = {node.id for node in result.nodes}
    assert all(e.source_id in ids and e.target_id in ids for e in result.edges)


async def test_upstream_from_a_finished_batch_reaches_lots_purchase_orders_suppliers(
    plant: GraphStore,
) -> None:
    result = await genealogy.trace(plant, "F2", UP)
    assert result.depths() == {
        "F2": 0,
        "I1": 1, "F1": 1,
        "L1": 2, "L2": 2, "L3": 2, "I2": 2,
        "PO1": 3, "PO2": 3, "S1": 3, "S2": 3, "L4": 3,
        "PO3": 4,
    }  # fmt: skip
    lot = next(node for node in result.nodes if node.id == "L2")
    assert lot.properties["supplier_lot"] == "ACM-2" and lot.label == "MaterialLot"


async def test_max_depth_bounds_the_genealogy(plant: GraphStore) -> None:
    assert (await genealogy.trace(plant, "L1", DOWN, max_depth=1)).depths() == {
        "L1": 0, "I1": 1, "I2": 1, "WO-I": 2,
    }  # fmt: skip
    assert (await genealogy.trace(plant, "F2", UP, max_depth=0)).depths() == {"F2": 0}
    with pytest.raises(GraphError, match="max_depth"):
        await genealogy.trace(plant, "F2", UP, max_depth=-1)


async def test_many_to_many_consumption_is_complete(plant: GraphStore) -> None:
    """Several lots of one material in one batch, and one lot in several batches."""
    i1 = await genealogy.trace(plant, "I1", UP, max_depth=1)
    assert {x.id for x in i1.by_label("MaterialLot")} == {"L1", "L2", "L3"}
    l1 = await genealogy.trace(plant, "L1", DOWN, max_depth=1)
    assert {x.id for x in l1.by_label("Batch")} == {"I1", "I2"}


async def test_supplier_lot_number_is_a_searchable_alias(plant: GraphStore) -> None:
    both = await genealogy.trace(plant, "ACM-1", DOWN, max_depth=1)
    assert sorted(both.start_ids) == ["L1", "L4"]  # two suppliers used the same number
    only_s1 = await genealogy.lots_by_supplier_lot(plant, "ACM-1", "S1")
    assert [(lot["id"], supplier) for lot, supplier in only_s1] == [("L1", "S1")]


async def test_unknown_start_is_a_clear_error(plant: GraphStore) -> None:
    with pytest.raises(NotFoundError, match="NOPE"):
        await genealogy.trace(plant, "NOPE", UP)


async def test_recall_scope_of_a_lot(plant: GraphStore) -> None:
    scope = await genealogy.recall_scope(plant, "L1")
    assert scope.lot_ids == ["L1"]
    assert scope.batches == ["F1", "F2", "I1", "I2"]
    assert scope.finished_batches == ["F1", "F2"]
    assert scope.shipments == ["SH1", "SH2"]
    assert scope.customers == ["C1", "C2"]
    assert scope.open_sales_orders == ["SO2", "SO3"]


async def test_cycles_in_bad_data_terminate(plant: GraphStore) -> None:
    await upsert_nodes(
        plant, n.Batch, [genealogy_fixture._batch("X1", 5), genealogy_fixture._batch("X2", 5)]
    )
    await upsert_relationships(
        plant,
        r.Consumed,
        [
            r.Consumed(source_id="X1", target_id="X2", target_label="Batch", qty=1, unit="kg"),
            r.Consumed(source_id="X2", target_id="X1", target_label="Batch", qty=1, unit="kg"),
            r.Consumed(
                source_id="X2", target_id="L3", target_label="MaterialLot", qty=1, unit="kg"
            ),
        ],
    )
    up = await genealogy.trace(plant, "X1", UP, max_depth=50)
    assert {k: v for k, v in up.depths().items() if k.startswith(("X", "L"))} == {
        "X1": 0,
        "X2": 1,
        "L3": 2,
    }
    down = await genealogy.trace(plant, "X1", DOWN, max_depth=50)
    assert down.depths() == {"X1": 0, "X2": 1}
