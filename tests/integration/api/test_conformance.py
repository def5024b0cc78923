"""Conformance with independent clients from the npm registry, against a real `factorygraph serve`.

- `graphql-http`'s server audits (the GraphQL-over-HTTP spec): every one must pass, none
  may warn. They send their own requests, so they run against a service started with
  `--allow-anonymous-read`.
- `graphql-ws`'s client (graphql-transport-ws) subscribes with a token and must receive
  the machine state changes this test records through `recordMachineState`.

The Node side lives in `tests/conformance/` (exact versions in its package-lock.json);
`npm ci` installs it once into a cache directory outside the repository.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from domain.auth import Role
from tests.integration.api.conftest import ApiGraph, ApiServer, start_service, stop_service
from tests.integration.api.graphql_ws_client import (
    MACHINE_EVENTS,
    RECORD_STATE,
    active_subscriptions,
    next_instant,
    wait_for_subscriptions,
)
from tests.integration.api.node_side import installed_node_side

NODE_SIDE = Path(__file__).resolve().parents[2] / "conformance"
NODE = shutil.which("node") or "node"
AUDITS = 61
"""How many audits graphql-http (the version pinned in package-lock.json) runs."""
GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"


@pytest.fixture(scope="module")
def node_side() -> Path:
    return installed_node_side(NODE_SIDE, "conformance")


@pytest.fixture(scope="module")
def anonymous_url(api_graph: ApiGraph) -> Iterator[str]:
    """A service on the same graph started with --allow-anonymous-read (the audits' target)."""
    process, base = start_service(api_graph.data_dir, "--allow-anonymous-read")
    yield f"{base}/graphql"
    stop_service(process)


def test_graphql_http_audits_all_pass(node_side: Path, anonymous_url: str) -> None:
    done = subprocess.run(
        [NODE, str(node_side / "audit.mjs"), anonymous_url],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    results = json.loads(done.stdout)
    assert len(results) == AUDITS
    failing = [r for r in results if r["status"] != "ok"]
    assert failing == [], json.dumps(failing, indent=2)


def test_media_types_of_the_http_endpoint(anonymous_url: str) -> None:
    """What the audits check, spelled out: the watershed media type versus classic JSON."""
    bad = {"query": "{ noSuchField }"}
    with httpx.Client(timeout=10) as client:
        ok = client.post(anonymous_url, json={"query": "{ __typename }"})
        assert ok.status_code == 200 and ok.json() == {"data": {"__typename": "Query"}}
        assert ok.headers["content-type"].startswith("application/json")

        modern = {"accept": GRAPHQL_RESPONSE_JSON}
        ok = client.post(anonymous_url, json={"query": "{ __typename }"}, headers=modern)
        assert ok.status_code == 200 and ok.json() == {"data": {"__typename": "Query"}}
        assert ok.headers["content-type"] == f"{GRAPHQL_RESPONSE_JSON}; charset=utf-8"

        invalid = client.post(anonymous_url, json=bad, headers=modern)
        assert invalid.status_code == 400
        assert invalid.headers["content-type"].startswith(GRAPHQL_RESPONSE_JSON)
        assert "data" not in invalid.json() and invalid.json()["errors"]
        unparsable = client.post(anonymous_url, json={"query": "{"}, headers=modern)
        assert unparsable.status_code == 400 and "data" not in unparsable.json()
        coercion = client.post(
            anonymous_url,
            json={
                "query": "query($n: Int) { machines(first: $n) { totalCount } }",
                "variables": {"n": "ten"},
            },
            headers=modern,
        )
        assert coercion.status_code == 400 and "data" not in coercion.json()

        classic = client.post(anonymous_url, json=bad, headers={"accept": "application/json"})
        assert classic.status_code == 200
        assert classic.json()["data"] is None and classic.json()["errors"]

        not_json = client.post(
            anonymous_url, content=b"{", headers={**modern, "content-type": "application/json"}
        )
        assert not_json.status_code == 400
        assert not_json.headers["content-type"].startswith(GRAPHQL_RESPONSE_JSON)
        assert not_json.json()["errors"][0]["message"]


async def _lines(process: asyncio.subprocess.Process) -> list[dict[str, Any]]:
    assert process.stdout is not None
    out: list[dict[str, Any]] = []
    async with asyncio.timeout(60):
        async for raw in process.stdout:
            out.append(json.loads(raw))
    await process.wait()
    return out


async def test_graphql_ws_client_receives_state_changes(
    node_side: Path, api_server: ApiServer
) -> None:
    body = await api_server.gql("{ machines(first: 12) { edges { node { id state } } } }")
    node = body["data"]["machines"]["edges"][-1]["node"]
    machine = node["id"]
    before = await active_subscriptions(api_server.url)
    process = await asyncio.create_subprocess_exec(
        NODE,
        str(node_side / "subscribe.mjs"),
        api_server.ws_url,
        api_server.tokens[Role.VIEWER],
        "3",
        MACHINE_EVENTS,
        json.dumps({"ids": [machine]}),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        await wait_for_subscriptions(api_server.url, before + 1, within=30)
        states = ["EXECUTING", "NOT_EXECUTING"]
        if node["state"] == "EXECUTING":
            states.reverse()
        sent = []
        for n in range(3):
            at = next_instant()
            variables = {"machineId": machine, "state": states[n % 2], "at": at.isoformat()}
            result = await api_server.gql(RECORD_STATE, variables, role=Role.OPERATOR)
            assert result["data"]["recordMachineState"]["outcome"] == "CHANGED", result
            sent.append((machine, states[n % 2]))
        lines = await _lines(process)
    finally:
        if process.returncode is None:
            process.kill()
    assert process.returncode == 0, lines
    events = [line["next"]["data"]["machineStateChanged"] for line in lines if "next" in line]
    assert [(e["machineId"], e["state"]) for e in events] == sent
    assert lines[0] == {"connected": True}
    assert lines[-1] == {"done": True, "received": 3}
    await wait_for_subscriptions(api_server.url, before)


async def test_graphql_ws_client_hears_4403_for_a_bad_token(
    node_side: Path, api_server: ApiServer
) -> None:
    process = await asyncio.create_subprocess_exec(
        NODE,
        str(node_side / "subscribe.mjs"),
        api_server.ws_url,
        "fgt_0000.bad",
        "1",
        MACHINE_EVENTS,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    lines = await _lines(process)
    assert {"error": {"code": 4403, "reason": "Forbidden"}} in lines, lines
    assert process.returncode == 1
