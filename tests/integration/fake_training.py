"""A stand-in for `app.demo_training` that speaks only the status-file protocol.

`python -m tests.integration.fake_training DATA_DIR MODE`: `fail` reports an epoch, then
fails; `hang` reports an epoch and sleeps, holding the lock; `crash` exits 2 without a
word. Each run appends its pid to `fake-runs.txt`, so a test can count trainings.
"""

from __future__ import annotations

import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from app import training_status
from app.training_status import TrainingStatus


def main() -> int:
    data_dir, mode = Path(sys.argv[1]), sys.argv[2]
    with (data_dir / "fake-runs.txt").open("a") as runs:
        runs.write(f"{os.getpid()}\n")
    if mode == "crash":
        return 2
    started = datetime.now(UTC)
    with training_status.hold_lock(data_dir) as lock:
        assert lock is not None
        status = TrainingStatus(training_status.TRAINING, os.getpid(), 0.5, "epoch 1/2", started)
        training_status.write(data_dir, status)
        if mode == "hang":
            time.sleep(600)
        time.sleep(float(os.environ.get("FAKE_TRAINING_PAUSE_S", "1.5")))
        failed = TrainingStatus(
            training_status.FAILED,
            os.getpid(),
            0.5,
            "training failed: no snapshots",
            started,
            datetime.now(UTC),
        )
        training_status.write(data_dir, failed)
        return 1


if __name__ == "__main__":
    sys.exit(main())
