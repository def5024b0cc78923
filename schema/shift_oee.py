"""OEE per machine and shift (ISO 22400-2) with roll-ups per machine, per shift and in total.

Planned busy time comes from the shift calendar (shifts less planned breaks, in each
site's time zone); only time inside it is measured, and only the part that has already
happened. Every roll-up adds times and counts and computes its ratios from the sums.
"""

from __future__ import annotations

from datetime import datetime

import strawberry


@strawberry.interface(
    description=(
        "ISO 22400-2 figures over some planned busy time: availability = actual production "
        "time / planned busy time; performance = ideal production time / actual production "
        "time; quality = good / produced; oee = their product. A ratio is null when its "
        "denominator is 0 (performance also when an ideal cycle time is unknown)."
    )
)
class OeeMeasures:
    planned_busy_time_s: float = strawberry.field(
        description=(
            "Shift time less planned breaks (from the shift calendar), up to now: "
            "actual production + idle + down + unknown time."
        )
    )
    actual_production_time_s: float = strawberry.field(
        description="Planned time in EXECUTING (time outside planned time is not counted)."
    )
    idle_time_s: float = strawberry.field(description="Planned time in NOT_EXECUTING.")
    down_time_s: float = strawberry.field(
        description="Planned time in OUT_OF_SERVICE or NOT_AVAILABLE."
    )
    unknown_time_s: float = strawberry.field(
        description="Planned time whose state the graph does not know: never guessed."
    )
    good_count: float
    scrap_count: float
    produced_count: float = strawberry.field(description="Good plus scrap.")
    ideal_production_time_s: float | None = strawberry.field(
        description=(
            "Sum of ideal cycle time x produced: each work order's operation on the "
            "machine, else the mean over the machine's operations; null when neither says."
        )
    )
    availability: float | None
    performance: float | None
    quality: float | None
    oee: float | None


@strawberry.type(description="One occurrence of a shift of the calendar.")
class PlannedShift:
    id: strawberry.ID = strawberry.field(
        description="Local start date and shift name, e.g. `2026-11-22/night`."
    )
    name: str
    start: datetime = strawberry.field(name="from")
    end: datetime = strawberry.field(name="to")
    timezone: str = strawberry.field(description="The site's zone the shift follows.")
    duration_s: float = strawberry.field(
        description="Real time from start to end (7 h or 9 h for an 8 h shift on DST nights)."
    )
    break_time_s: float
    planned_busy_time_s: float = strawberry.field(
        description="Duration less planned breaks, for the whole shift."
    )


@strawberry.type(description="OEE of one machine in one shift.")
class ShiftOeeRow(OeeMeasures):
    machine_id: strawberry.ID
    shift: PlannedShift
    complete: bool = strawberry.field(description="False while the shift is still running.")


@strawberry.type(description="OEE of one machine over every shift of the report.")
class MachineOeeRollUp(OeeMeasures):
    machine_id: strawberry.ID
    shift_count: int


@strawberry.type(description="OEE of one shift over every machine of the report.")
class ShiftOeeRollUp(OeeMeasures):
    shift: PlannedShift
    machine_count: int


@strawberry.type(description="OEE of every machine over every shift of the report.")
class OeeRollUp(OeeMeasures):
    machine_count: int
    shift_count: int


@strawberry.type(
    description=(
        "A stored count whose shift is not one the calendar has for its machine (the "
        "calendar changed after it was counted): shown, not added to any row."
    )
)
class UnmatchedProductionCount:
    machine_id: strawberry.ID
    shift_id: str
    shift_start: datetime
    shift_end: datetime
    work_order_id: strawberry.ID | None
    good_count: float
    scrap_count: float


@strawberry.type(description="OEE per machine per shift over the shifts that overlap a window.")
class ShiftOeeReport:
    start: datetime = strawberry.field(name="from")
    end: datetime = strawberry.field(name="to")
    line_id: strawberry.ID | None
    machine_ids: list[strawberry.ID]
    rows: list[ShiftOeeRow] = strawberry.field(
        description="Per machine and shift, by machine then shift start; whole shifts."
    )
    machines: list[MachineOeeRollUp]
    shifts: list[ShiftOeeRollUp]
    total: OeeRollUp
    unmatched_counts: list[UnmatchedProductionCount]
