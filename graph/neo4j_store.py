"""Neo4j adapter: the official async driver, one managed transaction per statement.

`read` and `write` run through `execute_read`/`execute_write`, so the driver retries
transient failures and routes reads to followers in a cluster. Each call is one statement
(the store's atomicity rule), and results come back as the same plain values the FalkorDB
adapter returns: nodes and relationships become dicts of their properties.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit, urlunsplit

from neo4j import AsyncGraphDatabase, AsyncManagedTransaction, unit_of_work
from neo4j.exceptions import (
    AuthError,
    ConnectionPoolError,
    ConstraintError,
    DriverError,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
    TransientError,
)
from neo4j.graph import Node, Path, Relationship

from graph.dialect import NEO4J, NativeCommand
from graph.errors import (
    ConstraintViolationError,
    GraphError,
    GraphUnavailableError,
    QueryError,
)
from graph.store import GraphStore, Params, Record

_DROP_BATCH = 10_000
_SCHEMES = ("neo4j", "neo4j+s", "neo4j+ssc", "bolt", "bolt+s", "bolt+ssc")


def to_plain(value: Any) -> Any:
    """Neo4j result values -> plain Python, shaped as `graph.falkordb_decode` decodes FalkorDB."""
    if isinstance(value, Node | Relationship):
        return {key: to_plain(val) for key, val in value.items()}
    if isinstance(value, Path):
        return {
            "nodes": [to_plain(node) for node in value.nodes],
            "relationships": [to_plain(rel) for rel in value.relationships],
        }
    if isinstance(value, dict):
        return {key: to_plain(val) for key, val in value.items()}
    if isinstance(value, list):
        return [to_plain(item) for item in value]
    return value


def redact_uri(uri: str) -> str:
    """The URI without any `user:password@` part, fit for messages and logs."""
    try:
        parts = urlsplit(uri)
    except ValueError:
        return "<unparsable URI>"
    if "@" not in parts.netloc:
        return uri
    return urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))


def _quote_name(name: str) -> str:
    """A schema object name as a backtick-quoted Cypher identifier."""
    return "`" + name.replace("`", "``") + "`"


async def _collect(
    tx: AsyncManagedTransaction, cypher: str, params: dict[str, Any]
) -> list[Record]:
    result = await tx.run(cypher, params)
    return [
        {key: to_plain(val) for key, val in zip(record.keys(), record.values(), strict=True)}
        async for record in result
    ]


class Neo4jStore(GraphStore):
    """A Neo4j 5 database (single server, cluster or Aura) behind a `neo4j://` or `bolt://` URI.

    `user` and `password` are optional for a server with authentication off. The timeouts
    bound how long a dead or hung server can hold a caller: `connection_timeout_s` per
    connection attempt, `acquisition_timeout_s` for getting a pooled connection (handshake
    included), `max_retry_time_s` for the driver's retries of a managed transaction.
    """

    def __init__(
        self,
        uri: str,
        *,
        user: str | None = None,
        password: str | None = None,
        database: str | None = None,
        connection_timeout_s: float = 30.0,
        acquisition_timeout_s: float = 60.0,
        max_retry_time_s: float = 30.0,
    ) -> None:
        super().__init__()
        self.dialect = NEO4J
        self.database = database
        self.graph_name = database or "neo4j"
        self.uri = redact_uri(uri)
        if not uri.startswith(tuple(f"{scheme}://" for scheme in _SCHEMES)):
            raise GraphError(f"unsupported Neo4j URI {self.uri}: expected neo4j://… or bolt://…")
        auth = (user, password or "") if user else None
        try:
            self._driver = AsyncGraphDatabase.driver(
                uri,
                auth=auth,
                connection_timeout=connection_timeout_s,
                connection_acquisition_timeout=acquisition_timeout_s,
                max_transaction_retry_time=max_retry_time_s,
            )
        except (DriverError, ValueError) as exc:
            # The driver's message quotes the URI as given, which may carry a password.
            reason = str(exc).replace(uri, self.uri)
            raise GraphError(f"cannot use the graph URI {self.uri}: {reason}") from None

    async def _run(
        self, cypher: str, params: Params | None, timeout_ms: int | None, *, read_only: bool
    ) -> list[Record]:
        self.round_trips += 1
        work = unit_of_work(timeout=None if timeout_ms is None else timeout_ms / 1000)(_collect)
        try:
            async with self._driver.session(database=self.database) as session:
                execute = session.execute_read if read_only else session.execute_write
                return await execute(work, cypher, dict(params or {}))
        except (Neo4jError, DriverError, OSError) as exc:
            raise map_error(exc, self.uri) from exc

    async def native(self, command: NativeCommand) -> Any:
        raise GraphError(
            f"no native commands on Neo4j (got {command.args[:2]}); "
            "the Neo4j dialect expresses everything in Cypher"
        )

    async def ping(self) -> bool:
        try:
            await self._driver.verify_connectivity()
        except (Neo4jError, DriverError, OSError):
            return False
        return True

    async def drop_all(self) -> None:
        """Delete all data in batches (bounded transactions), then every constraint and index.

        The built-in LOOKUP indexes are kept: Neo4j creates them with every database and
        label scans rely on them.
        """
        while True:
            rows = await self.write(
                "MATCH (n) WITH n LIMIT $batch DETACH DELETE n RETURN count(*) AS deleted",
                {"batch": _DROP_BATCH},
            )
            if not rows or not rows[0]["deleted"]:
                break
        for row in await self.read("SHOW CONSTRAINTS YIELD name RETURN name"):
            await self.write(f"DROP CONSTRAINT {_quote_name(row['name'])} IF EXISTS")
        indexes = await self.read(
            "SHOW INDEXES YIELD name, type, owningConstraint "
            "WHERE type <> 'LOOKUP' AND owningConstraint IS NULL RETURN name"
        )
        for row in indexes:
            await self.write(f"DROP INDEX {_quote_name(row['name'])} IF EXISTS")

    async def close(self) -> None:
        await self._driver.close()


def map_error(exc: Exception, uri: str) -> GraphError:
    """Driver and server errors -> the graph layer's errors, naming `uri` (already redacted)."""
    if isinstance(exc, ConstraintError):
        return ConstraintViolationError(_describe(exc))
    if isinstance(exc, AuthError):
        return GraphUnavailableError(
            f"the Neo4j server at {uri} refused the credentials ({_describe(exc)})"
        )
    if isinstance(exc, TransientError):
        return GraphUnavailableError(
            f"the Neo4j server at {uri} could not run the statement now, even after retries"
            f" ({_describe(exc)})"
        )
    if isinstance(exc, Neo4jError):  # ClientError (syntax, type, ...) and DatabaseError
        return QueryError(_describe(exc))
    if isinstance(exc, ServiceUnavailable | SessionExpired | OSError):
        return GraphUnavailableError(f"the Neo4j server at {uri} is not answering ({exc})")
    if isinstance(exc, ConnectionPoolError):
        return GraphUnavailableError(f"no free connection to the Neo4j server at {uri} ({exc})")
    return GraphError(f"the Neo4j driver failed talking to {uri}: {exc}")


def _describe(exc: Neo4jError) -> str:
    return f"{exc.code}: {exc.message}"
