"""OPC UA ingest throughput and latency: the batching writer against a naive one.

    python -m bench.ingest [--items 1000 5000] [--changes-per-s 40000] [--seconds 15]

For each size: a node-opcua server in its own process (the independent implementation:
FIELD-NOTES measured the stock asyncua server at 6-7k changes/s, below the target) with
items / 8 machines whose 8 Monitoring variables all change every tick, at the rate that
gives `--changes-per-s`; a fresh graph holding those machines; then the ingest as it
runs in production (discovery, batched subscription, batching writer) for `--seconds`,
and the same subscription feeding a naive writer that writes each change as it arrives
(one statement per change). Source-to-graph latency is commit time minus the server's
SourceTimestamp (same machine, same clock). Also: monitored items created per second in
batches of 1,000 against one CreateMonitoredItems call per item.

Prints a table and writes bench/results/ingest.json.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import time
from collections import deque
from pathlib import Path
from typing import Any

from asyncua import ua
from asyncua.client.client import Client
from asyncua.ua.uaerrors import UaError

from bench.node_opcua import NodeOpcuaServer
from bench.report import percentile, record, table
from domain.nodes import Area, Line, Machine, Site
from domain.relationships import PartOf
from domain.values import epoch_ms
from graph.connect import StoreConfig, open_store
from graph.live_values import TagValue, ensure_tags, write_values
from graph.machine_state import StateReading, record_states
from graph.migrations import migrate
from graph.store import GraphStore
from graph.upserts import upsert_nodes, upsert_relationships
from ingest.opcua.address_space import machine_state
from ingest.opcua.bindings import Feed
from ingest.opcua.connection import ConnectionSettings
from ingest.opcua.samples import Sample
from ingest.opcua.service import IngestOptions, IngestService
from ingest.opcua.session import OpcUaSession

log = logging.getLogger("bench.ingest")

ITEMS_PER_MACHINE = 10
"""8 Monitoring variables, MachineryItemState and OperationMode."""
CHANGING_PER_MACHINE = 8
"""The Monitoring variables change every tick; the state machines only on command."""
WARM_UP_S = 3.0


def bench_machines(count: int) -> list[dict[str, str]]:
    return [
        {
            "id": f"BM-{i:05d}",
            "manufacturer": "Bench Maschinenbau",
            "serial_number": f"BM{i:07d}",
            "product_instance_uri": f"urn:factorygraph:machine:BM-{i:05d}",
        }
        for i in range(1, count + 1)
    ]


async def fresh_graph(store: GraphStore, machines: list[dict[str, str]]) -> None:
    await store.drop_all()
    await migrate(store)
    await upsert_nodes(store, Site, [{"id": "S-B", "name": "Bench site", "timezone": "UTC"}])
    await upsert_nodes(store, Area, [{"id": "A-B", "name": "Bench area"}])
    await upsert_nodes(store, Line, [{"id": "L-B", "name": "Bench line"}])
    rows = [
        {
            "id": m["id"],
            "name": m["id"],
            "kind": "Bench",
            "manufacturer": m["manufacturer"],
            "serial_number": m["serial_number"],
        }
        for m in machines
    ]
    await upsert_nodes(store, Machine, rows)
    pairs = [("L-B", "Line", "A-B", "Area"), ("A-B", "Area", "S-B", "Site")]
    pairs += [(m["id"], "Machine", "L-B", "Line") for m in machines]
    rels = [
        {"source_id": s, "source_label": sl, "target_id": t, "target_label": tl}
        for s, sl, t, tl in pairs
    ]
    await upsert_relationships(store, PartOf, rels)


class NaiveWriter:
    """Each change its own statement, in arrival order: the baseline."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self.queue: deque[Sample] = deque()
        self.written = 0
        self.lags: list[float] = []
        self._wake = asyncio.Event()

    def submit(self, samples: list[Sample]) -> None:
        self.queue.extend(samples)
        self._wake.set()

    async def run(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            while self.queue:
                await self.write(self.queue.popleft())

    async def write(self, s: Sample) -> None:
        b = s.binding
        state = machine_state(str(s.value)) if b.feed is Feed.STATE else None
        if state is not None:
            await record_states(self.store, [StateReading(b.machine_id, state, s.source_time)])
        else:
            value = TagValue(b.tag.tag_id, s.value, epoch_ms(s.source_time), s.quality, s.status)
            await write_values(self.store, [value])
        self.written += 1
        self.lags.append(time.time() - s.source_time.timestamp())


async def run_batched(store: GraphStore, endpoint: str, seconds: float) -> dict[str, Any]:
    options = IngestOptions(
        [ConnectionSettings(endpoint, "None", sampling_ms=0, publishing_ms=100, queue_size=10)]
    )
    service = IngestService(store, options)
    cpu0 = time.process_time()
    await service.start()
    async with asyncio.timeout(120):
        await service.ready()
    assert service.writer is not None
    stats = service.writer.stats
    await asyncio.sleep(WARM_UP_S)
    received0, flushes0 = stats.received, stats.flushes
    stats.source_lags.clear()
    cpu1, start = time.process_time(), time.perf_counter()
    await asyncio.sleep(seconds)
    elapsed = time.perf_counter() - start
    backlog = service.writer.depth
    received = stats.received - received0
    cpu = time.process_time() - cpu1
    lags = list(stats.source_lags)
    session = service.sessions[0].status
    await service.stop()
    return {
        "received_per_s": received / elapsed,
        "applied_per_s": max(0, received - backlog) / elapsed,
        "flushes_per_s": (stats.flushes - flushes0) / elapsed,
        "lag_p50_ms": percentile(lags, 50) * 1000,
        "lag_p99_ms": percentile(lags, 99) * 1000,
        "backlog_at_end": backlog,
        "ingest_cpu_share": cpu / elapsed,
        "startup_cpu_s": cpu1 - cpu0,
        "subscribed_per_s": session.subscribed_per_s,
        "monitored_items": session.monitored_items,
    }


async def run_naive(
    store: GraphStore, endpoint: str, seconds: float, identities: Any
) -> dict[str, Any]:
    from ingest.opcua.discovery import discover

    naive = NaiveWriter(store)

    async def bind(client: Client) -> Any:
        bound = (await discover(client, identities)).bindings
        await ensure_tags(store, [b.tag for b, _ in bound])  # as the ingest does: tags exist
        return bound

    settings = ConnectionSettings(endpoint, "None", sampling_ms=0, publishing_ms=100, queue_size=10)
    session = OpcUaSession(settings, bind, naive.submit)
    tasks = [asyncio.create_task(session.run()), asyncio.create_task(naive.run())]
    async with asyncio.timeout(120):
        await session.ready()
    await asyncio.sleep(WARM_UP_S)
    written0 = naive.written
    naive.lags.clear()
    start = time.perf_counter()
    await asyncio.sleep(seconds)
    elapsed = time.perf_counter() - start
    written = naive.written - written0
    received = session.status.notifications
    lags = naive.lags or [float("nan")]
    backlog = len(naive.queue)
    session.stop()
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    return {
        "applied_per_s": written / elapsed,
        "lag_p50_ms": percentile(lags, 50) * 1000,
        "lag_p99_ms": percentile(lags, 99) * 1000,
        "backlog_at_end": backlog,
        "received_total": received,
    }


async def writer_capacity(
    store: GraphStore, endpoint: str, identities: Any, seconds: float
) -> dict[str, Any]:
    """Changes/s each writer applies when it never waits for the server.

    Records `seconds` of real publish responses, then replays them as fast as the graph
    takes them: the batching writer flushing after every response (no coalescing across
    responses, so its gain is batching alone) against one statement per change.
    """
    from ingest.opcua.counters import CounterBook
    from ingest.opcua.discovery import discover
    from ingest.opcua.writer import BatchingWriter

    responses: list[list[Sample]] = []

    async def bind(client: Client) -> Any:
        bound = (await discover(client, identities)).bindings
        await ensure_tags(store, [b.tag for b, _ in bound])  # as the ingest does: tags exist
        return bound

    settings = ConnectionSettings(endpoint, "None", sampling_ms=0, publishing_ms=100, queue_size=10)
    session = OpcUaSession(settings, bind, responses.append)
    task = asyncio.create_task(session.run())
    async with asyncio.timeout(120):
        await session.ready()
    await asyncio.sleep(1.0)
    responses.clear()
    await asyncio.sleep(seconds)
    session.stop()
    await asyncio.gather(task, return_exceptions=True)
    recorded = [r for r in responses if r]
    total = sum(len(r) for r in recorded)

    async def no_counts(rows: Any) -> None:
        return None

    batched = BatchingWriter(store, CounterBook(lambda m, at: ("s", 0, 1)), no_counts)
    start = time.perf_counter()
    for response in recorded:
        batched.submit(response)
        await batched.flush()
    batched_s = time.perf_counter() - start
    naive = NaiveWriter(store)
    sample_count = min(total, 5_000)
    flat = [s for r in recorded for s in r][:sample_count]
    start = time.perf_counter()
    for one in flat:
        await naive.write(one)
    naive_s = time.perf_counter() - start
    return {
        "recorded_changes": total,
        "responses": len(recorded),
        "batched_per_s": total / batched_s,
        "naive_per_s": sample_count / naive_s,
    }


async def one_by_one_per_s(endpoint: str, count: int) -> float:
    """Monitored items created per second with one CreateMonitoredItems call per item."""
    client = Client(endpoint, timeout=30)
    await client.connect()
    try:
        namespaces = await client.get_namespace_array()
        plant = namespaces.index("urn:factorygraph:plant")
        subscription = await client.create_subscription(100, None)
        from ingest.opcua.discovery import machines_folder

        folder = client.get_node(await machines_folder(client))
        machines = await folder.get_children()
        variables: list[Any] = []
        for machine in machines:
            try:
                monitoring = await machine.get_child([ua.QualifiedName("Monitoring", plant)])
            except UaError:
                continue
            variables += await monitoring.get_children()
            if len(variables) >= count:
                break
        variables = variables[:count]
        start = time.perf_counter()
        for variable in variables:
            await subscription.subscribe_data_change(variable, queuesize=1)
        elapsed = time.perf_counter() - start
        await subscription.delete()
        return len(variables) / elapsed
    finally:
        await client.disconnect()


async def run(args: argparse.Namespace) -> dict[str, Any]:
    store = await open_store(StoreConfig(data_dir=Path(args.data_dir)))
    rows = []
    try:
        for items in args.items:
            machines = bench_machines(items // ITEMS_PER_MACHINE)
            rate = args.changes_per_s / (len(machines) * CHANGING_PER_MACHINE)
            await fresh_graph(store, machines)
            from graph.machine_identity import machine_identities

            identities = await machine_identities(store)
            with NodeOpcuaServer() as server:
                server.start(machines=machines, rate=rate)
                log.info(
                    "items=%d machines=%d rate=%.2f Hz endpoint=%s",
                    items,
                    len(machines),
                    rate,
                    server.endpoint,
                )
                cpu0 = server.cpu_seconds()
                t0 = time.perf_counter()
                batched = await run_batched(store, server.endpoint, args.seconds)
                server_cpu = (server.cpu_seconds() - cpu0) / (time.perf_counter() - t0)
                await fresh_graph(store, machines)
                naive = await run_naive(store, server.endpoint, args.seconds, identities)
                capacity = await writer_capacity(store, server.endpoint, identities, 3.0)
                single = await one_by_one_per_s(server.endpoint, min(items, args.one_by_one))
            rows.append(
                {
                    "items": items,
                    "machines": len(machines),
                    "rate_hz": rate,
                    "offered_per_s": args.changes_per_s,
                    "batched": batched,
                    "naive": naive,
                    "capacity": capacity,
                    "one_by_one_per_s": single,
                    "server_cpu_share": server_cpu,
                }
            )
    finally:
        await store.close()
    return {"rows": rows, **vars(args)}


def print_report(result: dict[str, Any]) -> None:
    print(
        f"\nOPC UA ingest end to end, {result['seconds']} s per run after {WARM_UP_S} s "
        "warm-up; latency = graph commit - SourceTimestamp (ms)\n"
    )
    headers = [
        "items",
        "offered changes/s",
        "batched applied/s",
        "p50",
        "p99",
        "naive applied/s",
        "naive p50",
        "naive p99",
        "batched/naive",
        "ingest CPU",
        "server CPU",
    ]
    rows = []
    for r in result["rows"]:
        b, n = r["batched"], r["naive"]
        rows.append(
            [
                r["items"],
                r["offered_per_s"],
                b["applied_per_s"],
                b["lag_p50_ms"],
                b["lag_p99_ms"],
                n["applied_per_s"],
                n["lag_p50_ms"],
                n["lag_p99_ms"],
                b["applied_per_s"] / max(n["applied_per_s"], 1e-9),
                f"{b['ingest_cpu_share']:.0%}",
                f"{r['server_cpu_share']:.0%}",
            ]
        )
    print(table(headers, rows))
    print(
        "\nWriter capacity: recorded publish responses replayed as fast as the graph takes "
        "them (batched: one flush per response, no coalescing across responses)\n"
    )
    headers = [
        "items",
        "recorded changes",
        "batched changes/s",
        "naive changes/s",
        "ratio",
        "subscribed/s batched",
        "subscribed/s one by one",
        "ratio ",
    ]
    rows = []
    for r in result["rows"]:
        c, b = r["capacity"], r["batched"]
        batched_sub = b["subscribed_per_s"] or 0.0
        rows.append(
            [
                r["items"],
                c["recorded_changes"],
                c["batched_per_s"],
                c["naive_per_s"],
                c["batched_per_s"] / c["naive_per_s"],
                batched_sub,
                r["one_by_one_per_s"],
                batched_sub / r["one_by_one_per_s"],
            ]
        )
    print(table(headers, rows))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--changes-per-s", type=float, default=40_000)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument(
        "--one-by-one",
        type=int,
        default=1000,
        help="items subscribed one by one for the comparison",
    )
    parser.add_argument("--data-dir", default="/tmp/factorygraph-bench-ingest")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    logging.getLogger("asyncua").setLevel(logging.WARNING)
    result = asyncio.run(run(args))
    print_report(result)
    print(f"\nrecorded {record('ingest', result)}")


if __name__ == "__main__":
    main()
