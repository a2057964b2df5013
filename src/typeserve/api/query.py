"""Query parameters at the HTTP edge: the only place that names `serviceTier`."""

from __future__ import annotations

from fastapi import Request

from typeserve.engine.tiers import Tier, UnknownTier, parse_tier
from typeserve.errors import invalid_field, invalid_fields

TIER_PARAMETER = "serviceTier"


def tier_parameter(request: Request, name: str = TIER_PARAMETER, default: str | None = None) -> Tier:
    """The tier a query parameter asks for; a name that is no tier is a 422 naming the parameter."""
    value = request.query_params.get(name, default)
    try:
        return parse_tier(value)
    except UnknownTier as exc:
        raise invalid_field(name, "must be one of cpuflex, gpuflex", f"{name}: {exc}.") from None


def refuse_query_except(request: Request, known: set[str], takes: str = "this route takes") -> None:
    """Any query parameter but the `known` ones is a 422 naming it, never silently ignored."""
    unknown = list(dict.fromkeys(name for name in request.query_params if name not in known))
    if unknown:
        shown = ", ".join(repr(name[:40]) for name in unknown[:5])
        raise invalid_fields(
            [name[:100] for name in unknown[:20]],
            "unknown query parameter",
            f"Unknown query parameter(s) {shown}; {takes} {', '.join(sorted(known))}.",
        )
