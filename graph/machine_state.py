"""A machine's state transitions: one statement moves `Machine.state` and records the change.

`Machine.state_at` is when the current state began (the instant of the last transition),
so a reading that repeats the current state changes nothing, and a reading older than
`state_at` (late or replayed data from OPC UA) is ignored instead of rewinding the machine.
The read of the stored state, the comparison and both writes happen in one statement: two
concurrent readings cannot both see the old state and record two transitions from it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from domain.states import MachineState
from domain.values import epoch_ms, from_epoch_ms
from graph.errors import NotFoundError
from graph.store import GraphStore

_RECORD = (
    "MATCH (m:Machine {id: $machine_id}) "
    "WITH m, m.state AS previous, m.state_at AS previous_at "
    "WITH m, previous, previous_at, "
    "previous_at IS NOT NULL AND $at < previous_at AS stale "
    "WITH m, previous, previous_at, stale, "
    "NOT stale AND (previous IS NULL OR previous <> $state) AS changes "
    "FOREACH (_ IN CASE WHEN changes THEN [1] ELSE [] END | "
    "SET m.state = $state, m.state_at = $at "
    "CREATE (:StateChange {id: $change_id, from_state: previous, to_state: $state, at: $at})"
    "-[:OF]->(m)) "
    "RETURN previous AS previous, previous_at AS previous_at, stale AS stale, "
    "changes AS changed"
)


class Outcome(StrEnum):
    CHANGED = "changed"
    """The machine moved to the new state; a `StateChange` was recorded."""
    UNCHANGED = "unchanged"
    """The machine already was in that state; nothing was written."""
    STALE = "stale"
    """The reading is older than the stored `state_at`; nothing was written."""


@dataclass(frozen=True, slots=True)
class StateTransition:
    machine_id: str
    outcome: Outcome
    state: MachineState
    """The state the reading reported."""
    previous_state: MachineState | None
    """The state stored before this reading."""
    at: datetime
    previous_at: datetime | None
    change_id: str | None
    """The id of the recorded `StateChange`, when there is one."""


async def record_state(
    store: GraphStore, machine_id: str, state: MachineState, at: datetime
) -> StateTransition:
    """Apply one state reading to a machine; raises NotFoundError for an unknown machine."""
    change_id = f"SC-{uuid.uuid4().hex}"
    params = {
        "machine_id": machine_id,
        "state": state.value,
        "at": epoch_ms(at),
        "change_id": change_id,
    }
    rows = await store.write(_RECORD, params)
    if not rows:
        raise NotFoundError(f"no machine {machine_id!r}", [machine_id])
    row = rows[0]
    if row["stale"]:
        outcome = Outcome.STALE
    elif row["changed"]:
        outcome = Outcome.CHANGED
    else:
        outcome = Outcome.UNCHANGED
    previous = row["previous"]
    previous_at = row["previous_at"]
    return StateTransition(
        machine_id=machine_id,
        outcome=outcome,
        state=state,
        previous_state=None if previous is None else MachineState(previous),
        at=at,
        previous_at=None if previous_at is None else from_epoch_ms(previous_at),
        change_id=change_id if outcome is Outcome.CHANGED else None,
    )


_RECORD_MANY = (
    "UNWIND $readings AS r "
    "MATCH (m:Machine {id: r.machine_id}) "
    "WITH m, r, m.state AS previous, m.state_at AS previous_at "
    "WITH m, r, previous, previous_at, "
    "previous_at IS NOT NULL AND r.at < previous_at AS stale "
    "WITH m, r, previous, previous_at, stale, "
    "NOT stale AND (previous IS NULL OR previous <> r.state) AS changes "
    "FOREACH (_ IN CASE WHEN changes THEN [1] ELSE [] END | "
    "SET m.state = r.state, m.state_at = r.at "
    "CREATE (:StateChange {id: r.change_id, from_state: previous, to_state: r.state, at: r.at})"
    "-[:OF]->(m)) "
    "RETURN r.machine_id AS machine_id, previous AS previous, previous_at AS previous_at, "
    "stale AS stale, changes AS changed"
)


@dataclass(frozen=True, slots=True)
class StateReading:
    machine_id: str
    state: MachineState
    at: datetime


async def record_states(store: GraphStore, readings: list[StateReading]) -> list[StateTransition]:
    """Apply many state readings in one statement, at most one per machine.

    One reading per machine keeps each row's read of the stored state independent of the
    other rows' writes; a caller with several readings of one machine sends them in
    order, in successive calls. Unknown machines are left out of the result.
    """
    if len({r.machine_id for r in readings}) != len(readings):
        raise ValueError("record_states takes at most one reading per machine per call")
    rows = [
        {
            "machine_id": r.machine_id,
            "state": r.state.value,
            "at": epoch_ms(r.at),
            "change_id": f"SC-{uuid.uuid4().hex}",
        }
        for r in readings
    ]
    change_ids = {str(row["machine_id"]): str(row["change_id"]) for row in rows}
    found = await store.write(_RECORD_MANY, {"readings": rows})
    transitions = []
    readings_by_machine = {r.machine_id: r for r in readings}
    for row in found:
        reading = readings_by_machine[row["machine_id"]]
        outcome = (
            Outcome.STALE
            if row["stale"]
            else Outcome.CHANGED
            if row["changed"]
            else Outcome.UNCHANGED
        )
        previous, previous_at = row["previous"], row["previous_at"]
        transitions.append(
            StateTransition(
                machine_id=reading.machine_id,
                outcome=outcome,
                state=reading.state,
                previous_state=None if previous is None else MachineState(previous),
                at=reading.at,
                previous_at=None if previous_at is None else from_epoch_ms(previous_at),
                change_id=(change_ids[reading.machine_id] if outcome is Outcome.CHANGED else None),
            )
        )
    return transitions
