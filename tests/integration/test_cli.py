"""The `factorygraph` command line, run as a user would run it, on a real embedded graph."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from graph.server import EmbeddedServer

CLI = [sys.executable, "-m", "app"]


def run(*args: str, data_dir: Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "FACTORYGRAPH_DATA_DIR": str(data_dir), "COLUMNS": "200"}
    return subprocess.run(
        [*CLI, *args], capture_output=True, text=True, env=env, timeout=300, check=check
    )


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("cli") / "data"
    result = run("seed", "--scale", "small", "--seed", "3", data_dir=data_dir)
    assert "seeded" in result.stdout
    return data_dir


def test_seed_prints_progress_and_counts(seeded: Path) -> None:
    stats = run("stats", data_dir=seeded)
    assert "MaterialLot" in stats.stdout and "CONSUMED" in stats.stdout


def test_trace_json_is_the_genealogy_subgraph(seeded: Path) -> None:
    lots = run("stats", data_dir=seeded)  # any lot id: ask recall for the busiest via demo
    assert lots.returncode == 0
    demo = run("demo", data_dir=seeded)
    assert "upstream trace from" in demo.stdout and "downstream trace from" in demo.stdout
    start = demo.stdout.split("downstream trace from ", 1)[1].split(" ", 1)[0]
    out = run(
        "trace", start, "--direction", "downstream", "--max-depth", "8", "--json", data_dir=seeded
    )
    trace = json.loads(out.stdout)
    assert trace["start_ids"] == [start] and trace["direction"] == "downstream"
    depths = {node["id"]: node["depth"] for node in trace["nodes"]}
    assert depths[start] == 0 and len(depths) > 1
    labels = {node["label"] for node in trace["nodes"]}
    assert "Batch" in labels
    ids = set(depths)
    assert all(edge["source_id"] in ids and edge["target_id"] in ids for edge in trace["edges"])


def test_recall_by_supplier_lot_number(seeded: Path) -> None:
    demo = run("demo", data_dir=seeded)
    lot = demo.stdout.split("downstream trace from ", 1)[1].split(" ", 1)[0]
    as_json = json.loads(run("trace", lot, "--json", "--max-depth", "0", data_dir=seeded).stdout)
    supplier_lot = as_json["nodes"][0]["properties"]["supplier_lot"]
    scope = json.loads(run("recall", supplier_lot, "--json", data_dir=seeded).stdout)
    assert lot in scope["lot_ids"]
    assert set(scope["finished_batches"]) <= set(scope["batches"])


def test_unknown_id_is_a_clear_error_not_a_traceback(seeded: Path) -> None:
    result = run("trace", "NO-SUCH-LOT", data_dir=seeded, check=False)
    assert result.returncode == 2
    assert "NO-SUCH-LOT" in result.stderr and "Traceback" not in result.stderr


def test_a_second_command_attaches_to_the_running_server(seeded: Path) -> None:
    owner = EmbeddedServer(seeded)
    address = owner.start()
    try:
        run("stats", data_dir=seeded)
        os.kill(address.pid, 0)  # still running: the CLI attached and let go
        state = json.loads((seeded / "server.json").read_text())
        assert state["pid"] == address.pid
    finally:
        owner.stop()


def test_bad_scale_is_refused(tmp_path: Path) -> None:
    result = run("seed", "--scale", "galactic", data_dir=tmp_path / "d", check=False)
    assert result.returncode != 0
    assert "galactic" in result.stderr and "Traceback" not in result.stderr
