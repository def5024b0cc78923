/** The API's severities, lowest first: one order for filters, sorting and counts. */
import type { Severity } from "../gql/graphql";

export const SEVERITIES: readonly Severity[] = ["LOW", "MEDIUM", "HIGH", "CRITICAL"];

export function severityRank(severity: string): number {
  return SEVERITIES.indexOf(severity as Severity);
}

export function severityLabel(severity: Severity): string {
  return severity.charAt(0) + severity.slice(1).toLowerCase();
}
