"""The batching writer: many OPC UA changes, few graph statements.

Samples arrive in whole publish responses. Within a short window the writer keeps only
the newest reading per (machine, property) — a temperature that changed ten times is
written once — but keeps every state reading in order, because each transition is a
`StateChange` that OEE's time buckets are cut from. A flush is one `UNWIND` statement for
the values, one per round of state readings (at most one reading per machine a round),
and one for the production counts.

When the graph cannot be reached, nothing is lost silently: values stay coalesced (the
newest per property, so that buffer is bounded by the number of tags), counts keep
accumulating, and state readings are kept up to `max_states`; beyond that the oldest
are dropped and counted in `dropped`, which the metrics and `ingest status` report.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from domain.values import epoch_ms
from graph.live_values import TagValue, write_values
from graph.machine_state import StateReading, StateTransition, record_states
from graph.store import GraphStore
from ingest.opcua.address_space import machine_state
from ingest.opcua.bindings import Feed
from ingest.opcua.counters import CounterBook, PendingCount
from ingest.opcua.samples import Sample

log = logging.getLogger(__name__)

WriteCounts = Callable[[list[PendingCount]], Awaitable[None]]
OnTransitions = Callable[[list[StateTransition]], Awaitable[None]]


@dataclass
class WriterStats:
    received: int = 0
    written_values: int = 0
    state_changes: int = 0
    coalesced: int = 0
    stale: int = 0
    """Readings older than what the writer already held for that property."""
    not_good: int = 0
    dropped: int = 0
    """State readings dropped because the graph stayed unreachable too long."""
    failed_flushes: int = 0
    flushes: int = 0
    lags: deque[float] = field(default_factory=lambda: deque(maxlen=100_000))
    """Receipt-to-graph latency of written values, seconds (the newest 100,000)."""
    source_lags: deque[float] = field(default_factory=lambda: deque(maxlen=100_000))
    """Source-to-graph latency (SourceTimestamp to commit; needs synchronised clocks)."""


class BatchingWriter:
    def __init__(
        self,
        store: GraphStore,
        counters: CounterBook,
        write_counts: WriteCounts,
        on_transitions: OnTransitions | None = None,
        *,
        window_s: float = 0.1,
        max_states: int = 100_000,
        retry_s: float = 1.0,
    ) -> None:
        self.store = store
        self.counters = counters
        self.write_counts = write_counts
        self.on_transitions = on_transitions
        self.window_s = window_s
        self.max_states = max_states
        self.retry_s = retry_s
        self.stats = WriterStats()
        self._values: dict[str, tuple[TagValue, float]] = {}
        self._states: deque[tuple[StateReading, float]] = deque()
        self._wake = asyncio.Event()
        self._idle = asyncio.Event()
        self._idle.set()
        self._stopping = False

    @property
    def depth(self) -> int:
        """Readings waiting for the graph."""
        return len(self._values) + len(self._states) + len(self.counters.pending)

    def submit(self, samples: list[Sample]) -> None:
        """Take a publish response's samples (synchronous: no task per sample)."""
        self.stats.received += len(samples)
        for s in samples:
            b = s.binding
            if s.quality != "good":
                self.stats.not_good += 1
            if b.feed is Feed.STATE and s.quality == "good":
                state = machine_state(str(s.value))
                if state is not None:
                    self._states.append(
                        (StateReading(b.machine_id, state, s.source_time), s.received)
                    )
                    if len(self._states) > self.max_states:
                        self._states.popleft()
                        self.stats.dropped += 1
            elif (
                b.feed is Feed.COUNTER and s.quality == "good" and isinstance(s.value, int | float)
            ):
                self.counters.reading(b.machine_id, b.prop, float(s.value), s.source_time)
            elif b.feed is Feed.WORK_ORDER and s.quality == "good":
                self.counters.work_order[b.machine_id] = str(s.value) if s.value else None
            self._keep_value(s)
        self._idle.clear()
        self._wake.set()

    def _keep_value(self, s: Sample) -> None:
        tag = s.binding.tag_id
        ms = epoch_ms(s.source_time)
        held = self._values.get(tag)
        if held is not None:
            if ms < held[0].source_ms:
                self.stats.stale += 1
                return
            self.stats.coalesced += 1
        self._values[tag] = (TagValue(tag, s.value, ms, s.quality, s.status), s.received)

    async def run(self) -> None:
        """Flush every `window_s` while there is something to write, until `stop()`."""
        while not self._stopping:
            await self._wake.wait()
            self._wake.clear()
            await asyncio.sleep(self.window_s)
            try:
                await self.flush()
            except Exception as exc:  # the graph is away: keep everything, retry
                self.stats.failed_flushes += 1
                log.warning("ingest.flush.failed error=%s buffered=%d", exc, self.depth)
                self._wake.set()
                await asyncio.sleep(self.retry_s)

    async def flush(self) -> None:
        """Write everything buffered; on failure the unwritten part stays buffered."""
        if self._values:
            held, self._values = self._values, {}
            try:
                await write_values(self.store, [v for v, _ in held.values()])
            except Exception:
                for tag, item in held.items():  # newer readings that came meanwhile win
                    current = self._values.get(tag)
                    if current is None or current[0].source_ms < item[0].source_ms:
                        self._values[tag] = item
                raise
            now = time.time()
            self.stats.written_values += len(held)
            self.stats.lags.extend(now - received for _, received in held.values())
            self.stats.source_lags.extend(now - v.source_ms / 1000 for v, _ in held.values())
        while self._states:
            await self._flush_state_round()
        counts = self.counters.take()
        if counts:
            try:
                await self.write_counts(counts)
            except Exception:
                self.counters.give_back(counts)
                raise
        self.stats.flushes += 1
        if not self.depth:
            self._idle.set()

    async def _flush_state_round(self) -> None:
        """The oldest reading of each machine (one statement), in arrival order."""
        seen: set[str] = set()
        round_: list[tuple[StateReading, float]] = []
        rest: deque[tuple[StateReading, float]] = deque()
        for item in self._states:
            if item[0].machine_id in seen:
                rest.append(item)
            else:
                seen.add(item[0].machine_id)
                round_.append(item)
        transitions = await record_states(self.store, [r for r, _ in round_])
        self._states = rest  # only once written: a failure keeps the round buffered
        changed = [t for t in transitions if t.change_id is not None]
        self.stats.state_changes += len(changed)
        if changed and self.on_transitions is not None:
            await self.on_transitions(changed)

    async def drained(self) -> None:
        """Wait until everything submitted so far is in the graph."""
        await self._idle.wait()

    def stop(self) -> None:
        self._stopping = True
        self._wake.set()
