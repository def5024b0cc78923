"""A plain asyncua client against the node-opcua plant server: the contract holds across stacks.

Namespaces are resolved by URI; the Machines folder, Identification, the Machinery state
machines and the Monitoring variables are browsed and read; subscriptions receive the
changes stdin commands cause, with the source timestamp and status code they gave.
"""

from __future__ import annotations

import asyncio
import itertools
from collections import defaultdict
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from asyncua import Client, ua
from asyncua.common.node import Node
from asyncua.common.subscription import DataChangeEvent, Subscription
from asyncua.crypto.cert_gen import setup_self_signed_certificate
from asyncua.crypto.security_policies import SecurityPolicyBasic256Sha256
from cryptography.x509.oid import ExtendedKeyUsageOID

from bench.node_opcua import NodeOpcuaServer, shared_nodesets
from graph.server import free_port
from ingest.opcua.address_space import (
    BUILDING_BLOCKS,
    CURRENT_STATE,
    DI_NS,
    IDENTIFICATION,
    ITEM_STATE,
    MACHINERY_NS,
    MACHINES_FOLDER_ID,
    MONITORING,
    OPERATION_MODE,
    PLANT_NS,
    PROCESS_VARIABLES,
)
from tests.integration.opcua_interop.conftest import MACHINES

pytestmark = pytest.mark.asyncio(loop_scope="session")

MACHINE_IDENTIFICATION_TYPE = 1012
ITEM_STATE_MACHINE_TYPE = 1002
OPERATION_MODE_MACHINE_TYPE = 1008
"""Numeric ids of the Machinery 1.03 types in the Machinery namespace."""


class Changes:
    """Every data change one subscription delivers, in arrival order (asyncua's iterator API)."""

    def __init__(self, subscription: Subscription) -> None:
        self.seen: list[tuple[ua.NodeId, ua.DataValue]] = []
        self._arrived = asyncio.Event()
        self._task = asyncio.create_task(self._collect(subscription))

    async def _collect(self, subscription: Subscription) -> None:
        async for event in subscription:
            if isinstance(event, DataChangeEvent):
                self.seen.append((event.node.nodeid, event.data.monitored_item.Value))
                self._arrived.set()

    async def first(
        self, node: Node, matches: Callable[[ua.DataValue], bool], within: float = 5.0
    ) -> ua.DataValue:
        """The first change of `node` that `matches`, waiting for it up to `within` seconds."""
        try:
            async with asyncio.timeout(within):
                while True:
                    for node_id, value in self.seen:
                        if node_id == node.nodeid and matches(value):
                            return value
                    self._arrived.clear()
                    await self._arrived.wait()
        except TimeoutError:
            raise AssertionError(f"no matching change of {node.nodeid} in {within} s") from None

    def stop(self) -> None:
        self._task.cancel()


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def aware(moment: datetime | None) -> datetime:
    assert moment is not None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def value_is(expected: Any) -> Callable[[ua.DataValue], bool]:
    def matches(dv: ua.DataValue) -> bool:
        value = dv.Value.Value if dv.Value is not None else None
        if isinstance(value, ua.LocalizedText):
            value = value.Text
        return bool(value == expected)

    return matches


@pytest.fixture(scope="module")
async def client(node_server: NodeOpcuaServer) -> AsyncIterator[Client]:
    async with Client(node_server.endpoint, timeout=10) as connected:
        yield connected


@pytest.fixture(scope="module")
async def ns(client: Client) -> dict[str, int]:
    """Namespace URI -> this server's index for it (indexes differ between servers)."""
    array = await client.get_namespace_array()
    return {uri: array.index(uri) for uri in (MACHINERY_NS, DI_NS, PLANT_NS)}


async def machine_node(client: Client, ns: dict[str, int], machine_id: str) -> Node:
    folder = client.get_node(ua.NodeId(MACHINES_FOLDER_ID, ns[MACHINERY_NS]))
    return await folder.get_child(f"{ns[PLANT_NS]}:{machine_id}")


async def state_node(client: Client, ns: dict[str, int], machine_id: str, which: str) -> Node:
    machine = await machine_node(client, ns, machine_id)
    m = ns[MACHINERY_NS]
    return await machine.get_child([f"{m}:{BUILDING_BLOCKS}", f"{m}:{which}", f"0:{CURRENT_STATE}"])


