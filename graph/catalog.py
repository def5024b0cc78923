"""What is in the graph: counts per label and type, and good places to start a trace."""

from __future__ import annotations

from dataclasses import dataclass

from domain.nodes import LABELS
from domain.relationships import RELATIONSHIP_MODELS
from graph.dialect import check_identifier
from graph.store import GraphStore

_DEEPEST_FINISHED_BATCH = (
    "MATCH (:Shipment)-[:CONTAINS]->(b:Batch) "
    "RETURN b.id AS id ORDER BY b.started_at DESC, b.id LIMIT 1"
)
_MOST_USED_LOT = (
    "MATCH (l:MaterialLot)<-[:CONSUMED]-(:Batch) "
    "RETURN l.id AS id, count(*) AS uses ORDER BY uses DESC, id LIMIT 1"
)


@dataclass(frozen=True)
class TraceStarts:
    """A late finished batch (deep upstream) and a much-used lot (wide downstream)."""

    finished_batch: str | None
    busy_lot: str | None


async def count_nodes(store: GraphStore) -> dict[str, int]:
    counts = {}
    for label in LABELS:
        rows = await store.read(f"MATCH (n:{check_identifier(label)}) RETURN count(n) AS c")
        counts[label] = int(rows[0]["c"]) if rows else 0
    return counts


async def count_relationships(store: GraphStore) -> dict[str, int]:
    counts = {}
    for model in RELATIONSHIP_MODELS:
        rel = check_identifier(model.TYPE)
        rows = await store.read(f"MATCH ()-[r:{rel}]->() RETURN count(r) AS c")
        counts[model.TYPE] = int(rows[0]["c"]) if rows else 0
    return counts


async def is_empty(store: GraphStore) -> bool:
    rows = await store.read("MATCH (n) RETURN n.id AS id LIMIT 1")
    return not rows


async def trace_starts(store: GraphStore) -> TraceStarts:
    batch = await store.read(_DEEPEST_FINISHED_BATCH)
    lot = await store.read(_MOST_USED_LOT)
    return TraceStarts(
        finished_batch=batch[0]["id"] if batch else None,
        busy_lot=lot[0]["id"] if lot else None,
    )
