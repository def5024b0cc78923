"""A real service for API tests: a seeded embedded graph and `factorygraph serve` on loopback.

The test process starts the graph server (and seeds the small demo plant once); the
service runs as its own process (`python -m app serve`) and attaches to that graph
server through the data directory, as a second command does in production. Tests then
talk HTTP and WebSocket to it and read the graph directly to check what changed.
"""

from __future__ import annotations

import subprocess
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.api import create_app
from bench.service import start_service, stop_service
from domain.auth import Role
from graph import tokens
from graph.connect import StoreConfig, open_store
from graph.migrations import migrate
from graph.store import GraphStore
from ingest.demo.scale import parse_scale
from ingest.demo.seed import seed_plant

API_SEED = 7


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


@pytest.fixture(scope="session")
def api_server(api_graph: ApiGraph, api_tokens: dict[Role, str]) -> Iterator[ApiServer]:
    process, base = start_service(api_graph.data_dir)
    yield ApiServer(f"{base}/graphql", base.replace("http", "ws") + "/graphql", api_tokens, process)
    stop_service(process)


@pytest.fixture
async def in_process_client(api_graph: ApiGraph) -> AsyncIterator[httpx.AsyncClient]:
    """The app in this process, on the same graph, so tests can watch its store."""
    app = create_app(store=api_graph.store)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://api") as client:
            yield client
