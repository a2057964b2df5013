"""The console's reading of an experiment report: which value of each column is best (higher
or lower, per metric), how values are shown, and the side-by-side rows."""

from __future__ import annotations

from typing import Any

from typeserve.console.experiment_view import example_row, result_charts, results_table, side_by_side
from typeserve.modeltypes import MODEL_TYPES


def result(model: str, metrics: dict[str, float | None], p50: float | None, errors: int = 0) -> dict[str, Any]:
    return {
        "model": model,
        "done": 4,
        "errors": errors,
        "metrics": metrics,
        "latencyMs": {"p50": p50, "p95": None if p50 is None else p50 * 2, "mean": p50},
        "throughput": None if p50 is None else 1000 / p50,
    }


def speech_report() -> dict[str, Any]:
    return {
        "type": "automatic-speech-recognition",
        "models": ["a/1/asr", "b/1/asr"],
        "rows": 4,
        "metrics": {
            "wer": {"title": "Word error rate", "higherIsBetter": False, "scale": "0-1"},
            "cer": {"title": "Character error rate", "higherIsBetter": False, "scale": "0-1"},
        },
        "results": [
            result("a/1/asr", {"wer": 0.25, "cer": 0.1}, 40.0, errors=1),
            result("b/1/asr", {"wer": 0.5, "cer": 0.1}, 20.0),
        ],
        "rowTable": [],
    }


def best_cells(report: dict[str, Any]) -> dict[str, set[str]]:
    columns, lines = results_table(report)
    return {column.key: {line.model for line in lines if line.cells[n].best} for n, column in enumerate(columns)}


def test_lower_is_better_for_error_rates_and_latency() -> None:
    best = best_cells(speech_report())
    assert best["wer"] == {"a/1/asr"}  # the lower word error rate
    assert best["cer"] == set()  # a tie everywhere: nothing to choose
    assert best["p50"] == {"b/1/asr"} and best["p95"] == {"b/1/asr"}
    assert best["throughput"] == {"b/1/asr"}  # higher is better
    assert best["errors"] == {"b/1/asr"}


def test_values_are_formatted_and_missing_ones_never_best() -> None:
    report = speech_report()
    report["results"][1] = result("b/1/asr", {"wer": None, "cer": None}, None)
    columns, lines = results_table(report)
    shown = {column.key: lines[1].cells[n] for n, column in enumerate(columns)}
    assert shown["wer"].text == "n/a" and not shown["wer"].best
    assert lines[0].cells[0].text == "0.250"
    assert not any(cell.best for cell in lines[0].cells[:4])  # a single value is no comparison


def test_charts_show_the_main_metric_and_latency() -> None:
    metric, latency = result_charts(speech_report())
    assert metric.title == "Word error rate (lower is better)"
    widths = [group.bars[0].width for group in metric.groups]
    assert widths[0] < widths[1]
    assert [len(group.bars) for group in latency.groups] == [2, 2]
    assert [name for name, _ in latency.series] == ["p50", "p95"]


def test_side_by_side_marks_right_and_wrong_labels() -> None:
    report = {
        "type": "text-classification",
        "models": ["x/1/a", "x/1/b"],
        "rowTable": [
            {
                "index": 0,
                "input": {"input": "Das ist gut."},
                "expected": "de",
                "outputs": {
                    "x/1/a": {"prediction": "de", "error": None, "latencyMs": 2.0},
                    "x/1/b": {"prediction": None, "error": "internal_error: boom", "latencyMs": 1.0},
                },
            }
        ],
    }
    [row] = side_by_side(report)
    assert row.input_text == "Das ist gut." and row.expected == "de"
    first, second = row.answers
    assert first is not None and first.correct is True and first.text == "de"
    assert second is not None and second.correct is False and second.error == "internal_error: boom"


def test_every_type_has_an_example_row() -> None:
    for name, model_type in MODEL_TYPES.items():
        assert example_row(model_type).startswith("{"), name
