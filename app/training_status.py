"""The demo training's status file: how a training child process tells the service where it is.

Protocol, in `<data-dir>/`:

- `foresight-training.json`, rewritten atomically (temporary file, then rename) by the
  child at each stage and epoch: `{"state": "training" | "succeeded" | "failed",
  "pid": int, "progress": 0..1, "message": str, "started_at": ISO-8601,
  "finished_at": ISO-8601 | null, "model_version": str | null, "updated_at": ISO-8601}`;
  `model_version` is set on success (the version it promoted), `message` says why on failure.
- `foresight-training.lock`: the child holds an exclusive `flock` on it for as long as it
  runs. A file that says "training" while nobody holds the lock is stale (its child died,
  say killed with its service): `read` reports it as failed, never as training.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
from collections.abc import Iterator
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

STATUS_FILE = "foresight-training.json"
LOCK_FILE = "foresight-training.lock"

TRAINING, SUCCEEDED, FAILED = "training", "succeeded", "failed"

STALE_MESSAGE = "the training process ended without finishing"


@dataclass(frozen=True)
class TrainingStatus:
    state: str
    pid: int
    progress: float
    message: str
    started_at: datetime
    finished_at: datetime | None = None
    model_version: str | None = None

    def to_json(self) -> str:
        data: dict[str, Any] = asdict(self)
        for key in ("started_at", "finished_at"):
            data[key] = data[key].isoformat() if data[key] is not None else None
        data["updated_at"] = datetime.now(UTC).isoformat()
        return json.dumps(data)

    @classmethod
    def from_json(cls, text: str) -> TrainingStatus:
        data = json.loads(text)
        finished = data.get("finished_at")
        return cls(
            state=str(data["state"]),
            pid=int(data["pid"]),
            progress=float(data["progress"]),
            message=str(data["message"]),
            started_at=datetime.fromisoformat(data["started_at"]),
            finished_at=datetime.fromisoformat(finished) if finished else None,
            model_version=data.get("model_version"),
        )


def status_path(data_dir: Path) -> Path:
    return data_dir / STATUS_FILE


def write(data_dir: Path, status: TrainingStatus) -> None:
    """Replace the status file in one rename, so a reader never sees half of it."""
    path = status_path(data_dir)
    partial = path.with_suffix(f".{os.getpid()}.tmp")
    partial.write_text(status.to_json())
    partial.replace(path)


def read(data_dir: Path) -> TrainingStatus | None:
    """The last status a child wrote (a stale "training" reads as failed); None if unreadable."""
    try:
        status = TrainingStatus.from_json(status_path(data_dir).read_text())
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if status.state == TRAINING and not is_locked(data_dir):
        return replace(status, state=FAILED, message=STALE_MESSAGE)
    return status


def is_locked(data_dir: Path) -> bool:
    """Whether a training child holds the lock now."""
    path = data_dir / LOCK_FILE
    if not path.exists():
        return False
    with path.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
        return False


@contextlib.contextmanager
def hold_lock(data_dir: Path) -> Iterator[IO[str] | None]:
    """The training lock for this process (None when another process holds it)."""
    with (data_dir / LOCK_FILE).open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield None
            return
        try:
            yield handle
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
