"""Foresight inside the service: the promoted model, the live snapshot, the scoring loop.

`serve` loads the promoted model from `<data-dir>/models` (the demo trains a small one on
first run when there is none, in a child process: `app.foresight_supervisor`) and runs
the scoring loop beside the API: rescoring what
the ingest and mutations change, a whole-graph pass on a timer, predictions and risk
alerts into the graph, alert events on `riskAlerts`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from app.demo_training import DemoTraining
from graph.store import GraphStore
from inference.scoring.loop import ScoringLoop
from inference.scoring.scorer import Explanation
from inference.snapshot import TARGETS, GraphSnapshot
from resolvers.events import EventBus, SubscriberTooSlow
from resolvers.topics import (
    MACHINE_STATE_CHANGED,
    QUALITY_EVENTS,
    SALES_ORDERS,
    WORK_ORDER_PROGRESS,
)

log = logging.getLogger(__name__)

WHOLE_GRAPH_EVERY_S = 60.0
"""A whole-graph pass this often: drift, time passing, closed orders."""


@dataclass
class ForesightOptions:
    data_dir: Path
    demo_training: DemoTraining | None = None
    """Train this model in a child process when none is promoted (the demo's first run)."""


class ModelScorer:
    """The saved model as the scoring loop's `Scorer` (explanations by entity id)."""

    def __init__(self, scorer: Any) -> None:
        self.scorer = scorer
        self.version: str = scorer.version

    def score(self, snapshot: GraphSnapshot) -> Any:
        return self.scorer.score(snapshot)

    def explain(self, snapshot: GraphSnapshot, target: str, entity_id: str) -> Explanation:
        table = snapshot.nodes[TARGETS[target].node_type]
        found = self.scorer.explain(snapshot, target, table.ids.index(entity_id))
        return Explanation(
            top_features=[(f.name, f.value, f.attribution) for f in found.features],
            drivers=[(n.node_type, n.id, n.score_drop) for n in found.neighbours],
        )


PROMOTED_POINTER = Path("models") / "promoted"
"""`<data-dir>/models/promoted` names the promoted version (see inference.model.artifact)."""


def has_promoted_model(data_dir: Path) -> bool:
    """Whether a model is promoted, without importing torch (the pointer file)."""
    pointer = data_dir / PROMOTED_POINTER
    return pointer.is_file() and bool(pointer.read_text().strip())


def load_scorer(options: ForesightOptions) -> ModelScorer | None:
    """The promoted model, or None (logged) when there is none."""
    if not has_promoted_model(options.data_dir):
        log.info("foresight.off reason='no promoted model' (factorygraph train --promote)")
        return None
    from inference.model import commands

    try:
        scorer = commands.Scorer.load(options.data_dir)
    except LookupError:
        log.warning(
            "foresight.no_model data_dir=%s (factorygraph train --promote)", options.data_dir
        )
        return None
    _warn_on_stale_columns(scorer.artifact.standardizer.to_json())
    return ModelScorer(scorer)


def _warn_on_stale_columns(trained: dict[str, dict[str, Any]]) -> None:
    """A model from older code scores (columns align by name) but misses what it never saw."""
    from inference.simulation.features import FEATURES

    for node_type, names in FEATURES.items():
        known = trained.get(node_type, {}).get("features", [])
        new = [n for n in names if n not in known]
        if new:
            log.warning(
                "foresight.stale_model node_type=%s untrained_columns=%s "
                "(retrain: factorygraph train --promote)",
                node_type,
                ",".join(new),
            )


async def live_builder(store: GraphStore) -> GraphSnapshot:
    from inference.live_snapshot import live_snapshot

    return await live_snapshot(store, datetime.now(UTC))


CHANGES: dict[str, tuple[str, ...]] = {
    MACHINE_STATE_CHANGED: ("machineId",),
    QUALITY_EVENTS: ("subjectIds",),
    WORK_ORDER_PROGRESS: ("workOrderId", "batchId"),
    SALES_ORDERS: ("id",),
}
"""Bus topics that change what the model sees, and the event keys naming what changed."""


def changed_ids(topic: str, event: dict[str, Any]) -> list[str]:
    found: list[str] = []
    for key in CHANGES[topic]:
        value = event.get(key)
        if isinstance(value, list):
            found += [str(v) for v in value]
        elif value is not None:
            found.append(str(value))
    return found


class Foresight:
    """The scoring loop, fed by the event bus (ingest transitions, mutations) and a timer."""

    def __init__(self, store: GraphStore, scorer: ModelScorer, bus: EventBus) -> None:
        self.bus = bus
        self.loop = ScoringLoop(store, scorer, live_builder, bus.publish)
        self._tasks: list[asyncio.Task[None]] = []

    async def start(self) -> None:
        self.loop.start()
        self.loop.notify(None)
        self._tasks.append(asyncio.create_task(self._tick(), name="foresight-timer"))
        for topic in CHANGES:
            self._tasks.append(asyncio.create_task(self._listen(topic), name=f"foresight {topic}"))

    async def _tick(self) -> None:
        while True:
            await asyncio.sleep(WHOLE_GRAPH_EVERY_S)
            self.loop.notify(None)

    async def _listen(self, topic: str) -> None:
        while True:
            try:
                async for event in self.bus.subscribe(topic, max_queue=10_000):
                    self.loop.notify(changed_ids(topic, event))
            except SubscriberTooSlow:
                self.loop.notify(None)  # lost some: rescore everything, listen again

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await self.loop.stop()
