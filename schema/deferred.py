"""Resolver results that are ready now when their DataLoader futures already are.

A resolver that returns an awaitable sends graphql-core down its asynchronous path for
that value and for everything above it in the list: a coroutine, a gather and tasks per
item, about ten times the cost of completing a plain value. `resolved(build, *futures)`
returns `build(*results)` at once when every future is done (a look-ahead loaded them,
see `resolvers.lookahead`), and otherwise a `Pending` that graphql-core awaits as usual.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Generator
from typing import Any, Generic, TypeVar, cast

T = TypeVar("T")


class Pending(Generic[T]):
    """`build` over the results of `futures`, once they are done; awaitable, no task."""

    __slots__ = ("build", "futures")

    def __init__(self, build: Callable[..., T], futures: tuple[Awaitable[Any], ...]) -> None:
        self.build = build
        self.futures = futures

    def __await__(self) -> Generator[Any, None, T]:
        results = []
        for future in self.futures:
            results.append((yield from future.__await__()))
        return self.build(*results)


def resolved(build: Callable[..., T], *futures: Awaitable[Any]) -> T:
    """`build(*results)` now if every future is done, else a `Pending` to await.

    Typed as `T` because strawberry reads a resolver's annotation as the field's GraphQL
    type; graphql-core awaits a `Pending` wherever it meets one.
    """
    if all(getattr(f, "done", _never)() for f in futures):
        return build(*(f.result() for f in futures))  # type: ignore[attr-defined]
    return cast(T, Pending(build, futures))


def _never() -> bool:
    return False
