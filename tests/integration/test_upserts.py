"""Migrations and batched upserts against the real embedded graph."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from domain.nodes import Batch, Customer, MaterialLot
from domain.relationships import Consumed, PartOf
from graph.errors import ConstraintViolationError, InvalidRowError, NotFoundError
from graph.migrations import migrate
from graph.store import GraphStore
from graph.upserts import upsert_nodes, upsert_relationships
from tests.conftest import graph_checksum

NOW = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)


def lot(i: int, **over: object) -> dict[str, object]:
    row: dict[str, object] = {
        "id": f"LOT-{i}",
        "supplier_lot": f"ACM-{i:05d}",
        "status": "available",
        "quantity": 100.0,
        "initial_quantity": 100.0,
        "unit": "kg",
        "received_at": NOW - timedelta(days=i),
    }
    row.update(over)
    return row


def batch(i: int) -> Batch:
    return Batch(id=f"B-{i}", status="completed", quantity=50, unit="kg", started_at=NOW)  # type: ignore[arg-type]


async def test_migrations_are_idempotent(store: GraphStore) -> None:
    again = await migrate(store)
    assert not again.changed
    indexes = await store.read(store.dialect.list_indexes)
    indexed = {(r["label"], prop) for r in indexes for prop in r["properties"]}
    assert {("MaterialLot", "id"), ("MaterialLot", "supplier_lot"), ("Batch", "status")} <= indexed


async def test_unique_id_constraint_is_enforced(store: GraphStore) -> None:
    await upsert_nodes(store, Customer, [Customer(id="C1", name="Acme", country="US")])
    with pytest.raises(ConstraintViolationError):
        await store.write("CREATE (:Customer {id: 'C1', name: 'dup'})")
    rows = await store.read("MATCH (c:Customer {id: 'C1'}) RETURN c.name AS name")
    assert rows == [{"name": "Acme"}]


async def test_same_batch_twice_gives_same_graph(store: GraphStore) -> None:
    lots = [lot(i) for i in range(50)]
    await upsert_nodes(store, MaterialLot, lots)
    await upsert_nodes(store, Batch, [batch(1), batch(2)])
    rels = [
        {
            "source_id": "B-1",
            "target_id": f"LOT-{i}",
            "target_label": "MaterialLot",
            "qty": 1.5,
            "unit": "kg",
        }
        for i in range(10)
    ]
    await upsert_relationships(store, Consumed, rels)
    first = await graph_checksum(store)
    await upsert_nodes(store, MaterialLot, lots)
    await upsert_nodes(store, Batch, [batch(1), batch(2)])
    await upsert_relationships(store, Consumed, rels)
    assert await graph_checksum(store) == first
    rows = await store.read("MATCH (:Batch)-[r:CONSUMED]->() RETURN count(r) AS c")
    assert rows[0]["c"] == 10


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"quantity": -1.0}, "quantity"),
        ({"id": "   "}, "id"),
        ({"received_at": datetime(2026, 1, 1)}, "timezone"),
        ({"status": "lost"}, "status"),
        ({"unit": "furlong"}, "unit"),
        ({"extra": 1}, "extra"),
    ],
)
async def test_one_bad_row_writes_nothing(
    store: GraphStore, bad: dict[str, object], message: str
) -> None:
    before = await graph_checksum(store)
    rows = [lot(i) for i in range(20)]
    rows[13] = lot(13, **bad)
    with pytest.raises(InvalidRowError) as info:
        await upsert_nodes(store, MaterialLot, rows)
    assert info.value.index == 13
    assert message in str(info.value).lower() or message in info.value.detail.lower()
    assert await graph_checksum(store) == before


async def test_duplicate_ids_in_one_batch_are_rejected(store: GraphStore) -> None:
    with pytest.raises(InvalidRowError, match="same id as row 0"):
        await upsert_nodes(store, MaterialLot, [lot(1), lot(1)])


async def test_relationship_batch_with_missing_end_writes_nothing(store: GraphStore) -> None:
    await upsert_nodes(store, MaterialLot, [lot(1), lot(2)])
    await upsert_nodes(store, Batch, [batch(1), batch(2)])
    before = await graph_checksum(store)
    rows = [
        {
            "source_id": "B-1",
            "target_id": "LOT-1",
            "target_label": "MaterialLot",
            "qty": 1,
            "unit": "kg",
        },
        {"source_id": "B-2", "target_id": "B-1", "target_label": "Batch", "qty": 1, "unit": "kg"},
        {
            "source_id": "B-2",
            "target_id": "LOT-404",
            "target_label": "MaterialLot",
            "qty": 1,
            "unit": "kg",
        },
    ]
    with pytest.raises(NotFoundError) as info:
        await upsert_relationships(store, Consumed, rows)
    assert info.value.missing == ["MaterialLot:LOT-404"]
    assert await graph_checksum(store) == before
    # without the bad row, both label pairs are written in one statement
    assert await upsert_relationships(store, Consumed, rows[:2]) == 2


async def test_relationship_rows_are_validated(store: GraphStore) -> None:
    with pytest.raises(InvalidRowError, match="ambiguous"):
        await upsert_relationships(
            store, Consumed, [{"source_id": "B", "target_id": "L", "qty": 1, "unit": "kg"}]
        )
    with pytest.raises(InvalidRowError, match="not allowed"):
        await upsert_relationships(
            store,
            PartOf,
            [
                {
                    "source_id": "M",
                    "target_id": "S",
                    "source_label": "Machine",
                    "target_label": "Site",
                }
            ],
        )
    with pytest.raises(InvalidRowError, match="qty"):
        await upsert_relationships(
            store,
            Consumed,
            [
                {
                    "source_id": "B",
                    "target_id": "L",
                    "target_label": "MaterialLot",
                    "qty": -2,
                    "unit": "kg",
                }
            ],
        )


async def test_nodes_read_back_as_the_same_domain_objects(store: GraphStore) -> None:
    # FalkorDB keeps 15 significant digits of a double (0.1 + 0.2 comes back as 0.3).
    original = MaterialLot.model_validate(
        lot(7, supplier_lot='O\'Neil \\ "7" ✓', quantity=123.456789012345)
    )
    await upsert_nodes(store, MaterialLot, [original])
    rows = await store.read("MATCH (n:MaterialLot {id: $id}) RETURN n", {"id": "LOT-7"})
    assert MaterialLot.model_validate(rows[0]["n"]) == original
