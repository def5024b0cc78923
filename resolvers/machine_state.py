"""Machine state changes: write the transition, then tell `machineStateChanged` subscribers.

`record_machine_state` is the one path every state reading takes (the OPC UA ingest, the
`recordMachineState` mutation): the graph decides in one statement whether the reading
is a transition (`graph.machine_state`), and only a real transition becomes an event.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry

from domain.states import MachineState
from domain.values import epoch_ms
from graph import errors
from graph.machine_state import Outcome, StateTransition, record_state
from graph.store import GraphStore
from resolvers.events import Event, EventBus
from resolvers.topics import MACHINE_STATE_CHANGED
from schema.errors import NotFoundError, ValidationError
from schema.events import MachineStateEvent
from schema.machine_state import MachineStateRecorded, StateReadingOutcome


def state_event(transition: StateTransition) -> Event:
    """The bus payload of a transition (keys as `resolvers.topics` describes them)."""
    previous = transition.previous_state
    return {
        "machineId": transition.machine_id,
        "state": transition.state.value,
        "previousState": None if previous is None else previous.value,
        "at": epoch_ms(transition.at),
    }


async def record_machine_state(
    store: GraphStore, bus: EventBus, machine_id: str, state: MachineState, at: datetime
) -> StateTransition:
    """Apply a state reading; publish `machineStateChanged` when the machine changed state.

    The event goes out after the write succeeded, so a subscriber never hears of a
    transition the graph does not hold. Raises NotFoundError for an unknown machine.
    """
    if at.tzinfo is None:
        raise ValueError("a machine state instant must carry a timezone")
    transition = await record_state(store, machine_id, MachineState(state), at)
    if transition.outcome is Outcome.CHANGED:
        await bus.publish(MACHINE_STATE_CHANGED, state_event(transition))
    return transition


async def publish_transitions(bus: EventBus, transitions: list[StateTransition]) -> None:
    """Tell subscribers of transitions another writer (the OPC UA ingest) recorded."""
    for transition in transitions:
        if transition.outcome is Outcome.CHANGED:
            await bus.publish(MACHINE_STATE_CHANGED, state_event(transition))


class MachineStateApi:
    """What `MachineStateMutation` calls (as `info.context.api.machine_state`)."""

    async def record(
        self, info: strawberry.Info, machine_id: str, state: Any, at: datetime
    ) -> MachineStateRecorded | ValidationError | NotFoundError:
        if at.tzinfo is None or at.utcoffset() is None:
            return ValidationError(message="`at` needs a time zone offset", field="at")
        context = info.context
        try:
            transition = await record_machine_state(
                context.store, context.bus, machine_id, MachineState(state), at
            )
        except errors.NotFoundError as exc:
            return NotFoundError(message=str(exc), ids=[strawberry.ID(i) for i in exc.missing])
        changed = transition.outcome is Outcome.CHANGED
        return MachineStateRecorded(
            machine_id=strawberry.ID(machine_id),
            outcome=StateReadingOutcome(transition.outcome.value),
            change=MachineStateEvent.from_event(state_event(transition)) if changed else None,
        )
