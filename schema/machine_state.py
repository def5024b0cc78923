"""`recordMachineState`: the mutation a state reading takes when it arrives over the API.

The OPC UA ingest calls `resolvers.machine_state.record_machine_state` in process; this
mutation is the same path for other integrations (an MES terminal, a gateway, tests).
Operators (and admins) may call it. Its root type is merged into `Mutation` by
`schema.root`.
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Annotated, Any

import strawberry

from domain.auth import Role
from schema.enums import MachineState
from schema.errors import NotFoundError, ValidationError
from schema.events import MachineStateEvent
from schema.mes import Machine
from schema.permissions import requires


@strawberry.enum(description="What a state reading did to the machine.")
class StateReadingOutcome(Enum):
    CHANGED = "changed"
    UNCHANGED = "unchanged"
    STALE = "stale"


@strawberry.type(description="A state reading was applied (or, when stale or repeated, ignored).")
class MachineStateRecorded:
    machine_id: strawberry.ID
    outcome: StateReadingOutcome
    change: MachineStateEvent | None = strawberry.field(
        description="The transition, when the reading changed the machine's state."
    )

    @strawberry.field(description="The machine as it is after the reading.")
    async def machine(self, info: strawberry.Info) -> Machine | None:
        return await info.context.api.one(info, "Machine", str(self.machine_id))  # type: ignore[no-any-return]


RecordMachineStateResult = Annotated[
    MachineStateRecorded | ValidationError | NotFoundError,
    strawberry.union("RecordMachineStateResult"),
]


@strawberry.type
class MachineStateMutation:
    @strawberry.mutation(
        permission_classes=[requires(Role.OPERATOR)],
        description=(
            "Apply a machine state reading taken at `at` (source time). A reading that "
            "repeats the current state, or is older than the current state's start, "
            "changes nothing; a transition is recorded as a StateChange and published "
            "to `machineStateChanged`."
        ),
    )
    async def record_machine_state(
        self,
        info: strawberry.Info,
        machine_id: strawberry.ID,
        state: MachineState,  # type: ignore[valid-type]
        at: datetime,
    ) -> RecordMachineStateResult:
        api: Any = info.context.api.machine_state
        return await api.record(info, str(machine_id), state, at)  # type: ignore[no-any-return]
