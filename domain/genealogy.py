"""Results of traceability questions: genealogy traces and the recall scope of a lot."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class TraceDirection(StrEnum):
    """UPSTREAM: what went into it. DOWNSTREAM: where it went."""

    UPSTREAM = "upstream"
    DOWNSTREAM = "downstream"


class TraceNode(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    label: str
    depth: int = Field(ge=0, description="fewest hops from a start node")
    properties: dict[str, Any] = Field(default_factory=dict)


class TraceEdge(BaseModel):
    """A relationship of the trace, in the graph's own direction."""

    model_config = ConfigDict(frozen=True)

    source_id: str
    type: str
    target_id: str
    properties: dict[str, Any] = Field(default_factory=dict)


class Trace(BaseModel):
    """The genealogy subgraph reached from the start nodes, each node with its depth.

    `max_depth` bounds hops along CONSUMED; the commercial ends hanging off the
    genealogy (purchase orders and suppliers upstream; shipments, work orders, customers
    and open sales orders downstream) always come with the node they hang off.
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


class RecallScope(BaseModel):
    """Everything a recall of one lot must reach: what was made from it and who got it."""

    lot_ids: list[str]
    batches: list[str]
    finished_batches: list[str]
    shipments: list[str]
    customers: list[str]
    open_sales_orders: list[str]
    work_orders: list[str]
