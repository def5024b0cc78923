"""OEE of one machine over a window (ISO 22400-2), with the inputs it was computed from.

Time buckets follow OPC 40001-1 Annex C: `EXECUTING` is production time, `NOT_EXECUTING`
is idle time within planned busy time, `OUT_OF_SERVICE` and `NOT_AVAILABLE` are down
time. The graph holds no shift calendar, so planned busy time is the window, less the
time whose state the graph does not know (before the first known state, or after now):
that time is reported as `unknownTimeS` and `coverage`, never guessed as up or down.
"""

from __future__ import annotations

from datetime import datetime

import strawberry

from schema.enums import MachineState


@strawberry.type(description="A stretch of the window in one machine state (null: unknown).")
class StateInterval:
    state: MachineState | None  # type: ignore[valid-type]
    start: datetime
    end: datetime
    duration_s: float


@strawberry.type(
    description=(
        "Overall equipment effectiveness of a machine over `[from, to)`: "
        "availability = actual production time / planned busy time; "
        "performance = ideal cycle time x produced / actual production time; "
        "quality = good / produced; oee = their product. A ratio is null when its "
        "denominator is 0 (or, for performance, when no ideal cycle time is known)."
    )
)
class Oee:
    machine_id: strawberry.ID
    start: datetime = strawberry.field(name="from")
    end: datetime = strawberry.field(name="to")
    window_s: float
    planned_busy_time_s: float = strawberry.field(
        description="The window less the time of unknown state (no shift calendar in the graph)."
    )
    actual_production_time_s: float = strawberry.field(description="Time in EXECUTING.")
    idle_time_s: float = strawberry.field(description="Time in NOT_EXECUTING.")
    down_time_s: float = strawberry.field(description="Time in OUT_OF_SERVICE or NOT_AVAILABLE.")
    unknown_time_s: float = strawberry.field(
        description="Time whose state is not known: before the first known state, or after now."
    )
    coverage: float = strawberry.field(
        description="Share of the window whose state is known (0 to 1)."
    )
    produced_count: float = strawberry.field(
        description="Quantity of the batches on this machine completed in the window."
    )
    good_count: float = strawberry.field(description="Of those, batches not rejected.")
    batch_count: int
    ideal_cycle_time_s: float | None = strawberry.field(
        description=(
            "Ideal seconds per unit, weighted by produced quantity: each batch's operation "
            "on this machine, else the mean over the machine's operations."
        )
    )
    ideal_production_time_s: float | None = strawberry.field(
        description="Ideal cycle time x produced: the numerator of performance."
    )
    availability: float | None
    performance: float | None
    quality: float | None
    oee: float | None
    timeline: list[StateInterval] = strawberry.field(
        description="The window cut into stretches of one state, in time order."
    )
