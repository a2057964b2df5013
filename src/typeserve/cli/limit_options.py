"""The rate-limit and quota options `typeserve keys` and `typeserve users` share:
`--rate 10/s` (or `600/min`, `6000 items/min`), `--quota 1000/day` (or `50000 items/month`,
`3600 compute/month`), both repeatable, and `--burst 20`."""

from __future__ import annotations

from typing import Annotated

import typer

from typeserve.accounts.limits.policy import Limits, parse_quota, parse_rate
from typeserve.cli.common import fail

Rates = Annotated[list[str] | None, typer.Option("--rate", help="A rate: 10/s, 600/min, 6000 items/min (repeatable).")]
Quotas = Annotated[
    list[str] | None,
    typer.Option("--quota", help="A quota: 1000/day, 50000 items/month, 3600 compute/month (repeatable)."),
]
Burst = Annotated[int | None, typer.Option("--burst", help="Requests allowed at once (default: one window's worth).")]


def limits_from_options(rates: list[str] | None, quotas: list[str] | None, burst: int | None) -> Limits:
    fields: dict[str, float] = {}
    try:
        for text in rates or []:
            fields.update(parse_rate(text))
        for text in quotas or []:
            fields.update(parse_quota(text))
        if burst is not None:
            fields["burst"] = burst
        return Limits.model_validate(fields)
    except ValueError as exc:
        raise fail(str(exc), 2) from None


def describe(limits: Limits) -> str:
    shown = limits.as_json()
    return ", ".join(f"{name}={value:g}" for name, value in shown.items()) if shown else "the defaults"
