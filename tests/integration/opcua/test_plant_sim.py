"""The simulated plant against a real asyncua client: discovery, types, values, security.

The plant runs as its own process (`python -m ingest.plant_sim`), as it does in the demo;
the write handles are tested on an in-process server, as the ingest's tests use them.
"""

from __future__ import annotations

import asyncio
import socket
import stat
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from asyncua import ua
from asyncua.client.client import Client
from asyncua.common.node import Node
from asyncua.crypto.security_policies import SecurityPolicyBasic256Sha256
from asyncua.ua.object_ids import ObjectIds
from asyncua.ua.status_codes import StatusCodes
from asyncua.ua.uaerrors import UaStatusCodeError
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa

from domain.states import MachineState
from graph.server import free_port
from ingest.opcua import address_space as space
from ingest.opcua.certificates import certificate_uri, make_certificate
from ingest.opcua.nodesets import NODESETS_ENV, NodesetsMissingError, nodesets_dir
from ingest.plant_sim.machines import SimMachine, sim_machines
from ingest.plant_sim.security import (
    APPLICATION_URI,
    SecurityConfigError,
    parse_policies,
)
from ingest.plant_sim.server import PlantServer, start_plant_server
from tests.integration.opcua.plant_sim_process import (
    plant_sim_endpoint,
    start_plant_sim,
    stop_plant_sim,
)

MACHINES = 5
SEED = 42
CLIENT_URI = "urn:factorygraph:test-client"


@pytest.fixture(scope="module")
def plant() -> Iterator[str]:
    port = free_port()
    process = start_plant_sim(
        port,
        "--machines",
        str(MACHINES),
        "--rate",
        "10",
        "--seed",
        str(SEED),
        "--time-scale",
        "120",
    )
    try:
        yield plant_sim_endpoint(port)
    finally:
        assert stop_plant_sim(process) == 0  # a clean stop on SIGTERM


@pytest.fixture
async def client(plant: str) -> AsyncIterator[Client]:
    async with Client(plant, timeout=10) as c:
        yield c


async def machine_nodes(client: Client) -> list[Node]:
    """The machines in the Machines folder, found by namespace URI, never by index."""
    namespaces = await client.get_namespace_array()
    machinery = namespaces.index(space.MACHINERY_NS)
    folder = client.get_node(ua.NodeId(ua.Int32(space.MACHINES_FOLDER_ID), ua.Int16(machinery)))
    return await folder.get_children(refs=ObjectIds.Organizes)


async def child(node: Node, *names: str) -> Node:
    """Follow browse names (namespace-agnostic, as the ingest's discovery does)."""
    for name in names:
        by_name = {(await c.read_browse_name()).Name: c for c in await node.get_children()}
        assert name in by_name, f"{name} not below {node.nodeid.to_string()}: {sorted(by_name)}"
        node = by_name[name]
    return node


def text(value: Any) -> str:
    return value.Text if isinstance(value, ua.LocalizedText) else str(value)


# --- discovery ---------------------------------------------------------------------------------


@pytest.mark.asyncio(loop_scope="session")
async def test_the_machines_folder_holds_the_demo_plants_machines(client: Client) -> None:
    expected = {m.product_instance_uri: m for m in sim_machines("small", SEED, MACHINES)}
    machines = await machine_nodes(client)
    assert len(machines) == MACHINES
    found = {}
    for node in machines:
        ident = await child(node, space.IDENTIFICATION)
        values = {
            (await p.read_browse_name()).Name: await p.read_value()
            for p in await ident.get_children()
        }
        found[values["ProductInstanceUri"]] = values
        m = expected[values["ProductInstanceUri"]]
        assert text(values["Manufacturer"]) == m.manufacturer
        assert values["SerialNumber"] == m.serial_number
        assert text(values["Model"]) == m.kind
        assert values["YearOfConstruction"] == m.year_of_construction
        assert (await node.read_display_name()).Text == m.name
    assert set(found) == set(expected)


