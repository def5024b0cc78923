"""API latency and throughput: HTTP through the service vs the graph layer vs graphql-core.

    python -m bench.api [--scale medium] [--seed 42] [--requests 400] [--concurrency 4]

Seeds the demo plant (reused when the data directory holds it), starts `factorygraph
serve` (one uvicorn worker) on loopback and sends it HTTP requests over keep-alive
connections, one at a time for latency and from several clients for throughput, for
three queries: (a) a machine by id, (b) a page of 100 work orders with operations -> machine
and batches, (c) a depth-10 downstream trace. Beside each, in this process and one at
a time: the same data fetched by the graph layer directly (the API's overhead), the
query executed by strawberry without HTTP, and by plain graphql-core on the same SDL
(strawberry's overhead). Prints a table and writes bench/results/api-<scale>.json.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import logging
import random
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
from graphql import graphql as graphql_core

from bench.api_plain import PlainContext, plain_schema
from bench.report import percentile, record, table
from bench.service import start_service, stop_service
from bench.trace import _ensure_seeded
from domain.auth import Role
from domain.genealogy import TraceDirection
from graph import genealogy, reads, tokens
from graph.connect import StoreConfig, open_store
from graph.store import GraphStore
from resolvers.api import Api
from resolvers.context import RequestContext
from resolvers.events import InProcessBus
from resolvers.loaders import Loaders
from schema.root import build_schema

log = logging.getLogger("bench.api")

MACHINE = (
    """query M($id: ID!) { machine(id: $id) { id name kind state stateAt line { id name } } }"""
)
PAGE = """query P($n: Int) { workOrders(first: $n) { totalCount edges { node {
    id status plannedStart
    operations { id sequence machine { id name state } }
    batches { id status } } } } }"""
TRACE = """query T($id: ID!) { trace(lotId: $id, direction: DOWNSTREAM, maxDepth: 10) {
    nodeCount nodes { id label depth } edges { sourceId type targetId } } }"""

Scenario = tuple[str, str, Callable[[int], dict[str, Any]]]


async def _graph_layer(store: GraphStore, name: str, variables: dict[str, Any]) -> Any:
    """The statements the API issues for each query, called directly."""
    if name == "machine":
        found = await reads.nodes_by_ids(store, "Machine", [variables["id"]])
        return await reads.neighbours(store, "Machine", list(found), "PART_OF", "Line")
    if name == "work orders page":
        rows, _ = await reads.page(store, reads.ListQuery("WorkOrder", limit=variables["n"]))
        ids = [r["id"] for r in rows]
        operations, _batches = await asyncio.gather(
            reads.neighbours(store, "WorkOrder", ids, "HAS_OPERATION", "Operation"),
            reads.neighbours(store, "WorkOrder", ids, "PRODUCED_BY", "Batch", outgoing=False),
        )
        op_ids = [o["id"] for ops in operations.values() for o in ops]
        return await reads.neighbours(store, "Operation", op_ids, "RUNS_ON", "Machine")
    return await genealogy.trace(
        store, variables["id"], TraceDirection.DOWNSTREAM, 10, with_properties=False
    )


async def _timed_many(fn: Callable[[int], Awaitable[Any]], count: int) -> list[float]:
    samples = []
    for i in range(count):
        start = time.perf_counter()
        await fn(i)
        samples.append((time.perf_counter() - start) * 1000)
    return samples


async def _http_load(
    url: str, token: str, query: str, make_vars: Callable[[int], dict[str, Any]], args: Any
) -> tuple[list[float], float]:
    """`args.requests` requests from `args.concurrency` keep-alive clients."""
    counter = iter(range(args.requests))
    latencies: list[float] = []
    headers = {"Authorization": f"Bearer {token}"}

    async def worker() -> None:
        async with httpx.AsyncClient(timeout=60, headers=headers) as client:
            for i in counter:
                start = time.perf_counter()
                response = await client.post(url, json={"query": query, "variables": make_vars(i)})
                latencies.append((time.perf_counter() - start) * 1000)
                body = response.json()
                if response.status_code != 200 or body.get("errors"):
                    raise SystemExit(f"API error: {response.status_code} {str(body)[:300]}")

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(args.concurrency)))
    return latencies, args.requests / (time.perf_counter() - started)


async def run(args: argparse.Namespace) -> dict[str, Any]:
    data_dir = Path(args.data_dir)
    store = await open_store(StoreConfig(data_dir=data_dir))
    try:
        load = await _ensure_seeded(store, args.scale, args.seed)
        token = await tokens.create_token(store, "bench.api", Role.VIEWER)
        rng = random.Random(args.seed)
        machines = [r["id"] for r in await store.read("MATCH (m:Machine) RETURN m.id AS id")]
        lots = [
            r["id"]
            for r in await store.read("MATCH (l:MaterialLot) RETURN l.id AS id ORDER BY id", {})
        ]
        trace_lots = rng.sample(lots, 50)
        scenarios: list[Scenario] = [
            ("machine", MACHINE, lambda i: {"id": machines[i % len(machines)]}),
            ("work orders page", PAGE, lambda i: {"n": 100}),
            ("trace depth 10", TRACE, lambda i: {"id": trace_lots[i % len(trace_lots)]}),
        ]
        process, base = start_service(data_dir)
        try:
            rows = await _measure(store, f"{base}/graphql", token, scenarios, args)
        finally:
            stop_service(process)
    finally:
        await store.close()
    return {"scale": args.scale, "seed": args.seed, "load": load, "rows": rows, **vars(args)}


async def _measure(
    store: GraphStore, url: str, token: str, scenarios: list[Scenario], args: argparse.Namespace
) -> list[dict[str, Any]]:
    schema = build_schema()
    plain = plain_schema(schema.as_str())
    api = Api()
    bus = InProcessBus()
    from domain.auth import Principal

    principal = Principal("bench", "bench", Role.VIEWER)
    results = []
    gc.collect()
    gc.freeze()
    for name, query, make_vars in scenarios:
        # Warm the server's caches and plans, then measure.
        await _http_load(
            url, token, query, make_vars, argparse.Namespace(requests=20, concurrency=1)
        )
        # Latency with one client at a time; throughput with `concurrency` clients.
        sequential = argparse.Namespace(requests=args.requests, concurrency=1)
        http_ms, _ = await _http_load(url, token, query, make_vars, sequential)
        _, rps = await _http_load(url, token, query, make_vars, args)
        count = max(50, args.requests // 4)

        async def direct(i: int, name: str = name, make_vars: Any = make_vars) -> Any:
            return await _graph_layer(store, name, make_vars(i))

        async def with_strawberry(i: int, query: str = query, make_vars: Any = make_vars) -> Any:
            context = RequestContext(store, bus, principal, Loaders(store), api)
            result = await schema.execute(query, make_vars(i), context_value=context)
            if result.errors:
                raise SystemExit(f"strawberry error: {result.errors}")
            return result.data

        async def with_graphql_core(i: int, query: str = query, make_vars: Any = make_vars) -> Any:
            result = await graphql_core(
                plain,
                query,
                variable_values=make_vars(i),
                context_value=PlainContext(store),
            )
            if result.errors:
                raise SystemExit(f"graphql-core error: {result.errors}")
            return result.data

        same = json.dumps(await with_strawberry(0), sort_keys=True) == json.dumps(
            await with_graphql_core(0), sort_keys=True
        )
        if not same:
            raise SystemExit(f"{name}: strawberry and graphql-core answers differ")
        graph_ms = await _timed_many(direct, count)
        strawberry_ms = await _timed_many(with_strawberry, count)
        core_ms = await _timed_many(with_graphql_core, count)
        results.append(
            {
                "query": name,
                "http_ms": http_ms,
                "rps": rps,
                "graph_ms": graph_ms,
                "strawberry_ms": strawberry_ms,
                "graphql_core_ms": core_ms,
            }
        )
    return results


def print_report(result: dict[str, Any]) -> None:
    headers = [
        "query", "req/s", "API p50", "p95", "p99", "graph layer p50", "p95",
        "strawberry p50", "p95", "graphql-core p50", "p95", "API/graph (p50)",
        "strawberry/graphql-core (p50)",
    ]  # fmt: skip
    rows = []
    for row in result["rows"]:
        api, graph = row["http_ms"], row["graph_ms"]
        straw, core = row["strawberry_ms"], row["graphql_core_ms"]
        rows.append(
            [
                row["query"],
                row["rps"],
                percentile(api, 50),
                percentile(api, 95),
                percentile(api, 99),
                percentile(graph, 50),
                percentile(graph, 95),
                percentile(straw, 50),
                percentile(straw, 95),
                percentile(core, 50),
                percentile(core, 95),
                percentile(api, 50) / percentile(graph, 50),
                percentile(straw, 50) / percentile(core, 50),
            ]
        )
    print(
        f"\nAPI latency in ms, scale={result['scale']} seed={result['seed']}, "
        f"{result['requests']} HTTP requests per query one at a time for latency, "
        f"then {result['requests']} from {result['concurrency']} clients for req/s\n"
    )
    print(table(headers, rows))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", default="medium")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--data-dir", default="/tmp/factorygraph-bench-api")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    result = asyncio.run(run(args))
    print_report(result)
    print(f"\nrecorded {record(f'api-{args.scale}', result)}")


if __name__ == "__main__":
    main()
