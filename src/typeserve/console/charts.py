"""Charts as plain geometry for an SVG template: line charts over time (scaled points, axis
ticks, a legend) and horizontal bar charts per model. Drawn on the server, so usage and
experiment results read without JavaScript and no chart library is needed."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

PALETTE = ["#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c", "#0891b2", "#4b5563"]
WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 52, 12, 12, 28


@dataclass(frozen=True)
class Series:
    name: str
    color: str
    points: str  # "x,y x,y ..." for <polyline>
    dots: list[tuple[float, float, str]]  # x, y and a tooltip


@dataclass(frozen=True)
class Chart:
    title: str
    unit: str
    width: int
    height: int
    left: int
    top: int
    plot_width: int
    plot_height: int
    series: list[Series]
    y_ticks: list[tuple[float, str]]
    x_ticks: list[tuple[float, str]]
    empty: bool


def nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def nice_count_max(value: float) -> float:
    """A top for counts that splits into four whole-number steps: 4, 8, 20, 40, 80, 200, ..."""
    magnitude = 1
    while True:
        for step in (4, 8, 20):
            if value <= step * magnitude:
                return float(step * magnitude)
        magnitude *= 10


def fmt(value: float) -> str:
    return f"{value:.0f}" if value >= 10 or value == int(value) else f"{value:.2f}".rstrip("0")


def line_chart(
    title: str,
    unit: str,
    starts: list[datetime],
    named_values: list[tuple[str, list[float | None]]],
    time_format: str,
    *,
    counts: bool = False,
) -> Chart:
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    count = max(1, len(starts))
    peak = max([v for _, values in named_values for v in values if v is not None] or [0.0])
    top = nice_count_max(peak) if counts else nice_max(peak)

    def x_of(i: int) -> float:
        return LEFT + (plot_w * i / (count - 1) if count > 1 else plot_w / 2)

    def y_of(v: float) -> float:
        return TOP + plot_h - plot_h * v / top

    series = []
    for n, (name, values) in enumerate(named_values):
        color = PALETTE[n % len(PALETTE)]
        coords = [(round(x_of(i), 1), round(y_of(v), 1), v) for i, v in enumerate(values) if v is not None]
        points = " ".join(f"{x},{y}" for x, y, _ in coords)
        dots = [(x, y, f"{name}: {fmt(v)} {unit} at {starts[i]:{time_format}}") for i, (x, y, v) in enumerate(coords)]
        series.append(Series(name, color, points, dots))
    y_ticks = [(round(y_of(top * k / 4), 1), fmt(top * k / 4)) for k in range(5)]
    step = max(1, math.ceil(count / 6))
    x_ticks = [(round(x_of(i), 1), f"{starts[i]:{time_format}}") for i in range(0, count, step)]
    return Chart(
        title,
        unit,
        WIDTH,
        HEIGHT,
        LEFT,
        TOP,
        plot_w,
        plot_h,
        series,
        y_ticks,
        x_ticks,
        empty=peak == 0,
    )


# Narrower than the line charts: two sit side by side, and their labels must stay legible.
BAR_WIDTH = 480
BAR_LEFT, BAR_RIGHT, BAR_TOP, BAR_AXIS = 8, 56, 4, 24
BAR_LABEL_H, BAR_H, BAR_GAP, BAR_GROUP_GAP = 22, 16, 3, 12


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    color: str
    value_text: str
    tip: str


@dataclass(frozen=True)
class BarGroup:
    label: str
    label_y: float
    bars: list[Bar]


@dataclass(frozen=True)
class BarChart:
    title: str
    unit: str
    width: int
    height: int
    left: int
    top: int
    plot_width: int
    plot_height: int
    groups: list[BarGroup]
    series: list[tuple[str, str]]  # name and color, for a legend when there are several
    x_ticks: list[tuple[float, str]]
    empty: bool


def bar_chart(
    title: str,
    unit: str,
    groups: list[tuple[str, list[float | None]]],
    series_names: list[str],
    *,
    top: float | None = None,
    digits: int = 1,
) -> BarChart:
    """One labelled group of bars per item (a model), one bar per series (a metric, p50 and
    p95); the label sits above its bars, so long model ids fit. Missing values draw no bar."""
    plot_w = BAR_WIDTH - BAR_LEFT - BAR_RIGHT
    peak = max([v for _, values in groups for v in values if v is not None] or [0.0])
    scale_top = top if top is not None else nice_max(peak)
    colors = [PALETTE[n % len(PALETTE)] for n in range(len(series_names))]
    drawn: list[BarGroup] = []
    y = float(BAR_TOP)
    for label, values in groups:
        label_y = y + BAR_LABEL_H - 5
        y += BAR_LABEL_H
        bars = []
        for n, value in enumerate(values):
            if value is not None:
                width = round(plot_w * min(max(value, 0.0), scale_top) / scale_top, 1)
                text = f"{value:.{digits}f}"
                tip = f"{label}: {series_names[n]} {text} {unit}".rstrip()
                bars.append(Bar(float(BAR_LEFT), round(y, 1), width, BAR_H, colors[n], text, tip))
            else:
                text = "n/a"
                bars.append(Bar(float(BAR_LEFT), round(y, 1), 0.0, BAR_H, colors[n], text, f"{label}: no value"))
            y += BAR_H + BAR_GAP
        drawn.append(BarGroup(label, round(label_y, 1), bars))
        y += BAR_GROUP_GAP
    plot_h = round(y - BAR_TOP)
    height = int(y + BAR_AXIS)
    x_ticks = [(round(BAR_LEFT + plot_w * k / 4, 1), f"{scale_top * k / 4:.4g}") for k in range(5)]
    return BarChart(
        title,
        unit,
        BAR_WIDTH,
        height,
        BAR_LEFT,
        BAR_TOP,
        plot_w,
        plot_h,
        drawn,
        list(zip(series_names, colors, strict=True)),
        x_ticks,
        empty=not any(v is not None for _, values in groups for v in values),
    )
