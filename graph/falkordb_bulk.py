"""FalkorDB's `GRAPH.BULK` endpoint: build a new graph from typed binary blobs.

Loading a million-node plant through `UNWIND … MERGE` costs the server an index lookup
per node and per relationship end and tops out near 50k items/s here on `large`; the
bulk endpoint creates nodes and relationships directly. It only builds a graph that does
not exist yet, so it is used for a first load into an empty graph; indexes and unique
constraints are created afterwards by the migrations (a duplicate id then fails them).

Format (FalkorDB's bulk-insert protocol): `GRAPH.BULK <graph> [BEGIN] <node count>
<edge count> <node blob count> <edge blob count> <blob>...`. A node blob is a
header (label, NUL-terminated; property count, uint32; property names, NUL-terminated)
followed by each node's properties; nodes are numbered 0, 1, 2 … in creation order
across all calls. An edge blob has the same header (relationship type) followed by
source id and target id (uint64 each) and the properties of each edge. A property is a
type byte (0 null, 1 bool, 2 double, 3 string, 4 long, 5 array) and its value.
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from graph.bulk import NodeChunk
from graph.errors import GraphError

_NULL, _BOOL, _DOUBLE, _STRING, _LONG, _ARRAY = 0, 1, 2, 3, 4, 5
_U32 = struct.Struct("<I")
_U64 = struct.Struct("<Q")
_TWO_IDS = struct.Struct("<QQ")
_DOUBLE_VALUE = struct.Struct("<Bd")
_LONG_VALUE = struct.Struct("<Bq")
_NULL_BYTE = bytes([_NULL])
_TRUE, _FALSE = bytes([_BOOL, 1]), bytes([_BOOL, 0])


def _string(value: str) -> bytes:
    if "\x00" in value:
        raise GraphError("a string contains a NUL character, which FalkorDB cannot store")
    return b"\x03" + value.encode() + b"\x00"


def _array(value: list[Any] | tuple[Any, ...]) -> bytes:
    return bytes([_ARRAY]) + _U64.pack(len(value)) + b"".join(map(encode_value, value))


# Dispatch on the exact type: a million-row load calls this several million times.
_ENCODERS: dict[type, Callable[[Any], bytes]] = {
    str: _string,
    float: lambda value: _DOUBLE_VALUE.pack(_DOUBLE, value),
    int: lambda value: _LONG_VALUE.pack(_LONG, value),
    bool: lambda value: _TRUE if value else _FALSE,
    type(None): lambda value: _NULL_BYTE,
    list: _array,
    tuple: _array,
}


def encode_value(value: Any) -> bytes:
    """One property as its type byte and value."""
    encode = _ENCODERS.get(type(value))
    if encode is None:
        raise GraphError(f"cannot bulk-load a value of type {type(value).__name__}")
    return encode(value)


def _header(name: str, columns: list[str]) -> bytes:
    parts = [name.encode(), b"\x00", _U32.pack(len(columns))]
    for column in columns:
        parts += [column.encode(), b"\x00"]
    return b"".join(parts)


def _columns(maps: Iterable[dict[str, Any]]) -> list[str]:
    seen: dict[str, None] = {}
    for props in maps:
        seen.update(dict.fromkeys(props))
    return list(seen)


class BulkEncoder:
    """Turns `NodeChunk`s into `GRAPH.BULK` argument lists, numbering nodes as it goes."""

    def __init__(self, graph_name: str) -> None:
        self.graph_name = graph_name
        self.node_ids: dict[tuple[str, str], int] = {}
        self.first = True

    def command(self, chunk: NodeChunk) -> tuple[list[Any], int, int]:
        """The arguments for one call holding this chunk's nodes and relationships."""
        blobs = [self._nodes(chunk)]
        edges = 0
        for blob, count in self._edges(chunk):
            blobs.append(blob)
            edges += count
        head: list[Any] = ["GRAPH.BULK", self.graph_name]
        if self.first:
            head.append("BEGIN")
            self.first = False
        counts = [len(chunk.rows), edges, 1, len(blobs) - 1]  # nodes, edges, node/edge blobs
        return [*head, *counts, *blobs], len(chunk.rows), edges

    def _nodes(self, chunk: NodeChunk) -> bytes:
        columns = _columns(row["props"] for row in chunk.rows)
        parts = [_header(chunk.label, columns)]
        ids = self.node_ids
        for row in chunk.rows:
            key = (chunk.label, row["id"])
            if key in ids:
                raise GraphError(f"{chunk.label} {row['id']!r} appears twice in the load")
            ids[key] = len(ids)
            props = row["props"]
            parts.extend([encode_value(props.get(column)) for column in columns])
        return b"".join(parts)

    def _edges(self, chunk: NodeChunk) -> Iterator[tuple[bytes, int]]:
        """One blob per relationship type; kinds of the same type share it."""
        ids = self.node_ids
        kinds_by_type: dict[str, list[int]] = {}
        for i, kind in enumerate(chunk.kinds):
            kinds_by_type.setdefault(kind.rel_type, []).append(i)
        for rel_type, indexes in kinds_by_type.items():
            columns = _columns(
                edge["props"] for i in indexes for row in chunk.rows for edge in row["edges"][i]
            )
            parts = [_header(rel_type, columns)]
            count = 0
            for i in indexes:
                kind = chunk.kinds[i]
                for row in chunk.rows:
                    here = ids[(chunk.label, row["id"])]
                    for edge in row["edges"][i]:
                        there = ids.get((kind.other_label, edge["id"]))
                        if there is None:
                            raise GraphError(
                                f"{chunk.label} {row['id']!r} links by {rel_type} to "
                                f"{kind.other_label} {edge['id']!r}, which was not loaded before it"
                            )
                        ends = (here, there) if kind.outgoing else (there, here)
                        parts.append(_TWO_IDS.pack(*ends))
                        props = edge["props"]
                        parts.extend([encode_value(props.get(column)) for column in columns])
                        count += 1
            if count:
                yield b"".join(parts), count
