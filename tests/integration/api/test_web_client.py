"""The web client's build served at `/` by the real app, on the seeded graph.

A temporary build (an index.html, hashed assets, a pre-compressed sibling) stands in
for `frontend-client/dist`: deep links get the page, assets their types and a year's
cache, the page its security headers; traversal, API paths and missing assets are 404,
other methods 405, and without a build `/` is 503 while `/graphql` still answers.
"""

from __future__ import annotations

import gzip
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.api import create_app
from app.web_client import CONTENT_SECURITY_POLICY, IMMUTABLE
from tests.integration.api.conftest import ApiGraph

INDEX = (
    b'<!doctype html><html><body><div id="root"></div>'
    b'<script type="module" src="/assets/index-abc123.js"></script></body></html>'
)
SCRIPT = b"console.log('factorygraph');\n"

ASSETS = {
    "index-abc123.js": ("text/javascript", SCRIPT),
    "index-abc123.css": ("text/css", b"body{margin:0}"),
    "logo-abc123.svg": ("image/svg+xml", b"<svg xmlns='http://www.w3.org/2000/svg'/>"),
    "logo-abc123.png": ("image/png", b"\x89PNG\r\n\x1a\n"),
    "inter-abc123.woff2": ("font/woff2", b"wOF2"),
    "data-abc123.json": ("application/json", b"{}"),
    "index-abc123.js.map": ("application/json", b'{"version":3}'),
}


def build(root: Path) -> Path:
    dist = root / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_bytes(INDEX)
    (dist / "favicon.svg").write_bytes(b"<svg/>")
    for name, (_, body) in ASSETS.items():
        (dist / "assets" / name).write_bytes(body)
    (dist / "assets" / "index-abc123.js.gz").write_bytes(gzip.compress(SCRIPT))
    (root / "secret.txt").write_text("outside the build")
    return dist


async def client_for(api_graph: ApiGraph, web_dir: Path) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(store=api_graph.store, web_dir=web_dir)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://api") as client:
            yield client


@pytest.fixture
async def web(api_graph: ApiGraph, tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    async for client in client_for(api_graph, build(tmp_path)):
        yield client


def assert_page(response: httpx.Response) -> None:
    assert response.status_code == 200, response.text
    assert response.content == INDEX
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["cache-control"] == "no-cache"
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"


@pytest.mark.parametrize(
    "path", ["/", "/index.html", "/machines/M-0001", "/trace?lot=CAP2510/4696", "/alerts/"]
)
async def test_client_routes_get_the_page(web: httpx.AsyncClient, path: str) -> None:
    assert_page(await web.get(path))


async def test_the_page_csp_is_exactly_the_policy() -> None:
    assert CONTENT_SECURITY_POLICY == (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; object-src 'none'; "
        "base-uri 'none'; frame-ancestors 'none'"
    )


@pytest.mark.parametrize("name", list(ASSETS))
async def test_assets_with_types_and_a_year_of_cache(web: httpx.AsyncClient, name: str) -> None:
    media_type, body = ASSETS[name]
    response = await web.get(f"/assets/{name}", headers={"accept-encoding": "identity"})
    assert response.status_code == 200
    assert response.content == body
    assert response.headers["content-type"].split(";")[0] == media_type
    assert response.headers["cache-control"] == IMMUTABLE
    assert response.headers["x-content-type-options"] == "nosniff"


async def test_gzip_sibling_when_accepted(web: httpx.AsyncClient) -> None:
    response = await web.get("/assets/index-abc123.js", headers={"accept-encoding": "gzip"})
    assert response.headers["content-encoding"] == "gzip"
    assert response.content == SCRIPT  # httpx decodes it
    assert response.headers["content-type"].startswith("text/javascript")


async def test_other_build_files_are_revalidated(web: httpx.AsyncClient) -> None:
    response = await web.get("/favicon.svg")
    assert response.status_code == 200 and response.content == b"<svg/>"
    assert response.headers["cache-control"] == "no-cache"


@pytest.mark.parametrize(
    "path",
    [
        "/assets/missing-abc123.js",
        "/assets/",
        "/%2e%2e/secret.txt",
        "/assets/..%2f..%2fsecret.txt",
        "/assets/%2e%2e/%2e%2e/secret.txt",
        "/graphql/anything",
        "/healthz/x",
        "/graphiql/static/nothing.js",
    ],
)
async def test_not_found(web: httpx.AsyncClient, path: str) -> None:
    response = await web.get(path)
    assert response.status_code == 404, (path, response.status_code)
    assert b"outside the build" not in response.content


@pytest.mark.parametrize(
    "path", ["/../secret.txt", "/assets/../../secret.txt", "/a/../../secret.txt"]
)
async def test_raw_traversal_is_refused(api_graph: ApiGraph, tmp_path: Path, path: str) -> None:
    """Paths as a client that does not normalise them sends them (httpx would)."""
    app = create_app(store=api_graph.store, web_dir=build(tmp_path))
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"api")],
        "client": ("127.0.0.1", 1),
        "server": ("api", 80),
        "app": app,
    }
    async with app.router.lifespan_context(app):
        await app(scope, receive, send)  # type: ignore[arg-type]
    assert sent[0]["status"] == 404
    assert all(b"outside the build" not in m.get("body", b"") for m in sent)


async def test_head_and_other_methods(web: httpx.AsyncClient) -> None:
    head = await web.head("/machines/M-0001")
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert (await web.head("/assets/index-abc123.js")).status_code == 200
    for path in ["/", "/machines/M-0001", "/assets/index-abc123.js"]:
        assert (await web.post(path)).status_code == 405
        assert (await web.delete(path)).status_code == 405


async def test_api_paths_keep_working(web: httpx.AsyncClient) -> None:
    graphiql = await web.get("/graphql", headers={"accept": "text/html"})
    assert graphiql.status_code == 200 and "graphiql" in graphiql.text.lower()
    assert (await web.get("/healthz")).json() == {"status": "ok"}
    body = (await web.post("/graphql", json={"query": "{ viewer { role } }"})).json()
    assert "authentication required" in body["errors"][0]["message"]


async def test_requests_counted_as_web(web: httpx.AsyncClient) -> None:
    await web.get("/machines/M-0001")
    await web.get("/assets/index-abc123.js")
    metrics = (await web.get("/metrics")).text
    assert 'factorygraph_http_requests_total{method="GET",path="web",status="200"}' in metrics


async def test_without_a_build(
    api_graph: ApiGraph, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="app.web_client"):
        clients = client_for(api_graph, tmp_path / "no-dist")
        client = await anext(clients)
    warnings = [r for r in caplog.records if r.name == "app.web_client"]
    assert len(warnings) == 1 and "make setup" in warnings[0].getMessage()
    try:
        page = await client.get("/")
        assert page.status_code == 503
        assert "not built" in page.text and "make setup" in page.text
        assert page.headers["content-type"].startswith("text/html")
        assert (await client.get("/machines/M-0001")).status_code == 503
        body = (await client.post("/graphql", json={"query": "{ __typename }"})).json()
        assert "errors" not in body or "authentication" in body["errors"][0]["message"]
        assert (await client.get("/healthz")).status_code == 200
    finally:
        await clients.aclose()
