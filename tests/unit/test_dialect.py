"""The text the dialect generates for each engine: schema DDL, listing queries, identifier checks.

The DDL strings are the contract with the engines (FalkorDB refuses Neo4j's named
`IF NOT EXISTS` forms; Neo4j needs them for idempotent migrations), so they are compared
whole. Nothing here needs a server.
"""

from __future__ import annotations

import re

import pytest

from graph.dialect import FALKORDB, NEO4J, Dialect, NativeCommand, check_identifier

INJECTIONS = [
    "Foo) DETACH DELETE n //",
    "Foo}) MATCH (m) DETACH DELETE m //",
    "Foo:Bar",
    "`Foo`",
    "Foo Bar",
    "Foo-Bar",
    "Foo;",
    "1Foo",
    "",
    "Fóo",
    "Foo\r",
]


def returned_columns(query: str) -> list[str]:
    """The names of the columns the last RETURN clause of `query` yields."""
    clause = query.rsplit("RETURN", 1)[1]
    return [part.rsplit(" AS ", 1)[-1].strip() for part in clause.split(",")]


def test_engines() -> None:
    assert FALKORDB.engine == "falkordb"
    assert NEO4J.engine == "neo4j"
    assert Dialect("neo4j") == NEO4J


# --- create_index ----------------------------------------------------------------------
def test_falkordb_index_is_the_plain_unnamed_form() -> None:
    assert FALKORDB.create_index("MaterialLot", "supplier_lot") == (
        "CREATE INDEX FOR (n:MaterialLot) ON (n.supplier_lot)"
    )


def test_neo4j_index_is_named_and_idempotent() -> None:
    assert NEO4J.create_index("MaterialLot", "supplier_lot") == (
        "CREATE INDEX idx_materiallot_supplier_lot IF NOT EXISTS "
        "FOR (n:MaterialLot) ON (n.supplier_lot)"
    )


# --- create_unique ---------------------------------------------------------------------
def test_falkordb_unique_is_index_then_native_constraint() -> None:
    statements = FALKORDB.create_unique("plant", "Customer", "id")
    assert statements == [
        "CREATE INDEX FOR (n:Customer) ON (n.id)",
        NativeCommand(
            (
                "GRAPH.CONSTRAINT",
                "CREATE",
                "plant",
                "UNIQUE",
                "NODE",
                "Customer",
                "PROPERTIES",
                "1",
                "id",
            )
        ),
    ]
    native = statements[1]
    assert isinstance(native, NativeCommand)
    assert all(isinstance(arg, str) for arg in native.args)


def test_falkordb_native_constraint_names_the_graph_it_is_given() -> None:
    native = FALKORDB.create_unique("other_graph", "Batch", "id")[1]
    assert isinstance(native, NativeCommand)
    assert native.args[2] == "other_graph"


def test_neo4j_unique_is_one_named_idempotent_constraint() -> None:
    statements = NEO4J.create_unique("ignored", "Customer", "id")
    assert statements == [
        "CREATE CONSTRAINT uniq_customer_id IF NOT EXISTS FOR (n:Customer) REQUIRE n.id IS UNIQUE"
    ]
    # Neo4j never gets a native command: its adapter has none to run.
    assert not any(isinstance(statement, NativeCommand) for statement in statements)


# --- listing queries -------------------------------------------------------------------
def test_falkordb_listing_uses_procedures() -> None:
    assert FALKORDB.list_indexes.startswith("CALL db.indexes()")
    assert FALKORDB.list_unique_constraints.startswith("CALL db.constraints()")
    assert "type = 'UNIQUE'" in FALKORDB.list_unique_constraints
    assert "entitytype = 'NODE'" in FALKORDB.list_unique_constraints


def test_neo4j_listing_uses_show_commands() -> None:
    assert NEO4J.list_indexes.startswith("SHOW INDEXES")
    assert "entityType = 'NODE'" in NEO4J.list_indexes
    assert NEO4J.list_unique_constraints.startswith("SHOW CONSTRAINTS")
    assert "entityType = 'NODE'" in NEO4J.list_unique_constraints


@pytest.mark.parametrize("dialect", [FALKORDB, NEO4J], ids=["falkordb", "neo4j"])
def test_listings_return_the_same_columns_on_both_engines(dialect: Dialect) -> None:
    assert returned_columns(dialect.list_indexes) == ["label", "properties"]
    assert returned_columns(dialect.list_unique_constraints) == ["label", "properties", "status"]


@pytest.mark.parametrize("dialect", [FALKORDB, NEO4J], ids=["falkordb", "neo4j"])
def test_listings_take_no_parameters(dialect: Dialect) -> None:
    for query in (dialect.list_indexes, dialect.list_unique_constraints):
        assert not re.search(r"\$\w", query)


# --- identifiers -----------------------------------------------------------------------
@pytest.mark.parametrize("name", ["Customer", "supplier_lot", "_private", "A1_b2"])
def test_plain_identifiers_pass(name: str) -> None:
    assert check_identifier(name) == name


@pytest.mark.parametrize("name", INJECTIONS)
@pytest.mark.parametrize("dialect", [FALKORDB, NEO4J], ids=["falkordb", "neo4j"])
def test_labels_that_are_not_identifiers_are_refused(dialect: Dialect, name: str) -> None:
    with pytest.raises(ValueError, match="not a plain identifier"):
        dialect.create_index(name, "id")
    with pytest.raises(ValueError, match="not a plain identifier"):
        dialect.create_unique("plant", name, "id")


@pytest.mark.parametrize("name", INJECTIONS)
@pytest.mark.parametrize("dialect", [FALKORDB, NEO4J], ids=["falkordb", "neo4j"])
def test_properties_that_are_not_identifiers_are_refused(dialect: Dialect, name: str) -> None:
    with pytest.raises(ValueError, match="not a plain identifier"):
        dialect.create_index("Customer", name)
    with pytest.raises(ValueError, match="not a plain identifier"):
        dialect.create_unique("plant", "Customer", name)


def test_a_trailing_newline_is_refused() -> None:
    with pytest.raises(ValueError, match="not a plain identifier"):
        check_identifier("Foo\n")
