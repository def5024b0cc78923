"""The ingest as one running thing: sessions per endpoint, one writer, status and gaps.

Used by `factorygraph ingest opcua` and inside `serve --demo`. It binds by discovery
(Machinery machines matched to graph machines by identity) unless a mapping file is
given, creates each bound variable's `Tag`, seeds the part counters with the values the
graph already holds (so a restart of the ingest does not count twice), and books counter
increments to the shift of the machine's site.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from asyncua import ua
from asyncua.client.client import Client

from domain.shift_calendar import Shift, ShiftCalendar
from domain.values import epoch_ms, from_epoch_ms
from graph.data_quality import record_data_gap
from graph.errors import NotFoundError
from graph.live_values import current_values, ensure_tags
from graph.machine_identity import machine_identities, machine_timezones
from graph.store import GraphStore
from ingest.opcua.bindings import Binding, Feed
from ingest.opcua.connection import ConnectionSettings
from ingest.opcua.counters import CounterBook, store_counts
from ingest.opcua.discovery import discover
from ingest.opcua.mapping import MappingError, MappingFile, resolve_mapping
from ingest.opcua.session import OpcUaSession
from ingest.opcua.status import snapshot, write_status
from ingest.opcua.writer import BatchingWriter, OnTransitions

log = logging.getLogger(__name__)

STATUS_EVERY_S = 2.0


@dataclass
class IngestOptions:
    endpoints: list[ConnectionSettings]
    mapping: MappingFile | None = None
    mapping_source: str = "mapping"
    calendar: ShiftCalendar = field(default_factory=ShiftCalendar.default)
    window_s: float = 0.1
    data_dir: Path | None = None
    """Where `ingest-status.json` goes (None: nowhere)."""


class _ShiftBook:
    """The shift of an instant on a machine's site, remembered while it lasts."""

    def __init__(self, calendar: ShiftCalendar, zones: dict[str, str]) -> None:
        self.calendar = calendar
        self.zones = zones
        self._current: dict[str, Shift | tuple[str, int, int]] = {}

    def __call__(self, machine_id: str, at: datetime) -> tuple[str, int, int]:
        held = self._current.get(machine_id)
        ms = epoch_ms(at)
        if isinstance(held, Shift) and epoch_ms(held.start) <= ms < epoch_ms(held.end):
            return held.id, epoch_ms(held.start), epoch_ms(held.end)
        if isinstance(held, tuple) and held[1] <= ms < held[2]:
            return held
        calendar = self.calendar.in_zone(self.zones.get(machine_id) or self.calendar.timezone)
        shift = calendar.shift_at(at)
        if shift is not None:
            self._current[machine_id] = shift
            return shift.id, epoch_ms(shift.start), epoch_ms(shift.end)
        day = at.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
        unplanned = (
            f"{day.date().isoformat()}/unplanned",
            epoch_ms(day),
            epoch_ms(day + timedelta(days=1)),
        )
        self._current[machine_id] = unplanned
        return unplanned


class IngestService:
    def __init__(
        self, store: GraphStore, options: IngestOptions, on_transitions: OnTransitions | None = None
    ) -> None:
        self.store = store
        self.options = options
        self.on_transitions = on_transitions
        self.sessions: list[OpcUaSession] = []
        self.writer: BatchingWriter | None = None
        self._identities: dict[tuple[str, str], str] = {}
        self._tasks: list[asyncio.Task[None]] = []
        self._rate = 0.0
        self._last = (time.monotonic(), 0)

    async def start(self) -> None:
        self._identities = await machine_identities(self.store)
        zones = await machine_timezones(self.store)
        counters = CounterBook(_ShiftBook(self.options.calendar, zones))
        self.writer = BatchingWriter(
            self.store,
            counters,
            partial(store_counts, self.store),
            self.on_transitions,
            window_s=self.options.window_s,
        )
        self._tasks.append(asyncio.create_task(self.writer.run(), name="ingest-writer"))
        for settings in self.options.endpoints:
            session = OpcUaSession(settings, self._bind, self.writer.submit, self._record_gap)
            self.sessions.append(session)
            self._tasks.append(
                asyncio.create_task(session.run(), name=f"ingest {settings.endpoint}")
            )
        self._tasks.append(asyncio.create_task(self._report(), name="ingest-status"))

    async def ready(self) -> None:
        """Wait until every endpoint has been subscribed once (raises what stopped one)."""
        waiting = [asyncio.ensure_future(s.ready()) for s in self.sessions]
        pending: set[asyncio.Future[None]] = {*waiting, *self._tasks}
        while not all(w.done() for w in waiting):
            done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                failure = task.exception()
                if task in self._tasks and failure is not None:
                    raise failure

    async def stop(self) -> None:
        for session in self.sessions:
            session.stop()
        if self.writer is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.writer.flush(), 5.0)
            self.writer.stop()
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._write_status()

    def state(self) -> dict[str, Any]:
        assert self.writer is not None
        return snapshot(
            [s.status for s in self.sessions], self.writer.stats, self.writer.depth, self._rate
        )

    # --- what the sessions and the writer call ----------------------------------------------
    async def _bind(self, client: Client) -> list[tuple[Binding, ua.NodeId]]:
        if self.options.mapping is not None:
            bound = await resolve_mapping(client, self.options.mapping, self.options.mapping_source)
        else:
            found = await discover(client, self._identities)
            if found.unmatched:
                log.warning("ingest.unmatched machines=%d (not in the graph)", len(found.unmatched))
            bound = found.bindings
        try:
            await ensure_tags(self.store, [b.tag for b, _ in bound])
        except NotFoundError as exc:
            raise MappingError(self.options.mapping_source, [str(exc)]) from None
        await self._seed_counters([b for b, _ in bound])
        return bound

    async def _seed_counters(self, bindings: list[Binding]) -> None:
        assert self.writer is not None
        counter_tags = {b.tag.tag_id: b for b in bindings if b.feed is Feed.COUNTER}
        stored = await current_values(self.store, list(counter_tags))
        for tag, row in stored.items():
            if isinstance(row.get("value"), int | float):
                b = counter_tags[tag]
                at = from_epoch_ms(row["ts"]) if row.get("ts") is not None else None
                self.writer.counters.baseline(b.machine_id, b.prop, float(row["value"]), at)

    async def _record_gap(self, start: datetime, end: datetime, machine_ids: list[str]) -> None:
        endpoints = ", ".join(
            s.settings.endpoint for s in self.sessions if s.machine_ids == machine_ids
        )
        await record_data_gap(self.store, machine_ids, start, end, endpoints or "OPC UA")

    async def _report(self) -> None:
        self._write_status()
        while True:
            await asyncio.sleep(STATUS_EVERY_S)
            now = time.monotonic()
            received = self.writer.stats.received if self.writer else 0
            then, before = self._last
            self._rate = (received - before) / (now - then) if now > then else 0.0
            self._last = (now, received)
            self._write_status()

    def _write_status(self) -> None:
        if self.options.data_dir is not None and self.writer is not None:
            try:
                write_status(self.options.data_dir, self.state())
            except OSError as exc:
                log.warning("ingest.status.unwritable error=%s", exc)
