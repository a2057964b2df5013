"""Query parameters at the HTTP edge: the only place that names `serviceTier`."""

from __future__ import annotations

from fastapi import Request

from typeserve.engine.tiers import Tier, UnknownTier, parse_tier
from typeserve.errors import invalid_field

TIER_PARAMETER = "serviceTier"


def tier_parameter(request: Request, name: str = TIER_PARAMETER, default: str | None = None) -> Tier:
    """The tier a query parameter asks for; a name that is no tier is a 422 naming the parameter."""
    value = request.query_params.get(name, default)
    try:
        return parse_tier(value)
    except UnknownTier as exc:
        raise invalid_field(name, "must be one of cpuflex, gpuflex", f"{name}: {exc}.") from None
