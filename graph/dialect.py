"""What differs between FalkorDB and Neo4j 5, and nothing else.

Every other statement is written once in the Cypher subset both engines run. The
differences are schema DDL (FalkorDB has no `IF NOT EXISTS`, names or `CREATE
CONSTRAINT`; a unique constraint is a native `GRAPH.CONSTRAINT` command on top of an
exact-match index) and how existing indexes and constraints are listed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

Engine = Literal["falkordb", "neo4j"]


def check_identifier(name: str) -> str:
    """Labels and property names are spliced into DDL, so only plain identifiers pass."""
    if not _IDENTIFIER.fullmatch(name):
        raise ValueError(f"not a plain identifier: {name!r}")
    return name


@dataclass(frozen=True)
class NativeCommand:
    """A non-Cypher engine command (FalkorDB's `GRAPH.CONSTRAINT ...`)."""

    args: tuple[str, ...]


@dataclass(frozen=True)
class Dialect:
    engine: Engine

    def create_index(self, label: str, prop: str) -> str:
        label, prop = check_identifier(label), check_identifier(prop)
        if self.engine == "falkordb":
            return f"CREATE INDEX FOR (n:{label}) ON (n.{prop})"
        name = f"idx_{label.lower()}_{prop.lower()}"
        return f"CREATE INDEX {name} IF NOT EXISTS FOR (n:{label}) ON (n.{prop})"

    def create_unique(self, graph_name: str, label: str, prop: str) -> list[str | NativeCommand]:
        """Statements that make `label.prop` unique, in order.

        FalkorDB needs the exact-match index first, then the native constraint command.
        Neo4j's constraint brings its own index, and a separate index on the same property
        would block it, so it is the only statement there.
        """
        label, prop = check_identifier(label), check_identifier(prop)
        if self.engine == "falkordb":
            return [
                self.create_index(label, prop),
                NativeCommand(
                    (
                        *("GRAPH.CONSTRAINT", "CREATE", graph_name),
                        *("UNIQUE", "NODE", label, "PROPERTIES", "1", prop),
                    )
                ),
            ]
        name = f"uniq_{label.lower()}_{prop.lower()}"
        return [
            f"CREATE CONSTRAINT {name} IF NOT EXISTS FOR (n:{label}) REQUIRE n.{prop} IS UNIQUE"
        ]

    @property
    def list_indexes(self) -> str:
        """Returns rows `label, properties` for every node index."""
        if self.engine == "falkordb":
            return "CALL db.indexes() YIELD label, properties RETURN label, properties"
        return (
            "SHOW INDEXES YIELD labelsOrTypes, properties, entityType, type "
            "WHERE entityType = 'NODE' AND type <> 'LOOKUP' "
            "RETURN labelsOrTypes[0] AS label, properties"
        )

    @property
    def list_unique_constraints(self) -> str:
        """Returns rows `label, properties, status` for every unique node constraint."""
        if self.engine == "falkordb":
            return (
                "CALL db.constraints() YIELD type, label, properties, entitytype, status "
                "WHERE type = 'UNIQUE' AND entitytype = 'NODE' "
                "RETURN label, properties, status"
            )
        return (
            "SHOW CONSTRAINTS YIELD type, labelsOrTypes, properties, entityType "
            "WHERE type IN ['UNIQUENESS', 'NODE_PROPERTY_UNIQUENESS'] AND entityType = 'NODE' "
            "RETURN labelsOrTypes[0] AS label, properties, 'OPERATIONAL' AS status"
        )


FALKORDB = Dialect("falkordb")
NEO4J = Dialect("neo4j")
