"""`typeserve experiment`: compare models of one type on your own data, in this process."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Annotated, Any

import typer

from typeserve.cli.common import (
    DataDir,
    console,
    err_console,
    fail,
    settings_for,
    table_with_ids,
    wide_console,
    writing_settings,
)
from typeserve.modeltypes import MODEL_TYPES

experiment_app = typer.Typer(help="Compare models of one type on your own data.", no_args_is_help=True)


@experiment_app.command("run")
def experiment_run(
    type: Annotated[str, typer.Option("--type", help=f"The model type: one of {', '.join(MODEL_TYPES)}.")],
    models: Annotated[str, typer.Option("--models", help="Comma-separated model ids, all of that type.")],
    data: Annotated[Path, typer.Option("--data", help="The dataset: .jsonl, .csv or .zip.")],
    tier: Annotated[str, typer.Option("--tier", help="cpuflex or gpuflex.")] = "cpuflex",
    name: Annotated[str | None, typer.Option("--name", help="A name for the experiment.")] = None,
    data_dir: DataDir = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the full report as JSON.")] = False,
) -> None:
    """Run every model over the dataset in this process, then print the comparison."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from typeserve.cli.experiment_tables import results_table
    from typeserve.errors import Problem
    from typeserve.experiments.local import load_local_report, run_local_experiment

    settings = writing_settings(data_dir)
    model_ids = [m.strip() for m in models.split(",") if m.strip()]
    progress = Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=err_console
    )
    bars: dict[str, Any] = {}

    def on_start(experiment: Any) -> None:
        err_console.print(f"Experiment [bold]{experiment.id}[/bold]: {experiment.row_count} rows")
        for model_id in model_ids:
            bars[model_id] = progress.add_task(model_id, total=experiment.row_count)

    def on_row(_experiment_id: str, result: Any) -> None:
        progress.advance(bars[result.model_id])

    try:
        with progress:
            experiment_id = asyncio.run(
                run_local_experiment(
                    settings,
                    type_name=type,
                    model_ids=model_ids,
                    data=data,
                    tier=tier,
                    name=name,
                    listener=on_row,
                    on_start=on_start,
                )
            )
    except Problem as problem:
        raise fail(f"{problem.status} {problem.code}: {problem.detail}", 2) from None
    report = load_local_report(settings, experiment_id)
    assert report is not None
    if as_json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
        return
    wide_console().print(results_table(report))


@experiment_app.command("list")
def experiment_list(
    data_dir: DataDir = None, as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False
) -> None:
    """List every experiment in the data directory, newest first."""
    from typeserve.experiments.local import list_local_experiments

    experiments = list_local_experiments(settings_for(data_dir))
    if as_json:
        print(json.dumps(experiments, indent=2, ensure_ascii=False))
        return
    table = table_with_ids("id", [e["id"] for e in experiments], "name", "type", "models", "status", "done", "created")
    for e in experiments:
        progress = e["progress"]
        table.add_row(
            e["id"],
            e["name"],
            e["type"],
            ", ".join(e["models"]),
            e["status"],
            f"{progress['done']}/{progress['total']}",
            e["createdAt"][:16],
        )
    wide_console().print(table)


@experiment_app.command("show")
def experiment_show(
    experiment_id: str,
    data_dir: DataDir = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the full report as JSON.")] = False,
) -> None:
    """Show an experiment's progress and results (started here or through the API)."""
    from typeserve.cli.experiment_tables import results_table
    from typeserve.experiments.local import load_local_report

    report = load_local_report(settings_for(data_dir), experiment_id)
    if report is None:
        raise fail(f"no experiment with id {experiment_id!r}")
    if as_json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
        return
    progress = report["progress"]
    console.print(f"{report['status']}: {progress['done']}/{progress['total']} rows done")
    wide_console().print(results_table(report))
