"""`typeserve eval`: every bundled evaluation (or those of the models named) run as a local
experiment, through the same runner, engine and type metrics as any user's experiment, and its
figures written to results.json for the model cards."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from typeserve.config import Settings
from typeserve.experiments.bundled import DATASETS_DIR, Evaluation, load_evaluations
from typeserve.experiments.bundled.media import build_media_dataset
from typeserve.experiments.bundled.results import RESULTS_FILE, write_results
from typeserve.experiments.local import load_local_report, run_local_experiment


def selected(model_ids: list[str] | None) -> list[Evaluation]:
    evaluations = load_evaluations()
    known = {model_id for evaluation in evaluations for model_id in evaluation.models}
    unknown = [m for m in model_ids or [] if m not in known]
    if unknown:
        raise KeyError(f"no evaluation for {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    if not model_ids:
        return evaluations
    return [
        Evaluation(e.dataset, e.type, tuple(m for m in e.models if m in model_ids), e.title, e.notes)
        for e in evaluations
        if any(m in model_ids for m in e.models)
    ]


def dataset_path(evaluation: Evaluation, settings: Settings) -> Path:
    if not evaluation.is_media:
        return DATASETS_DIR / evaluation.dataset
    return build_media_dataset(evaluation.dataset, settings.data_dir / "bundled-datasets")


def figures_of(report: dict[str, Any], evaluation: Evaluation) -> dict[str, list[dict[str, Any]]]:
    figures: dict[str, list[dict[str, Any]]] = {}
    title = evaluation.title
    for result in report["results"]:
        failed = f"{result['errors']} of {result['done']} rows failed" if result["errors"] else None
        errors = "; ".join(n for n in (evaluation.notes.get(result["model"]), failed) if n) or None
        figures[result["model"]] = [
            {
                "metric": name,
                "value": round(value, 4),
                "dataset": f"{title}, n={result['scored']}",
                **({"note": errors} if errors else {}),
            }
            for name, value in result["metrics"].items()
            if value is not None
        ]
    return figures


async def run_bundled_evaluations(
    settings: Settings,
    model_ids: list[str] | None = None,
    results_file: Path = RESULTS_FILE,
    on_evaluated: Callable[[str], None] | None = None,
) -> dict[str, list[dict[str, Any]]]:
    """Model id -> its new figures; results.json is updated with them. `on_evaluated` hears
    the title of each evaluation as it finishes (the CLI's progress bar)."""
    figures: dict[str, list[dict[str, Any]]] = {}
    for evaluation in selected(model_ids):
        experiment_id = await run_local_experiment(
            settings,
            type_name=evaluation.type,
            model_ids=list(evaluation.models),
            data=dataset_path(evaluation, settings),
            tier="cpuflex",
            name=f"eval: {evaluation.title}",
        )
        report = load_local_report(settings, experiment_id)
        assert report is not None
        for model_id, rows in figures_of(report, evaluation).items():  # a model may have several datasets
            figures.setdefault(model_id, []).extend(rows)
        if on_evaluated is not None:
            on_evaluated(evaluation.title)
    write_results(figures, results_file)
    return figures