async def monitoring_node(client: Client, ns: dict[str, int], machine_id: str, name: str) -> Node:
    machine = await machine_node(client, ns, machine_id)
    p = ns[PLANT_NS]
    return await machine.get_child([f"{p}:{MONITORING}", f"{p}:{name}"])


async def subscribe(client: Client, nodes: list[Node]) -> tuple[Subscription, Changes]:
    """One subscription, every node in one CreateMonitoredItems call, sampling on change."""
    subscription = await client.create_subscription(50, None, queue_maxsize=100_000)
    handles = await subscription.subscribe_data_change(nodes, sampling_interval=0, queuesize=100)
    assert all(isinstance(h, int) for h in handles), handles
    return subscription, Changes(subscription)


async def test_machines_folder_is_the_machinery_one_and_holds_every_machine(
    client: Client, ns: dict[str, int]
) -> None:
    folder = client.get_node(ua.NodeId(MACHINES_FOLDER_ID, ns[MACHINERY_NS]))
    assert await folder.read_browse_name() == ua.QualifiedName("Machines", ns[MACHINERY_NS])
    names = [await child.read_browse_name() for child in await folder.get_children()]
    assert sorted(names, key=lambda q: q.Name) == [
        ua.QualifiedName(m["id"], ns[PLANT_NS]) for m in MACHINES
    ]


async def test_identification_is_a_machinery_identification_with_the_given_identity(
    client: Client, ns: dict[str, int]
) -> None:
    for spec in MACHINES:
        machine = await machine_node(client, ns, spec["id"])
        identification = await machine.get_child(f"{ns[DI_NS]}:{IDENTIFICATION}")
        assert await identification.read_type_definition() == ua.NodeId(
            MACHINE_IDENTIFICATION_TYPE, ns[MACHINERY_NS]
        )
        read: dict[str, Any] = {}
        for name in ("Manufacturer", "SerialNumber", "ProductInstanceUri"):
            read[name] = await (await identification.get_child(f"{ns[DI_NS]}:{name}")).read_value()
        assert read["Manufacturer"].Text == spec["manufacturer"]
        assert read["SerialNumber"] == spec["serial_number"]
        assert read["ProductInstanceUri"] == spec["product_instance_uri"]


async def test_state_machines_are_machinery_types_and_start_not_executing(
    client: Client, ns: dict[str, int]
) -> None:
    machine = await machine_node(client, ns, "M-0003")
    m = ns[MACHINERY_NS]
    blocks = await machine.get_child(f"{m}:{BUILDING_BLOCKS}")
    item_state = await blocks.get_child(f"{m}:{ITEM_STATE}")
    mode = await blocks.get_child(f"{m}:{OPERATION_MODE}")
    assert await item_state.read_type_definition() == ua.NodeId(ITEM_STATE_MACHINE_TYPE, m)
    assert await mode.read_type_definition() == ua.NodeId(OPERATION_MODE_MACHINE_TYPE, m)
    state = await (await item_state.get_child(f"0:{CURRENT_STATE}")).read_value()
    assert isinstance(state, ua.LocalizedText)
    assert state.Text == "NotExecuting"
    assert (await (await mode.get_child(f"0:{CURRENT_STATE}")).read_value()).Text == "None"


async def test_monitoring_holds_the_process_variables_in_the_plant_namespace(
    client: Client, ns: dict[str, int]
) -> None:
    machine = await machine_node(client, ns, "M-0001")
    monitoring = await machine.get_child(f"{ns[PLANT_NS]}:{MONITORING}")
    names = [await child.read_browse_name() for child in await monitoring.get_children()]
    assert sorted(names, key=lambda q: q.Name) == sorted(
        (ua.QualifiedName(v.browse_name, ns[PLANT_NS]) for v in PROCESS_VARIABLES),
        key=lambda q: q.Name,
    )


