/** Where each kind of object has its page: one table for search, links and the trace. */

export function pageFor(label: string, id: string): string {
  const e = encodeURIComponent(id);
  switch (label) {
    case "Machine":
      return `/machines/${e}`;
    case "SalesOrder":
      return `/orders/${e}`;
    case "WorkOrder":
      return `/work-orders/${e}`;
    case "Operation":
      return `/work-orders/${encodeURIComponent(id.replace(/-(?:OP)?\d+$/, ""))}`;
    case "MaterialLot":
    case "Batch":
      return `/trace?id=${e}`;
    case "Customer":
      return `/orders?customer=${e}`;
    case "RiskAlert":
      return `/alerts?alert=${e}`;
    case "QualityEvent":
      return `/quality?id=${e}`;
    case "Line":
      return `/?line=${e}`;
    case "Site":
    case "Area":
      return "/";
    default:
      return `/search?q=${e}`;
  }
}
