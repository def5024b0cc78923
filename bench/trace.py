"""Trace latency: the graph vs PostgreSQL 15 recursive CTEs vs an in-memory networkx BFS.

    python -m bench.trace [--scale large] [--seed 42] [--starts 200] [--max-depth 10]

Seeds the demo plant into an embedded FalkorDB (reused when the data directory already
holds it), loads the same trace edges into PostgreSQL and networkx, then times downstream
traces from random material lots and upstream traces from random batches on all three.
Every graph answer is checked against networkx (same nodes, same depths). Prints tables
by trace size and by depth reached, with ratios, and writes bench/results/trace.json.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
import random
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.networkx_trace import NetworkxGenealogy
from bench.plant_edges import PlantEdges, collect
from bench.postgres_baseline import PostgresBaseline
from bench.report import percentile, record, table
from domain.genealogy import TraceDirection
from graph import catalog, genealogy
from graph.connect import StoreConfig, open_store
from graph.store import GraphStore
from ingest.demo.plant import generate_plant
from ingest.demo.scale import parse_scale
from ingest.demo.seed import seed_plant

log = logging.getLogger("bench.trace")

SIZE_BUCKETS = ((1, 10), (11, 100), (101, 999), (1000, 10**9))
DEPTH_BUCKETS = ((0, 2), (3, 5), (6, 8), (9, 10**6))
SYSTEMS = ("graph", "postgres", "networkx")


def _bucket(value: int, buckets: tuple[tuple[int, int], ...]) -> str:
    for low, high in buckets:
        if low <= value <= high:
            return f"{low}+" if high >= 10**6 else f"{low}-{high}"
    return "?"


async def _ensure_seeded(store: GraphStore, scale: str, seed: int) -> dict[str, Any]:
    plant = generate_plant(parse_scale(scale), seed)
    nodes = sum((await catalog.count_nodes(store)).values())
    if nodes == plant.expected_nodes:
        log.info("bench.trace.reuse nodes=%d", nodes)
        return {"reused": True}
    await store.drop_all()
    report = await seed_plant(store, parse_scale(scale), seed, validate=False)
    return {"reused": False, "seconds": report.seconds, "rate": report.rate}


def _server_rss_bytes(store: GraphStore) -> int | None:
    address = getattr(store, "address", None)
    if address is None:
        return None
    for line in Path(f"/proc/{address.pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return None


async def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn()
    if asyncio.iscoroutine(result):
        result = await result
    return (time.perf_counter() - start) * 1000, result


async def run(args: argparse.Namespace) -> dict[str, Any]:
    store = await open_store(StoreConfig(data_dir=Path(args.data_dir)))
    try:
        load = await _ensure_seeded(store, args.scale, args.seed)
        plant: PlantEdges = collect(generate_plant(parse_scale(args.scale), args.seed).chunks())
        log.info("bench.trace.edges count=%d", len(plant.edges))
        oracle = NetworkxGenealogy(plant.edges, plant.statuses)
        rng = random.Random(args.seed)
        starts = [
            (TraceDirection.DOWNSTREAM, lot)
            for lot in rng.sample(plant.ids_by_label["MaterialLot"], args.starts)
        ] + [
            (TraceDirection.UPSTREAM, batch)
            for batch in rng.sample(plant.ids_by_label["Batch"], args.starts)
        ]
        with PostgresBaseline() as postgres:
            postgres.load(plant.edges, plant.statuses)
            # The baselines hold millions of Python objects; without this, full GC passes
            # land on whichever trace happens to allocate (seen as 800 ms outliers).
            gc.collect()
            gc.freeze()
            samples = await _measure(store, postgres, oracle, starts, args)
            pg_bytes = postgres.memory_bytes()
        rss = _server_rss_bytes(store)
    finally:
        await store.close()
    return {
        "scale": args.scale,
        "seed": args.seed,
        "max_depth": args.max_depth,
        "load": load,
        "graph_server_rss_bytes": rss,
        "postgres_database_bytes": pg_bytes,
        "samples": samples,
    }


async def _measure(
    store: GraphStore,
    postgres: PostgresBaseline,
    oracle: NetworkxGenealogy,
    starts: list[tuple[TraceDirection, str]],
    args: argparse.Namespace,
) -> list[dict[str, Any]]:
    depth = args.max_depth
    for direction, start in starts[:10]:  # warm caches and prepared plans on all three
        await genealogy.trace(store, start, direction, depth, with_properties=False)
        postgres.trace(start, direction, depth)
    samples = []
    mismatches = 0
    for direction, start in starts:
        # Like for like: ids, labels and depths (plus edges) without node properties,
        # which is what the PostgreSQL and networkx baselines return.
        graph_ms, result = await _timed(
            lambda: genealogy.trace(store, start, direction, depth, with_properties=False)  # noqa: B023
        )
        pg_ms, pg_result = await _timed(lambda: postgres.trace(start, direction, depth))  # noqa: B023
        nx_ms, nx_result = await _timed(lambda: oracle.trace(start, direction, depth))  # noqa: B023
        ours = {node.id: (node.label, node.depth) for node in result.nodes}
        if ours != nx_result or pg_result != nx_result:
            mismatches += 1
            log.error("bench.trace.mismatch start=%s direction=%s", start, direction.value)
        samples.append(
            {
                "start": start,
                "direction": direction.value,
                "nodes": len(ours),
                "deepest": max((d for _, d in ours.values()), default=0),
                "graph_ms": graph_ms,
                "postgres_ms": pg_ms,
                "networkx_ms": nx_ms,
            }
        )
    if mismatches:
        raise SystemExit(f"{mismatches} traces differ between the graph and the baselines")
    return samples


def _summary_rows(samples: list[dict[str, Any]], key: str) -> list[list[Any]]:
    groups: dict[str, list[dict[str, Any]]] = {}
    for sample in samples:
        groups.setdefault(sample[key], []).append(sample)
    rows = []
    for name in sorted(groups, key=lambda g: (len(g), g)):
        group = groups[name]
        row: list[Any] = [name, len(group)]
        for system in SYSTEMS:
            values = [s[f"{system}_ms"] for s in group]
            row += [percentile(values, 50), percentile(values, 95), percentile(values, 99)]
        graph_p95 = percentile([s["graph_ms"] for s in group], 95)
        row.append(percentile([s["postgres_ms"] for s in group], 95) / graph_p95)
        row.append(graph_p95 / percentile([s["networkx_ms"] for s in group], 95))
        rows.append(row)
    return rows


def print_report(result: dict[str, Any]) -> None:
    samples = result["samples"]
    for sample in samples:
        sample["size"] = _bucket(sample["nodes"], SIZE_BUCKETS)
        sample["depth"] = _bucket(sample["deepest"], DEPTH_BUCKETS)
        sample["all"] = f"all {sample['direction']}"
    headers = ["group", "traces"]
    for system in SYSTEMS:
        headers += [f"{system} p50", "p95", "p99"]
    headers += ["PG/graph (p95)", "graph/nx (p95)"]
    print(
        f"\nTrace latency in ms, scale={result['scale']} seed={result['seed']} "
        f"max_depth={result['max_depth']}\n"
    )
    for key, title in (("all", "direction"), ("size", "nodes reached"), ("depth", "depth reached")):
        print(f"by {title}:")
        print(table(headers, _summary_rows(samples, key)))
        print()
    overall = [s["graph_ms"] for s in samples]
    print(
        f"graph overall: p50 {percentile(overall, 50):.2f} ms, "
        f"p95 {percentile(overall, 95):.2f} ms, p99 {percentile(overall, 99):.2f} ms "
        f"over {len(overall)} traces"
    )
    if result["graph_server_rss_bytes"]:
        print(f"graph server RSS: {result['graph_server_rss_bytes'] / 2**20:,.0f} MiB")
    if result["postgres_database_bytes"]:
        print(f"PostgreSQL database size: {result['postgres_database_bytes'] / 2**20:,.0f} MiB")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--scale", default="large")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--starts", type=int, default=200)
    parser.add_argument("--max-depth", type=int, default=10)
    parser.add_argument("--data-dir", default="/tmp/factorygraph-bench")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    result = asyncio.run(run(args))
    print_report(result)
    path = record(f"trace-{args.scale}", result)
    print(f"\nrecorded {path}")


if __name__ == "__main__":
    main()
