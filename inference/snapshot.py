"""The one shape every part of foresight shares: a typed graph at an instant, with labels.

The operations simulator produces snapshots with ground-truth labels (what happened
later in the simulation); the online scorer builds the same shape from the graph store
(no labels); the model trains on the first and scores the second. Node types are the
graph's labels in snake case; every feature column is named, so attributions and the
model artifact's feature list can say what drove a score.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float32]
IndexArray = npt.NDArray[np.int64]

NODE_TYPES = (
    "machine",
    "work_order",
    "operation",
    "sales_order",
    "batch",
    "material_lot",
    "material",
    "supplier",
)
"""Node types a snapshot may hold (graph label in snake case)."""

EdgeType = tuple[str, str, str]
"""(source node type, relationship in snake case, target node type)."""


@dataclass(frozen=True)
class Target:
    name: str
    node_type: str
    horizon_h: float
    description: str


TARGETS: dict[str, Target] = {
    t.name: t
    for t in (
        Target(
            "machine_failure",
            "machine",
            24.0,
            "the machine fails (goes out of service for a failure) within 24 h",
        ),
        Target(
            "work_order_late",
            "work_order",
            72.0,
            "an open work order finishes after its planned end (known within 72 h)",
        ),
        Target(
            "sales_order_late",
            "sales_order",
            168.0,
            "an open sales order ships after its due date (known within 7 days)",
        ),
        Target(
            "batch_quality_escape",
            "batch",
            168.0,
            "a batch that passed release is later found defective (within 7 days)",
        ),
        Target(
            "material_shortage",
            "material",
            72.0,
            "a material's available stock cannot cover demand within 72 h",
        ),
    )
}


@dataclass
class NodeTable:
    ids: list[str]
    features: FloatArray
    """float32 [len(ids), len(feature_names)]; missing values are 0 with an indicator column."""
    feature_names: list[str]

    def __post_init__(self) -> None:
        if self.features.shape != (len(self.ids), len(self.feature_names)):
            raise ValueError(
                f"features {self.features.shape} do not match "
                f"{len(self.ids)} ids x {len(self.feature_names)} names"
            )


@dataclass
class Labels:
    """Ground truth of one target: which nodes of its type are labelled, and how."""

    index: IndexArray
    """Row positions in the target node type's table (only entities the label is known for)."""
    y: FloatArray
    """0/1 per labelled row."""


@dataclass
class GraphSnapshot:
    at: datetime
    nodes: dict[str, NodeTable]
    edges: dict[EdgeType, IndexArray] = field(default_factory=dict)
    """int64 [2, e]: row positions in the source and target tables."""
    labels: dict[str, Labels] = field(default_factory=dict)
    """Target name -> labels (empty when built from the live store)."""
    seed: int | None = None
    """The simulation seed, for held-out-seed evaluation (None: the live plant)."""
