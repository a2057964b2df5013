"""A model card as JSON: what the model is, its type's signature, whether it can be served,
its API URL per tier and examples. Shared by the catalog API, the console, the samples and
the CLI."""

from __future__ import annotations

from typing import Any

from typeserve.catalog.spec import ModelSpec
from typeserve.engine.base import Engine
from typeserve.engine.tiers import Tier
from typeserve.modeltypes import get_model_type
from typeserve.runtimes import get_runtime
from typeserve.samples.languages import LANGUAGES

# The languages of /v1/models/{id}/samples/{lang}.
SAMPLE_LANGUAGES = tuple(LANGUAGES)


def api_urls(spec: ModelSpec, base_url: str) -> dict[str, str]:
    url = f"{base_url}/v1/ent/{spec.id}"
    urls = {"cpuflex": url}
    if "gpuflex" in spec.serving.tiers:
        urls["gpuflex"] = f"{url}?serviceTier=gpuflex"
    return urls


def model_status(spec: ModelSpec, engine: Engine) -> dict[str, Any]:
    state = engine.state(spec.id)
    try:
        availability = get_runtime(spec.runtime).availability(spec)
    except KeyError as exc:
        return {"status": "unavailable", "reason": str(exc)}
    if not availability.available:
        return {
            "status": "unavailable",
            "reason": availability.reason,
            "install": availability.install,
        }
    if state.loaded:
        return {
            "status": "loaded",
            "tiers": list(state.tiers),
            # Where each loaded tier runs (gpuflex models are placed on the CUDA device).
            "devices": state.devices or {tier: Tier(tier).device for tier in state.tiers},
            "loadSeconds": state.load_seconds,
            "memoryBytes": state.memory_bytes,
            "isolated": state.isolated,
        }
    if state.error:
        return {"status": "unavailable", "reason": state.error}
    return {"status": "installed"}


def summary_json(spec: ModelSpec, engine: Engine, base_url: str) -> dict[str, Any]:
    return {
        "id": spec.id,
        "type": spec.type,
        "title": spec.title,
        "vendor": spec.vendor,
        "runtime": spec.runtime,
        "license": spec.license,
        "languages": spec.languages,
        "apiUrl": api_urls(spec, base_url)["cpuflex"],
        **model_status(spec, engine),
    }


def card_examples(spec: ModelSpec) -> list[dict[str, Any]]:
    """The model's own examples, else its type's; also the examples of its OpenAPI document."""
    model_type = get_model_type(spec.type)
    return [example.model_dump(exclude_none=True) for example in spec.examples] or [
        {"request": model_type.example_input, "response": model_type.example_output}
    ]


def card_json(spec: ModelSpec, engine: Engine, base_url: str) -> dict[str, Any]:
    examples = card_examples(spec)
    return {
        **summary_json(spec, engine, base_url),
        "description": spec.description,
        "source": spec.source,
        "labels": spec.labels,
        "limits": spec.limits,
        "tags": spec.tags,
        "card": spec.card,
        "sampleRate": spec.sample_rate,
        "serving": spec.serving.model_dump(),
        "apiUrls": api_urls(spec, base_url),
        "signature": {
            "input": f"{base_url}/v1/types/{spec.type}#input",
            "output": f"{base_url}/v1/types/{spec.type}#output",
        },
        "examples": examples,
        "quality": [figure.model_dump(exclude_none=True) for figure in spec.quality],
        "links": {
            "openapi": f"{base_url}/v1/models/{spec.id}/openapi.json",
            "samples": {lang: f"{base_url}/v1/models/{spec.id}/samples/{lang}" for lang in SAMPLE_LANGUAGES},
        },
    }
