"""Root fields a client needs around the views: `viewer`, `foresight` and `search`.

Each hands over to `info.context.api` (`resolvers.api.Api`); `schema.root` merges this
type into `Query`.
"""

from __future__ import annotations

import strawberry
from strawberry.permission import BasePermission

from schema.client import ForesightStatus, SearchHit, Viewer
from schema.permissions import Authenticated

READ: list[type[BasePermission]] = [Authenticated]

SEARCH_DESCRIPTION = (
    "Objects whose id equals `text` (any label), lots whose supplier lot number equals it, "
    "then ids starting with it; exact matches first, at most `first` (max 50)."
)


@strawberry.type
class ClientQuery:
    @strawberry.field(permission_classes=READ)
    def viewer(self, info: strawberry.Info) -> Viewer:
        return info.context.api.viewer(info)  # type: ignore[no-any-return]

    @strawberry.field(permission_classes=READ)
    def foresight(self, info: strawberry.Info) -> ForesightStatus:
        return info.context.api.foresight(info)  # type: ignore[no-any-return]

    @strawberry.field(permission_classes=READ, description=SEARCH_DESCRIPTION)
    async def search(
        self, info: strawberry.Info, text: str, first: int | None = 10
    ) -> list[SearchHit]:
        wanted = 10 if first is None else first
        return await info.context.api.search(info, text, wanted)  # type: ignore[no-any-return]
