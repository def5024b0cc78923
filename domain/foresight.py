"""What the service says about its foresight model: off, training, scoring or failed.

A plain value the app keeps current (`app.foresight_supervisor`) and the `foresight`
query reads; it knows nothing of processes, files or GraphQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class ForesightState(StrEnum):
    OFF = "off"
    """No promoted model and no training running."""
    TRAINING = "training"
    SCORING = "scoring"
    FAILED = "failed"


@dataclass(frozen=True)
class ForesightReport:
    state: ForesightState
    message: str
    model_version: str | None = None
    progress: float | None = None
    """0..1 while training; None otherwise."""
    started_at: datetime | None = None
    finished_at: datetime | None = None


FORESIGHT_OFF = ForesightReport(
    ForesightState.OFF, "no promoted model (factorygraph train --promote)"
)
