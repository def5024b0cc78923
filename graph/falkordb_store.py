"""FalkorDB adapter: the native async client over the Redis protocol (never Bolt).

The native client sends parameters in a `CYPHER p=...` header that it quotes itself;
strings with quotes, backslashes and unicode and full-precision floats round-trip intact.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from typing import Any

import redis
import redis.asyncio
from falkordb.asyncio import FalkorDB
from falkordb.edge import Edge
from falkordb.exceptions import SchemaVersionMismatchException
from falkordb.node import Node
from falkordb.path import Path as FalkorPath

from graph.dialect import FALKORDB, NativeCommand
from graph.errors import (
    ConstraintViolationError,
    GraphUnavailableError,
    QueryError,
)
from graph.server import EmbeddedServer, ServerAddress, rewrite_aof
from graph.store import GraphStore, Params, Record


def to_plain(value: Any) -> Any:
    """FalkorDB result values -> plain Python (nodes and edges become property dicts)."""
    if isinstance(value, Node | Edge):
        return {key: to_plain(val) for key, val in value.properties.items()}
    if isinstance(value, FalkorPath):
        return {
            "nodes": [to_plain(node) for node in value.nodes()],
            "relationships": [to_plain(edge) for edge in value.edges()],
        }
    if isinstance(value, OrderedDict | dict):
        return {key: to_plain(val) for key, val in value.items()}
    if isinstance(value, list):
        return [to_plain(item) for item in value]
    return value


class FalkorDBStore(GraphStore):
    """A graph in a FalkorDB server, optionally the embedded one this store started."""

    def __init__(
        self,
        address: ServerAddress,
        graph_name: str,
        *,
        server: EmbeddedServer | None = None,
        max_connections: int = 32,
    ) -> None:
        super().__init__()
        self.dialect = FALKORDB
        self.graph_name = graph_name
        self.address = address
        self._server = server
        pool = redis.asyncio.BlockingConnectionPool(
            host=address.host,
            port=address.port,
            password=address.password,
            max_connections=max_connections,
            decode_responses=True,
            socket_connect_timeout=5,
        )
        self._db = FalkorDB(connection_pool=pool)
        self._pool = pool
        self._graph = self._db.select_graph(graph_name)

    async def read(
        self, cypher: str, params: Params | None = None, *, timeout_ms: int | None = None
    ) -> list[Record]:
        return await self._run(cypher, params, timeout_ms, read_only=True)

    async def write(
        self, cypher: str, params: Params | None = None, *, timeout_ms: int | None = None
    ) -> list[Record]:
        return await self._run(cypher, params, timeout_ms, read_only=False)

    async def _run(
        self, cypher: str, params: Params | None, timeout_ms: int | None, *, read_only: bool
    ) -> list[Record]:
        run = self._graph.ro_query if read_only else self._graph.query
        for attempt in range(2):
            self.round_trips += 1
            try:
                result = await run(cypher, dict(params or {}), timeout=timeout_ms)
                break
            except SchemaVersionMismatchException:
                # The client refreshed its cached schema; the statement did not run.
                if attempt:
                    raise
            except (redis.ConnectionError, redis.TimeoutError, ConnectionError, OSError) as exc:
                raise self._unavailable(exc) from exc
            except redis.ResponseError as exc:
                if read_only and attempt == 0 and "empty key" in str(exc):
                    await self._graph.query("RETURN 1")  # create the empty graph, then retry
                    continue
                raise self._query_error(exc) from exc
        header = [column[1] for column in result.header]
        return [
            {name: to_plain(value) for name, value in zip(header, row, strict=True)}
            for row in result.result_set
        ]

    async def native(self, command: NativeCommand) -> Any:
        self.round_trips += 1
        try:
            return await self._db.connection.execute_command(*command.args)
        except (redis.ConnectionError, redis.TimeoutError, OSError) as exc:
            raise self._unavailable(exc) from exc
        except redis.ResponseError as exc:
            raise self._query_error(exc) from exc

    async def ping(self) -> bool:
        try:
            return bool(await self._db.connection.ping())
        except (redis.RedisError, OSError):
            return False

    async def checkpoint(self) -> None:
        await asyncio.to_thread(rewrite_aof, self.address)

    async def drop_all(self) -> None:
        try:
            await self._graph.delete()
        except redis.ResponseError as exc:
            if "empty key" not in str(exc) and "Invalid graph operation" not in str(exc):
                raise self._query_error(exc) from exc
        self._graph = self._db.select_graph(self.graph_name)

    async def close(self) -> None:
        await self._pool.disconnect()
        if self._server is not None:
            server, self._server = self._server, None
            await asyncio.to_thread(server.stop)

    def _unavailable(self, exc: BaseException) -> GraphUnavailableError:
        where = f"{self.address.host}:{self.address.port}"
        if self._server is not None:
            tail = self._server.log_tail(5)
            return GraphUnavailableError(
                f"the embedded graph server (pid {self.address.pid}, {where}) is not answering"
                f" ({exc}); last log lines:\n{tail}"
            )
        return GraphUnavailableError(f"the graph server at {where} is not answering ({exc})")

    @staticmethod
    def _query_error(exc: redis.ResponseError) -> QueryError:
        message = str(exc)
        if "constraint violation" in message:
            return ConstraintViolationError(message)
        return QueryError(message)
