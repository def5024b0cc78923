"""Errors the graph layer raises, named by what went wrong rather than by which driver saw it."""

from __future__ import annotations


class GraphError(Exception):
    """Base class for every error raised by `graph/`."""


class GraphUnavailableError(GraphError):
    """The graph server is missing, crashed, or not answering."""


class EmbeddedServerError(GraphUnavailableError):
    """The embedded FalkorDB server could not be started or has died."""


class QueryError(GraphError):
    """The engine refused a statement (syntax, type or constraint error)."""


class ConstraintViolationError(QueryError):
    """A write would break a uniqueness constraint; the statement wrote nothing."""


class NotFoundError(GraphError):
    """Rows refer to nodes that do not exist; nothing was written."""

    def __init__(self, message: str, missing: list[str]) -> None:
        super().__init__(message)
        self.missing = missing


class InvalidRowError(GraphError):
    """A row of a batch failed validation; nothing of that batch was written."""

    def __init__(self, kind: str, index: int, row_id: object, detail: str) -> None:
        super().__init__(f"{kind} row {index} (id={row_id!r}) is invalid: {detail}")
        self.kind = kind
        self.index = index
        self.row_id = row_id
        self.detail = detail
