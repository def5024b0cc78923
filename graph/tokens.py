"""API tokens, kept in the graph as `ApiToken` nodes holding only a hash of the secret.

A token reads `fgt_<id>.<secret>`: the id finds the node through the unique `id` index,
and the secret is compared with `hmac.compare_digest` against its SHA-256. The secret
has 256 random bits, so a fast hash is enough (no password stretching needed), and the
plain token is shown once, at creation, never stored or logged.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from domain.auth import Principal, Role
from domain.values import epoch_ms, from_epoch_ms
from graph.errors import NotFoundError
from graph.store import GraphStore

PREFIX = "fgt_"

_CREATE = (
    "CREATE (t:ApiToken {id: $id, name: $name, role: $role, hash: $hash, "
    "created_at: $now, revoked: false}) RETURN t.id AS id"
)
_BY_ID = (
    "MATCH (t:ApiToken {id: $id}) "
    "RETURN t.hash AS hash, t.name AS name, t.role AS role, t.revoked AS revoked"
)
_LIST = (
    "MATCH (t:ApiToken) RETURN t.id AS id, t.name AS name, t.role AS role, "
    "t.created_at AS created_at, t.revoked AS revoked ORDER BY t.created_at, t.id"
)
_REVOKE = "MATCH (t:ApiToken {id: $id}) SET t.revoked = true RETURN t.id AS id"


@dataclass(frozen=True, slots=True)
class TokenInfo:
    id: str
    name: str
    role: Role
    created_at: datetime
    revoked: bool


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


async def create_token(store: GraphStore, name: str, role: Role) -> str:
    """Store a new token and return it in full: the only time its secret is visible."""
    if not name.strip():
        raise ValueError("a token needs a non-empty name")
    token_id = secrets.token_hex(8)
    secret = secrets.token_urlsafe(32)
    now = epoch_ms(datetime.now(UTC))
    params = {"id": token_id, "name": name, "role": role.value, "hash": _digest(secret), "now": now}
    await store.write(_CREATE, params)
    return f"{PREFIX}{token_id}.{secret}"


async def list_tokens(store: GraphStore) -> list[TokenInfo]:
    rows = await store.read(_LIST)
    return [
        TokenInfo(r["id"], r["name"], Role(r["role"]), from_epoch_ms(r["created_at"]), r["revoked"])
        for r in rows
    ]


async def revoke_token(store: GraphStore, token_id: str) -> None:
    if not await store.write(_REVOKE, {"id": token_id}):
        raise NotFoundError(f"no API token {token_id!r}", [token_id])


async def authenticate(store: GraphStore, token: str) -> Principal | None:
    """The principal a bearer token stands for, or None for a wrong, unknown or revoked one."""
    if not token.startswith(PREFIX) or "." not in token:
        return None
    token_id, _, secret = token[len(PREFIX) :].partition(".")
    rows = await store.read(_BY_ID, {"id": token_id})
    if not rows or rows[0]["revoked"]:
        return None
    if not hmac.compare_digest(rows[0]["hash"], _digest(secret)):
        return None
    return Principal(token_id, rows[0]["name"], Role(rows[0]["role"]))
