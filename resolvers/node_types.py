"""Every label the API returns as an object, with its GraphQL type's constructor.

One table for `node(id)`, the by-id fields of every view and the lists' rows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import strawberry

from schema.erp import (
    Customer,
    Material,
    Prediction,
    Product,
    PurchaseOrder,
    RiskAlert,
    SalesOrder,
    Supplier,
)
from schema.mes import (
    Area,
    Batch,
    Line,
    Machine,
    MaterialLot,
    Operation,
    Operator,
    QualityEvent,
    Site,
    WorkOrder,
)

TYPES: dict[str, Callable[[dict[str, Any]], Any]] = {
    "Machine": Machine.from_record,
    "WorkOrder": WorkOrder.from_record,
    "Batch": Batch.from_record,
    "MaterialLot": MaterialLot.from_record,
    "QualityEvent": QualityEvent.from_record,
    "Site": Site.from_record,
    "Area": Area.from_record,
    "Line": Line.from_record,
    "Operation": Operation.from_record,
    "Operator": Operator.from_record,
    "Customer": Customer.from_record,
    "SalesOrder": SalesOrder.from_record,
    "Product": Product.from_record,
    "Material": Material.from_record,
    "Supplier": Supplier.from_record,
    "PurchaseOrder": PurchaseOrder.from_record,
    "RiskAlert": RiskAlert.from_record,
    "Prediction": Prediction.from_record,
}


async def load_one(info: strawberry.Info, label: str, node_id: str) -> Any:
    """The object of `label` with this id through the request's DataLoader, or None."""
    record = await info.context.loaders.node(label).load(node_id)
    return None if record is None else TYPES[label](record)
