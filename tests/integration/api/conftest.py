"""A real service for API tests: a seeded embedded graph and `factorygraph serve` on loopback.

The test process starts the graph server (and seeds the small demo plant once); the
service runs as its own process (`python -m app serve`) and attaches to that graph
server through the data directory, as a second command does in production. Tests then
talk HTTP and WebSocket to it and read the graph directly to check what changed.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from domain.auth import Role
from graph import tokens
from graph.connect import StoreConfig, open_store
from graph.migrations import migrate
from graph.store import GraphStore
from ingest.demo.scale import parse_scale
from ingest.demo.seed import seed_plant

API_SEED = 7


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class ApiGraph:
    store: GraphStore
    data_dir: Path


@dataclass
class ApiServer:
    url: str
    ws_url: str
    tokens: dict[Role, str]
    process: subprocess.Popen[bytes]

    async def gql(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        role: Role | None = Role.ADMIN,
        token: str | None = None,
    ) -> dict[str, Any]:
        """POST a GraphQL request as `role` (None: anonymous); the JSON body."""
        response = await self.post(query, variables, role=role, token=token)
        return dict(response.json())

    async def post(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        role: Role | None = Role.ADMIN,
        token: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        sent = dict(headers or {})
        bearer = token if token is not None else (self.tokens[role] if role else None)
        if bearer:
            sent["Authorization"] = f"Bearer {bearer}"
        async with httpx.AsyncClient(timeout=30) as client:
            return await client.post(
                self.url, json={"query": query, "variables": variables or {}}, headers=sent
            )


@pytest.fixture(scope="session")
async def api_graph(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[ApiGraph]:
    data_dir = tmp_path_factory.mktemp("api-graph")
    store = await open_store(StoreConfig(data_dir=data_dir))
    await migrate(store)
    await seed_plant(store, parse_scale("small"), API_SEED, validate=False)
    yield ApiGraph(store, data_dir)
    await store.close()


@pytest.fixture(scope="session")
async def api_tokens(api_graph: ApiGraph) -> dict[Role, str]:
    return {role: await tokens.create_token(api_graph.store, f"test {role}", role) for role in Role}


def start_service(data_dir: Path, *extra: str) -> tuple[subprocess.Popen[bytes], str]:
    """`python -m app serve` on a free port; returns the process and its base URL."""
    port = free_port()
    env = {**os.environ, "FACTORYGRAPH_LOG_LEVEL": "WARNING"}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "app",
            "serve",
            "--data-dir",
            str(data_dir),
            "--port",
            str(port),
            *extra,
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            err = process.stderr.read().decode() if process.stderr else ""
            raise RuntimeError(f"the service exited early: {err[-2000:]}")
        try:
            if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                return process, base
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    process.kill()
    raise RuntimeError("the service did not become ready in 60 s")


def stop_service(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="session")
def api_server(api_graph: ApiGraph, api_tokens: dict[Role, str]) -> Iterator[ApiServer]:
    process, base = start_service(api_graph.data_dir)
    yield ApiServer(f"{base}/graphql", base.replace("http", "ws") + "/graphql", api_tokens, process)
    stop_service(process)
