"""Root fields of the ERP view; each hands over to `info.context.api.erp`."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.permission import BasePermission

from schema.erp import Customer
from schema.permissions import Authenticated

READ: list[type[BasePermission]] = [Authenticated]


def _erp(info: strawberry.Info) -> Any:
    return info.context.api.erp


@strawberry.type
class ErpQuery:
    @strawberry.field(permission_classes=READ)
    async def customer(self, info: strawberry.Info, id: strawberry.ID) -> Customer | None:
        return await _erp(info).customer(info, str(id))  # type: ignore[no-any-return]
