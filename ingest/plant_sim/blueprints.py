"""Stamp out instances of a Machinery type in bulk: instantiate it once, copy the result.

asyncua's `instantiate` browses the whole type hierarchy for every node it makes (about
30 ms per AddIn, most of the start-up with a hundred machines). The plant instantiates
each AddIn type once below a scratch object, records the nodes it made (class, browse
name, type definition, attributes, the reference from the parent) and adds the same
nodes below every machine in one AddNodes call.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from asyncua import ua
from asyncua.common.instantiate_util import instantiate
from asyncua.common.node import Node
from asyncua.server.server import Server
from asyncua.ua.attribute_ids import AttributeIds
from asyncua.ua.object_ids import ObjectIds

from ingest.opcua import address_space as space
from ingest.plant_sim.machinery import HAS_ADD_IN, TypeNodes, nid


@dataclass(frozen=True, slots=True)
class Blueprint:
    """One node of an instantiated Machinery type, to stamp out below every machine."""

    path: str
    """Below the AddIn's root: "" for the root itself, ".CurrentState.Id" for a child."""
    parent: str
    reference: ua.NodeId
    """From its parent (the root's is replaced by HasAddIn)."""
    item: ua.AddNodesItem
    """Browse name, class, type definition and attributes; ids are set per machine."""


async def blueprints(server: Server, types: TypeNodes) -> dict[str, list[Blueprint]]:
    """Instantiate each AddIn's type once (asyncua browses the type hierarchy for every
    node, ~30 ms an AddIn) and record what it made, so machines are stamped out in bulk."""
    scratch = await server.nodes.objects.add_object(nid("_blueprint", types.plant_ns), "_blueprint")
    made: dict[str, list[Blueprint]] = {}
    try:
        for name, type_node, ns in (
            (space.IDENTIFICATION, types.identification_type, types.di_ns),
            (space.ITEM_STATE, types.item_state_type, types.machinery_ns),
            (space.OPERATION_MODE, types.operation_mode_type, types.machinery_ns),
        ):
            root = nid(f"_blueprint.{name}", types.plant_ns)
            await instantiate(
                scratch,
                type_node,
                nodeid=root,
                bname=ua.QualifiedName(name, ns),
                instantiate_optional=False,
            )
            made[name] = await _record(server, root)
    finally:
        await server.delete_nodes([scratch], recursive=True)
    return made


async def _record(server: Server, root: ua.NodeId) -> list[Blueprint]:
    """The instantiated subtree below `root`, parents first (children's ids extend theirs)."""
    node = server.get_node(root)
    type_definition = await node.read_type_definition()
    assert type_definition is not None
    found = [Blueprint("", "", HAS_ADD_IN, await _item(node, type_definition))]
    queue = [(str(root.Identifier), "")]
    while queue:
        parent, path = queue.pop(0)
        refs = await server.get_node(nid(parent, root.NamespaceIndex)).get_references(
            refs=ObjectIds.HierarchicalReferences, direction=ua.BrowseDirection.Forward
        )
        for ref in refs:
            ident = ref.NodeId.Identifier
            if not (isinstance(ident, str) and ident.startswith(f"{parent}.")):
                continue
            suffix = f"{path}{ident[len(parent) :]}"
            child = server.get_node(nid(ident, root.NamespaceIndex))
            found.append(
                Blueprint(suffix, path, ref.ReferenceTypeId, await _item(child, ref.TypeDefinition))
            )
            queue.append((ident, suffix))
    return found


_VARIABLE_ATTRIBUTES = (
    "DisplayName",
    "Description",
    "DataType",
    "ValueRank",
    "ArrayDimensions",
    "AccessLevel",
    "UserAccessLevel",
    "Value",
)


async def _item(node: Node, type_definition: ua.NodeId) -> ua.AddNodesItem:
    item = ua.AddNodesItem()
    item.BrowseName = await node.read_browse_name()
    item.NodeClass = await node.read_node_class()
    item.TypeDefinition = type_definition
    if item.NodeClass == ua.NodeClass.Variable:
        ids = [getattr(AttributeIds, name) for name in _VARIABLE_ATTRIBUTES]
        read = await node.read_attributes(ids)
        attrs: ua.VariableAttributes | ua.ObjectAttributes = ua.VariableAttributes()
        for name, dv in zip(_VARIABLE_ATTRIBUTES, read, strict=True):
            good = dv.StatusCode is None or dv.StatusCode.is_good()
            if good and dv.Value is not None and dv.Value.Value is not None:
                setattr(attrs, name, dv.Value if name == "Value" else dv.Value.Value)
    else:
        attrs = ua.ObjectAttributes()
        attrs.DisplayName = await node.read_display_name()
    item.NodeAttributes = attrs
    return item


def stamp(
    types: TypeNodes, machine_id: str, name: str, parent: ua.NodeId, plan: list[Blueprint]
) -> list[ua.AddNodesItem]:
    base = f"{machine_id}.{name}"
    items = []
    for bp in plan:
        item = replace(bp.item)
        item.RequestedNewNodeId = nid(base + bp.path, types.plant_ns)
        item.ParentNodeId = parent if not bp.path else nid(base + bp.parent, types.plant_ns)
        item.ReferenceTypeId = bp.reference
        items.append(item)
    return items
