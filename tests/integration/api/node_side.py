"""The Node side of a test, installed once (`bench.node_side`); skipped without node and npm."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.node_side import NodeUnavailableError, install_node_side


def installed_node_side(source: Path, name: str) -> Path:
    """`source` with its dependencies installed; the directory to run its scripts in."""
    try:
        return install_node_side(source, name)
    except NodeUnavailableError as exc:
        pytest.skip(f"{exc}: the {name} tests need them")