async def test_state_and_mode_commands_arrive_with_their_source_timestamps(
    client: Client, ns: dict[str, int], node_server: NodeOpcuaServer
) -> None:
    state = await state_node(client, ns, "M-0002", ITEM_STATE)
    mode = await state_node(client, ns, "M-0002", OPERATION_MODE)
    subscription, changes = await subscribe(client, [state, mode])
    try:
        await changes.first(state, value_is("NotExecuting"))  # the initial value
        node_server.send({"machine": "M-0002", "state": "Executing", "at": "2026-11-22T10:00:00Z"})
        node_server.send(
            {"machine": "M-0002", "mode": "Processing", "at": "2026-11-22T10:00:00.250Z"}
        )
        node_server.send(
            {"machine": "M-0002", "state": "OutOfService", "at": "2026-11-22T10:05:00Z"}
        )

        executing = await changes.first(state, value_is("Executing"))
        assert aware(executing.SourceTimestamp) == utc("2026-11-22T10:00:00Z")
        assert executing.StatusCode.is_good()
        processing = await changes.first(mode, value_is("Processing"))
        assert aware(processing.SourceTimestamp) == utc("2026-11-22T10:00:00.250Z")
        out = await changes.first(state, value_is("OutOfService"))
        assert aware(out.SourceTimestamp) == utc("2026-11-22T10:05:00Z")

        # CurrentState/Id names the state object of the Machinery type, as a real server's does
        m = ns[MACHINERY_NS]
        type_state = await client.get_node(ua.NodeId(ITEM_STATE_MACHINE_TYPE, m)).get_child(
            f"{m}:OutOfService"
        )
        assert await (await state.get_child("0:Id")).read_value() == type_state.nodeid
    finally:
        changes.stop()
        await subscription.delete()


async def test_values_arrive_with_the_given_status_and_source_timestamp(
    client: Client, ns: dict[str, int], node_server: NodeOpcuaServer
) -> None:
    good_parts = await monitoring_node(client, ns, "M-0001", "GoodParts")
    torque = await monitoring_node(client, ns, "M-0001", "Torque")
    temperature = await monitoring_node(client, ns, "M-0001", "ProcessTemperature")
    order = await monitoring_node(client, ns, "M-0001", "CurrentWorkOrderId")
    subscription, changes = await subscribe(client, [good_parts, torque, temperature, order])
    try:
        base = "2026-11-22T11:00:0"
        commands: list[tuple[Node, dict[str, Any], int]] = [
            (good_parts, {"var": "GoodParts", "value": 5}, ua.StatusCodes.Good),
            (good_parts, {"var": "GoodParts", "value": 6, "status": "Good"}, ua.StatusCodes.Good),
            (
                torque,
                {"var": "Torque", "value": 41.25, "status": "Bad"},
                ua.StatusCodes.BadSensorFailure,
            ),
            (
                temperature,
                {"var": "ProcessTemperature", "value": 311.5, "status": "Uncertain"},
                ua.StatusCodes.UncertainLastUsableValue,
            ),
            (order, {"var": "CurrentWorkOrderId", "value": "WO-000042"}, ua.StatusCodes.Good),
        ]
        for i, (_, command, _) in enumerate(commands):
            node_server.send({"machine": "M-0001", **command, "at": f"{base}{i}Z"})

        for i, (node, command, status) in enumerate(commands):
            at = utc(f"{base}{i}Z")
            got = await changes.first(node, lambda dv, at=at: aware(dv.SourceTimestamp) == at)
            assert got.StatusCode.value == status, (command, got.StatusCode)
            assert got.Value is not None
            assert got.Value.Value == command["value"]
        # consecutive writes are both delivered, none coalesced away
        five = await changes.first(good_parts, value_is(5))
        assert aware(five.SourceTimestamp) == utc(f"{base}0Z")
        # a read after the fact gives the latest value and its status, too
        latest = await torque.read_data_value(raise_on_bad_status=False)
        assert latest.StatusCode.value == ua.StatusCodes.BadSensorFailure
        assert aware(latest.SourceTimestamp) == utc(f"{base}2Z")
    finally:
        changes.stop()
        await subscription.delete()


