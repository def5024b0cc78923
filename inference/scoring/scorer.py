"""What the scoring loop needs from a model: scores per target, and why one entity scored high.

The model is trained elsewhere; the loop codes against this protocol so a trained graph
model, a baseline or a test's deterministic rule are interchangeable.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Protocol

from inference.snapshot import FloatArray, GraphSnapshot

Scores = dict[str, tuple[list[str], FloatArray]]
"""Target name -> (entity ids, probability per id, float in [0, 1])."""


@dataclass(frozen=True)
class Explanation:
    """Why an entity scored as it did: its own features and the neighbours that drove it."""

    top_features: list[tuple[str, float, float]] = field(default_factory=list)
    """(feature name, value, contribution), largest contribution first."""
    drivers: list[tuple[str, str, float]] = field(default_factory=list)
    """(node type, entity id, contribution) of neighbouring entities, largest first."""

    def to_json(self) -> str:
        """The form stored on a `RiskAlert` (a string property: both engines keep it as is)."""
        return json.dumps(
            {
                "topFeatures": [
                    {"name": n, "value": float(v), "contribution": float(c)}
                    for n, v, c in self.top_features
                ],
                "drivers": [
                    {"nodeType": t, "id": i, "contribution": float(c)} for t, i, c in self.drivers
                ],
            },
            sort_keys=True,
        )

    @classmethod
    def from_json(cls, text: str) -> Explanation:
        data = json.loads(text)
        return cls(
            top_features=[
                (f["name"], f["value"], f["contribution"]) for f in data.get("topFeatures", [])
            ],
            drivers=[(d["nodeType"], d["id"], d["contribution"]) for d in data.get("drivers", [])],
        )


class Scorer(Protocol):
    """A model as the scoring loop sees it."""

    @property
    def version(self) -> str:
        """Stored on every prediction and alert, so a score can be traced to its model."""
        ...

    def score(self, snapshot: GraphSnapshot) -> Scores:
        """Probabilities for every entity of each target's node type in `snapshot`."""
        ...

    def explain(self, snapshot: GraphSnapshot, target: str, entity_id: str) -> Explanation:
        """The features and neighbours behind `entity_id`'s score for `target`."""
        ...
