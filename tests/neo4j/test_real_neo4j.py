"""The Neo4j adapter, dialect, migrations and upserts against a real Neo4j 5 server.

Runs only when `FACTORYGRAPH_TEST_NEO4J_URI` is set (`neo4j://host:7687` or `bolt://…`),
with `FACTORYGRAPH_TEST_NEO4J_USER`, `FACTORYGRAPH_TEST_NEO4J_PASSWORD` and optionally
`FACTORYGRAPH_TEST_NEO4J_DATABASE`. Neo4j cannot be installed on the project's machines,
so this suite is skipped there; nothing may claim it ran unless it did.

WARNING: every test empties the database it is given (`drop_all`: all nodes,
relationships, constraints and indexes except the built-in LOOKUP ones). Point it at a
throwaway database, never at one holding data.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from domain.nodes import NODE_MODELS, Batch, Customer, MaterialLot, SalesOrder
from domain.relationships import Consumed, PlacedBy
from domain.states import SalesOrderStatus
from graph.connect import StoreConfig, open_store
from graph.dialect import NEO4J, NativeCommand
from graph.errors import (
    ConstraintViolationError,
    GraphError,
    NotFoundError,
    QueryError,
)
from graph.migrations import migrate, wanted_indexes
from graph.neo4j_store import Neo4jStore
from graph.store import GraphStore
from graph.upserts import upsert_nodes, upsert_relationships
from tests.conftest import graph_checksum

URI = os.environ.get("FACTORYGRAPH_TEST_NEO4J_URI", "")
USER = os.environ.get("FACTORYGRAPH_TEST_NEO4J_USER") or None
PASSWORD = os.environ.get("FACTORYGRAPH_TEST_NEO4J_PASSWORD") or None
DATABASE = os.environ.get("FACTORYGRAPH_TEST_NEO4J_DATABASE") or None

pytestmark = [
    pytest.mark.neo4j,
    pytest.mark.skipif(
        not URI, reason="set FACTORYGRAPH_TEST_NEO4J_URI to run against a real Neo4j 5"
    ),
]

NOW = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)

AWKWARD_STRINGS = [
    "O'Brien",
    'say "hi"',
    "back\\slash \\' \\\" \\n",
    "x' RETURN 'INJECTED' AS v //",
    '"}) MATCH (n) DETACH DELETE n //',
    "ünïcødé ✓ 漢字 🏭",
    "tab\tnew\nline\r",
    "",
    "$rows {id}",
]
PRECISE_FLOATS = [0.1 + 0.2, 1e-07, 1.2345678901234567, 123456.78901234567, -2.5e-300, 1e300]


def config(password: str | None = PASSWORD) -> StoreConfig:
    return StoreConfig(uri=URI, user=USER, password=password, database=DATABASE)


@pytest.fixture(scope="module")
async def neo4j_store() -> AsyncIterator[GraphStore]:
    store = await open_store(config())
    yield store
    await store.drop_all()
    await store.close()


@pytest.fixture
async def empty(neo4j_store: GraphStore) -> GraphStore:
    """The database with no data and no schema of ours."""
    await neo4j_store.drop_all()
    return neo4j_store


@pytest.fixture
async def store(empty: GraphStore) -> GraphStore:
    """The database emptied and migrated."""
    await migrate(empty)
    return empty


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


def batch(i: int) -> dict[str, object]:
    return {
        "id": f"B-{i}",
        "status": "completed",
        "quantity": 50.0,
        "unit": "kg",
        "started_at": NOW,
    }


def consumed(source: str, target: str, label: str, qty: float = 1.5) -> dict[str, object]:
    return {
        "source_id": source,
        "target_id": target,
        "target_label": label,
        "qty": qty,
        "unit": "kg",
    }


# --- connection --------------------------------------------------------------------------
async def test_open_store_gives_the_neo4j_adapter(neo4j_store: GraphStore) -> None:
    assert isinstance(neo4j_store, Neo4jStore)
    assert neo4j_store.dialect == NEO4J
    assert await neo4j_store.ping()
    rows = await neo4j_store.read("RETURN 1 AS x")
    assert rows == [{"x": 1}]


@pytest.mark.skipif(not USER or not PASSWORD, reason="the server needs no credentials")
async def test_a_wrong_password_is_refused_without_showing_it() -> None:
    wrong = f"{PASSWORD}-wrong"
    with pytest.raises(GraphError) as caught:
        await open_store(config(password=wrong))
    assert wrong not in str(caught.value)


async def test_native_commands_are_refused(neo4j_store: GraphStore) -> None:
    with pytest.raises(GraphError, match="no native commands"):
        await neo4j_store.native(NativeCommand(("GRAPH.CONSTRAINT", "CREATE")))


# --- schema --------------------------------------------------------------------------------
async def test_drop_all_leaves_no_data_and_none_of_our_schema(empty: GraphStore) -> None:
    await migrate(empty)
    await upsert_nodes(empty, Customer, [Customer(id="C1", name="Acme", country="US")])
    await empty.drop_all()
    assert await empty.read("MATCH (n) RETURN count(n) AS c") == [{"c": 0}]
    assert await empty.read("SHOW CONSTRAINTS YIELD name RETURN name") == []
    left = await empty.read("SHOW INDEXES YIELD name, type WHERE type <> 'LOOKUP' RETURN name")
    assert left == []


async def test_drop_all_deletes_more_than_one_batch(empty: GraphStore) -> None:
    await empty.write("UNWIND range(1, 25000) AS i CREATE (:Scratch {i: i})")
    await empty.drop_all()
    assert await empty.read("MATCH (n) RETURN count(n) AS c") == [{"c": 0}]


async def test_migrations_create_everything_once(empty: GraphStore) -> None:
    first = await migrate(empty)
    assert first.changed
    assert sorted(first.created_constraints) == sorted((m.LABEL, "id") for m in NODE_MODELS)
    assert sorted(first.created_indexes) == sorted(wanted_indexes())

    second = await migrate(empty)
    assert not second.changed, second

    constraints = await empty.read(empty.dialect.list_unique_constraints)
    unique = {(row["label"], prop) for row in constraints for prop in row["properties"]}
    assert {(m.LABEL, "id") for m in NODE_MODELS} <= unique
    assert all(row["status"] == "OPERATIONAL" for row in constraints)
    indexes = await empty.read(empty.dialect.list_indexes)
    indexed = {(row["label"], prop) for row in indexes for prop in row["properties"] or []}
    assert set(wanted_indexes()) <= indexed


# --- upserts -------------------------------------------------------------------------------
async def test_upserts_write_nodes_and_relationships_idempotently(store: GraphStore) -> None:
    assert await upsert_nodes(store, MaterialLot, [lot(i) for i in range(20)]) == 20
    assert await upsert_nodes(store, Batch, [batch(1), batch(2)]) == 2
    rels = [consumed("B-1", f"LOT-{i}", "MaterialLot") for i in range(10)]
    rels.append(consumed("B-2", "B-1", "Batch", qty=3))
    assert await upsert_relationships(store, Consumed, rels) == 11
    first = await graph_checksum(store)

    assert await upsert_nodes(store, MaterialLot, [lot(i) for i in range(20)]) == 20
    assert await upsert_relationships(store, Consumed, rels) == 11
    assert await graph_checksum(store) == first

    rows = await store.read(
        "MATCH (b:Batch {id: $id})-[r:CONSUMED]->(x) RETURN x.id AS id, r.qty AS qty ORDER BY id",
        {"id": "B-2"},
    )
    assert rows == [{"id": "B-1", "qty": 3.0}]


async def test_nodes_read_back_as_the_same_domain_objects(store: GraphStore) -> None:
    order = SalesOrder(
        id="SO-1",
        status=SalesOrderStatus.OPEN,
        ordered_at=NOW,
        due_at=NOW + timedelta(days=7),
        priority=2,
    )
    customer = Customer(id="C-1", name='O\'Neil \\ "Ltd" ✓', country="IE")
    await upsert_nodes(store, SalesOrder, [order])
    await upsert_nodes(store, Customer, [customer])
    await upsert_relationships(store, PlacedBy, [{"source_id": "SO-1", "target_id": "C-1"}])
    rows = await store.read(
        "MATCH p = (o:SalesOrder {id: $id})-[:PLACED_BY]->(c:Customer) RETURN o, c, p",
        {"id": "SO-1"},
    )
    assert SalesOrder.model_validate(rows[0]["o"]) == order
    assert Customer.model_validate(rows[0]["c"]) == customer
    assert rows[0]["p"] == {"nodes": [rows[0]["o"], rows[0]["c"]], "relationships": [{}]}


async def test_a_missing_endpoint_writes_nothing(store: GraphStore) -> None:
    await upsert_nodes(store, MaterialLot, [lot(1)])
    await upsert_nodes(store, Batch, [batch(1)])
    before = await graph_checksum(store)
    rows = [consumed("B-1", "LOT-1", "MaterialLot"), consumed("B-1", "LOT-404", "MaterialLot")]
    with pytest.raises(NotFoundError) as caught:
        await upsert_relationships(store, Consumed, rows)
    assert caught.value.missing == ["MaterialLot:LOT-404"]
    assert await graph_checksum(store) == before


# --- errors --------------------------------------------------------------------------------
async def test_a_duplicate_id_is_a_constraint_violation_and_writes_nothing(
    store: GraphStore,
) -> None:
    await upsert_nodes(store, Customer, [Customer(id="C1", name="Acme", country="US")])
    with pytest.raises(ConstraintViolationError):
        await store.write("CREATE (:Customer {id: 'C1', name: 'dup'})")
    with pytest.raises(ConstraintViolationError):
        await store.write(
            "UNWIND $ids AS id CREATE (:Customer {id: id, name: 'batch'})", {"ids": ["C2", "C1"]}
        )
    rows = await store.read("MATCH (c:Customer) RETURN c.id AS id, c.name AS name")
    assert rows == [{"id": "C1", "name": "Acme"}]


async def test_a_syntax_error_is_a_query_error(neo4j_store: GraphStore) -> None:
    before = neo4j_store.round_trips
    with pytest.raises(QueryError, match="SyntaxError") as caught:
        await neo4j_store.read("RETURN RETURN")
    assert not isinstance(caught.value, ConstraintViolationError)
    assert neo4j_store.round_trips == before + 1
    assert await neo4j_store.read("RETURN 2 AS x") == [{"x": 2}]


async def test_a_statement_over_its_timeout_is_stopped(neo4j_store: GraphStore) -> None:
    with pytest.raises(QueryError):
        await neo4j_store.read(
            "UNWIND range(1, 1000000000) AS x WITH x WHERE x < 0 RETURN count(x) AS c",
            timeout_ms=100,
        )


# --- parameters ----------------------------------------------------------------------------
@pytest.mark.parametrize("text", AWKWARD_STRINGS)
async def test_strings_round_trip_exactly(empty: GraphStore, text: str) -> None:
    assert await empty.read("RETURN $s AS s", {"s": text}) == [{"s": text}]
    await empty.write("CREATE (:Scratch {id: 'S', s: $s})", {"s": text})
    assert await empty.read("MATCH (n:Scratch {id: 'S'}) RETURN n.s AS s") == [{"s": text}]
    assert await empty.read("MATCH (n:Scratch) RETURN count(n) AS c") == [{"c": 1}]


async def test_floats_and_ints_keep_full_precision(empty: GraphStore) -> None:
    ints = [2**53 + 1, -(2**63), 2**63 - 1]
    rows = await empty.read("RETURN $f AS f, $i AS i", {"f": PRECISE_FLOATS, "i": ints})
    assert rows == [{"f": PRECISE_FLOATS, "i": ints}]
    await empty.write("CREATE (:Scratch {f: $f, i: $i})", {"f": PRECISE_FLOATS, "i": ints})
    rows = await empty.read("MATCH (n:Scratch) RETURN n")
    assert rows == [{"n": {"f": PRECISE_FLOATS, "i": ints}}]


async def test_maps_with_awkward_keys_and_nesting_round_trip(empty: GraphStore) -> None:
    value = {"with space": 1, "quote'key": ["a", {"deep": [1.5, None, True]}], "ü": {}}
    assert await empty.read("RETURN $m AS m", {"m": value}) == [{"m": value}]
