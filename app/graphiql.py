"""GraphiQL's browser files served by the service itself, so the IDE works without internet.

strawberry's GraphiQL page loads React, js-cookie, GraphiQL and its explorer plugin from
unpkg.com, which a plant network cannot reach. `make` installs the same versions from
the npm registry (`app/graphiql_assets/`, exact versions in its package-lock.json) into
`app/graphiql_assets/node_modules`; `GraphiQLPage` serves those files, and only those,
under `/graphiql/static/<unpkg path>` and rewrites the page's unpkg URLs to them. npm's
files are byte-identical to unpkg's, so the page's `integrity` attributes still hold.

Without the files (installed with pip but not `make`) the page keeps strawberry's CDN
URLs and start-up logs one warning saying how to install them.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Final

from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, PlainTextResponse, Response
from strawberry.http.ides import get_graphql_ide_html

log = logging.getLogger(__name__)

ASSETS_DIR: Final = Path(__file__).resolve().parent / "graphiql_assets"
STATIC_PATH: Final = "/graphiql/static/"
CDN: Final = "https://unpkg.com/"

FILES: Final[dict[str, str]] = {
    "react@18.2.0/umd/react.production.min.js": "react/umd/react.production.min.js",
    "react-dom@18.2.0/umd/react-dom.production.min.js": (
        "react-dom/umd/react-dom.production.min.js"
    ),
    "js-cookie@3.0.5/dist/js.cookie.min.js": "js-cookie/dist/js.cookie.min.js",
    "graphiql@3.8.3/graphiql.min.css": "graphiql/graphiql.min.css",
    "graphiql@3.8.3/graphiql.min.js": "graphiql/graphiql.min.js",
    "@graphiql/plugin-explorer@1.0.2/dist/style.css": "@graphiql/plugin-explorer/dist/style.css",
    "@graphiql/plugin-explorer@1.0.2/dist/index.umd.js": (
        "@graphiql/plugin-explorer/dist/index.umd.js"
    ),
}
"""Every file the page loads: its path on unpkg (and under STATIC_PATH) -> under node_modules.

The versions are those of strawberry's page and of app/graphiql_assets/package-lock.json."""

_MEDIA_TYPES: Final = {".js": "text/javascript", ".css": "text/css"}
_CACHE: Final = "public, max-age=31536000, immutable"  # the URL carries the version


class GraphiQLPageChanged(RuntimeError):
    """strawberry's GraphiQL page no longer loads a file this module serves."""


def localize(html: str, static_url: str) -> str:
    """strawberry's page with each unpkg URL in FILES pointing to `static_url` instead.

    Raises GraphiQLPageChanged when the page lacks one of the URLs or still loads
    something else from unpkg (strawberry upgraded its GraphiQL).
    """
    for unpkg_path in FILES:
        url = f'"{CDN}{unpkg_path}"'
        if url not in html:
            raise GraphiQLPageChanged(f"strawberry's GraphiQL page no longer loads {url}")
        html = html.replace(url, f'"{static_url}{unpkg_path}"')
    if CDN in html:
        raise GraphiQLPageChanged(f"strawberry's GraphiQL page loads more from {CDN}")
    return html


class GraphiQLPage:
    """The GraphiQL page for `GET /graphql` and the endpoint serving its files.

    `local` says whether the files are installed; when they are not, `html` is
    strawberry's own page (files from unpkg.com) and `asset` answers 404.
    """

    def __init__(self, node_modules: Path = ASSETS_DIR / "node_modules") -> None:
        self.node_modules = node_modules
        self._cdn_html = get_graphql_ide_html("graphiql")
        self._local_html = self._cdn_html
        missing = [path for path in FILES.values() if not (node_modules / path).is_file()]
        self.local = not missing
        if missing:
            log.warning(
                'graphiql.assets_missing dir=%s missing=%d loads_from=%s install="make setup"',
                node_modules,
                len(missing),
                CDN,
            )
            return
        try:
            self._local_html = localize(self._cdn_html, STATIC_PATH)
        except GraphiQLPageChanged as exc:
            self.local = False
            log.warning("graphiql.page_changed loads_from=%s reason=%r", CDN, str(exc))

    def html(self, root_path: str = "") -> str:
        """The page, its files under `root_path` + STATIC_PATH when they are installed."""
        if not self.local:
            return self._cdn_html
        if not root_path:
            return self._local_html
        return localize(self._cdn_html, root_path.rstrip("/") + STATIC_PATH)

    def response(self, request: Request) -> HTMLResponse:
        return HTMLResponse(self.html(request.scope.get("root_path", "")))

    async def asset(self, request: Request) -> Response:
        """`GET /graphiql/static/{path}`: one of FILES, or 404 (no other path is looked up)."""
        relative = FILES.get(request.path_params["path"])
        if relative is None or not self.local:
            return PlainTextResponse("Not Found", status_code=404)
        return FileResponse(
            self.node_modules / relative,
            media_type=_MEDIA_TYPES[Path(relative).suffix],
            headers={"cache-control": _CACHE, "x-content-type-options": "nosniff"},
        )