@pytest.mark.asyncio(loop_scope="session")
async def test_machines_are_instances_of_the_machinery_types(client: Client) -> None:
    namespaces = await client.get_namespace_array()
    machinery = namespaces.index(space.MACHINERY_NS)
    di = namespaces.index(space.DI_NS)
    node = (await machine_nodes(client))[0]
    ident = await child(node, space.IDENTIFICATION)
    assert (await ident.read_type_definition()) == ua.NodeId(1012, machinery)
    assert (await ident.read_browse_name()).NamespaceIndex == di
    add_ins = await node.get_referenced_nodes(refs=ObjectIds.HasAddIn)
    assert ident in add_ins  # Identification is an AddIn of the machine
    blocks = await child(node, space.BUILDING_BLOCKS)
    assert (await blocks.read_type_definition()) == ua.NodeId(ObjectIds.FolderType)
    block_add_ins = await blocks.get_referenced_nodes(refs=ObjectIds.HasAddIn)
    for name, type_id, states in (
        (space.ITEM_STATE, 1002, set(space.STATE_NAMES)),
        (space.OPERATION_MODE, 1008, set(space.OPERATION_MODES)),
    ):
        machine = await child(blocks, name)
        assert machine in block_add_ins
        assert (await machine.read_type_definition()) == ua.NodeId(type_id, machinery)
        current = await child(machine, space.CURRENT_STATE)
        name_now = text(await current.read_value())
        assert name_now in states
        # CurrentState.Id is the NodeId of that state in the type
        state_id = await (await child(current, "Id")).read_value()
        state_node = client.get_node(state_id)
        assert (await state_node.read_browse_name()).Name == name_now
        assert state_id.NamespaceIndex == machinery


@pytest.mark.asyncio(loop_scope="session")
async def test_states_and_process_values_read_with_their_types(client: Client) -> None:
    for node in await machine_nodes(client):
        state = await child(node, space.BUILDING_BLOCKS, space.ITEM_STATE, space.CURRENT_STATE)
        assert space.machine_state(text(await state.read_value())) in set(MachineState)
        monitoring = await child(node, space.MONITORING)
        values: dict[str, ua.DataValue] = {}
        for var in space.PROCESS_VARIABLES:
            v = await child(monitoring, var.browse_name)
            values[var.browse_name] = await v.read_data_value()
            if var.unit:
                eu = await (await child(v, "EngineeringUnits")).read_value()
                assert eu.DisplayName.Text.replace("·", "") == var.unit
        kinds = {name: dv.Value.VariantType for name, dv in values.items() if dv.Value}
        assert kinds["AirTemperature"] == ua.VariantType.Double
        assert kinds["GoodParts"] == ua.VariantType.UInt32
        assert kinds["CurrentWorkOrderId"] == ua.VariantType.String
        air = values["AirTemperature"].Value.Value  # type: ignore[union-attr]
        process = values["ProcessTemperature"].Value.Value  # type: ignore[union-attr]
        assert 290 < air < 310 and 0 < process - air < 15
        assert 0 <= values["ToolWear"].Value.Value <= 260  # type: ignore[union-attr]
        speed = values["RotationalSpeed"].Value.Value  # type: ignore[union-attr]
        assert speed == 0 or 1_100 < speed < 3_000
        assert values["CurrentWorkOrderId"].Value.Value.startswith("WO-")  # type: ignore[union-attr]
        for dv in values.values():
            assert dv.StatusCode is not None and dv.StatusCode.is_good()
            assert dv.SourceTimestamp is not None and dv.ServerTimestamp is not None


class Collector:
    """asyncua's subscription handler: every notification with its source timestamp."""

    def __init__(self) -> None:
        self.seen: dict[str, list[tuple[Any, datetime]]] = {}

    def datachange_notification(self, node: Node, val: Any, data: Any) -> None:
        stamp = data.monitored_item.Value.SourceTimestamp
        self.seen.setdefault(node.nodeid.to_string(), []).append((val, stamp))


@pytest.mark.asyncio(loop_scope="session")
async def test_a_subscription_sees_values_change_with_source_timestamps(client: Client) -> None:
    nodes = []
    names: dict[str, str] = {}
    for machine in await machine_nodes(client):
        monitoring = await child(machine, space.MONITORING)
        for var in space.PROCESS_VARIABLES:
            node = await child(monitoring, var.browse_name)
            nodes.append(node)
            names[node.nodeid.to_string()] = var.browse_name
        state = await child(machine, space.BUILDING_BLOCKS, space.ITEM_STATE, space.CURRENT_STATE)
        nodes.append(state)
        names[state.nodeid.to_string()] = "State"
    collector = Collector()
    subscription = await client.create_subscription(100, collector)
    await subscription.subscribe_data_change(nodes, queuesize=100)
    started = datetime.now(UTC)
    try:
        for _ in range(100):  # the first notification per node is its current value
            await asyncio.sleep(0.1)
            changed = {
                names[n]
                for n, seen in collector.seen.items()
                if len({repr(v) for v, _ in seen}) > 1
            }
            if {"AirTemperature", "GoodParts", "ToolWear"} <= changed:
                break
    finally:
        await subscription.delete()
    assert {"AirTemperature", "GoodParts", "ToolWear"} <= changed, changed
    for node_id, seen in collector.seen.items():
        stamps = [s for _, s in seen]
        assert all(s is not None for s in stamps)
        assert stamps == sorted(stamps)  # source time never runs backwards per variable
        later = [s.replace(tzinfo=UTC) for s in stamps[1:]]
        assert all(started - timedelta(seconds=2) < s < datetime.now(UTC) for s in later)
        if names[node_id] in ("GoodParts", "ScrapParts"):
            counts = [v for v, _ in seen]
            assert counts == sorted(counts)  # counters only go up
    assert len(collector.seen) == len(nodes)


