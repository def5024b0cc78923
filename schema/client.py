"""Types a client needs around the views: who is calling, the foresight model, search hits."""

from __future__ import annotations

from datetime import datetime

import strawberry

from schema.enums import ForesightState, Role


@strawberry.type(
    description=(
        "Who is calling: the token's name and role "
        "(what the web client shows and which actions it offers)."
    )
)
class Viewer:
    role: Role  # type: ignore[valid-type]
    name: str | None
    anonymous: bool


@strawberry.type(
    description=(
        "The foresight model in this service: training progress on a first demo run, then scoring."
    )
)
class ForesightStatus:
    state: ForesightState  # type: ignore[valid-type]
    model_version: str | None
    progress: float | None
    message: str
    started_at: datetime | None
    finished_at: datetime | None


@strawberry.type(description="An object whose id (or supplier lot number) matched a search.")
class SearchHit:
    id: strawberry.ID
    label: str
    title: str
