"""Foresight speed: training, whole-graph scoring, 100k-entity scoring, incremental passes.

    python -m bench.inference [--scale medium] [--entities 100000]

Trains a model on simulated histories (timed; reused when the data directory holds one),
seeds the demo plant at `--scale`, then measures: the live snapshot build, the model
scoring that whole snapshot (latency and peak memory), the model scoring a snapshot of
about `--entities` entities (simulator snapshots joined side by side), and the scoring
loop's pass over the whole graph against a pass over one machine's neighbourhood.
Prints a table and writes bench/results/inference.json.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import resource
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from bench.report import percentile, record, table
from bench.trace import _ensure_seeded
from graph.connect import StoreConfig, open_store
from inference.snapshot import GraphSnapshot, NodeTable

log = logging.getLogger("bench.inference")


def joined(parts: list[GraphSnapshot]) -> GraphSnapshot:
    """Snapshots side by side as one graph (ids made unique, edges offset)."""
    nodes: dict[str, NodeTable] = {}
    offsets: list[dict[str, int]] = []
    for i, part in enumerate(parts):
        offsets.append({t: len(nodes[t].ids) if t in nodes else 0 for t in part.nodes})
        for t, table_ in part.nodes.items():
            ids = [f"{i}:{x}" for x in table_.ids]
            if t in nodes:
                held = nodes[t]
                nodes[t] = NodeTable(
                    held.ids + ids, np.vstack([held.features, table_.features]), held.feature_names
                )
            else:
                nodes[t] = NodeTable(ids, table_.features.copy(), list(table_.feature_names))
    edges: dict[Any, Any] = {}
    for part, offset in zip(parts, offsets, strict=True):
        for (s, r, d), index in part.edges.items():
            shifted = index + np.array([[offset.get(s, 0)], [offset.get(d, 0)]], dtype=np.int64)
            edges[(s, r, d)] = (
                shifted if (s, r, d) not in edges else np.hstack([edges[(s, r, d)], shifted])
            )
    return GraphSnapshot(parts[0].at, nodes, edges)


def peak_rss_mb() -> float:
    """The process's peak resident memory so far (tensors included, unlike tracemalloc)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(fn: Any, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


async def run(args: argparse.Namespace) -> dict[str, Any]:
    from inference.model import commands
    from inference.simulation import simulate, snapshots

    data_dir = Path(args.data_dir)
    await asyncio.to_thread(data_dir.mkdir, parents=True, exist_ok=True)
    result: dict[str, Any] = {"scale": args.scale}
    start = time.perf_counter()
    from app.foresight import has_promoted_model

    if args.retrain or not has_promoted_model(data_dir):
        version = commands.train(
            data_dir,
            [1, 2, 3],
            30.0,
            12.0,
            epochs=40,
            seed=0,
            time_budget_s=75.0,
            val_seeds=[4],
            progress=False,
        )
        commands.promote(data_dir, version)
        result["training_s"] = time.perf_counter() - start
    scorer = commands.Scorer.load(data_dir)
    result["model"] = scorer.version

    store = await open_store(StoreConfig(data_dir=data_dir))
    try:
        result["load"] = await _ensure_seeded(store, args.scale, 42)
        from inference.live_snapshot import live_snapshot
        from ingest.demo.timeline import NOW_MS

        now = datetime.fromtimestamp(NOW_MS / 1000, UTC)
        builds = []
        for _ in range(3):
            t0 = time.perf_counter()
            live = await live_snapshot(store, now)
            builds.append((time.perf_counter() - t0) * 1000)
        result["live_build_ms"] = builds
        result["live_entities"] = sum(len(t.ids) for t in live.nodes.values())
        before = peak_rss_mb()
        result["live_score_ms"] = timed(lambda: scorer.score(live), 5)
        result["live_peak_mb"] = peak_rss_mb() - before

        parts: list[GraphSnapshot] = []
        seed = 100
        while sum(len(t.ids) for p in parts for t in p.nodes.values()) < args.entities:
            parts += snapshots(simulate(seed, 20.0), every_h=48.0)
            seed += 1
        big = joined(parts)
        result["big_entities"] = sum(len(t.ids) for t in big.nodes.values())
        result["big_edges"] = int(sum(e.shape[1] for e in big.edges.values()))
        before = peak_rss_mb()
        result["big_score_ms"] = timed(lambda: scorer.score(big), 3)
        result["big_peak_mb"] = peak_rss_mb() - before

        from app.foresight import ModelScorer
        from inference.scoring.loop import ScoringLoop

        async def no_publish(topic: str, event: Any) -> None:
            return None

        async def builder(s: Any) -> GraphSnapshot:
            return await live_snapshot(s, now)

        loop = ScoringLoop(store, ModelScorer(scorer), builder, no_publish)
        await loop.rescore(None)  # alerts as they stand, then measure
        whole, one = [], []
        machine = live.nodes["machine"].ids[0]
        for _ in range(3):
            t0 = time.perf_counter()
            await loop.rescore(None)
            whole.append((time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            await loop.rescore([machine])
            one.append((time.perf_counter() - t0) * 1000)
        result["pass_whole_ms"], result["pass_one_machine_ms"] = whole, one
    finally:
        await store.close()
    result["max_rss_mb"] = peak_rss_mb()
    return result


def print_report(r: dict[str, Any]) -> None:
    rows = [
        [
            "live snapshot build (graph reads + features)",
            r["live_entities"],
            percentile(r["live_build_ms"], 50),
            max(r["live_build_ms"]),
            "",
        ],
        [
            "model, whole live snapshot",
            r["live_entities"],
            percentile(r["live_score_ms"], 50),
            max(r["live_score_ms"]),
            f"{r['live_peak_mb']:.0f} MB",
        ],
        [
            f"model, {r['big_entities']:,}-entity snapshot",
            r["big_entities"],
            percentile(r["big_score_ms"], 50),
            max(r["big_score_ms"]),
            f"{r['big_peak_mb']:.0f} MB",
        ],
        [
            "scoring pass, whole graph",
            r["live_entities"],
            percentile(r["pass_whole_ms"], 50),
            max(r["pass_whole_ms"]),
            "",
        ],
        [
            "scoring pass, one machine's neighbourhood",
            "",
            percentile(r["pass_one_machine_ms"], 50),
            max(r["pass_one_machine_ms"]),
            "",
        ],
    ]
    print(f"\nForesight at scale={r['scale']}, model {r['model']}; ms\n")
    print(table(["what", "entities", "p50 ms", "max ms", "peak RSS growth"], rows))
    ratio = percentile(r["pass_whole_ms"], 50) / percentile(r["pass_one_machine_ms"], 50)
    print(f"\nincremental vs whole-graph pass: {ratio:.2f}x; max RSS {r['max_rss_mb']:.0f} MB")
    if "training_s" in r:
        print(f"training (3 seeds x 30 days, 40 epochs max, 75 s budget): {r['training_s']:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", default="medium")
    parser.add_argument("--entities", type=int, default=100_000)
    parser.add_argument("--retrain", action="store_true")
    parser.add_argument("--data-dir", default="/tmp/factorygraph-bench-inference")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    result = asyncio.run(run(args))
    print_report(result)
    print(f"\nrecorded {record('inference', result)}")


if __name__ == "__main__":
    main()
