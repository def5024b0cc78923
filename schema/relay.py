"""Relay-style connections shared by every list: edges, cursors, page info, total count."""

from __future__ import annotations

from datetime import datetime
from typing import Generic, TypeVar

import strawberry

T = TypeVar("T")


@strawberry.type
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type
class Edge(Generic[T]):
    node: T
    cursor: str


@strawberry.type
class Connection(Generic[T]):
    edges: list[Edge[T]]
    page_info: PageInfo
    total_count: int

    @strawberry.field(description="The nodes of `edges`, for clients that need no cursors.")
    def nodes(self) -> list[T]:
        return [edge.node for edge in self.edges]


@strawberry.input(description="A range of instants: `from` inclusive, `to` exclusive.")
class TimeRange:
    from_: datetime | None = strawberry.field(name="from", default=None)
    to: datetime | None = None
