"""An explicit mapping file: which OPC UA variables feed which machine properties.

    # mapping.yaml
    items:
      - node: "nsu=urn:factorygraph:plant;s=M-0001/Monitoring/Torque"
        machine: M-0001
        property: torque
        unit: Nm
      - browse_path: [Machines, "Filler F1", MachineryBuildingBlocks, MachineryItemState,
                      CurrentState]           # from the Objects folder, by browse name
        machine: M-0001
        property: state
        feed: state                           # value | state | operation_mode | counter
                                              # | work_order   (default: value)

The file is checked whole before anything is subscribed: its shape (`MappingError`
names the entry and field), then against the server (every node must exist and be a
variable; every browse path must resolve), then against the graph (every machine must
exist). Nothing is subscribed or written unless all of it holds.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from asyncua import ua
from asyncua.client.client import Client
from asyncua.ua.attribute_ids import AttributeIds
from asyncua.ua.uaerrors import UaStringParsingError
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ingest.opcua.bindings import Binding, Feed
from ingest.opcua.node_ids import UnknownNamespaceError, node_id_of, portable, resolve

_PROPERTY = r"^[a-z][a-z0-9_]{0,62}$"


class MappingError(ValueError):
    """A mapping file that cannot be used, with every problem found."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.problems = problems
        listed = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"mapping {source}: {len(problems)} problem(s)\n{listed}")


class MappingItem(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    node: str | None = None
    browse_path: list[str] | None = Field(default=None, min_length=1)
    machine: str = Field(min_length=1, max_length=200)
    property: str = Field(pattern=_PROPERTY)
    unit: str | None = Field(default=None, max_length=40)
    feed: Feed = Feed.VALUE

    @model_validator(mode="after")
    def _one_address(self) -> MappingItem:
        if (self.node is None) == (self.browse_path is None):
            raise ValueError("give exactly one of `node` and `browse_path`")
        return self


class MappingFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    items: list[MappingItem] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_targets(self) -> MappingFile:
        seen: set[tuple[str, str]] = set()
        for item in self.items:
            key = (item.machine, item.property)
            if key in seen:
                raise ValueError(f"{item.machine}.{item.property} is mapped twice")
            seen.add(key)
        return self


def load_mapping(path: Path) -> MappingFile:
    """Parse and check the file's shape; `MappingError` lists what is wrong."""
    source = str(path)
    try:
        raw: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise MappingError(source, [f"cannot read it: {exc.strerror}"]) from None
    except yaml.YAMLError as exc:
        raise MappingError(source, [f"not valid YAML: {exc}"]) from None
    if not isinstance(raw, dict):
        raise MappingError(source, ["expected a mapping with an `items` list at the top"])
    try:
        return MappingFile.model_validate(raw)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            where = ".".join(str(p) for p in error["loc"])
            where = re.sub(r"items\.(\d+)", r"items[\1]", where)
            problems.append(f"{where or 'file'}: {error['msg']}")
        raise MappingError(source, problems) from None


async def resolve_mapping(
    client: Client, mapping: MappingFile, source: str
) -> list[tuple[Binding, ua.NodeId]]:
    """Every item's variable on this server; `MappingError` lists every one that is not."""
    namespaces = await client.get_namespace_array()
    problems: list[tuple[int, str]] = []
    nodes: list[ua.NodeId | None] = []
    for index, item in enumerate(mapping.items):
        try:
            if item.node is not None:
                nodes.append(resolve(item.node, namespaces))
            else:
                assert item.browse_path is not None
                nodes.append(await _follow(client, item.browse_path))
        except (UnknownNamespaceError, UaStringParsingError, LookupError) as exc:
            problems.append((index, f"items[{index}]: {exc}"))
            nodes.append(None)
    present = [n for n in nodes if n is not None]
    classes = (
        await client.uaclient.read_attributes(present, AttributeIds.NodeClass) if present else []
    )
    by_node = dict(zip([n.to_string() for n in present], classes, strict=True))
    bound: list[tuple[Binding, ua.NodeId]] = []
    for index, (item, node) in enumerate(zip(mapping.items, nodes, strict=True)):
        if node is None:
            continue
        read = by_node[node.to_string()]
        code = read.StatusCode
        if code is not None and not code.is_good():
            where = item.node or "/".join(item.browse_path or [])
            problems.append(
                (index, f"items[{index}]: node {where} does not exist on the server ({code.name})")
            )
            continue
        if read.Value is None or read.Value.Value != ua.NodeClass.Variable:
            problems.append((index, f"items[{index}]: {node.to_string()} is not a variable"))
            continue
        text = portable(node, namespaces)
        bound.append((Binding(text, item.machine, item.property, item.feed, item.unit), node))
    if problems:
        raise MappingError(source, [text for _, text in sorted(problems)])
    return bound


async def _follow(client: Client, path: list[str]) -> ua.NodeId:
    """Walk `path` by browse name from the Objects folder."""
    current = client.nodes.objects
    for step, name in enumerate(path):
        children = await current.get_children_descriptions()
        match = next((c for c in children if c.BrowseName.Name == name), None)
        if match is None:
            walked = "/".join(path[:step]) or "Objects"
            raise LookupError(f"browse path: no {name!r} below {walked}")
        nid = match.NodeId
        current = client.get_node(node_id_of(nid.Identifier, nid.NamespaceIndex, nid.NodeIdType))
    return current.nodeid
