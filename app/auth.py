"""Who is calling: a bearer token from the HTTP header or the WebSocket `connection_init`.

Token lookups are cached for a few seconds per token so a busy client costs one graph
read per `TTL_S`, and a revoked token stops working within that time.
"""

from __future__ import annotations

import time

from domain.auth import ANONYMOUS_READER, Principal
from graph import tokens
from graph.store import GraphStore

TTL_S = 5.0


def bearer(header: str | None) -> str | None:
    """The token of an `Authorization: Bearer <token>` value."""
    if not header:
        return None
    scheme, _, token = header.strip().partition(" ")
    if token.strip() and scheme.lower() == "bearer":
        return token.strip()
    return None


class InvalidToken(Exception):
    """A token was sent but is wrong, unknown or revoked."""


class Authenticator:
    def __init__(self, store: GraphStore, *, allow_anonymous_read: bool) -> None:
        self.store = store
        self.allow_anonymous_read = allow_anonymous_read
        self._cache: dict[str, tuple[float, Principal | None]] = {}

    async def principal(self, token: str | None) -> Principal | None:
        """The caller for `token`; None when no token came and anonymous reads are off.

        Raises InvalidToken for a token that does not authenticate: a client with a
        bad token should hear so, not be served as anonymous.
        """
        if token is None:
            return ANONYMOUS_READER if self.allow_anonymous_read else None
        now = time.monotonic()
        cached = self._cache.get(token)
        if cached is not None and now - cached[0] < TTL_S:
            found = cached[1]
        else:
            found = await tokens.authenticate(self.store, token)
            if len(self._cache) > 10_000:
                self._cache.clear()
            self._cache[token] = (now, found)
        if found is None:
            raise InvalidToken("invalid, unknown or revoked API token")
        return found
