"""Commands of the live layer: `ingest opcua`, `ingest status`, `opcua make-cert`."""

from __future__ import annotations

import asyncio
import signal
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from app.cli_common import DataDir, console, errors, settings_for
from graph.connect import open_store
from ingest.opcua.connection import ConnectionSettings, ConnectionSettingsError

ingest_app = typer.Typer(
    help="Live data into the graph: OPC UA ingest and its status.", no_args_is_help=True
)
opcua_app = typer.Typer(help="OPC UA helpers: certificates.", no_args_is_help=True)

Security = Annotated[
    str | None,
    typer.Option(
        "--security",
        help="None, or POLICY,MODE such as Basic256Sha256,SignAndEncrypt (required: the "
        "ingest never picks an unsecured channel by itself).",
    ),
]


def connection_settings(
    endpoints: list[str],
    security: str | None,
    cert: Path | None,
    key: Path | None,
    user: str | None,
    password: str | None,
    sampling_ms: float,
    publishing_ms: float,
    queue_size: int,
) -> list[ConnectionSettings]:
    if security is None:
        raise typer.BadParameter(
            "choose --security Basic256Sha256,SignAndEncrypt (with --cert and --key) or "
            "--security None to connect without security",
            param_hint="--security",
        )
    try:
        return [
            ConnectionSettings(
                endpoint,
                security,
                cert,
                key,
                user,
                password,
                sampling_ms=sampling_ms,
                publishing_ms=publishing_ms,
                queue_size=queue_size,
            )
            for endpoint in endpoints
        ]
    except ConnectionSettingsError as exc:
        raise typer.BadParameter(str(exc)) from None


@ingest_app.command("opcua")
def ingest_opcua(
    endpoint: Annotated[
        list[str], typer.Option("--endpoint", help="opc.tcp:// URL; repeat for several servers.")
    ],
    security: Security = None,
    mapping: Annotated[
        Path | None,
        typer.Option(
            "--mapping",
            help="YAML mapping of nodes to machine properties "
            "(default: discover Machinery machines and bind them by identity).",
        ),
    ] = None,
    cert: Annotated[
        Path | None, typer.Option("--cert", help="Client certificate (DER/PEM).")
    ] = None,
    key: Annotated[Path | None, typer.Option("--key", help="Client private key (PEM).")] = None,
    user: Annotated[str | None, typer.Option("--user", help="OPC UA user name.")] = None,
    password: Annotated[
        str | None,
        typer.Option(
            "--password",
            envvar="FACTORYGRAPH_OPCUA_PASSWORD",
            help="OPC UA password (better: the environment variable).",
        ),
    ] = None,
    sampling_ms: Annotated[float, typer.Option(help="Sampling interval per item, ms.")] = 100.0,
    publishing_ms: Annotated[float, typer.Option(help="Publishing interval, ms.")] = 100.0,
    queue_size: Annotated[int, typer.Option(help="Server-side queue per item.")] = 10,
    window_ms: Annotated[float, typer.Option(help="Writer's coalescing window, ms.")] = 100.0,
    shifts: Annotated[
        Path | None,
        typer.Option(
            "--shifts", envvar="FACTORYGRAPH_SHIFTS", help="Shift calendar YAML (default: 3 x 8 h)."
        ),
    ] = None,
    data_dir: DataDir = None,
) -> None:
    """Subscribe to OPC UA servers and keep the graph's live layer true until Ctrl-C."""
    from domain.shift_calendar import ShiftCalendar, ShiftCalendarError, load_calendar
    from ingest.opcua.mapping import MappingError, load_mapping
    from ingest.opcua.service import IngestOptions, IngestService

    settings = settings_for(data_dir)
    endpoints = connection_settings(
        endpoint, security, cert, key, user, password, sampling_ms, publishing_ms, queue_size
    )
    try:
        loaded = load_mapping(mapping) if mapping is not None else None
        calendar = load_calendar(shifts) if shifts is not None else ShiftCalendar.default()
    except (MappingError, ShiftCalendarError) as exc:
        errors.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None
    options = IngestOptions(
        endpoints, loaded, str(mapping), calendar, window_ms / 1000, settings.data_dir
    )

    async def main() -> None:
        store = await open_store(settings.store_config())
        service = IngestService(store, options)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        try:
            await service.start()
            for s in endpoints:
                console.print(f"ingesting from {s.describe()}")
            waiter = asyncio.ensure_future(stop.wait())
            ready = asyncio.ensure_future(service.ready())
            await asyncio.wait({waiter, ready}, return_when=asyncio.FIRST_COMPLETED)
            if ready.done() and ready.exception() is None:
                items = sum(s.status.monitored_items for s in service.sessions)
                console.print(f"subscribed: {items} monitored items; Ctrl-C stops")
            elif ready.done():
                raise ready.exception()  # type: ignore[misc]
            await waiter
        finally:
            await service.stop()
            await store.close()

    try:
        asyncio.run(main())
    except MappingError as exc:
        errors.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None


