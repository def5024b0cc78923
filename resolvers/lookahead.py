"""Look-ahead: load what a query selects below a page before graphql-core walks the page.

With DataLoaders alone every nested relationship field of every row returns an
awaitable, and graphql-core completes each through coroutines, gathers and tasks; on a
page of 100 work orders with operations -> machine and batches that machinery cost
more than the graph's own answer. `prefetch` walks the selection level by level
instead: it calls each selected relationship resolver on every object of the level
(the resolvers that use `schema.deferred.resolved` only register DataLoader keys), waits
for the loaders' futures together (one statement per level, as before), and goes one
level down. When graphql-core then runs the same resolvers, their futures are done and
they answer synchronously.

Only resolvers without arguments and without `async def` are called here; everything
else resolves as usual. A resolver that fails here is left for graphql-core to run
again and report.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from typing import Any

import strawberry
from strawberry.types.base import get_object_definition
from strawberry.types.field import StrawberryField
from strawberry.types.nodes import FragmentSpread, InlineFragment, SelectedField
from strawberry.utils.str_converters import to_camel_case

from schema.deferred import Pending

MAX_LEVELS = 8
"""How far below the page the look-ahead goes (the API's depth limit is 12)."""

_FIELDS: dict[type, dict[str, StrawberryField | None]] = {}


def selected(info: strawberry.Info, *path: str) -> list[SelectedField]:
    """The fields at `path` below the current field (fragments looked through)."""
    fields: list[Any] = list(info.selected_fields)
    for name in path:
        fields = [f for parent in fields for f in flatten(parent.selections) if f.name == name]
    return fields


def selects(info: strawberry.Info, *path: str) -> bool:
    """Whether the query selects `path` below the current field."""
    return bool(selected(info, *path))


def flatten(selections: Iterable[Any], type_names: frozenset[str] | None = None) -> list[Any]:
    """Fields of a selection set through fragments (those for `type_names`, when given)."""
    found: list[Any] = []
    for selection in selections:
        if _skipped(selection):
            continue
        if isinstance(selection, SelectedField):
            found.append(selection)
            continue
        condition = getattr(selection, "type_condition", None)
        if type_names is None or condition is None or condition in type_names:
            found += flatten(selection.selections, type_names)
    return found


async def prefetch_page(info: strawberry.Info, objects: list[Any]) -> None:
    """Prefetch below a connection's nodes, whether selected as `edges.node` or `nodes`."""
    below = selected(info, "edges", "node") + selected(info, "nodes")
    await prefetch(info, objects, [s for field in below for s in field.selections])


async def prefetch(info: strawberry.Info, objects: list[Any], selections: list[Any]) -> None:
    """Load, level by level, the relationship fields `selections` asks of `objects`."""
    level: list[tuple[list[Any], list[Any]]] = [(objects, selections)]
    for _ in range(MAX_LEVELS):
        found: list[tuple[Any, list[Any]]] = []
        for items, selection in level:
            found += _call_resolvers(info, items, selection)
        waiting = [f for value, _ in found if isinstance(value, Pending) for f in value.futures]
        if waiting:
            await asyncio.gather(*waiting, return_exceptions=True)
        level = _next_level(found)
        if not level:
            return


def _call_resolvers(info: strawberry.Info, items: list[Any], selections: list[Any]) -> list[Any]:
    """(value, its sub-selection) for every selected object field of every item."""
    plans: dict[type, list[tuple[StrawberryField, list[Any]]]] = {}
    calls = []
    for obj in items:
        plan = plans.get(type(obj))
        if plan is None:
            plan = plans[type(obj)] = _plan(type(obj), selections)
        calls += [(_value_of(field, obj, info), below) for field, below in plan]
    return calls


def _plan(cls: type, selections: list[Any]) -> list[tuple[StrawberryField, list[Any]]]:
    """The fields of `cls` the look-ahead calls for `selections`, with what they select."""
    fields = _fields_of(cls)
    plan = []
    for selection in flatten(selections, _type_names(cls)):
        field = fields.get(selection.name)
        if field is not None and selection.selections:  # a leaf has nothing below it
            plan.append((field, selection.selections))
    return plan


def _value_of(field: StrawberryField, obj: Any, info: strawberry.Info) -> Any:
    """The field's value on `obj` as its resolver gives it (a `Pending` when not loaded)."""
    resolver = field.base_resolver
    if resolver is None:
        return getattr(obj, field.python_name, None)
    function: Callable[..., Any] = resolver.wrapped_func  # type: ignore[assignment]
    kwargs = {resolver.info_parameter.name: info} if resolver.info_parameter else {}
    if resolver.self_parameter is not None:
        return function(obj, **kwargs)
    if resolver.root_parameter is not None:
        kwargs[resolver.root_parameter.name] = obj
    return function(**kwargs)


def _next_level(found: list[tuple[Any, list[Any]]]) -> list[tuple[list[Any], list[Any]]]:
    """The objects the resolved values hold, grouped by the selection asked of them."""
    groups: dict[int, tuple[list[Any], list[Any]]] = {}
    for value, selection in found:
        if isinstance(value, Pending):
            try:
                value = value.build(*(f.result() for f in value.futures))  # type: ignore[attr-defined]
            except Exception:  # noqa: S112 - graphql-core runs it again and reports the error there
                continue
        items = value if isinstance(value, list) else [value]
        objects = [item for item in items if _fields_of(type(item))]
        if objects:
            groups.setdefault(id(selection), ([], selection))[0].extend(objects)
    return list(groups.values())


def _fields_of(cls: type) -> dict[str, StrawberryField | None]:
    """GraphQL name -> field the look-ahead may call (none for other types)."""
    fields = _FIELDS.get(cls)
    if fields is None:
        definition = get_object_definition(cls)
        fields = _FIELDS[cls] = (
            {}
            if definition is None
            else {
                f.graphql_name or to_camel_case(f.python_name): f
                for f in definition.fields
                if _callable_here(f)
            }
        )
    return fields


def _callable_here(field: StrawberryField) -> bool:
    resolver = field.base_resolver
    return resolver is None or (not resolver.is_async and not field.arguments)


def _type_names(cls: type) -> frozenset[str]:
    definition = get_object_definition(cls)
    if definition is None:
        return frozenset()
    return frozenset([definition.name, *(i.name for i in definition.interfaces)])


def _skipped(selection: SelectedField | InlineFragment | FragmentSpread) -> bool:
    directives = getattr(selection, "directives", None) or {}
    if directives.get("skip", {}).get("if") is True:
        return True
    return directives.get("include", {}).get("if") is False
