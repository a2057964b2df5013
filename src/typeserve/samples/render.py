"""Rendering one code sample: what a template needs to know about a model (its id, type, media
kind, example input and the server's public URL) and the Jinja2 environment that renders it.
Templates live in `templates/{language}/{media}.j2` and extend that language's `base.j2`."""

from __future__ import annotations

import json
import shlex
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

import jinja2

from typeserve.catalog import cards  # a module, not a name: cards imports samples.languages
from typeserve.catalog.spec import ModelSpec
from typeserve.modeltypes import get_model_type
from typeserve.samples.languages import LANGUAGES

TEMPLATES = Path(__file__).parent / "templates"


# The request field that carries the media file, per media kind; the rest of an example are options.
MEDIA_FIELDS = {"image": ("imageRef",), "audio": ("Bytes", "audioRef")}


@dataclass(frozen=True)
class SampleContext:
    """Everything a template may use."""

    model_id: str
    title: str
    type_name: str
    media: str
    base_url: str
    # Text types: the required text fields, filled from the command line, with example defaults.
    text_fields: tuple[tuple[str, str], ...]
    # Constant request fields taken from the example (options such as topK).
    extra: tuple[tuple[str, Any], ...]
    # A line for the header, e.g. that the model id is a placeholder.
    note: str = ""
    # The tier the program calls unless told otherwise (the console's FlexGPU switch).
    default_tier: str = "cpuflex"

    @property
    def args(self) -> str:
        if self.media != "text":
            return f"{self.media.upper()}_FILE"
        return " ".join(f"[{name.upper()}]" for name, _ in self.text_fields)

    def usage(self, language: str) -> str:
        lang = LANGUAGES[language]
        other_tier = "cpuflex" if self.default_tier == "gpuflex" else "gpuflex"
        return (
            "TYPESERVE_API_KEY=... " + lang.run.format(file=lang.filename, args=self.args) + f" [--tier {other_tier}]"
        )

    @property
    def extra_json(self) -> str:
        """The constant fields as a JSON fragment to append inside the body object."""
        return "".join(f", {json.dumps(name)}: {json.dumps(value, ensure_ascii=False)}" for name, value in self.extra)


def sample_context(
    model_id: str, title: str, type_name: str, example_request: dict[str, Any], base_url: str, note: str = ""
) -> SampleContext:
    model_type = get_model_type(type_name)
    if model_type.media == "text":
        # Required texts come from the command line; a required list (zero-shot labels) stays
        # as the example has it.
        required = [
            name
            for name, field in model_type.Input.model_fields.items()
            if field.is_required() and isinstance(example_request.get(name, ""), str)
        ]
        text_fields = tuple(
            (name, value if isinstance(value := example_request.get(name), str) else "") for name in required
        )
        skip = {name for name, _ in text_fields}
    else:
        text_fields = ()
        skip = set(MEDIA_FIELDS[model_type.media])
    extra = tuple((name, value) for name, value in example_request.items() if name not in skip)
    return SampleContext(
        model_id=model_id,
        title=title,
        type_name=type_name,
        media=model_type.media,
        base_url=base_url.rstrip("/"),
        text_fields=text_fields,
        extra=extra,
        note=note,
    )


def _python_literal(value: Any) -> str:
    """A JSON-like value as Python source, with double-quoted strings like the rest of a sample."""
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # JSON string escapes are Python escapes too
    if isinstance(value, bool | None):
        return repr(value)
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, tuple):
        return "(" + ", ".join(map(_python_literal, value)) + ("," if len(value) == 1 else "") + ")"
    if isinstance(value, list):
        return "[" + ", ".join(map(_python_literal, value)) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_python_literal(k)}: {_python_literal(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"cannot write {type(value).__name__} as a Python literal")


def _js_literal(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _java_string(value: str) -> str:
    # JSON string escapes are valid Java escapes; ensure_ascii keeps \u000a (which javac would
    # turn into a real newline before lexing) out, since json writes newlines as \n.
    return json.dumps(value, ensure_ascii=True)


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,  # source code, not HTML
        # bash writes `${#ARRAY[@]}`, which Jinja's default `{#` would take for a comment.
        comment_start_string="<#",
        comment_end_string="#>",
    )
    env.filters.update(py=_python_literal, js=_js_literal, java=_java_string, sh=shlex.quote)
    return env


def render_sample(context: SampleContext, language: str) -> str:
    if language not in LANGUAGES:
        raise KeyError(language)
    template = environment().get_template(f"{language}/{context.media}.j2")
    return template.render(c=context, lang=LANGUAGES[language], usage=context.usage(language))


def model_sample_context(spec: ModelSpec, base_url: str, default_tier: str = "cpuflex") -> SampleContext:
    """The context of a catalog model's samples: its card's first example, this server's URL."""
    example = cards.card_examples(spec)[0]["request"]
    context = sample_context(spec.id, spec.title, spec.type, example, base_url)
    return replace(context, default_tier=default_tier)
