"""Commands of the foresight model: `train`, `evaluate`, `models list|compare|promote`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from app.cli_common import DataDir, console, errors, settings_for

models_app = typer.Typer(help="Model artifacts: list, compare, promote.", no_args_is_help=True)


def seed_list(text: str) -> list[int]:
    """`1-6`, `7`, `8,9` or `1-3,5` -> the seeds."""
    seeds: list[int] = []
    try:
        for part in text.split(","):
            first, _, last = part.strip().partition("-")
            seeds += list(range(int(first), int(last or first) + 1))
    except ValueError:
        raise typer.BadParameter(f"{text!r}: seeds look like 1-6 or 8,9") from None
    if not seeds:
        raise typer.BadParameter("no seeds given")
    return seeds


Seeds = Annotated[str, typer.Option(help="Simulation seeds to train on, e.g. 1-6.")]


def train(
    seeds: Seeds = "1-6",
    val_seeds: Annotated[
        str, typer.Option(help="Seeds that validate (early stop, calibration).")
    ] = "7",
    days: Annotated[float, typer.Option(help="Simulated days per seed.")] = 45.0,
    every_h: Annotated[float, typer.Option(help="Hours between snapshots.")] = 12.0,
    epochs: Annotated[int, typer.Option(help="Most epochs.")] = 60,
    seed: Annotated[int, typer.Option(help="Training seed.")] = 0,
    time_budget: Annotated[float, typer.Option(help="Stop training after this many s.")] = 110.0,
    promote: Annotated[bool, typer.Option("--promote", help="Promote the new model.")] = False,
    data_dir: DataDir = None,
) -> None:
    """Train the graph model on simulated plant histories; writes a versioned artifact."""
    from inference.model import commands

    settings = settings_for(data_dir)
    version = commands.train(
        settings.data_dir,
        seed_list(seeds),
        days,
        every_h,
        epochs,
        seed,
        time_budget,
        val_seeds=seed_list(val_seeds),
    )
    if promote:
        commands.promote(settings.data_dir, version)
    console.print(f"model {version}{' (promoted)' if promote else ''}")


def evaluate(
    version: Annotated[str | None, typer.Option(help="Model version (default: promoted).")] = None,
    test_seeds: Annotated[str, typer.Option(help="Held-out simulation seeds.")] = "8-13",
    out: Annotated[Path, typer.Option(help="Where the PNG plots go.")] = Path("reports"),
    data_dir: DataDir = None,
) -> None:
    """Metric table against the baselines on held-out seeds; PR, calibration, attribution plots."""
    from inference.model import commands

    settings = settings_for(data_dir)
    try:
        table = commands.evaluate(settings.data_dir, version, seed_list(test_seeds), out)
    except LookupError as exc:
        errors.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None
    console.print(table)
    console.print(f"plots in {out}/")


@models_app.command("list")
def models_list(data_dir: DataDir = None) -> None:
    """Every model version with its validation PR-AUC per target."""
    from inference.model import commands

    rows = commands.models(settings_for(data_dir).data_dir)
    if not rows:
        console.print("no models yet: `factorygraph train`")
        return
    targets = sorted({t for r in rows for t in r["val_pr_auc"]})
    table = Table("version", "created", "promoted", "code", "data", *targets)
    for r in rows:
        table.add_row(
            r["version"],
            str(r["created_at"]),
            "yes" if r["promoted"] else "",
            str(r["code_version"]),
            r["data_hash"],
            *(f"{r['val_pr_auc'].get(t) or 0:.3f}" for t in targets),
        )
    console.print(table)


@models_app.command("compare")
def models_compare(first: str, second: str, data_dir: DataDir = None) -> None:
    """Validation metrics of two versions side by side."""
    from inference.model import commands

    rows = {r["version"]: r for r in commands.models(settings_for(data_dir).data_dir)}
    for version in (first, second):
        if version not in rows:
            errors.print(f"[red]error:[/red] no model {version!r}")
            raise typer.Exit(2)
    a, b = rows[first]["val_pr_auc"], rows[second]["val_pr_auc"]
    table = Table("target (validation PR-AUC)", first, second, "difference")
    for target in sorted(set(a) | set(b)):
        x, y = a.get(target) or 0.0, b.get(target) or 0.0
        table.add_row(target, f"{x:.3f}", f"{y:.3f}", f"{y - x:+.3f}")
    console.print(table)


@models_app.command("promote")
def models_promote(version: str, data_dir: DataDir = None) -> None:
    """Make `version` the model `serve` loads."""
    from inference.model import commands

    try:
        commands.promote(settings_for(data_dir).data_dir, version)
    except (LookupError, FileNotFoundError) as exc:
        errors.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None
    console.print(f"promoted {version}")
