"""The ASGI app: GraphQL (HTTP, GraphiQL, WebSocket), GraphiQL's files, health, readiness, metrics.

`create_app` is the composition root of the service: it opens the graph (unless given
one), runs migrations, builds the schema with its limits, caches and error masking, and
serves it through `app.graphql_view.FactoryGraphQL` (context, auth, media types and
WebSocket handling live there).
"""

from __future__ import annotations

import contextlib
import gc
import logging
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from pathlib import Path
from typing import Any

from graphql.error import GraphQLError
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.types import ASGIApp, Receive, Scope, Send
from strawberry.extensions import (
    AddValidationRules,
    MaskErrors,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    ValidationCache,
)
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError

from app.auth import Authenticator
from app.foresight import ForesightOptions
from app.foresight_supervisor import ForesightSupervisor
from app.graphiql import STATIC_PATH, GraphiQLPage
from app.graphql_view import FactoryGraphQL
from app.metrics import ApiMetrics
from app.operation_scope import OperationScope
from app.web_client import WebClient, is_api_path
from domain.foresight import ForesightReport
from graph.connect import StoreConfig, open_store
from graph.errors import NotFoundError
from graph.migrations import migrate
from graph.store import GraphStore
from ingest.opcua.service import IngestOptions, IngestService
from ingest.opcua.status import IngestCollector
from resolvers.api import Api
from resolvers.errors import BadRequest
from resolvers.events import DEFAULT_MAX_QUEUE, EventBus, InProcessBus, SubscriberTooSlow
from resolvers.machine_state import publish_transitions
from resolvers.pagination import PaginationError
from schema.root import build_schema

log = logging.getLogger(__name__)

USER_ERRORS = (
    BadRequest,
    PaginationError,
    NotFoundError,
    GraphQLError,
    SubscriberTooSlow,
    InvalidOperationTypeError,
    CannotGetOperationTypeError,
)
"""Exceptions whose message the caller sees; any other is masked as 'Unexpected error.'

`SubscriberTooSlow` stays unmasked so the WebSocket handlers can recognise it and close
the connection with 4429 (`app.graphql_view`); the operation-type errors say "queries
are not allowed" to a legacy `graphql-ws` client, which may only subscribe."""


@dataclass(frozen=True)
class Limits:
    """What one GraphQL document may ask for."""

    max_depth: int = 12
    max_aliases: int = 30
    max_tokens: int = 2_000
    max_subscriptions_per_connection: int = 20
    subscriber_queue: int = DEFAULT_MAX_QUEUE
    """Events a subscription may fall behind before it is dropped (WebSocket close 4429)."""
    connection_init_timeout_s: float = 5.0
    """How long a `graphql-transport-ws` client may wait before `connection_init` (4408)."""


def _should_mask(error: GraphQLError) -> bool:
    original = error.original_error
    if original is None:
        return False  # syntax, validation and permission errors carry no internals
    if isinstance(original, USER_ERRORS):
        return False
    log.error("graphql.internal_error path=%s", error.path, exc_info=original)
    return True


class Service:
    """Everything the app holds for its lifetime: graph, bus, schema, auth, metrics."""

    def __init__(
        self,
        store: GraphStore,
        bus: EventBus,
        metrics: ApiMetrics,
        *,
        allow_anonymous_read: bool,
        limits: Limits,
        foresight_status: Callable[[], ForesightReport] | None = None,
    ) -> None:
        self.store = store
        self.bus = bus
        self.api = Api(foresight_status)
        self.auth = Authenticator(store, allow_anonymous_read=allow_anonymous_read)
        self.metrics = metrics
        self.limits = limits
        # Factories, not instances: strawberry builds each extension per request. The
        # operation scope comes first so that it sees errors after masking. The limits'
        # validation rules are built once: the validation cache keys on the rule
        # classes, and a limiter built per request makes new ones (every document would
        # be validated again, ~4 ms for a subscription).
        rules = [
            *QueryDepthLimiter(max_depth=limits.max_depth).validation_rules,
            *MaxAliasesLimiter(max_alias_count=limits.max_aliases).validation_rules,
        ]
        self.schema = build_schema(
            [
                lambda: OperationScope(metrics),
                lambda: AddValidationRules(rules),
                lambda: MaxTokensLimiter(max_token_count=limits.max_tokens),
                lambda: ParserCache(maxsize=256),
                lambda: ValidationCache(maxsize=256),
                lambda: MaskErrors(should_mask_error=_should_mask),
            ]
        )


