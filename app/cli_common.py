"""What every command shares: options, settings, and running work against the graph."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from rich.console import Console

from app.logs import configure_logging
from app.settings import Settings
from graph.connect import open_store
from graph.errors import GraphError, InvalidRowError, NotFoundError
from graph.store import GraphStore

console = Console()
errors = Console(stderr=True)

T = TypeVar("T")

DataDir = Annotated[
    Path | None,
    typer.Option(
        "--data-dir",
        envvar="FACTORYGRAPH_DATA_DIR",
        help="Directory of the embedded graph (default ./.factorygraph).",
    ),
]
Seed = Annotated[int, typer.Option("--seed", help="Random seed: same seed, same plant.")]
ScaleOption = Annotated[
    str,
    typer.Option(
        "--scale",
        help="small | medium | large | <number of nodes>",
        callback=lambda v: scale_option(v),
    ),
]


def scale_option(text: str) -> str:
    """Refuse a bad `--scale` before anything starts."""
    from ingest.demo.scale import ScaleError, parse_scale

    try:
        parse_scale(text)
    except ScaleError as exc:
        raise typer.BadParameter(str(exc), param_hint="--scale") from None
    return text


def settings_for(data_dir: Path | None) -> Settings:
    settings = Settings()
    if data_dir is not None:
        settings = settings.model_copy(update={"data_dir": data_dir})
    configure_logging(settings.log_level)
    return settings


def run_on_graph(data_dir: Path | None, work: Callable[[GraphStore], Awaitable[T]]) -> T:
    """Open the graph, run `work`, close it; graph errors become one clear message."""
    settings = settings_for(data_dir)

    async def main() -> T:
        store = await open_store(settings.store_config())
        try:
            return await work(store)
        finally:
            await store.close()

    try:
        return asyncio.run(main())
    except (InvalidRowError, NotFoundError) as exc:
        errors.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None
    except GraphError as exc:
        errors.print(f"[red]graph error:[/red] {exc}")
        raise typer.Exit(1) from None
