"""Build each simulated machine in the address space from the real Machinery 1.03 types.

Per OPC 40001-1: a machine is organized under the `Machines` folder; its Identification
(MachineIdentificationType) is an AddIn of the machine; the MachineryItemState and
operation-mode state machines are AddIns in its `MachineryBuildingBlocks` folder, which
also lists the Identification. Browse names keep the namespaces the types give them (DI
for Identification and its DI properties, Machinery for the building blocks); the plant's
own nodes (the machine, `Monitoring` and its variables) are in `PLANT_NS`, with string
NodeIds derived from the machine id (`M-0001.Monitoring.Torque`) so they are stable.

The AddIns are stamped out from blueprints (`blueprints`); every machine's nodes go in
one AddNodes call, since one by one they would cost most of the start-up.
"""

from __future__ import annotations

from dataclasses import dataclass

from asyncua import ua
from asyncua.server.server import Server
from asyncua.ua.attribute_ids import AttributeIds
from asyncua.ua.object_ids import ObjectIds

from ingest.opcua import address_space as space
from ingest.plant_sim.blueprints import blueprints, stamp
from ingest.plant_sim.machinery import HAS_ADD_IN, TypeNodes, nid
from ingest.plant_sim.machines import SimMachine
from ingest.plant_sim.units import UNITS, eu_information

ANALOG_ITEM_TYPE = nid(ObjectIds.AnalogItemType)

VARIANT_TYPES: dict[str, ua.VariantType] = {
    "GoodParts": ua.VariantType.UInt32,
    "ScrapParts": ua.VariantType.UInt32,
    "CurrentWorkOrderId": ua.VariantType.String,
}
"""Variables that are not Double (every variable with a unit is Double)."""
_DATA_TYPES = {
    ua.VariantType.Double: ObjectIds.Double,
    ua.VariantType.UInt32: ObjectIds.UInt32,
    ua.VariantType.String: ObjectIds.String,
}
_ZERO: dict[ua.VariantType, object] = {
    ua.VariantType.Double: 0.0,
    ua.VariantType.UInt32: 0,
    ua.VariantType.String: "",
}


def variant_type(browse_name: str) -> ua.VariantType:
    return VARIANT_TYPES.get(browse_name, ua.VariantType.Double)


@dataclass(frozen=True, slots=True)
class MachineNodes:
    """The NodeIds one machine's writes go to."""

    machine: ua.NodeId
    state: ua.NodeId
    state_id: ua.NodeId
    mode: ua.NodeId
    mode_id: ua.NodeId
    values: dict[str, tuple[ua.NodeId, ua.VariantType]]
    """Monitoring browse name -> (NodeId, variant type)."""


def _sid(types: TypeNodes, path: str) -> ua.NodeId:
    return nid(path, types.plant_ns)


def _object(
    types: TypeNodes,
    path: str,
    name: ua.QualifiedName,
    parent: ua.NodeId,
    reference: int,
    type_id: int,
    display: str | None = None,
) -> ua.AddNodesItem:
    item = ua.AddNodesItem()
    item.RequestedNewNodeId = _sid(types, path)
    item.BrowseName = name
    item.NodeClass = ua.NodeClass.Object
    item.ParentNodeId = parent
    item.ReferenceTypeId = nid(reference)
    item.TypeDefinition = nid(type_id)
    attrs = ua.ObjectAttributes()
    attrs.DisplayName = ua.LocalizedText(display or name.Name)
    attrs.EventNotifier = 0
    item.NodeAttributes = attrs
    return item


def _variable(
    types: TypeNodes,
    path: str,
    name: str,
    parent: ua.NodeId,
    value: ua.Variant,
    data_type: ua.NodeId,
    *,
    prop: bool = False,
    type_def: ua.NodeId | None = None,
) -> ua.AddNodesItem:
    item = ua.AddNodesItem()
    item.RequestedNewNodeId = _sid(types, path)
    item.BrowseName = ua.QualifiedName(name, 0 if prop else types.plant_ns)
    item.NodeClass = ua.NodeClass.Variable
    item.ParentNodeId = parent
    item.ReferenceTypeId = nid(ObjectIds.HasProperty if prop else ObjectIds.HasComponent)
    if type_def is not None:
        item.TypeDefinition = type_def
    else:
        item.TypeDefinition = nid(
            ObjectIds.PropertyType if prop else ObjectIds.BaseDataVariableType
        )
    attrs = ua.VariableAttributes()
    attrs.DisplayName = ua.LocalizedText(name)
    attrs.DataType = data_type
    attrs.Value = value
    attrs.ValueRank = ua.ValueRank.Scalar
    attrs.AccessLevel = ua.AccessLevel.CurrentRead.mask
    attrs.UserAccessLevel = ua.AccessLevel.CurrentRead.mask
    item.NodeAttributes = attrs
    return item


