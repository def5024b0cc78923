"""Subscription fan-out: publish-to-receipt latency with many WebSocket subscribers.

    python -m bench.api_fanout [--subscribers 1000] [--clients 4] [--events 20] [--interval 0.5]

Starts `factorygraph serve` on a small demo plant, opens `--subscribers` WebSocket
connections (`graphql-transport-ws`, no compression) from `--clients` processes, each
subscribed to `machineStateChanged` for one machine, waits until `/metrics` counts
them all, then records `--events` state changes of that machine through the
`recordMachineState` mutation, one every `--interval` seconds. Latency is from just
before the mutation is sent (an upper bound on the publish time) to each subscriber's
receipt of that event. The baseline in the same run
is one subscriber. Prints a table and writes bench/results/api-fanout.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import multiprocessing as mp
import os
import re
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from websockets.asyncio.client import ClientConnection, connect
from websockets.typing import Subprotocol

from bench.report import percentile, record, table
from bench.service import start_service, stop_service
from bench.trace import _ensure_seeded
from domain.auth import Role
from graph import tokens
from graph.connect import StoreConfig, open_store

log = logging.getLogger("bench.api_fanout")

SUBSCRIBE = "subscription($m: [ID!]) { machineStateChanged(machineIds: $m) { machineId state at } }"
RECORD = """mutation($m: ID!, $s: MachineState!, $at: DateTime!) {
  recordMachineState(machineId: $m, state: $s, at: $at) {
    __typename ... on MachineStateRecorded { outcome } } }"""
STATES = ("EXECUTING", "NOT_EXECUTING")


async def _subscriber(
    ws_url: str, token: str, machine: str, got: dict[str, list[float]]
) -> ClientConnection:
    # No permessage-deflate: compressing 100-byte frames costs more than it saves.
    ws = await connect(
        ws_url,
        subprotocols=[Subprotocol("graphql-transport-ws")],
        max_queue=None,
        compression=None,
    )
    await ws.send(json.dumps({"type": "connection_init", "payload": {"token": token}}))
    ack = json.loads(await ws.recv())
    if ack.get("type") != "connection_ack":
        raise SystemExit(f"no connection_ack: {ack}")
    await ws.send(
        json.dumps(
            {
                "id": "1",
                "type": "subscribe",
                "payload": {"query": SUBSCRIBE, "variables": {"m": [machine]}},
            }
        )
    )

    async def listen() -> None:
        async for raw in ws:
            received = time.perf_counter()
            message = json.loads(raw)
            if message.get("type") == "next":
                at = message["payload"]["data"]["machineStateChanged"]["at"]
                got.setdefault(at, []).append(received)

    asyncio.get_running_loop().create_task(listen())
    return ws


async def _active(base: str) -> int:
    async with httpx.AsyncClient() as client:
        text = (await client.get(f"{base}/metrics")).text
    found = re.search(r"^factorygraph_active_subscriptions (\S+)$", text, re.M)
    return int(float(found.group(1))) if found else 0


async def _subscribe_all(
    ws_url: str, token: str, machine: str, count: int, got: dict[str, list[float]]
) -> list[ClientConnection]:
    connections: list[ClientConnection] = []
    for start in range(0, count, 100):  # connect in waves: the server accepts 100 at a time
        connections += await asyncio.gather(
            *(_subscriber(ws_url, token, machine, got) for _ in range(min(100, count - start)))
        )
    return connections


async def _client_main(
    ws_url: str, token: str, machine: str, count: int, ready: Any, stop: Any, results: Any
) -> None:
    got: dict[str, list[float]] = {}
    connections = await _subscribe_all(ws_url, token, machine, count, got)
    ready.put(count)
    await asyncio.get_running_loop().run_in_executor(None, stop.wait)
    for ws in connections:
        await ws.close()
    results.put(got)


def _client_process(*args: Any) -> None:
    """One client process: its own event loop and its share of the subscribers."""
    asyncio.run(_client_main(*args))


def _cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def _round(
    base: str, pid: int, token: str, machine: str, count: int, args: Any
) -> dict[str, Any]:
    """Subscribers spread over `args.clients` processes (like separate machines, they
    receive in parallel; all share this machine's two cores with the service)."""
    ws_url = base.replace("http", "ws") + "/graphql"
    processes = min(args.clients, count)
    spawn = mp.get_context("spawn")
    ready, results, stop = spawn.Queue(), spawn.Queue(), spawn.Event()
    shares = [count // processes + (1 if i < count % processes else 0) for i in range(processes)]
    workers = [
        spawn.Process(
            target=_client_process, args=(ws_url, token, machine, n, ready, stop, results)
        )
        for n in shares
    ]
    for worker in workers:
        worker.start()
    loop = asyncio.get_running_loop()
    for _ in workers:
        await loop.run_in_executor(None, ready.get, True, 120)
    deadline = time.monotonic() + 60
    while await _active(base) < count:
        if time.monotonic() > deadline:
            raise SystemExit(f"only {await _active(base)} of {count} subscriptions became active")
        await asyncio.sleep(0.2)
    sent: dict[str, float] = {}
    cpu_before = _cpu_seconds(pid)
    now = datetime.now(UTC)
    clock = now.replace(microsecond=now.microsecond // 1000 * 1000) + timedelta(seconds=1)
    async with httpx.AsyncClient(headers={"Authorization": f"Bearer {token}"}) as client:
        for i in range(args.events):
            at = (clock + timedelta(seconds=i)).isoformat()
            variables = {"m": machine, "s": STATES[i % 2], "at": at}
            # perf_counter is CLOCK_MONOTONIC: one clock for this and the client processes.
            sent_at = time.perf_counter()
            response = await client.post(
                base + "/graphql", json={"query": RECORD, "variables": variables}
            )
            body = response.json()
            if body.get("errors") or "outcome" not in body["data"]["recordMachineState"]:
                raise SystemExit(f"mutation failed: {response.text[:300]}")
            if body["data"]["recordMachineState"]["outcome"] == "CHANGED":
                sent[at] = sent_at  # a reading that repeats the current state publishes nothing
            await asyncio.sleep(args.interval)
    await asyncio.sleep(2)
    service_cpu_s = _cpu_seconds(pid) - cpu_before
    stop.set()
    got: dict[str, list[float]] = {}
    for _ in workers:
        part = await loop.run_in_executor(None, results.get, True, 120)
        for at, arrivals in part.items():
            got.setdefault(at, []).extend(arrivals)
    for worker in workers:
        worker.join(timeout=30)
    latencies = []
    missing = 0
    for at, sent_at in sent.items():
        arrivals = got.get(_normal(at), [])
        missing += count - len(arrivals)
        latencies += [(r - sent_at) * 1000 for r in arrivals]
    return {
        "subscribers": count,
        "clients": processes,
        "events": len(sent),
        "missing": missing,
        "service_cpu_ms_per_delivery": service_cpu_s * 1000 / max(1, len(latencies)),
        "latency_ms": latencies,
    }


def _normal(at: str) -> str:
    """The event's `at` as the server writes it back (ISO, UTC)."""
    return datetime.fromisoformat(at).astimezone(UTC).isoformat()


async def run(args: argparse.Namespace) -> dict[str, Any]:
    data_dir = Path(args.data_dir)
    store = await open_store(StoreConfig(data_dir=data_dir))
    try:
        await _ensure_seeded(store, "small", 42)
        token = await tokens.create_token(store, "bench.fanout", Role.OPERATOR)
        machines = [
            r["id"] for r in await store.read("MATCH (m:Machine) RETURN m.id AS id ORDER BY id")
        ]
        process, base = start_service(data_dir)
        try:
            rounds = []
            for index, count in enumerate((1, args.subscribers)):
                rounds.append(await _round(base, process.pid, token, machines[index], count, args))
        finally:
            stop_service(process)
    finally:
        await store.close()
    return {"rounds": rounds, **vars(args)}


def print_report(result: dict[str, Any]) -> None:
    rows = []
    base = percentile(result["rounds"][0]["latency_ms"], 99)
    for r in result["rounds"]:
        ms = r["latency_ms"]
        rows.append(
            [r["subscribers"], r["clients"], r["events"], len(ms), r["missing"], percentile(ms, 50),
             percentile(ms, 95), percentile(ms, 99), max(ms), percentile(ms, 99) / base,
             r["service_cpu_ms_per_delivery"]]
        )  # fmt: skip
    print("\nSubscription fan-out, publish to receipt in ms (machineStateChanged)\n")
    print(
        table(
            ["subscribers", "client processes", "events", "deliveries", "missing", "p50", "p95",
             "p99", "max",
             "p99 vs 1 subscriber", "service CPU ms per delivery"],
            rows,
        )
    )  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--subscribers", type=int, default=1000)
    parser.add_argument("--events", type=int, default=20)
    parser.add_argument("--interval", type=float, default=0.5)
    parser.add_argument(
        "--clients", type=int, default=4, help="client processes the subscribers spread over"
    )
    parser.add_argument("--data-dir", default="/tmp/factorygraph-bench-fanout")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    result = asyncio.run(run(args))
    print_report(result)
    print(f"\nrecorded {record('api-fanout', result)}")


if __name__ == "__main__":
    main()
