"""One received value: what the server said, when the source measured it, and how good it is."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from asyncua import ua

from ingest.opcua.bindings import Binding


@dataclass(frozen=True, slots=True)
class Sample:
    binding: Binding
    value: Any
    source_time: datetime
    """The SourceTimestamp (the server's timestamp, then the arrival time, when absent)."""
    quality: str
    """`good`, `uncertain` or `bad` (from the status code's severity bits)."""
    status: str
    """The status code's name, e.g. `Good`, `BadSensorFailure`."""
    received: float
    """`time.time()` when it arrived, for source-to-graph latency."""


def _aware(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def quality_of(code: ua.StatusCode) -> str:
    if code.is_good():
        return "good"
    if code.is_uncertain():
        return "uncertain"
    return "bad"


def _plain(value: Any) -> Any:
    """A value the graph can hold: numbers, strings, booleans (LocalizedText -> its text)."""
    if isinstance(value, ua.LocalizedText):
        return value.Text
    if isinstance(value, bool | int | float | str) or value is None:
        return value
    return str(value)


def sample_of(binding: Binding, data: ua.DataValue, received: float) -> Sample:
    code = data.StatusCode or ua.StatusCode()  # absent: Good
    variant = data.Value
    when = (
        _aware(data.SourceTimestamp)
        or _aware(data.ServerTimestamp)
        or datetime.fromtimestamp(received, UTC)
    )
    return Sample(
        binding=binding,
        value=_plain(None if variant is None else variant.Value),
        source_time=when,
        quality=quality_of(code),
        status=code.name,
        received=received,
    )