class _Metered:
    """ASGI middleware counting HTTP requests and their latency by path."""

    def __init__(self, app: ASGIApp, metrics: ApiMetrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_status(message: Any) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        path = _path_label(scope["path"], scope["method"])
        try:
            await self.app(scope, receive, send_status)
        finally:
            self.metrics.requests.labels(path, scope["method"], str(status)).inc()
            self.metrics.latency.labels(path).observe(time.perf_counter() - started)


_PATHS = frozenset({"/graphql", "/healthz", "/readyz", "/metrics"})


def _path_label(path: str, method: str) -> str:
    """A bounded label: the API's paths, "web" for the web client's pages and files."""
    if path in _PATHS:
        return path
    if method in ("GET", "HEAD") and not is_api_path(path):
        return "web"
    return "other"


class _GraphQLEndpoint:
    """Routes to the view the lifespan built (an ASGI app, so Starlette passes it through)."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await scope["app"].state.graphql(scope, receive, send)


def create_app(
    config: StoreConfig | None = None,
    *,
    store: GraphStore | None = None,
    bus: EventBus | None = None,
    allow_anonymous_read: bool = False,
    limits: Limits | None = None,
    ingest: IngestOptions | None = None,
    foresight: ForesightOptions | None = None,
    web_dir: Path | None = None,
) -> Starlette:
    """The service on the graph `config` names (or on an already open `store`).

    With `ingest`, the OPC UA ingest runs inside the service: its state transitions
    reach `machineStateChanged` subscribers and its numbers appear in `/metrics`. With
    `foresight` and a promoted model, the scoring loop keeps predictions and risk alerts
    current as the ingest and mutations change the graph; with none, and a demo
    training in the options, a child process trains one and scoring starts when it is
    promoted (`app.foresight_supervisor`). The web client's build (`web_dir`, default
    `frontend-client/dist`) is served at `/` and every other non-API GET path.
    """
    limits = limits or Limits()
    events = bus or InProcessBus(limits.subscriber_queue)
    metrics = ApiMetrics(events.subscriber_count)
    graphiql = GraphiQLPage()  # logs a warning when GraphiQL's files are not installed
    web = WebClient(web_dir)  # logs a warning when the web client is not built

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        graph = store if store is not None else await open_store(config or StoreConfig())
        try:
            await migrate(graph)
            await events.start()
            supervisor = None
            if foresight is not None:
                supervisor = ForesightSupervisor(graph, events, foresight)
                app.state.foresight = supervisor
            service = Service(
                graph,
                events,
                metrics,
                allow_anonymous_read=allow_anonymous_read,
                limits=limits,
                foresight_status=supervisor.status if supervisor is not None else None,
            )
            app.state.service = service
            if supervisor is not None:
                await supervisor.start()
            if ingest is not None:
                live = IngestService(graph, ingest, partial(publish_transitions, events))
                await live.start()
                metrics.registry.register(IngestCollector(live.state))
                app.state.ingest = live
            # What exists now (schema, modules, caches) lives as long as the process: keep
            # it out of the collector's generations so full collections stay short.
            gc.collect()
            gc.freeze()
            app.state.graphql = FactoryGraphQL(
                service,
                graphiql,
                max_subscriptions_per_connection=limits.max_subscriptions_per_connection,
                connection_init_wait_timeout=timedelta(seconds=limits.connection_init_timeout_s),
            )
            yield
        finally:
            live_ingest: IngestService | None = getattr(app.state, "ingest", None)
            if live_ingest is not None:
                await live_ingest.stop()
            running: ForesightSupervisor | None = getattr(app.state, "foresight", None)
            if running is not None:
                await running.stop()
            await events.aclose()
            if store is None:
                await graph.close()

    async def healthz(request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def readyz(request: Request) -> Response:
        service: Service | None = getattr(request.app.state, "service", None)
        if service is not None and await service.store.ping():
            return JSONResponse({"status": "ready"})
        return JSONResponse({"status": "graph unreachable"}, status_code=503)

    async def metrics_page(request: Request) -> Response:
        return Response(generate_latest(metrics.registry), media_type=CONTENT_TYPE_LATEST)

    endpoint = _GraphQLEndpoint()
    return Starlette(
        routes=[
            Route("/graphql", endpoint, methods=["GET", "POST"]),
            WebSocketRoute("/graphql", endpoint),
            Route("/healthz", healthz),
            Route("/readyz", readyz),
            Route("/metrics", metrics_page),
            Route(STATIC_PATH + "{path:path}", graphiql.asset, methods=["GET"]),
            Route("/{path:path}", web.page, methods=["GET", "HEAD"]),
        ],
        middleware=[Middleware(_Metered, metrics=metrics)],
        lifespan=lifespan,
    )
