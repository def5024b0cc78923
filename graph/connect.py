"""Open the configured graph: Neo4j when a URI is given, otherwise the embedded FalkorDB."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from graph.errors import GraphError
from graph.store import GraphStore


@dataclass(frozen=True)
class StoreConfig:
    """Everything needed to reach a graph; built once from settings by `app/`."""

    data_dir: Path = Path(".factorygraph")
    graph_name: str = "factorygraph"
    uri: str | None = None
    user: str | None = None
    password: str | None = None
    database: str | None = None

    @property
    def embedded(self) -> bool:
        return not self.uri


async def open_store(config: StoreConfig) -> GraphStore:
    """Connect (starting the embedded server when needed) and check the engine answers."""
    store: GraphStore
    if config.embedded:
        from graph.falkordb_store import FalkorDBStore
        from graph.server import EmbeddedServer

        server = EmbeddedServer(config.data_dir)
        address = server.start()  # in this thread: the child's death signal follows it
        store = FalkorDBStore(address, config.graph_name, server=server)
    else:
        uri = config.uri or ""
        if not uri.startswith(("neo4j://", "neo4j+s://", "bolt://", "bolt+s://")):
            raise GraphError(f"unsupported graph URI {uri!r}: expected neo4j://… or bolt://…")
        from graph.neo4j_store import Neo4jStore

        store = Neo4jStore(
            uri,
            user=config.user,
            password=config.password,
            database=config.database,
        )
    if not await store.ping():
        await store.close()
        raise GraphError(f"the graph at {config.uri or config.data_dir} does not answer")
    return store
