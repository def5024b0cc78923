"""The strawberry.Schema: the root types plus whatever extensions the app composes in."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext

from schema.client_query import ClientQuery
from schema.erp_query import ErpQuery
from schema.machine_state import MachineStateMutation
from schema.mutation import Mutation
from schema.query import Query
from schema.shared_execution import SharedEventExecutor
from schema.subscription import Subscription


class FactorySchema(strawberry.Schema):
    """strawberry's schema without its log line (and traceback) per GraphQL error.

    Refusals (validation, permissions, not found) are the caller's business, and the
    app's error masking logs every internal error once, so this one stays quiet.
    """

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        return None


def build_schema(extensions: Sequence[Any] = ()) -> strawberry.Schema:
    """The API's schema; limits, caches and error masking come from `app.api`."""
    return FactorySchema(
        query=merge_types("Query", (Query, ErpQuery, ClientQuery)),
        mutation=merge_types("Mutation", (Mutation, MachineStateMutation)),
        subscription=Subscription,
        extensions=list(extensions),
        execution_context_class=SharedEventExecutor,
    )
