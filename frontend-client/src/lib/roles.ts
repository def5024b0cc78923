/**
 * What each role may do, mirroring the API's permission classes (admin passes every check),
 * so the client hides or disables what the server would refuse.
 */
export type Role = "VIEWER" | "OPERATOR" | "QUALITY" | "PLANNER" | "ADMIN";

export type Action =
  | "acknowledgeAlert"
  | "subscribeRiskAlerts"
  | "recordMachineState"
  | "recordProduction"
  | "recordQualityEvent"
  | "createSalesOrder"
  | "releaseWorkOrder";

const ALLOWED: Record<Action, readonly Role[]> = {
  acknowledgeAlert: ["PLANNER", "QUALITY"],
  subscribeRiskAlerts: ["PLANNER", "QUALITY"],
  recordMachineState: ["OPERATOR"],
  recordProduction: ["OPERATOR"],
  recordQualityEvent: ["QUALITY"],
  createSalesOrder: ["PLANNER"],
  releaseWorkOrder: ["PLANNER"],
};

export function can(role: Role, action: Action): boolean {
  return role === "ADMIN" || ALLOWED[action].includes(role);
}

export const ROLE_LABEL: Record<Role, string> = {
  VIEWER: "viewer",
  OPERATOR: "operator",
  QUALITY: "quality",
  PLANNER: "planner",
  ADMIN: "admin",
};
