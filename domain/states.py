"""Enumerations of the lifecycle states of orders, lots, batches and machines."""

from __future__ import annotations

from enum import StrEnum


class SalesOrderStatus(StrEnum):
    OPEN = "open"
    IN_PRODUCTION = "in_production"
    SHIPPED = "shipped"
    CLOSED = "closed"
    CANCELLED = "cancelled"


OPEN_SALES_ORDER_STATUSES = (SalesOrderStatus.OPEN, SalesOrderStatus.IN_PRODUCTION)


class PurchaseOrderStatus(StrEnum):
    OPEN = "open"
    PARTIALLY_RECEIVED = "partially_received"
    RECEIVED = "received"
    CANCELLED = "cancelled"


class WorkOrderStatus(StrEnum):
    PLANNED = "planned"
    RELEASED = "released"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class OperationStatus(StrEnum):
    PENDING = "pending"
    RUNNING = "running"
    DONE = "done"


class LotStatus(StrEnum):
    QUARANTINE = "quarantine"
    AVAILABLE = "available"
    CONSUMED = "consumed"
    ON_HOLD = "on_hold"
    REJECTED = "rejected"


class BatchStatus(StrEnum):
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    RELEASED = "released"
    ON_HOLD = "on_hold"
    REJECTED = "rejected"


class ShipmentStatus(StrEnum):
    PLANNED = "planned"
    SHIPPED = "shipped"
    DELIVERED = "delivered"


class MachineState(StrEnum):
    """MachineryItemState of OPC 40001-1 (Machinery)."""

    NOT_AVAILABLE = "not_available"
    OUT_OF_SERVICE = "out_of_service"
    NOT_EXECUTING = "not_executing"
    EXECUTING = "executing"


class ProductKind(StrEnum):
    FINISHED = "finished"
    INTERMEDIATE = "intermediate"


class QualityEventKind(StrEnum):
    INSPECTION_FAILED = "inspection_failed"
    INSPECTION_PASSED = "inspection_passed"
    DEVIATION = "deviation"
    CUSTOMER_COMPLAINT = "customer_complaint"
    NONCONFORMANCE = "nonconformance"
    DATA_GAP = "data_gap"
    """The live data of a machine was not received for a while (an OPC UA outage)."""


class Severity(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"