# --- security ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def secured_plant(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """A plant with only Basic256Sha256 SignAndEncrypt and a user; its certificate generated."""
    pki = tmp_path_factory.mktemp("pki")
    port = free_port()
    process = start_plant_sim(
        port,
        "--machines",
        "2",
        "--security",
        "Basic256Sha256,SignAndEncrypt",
        "--user",
        "alice:s3cret:with-colon",
        env={"FACTORYGRAPH_PLANT_SIM_PKI": str(pki)},
    )
    try:
        yield plant_sim_endpoint(port), pki
    finally:
        assert stop_plant_sim(process) == 0


@pytest.fixture(scope="module")
def client_certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    pki = tmp_path_factory.mktemp("client-pki")
    cert, key = pki / "client.der", pki / "client.pem"
    make_certificate(
        cert,
        key,
        common_name="factorygraph test client",
        application_uri=CLIENT_URI,
        hostnames=[socket.gethostname(), "localhost"],
    )
    return cert, key


async def secured_client(
    endpoint: str, certificate: tuple[Path, Path], server_cert: Path
) -> Client:
    client = Client(endpoint, timeout=10)
    client.application_uri = CLIENT_URI
    await client.set_security(
        SecurityPolicyBasic256Sha256,
        str(certificate[0]),
        str(certificate[1]),
        server_certificate=str(server_cert),
        mode=ua.MessageSecurityMode.SignAndEncrypt,
    )
    return client


@pytest.mark.asyncio(loop_scope="session")
async def test_the_secured_plant_made_its_certificate_and_offers_only_that_policy(
    secured_plant: tuple[str, Path],
) -> None:
    endpoint, pki = secured_plant
    cert, key = pki / "plant-sim-cert.der", pki / "plant-sim-key.pem"
    assert certificate_uri(cert) == APPLICATION_URI
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    probe = Client(endpoint, timeout=10)  # GetEndpoints needs no session
    endpoints = await probe.connect_and_get_server_endpoints()
    offered = {(e.SecurityPolicyUri, e.SecurityMode) for e in endpoints}
    assert offered == {(SecurityPolicyBasic256Sha256.URI, ua.MessageSecurityMode.SignAndEncrypt)}
    tokens = {t.TokenType for e in endpoints for t in e.UserIdentityTokens}
    assert tokens == {ua.UserTokenType.UserName}


@pytest.mark.asyncio(loop_scope="session")
async def test_a_user_with_a_password_connects_over_sign_and_encrypt(
    secured_plant: tuple[str, Path], client_certificate: tuple[Path, Path]
) -> None:
    endpoint, pki = secured_plant
    client = await secured_client(endpoint, client_certificate, pki / "plant-sim-cert.der")
    client.set_user("alice")
    client.set_password("s3cret:with-colon")
    async with client:
        machines = await machine_nodes(client)
        assert len(machines) == 2
        ident = await child(machines[0], space.IDENTIFICATION, "SerialNumber")
        assert await ident.read_value() == sim_machines("small", 42, 1)[0].serial_number


@pytest.mark.asyncio(loop_scope="session")
@pytest.mark.parametrize("password", [None, "wrong"])
async def test_anonymous_and_wrong_passwords_are_refused(
    secured_plant: tuple[str, Path], client_certificate: tuple[Path, Path], password: str | None
) -> None:
    endpoint, pki = secured_plant
    client = await secured_client(endpoint, client_certificate, pki / "plant-sim-cert.der")
    if password is not None:
        client.set_user("alice")
        client.set_password(password)
    with pytest.raises(UaStatusCodeError) as refused:
        await client.connect()  # which closes its socket when it fails
    assert refused.value.code in (
        StatusCodes.BadIdentityTokenRejected,
        StatusCodes.BadUserAccessDenied,
        StatusCodes.BadIdentityTokenInvalid,
    )


# --- the write handles, in process ------------------------------------------------------------


@pytest.fixture
async def local_plant() -> AsyncIterator[tuple[PlantServer, list[SimMachine]]]:
    machines = sim_machines("small", SEED, 2)
    server = await start_plant_server(f"opc.tcp://127.0.0.1:{free_port()}", machines)
    try:
        yield server, machines
    finally:
        await server.stop()


