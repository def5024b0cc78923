"""Typed errors a mutation returns in its result union instead of a stack trace."""

from __future__ import annotations

import strawberry


@strawberry.interface(description="Something the caller can fix; nothing was written.")
class UserError:
    message: str


@strawberry.type(description="An input failed validation; `field` is its path in the input.")
class ValidationError(UserError):
    field: str


@strawberry.type(description="Ids that name nothing in the graph.")
class NotFoundError(UserError):
    ids: list[strawberry.ID]


@strawberry.type(description="The request contradicts the graph's state (e.g. over-consumption).")
class ConflictError(UserError):
    pass