@ingest_app.command("status")
def ingest_status(data_dir: DataDir = None) -> None:
    """What the running ingest reports: rate, lag, buffer, reconnects per endpoint."""
    from ingest.opcua.status import read_status

    settings = settings_for(data_dir)
    state = read_status(settings.data_dir)
    if state is None:
        errors.print(f"no ingest has reported in {settings.data_dir} (is one running?)")
        raise typer.Exit(1)
    age = time.time() - state["at"]
    console.print(f"reported {age:.0f} s ago" + ("  [yellow](stale)[/yellow]" if age > 10 else ""))
    table = Table("endpoint", "connected", "items", "reconnects", "gaps", "last error")
    for s in state["sessions"]:
        table.add_row(
            s["endpoint"],
            "yes" if s["connected"] else "[red]no[/red]",
            str(s["monitored_items"]),
            str(s["reconnects"]),
            str(s["gaps"]),
            s["last_error"] or "",
        )
    console.print(table)
    lag50, lag99 = state["lag_p50_s"], state["lag_p99_s"]
    console.print(
        f"rate {state['changes_per_s']:.0f} changes/s · received {state['received']:,} · "
        f"written {state['written_values']:,} · state changes {state['state_changes']:,} · "
        f"buffer {state['buffer_depth']:,} · dropped {state['dropped']:,} · "
        f"bad/uncertain {state['not_good']:,}"
    )
    if lag50 is not None:
        console.print(f"lag receipt→graph p50 {lag50 * 1000:.0f} ms, p99 {lag99 * 1000:.0f} ms")


@opcua_app.command("make-cert")
def make_cert(
    out: Annotated[Path, typer.Option("--out", help="Directory for the pair.")] = Path("certs"),
    name: Annotated[str, typer.Option(help="File stem and common name.")] = "factorygraph-ingest",
    uri: Annotated[
        str, typer.Option(help="Application URI (must match the client or server).")
    ] = "urn:factorygraph:ingest",
    host: Annotated[list[str] | None, typer.Option("--host", help="Host names (repeat).")] = None,
) -> None:
    """A self-signed RSA-2048 certificate (DER) and key (PEM, mode 0600) for OPC UA."""
    import socket

    from ingest.opcua.certificates import make_certificate

    out.mkdir(parents=True, exist_ok=True)
    cert, key = out / f"{name}.der", out / f"{name}.pem"
    make_certificate(
        cert,
        key,
        common_name=name,
        application_uri=uri,
        hostnames=host or [socket.gethostname(), "localhost"],
    )
    console.print(f"certificate {cert}\nprivate key {key}")


def plant_sim(ctx: typer.Context) -> None:
    """The simulated OPC UA plant (asyncua, DI + Machinery 1.03): `plant-sim --help` for options."""
    from ingest.plant_sim.cli import main

    raise typer.Exit(main(list(ctx.args)))
