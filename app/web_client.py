"""The web client's build (`frontend-client/dist`) served at `/`, same origin as `/graphql`.

It is a single-page app: every GET path that is not the API's and not a file of the
build answers `index.html`, so client-side routes (`/machines/M-0001`, `/trace?lot=X`)
deep-link. Vite puts content-hashed files under `assets/`, which are cached for a year;
`index.html` is revalidated on every load so a rebuild reaches browsers at once. The
page gets a strict Content-Security-Policy: it loads only its own scripts and talks only
to this origin. Without a build, `/` answers 503 saying how to make one, and start-up
logs one warning; the API works as before.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Final

from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, PlainTextResponse, Response

import app

log = logging.getLogger(__name__)

DEFAULT_DIR: Final = Path(app.__file__).resolve().parents[1] / "frontend-client" / "dist"

API_PATHS: Final = ("/graphql", "/healthz", "/readyz", "/metrics", "/graphiql/static")
"""Paths (and everything under them) the web client never answers."""

ASSETS: Final = "assets/"

CONTENT_SECURITY_POLICY: Final = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; object-src 'none'; "
    "base-uri 'none'; frame-ancestors 'none'"
)

PAGE_HEADERS: Final = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
}

IMMUTABLE: Final = "public, max-age=31536000, immutable"
"""For `assets/`: Vite names each file by a hash of its content."""

MEDIA_TYPES: Final = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".webp": "image/webp",
    ".ico": "image/x-icon",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".json": "application/json",
    ".webmanifest": "application/manifest+json",
    ".map": "application/json",
    ".txt": "text/plain; charset=utf-8",
    ".wasm": "application/wasm",
}

NOT_BUILT: Final = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>factorygraph: web client not built</title>
</head><body><h1>The web client is not built</h1>
<p>Run <code>make setup</code> (it builds <code>frontend-client/</code> into
<code>frontend-client/dist</code>), or point <code>FACTORYGRAPH_WEB_DIR</code> at a build.
The API is up: <a href="/graphql">/graphql</a>.</p></body></html>
"""


def is_built(directory: Path | None = None) -> bool:
    """Whether the build (default `DEFAULT_DIR`) has its `index.html`."""
    return ((directory or DEFAULT_DIR) / "index.html").is_file()


def is_api_path(path: str) -> bool:
    return any(path == api or path.startswith(api + "/") for api in API_PATHS)


class WebClient:
    """Serves one build directory; `page` is the catch-all GET route."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = (directory or DEFAULT_DIR).resolve()
        if not self.built:
            log.warning(
                "web_client.not_built dir=%s (run make setup, or set FACTORYGRAPH_WEB_DIR); "
                "/ answers 503, the API works",
                self.directory,
            )

    @property
    def built(self) -> bool:
        return is_built(self.directory)

    async def page(self, request: Request) -> Response:
        path = request.url.path
        if is_api_path(path):
            return PlainTextResponse("Not Found", status_code=404)
        if not self.built:
            return HTMLResponse(
                NOT_BUILT, status_code=503, headers={**PAGE_HEADERS, "cache-control": "no-store"}
            )
        relative = request.path_params.get("path", "")
        file = self._file(relative)
        if file is None:
            return PlainTextResponse("Not Found", status_code=404)
        if file.is_file() and file.name != "index.html":
            return self._static(request, file, relative)
        if relative.startswith(ASSETS):
            return PlainTextResponse("Not Found", status_code=404)  # never HTML as a script
        return FileResponse(
            self.directory / "index.html",
            media_type=MEDIA_TYPES[".html"],
            headers={**PAGE_HEADERS, "cache-control": "no-cache"},
        )

    def _file(self, relative: str) -> Path | None:
        """The path under the build, or None for one that tries to leave it."""
        parts = relative.replace("\\", "/").split("/")
        if ".." in parts or "\x00" in relative:
            return None
        file = (self.directory / relative).resolve()
        return file if file.is_relative_to(self.directory) else None

    def _static(self, request: Request, file: Path, relative: str) -> Response:
        cache = IMMUTABLE if relative.startswith(ASSETS) else "no-cache"
        headers = {"cache-control": cache, "x-content-type-options": "nosniff"}
        media_type = MEDIA_TYPES.get(file.suffix.lower(), "application/octet-stream")
        compressed = file.with_name(file.name + ".gz")
        if "gzip" in request.headers.get("accept-encoding", "") and compressed.is_file():
            headers |= {"content-encoding": "gzip", "vary": "Accept-Encoding"}
            return FileResponse(compressed, media_type=media_type, headers=headers)
        return FileResponse(file, media_type=media_type, headers=headers)
