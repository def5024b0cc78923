"""Who may call the API: roles of API tokens (no database, no GraphQL here)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    """What a token may do; each mutation and subscription names the roles it admits."""

    VIEWER = "viewer"
    OPERATOR = "operator"
    QUALITY = "quality"
    PLANNER = "planner"
    ADMIN = "admin"


@dataclass(frozen=True, slots=True)
class Principal:
    """The caller behind a request: a token's id, name and role, or anonymous read access."""

    token_id: str | None
    name: str
    role: Role

    @property
    def anonymous(self) -> bool:
        return self.token_id is None


ANONYMOUS_READER = Principal(None, "anonymous", Role.VIEWER)
