"""Find the machines a server exposes and bind their variables to graph machines.

Browses the Machinery `Machines` folder (OPC 40001-1 §8.1) level by level, many nodes
per Browse call, and matches each machine by its Identification: manufacturer and
serial number first, the ProductInstanceUri (`urn:factorygraph:machine:<id>`) second.
Children are found by browse *name*, not by namespace index, so servers that place the
DI and Machinery names in different namespaces (asyncua, node-opcua) bind the same way.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from asyncua import ua
from asyncua.client.client import Client

from ingest.opcua import address_space as space
from ingest.opcua.bindings import Binding, Feed
from ingest.opcua.node_ids import node_id_of, portable

log = logging.getLogger(__name__)

BROWSE_CHUNK = 500
"""Nodes per Browse call (servers cap MaxNodesPerBrowse; 500 is well inside the usual)."""

_MACHINE_URI = "urn:factorygraph:machine:"


class DiscoveryError(RuntimeError):
    """The server does not expose Machinery machines the ingest can bind."""


@dataclass(frozen=True, slots=True)
class Identity:
    manufacturer: str | None
    serial_number: str | None
    product_instance_uri: str | None


@dataclass
class Discovery:
    bindings: list[tuple[Binding, ua.NodeId]] = field(default_factory=list)
    machines: dict[str, Identity] = field(default_factory=dict)
    """Graph machine id -> the identity it was bound by."""
    unmatched: list[Identity] = field(default_factory=list)
    """Machines on the server that match no graph machine (reported, not bound)."""


Children = dict[str, ua.ReferenceDescription]


async def _children(client: Client, nodes: list[ua.NodeId]) -> list[Children]:
    """The object and variable children of each node, by browse name."""
    found: list[Children] = []
    for start in range(0, len(nodes), BROWSE_CHUNK):
        chunk = [client.get_node(n) for n in nodes[start : start + BROWSE_CHUNK]]
        for _, result in await client.browse_nodes(chunk):
            refs = result.References or []
            found.append(
                {
                    ref.BrowseName.Name: ref
                    for ref in refs
                    if ref.IsForward
                    and ref.NodeClass in (ua.NodeClass.Object, ua.NodeClass.Variable)
                }
            )
    return found


def _node(ref: ua.ReferenceDescription) -> ua.NodeId:
    return node_id_of(ref.NodeId.Identifier, ref.NodeId.NamespaceIndex, ref.NodeId.NodeIdType)


async def _read_texts(client: Client, nodes: list[ua.NodeId | None]) -> list[str | None]:
    present = [n for n in nodes if n is not None]
    values: Iterable[object] = (
        await client.read_values([client.get_node(n) for n in present]) if present else []
    )
    by_node = dict(zip([n.to_string() for n in present], values, strict=True))
    texts: list[str | None] = []
    for n in nodes:
        value = None if n is None else by_node.get(n.to_string())
        if isinstance(value, ua.LocalizedText):
            value = value.Text
        texts.append(None if value is None else str(value))
    return texts


async def machines_folder(client: Client) -> ua.NodeId:
    namespaces = await client.get_namespace_array()
    if space.MACHINERY_NS not in namespaces:
        raise DiscoveryError(
            f"the server has no Machinery namespace ({space.MACHINERY_NS}); "
            "bind its variables with an explicit --mapping file instead"
        )
    return node_id_of(space.MACHINES_FOLDER_ID, namespaces.index(space.MACHINERY_NS), None)


async def discover(client: Client, identities: dict[tuple[str, str], str]) -> Discovery:
    """Bind every Machinery machine of the server whose identity is a graph machine's.

    `identities` maps (manufacturer, serial number) to graph machine ids.
    """
    namespaces = await client.get_namespace_array()
    folder = await machines_folder(client)
    (machine_refs,) = await _children(client, [folder])
    machines = [_node(ref) for ref in machine_refs.values() if ref.NodeClass == ua.NodeClass.Object]
    if not machines:
        raise DiscoveryError("the server's Machines folder is empty")
    level1 = await _children(client, machines)
    ident_nodes = [
        _node(c[space.IDENTIFICATION]) if space.IDENTIFICATION in c else None for c in level1
    ]
    blocks = [
        _node(c[space.BUILDING_BLOCKS]) if space.BUILDING_BLOCKS in c else None for c in level1
    ]
    monitors = [_node(c[space.MONITORING]) if space.MONITORING in c else None for c in level1]
    asked = [n for n in ident_nodes + blocks + monitors if n is not None]
    level2 = dict(zip([n.to_string() for n in asked], await _children(client, asked), strict=True))

    def kids(node: ua.NodeId | None) -> Children:
        return {} if node is None else level2[node.to_string()]

    wanted = ("Manufacturer", "SerialNumber", "ProductInstanceUri")
    ident_vars: list[ua.NodeId | None] = []
    for node in ident_nodes:
        children = kids(node)
        ident_vars += [_node(children[name]) if name in children else None for name in wanted]
    texts = await _read_texts(client, ident_vars)

    state_machines: list[tuple[int, Feed, ua.NodeId]] = []
    for i, machine_children in enumerate(level1):
        holder = {**machine_children, **kids(blocks[i])}  # the AddIns may sit on the machine
        if space.ITEM_STATE in holder:
            state_machines.append((i, Feed.STATE, _node(holder[space.ITEM_STATE])))
        mode = next((n for n in space.OPERATION_MODE_ALIASES if n in holder), None)
        if mode is not None:
            state_machines.append((i, Feed.OPERATION_MODE, _node(holder[mode])))
    current = await _children(client, [n for _, _, n in state_machines])

    result = Discovery()
    known_ids = set(identities.values())
    for i, machine in enumerate(machines):
        identity = Identity(*texts[i * 3 : i * 3 + 3])
        machine_id = identities.get((identity.manufacturer or "", identity.serial_number or ""))
        uri = identity.product_instance_uri or ""
        if machine_id is None and uri.removeprefix(_MACHINE_URI) in known_ids:
            machine_id = uri.removeprefix(_MACHINE_URI)
        if machine_id is None:
            result.unmatched.append(identity)
            log.warning(
                "opcua.machine.unmatched node=%s identity=%s", machine.to_string(), identity
            )
            continue
        result.machines[machine_id] = identity
        for (owner, feed, _), children in zip(state_machines, current, strict=True):
            if owner == i and space.CURRENT_STATE in children:
                node = _node(children[space.CURRENT_STATE])
                prop = "state" if feed is Feed.STATE else "operation_mode"
                result.bindings.append(
                    (Binding(portable(node, namespaces), machine_id, prop, feed), node)
                )
        for name, ref in kids(monitors[i]).items():
            if ref.NodeClass != ua.NodeClass.Variable:
                continue
            node = _node(ref)
            result.bindings.append(
                (_monitoring_binding(name, portable(node, namespaces), machine_id), node)
            )
    return result


def _monitoring_binding(name: str, node_text: str, machine_id: str) -> Binding:
    known = space.BY_BROWSE_NAME.get(name)
    if known is None:
        prop = "".join(f"_{c.lower()}" if c.isupper() else c for c in name).lstrip("_")
        return Binding(node_text, machine_id, prop, Feed.VALUE)
    if known.counter:
        feed = Feed.COUNTER
    elif known.property == "current_work_order_id":
        feed = Feed.WORK_ORDER
    else:
        feed = Feed.VALUE
    return Binding(node_text, machine_id, known.property, feed, known.unit)
