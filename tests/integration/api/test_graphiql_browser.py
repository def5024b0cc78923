"""GraphiQL without internet: its files come from the service, checked in a real browser.

The service serves GraphiQL's files (installed from npm by `make`, see `app.graphiql`)
under /graphiql/static/; the page must load nothing from anywhere else. The browser is
Debian's `chromium`, installed with apt when missing (the test skips only without apt or
root), driven by npm's `playwright-core` from `tests/browser/graphiql.mjs` (exact version
in tests/browser/package-lock.json; `npm ci` installs it once into a cache directory,
as the conformance tests do; playwright downloads no browser).
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import logging
import os
import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from starlette.applications import Starlette
from starlette.routing import Route
from strawberry.http.ides import get_graphql_ide_html

from app.graphiql import CDN, FILES, STATIC_PATH, GraphiQLPage, GraphiQLPageChanged, localize
from bench.apt import AptFailed, AptUnavailable, apt_install
from domain.auth import Role
from tests.integration.api.conftest import ApiServer
from tests.integration.api.node_side import installed_node_side

NODE_SIDE = Path(__file__).resolve().parents[2] / "browser"
CHROMIUM = Path("/usr/bin/chromium")
APT_TIMEOUT_S = 900
QUERY = "{ machines(first: 2) { totalCount edges { node { id name } } } }"
NOT_INSTALLED = "GraphiQL's files are not installed: run `make setup`"


def _sri(content: bytes) -> str:
    return "sha384-" + base64.b64encode(hashlib.sha384(content).digest()).decode()


async def _page(api_server: ApiServer) -> str:
    async with httpx.AsyncClient(timeout=10) as client:
        page = await client.get(api_server.url, headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    return page.text


def test_strawberry_page_still_loads_the_files_we_serve() -> None:
    """Fails when a strawberry upgrade changes its GraphiQL page: update FILES and the lock."""
    page = localize(get_graphql_ide_html("graphiql"), STATIC_PATH)
    assert CDN not in page
    for unpkg_path in FILES:
        assert f'"{STATIC_PATH}{unpkg_path}"' in page
    changed = get_graphql_ide_html("graphiql").replace("graphiql@3.8.3", "graphiql@9.9.9")
    with pytest.raises(GraphiQLPageChanged, match="no longer loads"):
        localize(changed, STATIC_PATH)


async def test_page_loads_its_files_from_the_service(api_server: ApiServer) -> None:
    page = await _page(api_server)
    assert CDN not in page, NOT_INSTALLED
    # Each file is served with the bytes the page's integrity attribute names (npm's are unpkg's).
    tags = re.findall(r'(?:src|href)="(/graphiql/static/[^"]+)"\s+integrity="([^"]+)"', page)
    assert sorted(path.removeprefix(STATIC_PATH) for path, _ in tags) == sorted(FILES)
    base = api_server.url.removesuffix("/graphql")
    async with httpx.AsyncClient(base_url=base, timeout=10) as client:
        for path, integrity in tags:
            served = await client.get(path)
            assert served.status_code == 200, path
            kind = "text/css" if path.endswith(".css") else "text/javascript"
            assert served.headers["content-type"].startswith(kind)
            assert "immutable" in served.headers["cache-control"]
            assert _sri(served.content) == integrity, path


async def test_only_the_listed_files_are_served(api_server: ApiServer) -> None:
    base = api_server.url.removesuffix("/graphql")
    refused = [
        "react@18.2.0/package.json",
        "react/umd/react.production.min.js",
        "%2e%2e/%2e%2e/app/api.py",
        "..%2f..%2fapp%2fapi.py",
        "graphiql@3.8.3/graphiql.min.js/..%2f..%2f..%2fpackage.json",
        "",
    ]
    async with httpx.AsyncClient(base_url=base, timeout=10) as client:
        for path in refused:
            answer = await client.get(STATIC_PATH + path)
            assert answer.status_code == 404, path
        post = await client.post(STATIC_PATH + next(iter(FILES)))
        assert post.status_code == 405


async def test_without_the_files_the_page_falls_back_to_the_cdn(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="app.graphiql"):
        graphiql = GraphiQLPage(node_modules=tmp_path / "node_modules")
    warnings = [r for r in caplog.records if r.name == "app.graphiql"]
    assert len(warnings) == 1 and "make setup" in warnings[0].getMessage()
    assert not graphiql.local
    assert graphiql.html() == get_graphql_ide_html("graphiql")
    app = Starlette(routes=[Route(STATIC_PATH + "{path:path}", graphiql.asset)])
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        assert (await client.get(STATIC_PATH + next(iter(FILES)))).status_code == 404


def _install_chromium() -> None:
    """`apt-get install chromium` (Debian's build); a skip where apt or root is missing."""
    try:
        apt_install("chromium", timeout_s=APT_TIMEOUT_S)
    except AptUnavailable as exc:
        pytest.skip(f"{CHROMIUM} is missing: {exc}")
    except AptFailed as exc:
        pytest.fail(f"apt-get install chromium failed: {exc}")


@pytest.fixture(scope="module")
def chromium() -> Path:
    if not os.access(CHROMIUM, os.X_OK):
        _install_chromium()
    assert os.access(CHROMIUM, os.X_OK), f"installed chromium but {CHROMIUM} is missing"
    return CHROMIUM


@pytest.fixture(scope="module")
def browser_side() -> Path:
    return installed_node_side(NODE_SIDE, "browser")


async def test_graphiql_runs_a_query_in_a_browser_without_internet(
    api_server: ApiServer, chromium: Path, browser_side: Path
) -> None:
    token = api_server.tokens[Role.VIEWER]
    expected = await api_server.gql(QUERY, role=Role.VIEWER)
    process = await asyncio.create_subprocess_exec(
        shutil.which("node") or "node",
        str(browser_side / "graphiql.mjs"),
        api_server.url,
        token,
        QUERY,
        str(chromium),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    async with asyncio.timeout(120):
        out, err = await process.communicate()
    assert process.returncode == 0, err.decode()
    report = json.loads(out)
    assert "failure" not in report, json.dumps(report, indent=2)

    assert report["status"] == 200 and report["contentType"].startswith("text/html")
    assert "text/html" in report["requestAccept"]
    assert report["title"] == "Strawberry GraphiQL"

    origin = urlsplit(api_server.url)
    elsewhere = [r["url"] for r in report["requests"] if urlsplit(r["url"])[:2] != origin[:2]]
    assert elsewhere == [], "the page asked for more than the service serves"
    assert report["websockets"] == []
    static = {urlsplit(r["url"]).path for r in report["requests"]}
    assert {STATIC_PATH + path for path in FILES} <= static
    assert report["errors"] == []

    # The query went out as typed, with the token from the headers editor ...
    ours = [p for p in report["graphqlPosts"] if "machines(first: 2)" in (p["body"] or "")]
    assert [p["authorization"] for p in ours] == [f"Bearer {token}"]
    assert json.loads(ours[0]["body"])["query"] == QUERY
    assert QUERY in report["queryShown"].replace("\u00a0", " ")
    # ... and the response pane shows what the API answers.
    shown = json.loads(report["resultShown"].replace("\u00a0", " "))
    assert shown == expected
    machines = shown["data"]["machines"]
    assert machines["totalCount"] > 2 and len(machines["edges"]) == 2
