"""Human-readable terminal output for traces and recall scopes."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from rich.console import Console
from rich.table import Table

from domain.genealogy import RecallScope, Trace

_SHOWN = ("status", "quantity", "unit", "supplier_lot", "name", "kind")
_INSTANTS = ("started_at", "received_at", "shipped_at", "due_at", "completed_at")


def _summary(props: dict[str, Any]) -> str:
    parts = []
    for key in _SHOWN:
        if props.get(key) is not None:
            value = props[key]
            if isinstance(value, float):
                value = f"{value:g}"
            parts.append(f"{key}={value}")
    for key in _INSTANTS:
        if isinstance(props.get(key), int):
            at = datetime.fromtimestamp(props[key] / 1000, tz=UTC)
            parts.append(f"{key}={at:%Y-%m-%d %H:%M}Z")
            break
    return "  ".join(parts)


def print_trace(console: Console, trace: Trace, limit: int = 60) -> None:
    title = (
        f"{trace.direction.value} trace from {', '.join(trace.start_ids)} "
        f"(max depth {trace.max_depth}): {len(trace.nodes)} nodes, {len(trace.edges)} edges"
    )
    table = Table(title=title, title_justify="left")
    table.add_column("depth", justify="right")
    table.add_column("label")
    table.add_column("id")
    table.add_column("details")
    for node in trace.nodes[:limit]:
        table.add_row(str(node.depth), node.label, node.id, _summary(node.properties))
    console.print(table)
    if len(trace.nodes) > limit:
        counts: dict[str, int] = {}
        for node in trace.nodes:
            counts[node.label] = counts.get(node.label, 0) + 1
        rest = ", ".join(f"{label}: {count}" for label, count in sorted(counts.items()))
        console.print(f"… {len(trace.nodes) - limit} more not shown (all nodes by label: {rest});")
        console.print("  use --json for the whole subgraph")


def print_recall(console: Console, scope: RecallScope) -> None:
    table = Table(title=f"recall scope of {', '.join(scope.lot_ids)}", title_justify="left")
    table.add_column("what")
    table.add_column("count", justify="right")
    table.add_column("ids (first 8)")
    for name, ids in (
        ("batches made from it", scope.batches),
        ("finished batches", scope.finished_batches),
        ("work orders", scope.work_orders),
        ("shipments", scope.shipments),
        ("customers", scope.customers),
        ("open sales orders", scope.open_sales_orders),
    ):
        table.add_row(name, str(len(ids)), ", ".join(ids[:8]))
    console.print(table)
