"""Value types shared by the domain model: ids, instants, quantities, units."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Annotated, Any

from pydantic import AwareDatetime, BeforeValidator, Field, PlainSerializer, StringConstraints

Id = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
"""A business key: non-empty after trimming, never an engine id."""

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MS = timedelta(milliseconds=1)


def epoch_ms(value: datetime) -> int:
    """Instants are stored as integer epoch milliseconds, UTC, on both engines."""
    return (value - _EPOCH) // _MS  # exact integer arithmetic, no float rounding


def from_epoch_ms(value: int | float) -> datetime:
    return _EPOCH + timedelta(milliseconds=value)


def _instant_in(value: Any) -> Any:
    # Stored values come back as epoch ms; bools are ints in Python but never instants.
    if isinstance(value, int | float) and not isinstance(value, bool):
        return from_epoch_ms(value)
    return value


Instant = Annotated[
    AwareDatetime,
    BeforeValidator(_instant_in),
    PlainSerializer(epoch_ms, return_type=int, when_used="always"),
]
"""A timezone-aware instant; serialised as epoch milliseconds."""

NonNegative = Annotated[float, Field(ge=0, allow_inf_nan=False)]
Positive = Annotated[float, Field(gt=0, allow_inf_nan=False)]


class Unit(StrEnum):
    """Units of measure a quantity may carry (UN/CEFACT common codes in spirit)."""

    KILOGRAM = "kg"
    GRAM = "g"
    TONNE = "t"
    LITRE = "L"
    MILLILITRE = "mL"
    PIECE = "pcs"
    METRE = "m"
