"""An experiment's report (as GET /v1/experiments/{id} answers it) arranged for the console:
the results table with the best value of each column marked (higher or lower is better, per
metric), the bar charts, the side-by-side rows, and the example row shown per type on the
form."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from typeserve.console.charts import BarChart, bar_chart
from typeserve.experiments.answers import as_cell
from typeserve.modeltypes import MODEL_TYPES
from typeserve.modeltypes.base import ModelType

ACTIVE = ("queued", "running")


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    higher_is_better: bool
    digits: int


@dataclass(frozen=True)
class Cell:
    text: str
    best: bool = False


@dataclass(frozen=True)
class ResultLine:
    model: str
    done: int
    cells: list[Cell]


def metric_digits(info: dict[str, Any]) -> int:
    return 2 if info.get("scale") == "0-100" else 3


def result_columns(report: dict[str, Any]) -> list[Column]:
    columns = [
        Column(name, str(info["title"]), bool(info["higherIsBetter"]), metric_digits(info))
        for name, info in report["metrics"].items()
    ]
    return [
        *columns,
        Column("p50", "Latency p50 (ms)", False, 1),
        Column("p95", "Latency p95 (ms)", False, 1),
        Column("throughput", "Throughput (rows/s)", True, 1),
        Column("errors", "Errors", False, 0),
    ]


def column_value(result: dict[str, Any], key: str) -> float | None:
    if key in ("p50", "p95"):
        value = result["latencyMs"].get(key)
    elif key == "throughput":
        value = result.get("throughput")
    elif key == "errors":
        value = result.get("errors")
    else:
        value = result["metrics"].get(key)
    return None if value is None else float(value)


def best_values(columns: list[Column], results: list[dict[str, Any]]) -> dict[str, float | None]:
    """Per column the best value, or None where there is nothing to choose: fewer than two
    models have a value, or all have the same one."""
    best: dict[str, float | None] = {}
    for column in columns:
        values = [v for r in results if (v := column_value(r, column.key)) is not None]
        if len(values) < 2 or len(set(values)) == 1:
            best[column.key] = None
        else:
            best[column.key] = max(values) if column.higher_is_better else min(values)
    return best


def results_table(report: dict[str, Any]) -> tuple[list[Column], list[ResultLine]]:
    columns = result_columns(report)
    best = best_values(columns, report["results"])
    lines = []
    for result in report["results"]:
        cells = []
        for column in columns:
            value = column_value(result, column.key)
            text = "n/a" if value is None else f"{value:.{column.digits}f}"
            cells.append(Cell(text, best=value is not None and value == best[column.key]))
        lines.append(ResultLine(str(result["model"]), int(result["done"]), cells))
    return columns, lines


def result_charts(report: dict[str, Any]) -> list[BarChart]:
    """The type's main metric (its first) per model, and latency p50 and p95 per model."""
    results = report["results"]
    charts = []
    if report["metrics"]:
        name, info = next(iter(report["metrics"].items()))
        arrow = "higher is better" if info["higherIsBetter"] else "lower is better"
        charts.append(
            bar_chart(
                f"{info['title']} ({arrow})",
                "",
                [(r["model"], [column_value(r, name)]) for r in results],
                [str(info["title"])],
                top=100.0 if info.get("scale") == "0-100" else None,
                digits=metric_digits(info),
            )
        )
    charts.append(
        bar_chart(
            "Latency (ms, lower is better)",
            "ms",
            [(r["model"], [column_value(r, "p50"), column_value(r, "p95")]) for r in results],
            ["p50", "p95"],
        )
    )
    return charts


@dataclass(frozen=True)
class Answer:
    text: str
    error: str | None
    correct: bool | None  # None: not a right-or-wrong type, or no answer yet
    latency_ms: float | None


@dataclass(frozen=True)
class SideBySideRow:
    index: int
    input_text: str
    expected: str
    answers: list[Answer | None]


def input_text(shown: dict[str, Any]) -> str:
    """A text type's input reads as its text; anything else as compact JSON (media as sizes)."""
    if set(shown) == {"input"} and isinstance(shown["input"], str):
        return str(shown["input"])
    return as_cell(shown)


def side_by_side(report: dict[str, Any]) -> list[SideBySideRow]:
    # A type whose prediction is right or wrong as a whole shows a tick or a cross per row.
    exact = MODEL_TYPES[report["type"]].scoring.exact_match
    rows = []
    for line in report["rowTable"]:
        expected = line["expected"]
        answers: list[Answer | None] = []
        for model_id in report["models"]:
            out = line["outputs"].get(model_id)
            if out is None:
                answers.append(None)
                continue
            predicted = out.get("prediction")
            correct = None
            if exact and expected is not None:
                correct = out.get("error") is None and str(predicted).strip() == str(expected).strip()
            answers.append(Answer(as_cell(predicted), out.get("error"), correct, out.get("latencyMs")))
        rows.append(SideBySideRow(int(line["index"]), input_text(line["input"]), as_cell(expected), answers))
    return rows


def example_row(model_type: ModelType) -> str:
    """One dataset line for a type: its input (a file name in a zip for media) and the answer."""
    if model_type.media == "image":
        payload: dict[str, Any] = {"image": "photo-1.jpg"}
    elif model_type.media == "audio":
        payload = {"audio": "clip-1.wav"}
    else:
        payload = dict(model_type.example_input)
    expected = model_type.prediction(model_type.example_output)
    if isinstance(expected, list):  # expected boxes carry no scores
        expected = [{k: v for k, v in item.items() if k != "score"} for item in expected]
    payload[model_type.scoring.expected_field] = expected
    return json.dumps(payload, ensure_ascii=False)
