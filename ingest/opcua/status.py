"""What the ingest reports: a snapshot for `factorygraph ingest status` and `/metrics`.

A running ingest rewrites `ingest-status.json` in the data directory every few seconds
(atomically), so `ingest status` works from another process; the same numbers are a
Prometheus collector on the API's registry when the ingest runs inside `serve`.
"""

from __future__ import annotations

import json
import os
import statistics
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Any

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector

from ingest.opcua.session import SessionStatus
from ingest.opcua.writer import WriterStats

STATUS_FILE = "ingest-status.json"


def _quantile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def snapshot(
    sessions: list[SessionStatus], stats: WriterStats, depth: int, rate: float
) -> dict[str, Any]:
    recent = list(stats.lags)[-10_000:]
    return {
        "at": time.time(),
        "sessions": [asdict(s) for s in sessions],
        "received": stats.received,
        "written_values": stats.written_values,
        "state_changes": stats.state_changes,
        "coalesced": stats.coalesced,
        "stale": stats.stale,
        "not_good": stats.not_good,
        "dropped": stats.dropped,
        "failed_flushes": stats.failed_flushes,
        "buffer_depth": depth,
        "changes_per_s": rate,
        "lag_p50_s": _quantile(recent, 0.5),
        "lag_p99_s": _quantile(recent, 0.99),
        "lag_mean_s": statistics.fmean(recent) if recent else None,
    }


def write_status(data_dir: Path, state: dict[str, Any]) -> None:
    target = data_dir / STATUS_FILE
    temporary = target.with_suffix(".tmp")
    temporary.write_text(json.dumps(state, indent=1), encoding="utf-8")
    os.replace(temporary, target)


def read_status(data_dir: Path) -> dict[str, Any] | None:
    try:
        loaded: dict[str, Any] = json.loads((data_dir / STATUS_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    return loaded


class IngestCollector(Collector):
    """The ingest's numbers as Prometheus metrics, read when scraped."""

    def __init__(self, current: Callable[[], dict[str, Any]]) -> None:
        self.current = current

    def collect(self) -> Iterator[CounterMetricFamily | GaugeMetricFamily]:
        state = self.current()
        counters = {
            "received": "OPC UA data changes received.",
            "written_values": "Tag values written to the graph (after coalescing).",
            "state_changes": "Machine state transitions recorded.",
            "not_good": "Readings with a Bad or Uncertain status code.",
            "dropped": "State readings dropped while the graph was unreachable.",
            "failed_flushes": "Writes to the graph that failed and were retried.",
        }
        for key, help_text in counters.items():
            yield CounterMetricFamily(f"factorygraph_ingest_{key}", help_text, value=state[key])
        yield GaugeMetricFamily(
            "factorygraph_ingest_buffer_depth",
            "Readings waiting for the graph.",
            value=state["buffer_depth"],
        )
        yield GaugeMetricFamily(
            "factorygraph_ingest_changes_per_second",
            "Data changes received per second (last interval).",
            value=state["changes_per_s"],
        )
        lag = GaugeMetricFamily(
            "factorygraph_ingest_lag_seconds",
            "Receipt-to-graph latency of written values.",
            labels=["quantile"],
        )
        for q in ("p50", "p99"):
            value = state[f"lag_{q}_s"]
            if value is not None:
                lag.add_metric([q], value)
        yield lag
        reconnects = CounterMetricFamily(
            "factorygraph_ingest_reconnects",
            "Reconnections per OPC UA endpoint.",
            labels=["endpoint"],
        )
        connected = GaugeMetricFamily(
            "factorygraph_ingest_connected",
            "1 while subscribed to the endpoint.",
            labels=["endpoint"],
        )
        items = GaugeMetricFamily(
            "factorygraph_ingest_monitored_items",
            "Monitored items subscribed.",
            labels=["endpoint"],
        )
        for session in state["sessions"]:
            endpoint = [session["endpoint"]]
            reconnects.add_metric(endpoint, session["reconnects"])
            connected.add_metric(endpoint, 1.0 if session["connected"] else 0.0)
            items.add_metric(endpoint, session["monitored_items"])
        yield reconnects
        yield connected
        yield items