@pytest.mark.asyncio(loop_scope="session")
async def test_handles_write_states_modes_and_values_with_their_timestamps(
    local_plant: tuple[PlantServer, list[SimMachine]],
) -> None:
    server, machines = local_plant
    machine_id = machines[1].id
    at = datetime(2026, 11, 22, 8, 30, 15, 250_000, tzinfo=UTC)
    await server.set_state(machine_id, MachineState.OUT_OF_SERVICE, at)
    await server.set_operation_mode(machine_id, "Maintenance", at)
    await server.set_values(machine_id, {"Torque": 41.5, "GoodParts": 17}, at)
    later = at + timedelta(seconds=1)
    await server.set_value(
        machine_id, "AirTemperature", 0.0, later, status_code=StatusCodes.BadSensorFailure
    )
    await server.set_value(
        machine_id,
        "ProcessTemperature",
        309.5,
        later,
        status_code=StatusCodes.UncertainLastUsableValue,
    )
    async with Client(server.endpoint, timeout=10) as client:
        node = next(n for n in await machine_nodes(client) if n.nodeid.Identifier == machine_id)
        state = await child(node, space.BUILDING_BLOCKS, space.ITEM_STATE, space.CURRENT_STATE)
        dv = await state.read_data_value()
        assert text(dv.Value.Value) == "OutOfService"  # type: ignore[union-attr]
        assert dv.SourceTimestamp is not None
        assert dv.SourceTimestamp.replace(tzinfo=UTC) == at
        mode = await child(node, space.BUILDING_BLOCKS, space.OPERATION_MODE, space.CURRENT_STATE)
        assert text(await mode.read_value()) == "Maintenance"
        monitoring = await child(node, space.MONITORING)
        torque = await (await child(monitoring, "Torque")).read_data_value()
        assert torque.Value.Value == 41.5  # type: ignore[union-attr]
        assert torque.SourceTimestamp.replace(tzinfo=UTC) == at  # type: ignore[union-attr]
        parts = await (await child(monitoring, "GoodParts")).read_data_value()
        assert parts.Value.Value == 17  # type: ignore[union-attr]
        air = await (await child(monitoring, "AirTemperature")).read_data_value(
            raise_on_bad_status=False
        )
        assert air.StatusCode is not None and air.StatusCode.value == StatusCodes.BadSensorFailure
        process = await (await child(monitoring, "ProcessTemperature")).read_data_value(
            raise_on_bad_status=False
        )
        assert process.StatusCode is not None and process.StatusCode.is_uncertain()
        assert process.Value.Value == 309.5  # type: ignore[union-attr]
        assert server.writes >= 7
    with pytest.raises(KeyError):
        await server.set_value("M-9999", "Torque", 1.0, at)
    with pytest.raises(KeyError):
        await server.set_value(machine_id, "NoSuchVariable", 1.0, at)


# --- configuration -----------------------------------------------------------------------------


def test_policies_parse_strictly() -> None:
    assert parse_policies(["None"]) == [ua.SecurityPolicyType.NoSecurity]
    assert parse_policies(["None,Basic256Sha256,SignAndEncrypt", "Aes256Sha256RsaPss,Sign"]) == [
        ua.SecurityPolicyType.NoSecurity,
        ua.SecurityPolicyType.Basic256Sha256_SignAndEncrypt,
        ua.SecurityPolicyType.Aes256Sha256RsaPss_Sign,
    ]
    for bad in (["Basic256Sha256"], ["Basic256,Sign"], ["Basic256Sha256,Encrypt"], [""]):
        with pytest.raises(SecurityConfigError):
            parse_policies(bad)


def test_certificates_carry_the_application_uri(tmp_path: Path) -> None:
    cert_path, key_path = tmp_path / "c.der", tmp_path / "k.pem"
    make_certificate(
        cert_path,
        key_path,
        common_name="x",
        application_uri="urn:example:app",
        hostnames=["plant.local", "127.0.0.1"],
    )
    cert = x509.load_der_x509_certificate(cert_path.read_bytes())
    san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert san.get_values_for_type(x509.UniformResourceIdentifier) == ["urn:example:app"]
    assert san.get_values_for_type(x509.DNSName) == ["plant.local"]
    assert [str(ip) for ip in san.get_values_for_type(x509.IPAddress)] == ["127.0.0.1"]
    public = cert.public_key()
    assert isinstance(public, rsa.RSAPublicKey) and public.key_size == 2048
    assert stat.S_IMODE(key_path.stat().st_mode) == 0o600
    assert key_path.read_bytes().startswith(b"-----BEGIN RSA PRIVATE KEY-----")


def test_nodesets_are_found_or_named_when_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert (nodesets_dir() / "Machinery" / "Opc.Ua.Machinery.NodeSet2.xml").is_file()
    monkeypatch.setenv(NODESETS_ENV, str(tmp_path / "nowhere"))
    with pytest.raises(NodesetsMissingError, match="nowhere"):
        nodesets_dir()
