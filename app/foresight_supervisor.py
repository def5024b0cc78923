"""Foresight's life in the service: the demo training in a child process, then scoring.

With a promoted model the scoring loop (`app.foresight.Foresight`) starts at once. With
none and a demo training asked for, a child (`python -m app.demo_training`) trains one
while the service already answers; this object follows the child's status file
(`app.training_status`), and when the child has promoted its model, loads it and starts
the scoring loop without a restart. `status()` is what the `foresight` query reports.

One training per data directory: a child still holding the training lock (left by a
service that did not stop cleanly) is followed instead of starting a second; on
shutdown the service's own child is terminated.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import sys
from collections.abc import Sequence
from datetime import UTC, datetime

from app import training_status
from app.foresight import Foresight, ForesightOptions, ModelScorer, has_promoted_model, load_scorer
from app.training_status import TrainingStatus
from domain.foresight import FORESIGHT_OFF, ForesightReport, ForesightState
from graph.store import GraphStore
from resolvers.events import EventBus

log = logging.getLogger(__name__)

POLL_S = 0.5
"""How often the status file is read while a training runs."""

STOP_GRACE_S = 5.0
"""How long the child may take to exit after SIGTERM before it is killed."""

TRAINING_LOG = "foresight-training.log"


class ForesightSupervisor:
    """Starts scoring or the demo training, follows the training, and reports the state."""

    def __init__(
        self,
        store: GraphStore,
        bus: EventBus,
        options: ForesightOptions,
        *,
        command: Sequence[str] | None = None,
    ) -> None:
        self.store = store
        self.bus = bus
        self.options = options
        self.command = list(command) if command is not None else self._child_command()
        self.foresight: Foresight | None = None
        self._report = FORESIGHT_OFF
        self._process: asyncio.subprocess.Process | None = None
        self._follow: asyncio.Task[None] | None = None

    def status(self) -> ForesightReport:
        return self._report

    def _child_command(self) -> list[str]:
        training = self.options.demo_training
        params = training.model_dump_json() if training is not None else "{}"
        return [
            sys.executable,
            "-m",
            "app.demo_training",
            "--data-dir",
            str(self.options.data_dir),
            "--params",
            params,
            "--parent",
            str(os.getpid()),
        ]

    async def start(self) -> None:
        data_dir = self.options.data_dir
        if has_promoted_model(data_dir):
            await self._score(None)
        elif self.options.demo_training is None:
            log.info("foresight.off reason='no promoted model' (factorygraph train --promote)")
        elif training_status.is_locked(data_dir):
            log.warning("foresight.training_running data_dir=%s (following it)", data_dir)
            self._report = ForesightReport(ForesightState.TRAINING, "training", progress=0.0)
            self._follow = asyncio.create_task(self._watch(None), name="foresight-training")
        else:
            data_dir.mkdir(parents=True, exist_ok=True)
            with (data_dir / TRAINING_LOG).open("ab") as output:
                self._process = await asyncio.create_subprocess_exec(
                    *self.command, stdout=output, stderr=asyncio.subprocess.STDOUT
                )
            log.info("foresight.training_started pid=%s log=%s", self._process.pid, TRAINING_LOG)
            self._report = ForesightReport(
                ForesightState.TRAINING,
                "starting the demo training",
                progress=0.0,
                started_at=datetime.now(UTC),
            )
            watch = self._watch(self._process)
            self._follow = asyncio.create_task(watch, name="foresight-training")

    async def _watch(self, process: asyncio.subprocess.Process | None) -> None:
        """Follow the status file until the child (ours, or one we found running) ends."""
        data_dir = self.options.data_dir
        returncode: int | None = None
        while True:
            if process is not None:
                with contextlib.suppress(TimeoutError):
                    returncode = await asyncio.wait_for(process.wait(), POLL_S)
            else:
                await asyncio.sleep(POLL_S)
            status = self._own(training_status.read(data_dir), process)
            if status is not None and status.state == training_status.TRAINING:
                self._report = _report_of(status)
            ended = returncode is not None if process is not None else not _still_training(status)
            if ended:
                break
        if status is not None and status.state == training_status.SUCCEEDED:
            await self._score(status)
            return
        if status is not None and status.state == training_status.FAILED:
            message = status.message
        else:
            message = f"the training process exited with code {returncode}"
        log.error("foresight.training_failed message=%r log=%s", message, TRAINING_LOG)
        self._report = ForesightReport(
            ForesightState.FAILED,
            message,
            started_at=self._report.started_at,
            finished_at=datetime.now(UTC),
        )

    def _own(
        self, status: TrainingStatus | None, process: asyncio.subprocess.Process | None
    ) -> TrainingStatus | None:
        """The status if our child wrote it (a file from an earlier run is not its news)."""
        if status is None or process is None or status.pid == process.pid:
            return status
        return None

    async def _score(self, trained: TrainingStatus | None) -> None:
        """Load the promoted model and start the scoring loop."""
        try:
            scorer: ModelScorer | None = await asyncio.to_thread(load_scorer, self.options)
        except Exception as exc:
            log.exception("foresight.load_failed")
            scorer, problem = None, f"the promoted model could not be loaded: {exc}"
        else:
            problem = "no promoted model could be loaded"
        started = trained.started_at if trained else None
        finished = trained.finished_at if trained else None
        if scorer is None:
            self._report = ForesightReport(
                ForesightState.FAILED, problem, started_at=started, finished_at=finished
            )
            return
        self.foresight = Foresight(self.store, scorer, self.bus)
        await self.foresight.start()
        log.info("foresight.scoring model_version=%s", scorer.version)
        self._report = ForesightReport(
            ForesightState.SCORING,
            f"scoring with model {scorer.version}",
            model_version=scorer.version,
            started_at=started,
            finished_at=finished,
        )

    async def stop(self) -> None:
        if self._follow is not None:
            self._follow.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._follow
        process = self._process
        if process is not None and process.returncode is None:
            log.info("foresight.training_stopped pid=%s", process.pid)
            process.terminate()
            try:
                await asyncio.wait_for(process.wait(), STOP_GRACE_S)
            except TimeoutError:
                process.kill()
                await process.wait()
        if self.foresight is not None:
            await self.foresight.stop()


def _still_training(status: TrainingStatus | None) -> bool:
    return status is not None and status.state == training_status.TRAINING


def _report_of(status: TrainingStatus) -> ForesightReport:
    return ForesightReport(
        ForesightState.TRAINING,
        status.message,
        progress=min(max(status.progress, 0.0), 1.0),
        started_at=status.started_at,
    )
