"""From stored values to GraphQL values: instants are epoch milliseconds in the graph."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from domain.values import epoch_ms, from_epoch_ms


def instant(value: Any) -> datetime | None:
    return None if value is None else from_epoch_ms(value)


def to_ms(value: datetime | None) -> int | None:
    return None if value is None else epoch_ms(value)
