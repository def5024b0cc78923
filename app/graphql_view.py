"""strawberry's ASGI view with our context and auth, HTTP media types, WebSocket closes.

HTTP. A client that accepts `application/graphql-response+json` (GraphQL over HTTP,
the "watershed" media type) gets that content type, and a request error (a document
that does not parse or validate, variables that do not coerce) is answered 400 with no
`data` entry, as the spec asks. A client that asks for `application/json`, sends `*/*`
or no Accept header keeps the classic behaviour: 200 with `data: null` and `errors`.
Requests the view refuses outright (a body that is not JSON, no query, a bad token)
get a JSON `errors` body with their 4xx status instead of plain text.

WebSocket, both `graphql-transport-ws` and the legacy `graphql-ws` protocol:

- the token comes in `connection_init`'s payload, `{"Authorization": "Bearer <t>"}` or
  `{"token": "<t>"}`; a missing, wrong or revoked one closes the socket with 4403
  Forbidden (the legacy protocol first sends `connection_error`);
- a subscription that falls too far behind (`resolvers.events.SubscriberTooSlow`) closes
  the whole connection with 4429 "subscriber too slow": graphql-ws (npm) treats 4429 as
  fatal and hands the close event to the subscriber's `error` callback instead of
  silently reconnecting, and the client has lost events anyway, so it must resync;
- `subscribe` before an acknowledged `connection_init` closes with 4401, and no
  `connection_init` within the limit closes with 4408 (strawberry's own behaviour).

A client that stops reading entirely is not sent its close frame until it reads again
(the socket's send buffer is full); uvicorn's keepalive ping times it out instead.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncGenerator, Mapping
from typing import TYPE_CHECKING, Any

from cross_web import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.http import GraphQLHTTPResponse
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
    Operation,
    _OperationStreamClosed,
)
from strawberry.subscriptions.protocols.graphql_ws.handlers import BaseGraphQLWSHandler
from strawberry.subscriptions.protocols.graphql_ws.types import (
    ConnectionInitMessage,
    OperationMessage,
)
from strawberry.types import ExecutionResult
from strawberry.types.execution import PreExecutionError
from strawberry.types.unset import UNSET

from app.auth import InvalidToken, bearer
from app.event_json import encode_message
from app.graphiql import GraphiQLPage
from resolvers.context import RequestContext
from resolvers.events import SubscriberTooSlow
from resolvers.loaders import Loaders

if TYPE_CHECKING:
    from strawberry.schema.schema import StreamResult

    from app.api import Service

log = logging.getLogger(__name__)

GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
JSON = "application/json"

CLOSE_FORBIDDEN = 4403
CLOSE_TOO_SLOW = 4429
TOO_SLOW_REASON = "subscriber too slow"


def negotiate(accept: str | None) -> str:
    """The response media type for an Accept header: graphql-response+json or json.

    No header, `*/*` and `application/*` mean `application/json` (what clients older
    than the media type expect); `application/graphql-response+json` wins when the
    client lists it with a quality at least that of `application/json`.
    """
    if not accept:
        return JSON
    best: dict[str, float] = {}
    for part in accept.split(","):
        media, *params = (p.strip() for p in part.split(";"))
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        media = media.lower()
        if media == GRAPHQL_RESPONSE_JSON:
            best[GRAPHQL_RESPONSE_JSON] = max(best.get(GRAPHQL_RESPONSE_JSON, 0.0), quality)
        elif media in (JSON, "application/*", "*/*"):
            best[JSON] = max(best.get(JSON, 0.0), quality)
    response_json = best.get(GRAPHQL_RESPONSE_JSON, 0.0)
    if response_json > 0 and response_json >= best.get(JSON, 0.0):
        return GRAPHQL_RESPONSE_JSON
    return JSON


def is_request_error(result: ExecutionResult) -> bool:
    """Whether execution never started: parse, validation or variable coercion failed.

    Field errors carry a path; errors raised before any resolver ran do not.
    """
    if isinstance(result, PreExecutionError):
        return True
    errors = result.errors or []
    return result.data is None and bool(errors) and all(e.path is None for e in errors)


def _not_a_slow_subscriber(record: logging.LogRecord) -> bool:
    """Log filter for strawberry's error log: a dropped slow subscriber is no failure.

    strawberry logs every GraphQL error with its traceback; a slow client would log one
    per subscription. The handlers below log one warning per closed connection instead.
    """
    return not (record.exc_info and isinstance(record.exc_info[1], SubscriberTooSlow))


def too_slow(result: ExecutionResult) -> bool:
    """Whether a subscription result reports that its subscriber was dropped."""
    return any(isinstance(e.original_error, SubscriberTooSlow) for e in result.errors or ())


def _token(params: Mapping[str, Any] | None) -> str | None:
    """The token of a `connection_init` payload (None when it names none)."""
    if not params:
        return None
    raw = params.get("Authorization") or params.get("authorization")
    if raw is not None:
        if not isinstance(raw, str):
            raise InvalidToken("the Authorization entry must be a string")
        token = bearer(raw) if " " in raw.strip() else raw.strip()
        if not token:
            raise InvalidToken("the Authorization entry must read 'Bearer <token>'")
        return token
    raw = params.get("token")
    if raw is None:
        return None
    if not isinstance(raw, str) or not raw.strip():
        raise InvalidToken("the token entry must be a non-empty string")
    return raw.strip()


class TransportWSHandler(BaseGraphQLTransportWSHandler[RequestContext, None]):
    """`graphql-transport-ws`, closing the connection with 4429 for a too-slow subscriber."""

    closed = False

    async def send_message(self, message: Any) -> None:
        if self.closed:  # other operations' results after the 4429 close go nowhere
            return
        try:
            await super().send_message(message)
        except RuntimeError:  # a send that was waiting on the full socket when it closed
            if not self.closed:
                raise

    async def _send_result_stream(
        self, operation: Operation[RequestContext, None], result_source: StreamResult
    ) -> None:
        async def checked() -> AsyncGenerator[Any, None]:
            async for result in result_source:
                if isinstance(result, ExecutionResult) and too_slow(result):
                    self.operations.pop(operation.id, None)
                    if not self.closed:
                        self.closed = True
                        log.warning("subscription.too_slow protocol=graphql-transport-ws")
                        await self.websocket.close(code=CLOSE_TOO_SLOW, reason=TOO_SLOW_REASON)
                    raise _OperationStreamClosed
                yield result

        await super()._send_result_stream(operation, checked())


class LegacyWSHandler(BaseGraphQLWSHandler[RequestContext, None]):
    """Legacy `graphql-ws`: 4403 on a refused `connection_init`, 4429 for a slow subscriber."""

    closed = False

    async def handle_connection_init(self, message: ConnectionInitMessage) -> None:
        payload = message.get("payload")
        if payload is not None and not isinstance(payload, dict):
            await self.send_message({"type": "connection_error"})
            await self._close(1000, "")
            return
        self.context.connection_params = payload
        try:
            ack = await self.view.on_ws_connect(self.context)
        except ConnectionRejectionError as exc:
            await self.send_message({"type": "connection_error", "payload": exc.payload})
            await self._close(CLOSE_FORBIDDEN, "Forbidden")
            return
        if ack is None or ack is UNSET:
            await self.send_message({"type": "connection_ack"})
        else:
            await self.send_message({"type": "connection_ack", "payload": ack})  # type: ignore[misc,arg-type]
        self.connection_acknowledged = True
        if self.keep_alive:
            self.keep_alive_task = asyncio.create_task(self.handle_keep_alive())

    async def send_data_message(self, execution_result: ExecutionResult, operation_id: str) -> None:
        if too_slow(execution_result):
            if not self.closed:
                log.warning("subscription.too_slow protocol=graphql-ws")
            await self._close(CLOSE_TOO_SLOW, TOO_SLOW_REASON)
            return
        await super().send_data_message(execution_result, operation_id)

    async def send_message(self, message: OperationMessage) -> None:
        if self.closed:  # the operations' final `complete` after a close goes nowhere
            return
        try:
            await super().send_message(message)
        except RuntimeError:  # a send that was waiting on the full socket when it closed
            if not self.closed:
                raise

    async def _close(self, code: int, reason: str) -> None:
        if not self.closed:
            self.closed = True
            await self.websocket.close(code=code, reason=reason)


class FactoryGraphQL(GraphQL[RequestContext, None]):
    """strawberry's ASGI view with our context, bearer auth, media types and WebSocket closes."""

    graphql_transport_ws_handler_class = TransportWSHandler
    graphql_ws_handler_class = LegacyWSHandler

    def __init__(self, service: Service, graphiql: GraphiQLPage, **kwargs: Any) -> None:
        super().__init__(service.schema, **kwargs)
        self.service = service
        self.graphiql = graphiql
        logging.getLogger("strawberry.execution").addFilter(_not_a_slow_subscriber)

    def encode_json(self, data: object) -> str:
        return encode_message(data)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        request = Request(scope, receive)
        media_type = negotiate(request.headers.get("accept"))
        request.state.media_type = media_type
        try:
            response = await self.run(request)
        except HTTPException as exc:
            body = {"errors": [{"message": exc.reason}]}
            response = Response(self.encode_json(body), exc.status_code, media_type=media_type)
        else:
            if response.media_type == JSON and media_type != JSON:
                response.media_type = media_type
                response.headers["content-type"] = f"{media_type}; charset=utf-8"
        await response(scope, receive, send)

    async def render_graphql_ide(self, request: Request) -> HTMLResponse:
        """GraphiQL with its files served by this service (`app.graphiql`), not unpkg.com."""
        return self.graphiql.response(request)

    async def get_sub_response(self, request: Request | WebSocket) -> Response:
        sub_response = await super().get_sub_response(request)
        request.state.sub_response = sub_response
        return sub_response

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        data = await super().process_result(request, result)
        media_type = getattr(request.state, "media_type", JSON)
        if media_type == GRAPHQL_RESPONSE_JSON and is_request_error(result):
            data.pop("data", None)
            request.state.sub_response.status_code = 400
        return data

    async def get_context(self, request: Any, response: Any) -> RequestContext:
        service = self.service
        principal = None
        if not isinstance(request, WebSocket):
            try:
                principal = await service.auth.principal(
                    bearer(request.headers.get("authorization"))
                )
            except InvalidToken as exc:
                raise HTTPException(401, str(exc)) from None
        return RequestContext(
            store=service.store,
            bus=service.bus,
            principal=principal,
            loaders=Loaders(service.store),
            api=service.api,
            request=request,
            response=response,
        )

    async def on_ws_connect(self, context: RequestContext) -> Any:
        """Authenticate `connection_init`; refusing raises ConnectionRejectionError (4403)."""
        try:
            context.principal = await self.service.auth.principal(_token(context.connection_params))
        except InvalidToken as exc:
            raise ConnectionRejectionError({"message": str(exc)}) from None
        if context.principal is None:
            raise ConnectionRejectionError(
                {"message": 'authentication required: send {"Authorization": "Bearer <token>"}'}
            )
        return None
