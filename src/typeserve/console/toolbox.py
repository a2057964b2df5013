"""The Developer Toolbox's content: code samples per language and the OpenAPI spec's
availability, from the functions behind the API's own routes (so the console shows exactly
what the API serves), with a curl sample made here when there is none; and the rewrite of a
model's URL for the FlexGPU tier."""

from __future__ import annotations

import json
import logging
import re
import shlex
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from typeserve.api.openapi import model_openapi
from typeserve.catalog.spec import ModelSpec
from typeserve.modeltypes.base import ModelType
from typeserve.samples import LANGUAGES, model_sample_context, render_sample

if TYPE_CHECKING:
    import httpx

log = logging.getLogger("typeserve.console")
GPU_QUERY = "serviceTier=gpuflex"


@dataclass(frozen=True)
class Sample:
    lang: str
    label: str
    code: str | None
    made_here: bool = False
    # The same program with gpuflex as its default tier (None: rewrite the URL instead).
    gpu_code: str | None = None

    def for_tier(self, tier: str, cpu_url: str) -> str | None:
        if tier == "gpuflex" and self.gpu_code is not None:
            return self.gpu_code
        return with_tier(self.code, cpu_url, tier) if self.code else None


def with_tier(text: str, cpu_url: str, tier: str) -> str:
    """`text` with every occurrence of the model's CPU URL pointing at `tier` instead."""
    if tier != "gpuflex":
        return text
    pattern = re.escape(cpu_url) + r"(?![A-Za-z0-9._/?-])"
    return re.sub(pattern, lambda _m: f"{cpu_url}?{GPU_QUERY}", text)


def sample_text(response: httpx.Response) -> str | None:
    """A sample as a sample route answers it over HTTP (text, or JSON holding the code)."""
    if response.status_code != 200:
        return None
    if "json" in response.headers.get("content-type", ""):
        try:
            body: Any = response.json()
        except ValueError:
            return None
        if isinstance(body, str):
            return body
        if isinstance(body, dict):
            for key in ("code", "sample", "source", "text", "content"):
                if isinstance(body.get(key), str):
                    return str(body[key])
        return None
    return response.text


def fallback_curl(model_type: ModelType, cpu_url: str) -> str:
    # Quoted even when plain: the FlexGPU switch appends '?', which shells would glob.
    url = f"'{cpu_url}'"
    auth = '-H "Authorization: Bearer $TYPESERVE_API_KEY"'
    if model_type.media in ("image", "audio"):
        example = "image.jpg" if model_type.media == "image" else "clip.wav"
        content_type = "image/jpeg" if model_type.media == "image" else "audio/wav"
        return f"curl -X POST {url} \\\n  {auth} \\\n  -H 'Content-Type: {content_type}' \\\n  --data-binary @{example}"
    body = json.dumps(model_type.example_input, ensure_ascii=False)
    return f"curl -X POST {url} \\\n  {auth} \\\n  -H 'Content-Type: application/json' \\\n  -d {shlex.quote(body)}"


def sample_or_none(spec: ModelSpec, base_url: str, lang: str, tier: str) -> str | None:
    """The sample the API serves, or None where it would fail (a hostile catalog entry): the
    card still shows."""
    try:
        return render_sample(model_sample_context(spec, base_url, tier), lang)
    except Exception as exc:
        log.warning("no %s sample for %s: %s", lang, spec.id, exc)
        return None


def openapi_served(spec: ModelSpec, base_url: str) -> bool:
    try:
        model_openapi(spec, base_url)
    except Exception as exc:
        log.warning("no OpenAPI document for %s: %s", spec.id, exc)
        return False
    return True


def toolbox_content(spec: ModelSpec, model_type: ModelType, base_url: str, cpu_url: str) -> tuple[list[Sample], bool]:
    """(samples, whether the OpenAPI spec is served), made by the same functions the API's
    sample and OpenAPI routes call, so the console shows exactly what the API serves."""
    samples = []
    for language in LANGUAGES.values():
        lang, label = language.name, language.label
        code = sample_or_none(spec, base_url, lang, "cpuflex")
        if code is None and lang == "curl":
            samples.append(Sample(lang, label, fallback_curl(model_type, cpu_url), made_here=True))
        else:
            samples.append(Sample(lang, label, code, gpu_code=sample_or_none(spec, base_url, lang, "gpuflex")))
    return samples, openapi_served(spec, base_url)
