"""Bulk loading: nodes of one label together with their relationships, in big UNWIND batches.

Each row carries a node's stored properties plus, per relationship kind, the ids of the
nodes it links to; one statement writes the nodes and all their relationships. The
other ends must already exist (load in dependency order): they are found with `MERGE`
inside `FOREACH`, the one per-row sub-clause that both engines run correctly here —
FalkorDB runs a correlated `CALL { WITH n ... }` for only the first row. A missing end
would therefore appear as a bare stub node; `verify_no_stubs` checks for that after a load.

Statements are pipelined (`concurrency` in flight) so building the next batch's
parameters overlaps the server's work on the previous one.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from domain.nodes import MODEL_BY_LABEL, NODE_MODELS
from domain.relationships import MODEL_BY_TYPE
from graph.dialect import check_identifier
from graph.errors import GraphError, InvalidRowError
from graph.store import GraphStore
from graph.upserts import validate_rows

Row = dict[str, Any]


@dataclass(frozen=True)
class EdgeKind:
    """A relationship kind carried by the rows of a chunk.

    `outgoing` means `(row node)-[:TYPE]->(other)`; otherwise `(other)-[:TYPE]->(row node)`.
    """

    rel_type: str
    other_label: str
    outgoing: bool = True


@dataclass
class NodeChunk:
    """Rows of one label: `{"id": ..., "props": {...}, "edges": [[{"id", "props"}...], ...]}`.

    `edges[i]` holds the links of kind `kinds[i]`; `props` are stored values (instants as
    epoch ms, enums as strings) and include `id`.
    """

    label: str
    kinds: tuple[EdgeKind, ...] = ()
    rows: list[Row] = field(default_factory=list)

    @property
    def relationship_count(self) -> int:
        return sum(len(edges) for row in self.rows for edges in row["edges"])


def chunk_cypher(label: str, kinds: tuple[EdgeKind, ...]) -> str:
    label = check_identifier(label)
    parts = [
        "UNWIND $rows AS row",
        f"MERGE (n:{label} {{id: row.id}}) SET n += row.props",
    ]
    for i, kind in enumerate(kinds):
        other = check_identifier(kind.other_label)
        rel = check_identifier(kind.rel_type)
        arrow = f"(n)-[r:{rel}]->(m)" if kind.outgoing else f"(m)-[r:{rel}]->(n)"
        parts.append(
            f"FOREACH (e IN row.edges[{i}] | MERGE (m:{other} {{id: e.id}}) "
            f"MERGE {arrow} SET r += e.props)"
        )
    parts.append("RETURN count(n) AS nodes")
    return " ".join(parts)


def validate_chunk(chunk: NodeChunk) -> None:
    """Check every row against the domain model (raises `InvalidRowError` on the first bad one)."""
    model = MODEL_BY_LABEL.get(chunk.label)
    if model is None:
        raise GraphError(f"unknown label {chunk.label!r}")
    validate_rows(model, (row["props"] for row in chunk.rows))
    for i, kind in enumerate(chunk.kinds):
        rel_model = MODEL_BY_TYPE[kind.rel_type]
        rels = []
        for row in chunk.rows:
            for edge in row["edges"][i]:
                ends = (row["id"], edge["id"]) if kind.outgoing else (edge["id"], row["id"])
                labels = (
                    (chunk.label, kind.other_label)
                    if kind.outgoing
                    else (kind.other_label, chunk.label)
                )
                rels.append(
                    {
                        "source_id": ends[0],
                        "target_id": ends[1],
                        "source_label": labels[0],
                        "target_label": labels[1],
                        **edge["props"],
                    }
                )
        validate_rows(rel_model, rels)


Progress = Callable[[int, int], None]
"""Called with (nodes, relationships) written by each finished statement."""


class BulkWriter:
    """Write `NodeChunk`s with up to `concurrency` statements in flight."""

    def __init__(
        self,
        store: GraphStore,
        *,
        batch_rows: int = 5000,
        concurrency: int = 2,
        validate: bool = True,
        progress: Progress | None = None,
    ) -> None:
        self.store = store
        self.batch_rows = batch_rows
        self.validate = validate
        self.progress = progress
        self.nodes = 0
        self.relationships = 0
        self._slots = asyncio.Semaphore(concurrency)
        self._pending: set[asyncio.Task[None]] = set()
        self._errors: list[BaseException] = []

    async def write(self, chunk: NodeChunk) -> None:
        if self.validate:
            try:
                validate_chunk(chunk)
            except InvalidRowError:
                await self.flush()
                raise
        cypher = chunk_cypher(chunk.label, chunk.kinds)
        for start in range(0, len(chunk.rows), self.batch_rows):
            rows = chunk.rows[start : start + self.batch_rows]
            rels = sum(len(edges) for row in rows for edges in row["edges"])
            await self._slots.acquire()
            self._raise_failed()
            task = asyncio.create_task(self._send(cypher, rows, rels))
            self._pending.add(task)
            task.add_done_callback(self._pending.discard)

    async def write_all(self, chunks: Iterable[NodeChunk]) -> None:
        for chunk in chunks:
            await self.write(chunk)
        await self.flush()

    async def flush(self) -> None:
        if self._pending:
            await asyncio.gather(*list(self._pending))
        self._raise_failed()

    async def _send(self, cypher: str, rows: list[Row], rels: int) -> None:
        try:
            params = {
                "rows": [{"id": r["id"], "props": r["props"], "edges": r["edges"]} for r in rows]
            }
            await self.store.write(cypher, params, timeout_ms=None)
            self.nodes += len(rows)
            self.relationships += rels
            if self.progress is not None:
                self.progress(len(rows), rels)
        except BaseException as exc:
            self._errors.append(exc)
        finally:
            self._slots.release()

    def _raise_failed(self) -> None:
        if self._errors:
            raise self._errors[0]


async def verify_no_stubs(store: GraphStore) -> dict[str, int]:
    """Count nodes that carry only an id (a relationship pointed at a node never loaded)."""
    stubs: dict[str, int] = {}
    for model in NODE_MODELS:
        required = next(
            (name for name, f in model.model_fields.items() if name != "id" and f.is_required()),
            None,
        )
        if required is None:
            continue
        rows = await store.read(
            f"MATCH (n:{model.LABEL}) WHERE n.{check_identifier(required)} IS NULL "
            "RETURN count(n) AS stubs"
        )
        count = int(rows[0]["stubs"]) if rows else 0
        if count:
            stubs[model.LABEL] = count
    return stubs
