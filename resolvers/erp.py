"""ERP view logic: customers, sales orders, products and BOMs, materials, suppliers, POs.

Also the twin view's risk alerts and predictions, and OEE (ISO 22400-2) from a machine's
state changes and completed batches. Lists are one page statement plus one count
(`graph.reads.page`); nested aggregates the generic loaders cannot give (BOM explosion,
inventory per status, what an alert is about) have their own per-request DataLoaders
here, kept on the request context so they never outlive it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import fields, replace
from datetime import UTC, datetime
from typing import Any, TypeVar

import strawberry
from strawberry.dataloader import DataLoader

from domain import oee as domain_oee
from domain.states import BatchStatus
from domain.states import Severity as DomainSeverity
from graph import erp_reads, reads
from graph.erp_reads import BomRow, LotSummary, OeeInputs
from graph.store import Record
from resolvers.errors import BadRequest
from resolvers.lists import list_query, query_connection
from resolvers.lookahead import prefetch_page
from resolvers.node_types import TYPES
from resolvers.shift_oee import shift_oee_report
from schema.convert import instant, to_ms
from schema.oee import Oee, StateInterval
from schema.relay import Connection
from schema.shift_oee import ShiftOeeReport

T = TypeVar("T")

_LOADERS_KEY = "erp.loaders"

_SEVERITIES = list(DomainSeverity)  # low < medium < high < critical


def _extended(base: reads.ListQuery, **extra: Any) -> erp_reads.ErpListQuery:
    """`base` as an `ErpListQuery` with the ERP-only conditions `extra`."""
    own = {f.name: getattr(base, f.name) for f in fields(reads.ListQuery)}
    return erp_reads.ErpListQuery(**own, **extra)


def _range(span: Any, prop: str) -> tuple[str, int | None, int | None] | None:
    if span is None:
        return None
    return (prop, to_ms(span.from_), to_ms(span.to))


class ErpApi:
    """What `schema.erp_query.ErpQuery` fields call (as `info.context.api.erp`)."""

    def now(self) -> datetime:
        """The clock lateness and OEE's "not yet happened" are judged by."""
        return datetime.now(UTC)

    # --- by id and lists ----------------------------------------------------------------
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
        """A connection over `label` with the list's filter and order (see `resolvers.lists`)."""
        query = list_query(label, filter_input, order)
        if filter_input is not None:
            query = await self._refine(info, label, query, filter_input)
        found = await query_connection(
            info.context.store, query, TYPES[label], first, after, last, before
        )
        await prefetch_page(info, [edge.node for edge in found.edges])
        return found

    async def _refine(
        self, info: strawberry.Info, label: str, query: reads.ListQuery, filter_input: Any
    ) -> reads.ListQuery:
        """Add what the generic filter cannot express: flags, second ranges, risk, lateness."""
        extra: dict[str, Any] = {}
        ranges = []
        if label in ("SalesOrder", "PurchaseOrder"):
            ranges.append(_range(filter_input.ordered_at, "ordered_at"))
        if label == "SalesOrder":
            if filter_input.late is not None:
                extra["late"] = filter_input.late
                extra["now_ms"] = to_ms(self.now())
            if filter_input.min_risk_severity is not None:
                floor = _SEVERITIES.index(DomainSeverity(filter_input.min_risk_severity))
                at_risk = await erp_reads.sales_orders_at_risk(
                    info.context.store, [s.value for s in _SEVERITIES[floor:]]
                )
                ids = set(at_risk) if query.ids is None else set(at_risk) & set(query.ids)
                query = replace(query, ids=sorted(ids))
        if label == "RiskAlert" and filter_input.acknowledged is not None:
            extra["flags"] = {"acknowledged": filter_input.acknowledged}
        extra["ranges"] = tuple(r for r in ranges if r is not None)
        if not extra["ranges"] and len(extra) == 1:
            return query
        return _extended(query, **extra)

    # --- per-request loaders for nested aggregates --------------------------------------
    def _loader(
        self,
        info: strawberry.Info,
        key: tuple[Any, ...],
        load: Callable[[list[str]], Awaitable[list[Any]]],
    ) -> DataLoader[str, Any]:
        cache: dict[tuple[Any, ...], DataLoader[str, Any]] = info.context.extra.setdefault(
            _LOADERS_KEY, {}
        )
        loader = cache.get(key)
        if loader is None:
            loader = cache[key] = DataLoader(load_fn=load)
        return loader

    def bom_loader(self, info: strawberry.Info, max_depth: int) -> DataLoader[str, list[BomRow]]:
        """Explosions of many products to `max_depth` levels: one statement per batch."""
        if not 1 <= max_depth <= erp_reads.MAX_BOM_DEPTH:
            raise BadRequest(
                f"maxDepth must be between 1 and {erp_reads.MAX_BOM_DEPTH}, got {max_depth}"
            )
        store = info.context.store

        async def load(ids: list[str]) -> list[list[BomRow]]:
            found = await erp_reads.bom_explosions(store, ids, max_depth)
            return [found.get(i, []) for i in ids]

        return self._loader(info, ("bom", max_depth), load)

    def inventory_loader(self, info: strawberry.Info) -> DataLoader[str, list[LotSummary]]:
        """Lots per status of many materials: one aggregate statement per batch."""
        store = info.context.store

        async def load(ids: list[str]) -> list[list[LotSummary]]:
            found = await erp_reads.lots_by_status(store, ids)
            return [found.get(i, []) for i in ids]

        return self._loader(info, ("inventory",), load)

    def subject_loader(self, info: strawberry.Info, label: str) -> DataLoader[str, list[Record]]:
        """What many alerts (or predictions) are about: one statement per batch."""
        store = info.context.store

        async def load(ids: list[str]) -> list[list[Record]]:
            found = await erp_reads.subjects(store, label, ids)
            return [found.get(i, []) for i in ids]

        return self._loader(info, ("subjects", label), load)

    # --- OEE ----------------------------------------------------------------------------
    async def oee(
        self, info: strawberry.Info, machine_id: str, start: datetime, end: datetime
    ) -> Oee | None:
        from_ms, to_ms_ = to_ms(start), to_ms(end)
        assert from_ms is not None and to_ms_ is not None
        if to_ms_ <= from_ms:
            raise BadRequest("`to` must be after `from`")
        inputs = await erp_reads.oee_inputs(info.context.store, machine_id, from_ms, to_ms_)
        if inputs is None:
            return None
        now_ms = to_ms(self.now())
        assert now_ms is not None
        return oee_figures(machine_id, inputs, from_ms, to_ms_, now_ms)

    async def shift_oee(
        self,
        info: strawberry.Info,
        machine_ids: list[str] | None,
        line_id: str | None,
        start: datetime,
        end: datetime,
    ) -> ShiftOeeReport:
        """OEE per machine per shift (`resolvers.shift_oee`), judged by this object's clock."""
        return await shift_oee_report(
            info.context.store, machine_ids, line_id, start, end, now=self.now()
        )


