"""Twin view: genealogy traces and recall scopes (risk alerts and predictions come later)."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.scalars import JSON

from schema.enums import TraceDirection


@strawberry.type(description="A node reached by a trace, with its fewest hops from a start.")
class TraceNode:
    id: strawberry.ID
    label: str
    depth: int
    properties: JSON


@strawberry.type(description="A relationship of the trace, in the graph's own direction.")
class TraceEdge:
    source_id: strawberry.ID
    type: str
    target_id: strawberry.ID
    properties: JSON


@strawberry.type(description="The genealogy subgraph reached from the starts.")
class Trace:
    start_ids: list[strawberry.ID]
    direction: TraceDirection  # type: ignore[valid-type]
    max_depth: int
    nodes: list[TraceNode]
    edges: list[TraceEdge]

    @strawberry.field
    def node_count(self) -> int:
        return len(self.nodes)

    @classmethod
    def from_domain(cls, trace: Any) -> Trace:
        return cls(
            start_ids=[strawberry.ID(i) for i in trace.start_ids],
            direction=trace.direction,
            max_depth=trace.max_depth,
            nodes=[
                TraceNode(
                    id=strawberry.ID(n.id), label=n.label, depth=n.depth, properties=n.properties
                )
                for n in trace.nodes
            ],
            edges=[
                TraceEdge(
                    source_id=strawberry.ID(e.source_id),
                    type=e.type,
                    target_id=strawberry.ID(e.target_id),
                    properties=e.properties,
                )
                for e in trace.edges
            ],
        )


@strawberry.type(description="What a recall of a lot must reach.")
class RecallScope:
    lot_ids: list[strawberry.ID]
    batches: list[strawberry.ID]
    finished_batches: list[strawberry.ID]
    shipments: list[strawberry.ID]
    customers: list[strawberry.ID]
    open_sales_orders: list[strawberry.ID]
    work_orders: list[strawberry.ID]

    @classmethod
    def from_domain(cls, scope: Any) -> RecallScope:
        return cls(
            **{
                name: [strawberry.ID(i) for i in getattr(scope, name)]
                for name in (
                    "lot_ids",
                    "batches",
                    "finished_batches",
                    "shipments",
                    "customers",
                    "open_sales_orders",
                    "work_orders",
                )
            }
        )
