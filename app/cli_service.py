"""Commands of the running service: `serve`, `token create|list|revoke`, `export-schema`."""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from app.cli_common import (
    DataDir,
    ScaleOption,
    Seed,
    console,
    errors,
    run_on_graph,
    settings_for,
)
from domain.auth import Role
from graph import catalog, tokens
from graph.migrations import migrate
from graph.store import GraphStore

token_app = typer.Typer(help="API tokens: create, list, revoke.", no_args_is_help=True)

SCHEMA_FILE = Path("schema.graphql")


def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    demo: Annotated[
        bool, typer.Option("--demo", help="Seed the demo plant if empty; print an admin token.")
    ] = False,
    allow_anonymous_read: Annotated[
        bool, typer.Option("--allow-anonymous-read", help="Serve queries without a token.")
    ] = False,
    plant: Annotated[
        bool,
        typer.Option(
            "--plant/--no-plant",
            help="With --demo: run the simulated OPC UA plant and ingest it live.",
        ),
    ] = True,
    scale: ScaleOption = "small",
    seed: Seed = 42,
    data_dir: DataDir = None,
) -> None:
    """Serve GraphQL (HTTP, GraphiQL, WebSocket), /healthz, /readyz and /metrics.

    With --demo, also the simulated OPC UA plant (its own process) and the ingest that
    keeps the graph's machines live from it, on loopback without OPC UA security; and,
    on first run, a small foresight model, trained in a child process while the API
    already answers (`foresight` reports its progress). A promoted model is always
    scored live. The web client's build is served at `/`.
    """
    import uvicorn

    from app.api import Limits, create_app
    from app.cli import seed_demo_plant
    from app.foresight import ForesightOptions
    from app.web_client import is_built
    from domain.shift_calendar import ShiftCalendarError
    from resolvers.shift_oee import shift_calendar

    settings = settings_for(data_dir)
    try:
        calendar = shift_calendar()  # a bad FACTORYGRAPH_SHIFTS file fails here, not per request
    except ShiftCalendarError as exc:
        errors.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None
    token = None
    if demo:

        async def prepare(store: GraphStore) -> str:
            await migrate(store)
            if await catalog.is_empty(store):
                await seed_demo_plant(store, scale, seed)
            return await tokens.create_token(store, "demo admin", Role.ADMIN)

        token = run_on_graph(data_dir, prepare)
    base = f"http://{host}:{port}"
    built = "" if is_built(settings.web_dir) else "  (not built: run make setup)"
    console.print(f"web client: {base}/{built}", highlight=False)
    if token is not None:
        console.print(f"admin token (shown once): [bold]{token}[/bold]")
    console.print(f"GraphQL and GraphiQL: {base}/graphql   WebSocket: ws://{host}:{port}/graphql")
    console.print(f"health: {base}/healthz   ready: {base}/readyz   metrics: {base}/metrics")
    # A GraphQL response allocates tens of thousands of short-lived objects; with the
    # default threshold (700) the collector runs many times per request.
    gc.set_threshold(50_000, 20, 20)
    limits = Limits(
        max_depth=settings.max_query_depth,
        max_aliases=settings.max_aliases,
        max_tokens=settings.max_tokens,
        max_subscriptions_per_connection=settings.max_subscriptions_per_connection,
        subscriber_queue=settings.subscriber_queue,
        connection_init_timeout_s=settings.connection_init_timeout_s,
    )
    bus = None
    if settings.bus_url:
        from resolvers.redis_bus import RedisBus

        bus = RedisBus.from_url(settings.bus_url, max_queue=settings.subscriber_queue)
    # The demo's first-run training runs in a child process once the API listens.
    foresight = ForesightOptions(
        settings.data_dir, demo_training=settings.demo_training if demo else None
    )
    simulated = None
    ingest = None
    if demo and plant:
        from app.plant_process import start_plant
        from ingest.opcua.connection import ConnectionSettings
        from ingest.opcua.service import IngestOptions

        simulated = start_plant(scale, seed)
        console.print(f"simulated OPC UA plant: {simulated.endpoint} (ingested live)")
        # The demo asks for an unsecured channel by name: both ends are on loopback.
        ingest = IngestOptions(
            [ConnectionSettings(simulated.endpoint, "None")],
            calendar=calendar,
            data_dir=settings.data_dir,
        )
    app = create_app(
        settings.store_config(),
        allow_anonymous_read=allow_anonymous_read,
        limits=limits,
        bus=bus,
        ingest=ingest,
        foresight=foresight,
        web_dir=settings.web_dir,
    )
    try:
        uvicorn.run(
            app, host=host, port=port, log_level=settings.log_level.lower(), ws="websockets-sansio"
        )
    finally:
        if simulated is not None:
            simulated.stop()


@token_app.command("create")
def token_create(
    role: Annotated[Role, typer.Option("--role", help="viewer, operator, quality, planner, admin")],
    name: Annotated[str, typer.Option("--name", help="Who or what uses the token.")],
    data_dir: DataDir = None,
) -> None:
    """Create a token; it is printed once and stored only as a hash."""

    async def work(store: GraphStore) -> str:
        await migrate(store)
        return await tokens.create_token(store, name, role)

    console.print(run_on_graph(data_dir, work))


@token_app.command("list")
def token_list(data_dir: DataDir = None) -> None:
    """Tokens with their role and state (never their secrets)."""

    async def work(store: GraphStore) -> list[tokens.TokenInfo]:
        return await tokens.list_tokens(store)

    table = Table("id", "name", "role", "created", "state")
    for info in run_on_graph(data_dir, work):
        state = "revoked" if info.revoked else "active"
        table.add_row(info.id, info.name, info.role.value, info.created_at.isoformat(), state)
    console.print(table)


@token_app.command("revoke")
def token_revoke(
    token_id: Annotated[str, typer.Argument(help="The id shown by `token list`.")],
    data_dir: DataDir = None,
) -> None:
    """Revoke a token: requests with it are refused from now on."""

    async def work(store: GraphStore) -> None:
        await tokens.revoke_token(store, token_id)

    run_on_graph(data_dir, work)
    console.print(f"revoked {token_id}")


def export_schema(
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to write the SDL.")] = (
        SCHEMA_FILE
    ),
) -> None:
    """Write the GraphQL schema (SDL) to `schema.graphql`."""
    from schema.root import build_schema

    output.write_text(build_schema().as_str() + "\n")
    console.print(f"wrote {output}")