@pytest.mark.parametrize(
    ("command", "reason"),
    [
        ({"machine": "M-9999", "state": "Executing"}, "unknown machine"),
        ({"machine": "M-0001", "state": "Running"}, "state is one of"),
        ({"machine": "M-0001", "mode": "Auto"}, "mode is one of"),
        ({"machine": "M-0001", "var": "Pressure", "value": 1}, "unknown variable"),
        ({"machine": "M-0001", "var": "GoodParts", "value": "five"}, "takes a number"),
        ({"machine": "M-0001", "var": "GoodParts", "value": -1}, "unsigned 32-bit"),
        ({"machine": "M-0001", "var": "Torque", "value": 1, "status": "Meh"}, "status is"),
        ({"machine": "M-0001", "var": "Torque", "value": 1, "at": "yesterday"}, "ISO 8601"),
        ({"machine": "M-0001"}, "sets state, mode or var"),
    ],
)
async def test_bad_commands_are_refused_with_a_reason_and_change_nothing(
    client: Client,
    ns: dict[str, int],
    node_server: NodeOpcuaServer,
    command: dict[str, Any],
    reason: str,
) -> None:
    torque = await monitoring_node(client, ns, "M-0001", "Torque")
    before = await torque.read_data_value(raise_on_bad_status=False)
    with pytest.raises(ValueError, match=reason):
        node_server.send(command)
    after = await torque.read_data_value(raise_on_bad_status=False)
    assert (after.Value, after.StatusCode, after.SourceTimestamp) == (
        before.Value,
        before.StatusCode,
        before.SourceTimestamp,
    )


async def test_rate_mode_changes_every_variable_of_every_machine_per_tick(
    node_opcua_dir: Path,
) -> None:
    machines, rate = 50, 5.0
    server = NodeOpcuaServer(node_opcua_dir).start(machines=machines, rate=rate)
    try:
        async with Client(server.endpoint, timeout=10) as rated:
            p = (await rated.get_namespace_array()).index(PLANT_NS)
            nodes = [
                rated.get_node(ua.NodeId(f"M-{i:04d}.{MONITORING}.{v.browse_name}", p))
                for i in range(1, machines + 1)
                for v in PROCESS_VARIABLES
            ]
            started = datetime.now(UTC)
            subscription, changes = await subscribe(rated, nodes)
            await asyncio.sleep(1.5)
            ended = datetime.now(UTC)
            changes.stop()
            await subscription.delete()
    finally:
        server.stop()

    by_node: dict[str, list[ua.DataValue]] = defaultdict(list)
    for node_id, value in changes.seen:
        by_node[node_id.to_string()].append(value)
    assert len(by_node) == machines * len(PROCESS_VARIABLES)
    assert min(len(values) for values in by_node.values()) >= 3  # initial value + 2 ticks
    by_tick: dict[datetime, set[str]] = defaultdict(set)
    for key, values in by_node.items():
        stamps = [aware(v.SourceTimestamp) for v in values]
        assert stamps == sorted(stamps) and len(set(stamps)) == len(stamps), key
        assert all(v.StatusCode is not None and v.StatusCode.is_good() for v in values)
        if key.endswith(("GoodParts", "ScrapParts", "ToolWear")):
            series = [v.Value.Value for v in values if v.Value is not None]
            assert len(series) == len(values)
            assert all(b > a for a, b in itertools.pairwise(series)), key
        for stamp in stamps[1:]:  # after the initial value, every change is a tick's
            by_tick[stamp].add(key)
    ticks = sorted(by_tick)
    assert all(started - timedelta(seconds=1) <= t <= ended for t in ticks)
    # every tick but the first and last seen (cut by the window) is complete: one timestamp
    # shared by all items
    inner = ticks[1:-1]
    assert len(inner) >= 3
    assert all(len(by_tick[t]) == machines * len(PROCESS_VARIABLES) for t in inner), [
        (t, len(by_tick[t])) for t in ticks
    ]
    gaps = [(b - a).total_seconds() for a, b in itertools.pairwise(inner)]
    assert all(0.5 / rate < gap < 2.0 / rate for gap in gaps), gaps


async def test_the_bundled_newer_machinery_nodeset_keeps_the_contract(
    node_opcua_dir: Path,
) -> None:
    """node-opcua's own DI 1.05 / Machinery 1.04 (with IA) shifts indexes, not the contract."""
    server = NodeOpcuaServer(node_opcua_dir).start(machines=MACHINES[:1], bundled_nodesets=True)
    try:
        assert server.nodesets is None
        async with Client(server.endpoint, timeout=10) as bundled:
            array = await bundled.get_namespace_array()
            namespaces = {uri: array.index(uri) for uri in (MACHINERY_NS, DI_NS, PLANT_NS)}
            identification = await (await machine_node(bundled, namespaces, "M-0001")).get_child(
                f"{namespaces[DI_NS]}:{IDENTIFICATION}"
            )
            assert await identification.read_type_definition() == ua.NodeId(
                MACHINE_IDENTIFICATION_TYPE, namespaces[MACHINERY_NS]
            )
            serial = await identification.get_child(f"{namespaces[DI_NS]}:SerialNumber")
            assert await serial.read_value() == MACHINES[0]["serial_number"]
            state = await state_node(bundled, namespaces, "M-0001", ITEM_STATE)
            assert (await state.read_value()).Text == "NotExecuting"
    finally:
        server.stop()


