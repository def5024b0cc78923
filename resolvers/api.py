"""What the root fields do: the one object `schema.query.Query` hands every field to.

Reads go through the request's DataLoaders (`one`, nested fields) or one page statement
plus one count (`page`); traces and recall scopes call `graph.genealogy` directly.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import strawberry

from domain.auth import ANONYMOUS_READER
from domain.foresight import FORESIGHT_OFF, ForesightReport
from domain.genealogy import TraceDirection
from graph import genealogy, reads
from resolvers.erp import ErpApi
from resolvers.errors import BadRequest
from resolvers.lists import list_connection
from resolvers.lookahead import prefetch_page, selects
from resolvers.machine_state import MachineStateApi
from resolvers.mutations import MutationApi
from resolvers.node_types import TYPES, load_one
from resolvers.search import search
from resolvers.subscriptions import SubscriptionApi
from schema.client import ForesightStatus, SearchHit, Viewer
from schema.mes import Site
from schema.relay import Connection
from schema.twin import RecallScope, Trace

MAX_TRACE_DEPTH = 25
"""The deepest trace the API runs (the CLI allows more)."""


class Api:
    """Stateless: everything per request comes from `info.context`.

    The ERP view, mutations and subscriptions have their own objects, reached as
    `api.erp`, `api.mutations`, `api.subscriptions` and `api.machine_state`.
    `foresight_status` is how the service's foresight model stands now (the app keeps it).
    """

    def __init__(self, foresight_status: Callable[[], ForesightReport] | None = None) -> None:
        self.foresight_status = foresight_status or (lambda: FORESIGHT_OFF)
        self.erp = ErpApi()
        self.mutations = MutationApi()
        self.subscriptions = SubscriptionApi()
        self.machine_state = MachineStateApi()

    async def one(self, info: strawberry.Info, label: str, node_id: str) -> Any:
        return await load_one(info, label, node_id)

    async def node(self, info: strawberry.Info, node_id: str) -> Any:
        found = await reads.labels_of(info.context.store, [node_id], list(TYPES))
        label = found.get(node_id)
        return None if label is None else await self.one(info, label, node_id)

    async def sites(self, info: strawberry.Info) -> list[Site]:
        rows, _ = await reads.page(info.context.store, reads.ListQuery("Site", limit=1_000))
        return [Site.from_record(r) for r in rows]

    async def page(
        self,
        info: strawberry.Info,
        label: str,
        filter_input: Any,
        order: Any,
        first: int | None,
        after: str | None,
        last: int | None,
        before: str | None,
    ) -> Connection[Any]:
        found = await list_connection(
            info.context.store, label, filter_input, order, TYPES[label], first, after, last, before
        )
        await prefetch_page(info, [edge.node for edge in found.edges])
        return found

    async def trace(
        self, info: strawberry.Info, key: str, direction: Any, max_depth: int | None
    ) -> Trace:
        depth = genealogy.DEFAULT_MAX_DEPTH if max_depth is None else max_depth
        if not 0 <= depth <= MAX_TRACE_DEPTH:
            raise BadRequest(f"maxDepth must be between 0 and {MAX_TRACE_DEPTH}, got {depth}")
        result = await genealogy.trace(
            info.context.store,
            key,
            TraceDirection(direction),
            depth,
            with_properties=selects(info, "nodes", "properties"),
        )
        return Trace.from_domain(result)

    async def recall_scope(self, info: strawberry.Info, key: str) -> RecallScope:
        return RecallScope.from_domain(await genealogy.recall_scope(info.context.store, key))

    def viewer(self, info: strawberry.Info) -> Viewer:
        principal = info.context.principal or ANONYMOUS_READER
        if principal.anonymous:
            return Viewer(role=principal.role, name=None, anonymous=True)
        return Viewer(role=principal.role, name=principal.name, anonymous=False)

    def foresight(self, info: strawberry.Info) -> ForesightStatus:
        report = self.foresight_status()
        return ForesightStatus(
            state=report.state,
            model_version=report.model_version,
            progress=report.progress,
            message=report.message,
            started_at=report.started_at,
            finished_at=report.finished_at,
        )

    async def search(self, info: strawberry.Info, text: str, first: int) -> list[SearchHit]:
        return await search(info.context.store, text, first)
