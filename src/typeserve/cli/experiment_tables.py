"""An experiment's results as a rich table for the terminal: one line per model, with its
metrics, latency and throughput."""

from __future__ import annotations

from typing import Any

from rich.table import Table


def number(value: float | None, digits: int = 3) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def results_table(report: dict[str, Any]) -> Table:
    metric_names = list(report["metrics"])
    table = Table(title=f"{report['name']} ({report['id']}, {report['type']}, {report['status']})")
    table.add_column("model", no_wrap=True)
    table.add_column("rows", justify="right")
    table.add_column("errors", justify="right")
    for name in metric_names:
        info = report["metrics"][name]
        arrow = "↑" if info["higherIsBetter"] else "↓"
        table.add_column(f"{name} {arrow}", justify="right")
    table.add_column("p50 ms", justify="right")
    table.add_column("p95 ms", justify="right")
    table.add_column("rows/s", justify="right")
    for result in report["results"]:
        digits = {name: 2 if report["metrics"][name]["scale"] == "0-100" else 3 for name in metric_names}
        table.add_row(
            result["model"],
            f"{result['done']}/{report['rows']}",
            str(result["errors"]),
            *(number(result["metrics"].get(name), digits[name]) for name in metric_names),
            number(result["latencyMs"]["p50"], 1),
            number(result["latencyMs"]["p95"], 1),
            number(result["throughput"], 1),
        )
    return table
