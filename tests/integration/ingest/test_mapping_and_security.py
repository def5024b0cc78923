"""Mapping files and secured connections, against the real plant server.

A mapping file is checked whole: its shape first (every problem named by entry and
field), then every node against the server, then every machine against the graph; a
bad file subscribes nothing. The ingest connects with Basic256Sha256 SignAndEncrypt and a
user name, and a wrong password leaves it disconnected with the server's reason.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from asyncua.client.client import Client

from graph.server import free_port
from graph.store import GraphStore
from ingest.opcua.certificates import make_certificate
from ingest.opcua.connection import (
    APPLICATION_URI,
    ConnectionSettings,
    ConnectionSettingsError,
)
from ingest.opcua.mapping import MappingError, load_mapping, resolve_mapping
from ingest.opcua.service import IngestOptions, IngestService
from ingest.plant_sim.machines import sim_machines
from ingest.plant_sim.server import PlantServer, start_plant_server

ASYNC = pytest.mark.asyncio(loop_scope="session")

TORQUE = "nsu=urn:factorygraph:plant;s=M-0002.Monitoring.Torque"


@pytest.fixture(scope="module")
async def open_plant(plant_store: GraphStore) -> AsyncIterator[PlantServer]:
    machines = sim_machines("small", 42, 3)
    server = await start_plant_server(f"opc.tcp://127.0.0.1:{free_port()}", machines)
    yield server
    await server.stop()


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "mapping.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_malformed_mapping_file_names_every_problem(tmp_path: Path) -> None:
    with pytest.raises(MappingError) as caught:
        load_mapping(write(tmp_path, "items: [\n"))
    assert "not valid YAML" in str(caught.value)
    with pytest.raises(MappingError) as caught:
        load_mapping(write(tmp_path, "- node: x\n"))
    assert "`items` list" in str(caught.value)
    bad = """
items:
  - {node: "ns=2;s=a", browse_path: [Machines], machine: M-0001, property: torque}
  - {node: "ns=2;s=b", machine: M-0001, property: "Torque Nm"}
  - {node: "ns=2;s=c", machine: M-0001, property: speed, feed: sometimes}
  - {node: "ns=2;s=d", property: speed}
  - {node: "ns=2;s=e", machine: M-0001, property: wear, colour: red}
"""
    with pytest.raises(MappingError) as caught:
        load_mapping(write(tmp_path, bad))
    problems = caught.value.problems
    assert any(p.startswith("items[0]") and "exactly one of" in p for p in problems)
    assert any(p.startswith("items[1].property") for p in problems)
    assert any(p.startswith("items[2].feed") for p in problems)
    assert any(p.startswith("items[3].machine") for p in problems)
    assert any(p.startswith("items[4].colour") for p in problems)
    dup = "items:\n" + "\n".join(
        f'  - {{node: "ns=2;s={n}", machine: M-0001, property: torque}}' for n in "ab"
    )
    with pytest.raises(MappingError, match="mapped twice"):
        load_mapping(write(tmp_path, dup))


@ASYNC
async def test_a_mapping_resolves_on_the_server_or_lists_what_does_not(
    open_plant: PlantServer, tmp_path: Path
) -> None:
    good = load_mapping(
        write(
            tmp_path,
            f"""
items:
  - {{node: "{TORQUE}", machine: M-0002, property: torque, unit: Nm}}
  - browse_path: [Machines, M-0002, MachineryBuildingBlocks, MachineryItemState, CurrentState]
    machine: M-0002
    property: state
    feed: state
""",
        )
    )
    bad = load_mapping(
        write(
            tmp_path,
            """
items:
  - {node: "nsu=urn:factorygraph:plant;s=M-0002.Monitoring.Nothing", machine: M-0002, property: a}
  - {node: "nsu=urn:nobody;s=x", machine: M-0002, property: b}
  - {browse_path: [Machines, M-0002, Nowhere], machine: M-0002, property: c}
  - {node: "nsu=urn:factorygraph:plant;s=M-0002.Monitoring", machine: M-0002, property: d}