# --- OEE of one machine over a window (the arithmetic is `domain.oee`) ------------------
def state_timeline(
    inputs: OeeInputs, from_ms: int, to_ms_: int, now_ms: int
) -> list[domain_oee.Stretch]:
    """The window cut into stretches of one state; `None` where the state is not known."""
    events = [domain_oee.StateEvent(e.at, domain_oee.parse_state(e.state)) for e in inputs.events]
    return domain_oee.timeline(events, from_ms, to_ms_, now_ms)


def oee_figures(machine_id: str, inputs: OeeInputs, from_ms: int, to_ms_: int, now_ms: int) -> Oee:
    """ISO 22400-2 availability, performance, quality and OEE, with their inputs.

    No shift calendar here: planned busy time is the time whose state is known.
    """
    stretches = state_timeline(inputs, from_ms, to_ms_, now_ms)
    times = domain_oee.state_times(stretches)
    fallback = inputs.machine_ideal_cycle_time_s
    counts = [
        domain_oee.CountLine(
            good=0.0 if b.status == BatchStatus.REJECTED else b.quantity,
            scrap=b.quantity if b.status == BatchStatus.REJECTED else 0.0,
            ideal_cycle_time_s=b.ideal_cycle_time_s or fallback,
        )
        for b in inputs.batches
    ]
    result = domain_oee.figures(times, times.known_s, counts)
    produced, ideal = result.produced, result.ideal_production_time_s
    cycle_time = ideal / produced if produced > 0 and ideal is not None else fallback
    window_s = (to_ms_ - from_ms) / 1000
    return Oee(
        machine_id=strawberry.ID(machine_id),
        start=instant(from_ms),  # type: ignore[arg-type]
        end=instant(to_ms_),  # type: ignore[arg-type]
        window_s=window_s,
        planned_busy_time_s=result.planned_busy_time_s,
        actual_production_time_s=result.actual_production_time_s,
        idle_time_s=result.idle_time_s,
        down_time_s=result.down_time_s,
        unknown_time_s=result.unknown_time_s,
        coverage=result.planned_busy_time_s / window_s,
        produced_count=produced,
        good_count=result.good,
        batch_count=len(inputs.batches),
        ideal_cycle_time_s=cycle_time,
        ideal_production_time_s=ideal,
        availability=result.availability,
        performance=result.performance,
        quality=result.quality,
        oee=result.oee,
        timeline=[
            StateInterval(
                state=s.state,
                start=instant(s.start_ms),  # type: ignore[arg-type]
                end=instant(s.end_ms),  # type: ignore[arg-type]
                duration_s=s.duration_s,
            )
            for s in stretches
        ],
    )
