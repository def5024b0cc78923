"""The simulated plant's OPC UA server: Machinery machines that tests and the simulator write.

`start_plant_server` imports DI and Machinery 1.03, builds every machine (see `nodes`),
applies the security settings and starts listening. `PlantServer` writes states and
process values straight into the address space as DataValues with explicit source and
server timestamps: no client round trip and no per-write node lookups, since the stock
asyncua server already spends most of its time copying each notification.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import cast
from urllib.parse import urlparse

from asyncua import ua
from asyncua.server.server import Server
from asyncua.ua.attribute_ids import AttributeIds
from asyncua.ua.status_codes import StatusCodes

from domain.states import MachineState
from ingest.opcua import address_space as space
from ingest.opcua.nodesets import machinery_nodesets
from ingest.plant_sim.machinery import TypeNodes, resolve_types
from ingest.plant_sim.machines import SimMachine
from ingest.plant_sim.nodes import MachineNodes, add_machines, machine_nodes
from ingest.plant_sim.security import (
    APPLICATION_URI,
    PasswordUserManager,
    SecurityConfigError,
    describe_policies,
    parse_policies,
)

log = logging.getLogger(__name__)

SERVER_NAME = "factorygraph plant simulator"
STATE_TEXT = {state: name for name, state in space.STATE_NAMES.items()}
"""Machine state -> the MachineryItemState state name written to CurrentState."""

StatusLike = int | ua.StatusCode


class UnknownMachineError(KeyError):
    """A write names a machine or variable the server does not have."""


@dataclass
class PlantServer:
    """A running plant server and the handles to write its machines."""

    server: Server
    endpoint: str
    types: TypeNodes
    machines: dict[str, MachineNodes]
    started_s: float
    """Seconds from the call to serving (import, build, bind)."""
    writes: int = field(default=0)

    async def set_state(self, machine_id: str, state: MachineState, at: datetime) -> None:
        """MachineryItemState: CurrentState text and its Id (the state's NodeId)."""
        nodes = self._machine(machine_id)
        name = STATE_TEXT[state]
        await self._write_state(nodes.state, nodes.state_id, name, self.types.states[name], at)

    async def set_operation_mode(self, machine_id: str, mode: str, at: datetime) -> None:
        """MachineryOperationMode: one of `OPERATION_MODES`."""
        if mode not in self.types.modes:
            raise ValueError(f"unknown operation mode {mode!r}; one of {space.OPERATION_MODES}")
        nodes = self._machine(machine_id)
        await self._write_state(nodes.mode, nodes.mode_id, mode, self.types.modes[mode], at)

    async def set_value(
        self,
        machine_id: str,
        browse_name: str,
        value: object,
        at: datetime,
        status_code: StatusLike = StatusCodes.Good,
    ) -> None:
        """One Monitoring variable; a Bad status writes no value (OPC UA: it is null)."""
        status = (
            status_code
            if isinstance(status_code, ua.StatusCode)
            else ua.StatusCode(ua.UInt32(status_code))
        )
        await self._write_values(machine_id, {browse_name: value}, at, status)

    async def set_values(self, machine_id: str, values: Mapping[str, object], at: datetime) -> None:
        """Several Monitoring variables of one machine, all Good, one timestamp."""
        await self._write_values(machine_id, values, at, ua.StatusCode(ua.UInt32(StatusCodes.Good)))

    async def stop(self) -> None:
        await self.server.stop()
        log.info("plant_sim.stopped endpoint=%s writes=%d", self.endpoint, self.writes)

    # --- internals ------------------------------------------------------------------------
    def _machine(self, machine_id: str) -> MachineNodes:
        try:
            return self.machines[machine_id]
        except KeyError:
            raise UnknownMachineError(f"no machine {machine_id!r} on this server") from None

    async def _write(self, node: ua.NodeId, value: ua.DataValue) -> None:
        aspace = self.server.iserver.aspace
        status = await aspace.write_attribute_value(node, AttributeIds.Value, value)
        status.check()
        self.writes += 1

    async def _write_state(
        self, current: ua.NodeId, current_id: ua.NodeId, name: str, state: ua.NodeId, at: datetime
    ) -> None:
        now = datetime.now(UTC)
        text = ua.Variant(ua.LocalizedText(name, "en"), ua.VariantType.LocalizedText)
        state_id = ua.Variant(state, ua.VariantType.NodeId)
        await self._write(current_id, _data_value(state_id, _GOOD, at, now))
        await self._write(current, _data_value(text, _GOOD, at, now))

    async def _write_values(
        self, machine_id: str, values: Mapping[str, object], at: datetime, status: ua.StatusCode
    ) -> None:
        variables = self._machine(machine_id).values
        now = datetime.now(UTC)
        for name, value in values.items():
            try:
                node, vtype = variables[name]
            except KeyError:
                raise UnknownMachineError(
                    f"machine {machine_id} has no variable {name!r}"
                ) from None
            variant = ua.Variant() if status.is_bad() else ua.Variant(value, vtype)
            await self._write(node, _data_value(variant, status, at, now))


_GOOD = ua.StatusCode(ua.UInt32(StatusCodes.Good))


def _data_value(
    value: ua.Variant, status: ua.StatusCode, at: datetime, now: datetime
) -> ua.DataValue:
    return ua.DataValue(
        Value=value,
        StatusCode=status,
        SourceTimestamp=cast(ua.DateTime, at),
        ServerTimestamp=cast(ua.DateTime, now),
    )


async def start_plant_server(
    endpoint: str,
    machines: list[SimMachine],
    *,
    security: Sequence[str] = ("None",),
    cert: Path | None = None,
    key: Path | None = None,
    users: dict[str, str] | None = None,
    allow_anonymous: bool = True,
    nodesets_dir: Path | None = None,
) -> PlantServer:
    """Build the plant's address space and serve it on `endpoint` (opc.tcp://host:port)."""
    began = time.perf_counter()
    policies = parse_policies(security)
    secured = any(p is not ua.SecurityPolicyType.NoSecurity for p in policies)
    if secured and (cert is None or key is None):
        raise SecurityConfigError("a secured endpoint needs the server's certificate and key")
    if not allow_anonymous and not users:
        raise SecurityConfigError("anonymous logins are off and no user is configured")
    if not machines:
        raise ValueError("a plant needs at least one machine")
    url = urlparse(endpoint)
    if url.scheme != "opc.tcp" or not url.hostname or not url.port:
        raise ValueError(f"endpoint must look like opc.tcp://host:port, got {endpoint!r}")

    server = Server(user_manager=PasswordUserManager(users or {}, allow_anonymous))  # type: ignore[arg-type]
    await server.init()
    server.set_endpoint(endpoint)
    server.set_server_name(SERVER_NAME)
    server.product_uri = "urn:factorygraph:plant-sim:product"
    await server.set_application_uri(APPLICATION_URI)
    if cert is not None and key is not None:
        await server.load_certificate(str(cert))
        await server.load_private_key(str(key))
    server.set_security_policy(policies)
    tokens: list[type] = [ua.UserNameIdentityToken] if users else []
    if allow_anonymous:
        tokens.insert(0, ua.AnonymousIdentityToken)
    server.set_identity_tokens(tokens)

    for nodeset in machinery_nodesets(nodesets_dir):
        await server.import_xml(str(nodeset))
    plant_ns = await server.register_namespace(space.PLANT_NS)
    types = await resolve_types(server, plant_ns)
    await add_machines(server, types, machines)
    handles = {m.id: machine_nodes(types, m) for m in machines}
    await server.start()
    plant = PlantServer(server, endpoint, types, handles, time.perf_counter() - began)
    identities = (["anonymous"] if allow_anonymous else []) + (
        [f"username ({len(users)} users)"] if users else []
    )
    log.info(
        "plant_sim.serving endpoint=%s machines=%d policies=%r identities=%r "
        "certificate=%s startup_s=%.2f",
        endpoint,
        len(machines),
        describe_policies(policies),
        ", ".join(identities),
        cert or "none",
        plant.started_s,
    )
    return plant