""",
        )
    )
    client = Client(open_plant.endpoint)
    await client.connect()
    try:
        bound = await resolve_mapping(client, good, "good.yaml")
        assert [(b.prop, b.feed.value) for b, _ in bound] == [
            ("torque", "value"),
            ("state", "state"),
        ]
        assert bound[0][0].node_id == TORQUE
        with pytest.raises(MappingError) as caught:
            await resolve_mapping(client, bad, "bad.yaml")
    finally:
        await client.disconnect()
    problems = caught.value.problems
    assert len(problems) == 4
    assert "does not exist" in problems[0]
    assert "urn:nobody" in problems[1]
    assert "no 'Nowhere' below Machines/M-0002" in problems[2]
    assert "is not a variable" in problems[3]


@ASYNC
async def test_a_mapping_to_an_unknown_machine_subscribes_nothing(
    plant_store: GraphStore, open_plant: PlantServer, tmp_path: Path
) -> None:
    mapping = load_mapping(
        write(tmp_path, f'items: [{{node: "{TORQUE}", machine: M-9999, property: torque}}]')
    )
    settings = ConnectionSettings(open_plant.endpoint, "None")
    service = IngestService(plant_store, IngestOptions([settings], mapping, "m.yaml"))
    await service.start()
    try:
        with pytest.raises(MappingError, match="M-9999"):
            async with asyncio.timeout(20):
                await service.ready()
        assert service.sessions[0].status.monitored_items == 0
    finally:
        await service.stop()


def test_security_options_are_checked_before_connecting(tmp_path: Path) -> None:
    with pytest.raises(ConnectionSettingsError, match="POLICY,MODE"):
        ConnectionSettings("opc.tcp://h:1", "Basic128Rsa15,Sign")
    with pytest.raises(ConnectionSettingsError, match="--cert and --key"):
        ConnectionSettings("opc.tcp://h:1", "Basic256Sha256,SignAndEncrypt")
    with pytest.raises(ConnectionSettingsError, match="both --user and --password"):
        ConnectionSettings("opc.tcp://h:1", "None", username="op")


@ASYNC
async def test_signed_and_encrypted_with_a_user_and_refused_with_a_wrong_password(
    plant_store: GraphStore, tmp_path: Path
) -> None:
    server_cert, server_key = tmp_path / "server.der", tmp_path / "server.pem"
    make_certificate(
        server_cert,
        server_key,
        common_name="plant",
        application_uri="urn:factorygraph:plant-sim",
        hostnames=["127.0.0.1", "localhost"],
    )
    client_cert, client_key = tmp_path / "client.der", tmp_path / "client.pem"
    make_certificate(
        client_cert,
        client_key,
        common_name="ingest",
        application_uri=APPLICATION_URI,
        hostnames=["localhost"],
    )
    plant = await start_plant_server(
        f"opc.tcp://127.0.0.1:{free_port()}",
        sim_machines("small", 42, 2),
        security=["Basic256Sha256,SignAndEncrypt"],
        cert=server_cert,
        key=server_key,
        users={"operator": "s3cret"},
        allow_anonymous=False,
    )
    try:

        def settings(password: str) -> ConnectionSettings:
            return ConnectionSettings(
                plant.endpoint,
                "Basic256Sha256,SignAndEncrypt",
                client_cert,
                client_key,
                "operator",
                password,
                backoff_min_s=0.2,
                backoff_max_s=0.5,
            )

        service = IngestService(plant_store, IngestOptions([settings("s3cret")]))
        await service.start()
        try:
            async with asyncio.timeout(30):
                await service.ready()
            assert service.sessions[0].status.monitored_items == 20
        finally:
            await service.stop()
        refused = IngestService(plant_store, IngestOptions([settings("wrong")]))
        await refused.start()
        try:
            await asyncio.sleep(2.0)
            status = refused.sessions[0].status
            assert not status.connected and status.monitored_items == 0
            assert status.last_error is not None and "Bad" in status.last_error
        finally:
            await refused.stop()
    finally:
        await plant.stop()
