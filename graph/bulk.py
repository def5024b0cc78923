"""Bulk loading: nodes of one label together with their relationships, in big UNWIND batches.

Each row carries a node's stored properties plus, per relationship kind, the ids of the
nodes it links to; one statement writes the nodes and all their relationships. The
other ends must already exist (load in dependency order): they are found with `MERGE`
inside `FOREACH`, the one per-row sub-clause that both engines run correctly here —
FalkorDB runs a correlated `CALL { WITH n ... }` for only the first row. A missing end
would therefore appear as a bare stub node; `verify_no_stubs` checks for that after a load.

Statements are pipelined (`concurrency` in flight) so building the next batch's
parameters overlaps the server's work on the previous one. Two statements in flight may
run in either order; because both ends are MERGEd, a node first met as the far end of a
relationship is filled in when its own row arrives, so the result does not depend on it.
Rows travel as positional lists, which the FalkorDB adapter encodes as JSON in C.
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


def _columns(maps: list[dict[str, Any]]) -> list[str]:
    """Property names used by any of these maps, in first-seen order."""
    seen: dict[str, None] = {}
    for props in maps:
        seen.update(dict.fromkeys(props))
    seen.pop("id", None)
    return [check_identifier(name) for name in seen]


def _set(var: str, source: str, columns: list[str], first: int) -> str:
    pairs = ", ".join(f"{var}.{name} = {source}[{i}]" for i, name in enumerate(columns, first))
    return f" SET {pairs}" if pairs else ""


def chunk_statement(
    label: str, kinds: tuple[EdgeKind, ...], rows: list[Row]
) -> tuple[str, dict[str, Any]]:
    """One statement and its parameters for these rows of one label.

    Rows travel as positional lists (`[id, prop..., [[other id, prop...]...]...]`), not
    maps: the embedded engine's parameter text is then plain JSON, encoded in C. A
    property a row lacks is sent as null, which leaves it unset.
    """
    node_columns = _columns([row["props"] for row in rows])
    edge_columns = [
        _columns([edge["props"] for row in rows for edge in row["edges"][i]])
        for i in range(len(kinds))
    ]
    parts = [
        "UNWIND $rows AS row",
        f"MERGE (n:{check_identifier(label)} {{id: row[0]}})" + _set("n", "row", node_columns, 1),
    ]
    for i, kind in enumerate(kinds):
        other = check_identifier(kind.other_label)
        rel = check_identifier(kind.rel_type)
        arrow = f"(n)-[r:{rel}]->(m)" if kind.outgoing else f"(m)-[r:{rel}]->(n)"
        parts.append(
            f"FOREACH (e IN row[{1 + len(node_columns) + i}] | "
            f"MERGE (m:{other} {{id: e[0]}}) MERGE {arrow}{_set('r', 'e', edge_columns[i], 1)})"
        )
    parts.append("RETURN count(n) AS nodes")
    params = []
    for row in rows:
        props = row["props"]
        values = [row["id"], *map(props.get, node_columns)]
        for edges, columns in zip(row["edges"], edge_columns, strict=True):
            if columns:
                values.append([[e["id"], *map(e["props"].get, columns)] for e in edges])
            else:
                values.append([[e["id"]] for e in edges])
        params.append(values)
    return " ".join(parts), {"rows": params}


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
        for start in range(0, len(chunk.rows), self.batch_rows):
            rows = chunk.rows[start : start + self.batch_rows]
            rels = sum(len(edges) for row in rows for edges in row["edges"])
            await self._slots.acquire()
            self._raise_failed()
            cypher, params = chunk_statement(chunk.label, chunk.kinds, rows)
            task = asyncio.create_task(self._send(cypher, params, len(rows), rels))
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

    async def _send(self, cypher: str, params: dict[str, Any], nodes: int, rels: int) -> None:
        try:
            await self.store.write(cypher, params)
            self.nodes += nodes
            self.relationships += rels
            if self.progress is not None:
                self.progress(nodes, rels)
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
