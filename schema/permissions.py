"""Role checks as strawberry permission classes; they read only `info.context.principal`.

Queries need any principal (a token, or anonymous reads when the server allows them);
mutations and subscriptions name the roles they admit, and `admin` passes every check.
"""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.permission import BasePermission

from domain.auth import Role

_CACHE: dict[frozenset[Role], type[BasePermission]] = {}


class Authenticated(BasePermission):
    """Any caller the server admitted: a valid token, or anonymous reads if allowed."""

    message = "authentication required: send Authorization: Bearer <token>"

    def has_permission(self, source: Any, info: strawberry.Info, **kwargs: Any) -> bool:
        return info.context.principal is not None


def requires(*roles: Role) -> type[BasePermission]:
    """A permission class admitting tokens with one of `roles` (and admins)."""
    allowed = frozenset(roles) | {Role.ADMIN}
    cached = _CACHE.get(allowed)
    if cached is not None:
        return cached
    names = ", ".join(sorted(role.value for role in allowed))

    class RoleRequired(BasePermission):
        message = f"forbidden: this needs one of the roles {names}"

        def has_permission(self, source: Any, info: strawberry.Info, **kwargs: Any) -> bool:
            principal = info.context.principal
            return principal is not None and not principal.anonymous and principal.role in allowed

    RoleRequired.__name__ = f"Requires_{'_'.join(sorted(r.value for r in allowed))}"
    _CACHE[allowed] = RoleRequired
    return RoleRequired
