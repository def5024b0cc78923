"""Per-operation state and error metrics, as one strawberry extension.

A WebSocket connection keeps one context for all its operations, so DataLoaders made
with the context would serve a later query from an earlier one's cache: every operation
gets fresh loaders. Afterwards its errors are counted by kind in `/metrics`.
"""

from __future__ import annotations

from collections.abc import Iterator

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from app.metrics import ApiMetrics
from resolvers.loaders import Loaders

MASKED_MESSAGE = "Unexpected error."


def error_kind(error: GraphQLError) -> str:
    """validation, permission, user or internal (a masked error)."""
    if error.message == MASKED_MESSAGE:
        return "internal"
    if error.path is None:
        return "validation"  # syntax, validation, limits: refused before execution
    if error.message.startswith(("forbidden", "authentication required")):
        return "permission"
    return "user"


class OperationScope(SchemaExtension):
    def __init__(self, metrics: ApiMetrics) -> None:
        self.metrics = metrics

    def on_operation(self) -> Iterator[None]:
        context = self.execution_context.context
        if context is not None and hasattr(context, "loaders"):
            context.loaders = Loaders(context.store)
            context.extra.clear()
        yield
        result = self.execution_context.result
        for error in getattr(result, "errors", None) or ():
            self.metrics.graphql_errors.labels(error_kind(error)).inc()
