"""Event-bus topics, and what the events published on them hold.

Every event is a plain JSON-able dict: keys are the camelCase names of the GraphQL
fields they feed, enums are their stored values (`"in_progress"`, which the schema's
enums take back as `WorkOrderStatus("in_progress")`), instants are integer epoch
milliseconds (UTC), ids are strings. The mutations publish after their write succeeded
and only when it changed something (an idempotent replay, or acknowledging an alert a
second time, publishes nothing).
"""

from __future__ import annotations

QUALITY_EVENTS = "qualityEvents"
"""A quality event was recorded: `id, kind, severity, occurredAt, description, subjectIds`."""

WORK_ORDER_PROGRESS = "workOrderProgress"
"""A work order was released or produced a batch: `workOrderId, status, producedQuantity`
(good quantity so far, rejected batches left out), `quantity` (ordered), `unit`, `at`
(a batch's completion time; a release's time of recording) and `batchId` (null for a
release)."""

RISK_ALERTS = "riskAlerts"
"""A risk alert was raised or changed: `id, severity, message, createdAt, at (when this
change happened), acknowledged, aboutIds, affectedSalesOrderIds`; `acknowledgeAlert`
publishes it with `acknowledged: true`."""

SALES_ORDERS = "salesOrders"
"""A sales order was created: `id, status, orderedAt, dueAt, priority, customerId,
productId, quantity` (no subscription serves it yet)."""

MACHINE_STATE_CHANGED = "machineStateChanged"
"""A machine changed state (published by the state-reading path, not by these mutations)."""
