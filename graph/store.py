"""The one interface the rest of the code uses to talk to a graph engine.

Callers hand over Cypher text from `graph/` queries plus parameters and get plain Python
values back: records are dicts, nodes and relationships become dicts of their properties,
so domain objects are built the same way whichever engine answered.

Atomicity is one statement: FalkorDB has no multi-statement transactions, so every
all-or-nothing unit of work is a single `write` call.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from graph.dialect import Dialect, NativeCommand

if TYPE_CHECKING:
    from graph.bulk import NodeChunk

Record = dict[str, Any]
Params = Mapping[str, Any]


class GraphStore(ABC):
    """A connected graph: read, write, run schema commands, close."""

    dialect: Dialect
    graph_name: str

    def __init__(self) -> None:
        self.round_trips = 0  # counted so tests can prove a request is not N+1

    async def read(
        self, cypher: str, params: Params | None = None, *, timeout_ms: int | None = None
    ) -> list[Record]:
        """Run a read-only statement."""
        return await self._run(cypher, params, timeout_ms, read_only=True)

    async def write(
        self, cypher: str, params: Params | None = None, *, timeout_ms: int | None = None
    ) -> list[Record]:
        """Run one statement that may write; it is atomic on both engines."""
        return await self._run(cypher, params, timeout_ms, read_only=False)

    @abstractmethod
    async def _run(
        self, cypher: str, params: Params | None, timeout_ms: int | None, *, read_only: bool
    ) -> list[Record]:
        """Run one statement in the engine's read-only or read-write mode."""

    @abstractmethod
    async def native(self, command: NativeCommand) -> Any:
        """Run an engine-specific, non-Cypher command produced by the dialect."""

    @abstractmethod
    async def ping(self) -> bool:
        """True when the engine answers."""

    async def checkpoint(self) -> None:  # noqa: B027 - optional hook, no-op by default
        """Make the data just written cheap to recover (FalkorDB: rewrite the AOF)."""

    async def bulk_create(
        self, chunks: Iterable[NodeChunk], progress: Callable[[int, int], None] | None = None
    ) -> tuple[int, int] | None:
        """Build an empty graph from chunks with the engine's own bulk endpoint.

        Returns (nodes, relationships) created, or None when the engine has no such
        endpoint (callers then write through `graph.bulk.BulkWriter`).
        """
        return None

    @abstractmethod
    async def drop_all(self) -> None:
        """Delete every node, relationship and index of this graph (tests and re-seeding)."""

    @abstractmethod
    async def close(self) -> None:
        """Release connections (and stop an embedded server this store owns)."""

    async def __aenter__(self) -> GraphStore:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()
