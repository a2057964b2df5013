"""An experiment as users read it: status and progress, then per model the type's metrics
against the expected answers, latency percentiles, throughput and errors, and per row the
models' outputs side by side. The same report feeds the API, results.json, results.csv and
the CLI's table."""

from __future__ import annotations

import csv
import io
from typing import Any

from typeserve.experiments.answers import as_cell, input_summary
from typeserve.experiments.latency import percentiles, throughput
from typeserve.experiments.store import RowResult
from typeserve.modeltypes import MODEL_TYPES
from typeserve.store.tables import Experiment


def iso(value: Any) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value is not None else None


def summary(experiment: Experiment, progress: dict[str, tuple[int, int]]) -> dict[str, Any]:
    """Status and progress (rows done per model), without results."""
    per_model = {
        model_id: {
            "done": progress.get(model_id, (0, 0))[0],
            "errors": progress.get(model_id, (0, 0))[1],
            "total": experiment.row_count,
        }
        for model_id in experiment.models
    }
    done = sum(entry["done"] for entry in per_model.values())
    total = experiment.row_count * len(experiment.models)
    return {
        "id": experiment.id,
        "name": experiment.name,
        "type": experiment.type,
        "models": list(experiment.models),
        "serviceTier": experiment.tier,
        "datasetId": experiment.dataset_id,
        "rows": experiment.row_count,
        "status": experiment.status,
        "error": experiment.error,
        "resumed": experiment.resumed,
        "userId": experiment.user_id,
        "createdAt": iso(experiment.created_at),
        "startedAt": iso(experiment.started_at),
        "finishedAt": iso(experiment.finished_at),
        "progress": {"done": done, "total": total, "fraction": done / total if total else 1.0, "models": per_model},
    }


def model_results(
    experiment: Experiment, dataset_rows: list[dict[str, Any]], results: list[RowResult]
) -> list[dict[str, Any]]:
    model_type = MODEL_TYPES[experiment.type]
    expected = [model_type.split_row(row)[1] for row in dataset_rows]
    by_model: dict[str, dict[int, RowResult]] = {model_id: {} for model_id in experiment.models}
    for result in results:
        by_model.setdefault(result.model_id, {})[result.row_index] = result
    report = []
    for model_id in experiment.models:
        answered = by_model[model_id]
        scored = [index for index in sorted(answered) if index < len(expected) and expected[index] is not None]
        outputs = [answered[index].output for index in scored]
        succeeded = [r for r in answered.values() if r.error is None]
        report.append(
            {
                "model": model_id,
                "done": len(answered),
                "errors": len(answered) - len(succeeded),
                "scored": len(scored),
                "metrics": model_type.score(outputs, [expected[index] for index in scored]),
                "latencyMs": percentiles([r.latency_ms for r in succeeded]),
                "throughput": throughput([(r.started_at, r.finished_at) for r in answered.values()]),
                "tiers": sorted({r.tier for r in succeeded if r.tier}),
            }
        )
    return report


def row_table(
    experiment: Experiment,
    dataset_rows: list[dict[str, Any]],
    results: list[RowResult],
    offset: int = 0,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """Per row: the input (media as its size), the expected answer, each model's answer."""
    by_row: dict[int, dict[str, RowResult]] = {}
    for result in results:
        by_row.setdefault(result.row_index, {})[result.model_id] = result
    end = len(dataset_rows) if limit is None else min(len(dataset_rows), offset + limit)
    table = []
    model_type = MODEL_TYPES[experiment.type]
    for index in range(offset, end):
        row = dataset_rows[index]
        payload, expected = model_type.split_row(row)
        answers = by_row.get(index, {})
        table.append(
            {
                "index": index,
                "id": row.get("id"),
                "input": input_summary(payload),
                "expected": expected,
                "outputs": {
                    model_id: (
                        {
                            "output": answers[model_id].output,
                            "prediction": model_type.prediction(answers[model_id].output),
                            "error": answers[model_id].error,
                            "latencyMs": answers[model_id].latency_ms,
                        }
                        if model_id in answers
                        else None
                    )
                    for model_id in experiment.models
                },
            }
        )
    return table


def full_report(
    experiment: Experiment,
    progress: dict[str, tuple[int, int]],
    dataset_rows: list[dict[str, Any]],
    results: list[RowResult],
    offset: int = 0,
    limit: int | None = None,
) -> dict[str, Any]:
    return {
        **summary(experiment, progress),
        "metrics": {info.name: info.as_json() for info in MODEL_TYPES[experiment.type].scoring.metrics},
        "results": model_results(experiment, dataset_rows, results),
        "rowsOffset": offset,
        "rowTable": row_table(experiment, dataset_rows, results, offset, limit),
    }


def results_csv(experiment: Experiment, dataset_rows: list[dict[str, Any]], results: list[RowResult]) -> str:
    """One line per row: input, expected answer, then each model's prediction, error and latency."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    header = ["row", "id", "input", "expected"]
    for model_id in experiment.models:
        header += [f"{model_id} prediction", f"{model_id} error", f"{model_id} latency_ms"]
    writer.writerow(header)
    for line in row_table(experiment, dataset_rows, results):
        shown = line["input"]
        text = shown["input"] if set(shown) == {"input"} else shown  # a text type's input reads as text
        cells = [line["index"], as_cell(line["id"]), as_cell(text), as_cell(line["expected"])]
        for model_id in experiment.models:
            answer = line["outputs"][model_id]
            if answer is None:
                cells += ["", "", ""]
            else:
                cells += [as_cell(answer["prediction"]), answer["error"] or "", f"{answer['latencyMs']:.2f}"]
        writer.writerow(cells)
    return buffer.getvalue()
