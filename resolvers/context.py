"""What every resolver gets as `info.context`: the store, the caller, the bus, loaders."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from domain.auth import Principal
from graph.store import GraphStore
from resolvers.events import EventBus
from resolvers.loaders import Loaders


@dataclass
class RequestContext:
    """Built once per HTTP request or WebSocket connection: loaders never outlive it."""

    store: GraphStore
    bus: EventBus
    principal: Principal | None
    loaders: Loaders
    api: Any
    """`resolvers.api.Api`: what the root fields call."""
    request: Any = None
    response: Any = None
    connection_params: dict[str, Any] | None = None
    """A WebSocket's `connection_init` payload: strawberry sets this attribute when present."""
    extra: dict[str, Any] = field(default_factory=dict)
