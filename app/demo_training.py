"""The demo's first-run foresight training, as a child process of the service.

`python -m app.demo_training --data-dir D [--params JSON]` trains a small model on the
simulator, promotes it and reports through `app.training_status` (status file plus lock).
It runs in its own process so the service answers at once and its event loop never
waits on torch; it dies with its parent (Linux `PR_SET_PDEATHSIG`), so a service killed
outright leaves no training behind.
"""

from __future__ import annotations

import argparse
import ctypes
import logging
import os
import signal
import sys
from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from app import training_status
from app.logs import configure_logging
from app.training_status import TrainingStatus

log = logging.getLogger(__name__)


class DemoTraining(BaseModel):
    """What the demo trains: a small model (about a minute and a half on 2 cores).

    Settable as JSON in `FACTORYGRAPH_DEMO_TRAINING` (tests run a tiny one in seconds).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    seeds: list[int] = Field(default_factory=lambda: [1, 2, 3])
    val_seeds: list[int] = Field(default_factory=lambda: [4])
    days: float = 30.0
    every_h: float = 12.0
    epochs: int = Field(default=40, ge=1)
    seed: int = 0
    time_budget_s: float = 75.0
    hidden: int = 64


_PR_SET_PDEATHSIG = 1


def _die_with_parent(parent: int) -> None:
    """Ask Linux to SIGTERM this process when its parent goes (no-op elsewhere)."""
    if not sys.platform.startswith("linux"):
        return
    with_errno = ctypes.CDLL(None, use_errno=True)
    with_errno.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != parent:  # the parent went before the call took effect
        sys.exit(1)


def train(data_dir: Path, params: DemoTraining) -> int:
    """Train and promote under the lock, reporting as it goes; the exit status."""
    started = datetime.now(UTC)
    pid = os.getpid()

    def report(state: str, progress: float, message: str, version: str | None = None) -> None:
        finished = None if state == training_status.TRAINING else datetime.now(UTC)
        status = TrainingStatus(state, pid, progress, message, started, finished, version)
        training_status.write(data_dir, status)

    with training_status.hold_lock(data_dir) as lock:
        if lock is None:
            log.error("demo_training.busy data_dir=%s (another training holds the lock)", data_dir)
            return 3
        report(training_status.TRAINING, 0.0, "starting")
        try:
            from inference.model import commands

            version = commands.train(
                data_dir,
                params.seeds,
                params.days,
                params.every_h,
                epochs=params.epochs,
                seed=params.seed,
                time_budget_s=params.time_budget_s,
                val_seeds=params.val_seeds,
                hidden=params.hidden,
                progress=False,
                on_progress=lambda p: report(training_status.TRAINING, p.fraction, p.message),
            )
            commands.promote(data_dir, version)
        except Exception as exc:
            log.exception("demo_training.failed")
            report(training_status.FAILED, 0.0, f"training failed: {exc}")
            return 1
        report(training_status.SUCCEEDED, 1.0, f"model {version} promoted", version)
        log.info("demo_training.promoted version=%s", version)
        return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--params", default="{}", help="DemoTraining as JSON")
    parser.add_argument("--parent", type=int, default=None, help="die when this pid exits")
    parser.add_argument("--log-level", default="INFO")
    args = parser.parse_args(argv)
    configure_logging(args.log_level)
    if args.parent is not None:
        _die_with_parent(args.parent)
    return train(args.data_dir, DemoTraining.model_validate_json(args.params))


if __name__ == "__main__":
    sys.exit(main())
