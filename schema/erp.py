"""ERP view: customers, sales orders, products, materials, suppliers, purchase orders."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry

from schema.convert import instant
from schema.enums import SalesOrderStatus, Severity

Record = dict[str, Any]


@strawberry.type(description="A customer who places sales orders.")
class Customer:
    id: strawberry.ID
    name: str
    country: str

    @classmethod
    def from_record(cls, r: Record) -> Customer:
        return cls(id=strawberry.ID(r["id"]), name=r["name"], country=r["country"])


@strawberry.type(description="A customer's order for a product, due at a date.")
class SalesOrder:
    id: strawberry.ID
    status: SalesOrderStatus  # type: ignore[valid-type]
    ordered_at: datetime
    due_at: datetime
    priority: int

    @classmethod
    def from_record(cls, r: Record) -> SalesOrder:
        return cls(
            id=strawberry.ID(r["id"]),
            status=SalesOrderStatus(r["status"]),
            ordered_at=instant(r["ordered_at"]),  # type: ignore[arg-type]
            due_at=instant(r["due_at"]),  # type: ignore[arg-type]
            priority=int(r.get("priority", 3)),
        )


@strawberry.type(description="A predicted disruption, with what it affects.")
class RiskAlert:
    id: strawberry.ID
    severity: Severity  # type: ignore[valid-type]
    message: str
    created_at: datetime
    acknowledged: bool

    @classmethod
    def from_record(cls, r: Record) -> RiskAlert:
        return cls(
            id=strawberry.ID(r["id"]),
            severity=Severity(r["severity"]),
            message=r["message"],
            created_at=instant(r["created_at"]),  # type: ignore[arg-type]
            acknowledged=bool(r.get("acknowledged", False)),
        )
