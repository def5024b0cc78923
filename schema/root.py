"""The strawberry.Schema: the root types plus whatever extensions the app composes in."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import strawberry

from schema.query import Query


def build_schema(
    extensions: Sequence[Any] = (),
) -> strawberry.Schema:
    """The API's schema; limits, caches and error masking come from `app.api`."""
    roots: dict[str, Any] = {"query": Query}
    try:
        from schema.mutation import Mutation
    except ImportError:  # pragma: no cover - until mutations land
        pass
    else:
        roots["mutation"] = Mutation
    try:
        from schema.subscription import Subscription
    except ImportError:  # pragma: no cover - until subscriptions land
        pass
    else:
        roots["subscription"] = Subscription
    return strawberry.Schema(**roots, extensions=list(extensions))
