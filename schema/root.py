"""The strawberry.Schema: the root types plus whatever extensions the app composes in."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import strawberry
from strawberry.tools import merge_types

from schema.erp_query import ErpQuery
from schema.machine_state import MachineStateMutation
from schema.query import Query


def build_schema(
    extensions: Sequence[Any] = (),
) -> strawberry.Schema:
    """The API's schema; limits, caches and error masking come from `app.api`."""
    query = merge_types("Query", (Query, ErpQuery))
    roots: dict[str, Any] = {"query": query}
    mutations: list[type] = [MachineStateMutation]
    try:
        from schema.mutation import Mutation
    except ImportError:  # pragma: no cover - until mutations land
        pass
    else:
        mutations.insert(0, Mutation)
    roots["mutation"] = merge_types("Mutation", tuple(mutations))
    try:
        from schema.subscription import Subscription
    except ImportError:  # pragma: no cover - until subscriptions land
        pass
    else:
        roots["subscription"] = Subscription
    return strawberry.Schema(**roots, extensions=list(extensions))
