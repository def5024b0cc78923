"""A Node side (package.json, pinned lock, *.mjs scripts) installed once with `npm ci`.

Installed into a cache directory outside the repository (`$FACTORYGRAPH_NPM_CACHE`, else
`~/.cache/factorygraph`), keyed by the lock's hash, so a changed lock gets a fresh install
and an unchanged one costs nothing. A file lock makes concurrent callers (parallel test
workers, a bench beside the tests) wait for one install instead of racing two `npm ci`
into one directory; scripts are refreshed atomically when they changed. Used by the
node-opcua server and the tests' npm clients.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import subprocess
from pathlib import Path

NPM_CACHE_ENV = "FACTORYGRAPH_NPM_CACHE"


class NodeUnavailableError(RuntimeError):
    """`node` or `npm` is not on PATH."""


def install_node_side(source: Path, name: str) -> Path:
    """`source` with its dependencies installed; the directory to run its scripts in."""
    npm = shutil.which("npm")
    if shutil.which("node") is None or npm is None:
        raise NodeUnavailableError(f"node and npm are needed for {name} (not on PATH)")
    lock = (source / "package-lock.json").read_bytes()
    cache_root = Path(os.environ.get(NPM_CACHE_ENV, Path.home() / ".cache" / "factorygraph"))
    target = cache_root / f"{name}-{hashlib.sha256(lock).hexdigest()[:16]}"
    target.mkdir(parents=True, exist_ok=True)
    with (target.parent / f"{target.name}.lock").open("w") as guard:
        fcntl.flock(guard, fcntl.LOCK_EX)
        if not (target / "node_modules" / ".installed").exists():
            for file in ("package.json", "package-lock.json"):
                shutil.copy2(source / file, target / file)
            done = subprocess.run(
                [npm, "ci", "--no-audit", "--no-fund"],
                cwd=target,
                capture_output=True,
                text=True,
                timeout=600,
                check=False,
            )
            if done.returncode != 0:
                raise RuntimeError(f"npm ci failed in {target}:\n{done.stdout}\n{done.stderr}")
            (target / "node_modules" / ".installed").touch()
        for script in source.glob("*.mjs"):
            installed = target / script.name
            content = script.read_bytes()
            if not installed.exists() or installed.read_bytes() != content:
                staging = target / f".{script.name}.{os.getpid()}"
                staging.write_bytes(content)
                staging.replace(installed)
    return target
