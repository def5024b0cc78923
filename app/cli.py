"""The `factorygraph` command line: seed, trace, recall, migrate, stats, demo, serve, token.

Every command takes `--data-dir` (also `FACTORYGRAPH_DATA_DIR`). A command run while
another one holds the embedded server of the same directory attaches to that server.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

from app.cli_common import (
    DataDir,
    ScaleOption,
    Seed,
    console,
    errors,
    run_on_graph,
)
from app.cli_foresight import evaluate, models_app, train
from app.cli_ingest import ingest_app, opcua_app, plant_sim
from app.cli_service import export_schema, serve, token_app
from app.render import print_recall, print_trace
from domain.genealogy import TraceDirection
from graph import catalog, genealogy
from graph.migrations import migrate as run_migrations
from graph.store import GraphStore

app = typer.Typer(
    name="factorygraph",
    help="Operational backend for factories: ERP, MES and digital twin in one graph.",
    no_args_is_help=True,
    add_completion=False,
)


async def seed_demo_plant(store: GraphStore, scale: str, seed: int, validate: bool = True) -> None:
    """Seed with a progress bar on stderr and a one-line summary."""
    from ingest.demo.plant import generate_plant
    from ingest.demo.scale import parse_scale
    from ingest.demo.seed import seed_plant

    spec = parse_scale(scale)
    plant = generate_plant(spec, seed)
    total = plant.expected_nodes + plant.expected_relationships
    columns = (
        TextColumn("[bold]seeding[/bold] {task.description}"),
        BarColumn(),
        TextColumn("{task.completed:,}/{task.total:,} nodes+relationships"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=errors, transient=False) as progress:
        task = progress.add_task(f"{scale} (seed {seed})", total=total)

        def advance(nodes: int, rels: int) -> None:
            progress.advance(task, nodes + rels)

        report = await seed_plant(store, spec, seed, validate=validate, progress=advance)
    console.print(
        f"seeded {report.nodes:,} nodes and {report.relationships:,} relationships "
        f"in {report.seconds:.1f} s ({report.rate:,.0f} items/s)"
    )


@app.command()
def seed(
    scale: ScaleOption = "small",
    seed: Seed = 42,
    data_dir: DataDir = None,
    replace: Annotated[
        bool, typer.Option("--replace", help="Delete the existing graph first.")
    ] = False,
    validate: Annotated[
        bool,
        typer.Option(
            "--validate/--no-validate",
            help="Check every generated row against the domain model before writing.",
        ),
    ] = True,
) -> None:
    """Generate the demo plant and load it into the graph (idempotent for a seed)."""

    async def work(store: GraphStore) -> None:
        if replace:
            await store.drop_all()
        elif not await catalog.is_empty(store):
            console.print("graph is not empty: merging the plant into it (same seed = no change)")
        await seed_demo_plant(store, scale, seed, validate)

    run_on_graph(data_dir, work)


@app.command()
def trace(
    start: Annotated[str, typer.Argument(help="Batch or lot id, or a supplier's lot number.")],
    direction: Annotated[
        TraceDirection, typer.Option("--direction", case_sensitive=False)
    ] = TraceDirection.UPSTREAM,
    max_depth: Annotated[int, typer.Option("--max-depth", min=0)] = genealogy.DEFAULT_MAX_DEPTH,
    as_json: Annotated[bool, typer.Option("--json", help="Print the subgraph as JSON.")] = False,
    data_dir: DataDir = None,
) -> None:
    """Trace a batch or lot upstream (what went in) or downstream (where it went)."""

    async def work(store: GraphStore) -> None:
        result = await genealogy.trace(store, start, direction, max_depth)
        if as_json:
            sys.stdout.write(result.to_json() + "\n")
        else:
            print_trace(console, result)

    run_on_graph(data_dir, work)


@app.command()
def recall(
    lot: Annotated[str, typer.Argument(help="Lot id or the supplier's lot number.")],
    as_json: Annotated[bool, typer.Option("--json")] = False,
    data_dir: DataDir = None,
) -> None:
    """Recall scope of a lot: batches, finished goods, shipments, customers, open orders."""

    async def work(store: GraphStore) -> None:
        scope = await genealogy.recall_scope(store, lot)
        if as_json:
            sys.stdout.write(scope.model_dump_json(indent=2) + "\n")
        else:
            print_recall(console, scope)

    run_on_graph(data_dir, work)


@app.command()
def migrate(data_dir: DataDir = None) -> None:
    """Create missing indexes and unique constraints (safe to run any time)."""

    async def work(store: GraphStore) -> None:
        report = await run_migrations(store)
        console.print(
            f"created {len(report.created_constraints)} constraints and "
            f"{len(report.created_indexes)} indexes"
        )

    run_on_graph(data_dir, work)


@app.command()
def stats(data_dir: DataDir = None) -> None:
    """Count nodes per label and relationships per type."""

    async def work(store: GraphStore) -> None:
        nodes = await catalog.count_nodes(store)
        rels = await catalog.count_relationships(store)
        table = Table(title="graph contents", title_justify="left")
        table.add_column("label / type")
        table.add_column("count", justify="right")
        for name, count in [*nodes.items(), *rels.items()]:
            if count:
                table.add_row(name, f"{count:,}")
        table.add_row("[bold]nodes[/bold]", f"{sum(nodes.values()):,}")
        table.add_row("[bold]relationships[/bold]", f"{sum(rels.values()):,}")
        console.print(table)

    run_on_graph(data_dir, work)


@app.command()
def demo(
    scale: ScaleOption = "small",
    seed: Seed = 42,
    data_dir: DataDir = None,
) -> None:
    """Seed the demo plant when the graph is empty, then print sample traces."""

    async def work(store: GraphStore) -> None:
        if await catalog.is_empty(store):
            await seed_demo_plant(store, scale, seed, validate=True)
        else:
            console.print("graph already holds a plant; tracing it (reseed: `seed --replace`)")
        starts = await catalog.trace_starts(store)
        if starts.finished_batch:
            up = await genealogy.trace(store, starts.finished_batch, TraceDirection.UPSTREAM)
            print_trace(console, up, limit=25)
        if starts.busy_lot:
            down = await genealogy.trace(store, starts.busy_lot, TraceDirection.DOWNSTREAM)
            print_trace(console, down, limit=25)
            print_recall(console, await genealogy.recall_scope(store, starts.busy_lot))
        console.print(
            "next: `factorygraph trace <id> --direction upstream|downstream [--json]`, "
            "`factorygraph recall <lot or supplier lot>`, `factorygraph stats`"
        )

    run_on_graph(data_dir, work)


app.command()(serve)
app.command("export-schema")(export_schema)
app.add_typer(token_app, name="token")
app.add_typer(ingest_app, name="ingest")
app.add_typer(opcua_app, name="opcua")
app.command()(train)
app.command()(evaluate)
app.add_typer(models_app, name="models")
app.command(
    "plant-sim",
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
    add_help_option=False,
)(plant_sim)


def main() -> None:
    app()
