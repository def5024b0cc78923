"""ERP view logic: customers, sales orders, products and BOMs, materials, suppliers, POs."""

from __future__ import annotations

from typing import Any

import strawberry

from schema.erp import Customer


class ErpApi:
    """What `schema.erp_query.ErpQuery` fields call (as `info.context.api.erp`)."""

    async def customer(self, info: strawberry.Info, customer_id: str) -> Customer | None:
        record: dict[str, Any] | None = await info.context.loaders.node("Customer").load(
            customer_id
        )
        return None if record is None else Customer.from_record(record)
