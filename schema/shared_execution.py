"""Execute each subscription event once per distinct operation, not once per subscriber.

graphql-core executes a subscription's selection set for every event and every
subscriber. When a thousand clients watch the same feed with the same document and
variables, those thousand executions produce the same result; this executor keeps the
result of the first (or its pending task) for a moment and hands it to the others.
It relies on two things that hold here: the event bus gives every subscriber the same
payload object (the resolvers also share their conversion of it), and subscription
payload types resolve from the payload alone, not from the caller's context. Roles were
checked per subscriber when each subscription started.
"""

from __future__ import annotations

import asyncio
import inspect
import json
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any

from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

_RECENT = 512
"""Results kept: enough for every distinct subscription to see the latest events."""

_results: OrderedDict[Hashable, tuple[Any, Any]] = OrderedDict()


def _key(executor: StrawberryGraphQLCoreExecutionContext) -> Hashable | None:
    values = getattr(executor.variable_values, "coerced", executor.variable_values)
    try:
        variables = json.dumps(values, sort_keys=True, default=str)
    except (TypeError, ValueError):
        return None
    # The operation's text and position, not the node: two parses of one document differ.
    loc = executor.operation.loc
    operation = (loc.source.body, loc.start) if loc is not None else id(executor.operation)
    return (id(executor.root_value), operation, variables)


class SharedEventExecutor(StrawberryGraphQLCoreExecutionContext):
    """strawberry's executor, with the per-event results of subscriptions shared."""

    def build_per_event_executor(self, payload: Any) -> Any:
        executor = super().build_per_event_executor(payload)
        executor.__class__ = _EventExecutor
        return executor


class _EventExecutor(SharedEventExecutor):
    def execute_operation(self, serially: bool | None = None) -> Any:
        key = _key(self)
        if key is None:
            return super().execute_operation(serially)
        cached = _results.get(key)
        # The payload is kept beside the result so that its id cannot be reused.
        if cached is not None and cached[0] is self.root_value:
            return cached[1]
        result = super().execute_operation(serially)
        if inspect.isawaitable(result):
            result = asyncio.ensure_future(result)
        _results[key] = (self.root_value, result)
        while len(_results) > _RECENT:
            _results.popitem(last=False)
        return result
