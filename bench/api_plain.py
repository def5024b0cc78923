"""The bench's second baseline: the same SDL executed by plain graphql-core.

The schema is built from the SDL strawberry exports, with hand-written resolvers that
return plain dicts and use the same DataLoaders and graph reads as the API, so the
difference to strawberry is strawberry's own execution cost, not the data access.
Only the fields the bench's three queries select are wired.
"""

from __future__ import annotations

from typing import Any

from graphql import GraphQLObjectType, GraphQLSchema, build_schema

from domain.genealogy import TraceDirection
from graph import genealogy, reads
from graph.store import GraphStore
from resolvers.loaders import Loaders
from resolvers.pagination import encode_cursor
from schema.convert import instant


def _iso(value: Any) -> str | None:
    moment = instant(value)
    return None if moment is None else moment.isoformat()


def _machine(r: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": r["id"],
        "name": r["name"],
        "kind": r["kind"],
        "state": str(r.get("state", "not_executing")).upper(),
        "stateAt": _iso(r.get("state_at")),
    }


def _work_order(r: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": r["id"],
        "status": r["status"].upper(),
        "quantity": r["quantity"],
        "plannedStart": _iso(r["planned_start"]),
    }


class PlainContext:
    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self.loaders = Loaders(store)


def plain_schema(sdl: str) -> GraphQLSchema:
    """graphql-core's schema for `sdl` with resolvers for the bench's queries."""
    schema = build_schema(sdl)

    async def machine(_: Any, info: Any, id: str) -> dict[str, Any] | None:
        record = await info.context.loaders.node("Machine").load(id)
        return None if record is None else _machine(record)

    async def machine_line(parent: dict[str, Any], info: Any) -> dict[str, Any] | None:
        line = await info.context.loaders.one("Machine", "PART_OF", "Line", parent["id"])
        return None if line is None else {"id": line["id"], "name": line["name"]}

    async def work_orders(_: Any, info: Any, first: int = 50, **kw: Any) -> dict[str, Any]:
        rows, total = await reads.page(
            info.context.store, reads.ListQuery("WorkOrder", limit=first)
        )
        return {
            "totalCount": total,
            "edges": [
                {"node": _work_order(r), "cursor": encode_cursor(i)} for i, r in enumerate(rows)
            ],
        }

    async def operations(parent: dict[str, Any], info: Any) -> list[dict[str, Any]]:
        rows = await info.context.loaders.related(
            "WorkOrder", "HAS_OPERATION", "Operation", order="sequence"
        ).load(parent["id"])
        return [{"id": r["id"], "sequence": r["sequence"], "name": r["name"]} for r in rows]

    async def operation_machine(parent: dict[str, Any], info: Any) -> dict[str, Any] | None:
        found = await info.context.loaders.one("Operation", "RUNS_ON", "Machine", parent["id"])
        return None if found is None else _machine(found)

    async def batches(parent: dict[str, Any], info: Any) -> list[dict[str, Any]]:
        rows = await info.context.loaders.related(
            "WorkOrder", "PRODUCED_BY", "Batch", outgoing=False
        ).load(parent["id"])
        return [
            {"id": r["id"], "status": r["status"].upper(), "quantity": r["quantity"]} for r in rows
        ]

    async def trace(
        _: Any,
        info: Any,
        lotId: str,
        direction: str,
        maxDepth: int = 20,
    ) -> dict[str, Any]:
        result = await genealogy.trace(
            info.context.store,
            lotId,
            TraceDirection(direction.lower()),
            maxDepth,
            with_properties=False,
        )
        return {
            "nodeCount": len(result.nodes),
            "nodes": [{"id": n.id, "label": n.label, "depth": n.depth} for n in result.nodes],
            "edges": [
                {"sourceId": e.source_id, "type": e.type, "targetId": e.target_id}
                for e in result.edges
            ],
        }

    wiring = {
        ("Query", "machine"): machine,
        ("Query", "workOrders"): work_orders,
        ("Query", "trace"): trace,
        ("Machine", "line"): machine_line,
        ("WorkOrder", "operations"): operations,
        ("WorkOrder", "batches"): batches,
        ("Operation", "machine"): operation_machine,
    }
    for (type_name, field_name), resolver in wiring.items():
        owner = schema.type_map[type_name]
        assert isinstance(owner, GraphQLObjectType)
        owner.fields[field_name].resolve = resolver
    return schema
