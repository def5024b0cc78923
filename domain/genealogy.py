"""Results of traceability questions: genealogy traces and the recall scope of a lot."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

from pydantic import BaseModel


class TraceDirection(StrEnum):
    """UPSTREAM: what went into it. DOWNSTREAM: where it went."""

    UPSTREAM = "upstream"
    DOWNSTREAM = "downstream"


@dataclass(frozen=True, slots=True)
class TraceNode:
    id: str
    label: str
    depth: int
    """Fewest hops from a start node."""
    properties: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class TraceEdge:
    """A relationship of the trace, in the graph's own direction."""

    source_id: str
    type: str
    target_id: str
    properties: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Trace:
    """The genealogy subgraph reached from the start nodes, each node with its depth.

    `max_depth` bounds hops along CONSUMED; the commercial ends hanging off the
    genealogy (purchase orders and suppliers upstream; shipments, work orders, customers
    and open sales orders downstream) always come with the node they hang off.
    A plain dataclass, not a pydantic model: a wide trace has thousands of nodes and
    validating values the graph just returned would cost more than the traversal.
    """

    start_ids: list[str]
    direction: TraceDirection
    max_depth: int
    nodes: list[TraceNode]
    edges: list[TraceEdge]

    def by_label(self, label: str) -> list[TraceNode]:
        return [node for node in self.nodes if node.label == label]

    def depths(self) -> dict[str, int]:
        return {node.id: node.depth for node in self.nodes}

    @property
    def deepest(self) -> int:
        return max((node.depth for node in self.nodes), default=0)

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, default=str)


class RecallScope(BaseModel):
    """Everything a recall of one lot must reach: what was made from it and who got it."""

    lot_ids: list[str]
    batches: list[str]
    finished_batches: list[str]
    shipments: list[str]
    customers: list[str]
    open_sales_orders: list[str]
    work_orders: list[str]
