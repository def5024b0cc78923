"""What a factorygraph-compatible OPC UA server looks like: one contract for every side.

The simulated plant (`ingest.plant_sim`), the node-opcua test server and the ingest's
discovery all follow it. Machines are Machinery 1.03 (OPC 40001-1) instances registered
in the Machines folder; each carries, below its own object:

    Identification                       (DI/Machinery: Manufacturer, SerialNumber,
                                          ProductInstanceUri, ...)
    MachineryBuildingBlocks/
        MachineryItemState/CurrentState  (LocalizedText: NotAvailable, OutOfService,
                                          NotExecuting, Executing)
        MachineryOperationMode/CurrentState  (LocalizedText: None, Maintenance, Setup,
                                          Processing)
    Monitoring/                          (this project's namespace; process values
        AirTemperature ...                shaped like the AI4I 2020 data, and counters)

Namespaces are named by URI, never by index: indexes differ between servers.
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.states import MachineState

MACHINERY_NS = "http://opcfoundation.org/UA/Machinery/"
DI_NS = "http://opcfoundation.org/UA/DI/"
PLANT_NS = "urn:factorygraph:plant"
"""The namespace of the plant's own nodes (machine objects, Monitoring variables)."""

MACHINES_FOLDER_ID = 1001
"""`Machines` folder: numeric NodeId i=1001 in the Machinery namespace (OPC 40001-1 §8.1)."""

IDENTIFICATION = "Identification"
BUILDING_BLOCKS = "MachineryBuildingBlocks"
ITEM_STATE = "MachineryItemState"
OPERATION_MODE = "MachineryOperationMode"
"""The operation-mode state machine's browse name (OPC 40001-1 default instance name)."""
OPERATION_MODE_ALIASES = (OPERATION_MODE, "OperationMode")
"""Names discovery accepts for it: some servers shorten it."""
CURRENT_STATE = "CurrentState"
MONITORING = "Monitoring"


@dataclass(frozen=True, slots=True)
class ProcessVariable:
    browse_name: str
    """Browse name below `Monitoring` (namespace PLANT_NS)."""
    property: str
    """The property name in the graph (on the machine's `Tag`)."""
    unit: str | None
    counter: bool = False
    """A monotonic counter: a backwards jump is a reset, never negative production."""


PROCESS_VARIABLES: tuple[ProcessVariable, ...] = (
    ProcessVariable("AirTemperature", "air_temperature", "K"),
    ProcessVariable("ProcessTemperature", "process_temperature", "K"),
    ProcessVariable("RotationalSpeed", "rotational_speed", "rpm"),
    ProcessVariable("Torque", "torque", "Nm"),
    ProcessVariable("ToolWear", "tool_wear", "min"),
    ProcessVariable("GoodParts", "good_parts", None, counter=True),
    ProcessVariable("ScrapParts", "scrap_parts", None, counter=True),
    ProcessVariable("CurrentWorkOrderId", "current_work_order_id", None),
)
BY_BROWSE_NAME = {v.browse_name: v for v in PROCESS_VARIABLES}

STATE_NAMES: dict[str, MachineState] = {
    "NotAvailable": MachineState.NOT_AVAILABLE,
    "OutOfService": MachineState.OUT_OF_SERVICE,
    "NotExecuting": MachineState.NOT_EXECUTING,
    "Executing": MachineState.EXECUTING,
}
"""MachineryItemState state names (the CurrentState text) -> the graph's machine state."""

OPERATION_MODES = ("None", "Maintenance", "Setup", "Processing")
"""MachineryOperationMode state names (OPC 40001-1 §11)."""


def machine_state(text: str) -> MachineState | None:
    """The machine state a CurrentState text names ("Executing", "Not executing"), or None."""
    key = "".join(text.split())
    for name, state in STATE_NAMES.items():
        if name.lower() == key.lower():
            return state
    return None
