"""FalkorDB adapter: the native async client over the Redis protocol (never Bolt).

The native client sends parameters in a `CYPHER p=...` header that it quotes itself;
strings with quotes, backslashes and unicode and full-precision floats round-trip intact.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Callable, Iterable
from typing import Any

import redis
import redis.asyncio
from falkordb.asyncio import FalkorDB
from falkordb.helpers import stringify_param_value

from graph.bulk import NodeChunk
from graph.dialect import FALKORDB, NativeCommand, check_identifier
from graph.errors import (
    ConstraintViolationError,
    GraphError,
    GraphUnavailableError,
    QueryError,
)
from graph.falkordb_bulk import BulkEncoder
from graph.falkordb_decode import CompactDecoder, Schema, UnknownSchemaId
from graph.server import EmbeddedServer, ServerAddress, rewrite_aof
from graph.store import GraphStore, Params, Record

# A JSON escape FalkorDB's parser would not read back as the same character: it takes
# \" \\ \n \r \t but no \uXXXX (json.dumps writes control characters that way).
_UNSAFE_JSON = re.compile(r'\\[^"\\nrt]')


def encode_param(value: Any) -> str:
    """One parameter as Cypher literal text.

    `json.dumps` (C speed) writes lists, strings and numbers the way FalkorDB reads them,
    except maps (FalkorDB refuses quoted keys) and a few escapes; for those the falkordb
    client's own quoting is used. Bulk loads send positional rows, so they take the fast
    path: the client's quoting was two thirds of a seed's time.
    """
    try:
        text = json.dumps(value, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError):
        text = str(stringify_param_value(value))
    else:
        if "{" in text or _UNSAFE_JSON.search(text):
            text = str(stringify_param_value(value))
    if "\x00" in text:
        # FalkorDB's parser ends the query text at a NUL byte.
        raise QueryError("a string parameter contains a NUL character, which FalkorDB cannot store")
    return text


def _params_header(params: Params | None) -> str:
    """The `CYPHER name=value ...` prefix that carries the parameters."""
    if not params:
        return ""
    pairs = (f"{check_identifier(key)}={encode_param(value)}" for key, value in params.items())
    return "CYPHER " + " ".join(pairs) + " "


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
            # No read timeout: a big load statement, or one waiting behind an AOF rewrite,
            # can take longer than redis-py's default; statement time limits are the
            # engine's `timeout_ms`, and a dead server closes the socket.
            socket_timeout=None,
        )
        self._db = FalkorDB(connection_pool=pool)
        self._pool = pool
        self._graph = self._db.select_graph(graph_name)
        self._decoder = CompactDecoder(Schema())

    async def _run(
        self, cypher: str, params: Params | None, timeout_ms: int | None, *, read_only: bool
    ) -> list[Record]:
        command: list[Any] = [
            "GRAPH.RO_QUERY" if read_only else "GRAPH.QUERY",
            self.graph_name,
            _params_header(params) + cypher,
            "--compact",
        ]
        if timeout_ms is not None:
            command += ["timeout", int(timeout_ms)]
        reply = await self._execute(command, retry_missing_graph=read_only)
        try:
            return self._decoder.decode(reply)[1]
        except UnknownSchemaId:
            await self._refresh_schema()
            return self._decoder.decode(reply)[1]

    async def _execute(self, command: list[Any], *, retry_missing_graph: bool) -> list[Any]:
        self.round_trips += 1
        try:
            reply = await self._db.connection.execute_command(*command)
        except (redis.ConnectionError, redis.TimeoutError, ConnectionError, OSError) as exc:
            raise self._unavailable(exc) from exc
        except redis.ResponseError as exc:
            if retry_missing_graph and "empty key" in str(exc):
                # The graph has not been created yet: create it empty, then read.
                await self._execute(
                    ["GRAPH.QUERY", self.graph_name, "RETURN 1"], retry_missing_graph=False
                )
                return await self._execute(command, retry_missing_graph=False)
            raise self._query_error(exc) from exc
        if reply and isinstance(reply[-1], redis.ResponseError):  # failed while running
            raise self._query_error(reply[-1])
        return list(reply)

    async def _refresh_schema(self) -> None:
        reply = await self._execute(
            ["GRAPH.RO_QUERY", self.graph_name, "CALL db.propertyKeys()", "--compact"],
            retry_missing_graph=False,
        )
        self._decoder.schema.properties = [self._decoder.cell(row[0]) for row in reply[1]]

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

    async def bulk_create(
        self, chunks: Iterable[NodeChunk], progress: Callable[[int, int], None] | None = None
    ) -> tuple[int, int] | None:
        """`GRAPH.BULK` into a fresh graph key, one call per chunk, strictly in order.

        Node numbers run across calls, so calls are never reordered; encoding the next
        chunk overlaps the server's work on the previous one.
        """
        if await self.read("MATCH (n) RETURN n.id AS id LIMIT 1"):
            raise GraphError("GRAPH.BULK builds a new graph only; this one already holds nodes")
        await self.drop_all()  # BEGIN wants the key unused (it may hold indexes)
        encoder = BulkEncoder(self.graph_name)
        nodes = relationships = 0
        pending: asyncio.Task[Any] | None = None
        for chunk in chunks:
            args, chunk_nodes, chunk_rels = encoder.command(chunk)
            if pending is not None:
                await self._bulk_reply(pending)
            pending = asyncio.ensure_future(self._db.connection.execute_command(*args))
            await asyncio.sleep(0)  # let it go out before encoding the next chunk
            nodes += chunk_nodes
            relationships += chunk_rels
            if progress is not None:
                progress(chunk_nodes, chunk_rels)
        if pending is not None:
            await self._bulk_reply(pending)
        self._decoder = CompactDecoder(Schema())
        return nodes, relationships

    async def _bulk_reply(self, pending: asyncio.Task[Any]) -> None:
        self.round_trips += 1
        try:
            await pending
        except (redis.ConnectionError, redis.TimeoutError, OSError) as exc:
            raise self._unavailable(exc) from exc
        except redis.ResponseError as exc:
            raise self._query_error(exc) from exc

    async def drop_all(self) -> None:
        try:
            await self._graph.delete()
        except redis.ResponseError as exc:
            if "empty key" not in str(exc) and "Invalid graph operation" not in str(exc):
                raise self._query_error(exc) from exc
        self._graph = self._db.select_graph(self.graph_name)
        self._decoder = CompactDecoder(Schema())

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
