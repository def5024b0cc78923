/** Badge classes for order, work-order, operation and batch statuses (colours of styles.css). */
import type {
  BatchStatus,
  OperationStatus,
  SalesOrderStatus,
  WorkOrderStatus,
} from "../../gql/graphql";

const SALES_ORDER: Record<SalesOrderStatus, string> = {
  OPEN: "state-setup",
  IN_PRODUCTION: "state-running",
  SHIPPED: "severity-low",
  CLOSED: "state-unavailable",
  CANCELLED: "state-down",
};

const WORK_ORDER: Record<WorkOrderStatus, string> = {
  PLANNED: "state-unavailable",
  RELEASED: "state-setup",
  IN_PROGRESS: "state-running",
  COMPLETED: "severity-low",
  CANCELLED: "state-down",
};

const OPERATION: Record<OperationStatus, string> = {
  PENDING: "state-unavailable",
  RUNNING: "state-running",
  DONE: "severity-low",
};

const BATCH: Record<BatchStatus, string> = {
  IN_PROGRESS: "state-running",
  COMPLETED: "severity-low",
  RELEASED: "severity-low",
  ON_HOLD: "state-idle",
  REJECTED: "state-down",
};

/** "IN_PRODUCTION" → "In production". */
export function statusLabel(status: string): string {
  const words = status.toLowerCase().replaceAll("_", " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export const salesOrderStatusClass = (s: SalesOrderStatus) => SALES_ORDER[s] ?? "";
export const workOrderStatusClass = (s: WorkOrderStatus) => WORK_ORDER[s] ?? "";
export const operationStatusClass = (s: OperationStatus) => OPERATION[s] ?? "";
export const batchStatusClass = (s: BatchStatus) => BATCH[s] ?? "";
