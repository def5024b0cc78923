"""A real node-opcua plant server for interoperability tests (skipped without node and npm).

The server is installed once per lock (`bench.node_opcua.install`) and started on a free
loopback port; the machines carry identities like the graph's, so tests can match them.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.node_opcua import NodeOpcuaServer, NodeUnavailableError, install

MACHINES: tuple[dict[str, str], ...] = (
    {
        "id": "M-0001",
        "manufacturer": "Heller",
        "serial_number": "HE21000417",
        "product_instance_uri": "urn:factorygraph:machine:M-0001",
    },
    {
        "id": "M-0002",
        "manufacturer": "DMG Mori",
        "serial_number": "2019-000123",
        "product_instance_uri": "urn:factorygraph:machine:M-0002",
    },
    {
        "id": "M-0003",
        "manufacturer": "Trumpf",
        "serial_number": "SN 230001234",
        "product_instance_uri": "urn:factorygraph:machine:M-0003",
    },
)


@pytest.fixture(scope="session")
def node_opcua_dir() -> Path:
    """The installed node-opcua server directory; skips when node or npm is missing."""
    try:
        return install()
    except NodeUnavailableError as exc:
        pytest.skip(str(exc))


@pytest.fixture(scope="module")
def node_server(node_opcua_dir: Path) -> Iterator[NodeOpcuaServer]:
    """A node-opcua server with the three MACHINES, values changed only by commands."""
    server = NodeOpcuaServer(node_opcua_dir).start(machines=MACHINES)
    yield server
    server.stop()
