"""Data-quality events: an outage of live data recorded on the machines it affected.

One `QualityEvent {kind: 'data_gap'}` per outage, `CONCERNS` each affected machine, with
the gap's start and end, so OEE and predictions can tell "no data" from "no change".
"""

from __future__ import annotations

import uuid
from datetime import datetime

from domain.values import epoch_ms
from graph.store import GraphStore

_GAP = (
    "CREATE (q:QualityEvent {id: $id, kind: 'data_gap', severity: $severity, "
    "occurred_at: $start, gap_start: $start, gap_end: $end, source: $source, "
    "description: $description}) "
    "WITH q UNWIND $machine_ids AS machine_id "
    "MATCH (m:Machine {id: machine_id}) "
    "CREATE (q)-[:CONCERNS]->(m) "
    "RETURN count(m) AS machines"
)


async def record_data_gap(
    store: GraphStore, machine_ids: list[str], start: datetime, end: datetime, source: str
) -> str:
    """Record that no live data came from `source` for `machine_ids` in [start, end)."""
    gap_id = f"QE-GAP-{uuid.uuid4().hex[:16]}"
    seconds = max(0.0, (end - start).total_seconds())
    await store.write(
        _GAP,
        {
            "id": gap_id,
            "severity": "medium" if seconds >= 60 else "low",
            "start": epoch_ms(start),
            "end": epoch_ms(end),
            "source": source,
            "description": f"no live data from {source} for {seconds:.1f} s",
            "machine_ids": machine_ids,
        },
    )
    return gap_id
