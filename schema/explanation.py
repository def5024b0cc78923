"""Why the model raised an alert: the entity's own features and the neighbours that drove it."""

from __future__ import annotations

import json
from typing import Any

import strawberry


@strawberry.type(description="One of the entity's own features and its contribution.")
class FeatureContribution:
    name: str
    value: float
    contribution: float


@strawberry.type(description="A neighbouring entity that drove the score (occlusion drop).")
class DriverContribution:
    node_type: str
    id: strawberry.ID
    contribution: float


@strawberry.type(description="The explanation stored with a risk alert, largest first.")
class AlertExplanation:
    top_features: list[FeatureContribution]
    drivers: list[DriverContribution]

    @classmethod
    def parse(cls, data: Any) -> AlertExplanation | None:
        """From the stored JSON text (or its parsed form in a bus event); None when absent."""
        if data is None:
            return None
        if isinstance(data, str):
            data = json.loads(data)
        return cls(
            top_features=[
                FeatureContribution(
                    name=f["name"], value=float(f["value"]), contribution=float(f["contribution"])
                )
                for f in data.get("topFeatures", [])
            ],
            drivers=[
                DriverContribution(
                    node_type=d["nodeType"],
                    id=strawberry.ID(str(d["id"])),
                    contribution=float(d["contribution"]),
                )
                for d in data.get("drivers", [])
            ],
        )
