"""The operations simulator: plant histories with causes, cut into labelled snapshots."""

from inference.simulation.engine import simulate
from inference.simulation.features import FEATURES
from inference.simulation.history import History
from inference.simulation.scenario import BadLot, ForcedFailure, Scenario, SupplierDelay
from inference.simulation.snapshots import build_dataset, snapshot_at, snapshots

__all__ = [
    "FEATURES",
    "BadLot",
    "ForcedFailure",
    "History",
    "Scenario",
    "SupplierDelay",
    "build_dataset",
    "simulate",
    "snapshot_at",
    "snapshots",
]
