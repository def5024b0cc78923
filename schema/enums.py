"""GraphQL enums, straight from the domain's state enums (names like `EXECUTING`)."""

from __future__ import annotations

from enum import Enum

import strawberry

from domain import states
from domain.auth import Role as DomainRole
from domain.foresight import ForesightState as DomainForesightState
from domain.genealogy import TraceDirection as DomainTraceDirection

MachineState = strawberry.enum(states.MachineState, name="MachineState")
SalesOrderStatus = strawberry.enum(states.SalesOrderStatus, name="SalesOrderStatus")
PurchaseOrderStatus = strawberry.enum(states.PurchaseOrderStatus, name="PurchaseOrderStatus")
WorkOrderStatus = strawberry.enum(states.WorkOrderStatus, name="WorkOrderStatus")
OperationStatus = strawberry.enum(states.OperationStatus, name="OperationStatus")
LotStatus = strawberry.enum(states.LotStatus, name="LotStatus")
BatchStatus = strawberry.enum(states.BatchStatus, name="BatchStatus")
ShipmentStatus = strawberry.enum(states.ShipmentStatus, name="ShipmentStatus")
ProductKind = strawberry.enum(states.ProductKind, name="ProductKind")
QualityEventKind = strawberry.enum(states.QualityEventKind, name="QualityEventKind")
Severity = strawberry.enum(states.Severity, name="Severity")
TraceDirection = strawberry.enum(DomainTraceDirection, name="TraceDirection")
Role = strawberry.enum(DomainRole, name="Role")
ForesightState = strawberry.enum(DomainForesightState, name="ForesightState")


@strawberry.enum(description="Sort direction of a list.")
class SortDirection(Enum):
    ASC = "asc"
    DESC = "desc"
