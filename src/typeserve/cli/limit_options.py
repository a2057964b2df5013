"""The rate-limit and quota options `typeserve keys` and `typeserve users` share:
`--rate 10/s`, `--item-rate 600/min`, `--burst 20`, `--quota 1000/day`, `--item-quota`,
`--compute-quota 3600/month` (repeatable for a day and a month)."""

from __future__ import annotations

from typing import Annotated

import typer

from typeserve.accounts.limits.policy import Limits, parse_quota, parse_rate
from typeserve.cli.common import fail

Rate = Annotated[list[str] | None, typer.Option("--rate", help="Requests per second or minute: 10/s, 600/min.")]
ItemRate = Annotated[str | None, typer.Option("--item-rate", help="Items per minute (a list of 64 is 64): 600/min.")]
Burst = Annotated[int | None, typer.Option("--burst", help="Requests allowed at once (default: one window's worth).")]
Quota = Annotated[list[str] | None, typer.Option("--quota", help="Requests per day or month: 1000/day, 20000/month.")]
ItemQuota = Annotated[list[str] | None, typer.Option("--item-quota", help="Items per day or month.")]
ComputeQuota = Annotated[
    list[str] | None, typer.Option("--compute-quota", help="Inference seconds per day or month: 3600/month.")
]


def limits_from_options(
    rate: list[str] | None,
    item_rate: str | None,
    burst: int | None,
    quota: list[str] | None,
    item_quota: list[str] | None,
    compute_quota: list[str] | None,
) -> Limits:
    fields: dict[str, float] = {}
    try:
        for text in rate or []:
            fields.update(parse_rate(text))
        if item_rate:
            fields.update(parse_rate(item_rate, "items"))
        for text in quota or []:
            fields.update(parse_quota(text, "requests"))
        for text in item_quota or []:
            fields.update(parse_quota(text, "items"))
        for text in compute_quota or []:
            fields.update(parse_quota(text, "compute"))
        if burst is not None:
            fields["burst"] = burst
        return Limits.model_validate(fields)
    except ValueError as exc:
        raise fail(str(exc).splitlines()[0] if "validation error" not in str(exc) else str(exc), 2) from None


def describe(limits: Limits) -> str:
    shown = limits.as_json()
    return ", ".join(f"{name}={value:g}" for name, value in shown.items()) if shown else "the defaults"