def _plain_nodes(types: TypeNodes, m: SimMachine) -> list[ua.AddNodesItem]:
    """The machine object, its building-blocks folder, Monitoring and its variables."""
    root = _sid(types, m.id)
    items = [
        _object(
            types,
            m.id,
            ua.QualifiedName(m.id, types.plant_ns),
            types.machines_folder.nodeid,
            ObjectIds.Organizes,
            ObjectIds.BaseObjectType,
            display=m.name,
        ),
        _object(
            types,
            f"{m.id}.{space.BUILDING_BLOCKS}",
            ua.QualifiedName(space.BUILDING_BLOCKS, types.machinery_ns),
            root,
            ObjectIds.HasComponent,
            ObjectIds.FolderType,
        ),
        _object(
            types,
            f"{m.id}.{space.MONITORING}",
            ua.QualifiedName(space.MONITORING, types.plant_ns),
            root,
            ObjectIds.HasComponent,
            ObjectIds.BaseObjectType,
        ),
    ]
    monitoring = _sid(types, f"{m.id}.{space.MONITORING}")
    for var in space.PROCESS_VARIABLES:
        path = f"{m.id}.{space.MONITORING}.{var.browse_name}"
        vtype = variant_type(var.browse_name)
        data_type = nid(_DATA_TYPES[vtype])
        zero = ua.Variant(_ZERO[vtype], vtype)
        if var.unit is None:
            items.append(_variable(types, path, var.browse_name, monitoring, zero, data_type))
            continue
        items.append(
            _variable(
                types,
                path,
                var.browse_name,
                monitoring,
                zero,
                data_type,
                type_def=ANALOG_ITEM_TYPE,
            )
        )
        low, high = UNITS[var.unit].eu_range
        node = _sid(types, path)
        items.append(
            _variable(
                types,
                f"{path}.EURange",
                "EURange",
                node,
                ua.Variant(ua.Range(low, high)),
                nid(ObjectIds.Range),
                prop=True,
            )
        )
        items.append(
            _variable(
                types,
                f"{path}.EngineeringUnits",
                "EngineeringUnits",
                node,
                ua.Variant(eu_information(var.unit)),
                nid(ObjectIds.EUInformation),
                prop=True,
            )
        )
    return items


async def add_machines(server: Server, types: TypeNodes, machines: list[SimMachine]) -> None:
    """Create every machine's nodes, Machinery AddIns included, with Identification filled."""
    plans = await blueprints(server, types)
    items: list[ua.AddNodesItem] = []
    links: list[ua.AddReferencesItem] = []
    values: list[tuple[ua.NodeId, ua.Variant]] = []
    for m in machines:
        root = _sid(types, m.id)
        blocks = _sid(types, f"{m.id}.{space.BUILDING_BLOCKS}")
        items += _plain_nodes(types, m)
        items += stamp(types, m.id, space.IDENTIFICATION, root, plans[space.IDENTIFICATION])
        for name in (space.ITEM_STATE, space.OPERATION_MODE):
            items += stamp(types, m.id, name, blocks, plans[name])
        # the building blocks folder lists the Identification too (OPC 40001-1)
        links += _link(blocks, _sid(types, f"{m.id}.{space.IDENTIFICATION}"))
        more, identity = _identification(types, m)
        items += more
        values += identity
    session = types.machines_folder.session
    for result in await session.add_nodes(items):
        result.StatusCode.check()
    for status in await session.add_references(links):
        status.check()
    aspace = server.iserver.aspace
    for node, value in values:
        status = await aspace.write_attribute_value(node, AttributeIds.Value, ua.DataValue(value))
        status.check()


def _link(source: ua.NodeId, target: ua.NodeId) -> list[ua.AddReferencesItem]:
    """source HasAddIn target, with its inverse."""
    items = []
    for forward in (True, False):
        item = ua.AddReferencesItem()
        item.SourceNodeId, item.TargetNodeId = (source, target) if forward else (target, source)
        item.ReferenceTypeId = HAS_ADD_IN
        item.IsForward = forward
        item.TargetNodeClass = ua.NodeClass.Object
        items.append(item)
    return items


def _identification(
    types: TypeNodes, m: SimMachine
) -> tuple[list[ua.AddNodesItem], list[tuple[ua.NodeId, ua.Variant]]]:
    """Values for the mandatory properties, and the optional ones the plant knows as nodes."""
    ident = f"{m.id}.{space.IDENTIFICATION}"
    values = [
        (_sid(types, f"{ident}.{name}"), value)
        for name, value in (
            ("Manufacturer", ua.Variant(ua.LocalizedText(m.manufacturer))),
            ("SerialNumber", ua.Variant(m.serial_number, ua.VariantType.String)),
            ("ProductInstanceUri", ua.Variant(m.product_instance_uri, ua.VariantType.String)),
        )
    ]
    optional = {
        "Model": ua.Variant(ua.LocalizedText(m.kind)),
        "YearOfConstruction": ua.Variant(m.year_of_construction, ua.VariantType.UInt16),
        "ComponentName": ua.Variant(ua.LocalizedText(m.name)),
    }
    items = []
    for name, value in optional.items():
        declared = types.optional.get(name)
        if declared is None:
            continue
        item = _variable(
            types,
            f"{ident}.{name}",
            name,
            _sid(types, ident),
            value,
            declared.data_type,
            prop=True,
        )
        item.BrowseName = declared.name
        items.append(item)
    return items, values


def machine_nodes(types: TypeNodes, m: SimMachine) -> MachineNodes:
    def state_machine(name: str) -> tuple[ua.NodeId, ua.NodeId]:
        current = f"{m.id}.{name}.{space.CURRENT_STATE}"
        return _sid(types, current), _sid(types, f"{current}.Id")

    state, state_id = state_machine(space.ITEM_STATE)
    mode, mode_id = state_machine(space.OPERATION_MODE)
    values = {
        var.browse_name: (
            _sid(types, f"{m.id}.{space.MONITORING}.{var.browse_name}"),
            variant_type(var.browse_name),
        )
        for var in space.PROCESS_VARIABLES
    }
    return MachineNodes(_sid(types, m.id), state, state_id, mode, mode_id, values)
