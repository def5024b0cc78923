"""The Machinery 1.03 types the plant's machines are built from, found after the import.

Everything is looked up by namespace URI (indexes differ between servers) and the state
NodeIds are read from the types, so `CurrentState.Id` names the state the text names.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from asyncua import ua
from asyncua.common.node import Node
from asyncua.common.ua_utils import get_node_supertypes
from asyncua.server.server import Server
from asyncua.ua.object_ids import ObjectIds

from ingest.opcua import address_space as space


def nid(identifier: int | str, namespace: int = 0) -> ua.NodeId:
    """A NodeId from plain values (asyncua's annotations want its own int and str types)."""
    value = ua.String(identifier) if isinstance(identifier, str) else ua.Int32(identifier)
    return ua.NodeId(value, ua.Int16(namespace))


# Machinery 1.03 numeric ids (Opc.Ua.Machinery.NodeIds.csv)
ITEM_STATE_TYPE_ID = 1002
OPERATION_MODE_TYPE_ID = 1008
MACHINE_IDENTIFICATION_TYPE_ID = 1012
HAS_ADD_IN = nid(ObjectIds.HasAddIn)


@dataclass(frozen=True, slots=True)
class Declaration:
    """An optional Identification property as the type declares it."""

    name: ua.QualifiedName
    data_type: ua.NodeId


@dataclass(frozen=True, slots=True)
class TypeNodes:
    """What the machines are built from, found by namespace URI after the import."""

    machinery_ns: int
    di_ns: int
    plant_ns: int
    machines_folder: Node
    identification_type: Node
    item_state_type: Node
    operation_mode_type: Node
    states: dict[str, ua.NodeId]
    """MachineryItemState state name -> the state's NodeId (for CurrentState.Id)."""
    modes: dict[str, ua.NodeId]
    optional: dict[str, Declaration]
    """Model, YearOfConstruction, ComponentName of MachineIdentificationType's supertypes."""


async def resolve_types(server: Server, plant_ns: int) -> TypeNodes:
    machinery = await server.get_namespace_index(space.MACHINERY_NS)
    di = await server.get_namespace_index(space.DI_NS)
    ident = server.get_node(nid(MACHINE_IDENTIFICATION_TYPE_ID, machinery))
    item_state = server.get_node(nid(ITEM_STATE_TYPE_ID, machinery))
    mode = server.get_node(nid(OPERATION_MODE_TYPE_ID, machinery))
    return TypeNodes(
        machinery_ns=machinery,
        di_ns=di,
        plant_ns=plant_ns,
        machines_folder=server.get_node(nid(space.MACHINES_FOLDER_ID, machinery)),
        identification_type=ident,
        item_state_type=item_state,
        operation_mode_type=mode,
        states=await _children_named(item_state, space.STATE_NAMES),
        modes=await _children_named(mode, space.OPERATION_MODES),
        optional=await _declarations(ident, ("Model", "YearOfConstruction", "ComponentName")),
    )


async def _children_named(type_node: Node, names: Iterable[str]) -> dict[str, ua.NodeId]:
    wanted = set(names)
    found = {
        d.BrowseName.Name: d.NodeId
        for d in await type_node.get_children_descriptions()
        if d.BrowseName.Name in wanted
    }
    missing = wanted - set(found)
    if missing:
        raise RuntimeError(f"{type_node.nodeid.to_string()} lacks the states {sorted(missing)}")
    return found


async def _declarations(type_node: Node, names: tuple[str, ...]) -> dict[str, Declaration]:
    found: dict[str, Declaration] = {}
    for t in await get_node_supertypes(type_node, includeitself=True):
        for d in await t.get_children_descriptions(refs=ObjectIds.HasProperty):
            if d.BrowseName.Name in names and d.BrowseName.Name not in found:
                data_type = await Node(type_node.session, d.NodeId).read_data_type()
                found[d.BrowseName.Name] = Declaration(d.BrowseName, data_type)
    return found
