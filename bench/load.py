"""Load throughput: the demo plant in bulk vs row-at-a-time writes of a sample.

    python -m bench.load [--scale large] [--seed 42] [--sample-rows 1500]

Into a fresh embedded FalkorDB: seeds the whole plant (FalkorDB's GRAPH.BULK endpoint,
as `factorygraph seed` does into an empty graph), again with every row validated against
the domain model, again through UNWIND statements with MERGE (the path for a non-empty
graph and for Neo4j), then writes a sample of the same rows one statement per node and
one per relationship through the public upsert API (the baseline).
Also measures the server's memory and its restart time after a clean stop and after
`kill -9` (AOF replay). Prints a table and writes bench/results/load-<scale>.json.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import shutil
import signal
import time
from pathlib import Path
from typing import Any

from bench.report import record, table
from domain.nodes import MODEL_BY_LABEL
from domain.relationships import MODEL_BY_TYPE
from graph.bulk import NodeChunk
from graph.connect import StoreConfig, open_store
from graph.migrations import migrate
from graph.store import GraphStore
from graph.upserts import upsert_nodes, upsert_relationships
from ingest.demo.plant import generate_plant
from ingest.demo.scale import parse_scale
from ingest.demo.seed import seed_plant

log = logging.getLogger("bench.load")


def _rss(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


async def _bulk(
    data_dir: Path, scale: str, seed: int, *, validate: bool, bulk_endpoint: bool = True
) -> dict[str, Any]:
    shutil.rmtree(data_dir, ignore_errors=True)
    store = await open_store(StoreConfig(data_dir=data_dir))
    try:
        report = await seed_plant(
            store, parse_scale(scale), seed, validate=validate, bulk_endpoint=bulk_endpoint
        )
        pid = store.address.pid  # type: ignore[attr-defined]
        return {
            "nodes": report.nodes,
            "relationships": report.relationships,
            "seconds": report.seconds,
            "rate": report.rate,
            "load_rate": report.load_rate,
            "generate_seconds": report.generate_seconds,
            "method": report.method,
            "phases": report.phases,
            "server_rss_bytes": _rss(pid),
        }
    finally:
        await store.close()


async def _restart_seconds(data_dir: Path) -> dict[str, float]:
    """Time to a ready server after a clean stop, and after kill -9 (AOF replay)."""
    start = time.perf_counter()
    store = await open_store(StoreConfig(data_dir=data_dir))
    clean = time.perf_counter() - start
    pid = store.address.pid  # type: ignore[attr-defined]
    os.kill(pid, signal.SIGKILL)
    await store.close()
    start = time.perf_counter()
    store = await open_store(StoreConfig(data_dir=data_dir))
    killed = time.perf_counter() - start
    rows = await store.read("MATCH (n) RETURN count(n) AS c")
    await store.close()
    return {"clean": clean, "after_kill_9": killed, "nodes_after_kill_9": float(rows[0]["c"])}


def _sample(scale: str, seed: int, rows_per_label: int) -> list[NodeChunk]:
    """The first rows of every label, cut to those whose relationship ends are kept too."""
    kept: set[tuple[str, str]] = set()
    sample: list[NodeChunk] = []
    for chunk in generate_plant(parse_scale(scale), seed).chunks():
        taken = sum(len(c.rows) for c in sample if c.label == chunk.label)
        rows = []
        for row in chunk.rows[: max(0, rows_per_label - taken)]:
            ends_kept = all(
                (kind.other_label, edge["id"]) in kept
                for kind, edges in zip(chunk.kinds, row["edges"], strict=True)
                for edge in edges
            )
            if ends_kept:
                rows.append(row)
                kept.add((chunk.label, row["id"]))
        if rows:
            sample.append(NodeChunk(chunk.label, chunk.kinds, rows))
    return sample


async def _row_at_a_time(data_dir: Path, chunks: list[NodeChunk]) -> dict[str, Any]:
    """One upsert statement per node and per relationship, through the public API."""
    shutil.rmtree(data_dir, ignore_errors=True)
    store = await open_store(StoreConfig(data_dir=data_dir))
    nodes = rels = 0
    try:
        await migrate(store)
        start = time.perf_counter()
        for chunk in chunks:
            model = MODEL_BY_LABEL[chunk.label]
            for row in chunk.rows:
                await upsert_nodes(store, model, [row["props"]])
                nodes += 1
            for kind, index in zip(chunk.kinds, range(len(chunk.kinds)), strict=True):
                rel_model = MODEL_BY_TYPE[kind.rel_type]
                for row in chunk.rows:
                    for edge in row["edges"][index]:
                        await _one_relationship(store, rel_model, chunk, kind, row, edge)
                        rels += 1
        seconds = time.perf_counter() - start
    finally:
        await store.close()
    return {
        "nodes": nodes,
        "relationships": rels,
        "seconds": seconds,
        "rate": (nodes + rels) / seconds,
    }


async def _one_relationship(
    store: GraphStore,
    rel_model: Any,
    chunk: NodeChunk,
    kind: Any,
    row: dict[str, Any],
    edge: dict[str, Any],
) -> None:
    if kind.outgoing:
        ends = {"source_id": row["id"], "source_label": chunk.label}
        ends |= {"target_id": edge["id"], "target_label": kind.other_label}
    else:
        ends = {"source_id": edge["id"], "source_label": kind.other_label}
        ends |= {"target_id": row["id"], "target_label": chunk.label}
    await upsert_relationships(store, rel_model, [{**ends, **edge["props"]}])


async def run(args: argparse.Namespace) -> dict[str, Any]:
    base = Path(args.data_dir)
    bulk = await _bulk(base / "bulk", args.scale, args.seed, validate=False)
    restart = await _restart_seconds(base / "bulk")
    validated = statements = None
    if args.validated:
        validated = await _bulk(base / "validated", args.scale, args.seed, validate=True)
    if args.statements:
        statements = await _bulk(
            base / "statements", args.scale, args.seed, validate=False, bulk_endpoint=False
        )
    sample = _sample(args.scale, args.seed, args.sample_rows)
    naive = await _row_at_a_time(base / "naive", sample)
    shutil.rmtree(base, ignore_errors=True)
    return {
        "scale": args.scale,
        "seed": args.seed,
        "bulk": bulk,
        "bulk_validated": validated,
        "unwind_statements": statements,
        "row_at_a_time": naive,
        "restart_seconds": restart,
    }


def print_report(result: dict[str, Any]) -> None:
    bulk, naive = result["bulk"], result["row_at_a_time"]

    def line(name: str, run: dict[str, Any]) -> list[Any]:
        loading = run["seconds"] - run.get("generate_seconds", 0.0)
        load_rate = run.get("load_rate", run["rate"])
        counts = [run["nodes"], run["relationships"], run["seconds"], loading, run["rate"]]
        return [name, *counts, load_rate, load_rate / naive["rate"]]

    rows = [line(f"seed, {bulk['method']}", bulk)]
    if result["bulk_validated"]:
        rows.append(line("seed, bulk endpoint, every row validated", result["bulk_validated"]))
    if result.get("unwind_statements"):
        rows.append(line("seed, UNWIND statements (MERGE)", result["unwind_statements"]))
    rows.append(line("row at a time (sample)", naive))
    print(f"\nLoad of the demo plant, scale={result['scale']} seed={result['seed']}\n")
    headers = [
        "writer",
        "nodes",
        "relationships",
        "seconds, all",
        "seconds, loading",
        "items/s, all",
        "items/s, loading",
        "vs row at a time",
    ]
    print(table(headers, rows))
    phases = ", ".join(f"{name} {sec:.1f} s" for name, sec in bulk["phases"].items())
    print(
        f"'all' is the whole seed ({phases}); 'loading' leaves out generating the synthetic "
        "plant, which is the data source, not the load"
    )
    print(f"graph server RSS after load: {bulk['server_rss_bytes'] / 2**20:,.0f} MiB")
    restart = result["restart_seconds"]
    print(
        f"restart: {restart['clean']:.2f} s after a clean stop, "
        f"{restart['after_kill_9']:.2f} s after kill -9 "
        f"({restart['nodes_after_kill_9']:,.0f} nodes back)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--scale", default="large")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--sample-rows", type=int, default=1500, help="rows per label, row at a time"
    )
    parser.add_argument("--validated", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument(
        "--statements",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also seed through UNWIND statements (the path for non-empty graphs and Neo4j)",
    )
    parser.add_argument("--data-dir", default="/tmp/factorygraph-load-bench")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    result = asyncio.run(run(args))
    print_report(result)
    print(f"\nrecorded {record(f'load-{args.scale}', result)}")


if __name__ == "__main__":
    main()
