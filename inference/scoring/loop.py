"""The scoring loop: rescore what changed, store predictions, move alerts, tell subscribers.

Change notifications (ingest state transitions, mutations) arrive through `notify`; the
background task waits `window_s` after the first one so a burst becomes one pass, then
rescores the union. A pass with ids scores only the neighbourhood those ids can move
(`graph.predictions.rescoring_scope`, cut from the snapshot by `neighbourhood.restrict`)
and touches only those entities' predictions and alerts; `None` rescores everything.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import logging
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from domain.states import Severity
from graph import predictions as store_predictions
from graph.predictions import AlertRow, PredictionRow
from graph.store import GraphStore, Record
from inference.scoring.events import RISK_ALERTS, Event, alert_event
from inference.scoring.hysteresis import AlertBook, AlertKey, AlertPolicy, Change, OpenAlert
from inference.scoring.neighbourhood import restrict
from inference.scoring.scorer import Explanation, Scorer
from inference.snapshot import TARGETS, GraphSnapshot

log = logging.getLogger(__name__)

Publish = Callable[[str, Event], Awaitable[None]]
SnapshotBuilder = Callable[[GraphStore], GraphSnapshot | Awaitable[GraphSnapshot]]
MAX_DRIVERS = 5


@dataclass
class PassReport:
    """What one pass did (logged, and returned for tests and benchmarks)."""

    scope: dict[str, list[str]] | None
    scored: int = 0
    predictions: int = 0
    opened: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    closed: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)


class ScoringLoop:
    def __init__(
        self,
        store: GraphStore,
        scorer: Scorer,
        snapshot_builder: SnapshotBuilder,
        publish: Publish,
        *,
        policy: AlertPolicy | None = None,
        policies: dict[str, AlertPolicy] | None = None,
        window_s: float = 0.5,
        hops: int = 3,
        clock: Callable[[], int] | None = None,
    ) -> None:
        self.store = store
        self.scorer = scorer
        self.snapshot_builder = snapshot_builder
        self.publish = publish
        self.book = AlertBook(policy, policies)
        self.window_s = window_s
        self.hops = hops
        self.clock = clock or (lambda: int(time.time() * 1000))
        self._alert_ids: dict[AlertKey, str] = {}
        self._restored = False
        self._pending: set[str] = set()
        self._everything = False
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._lock = asyncio.Lock()

    # --- change notifications -----------------------------------------------------------
    def notify(self, ids: Iterable[str] | None = None) -> None:
        """Something changed (None: unknown, rescore everything); the task picks it up."""
        if ids is None:
            self._everything = True
        else:
            self._pending.update(ids)
        self._wake.set()

    def start(self) -> None:
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run(), name="scoring-loop")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        while True:
            await self._wake.wait()
            await asyncio.sleep(self.window_s)  # coalesce a burst into one pass
            self._wake.clear()
            changed: set[str] | None = None if self._everything else set(self._pending)
            self._pending.clear()
            self._everything = False
            try:
                report = await self.rescore(changed)
            except Exception:  # a failed pass must not end the loop
                log.exception("scoring.pass_failed")
                continue
            log.info(
                "scoring.pass scored=%d predictions=%d opened=%d changed=%d closed=%d",
                report.scored,
                report.predictions,
                len(report.opened),
                len(report.changed),
                len(report.closed),
            )

    # --- one pass -----------------------------------------------------------------------
    async def rescore(self, changed_entity_ids: Iterable[str] | None = None) -> PassReport:
        """Score the whole graph (None) or what `changed_entity_ids` can move; apply alerts."""
        async with self._lock:
            return await self._rescore(
                None if changed_entity_ids is None else sorted(set(changed_entity_ids))
            )

    async def _rescore(self, changed: list[str] | None) -> PassReport:
        timer = _Timer()
        await self._restore()
        now = self.clock()
        snapshot = await self._snapshot()
        timer.lap("snapshot")
        scope: dict[str, list[str]] | None = None
        if changed is not None:
            scope = await store_predictions.rescoring_scope(self.store, changed)
            snapshot = restrict(snapshot, scope, self.hops)
            timer.lap("scope")
        report = PassReport(scope)
        scores = self.scorer.score(snapshot)
        timer.lap("score")
        rows: list[PredictionRow] = []
        stepped: list[tuple[str, str, float]] = []
        for target, (ids, probabilities) in scores.items():
            spec = TARGETS[target]
            wanted = None if scope is None else set(scope.get(spec.node_type, ()))
            for entity_id, p in zip(ids, np.asarray(probabilities, dtype=float), strict=True):
                if wanted is not None and entity_id not in wanted:
                    continue
                rows.append(
                    PredictionRow(
                        target,
                        spec.node_type,
                        entity_id,
                        float(p),
                        spec.horizon_h,
                        now,
                        self.scorer.version,
                    )
                )
                stepped.append((target, entity_id, float(p)))
            if scope is None:  # an entity no longer scored (order done, machine gone) clears
                seen = set(ids)
                stepped.extend(
                    (t, e, 0.0) for t, e in self.book.open_keys() if t == target and e not in seen
                )
        report.scored = len(rows)
        report.predictions = await store_predictions.write_predictions(self.store, rows)
        timer.lap("predictions")
        await self._apply_alerts(snapshot, stepped, now, report)
        timer.lap("alerts")
        report.seconds = timer.laps
        return report

    async def _apply_alerts(
        self,
        snapshot: GraphSnapshot,
        stepped: list[tuple[str, str, float]],
        now: int,
        report: PassReport,
    ) -> None:
        opening: list[tuple[AlertKey, OpenAlert, Change | None]] = []
        closing: list[tuple[str, float]] = []
        for target, entity_id, p in stepped:
            key = (target, entity_id)
            decision = self.book.step(key, p, now)
            if decision.change is Change.CLOSED and decision.alert is not None:
                closing.append((self._alert_ids.pop(key), p))
            elif decision.alert is not None:
                opening.append((key, decision.alert, decision.change))
        rows = await self._alert_rows(snapshot, opening, now)
        stored = await store_predictions.upsert_alerts(self.store, rows)
        closed = await store_predictions.close_alerts(self.store, closing, now)
        events: list[Record] = []
        for key, _alert, change in opening:
            alert_id = self._alert_ids[key]
            if change is Change.OPENED:
                report.opened.append(alert_id)
            elif change is Change.SEVERITY:
                report.changed.append(alert_id)
            else:
                continue
            events.append(stored[alert_id])
        report.closed.extend(closed)
        events.extend(closed.values())
        for record in events:
            await self._publish(alert_event(record))

    async def _alert_rows(
        self,
        snapshot: GraphSnapshot,
        opening: list[tuple[AlertKey, OpenAlert, Change | None]],
        now: int,
    ) -> list[AlertRow]:
        by_type: dict[str, list[str]] = {}
        for (target, entity_id), _alert, _change in opening:
            by_type.setdefault(TARGETS[target].node_type, []).append(entity_id)
        affected: dict[tuple[str, str], list[str]] = {}
        for node_type, ids in by_type.items():
            found = await store_predictions.affected_sales_orders(self.store, node_type, ids)
            affected.update({(node_type, i): orders for i, orders in found.items()})
        rows = []
        for key, alert, change in opening:
            target, entity_id = key
            spec = TARGETS[target]
            alert_id = self._alert_ids.setdefault(key, f"RA-{target}-{entity_id}-{alert.since_ms}")
            explanation: Explanation | None = None
            if change is not None:  # explain on open or severity change, not every pass
                explanation = self.scorer.explain(snapshot, target, entity_id)
            drivers = [] if explanation is None else explanation.drivers[:MAX_DRIVERS]
            rows.append(
                AlertRow(
                    id=alert_id,
                    kind=target,
                    node_type=spec.node_type,
                    entity_id=entity_id,
                    severity=alert.severity.value,
                    message=_message(spec.description, entity_id, alert.probability, explanation),
                    probability=alert.probability,
                    horizon_h=spec.horizon_h,
                    created_at=alert.since_ms,
                    updated_at=now,
                    model_version=self.scorer.version,
                    explanation=None if explanation is None else explanation.to_json(),
                    drivers=[(t, i) for t, i, _c in drivers],
                    sales_order_ids=affected.get((spec.node_type, entity_id), []),
                )
            )
        return rows

    async def _publish(self, event: Event) -> None:
        try:
            await self.publish(RISK_ALERTS, event)
        except Exception:  # the alert is stored; a lost event must not fail the pass
            log.exception("scoring.publish_failed id=%s", event.get("id"))

    async def _snapshot(self) -> GraphSnapshot:
        built = self.snapshot_builder(self.store)
        if inspect.isawaitable(built):
            return await built
        return built

    async def _restore(self) -> None:
        """Take back the alerts still open in the graph, once, so a restart does not re-raise."""
        if self._restored:
            return
        for row in await store_predictions.open_alerts(self.store):
            if row["kind"] not in TARGETS:
                continue
            key = (row["kind"], row["entity_id"])
            policy = self.book.policy_for(row["kind"])
            p = float(row["probability"] or policy.raise_at)
            self.book.restore(
                key,
                OpenAlert(
                    int(row["created_at"]),
                    _severity(row["severity"], policy, p),
                    p,
                    int(row["updated_at"]),
                ),
            )
            self._alert_ids[key] = row["id"]
        self._restored = True


def _severity(stored: Any, policy: AlertPolicy, p: float) -> Severity:
    try:
        return Severity(stored)
    except ValueError:
        return policy.band(p)


def _message(description: str, entity_id: str, p: float, explanation: Explanation | None) -> str:
    text = f"{entity_id}: {description} (p={p:.2f})"
    if explanation is not None and explanation.top_features:
        text += "; top: " + ", ".join(name for name, _v, _c in explanation.top_features[:3])
    return text[:500]


class _Timer:
    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = now - self._last
        self._last = now