async def test_sign_and_encrypt_serves_a_certificate_client_and_refuses_a_plain_one(
    node_opcua_dir: Path, tmp_path: Path
) -> None:
    uri = "urn:factorygraph:test-client"
    key, cert = tmp_path / "key.pem", tmp_path / "cert.der"
    await setup_self_signed_certificate(
        key, cert, uri, "localhost", [ExtendedKeyUsageOID.CLIENT_AUTH], {"commonName": "test"}
    )
    server = NodeOpcuaServer(node_opcua_dir).start(machines=1, security="sign-and-encrypt")
    try:
        secure = Client(server.endpoint, timeout=10)
        secure.application_uri = uri
        await secure.set_security(
            SecurityPolicyBasic256Sha256,
            str(cert),
            str(key),
            mode=ua.MessageSecurityMode.SignAndEncrypt,
        )
        async with secure:
            p = (await secure.get_namespace_array()).index(PLANT_NS)
            torque = secure.get_node(ua.NodeId(f"M-0001.{MONITORING}.Torque", p))
            server.send({"machine": "M-0001", "var": "Torque", "value": 42.5})
            assert await torque.read_value() == 42.5
        with pytest.raises(ua.UaStatusCodeError, match="SecurityModeRejected"):
            async with Client(server.endpoint, timeout=10):
                pass
    finally:
        server.stop()


async def test_a_killed_server_restarts_on_its_port_with_the_same_address_space(
    node_opcua_dir: Path,
) -> None:
    server = NodeOpcuaServer(node_opcua_dir).start(machines=MACHINES[:1])
    try:
        endpoint = server.endpoint
        server.send({"machine": "M-0001", "var": "GoodParts", "value": 77})
        server.kill()
        assert server.returncode == -9
        with pytest.raises(RuntimeError, match="not running"):
            server.send({"machine": "M-0001", "var": "GoodParts", "value": 78})
        server.restart()
        assert server.endpoint == endpoint
        async with Client(endpoint, timeout=10) as again:
            p = (await again.get_namespace_array()).index(PLANT_NS)
            counter = again.get_node(ua.NodeId(f"M-0001.{MONITORING}.GoodParts", p))
            assert await counter.read_value() == 0  # a restarted server's counters start over
            server.send({"machine": "M-0001", "var": "GoodParts", "value": 3})
            assert await counter.read_value() == 3
    finally:
        server.stop()
    assert server.returncode == 0  # SIGTERM is a clean exit


async def test_a_server_that_cannot_start_says_why(node_opcua_dir: Path) -> None:
    incomplete = [{"id": "M-0001", "manufacturer": "Heller", "product_instance_uri": "urn:x"}]
    server = NodeOpcuaServer(node_opcua_dir)
    with pytest.raises(RuntimeError, match="lacks a string serial_number"):
        server.start(machines=incomplete)
    assert server.returncode == 1
    server.stop()


async def test_stdin_eof_ends_the_server_cleanly_and_ready_is_the_first_line(
    node_opcua_dir: Path, tmp_path: Path
) -> None:
    port = free_port()
    argv = [str(node_opcua_dir / "server.mjs"), "--port", str(port), "--machines", "1"]
    argv += ["--pki-dir", str(tmp_path / "pki")]
    nodesets = shared_nodesets()
    if nodesets is not None:
        argv += ["--nodeset-dir", str(nodesets)]
    process = await asyncio.create_subprocess_exec(
        "node",
        *argv,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        assert process.stdout is not None and process.stdin is not None
        ready = await asyncio.wait_for(process.stdout.readline(), 60)
        assert ready == f"READY opc.tcp://127.0.0.1:{port}\n".encode()
        process.stdin.write(b'{"machine":"M-0001","state":"Executing"}\nnot json\n')
        process.stdin.close()
        assert await asyncio.wait_for(process.wait(), 20) == 0
        replies = (await process.stdout.read()).decode().splitlines()
        assert replies[0] == "OK"
        assert replies[1].startswith("ERROR ")
        assert len(replies) == 2
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
