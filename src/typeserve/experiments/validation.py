"""Checking an experiment before it starts, for the API and the CLI alike: a known type, known
models all of that type, within the limits, on a tier this deployment can serve."""

from __future__ import annotations

from typeserve.catalog import Catalog
from typeserve.catalog.spec import ModelSpec
from typeserve.config import Settings
from typeserve.engine.tiers import Tier, UnknownTier, gpu_available, parse_tier, resolve_tier
from typeserve.errors import Problem, invalid_field, invalid_input, not_found
from typeserve.modeltypes import MODEL_TYPES


def invalid(field: str, message: str, detail: str | None = None) -> Problem:
    return invalid_field(field, message, detail or f"{field}: {message}", title="The experiment is not valid")


def check_experiment(
    catalog: Catalog,
    settings: Settings,
    type_name: str,
    model_ids: list[str],
    tier_name: str | None,
    has_gpu: bool | None = None,
) -> tuple[list[ModelSpec], Tier]:
    """The models' specs and the requested tier, or a Problem naming what is wrong. `has_gpu`:
    whether the serving engine has a GPU (a Ray cluster's, say); else this machine's."""
    if has_gpu is None:
        has_gpu = gpu_available()
    if type_name not in MODEL_TYPES:
        raise invalid("type", f"unknown type {type_name!r}; known: {', '.join(MODEL_TYPES)}")
    if not model_ids:
        raise invalid("models", "give at least one model id")
    if len(model_ids) > settings.experiment_max_models:
        raise invalid("models", f"at most {settings.experiment_max_models} models per experiment")
    duplicates = sorted({m for m in model_ids if model_ids.count(m) > 1})
    if duplicates:
        raise invalid("models", f"listed more than once: {', '.join(duplicates)}")
    unknown = [m for m in model_ids if m not in catalog]
    if unknown:
        raise not_found(
            "unknown_model",
            f"No model with id {', '.join(repr(m) for m in unknown)}.",
            errors=[{"field": f"models.{model_ids.index(m)}", "message": f"unknown model {m}"} for m in unknown],
        )
    specs = [catalog.get(m) for m in model_ids]
    other = [spec for spec in specs if spec.type != type_name]
    if other:
        named = ", ".join(f"{spec.id} is {spec.type}" for spec in other)
        raise invalid_input(
            "mixed_types",
            "Models of different types",
            f"Every model of a {type_name} experiment must be of that type: {named}.",
            errors=[
                {"field": f"models.{model_ids.index(spec.id)}", "message": f"{spec.id} is {spec.type}"}
                for spec in other
            ],
        )
    try:
        requested = parse_tier(tier_name)
    except UnknownTier as exc:
        raise invalid("serviceTier", "must be one of cpuflex, gpuflex", f"serviceTier: {exc}.") from None
    served = Tier.CPUFLEX
    for spec in specs:
        served = resolve_tier(
            requested, has_gpu=has_gpu, fallback=settings.gpuflex_fallback, model_tiers=spec.serving.tiers
        )
    return specs, served
