"""Whole-graph reads for scoring: every node of a label with chosen properties, every edge.

The online scorer turns the live graph into the model's typed snapshot. It reads a
label's nodes once (id and the properties its features need) and each relationship type
between two labels once, so a snapshot is a handful of statements whatever the size.
Labels, relationship types and property names come from the model's fixed vocabulary
and are checked as identifiers before they are spliced; nothing else is.
"""

from __future__ import annotations

from typing import Any

from graph.dialect import check_identifier
from graph.store import GraphStore


async def read_nodes(store: GraphStore, label: str, properties: list[str]) -> list[dict[str, Any]]:
    """`id` and `properties` of every node of `label`, ordered by id."""
    label = check_identifier(label)
    columns = ", ".join(f"n.{check_identifier(p)} AS {p}" for p in properties)
    query = f"MATCH (n:{label}) RETURN n.id AS id{', ' + columns if columns else ''} ORDER BY id"
    return await store.read(query)


async def read_edges(
    store: GraphStore, source: str, rel: str, target: str
) -> list[tuple[str, str]]:
    """(source id, target id) of every `(source)-[rel]->(target)` relationship."""
    query = (
        f"MATCH (a:{check_identifier(source)})-[:{check_identifier(rel)}]->"
        f"(b:{check_identifier(target)}) RETURN a.id AS a, b.id AS b"
    )
    return [(r["a"], r["b"]) for r in await store.read(query)]
