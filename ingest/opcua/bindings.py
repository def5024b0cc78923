"""A binding: one OPC UA variable feeding one property of one machine in the graph."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from graph.live_values import TagBinding, make_tag_id


class Feed(StrEnum):
    """What the ingest does with a variable's values."""

    VALUE = "value"
    """A process value: the newest one is kept on the machine's tag."""
    STATE = "state"
    """MachineryItemState: every transition becomes a `StateChange`."""
    OPERATION_MODE = "operation_mode"
    """MachineryOperationMode: kept as a tag value."""
    COUNTER = "counter"
    """A monotonic part counter: its increments feed OEE's counts."""
    WORK_ORDER = "work_order"
    """The id of the work order the machine runs: counts are booked to it."""


@dataclass(frozen=True, slots=True)
class Binding:
    node_id: str
    """The variable's NodeId as a string with its namespace URI (`nsu=…;s=…`)."""
    machine_id: str
    prop: str
    """The property name in the graph (the tag's `property`)."""
    feed: Feed
    unit: str | None = None
    tag_id: str = field(default="", compare=False)
    """The graph tag's id (derived; computed once, read for every value)."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "tag_id", make_tag_id(self.machine_id, self.prop))

    @property
    def tag(self) -> TagBinding:
        return TagBinding(self.machine_id, self.prop, self.node_id, self.unit)
