"""Offset cursors for Relay connections: `first/after` and `last/before` over one ordered list.

A cursor is an opaque base64 of the row's offset in the filtered, ordered list. Offsets
keep every page one statement (`SKIP/LIMIT`) and give `totalCount` for free; the price is
that rows inserted before the cursor shift a later page, as with any offset pagination.
"""

from __future__ import annotations

import base64
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from schema.relay import Connection, Edge, PageInfo

T = TypeVar("T")

MAX_PAGE = 500
"""The most rows one page may ask for (`first` or `last`)."""
DEFAULT_PAGE = 50

_PREFIX = "offset:"


class PaginationError(ValueError):
    """Bad `first/after/last/before` arguments."""


def encode_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"{_PREFIX}{offset}".encode()).decode()


def decode_cursor(cursor: str) -> int:
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
        if not text.startswith(_PREFIX):
            raise ValueError
        offset = int(text[len(_PREFIX) :])
    except (ValueError, UnicodeDecodeError):
        raise PaginationError(f"invalid cursor {cursor!r}") from None
    if offset < 0:
        raise PaginationError(f"invalid cursor {cursor!r}")
    return offset


@dataclass(frozen=True)
class Window:
    """Rows `[skip, skip + limit)` of the list, as the arguments asked."""

    skip: int
    limit: int


def window(
    first: int | None, after: str | None, last: int | None, before: str | None, total: int | None
) -> Window:
    """The slice Relay's algorithm selects; `total` is needed only for `last` without `before`."""
    for name, value in (("first", first), ("last", last)):
        if value is not None and not 0 <= value <= MAX_PAGE:
            raise PaginationError(f"`{name}` must be between 0 and {MAX_PAGE}, got {value}")
    if first is not None and last is not None:
        raise PaginationError("pass `first` or `last`, not both")
    start = decode_cursor(after) + 1 if after is not None else 0
    end = decode_cursor(before) if before is not None else None
    if last is not None:
        if end is None:
            if total is None:
                raise PaginationError("`last` without `before` needs the total")
            end = total
        start = max(start, end - last)
        return Window(start, max(0, end - start))
    size = DEFAULT_PAGE if first is None else first
    if end is not None:
        size = min(size, max(0, end - start))
    return Window(start, size)


async def connection(
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
    fetch: Callable[[Window], Awaitable[tuple[Sequence[T], int]]],
    count: Callable[[], Awaitable[int]],
) -> Connection[T]:
    """Run `fetch` for the selected window (and `count` first when `last` needs it)."""
    total: int | None = None
    if last is not None and before is None:
        total = await count()
    win = window(first, after, last, before, total)
    rows, total = await fetch(win)
    edges = [Edge(node=row, cursor=encode_cursor(win.skip + i)) for i, row in enumerate(rows)]
    info = PageInfo(
        has_next_page=win.skip + len(rows) < total,
        has_previous_page=win.skip > 0,
        start_cursor=edges[0].cursor if edges else None,
        end_cursor=edges[-1].cursor if edges else None,
    )
    return Connection(edges=edges, page_info=info, total_count=total)
