"""The Node side of a test (package.json, lock, *.mjs scripts), installed once with `npm ci`.

Installed into a cache directory outside the repository, keyed by the lock's hash, so a
changed lock gets a fresh install and an unchanged one costs nothing. The test skips
when `node` or `npm` is not on PATH.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import pytest


def installed_node_side(source: Path, name: str) -> Path:
    """`source` with its dependencies installed; the directory to run its scripts in."""
    npm = shutil.which("npm")
    if shutil.which("node") is None or npm is None:
        pytest.skip(f"node and npm are needed for the {name} tests (not on PATH)")
    lock = (source / "package-lock.json").read_bytes()
    cache_root = Path(
        os.environ.get("FACTORYGRAPH_NPM_CACHE", Path.home() / ".cache" / "factorygraph")
    )
    target = cache_root / f"{name}-{hashlib.sha256(lock).hexdigest()[:16]}"
    if not (target / "node_modules" / ".installed").exists():
        target.mkdir(parents=True, exist_ok=True)
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
        assert done.returncode == 0, f"npm ci failed:\n{done.stdout}\n{done.stderr}"
        (target / "node_modules" / ".installed").touch()
    for script in source.glob("*.mjs"):
        shutil.copy2(script, target / script.name)
    return target
