"""Risk-alert events in the shape the `riskAlerts` subscription reads (resolvers/topics.py).

Kept here as plain dicts so inference needs nothing from the API layer: the topic name is
repeated (a test holds it equal to `resolvers.topics.RISK_ALERTS`). Keys beyond the
subscription's (`kind`, `probability`, `horizonH`, `closedAt`, `explanation`) are ignored
by today's schema and ready for a richer one.
"""

from __future__ import annotations

import json
from typing import Any

from graph.store import Record

RISK_ALERTS = "riskAlerts"

Event = dict[str, Any]


def alert_event(stored: Record) -> Event:
    """The bus event of an alert as `graph.predictions` returned it after a write."""
    node = stored["node"]
    explanation = node.get("explanation")
    return {
        "id": node["id"],
        "severity": node["severity"],
        "message": node["message"],
        "createdAt": node["created_at"],
        "at": node.get("updated_at") or node.get("closed_at") or node["created_at"],
        "acknowledged": bool(node.get("acknowledged", False)),
        "aboutIds": _subject_first(node.get("entity_id"), stored["about_ids"]),
        "affectedSalesOrderIds": sorted(
            stored["affected_sales_order_ids"] or node.get("affected_sales_order_ids") or []
        ),
        "kind": node.get("kind"),
        "probability": node.get("probability"),
        "horizonH": node.get("horizon_h"),
        "closedAt": node.get("closed_at"),
        "explanation": json.loads(explanation) if explanation else None,
    }


def _subject_first(subject: str | None, about: list[str]) -> list[str]:
    rest = sorted(i for i in about if i != subject)
    return [subject, *rest] if subject in about else rest
