"""The fixed clock of the demo plant: its history is a year that ends at a fixed instant.

Nothing reads the wall clock, so the same (scale, seed) gives the same graph on any day.
Instants are integer epoch milliseconds (UTC), as the graph stores them.
"""

from __future__ import annotations

from datetime import UTC, datetime

from domain.values import epoch_ms

MINUTE_MS = 60_000
HOUR_MS = 60 * MINUTE_MS
DAY_MS = 24 * HOUR_MS

WINDOW_DAYS = 365
NOW_MS = epoch_ms(datetime(2026, 11, 1, tzinfo=UTC))
"""The plant's "now": orders after it are open, batches running across it are in progress."""
START_MS = NOW_MS - WINDOW_DAYS * DAY_MS
"""Sales orders arrive from here on; production and purchasing start a few weeks earlier."""


def weekday(ms: int) -> int:
    """Monday = 0 (1970-01-01 was a Thursday)."""
    return (ms // DAY_MS + 3) % 7


def day_start(ms: int) -> int:
    return ms - ms % DAY_MS
